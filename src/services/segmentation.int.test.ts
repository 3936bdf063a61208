import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import type { Principal } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import { exampleMethodology, loadSegmentationExample } from '../../test/oversight.js';
import { importStatisticsFile } from '../../test/statistics.js';
import { createTestDatabase } from '../../test/test-database.js';
import { createUser } from './identity.service.js';
import {
  addMethodologyVersion,
  getSegmentation,
  listMethodologies,
  recordSegmentJudgement,
  type SegmentRow,
} from './segmentation.service.js';

const today = '2025-08-15';
const operator = { principal: null, actor: systemActor };

describe('oversight segmentation', () => {
  let handle: DatabaseHandle;
  const codes: string[] = [];
  const row = (rows: SegmentRow[], i: number) => {
    const found = rows.find((r) => r.odsCode === codes[i]);
    if (!found) throw new Error(`no row for T${i + 1}`);
    return found;
  };

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    codes.push(...(await loadSegmentationExample(handle)));
  });
  afterAll(async () => handle?.close());

  it('ships three methodologies as stored data', async () => {
    const stored = (await listMethodologies(handle.db)).map((v) => v.methodology.code);
    expect(stored).toEqual(
      expect.arrayContaining(['nof-2025-26', 'nof-2026-27', 'sof-2016', 'test-thresholds']),
    );
  });

  it('scores, averages, segments with cut-points, overrides in order, and ranks — as worked by hand', async () => {
    const result = await getSegmentation(handle.db, { methodologyCode: 'test-thresholds', today });
    // The latest complete quarter with figures is chosen by default.
    expect(result.period).toEqual({ start: '2025-04-01', label: 'Q1 2025/26', months: 3 });
    const rows = result.rows.filter((r) => codes.includes(r.odsCode));
    expect(rows).toHaveLength(8);
    expect(codes.slice(0, 5).map((_, i) => row(rows, i).metrics.map((m) => m.score))).toEqual([
      [1, 2],
      [1.75, 1],
      [1.75, 1],
      [3.25, 3],
      [4, 4],
    ]);
    expect(codes.slice(0, 5).map((_, i) => row(rows, i).averageScore)).toEqual([1.5, 1.38, 1.38, 3.13, 4]);
    expect(codes.slice(0, 5).map((_, i) => row(rows, i).provisionalSegment)).toEqual([1, 1, 1, 3, 4]);
    expect(codes.slice(0, 5).map((_, i) => row(rows, i).segment)).toEqual([3, 1, 1, 3, 4]);
    expect(row(rows, 0).overridesApplied).toEqual(['In deficit: no better than 3']);
    expect(row(rows, 3).overridesApplied).toEqual([]);
    expect(row(rows, 3).conditions).toEqual(['In deficit']);
    expect(row(rows, 0).domainScores).toEqual([
      { key: 'access', label: 'Access', score: 1 },
      { key: 'finance', label: 'Finance', score: 2 },
    ]);
    // League: by segment, then average score; T2 and T3 tie on both, so share first place.
    expect(codes.slice(0, 5).map((_, i) => row(rows, i).leaguePosition)).toEqual([3, 1, 1, 4, 5]);
    expect(row(rows, 0).peerGroup).toBe('Acute trusts');
    expect(result.summary.bySegment).toEqual({ '1': 4, '3': 2, '4': 1 });
  });

  it('scores mental health and community trusts together, and does not segment a trust of unknown type', async () => {
    const result = await getSegmentation(handle.db, { methodologyCode: 'test-thresholds', today });
    const [mentalHealth, community, unknown] = [5, 6, 7].map((i) => row(result.rows, i));
    expect(mentalHealth).toMatchObject({
      peerGroup: 'Mental health and community trusts',
      leagueOf: 2,
      segment: 1,
    });
    expect(community).toMatchObject({
      peerGroup: 'Mental health and community trusts',
      leagueOf: 2,
      segment: 1,
    });
    // Both meet breakeven (1.00); A&E is not scored for trusts without it.
    expect(mentalHealth?.metrics.map((m) => m.score)).toEqual([null, 1]);
    expect(unknown).toMatchObject({ segment: null, peerGroup: 'Type of trust not known' });
    expect(unknown?.notSegmented).toContain('Record the trust');
  });

  it('names the drivers — the metrics pulling the score down most — with their SPC icons', async () => {
    const result = await getSegmentation(handle.db, {
      methodologyCode: 'test-thresholds',
      period: '2025-05-20',
      today,
    });
    const t4 = row(result.rows, 3);
    // Shares of the gap from 1.00: (3.25 − 1)/2 = 1.125 → 1.13, (3.00 − 1)/2 = 1.00.
    expect(t4.drivers.map((d) => [d.metric, d.pull])).toEqual([
      ['ae_4h_all', 1.13],
      ['fin_surplus_margin', 1],
    ]);
    // 21 months at 85 % then three at 70 %: a special cause of concern, below the lower limit.
    expect(t4.drivers[0]?.variation).toBe('concern_low');
    expect(t4.drivers[0]?.sentence).toMatch(/special cause concern/);
    expect(row(result.rows, 1).drivers).toEqual([]);
  });

  it('explains the change from the previous quarter', async () => {
    const result = await getSegmentation(handle.db, {
      methodologyCode: 'test-thresholds',
      period: '2025-04-01',
      today,
    });
    const t4 = row(result.rows, 3);
    // Q4 2024/25: average 2.00 → provisional 2 → deficit override → 3; now 3.13 → 3 without the override.
    expect(t4.change).toMatchObject({
      previousSegment: 3,
      previousAverage: 2,
      averageChange: 1.13,
      significant: true,
      direction: 'same',
    });
    expect(t4.change?.reasons).toEqual(
      expect.arrayContaining([
        'Override no longer applies: In deficit: no better than 3.',
        'Average score worsened by 1.13, a significant change (at least 0.20).',
        'A&E 4-hour performance, all types: score 1.00 to 3.25 (85.0% to 70.0%).',
      ]),
    );
  });

  it('places segments in quartiles within the trust type when the methodology says so', async () => {
    await addMethodologyVersion(
      handle.db,
      systemActor,
      exampleMethodology({ code: 'test-quartiles', segmentRule: { kind: 'quartiles' } }),
    );
    const result = await getSegmentation(handle.db, {
      methodologyCode: 'test-quartiles',
      period: '2025-04-01',
      today,
    });
    expect(codes.slice(0, 5).map((_, i) => row(result.rows, i).provisionalSegment)).toEqual([3, 1, 1, 4, 4]);
    expect(codes.slice(0, 5).map((_, i) => row(result.rows, i).segment)).toEqual([3, 1, 1, 4, 4]);
  });

  it('segments ICBs among ICBs from their members’ figures', async () => {
    const result = await getSegmentation(handle.db, {
      methodologyCode: 'test-thresholds',
      level: 'icb',
      period: '2025-04-01',
      today,
    });
    const qkk = result.rows.find((r) => r.odsCode === 'QKK');
    // (800 + 750 + 750 + 700 + 600) / 5000 = 72 %; margin (−5 + 10 + 20 − 30 − 50) / 5000 = −1.1 %.
    expect(qkk?.metrics.map((m) => m.value && Math.round(m.value * 100) / 100)).toEqual([72, -1.1]);
    expect(qkk?.peerGroup).toBe('All ICBs');
    // The only ICB with figures: best of one on A&E (1.00), the only one failing breakeven (2.00).
    expect(qkk?.averageScore).toBe(1.5);
    expect(qkk?.segment).toBe(3);
  });

  it('refuses a methodology that is not valid, naming the field', async () => {
    await expect(
      addMethodologyVersion(
        handle.db,
        systemActor,
        exampleMethodology({
          code: 'test-bad',
          metrics: [
            {
              metric: 'no_such_metric',
              domain: 'access',
              scoring: { kind: 'ranked', polarity: 'higher-is-better' },
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'metrics.0.metric' }] });
    await expect(
      addMethodologyVersion(
        handle.db,
        systemActor,
        exampleMethodology({ code: 'test-bad', segmentRule: { kind: 'thresholds', cutPoints: [3, 2, 1] } }),
      ),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'segmentRule.cutPoints' }] });
    await expect(
      addMethodologyVersion(handle.db, systemActor, exampleMethodology({ version: 3 })),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await listMethodologies(handle.db)).some((v) => v.methodology.code === 'test-bad')).toBe(false);
  });

  it('sets segment 5 only by a recorded judgement on a segment-4 trust, with a reason and an author', async () => {
    const judge = (
      odsCode: string,
      segment: number | null,
      reason = 'Provider Improvement Programme entry agreed.',
    ) =>
      recordSegmentJudgement(
        handle.db,
        operator,
        { methodologyCode: 'test-thresholds', period: '2025-04-01', odsCode, segment, reason },
        today,
      );
    await expect(judge(codes[3] ?? '', 5)).rejects.toMatchObject({ code: 'conflict' });
    await expect(judge(codes[4] ?? '', 5, 'short')).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [{ field: 'reason' }],
    });
    const t5 = await judge(codes[4] ?? '', 5);
    expect(t5).toMatchObject({
      computedSegment: 4,
      segment: 5,
      judgement: {
        segment: 5,
        reason: 'Provider Improvement Programme entry agreed.',
        recordedBy: systemActor.label,
      },
    });
    // A regional override of another kind, then withdrawn: the computed segment stands again.
    expect((await judge(codes[0] ?? '', 2, 'Deficit support agreed; capability reviewed.')).segment).toBe(2);
    expect((await judge(codes[0] ?? '', null, 'Withdrawn after the quarterly review.')).segment).toBe(3);
    await expect(judge(codes[0] ?? '', null, 'Nothing left to withdraw here.')).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('lets a regional director judge in their region only, and no other role', async () => {
    const account = await createUser(handle.db, systemActor, {
      email: 'rd@example.nhs.uk',
      name: 'Regional Director',
    });
    const london = await findOrganisationByCode(handle.db, 'Y56');
    const north = await findOrganisationByCode(handle.db, 'Y63');
    const person = (
      role: 'regional-director' | 'trust-board-member' | 'regional-team',
      scope: number,
    ): Principal => ({
      kind: 'user',
      userId: account.id,
      label: 'Regional Director <rd@example.nhs.uk>',
      isAdmin: false,
      grants: [{ role, scopeOrganisationId: scope }],
      functions: [],
    });
    const judge = (principal: Principal) =>
      recordSegmentJudgement(
        handle.db,
        {
          principal,
          actor: { kind: 'user', id: String(account.id), label: 'Regional Director <rd@example.nhs.uk>' },
        },
        {
          methodologyCode: 'test-thresholds',
          period: '2025-04-01',
          odsCode: codes[1] ?? '',
          segment: 2,
          reason: 'Quality concerns from the CQC inspection.',
        },
        today,
      );
    await expect(judge(person('regional-director', north?.id ?? 0))).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(judge(person('regional-team', london?.id ?? 0))).rejects.toMatchObject({
      code: 'forbidden',
    });
    const trust = await findOrganisationByCode(handle.db, codes[1] ?? '');
    await expect(judge(person('trust-board-member', trust?.id ?? 0))).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(judge({ kind: 'public' })).rejects.toMatchObject({ code: 'unauthenticated' });
    const judged = await judge(person('regional-director', london?.id ?? 0));
    expect(judged).toMatchObject({
      segment: 2,
      computedSegment: 1,
      judgement: { recordedBy: 'Regional Director <rd@example.nhs.uk>' },
    });
  });

  it('shows judgement reasons and authors only to those who may read the organisation, and keeps them to their quarter', async () => {
    const forPublic = await getSegmentation(handle.db, {
      methodologyCode: 'test-thresholds',
      period: '2025-04-01',
      today,
    });
    expect(row(forPublic.rows, 4).judgement).toMatchObject({ segment: 5, reason: null, recordedBy: null });
    const forOperator = await getSegmentation(handle.db, {
      methodologyCode: 'test-thresholds',
      period: '2025-04-01',
      today,
      viewer: null,
    });
    expect(row(forOperator.rows, 4).judgement?.reason).toBe('Provider Improvement Programme entry agreed.');
    const quarterBefore = await getSegmentation(handle.db, {
      methodologyCode: 'test-thresholds',
      period: '2025-01-01',
      today,
      viewer: null,
    });
    expect(row(quarterBefore.rows, 4)).toMatchObject({ judgement: null, segment: 4 });
  });

  it('lets segment 5 lapse when corrected figures take the trust out of segment 4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-lapse-'));
    const path = join(dir, 'correction.csv');
    const t5 = codes[4] ?? '';
    writeFileSync(
      path,
      `period,org_code,data_item,value\n${['2025-04-01', '2025-05-01', '2025-06-01'].map((m) => `${m},${t5},ae_breaches_4h_all,10`).join('\n')}\n`,
    );
    await importStatisticsFile(handle, 'observations', path);
    const result = await getSegmentation(handle.db, {
      methodologyCode: 'test-thresholds',
      period: '2025-04-01',
      today,
      viewer: null,
    });
    // A&E 99 % is now the best (1.00); breakeven still failed worst (4.00): 2.50 → 2, in deficit → 3.
    expect(row(result.rows, 4)).toMatchObject({
      averageScore: 2.5,
      computedSegment: 3,
      segment: 3,
      judgement: { segment: 5, lapsed: true },
    });
    expect(row(result.rows, 4).change?.reasons).toContain(
      'The regional judgement of segment 5 has lapsed: the method now places it in segment 3.',
    );
  });
});
