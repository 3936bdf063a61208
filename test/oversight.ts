import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseHandle } from '../src/db/database.js';
import { systemActor } from '../src/domain/audit.js';
import type { MethodologyInput } from '../src/domain/oversight-methodology.js';
import { addMethodologyVersion } from '../src/services/segmentation.service.js';
import { buildTrust } from './factories.js';
import { importStatisticsFile } from './statistics.js';

/**
 * Five acute trusts in one ICB, figures for the 24 months to June 2025, scored on two metrics by a
 * methodology added as data. Every expected number below is worked by hand (OVERSIGHT-METHODS.md §2–3):
 *
 * Q1 2025/26   A&E 4h (ranked, higher)   margin (standard ≥ 0)    average   cut-points 1.75/2.5/3.25
 *   T1         80 → 1.00                 −0.5 → 2.00 (fails)      1.50      1, in deficit → 3
 *   T2         75 → 1.75                  1.0 → 1.00              1.38      1
 *   T3         75 → 1.75 (tie: best)      2.0 → 1.00              1.38      1
 *   T4         70 → 3.25                 −3.0 → 3.00              3.13      3 (deficit: already 3)
 *   T5         60 → 4.00                 −5.0 → 4.00              4.00      4
 * Quartiles ⌈4r/5⌉ on ascending rank: T2, T3 r=1 → 1; T1 r=3 → 3; T4 r=4 → 4; T5 r=5 → 4.
 * T4's A&E was 85 until March 2025 (best, 1.00), so its average was (1.00 + 3.00)/2 = 2.00 in Q4 2024/25.
 */
export const exampleTrusts = [
  { ae: 80, margin: -0.5 },
  { ae: 75, margin: 1 },
  { ae: 75, margin: 2 },
  { ae: 70, margin: -3, aeBefore: 85 },
  { ae: 60, margin: -5 },
];

export const exampleMethodology = (overrides: Partial<MethodologyInput>): MethodologyInput => ({
  code: 'test-thresholds',
  version: 1,
  effectiveFrom: '2016-04-01',
  name: 'Test methodology',
  summary: 'Two metrics, for a hand-worked example.',
  source: 'The test.',
  levels: ['nhs-trust', 'icb'],
  peerGrouping: 'sector',
  domains: [
    { key: 'access', label: 'Access' },
    { key: 'finance', label: 'Finance' },
  ],
  metrics: [
    { metric: 'ae_4h_all', domain: 'access', scoring: { kind: 'ranked', polarity: 'higher-is-better' } },
    {
      metric: 'fin_surplus_margin',
      domain: 'finance',
      scoring: { kind: 'standard', polarity: 'higher-is-better', operator: '>=', value: 0 },
    },
  ],
  segmentRule: { kind: 'thresholds', cutPoints: [1.75, 2.5, 3.25] },
  conditions: [
    { key: 'deficit', label: 'In deficit', metric: 'fin_surplus_margin', operator: '<', value: 0 },
  ],
  overrides: [{ condition: 'deficit', atBest: 3, label: 'In deficit: no better than 3' }],
  judgement: { segments: [1, 2, 3, 4, 5], segment5Requires: 4 },
  significantChange: 0.2,
  segmentLabels: { '1': 'One', '2': 'Two', '3': 'Three', '4': 'Four', '5': 'Five' },
  ...overrides,
});

/**
 * Opens the five acute trusts under South East London (QKK) and three others under North East London (QMF),
 * imports their 24 months of figures and adds the `test-thresholds` methodology. Returns the codes: T1–T5,
 * then the mental health, community and unknown-type trusts.
 */
export async function loadSegmentationExample(handle: DatabaseHandle): Promise<string[]> {
  const codes: string[] = [];
  const lines = ['period,org_code,data_item,value'];
  for (const trust of exampleTrusts) {
    const code = await buildTrust(handle.db, { parentCode: 'QKK', sector: 'acute' });
    codes.push(code);
    for (let m = 0; m < 24; m += 1) {
      const month = new Date(Date.UTC(2023, 6 + m, 1)).toISOString().slice(0, 10);
      const ae = trust.aeBefore !== undefined && month < '2025-04-01' ? trust.aeBefore : trust.ae;
      lines.push(`${month},${code},ae_attendances_all,1000`);
      lines.push(`${month},${code},ae_breaches_4h_all,${1000 - ae * 10}`);
      lines.push(`${month},${code},fin_income,1000`);
      lines.push(`${month},${code},fin_pay_expenditure,${1000 - trust.margin * 10}`);
      lines.push(`${month},${code},fin_non_pay_expenditure,0`);
    }
  }
  // Elsewhere (North East London, QMF): a mental health and a community trust, scored together as one
  // type, and a trust whose type is not known, which has no peers to be scored among.
  for (const [sector, margin] of [
    ['mental-health', 1],
    ['community', 3],
    [null, 2],
  ] as const) {
    const code = await buildTrust(handle.db, { parentCode: 'QMF', sector });
    codes.push(code);
    for (let m = 0; m < 24; m += 1) {
      const month = new Date(Date.UTC(2023, 6 + m, 1)).toISOString().slice(0, 10);
      lines.push(`${month},${code},fin_income,1000`);
      lines.push(`${month},${code},fin_pay_expenditure,${1000 - margin * 10}`);
      lines.push(`${month},${code},fin_non_pay_expenditure,0`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'oversight-segments-'));
  writeFileSync(join(dir, 'figures.csv'), `${lines.join('\n')}\n`);
  await importStatisticsFile(handle, 'observations', join(dir, 'figures.csv'));
  await addMethodologyVersion(handle.db, systemActor, exampleMethodology({}));
  return codes;
}
