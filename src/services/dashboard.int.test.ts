import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { testContext } from '../../test/factories.js';
import { importStatisticsFile } from '../../test/statistics.js';
import { createTestDatabase } from '../../test/test-database.js';
import { getDashboard, refreshRollupCache } from './dashboard.service.js';
import { loadDemoDataset } from './demo.service.js';
import { reparentOrganisation } from './hierarchy.service.js';
import { getTreeAt } from './hierarchy-query.service.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';
import { rollupMetrics } from './rollup.service.js';

const today = '2025-04-15';
const from = '2022-04-01';
const to = '2025-03-01';

/** The cache must say exactly what the live engine says, point by point, for every metric. */
async function expectDashboardMatchesLive(handle: DatabaseHandle, code: string): Promise<number> {
  const catalogue = await getMetricCatalogue(handle.db);
  const dashboard = await getDashboard(handle.db, {
    aggregateCode: code,
    metricCodes: 'all',
    from,
    to,
    today,
  });
  const live = await rollupMetrics(handle.db, {
    metricCodes: catalogue.metrics.map((m) => m.code),
    aggregate: { kind: 'organisation', odsCode: code },
    from,
    to,
    periodType: 'month',
    structure: { kind: 'as-at-period' },
    today,
  });
  expect(dashboard.series.map((s) => s.metric.code)).toEqual(live.series.map((s) => s.metric.code));
  let compared = 0;
  for (const [index, series] of dashboard.series.entries()) {
    const expected = live.series[index]?.points ?? [];
    expect(series.points.map((p) => p.period.start)).toEqual(expected.map((p) => p.period.start));
    for (const [i, point] of series.points.entries()) {
      const want = expected[i];
      const where = `${code} ${series.metric.code} ${point.period.start}`;
      expect(point.reported, where).toBe(want?.coverage.reported);
      if (want?.value === null || want?.value === undefined) {
        expect(point.value, where).toBeNull();
        continue;
      }
      expect(point.value, where).not.toBeNull();
      expect(Math.abs((point.value ?? 0) - want.value), where).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(want.value)),
      );
      compared += 1;
    }
  }
  return compared;
}

describe('the dashboard cache', () => {
  let handle: DatabaseHandle;
  let dir: string;
  let region = '';
  let icb = '';
  let otherIcb = '';
  let trust = '';
  let fullRows = 0;

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    dir = mkdtempSync(join(tmpdir(), 'oversight-dashboard-'));
    await loadDemoDataset(handle, { today });
    const { root } = await getTreeAt(handle.db, { asAt: '2024-06-01' });
    const london = root.children.find((r) => r.organisation.odsCode === 'Y56');
    region = london?.organisation.odsCode ?? '';
    const [first, second] = london?.children ?? [];
    icb = first?.organisation.odsCode ?? '';
    otherIcb = second?.organisation.odsCode ?? '';
    trust = first?.children.find((c) => c.organisation.kind === 'nhs-trust')?.organisation.odsCode ?? '';
  });
  afterAll(async () => handle?.close());

  it('gives the same figures as the live roll-up for England, a region, an ICB and a trust', async () => {
    expect([region, icb, otherIcb, trust].every((c) => c !== '')).toBe(true);
    let compared = 0;
    for (const code of ['X24', region, icb, trust])
      compared += await expectDashboardMatchesLive(handle, code);
    // Every metric has demo figures, so most points carry a value.
    expect(compared).toBeGreaterThan(1000);
  });

  it('is rebuilt in full when the hierarchy changes, and then matches the live roll-up under the new structure', async () => {
    await reparentOrganisation(handle.db, testContext, {
      odsCode: trust,
      parentCode: otherIcb,
      date: '2024-01-01',
      reason: 'Test: moved to a neighbouring ICB',
    });
    const refresh = await refreshRollupCache(handle.db);
    expect(refresh.full).toBe(true);
    expect(refresh.rows).toBeGreaterThan(0);
    fullRows = refresh.rows;
    await expectDashboardMatchesLive(handle, icb);
    await expectDashboardMatchesLive(handle, otherIcb);
    const moved = await getDashboard(handle.db, {
      aggregateCode: otherIcb,
      metricCodes: ['ae_attendances'],
      from: '2023-12-01',
      to: '2024-01-01',
      today,
    });
    // The receiving ICB reports one more organisation from the month of the move.
    const [december, january] = moved.series[0]?.points ?? [];
    expect((january?.reported ?? 0) - (december?.reported ?? 0)).toBe(1);
  });

  it('after an import, refreshes only the metrics and months the import touched', async () => {
    const before = await getDashboard(handle.db, {
      aggregateCode: otherIcb,
      metricCodes: ['ae_attendances'],
      from: '2024-06-01',
      to: '2024-06-01',
      today,
    });
    const path = join(dir, 'revision.csv');
    writeFileSync(path, `period,org_code,data_item,value\n2024-06-01,${trust},ae_attendances_all,123456\n`);
    const summary = await importStatisticsFile(handle, 'observations', path);
    expect(summary.rollups).toMatchObject({ full: false });
    expect(summary.rollups?.ranges).toBeGreaterThanOrEqual(1);
    // One month of the few metrics reading attendances, for every aggregate: a sliver of the whole.
    expect(summary.rollups?.rows).toBeGreaterThan(0);
    expect(summary.rollups?.rows).toBeLessThan(fullRows / 50);
    const after = await getDashboard(handle.db, {
      aggregateCode: otherIcb,
      metricCodes: ['ae_attendances'],
      from: '2024-06-01',
      to: '2024-06-01',
      today,
    });
    expect(after.series[0]?.points[0]?.value).not.toBe(before.series[0]?.points[0]?.value);
    await expectDashboardMatchesLive(handle, otherIcb);
    await expectDashboardMatchesLive(handle, 'X24');
  });

  it('refuses an unknown organisation and a range that ends before it starts', async () => {
    await expect(
      getDashboard(handle.db, { aggregateCode: 'ZZZ99', metricCodes: 'all', today }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      getDashboard(handle.db, { aggregateCode: 'X24', metricCodes: 'all', from: to, to: from, today }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      getDashboard(handle.db, { aggregateCode: 'X24', metricCodes: ['no_such_metric'], today }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});
