import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { buildTrust, testContext } from '../../test/factories.js';
import { expectDashboardMatchesLive } from '../../test/rollups.js';
import { importStatisticsFile } from '../../test/statistics.js';
import { createTestDatabase } from '../../test/test-database.js';
import { getDashboard, refreshRollupCache } from './dashboard.service.js';
import { loadDemoDataset } from './demo.service.js';
import { reparentOrganisation, reviseOrganisation } from './hierarchy.service.js';
import { getTreeAt } from './hierarchy-query.service.js';

const today = '2025-04-15';
// Across the April 2021 change of the A&E definitions, to the last demo month.
const from = '2020-01-01';
const to = '2025-03-01';

describe('the dashboard cache', () => {
  let handle: DatabaseHandle;
  let dir: string;
  let region = '';
  let icb = '';
  let otherIcb = '';
  let trust = '';
  let fullRows = 0;
  const matches = (code: string) => expectDashboardMatchesLive(handle, { code, from, to, today });

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    dir = mkdtempSync(join(tmpdir(), 'oversight-dashboard-'));
    const demo = await loadDemoDataset(handle, { today });
    fullRows = demo.rollups.rows;
    const { root } = await getTreeAt(handle.db, { asAt: '2024-06-01' });
    const london = root.children.find((r) => r.organisation.odsCode === 'Y56');
    region = london?.organisation.odsCode ?? '';
    const [first, second] = london?.children ?? [];
    icb = first?.organisation.odsCode ?? '';
    otherIcb = second?.organisation.odsCode ?? '';
    trust = first?.children.find((c) => c.organisation.kind === 'nhs-trust')?.organisation.odsCode ?? '';
  });
  afterAll(async () => handle?.close());

  it('is built in full with the demo data, and gives the same figures as the live roll-up at every level', async () => {
    expect(fullRows).toBeGreaterThan(10_000);
    expect([region, icb, otherIcb, trust].every((c) => c !== '')).toBe(true);
    let compared = 0;
    for (const code of ['X24', region, icb, trust]) compared += await matches(code);
    expect(compared).toBeGreaterThan(1000);
  });

  it('does nothing when nothing changed, and nothing for a change that moves no figures (a rename)', async () => {
    expect(await refreshRollupCache(handle.db)).toMatchObject({ full: false, ranges: 0, cells: 0, rows: 0 });
    await reviseOrganisation(handle.db, testContext, {
      odsCode: trust,
      date: '2024-02-01',
      reason: 'Test: a new name',
      changes: { name: 'Renamed Test NHS Trust' },
    });
    expect(await refreshRollupCache(handle.db)).toMatchObject({ full: false, cells: 0, rows: 0 });
  });

  it('after a trust moves to another ICB, refreshes only the ICBs and months the move touched', async () => {
    await reparentOrganisation(handle.db, testContext, {
      odsCode: trust,
      parentCode: otherIcb,
      date: '2024-01-01',
      reason: 'Test: moved to a neighbouring ICB',
    });
    const refresh = await refreshRollupCache(handle.db);
    expect(refresh.full).toBe(false);
    // Two ICBs, from January 2024 to the last demo month (15 months).
    expect(refresh.cells).toBe(2 * 15);
    expect(refresh.rows).toBeGreaterThan(0);
    expect(refresh.rows).toBeLessThan(fullRows / 50);
    await matches(icb);
    await matches(otherIcb);
    const moved = await getDashboard(handle.db, {
      aggregateCode: otherIcb,
      metricCodes: ['ae_attendances'],
      from: '2023-12-01',
      to: '2024-01-01',
      today,
    });
    // The receiving ICB counts one more organisation from the month of the move.
    const [december, january] = moved.series[0]?.points ?? [];
    expect((january?.reported ?? 0) - (december?.reported ?? 0)).toBe(1);
  });

  it('after an import, refreshes only the metrics and months the import touched', async () => {
    const read = () =>
      getDashboard(handle.db, {
        aggregateCode: otherIcb,
        metricCodes: ['ae_attendances'],
        from: '2024-06-01',
        to: '2024-06-01',
        today,
      });
    const before = await read();
    const path = join(dir, 'revision.csv');
    writeFileSync(path, `period,org_code,data_item,value\n2024-06-01,${trust},ae_attendances_all,123456\n`);
    const summary = await importStatisticsFile(handle, 'observations', path);
    expect(summary.rollups).toMatchObject({ full: false, cells: 0, error: null });
    expect(summary.rollups?.ranges).toBeGreaterThanOrEqual(1);
    expect(summary.rollups?.rows).toBeGreaterThan(0);
    expect(summary.rollups?.rows).toBeLessThan(fullRows / 50);
    expect((await read()).series[0]?.points[0]?.value).not.toBe(before.series[0]?.points[0]?.value);
    await matches(otherIcb);
    await matches('X24');
  });

  it("counts a new trust's first figures in its ICB, region and England without a rebuild", async () => {
    const code = await buildTrust(handle.db, { parentCode: icb, date: '2024-04-01' });
    const path = join(dir, 'new-trust.csv');
    writeFileSync(
      path,
      `period,org_code,data_item,value\n2024-05-01,${code},ae_attendances_all,1000\n2024-05-01,${code},ae_breaches_4h_all,100\n`,
    );
    const summary = await importStatisticsFile(handle, 'observations', path);
    expect(summary.rollups).toMatchObject({ full: false, error: null });
    // Itself, its ICB, its region and England, for the one month it reported.
    expect(summary.rollups?.cells).toBe(4);
    const dashboard = await getDashboard(handle.db, {
      aggregateCode: code,
      metricCodes: ['ae_4h_all'],
      from: '2024-05-01',
      to: '2024-05-01',
      today,
    });
    expect(dashboard.series[0]?.points[0]?.value).toBeCloseTo(90, 10);
    await matches(icb);
    await matches(region);
  });

  it('reads whole months whatever day the range gives, and refuses bad ranges and lists', async () => {
    const midMonth = await getDashboard(handle.db, {
      aggregateCode: 'X24',
      metricCodes: ['ae_attendances'],
      from: '2024-01-15',
      to: '2024-02-10',
      today,
    });
    expect(midMonth.from).toBe('2024-01-01');
    expect(midMonth.to).toBe('2024-02-01');
    expect(midMonth.series[0]?.points.map((p) => p.value === null)).toEqual([false, false]);
    await expect(
      getDashboard(handle.db, { aggregateCode: 'ZZZ99', metricCodes: 'all', today }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      getDashboard(handle.db, { aggregateCode: 'X24', metricCodes: 'all', from: to, to: from, today }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      getDashboard(handle.db, { aggregateCode: 'X24', metricCodes: 'all', from: '0001-01-01', today }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      getDashboard(handle.db, { aggregateCode: 'X24', metricCodes: ['no_such_metric'], today }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      getDashboard(handle.db, { aggregateCode: 'X24', metricCodes: [], today }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
