import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { buildTrust } from '../../../test/factories.js';
import { importStatisticsFile } from '../../../test/statistics.js';
import { createTestDatabase } from '../../../test/test-database.js';
import { buildServer } from '../server.js';

describe('metrics API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    await buildTrust(handle.db, {
      odsCode: 'TA001',
      name: 'Alpha NHS Trust',
      parentCode: 'QKK',
      date: '2016-04-01',
    });
    await buildTrust(handle.db, {
      odsCode: 'TA002',
      name: 'Beta NHS Trust',
      parentCode: 'QKK',
      date: '2016-04-01',
    });
    await buildTrust(handle.db, {
      odsCode: 'TA003',
      name: 'Gamma NHS Trust',
      parentCode: 'QWE',
      date: '2016-04-01',
    });
    const dir = mkdtempSync(join(tmpdir(), 'oversight-api-metrics-'));
    const path = join(dir, 'ae.csv');
    writeFileSync(
      path,
      'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours\n' +
        '2024-01-01,TA001,1000,200,100,5\n2024-01-01,TA002,500,50,50,1\n2024-01-01,TA003,800,,80,2\n' +
        '2024-02-01,TA001,1100,300,100,5\n2024-02-01,TA003,700,70,70,1\n',
    );
    await importStatisticsFile(handle, 'ae', path);
    app = await buildServer({
      db: handle.db,
      engine: handle.engine,
      today: () => '2024-06-01',
      webRoot: null,
      logLevel: 'silent',
    });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('lists the catalogue with definitions, versions and targets', async () => {
    const body = (await app.inject({ url: '/api/metrics' })).json();
    const fourHour = body.metrics.find((m: { code: string }) => m.code === 'ae_4h_all');
    expect(fourHour.versions.map((v: { effectiveFrom: string }) => v.effectiveFrom)).toEqual([
      '2016-04-01',
      '2021-04-01',
    ]);
    expect(fourHour.targets.map((t: { value: number }) => t.value)).toEqual([95, 76, 78]);
    const rtt = body.metrics.find((m: { code: string }) => m.code === 'rtt_over_18w_all_parts');
    expect(rtt.caveat).toContain('Not the official waiting-list measure');
    expect(body.items.map((i: { code: string }) => i.code)).toContain('ae_breaches_4h_all');
  });

  it('rolls a metric up for an ICB, with coverage saying who did not report', async () => {
    const response = await app.inject({
      url: '/api/metrics/ae_4h_all/series?org=QKK&from=2024-01-01&to=2024-02-01',
    });
    expect(response.statusCode).toBe(200);
    const [january, february] = response.json().series[0].points;
    expect(january).toMatchObject({
      numerator: 1250,
      denominator: 1500,
      coverage: { expected: 2, reported: 2 },
    });
    expect(january.value).toBeCloseTo((1250 / 1500) * 100, 10);
    expect(february.coverage).toMatchObject({ expected: 2, reported: 1, notReported: ['TA002'] });
    expect(january.targets.map((t: { value: number }) => t.value)).toEqual([95, 76]);
  });

  it('gives several metrics at once, and England with the trust that left the 4-hour figure blank', async () => {
    const body = (await app.inject({ url: '/api/rollup?metrics=all&from=2024-01-01&to=2024-01-01' })).json();
    const attendances = body.series.find(
      (s: { metric: { code: string } }) => s.metric.code === 'ae_attendances',
    );
    expect(attendances.points[0].value).toBe(2300);
    const fourHour = body.series.find((s: { metric: { code: string } }) => s.metric.code === 'ae_4h_all');
    expect(fourHour.points[0].coverage.partial).toEqual(['TA003']);
  });

  it('serves a dashboard from the pre-computed roll-ups, agreeing with the live roll-up', async () => {
    const response = await app.inject({ url: '/api/dashboard?org=QKK&from=2024-01-01&to=2024-02-01' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.aggregate.code).toBe('QKK');
    const fourHour = body.series.find((s: { metric: { code: string } }) => s.metric.code === 'ae_4h_all');
    const [january, february] = fourHour.points;
    expect(january).toMatchObject({ numerator: 1250, denominator: 1500, reported: 2, partial: 0 });
    expect(january.value).toBeCloseTo((1250 / 1500) * 100, 10);
    expect(february).toMatchObject({ numerator: 800, denominator: 1100, reported: 1 });
    expect(january.targets.map((t: { value: number }) => t.value)).toEqual([95, 76]);
    const unknown = await app.inject({ url: '/api/dashboard?org=ZZZ99' });
    expect(unknown.statusCode).toBe(404);
    const badMetric = await app.inject({ url: '/api/dashboard?org=QKK&metrics=nonsense' });
    expect(badMetric.statusCode).toBe(404);
    const noMetric = await app.inject({ url: '/api/dashboard?org=QKK&metrics=,%20,' });
    expect(noMetric.statusCode).toBe(400);
    expect(noMetric.json().error.problems[0].field).toBe('metrics');
    const repeated = await app.inject({
      url: '/api/dashboard?org=QKK&metrics=ae_4h_all,ae_4h_all&from=2024-01-20&to=2024-01-20',
    });
    expect(repeated.json().series).toHaveLength(1);
    expect(repeated.json().series[0].points[0].numerator).toBe(1250);
  });

  it('sets an ICB beside its members: the latest month of each metric for each, and the ICB as a whole', async () => {
    const response = await app.inject({
      url: '/api/dashboard/members?org=QKK&asAt=2024-02-20&metrics=ae_4h_all,ae_attendances',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.metrics.map((m: { code: string }) => m.code)).toEqual(['ae_4h_all', 'ae_attendances']);
    const byCode = Object.fromEntries(
      body.members.map((m: { odsCode: string; figures: Record<string, unknown> }) => [m.odsCode, m.figures]),
    );
    expect(Object.keys(byCode).sort()).toEqual(['TA001', 'TA002']);
    // Alpha reported in February: 1,100 attendances, 300 over 4 hours.
    expect(byCode.TA001.ae_4h_all).toMatchObject({ month: '2024-02-01', label: 'February 2024' });
    expect(byCode.TA001.ae_4h_all.value).toBeCloseTo((800 / 1100) * 100, 10);
    // Beta's latest is January (500, 50 over): missing is not zero.
    expect(byCode.TA002.ae_attendances).toMatchObject({ value: 500, month: '2024-01-01' });
    expect(byCode.TA002.ae_4h_all.value).toBeCloseTo(90, 10);
    // The ICB's latest month is February, from Alpha alone.
    expect(body.area.figures.ae_attendances).toMatchObject({ value: 1100, month: '2024-02-01', reported: 1 });
    const unknown = await app.inject({ url: '/api/dashboard/members?org=ZZZ99' });
    expect(unknown.statusCode).toBe(404);
  });

  it('gives SPC for a series, holding the icons back on too few points and refusing bad options', async () => {
    const response = await app.inject({
      url: '/api/metrics/ae_4h_all/spc?org=QKK&from=2024-01-01&to=2024-02-01',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.improvement).toBe('increase');
    expect(body.points.map((p: { label: string }) => p.label)).toEqual(['January 2024', 'February 2024']);
    expect(body.summary).toMatchObject({ points: 2, trialLimits: true });
    expect(body.iconsWithheld).toBe('icons are shown from 15 points; there are 2');
    expect(body.sentence).toContain('icons are shown from 15 points');
    expect(body.settings).toMatchObject({ screenOutliers: true, runLength: 7, twoInThree: 'between-limits' });
    // Limits recalculated from February: a one-point segment has none (null, not NaN), and the sentence says so.
    const rebased = (
      await app.inject({
        url: '/api/metrics/ae_4h_all/spc?org=QKK&from=2024-01-01&to=2024-02-01&rebase=2024-02-10,2030-01-01',
      })
    ).json();
    expect(rebased.settings.rebaseAt).toEqual(['2024-02-01']);
    expect(rebased.points[1]).toMatchObject({
      rebaseGroup: 1,
      mean: expect.any(Number),
      upl: null,
      lpl: null,
    });
    expect(rebased.sentence).toContain('Limits recalculated from February 2024.');
    const bad = await app.inject({ url: '/api/metrics/ae_4h_all/spc?org=QKK&runLength=5&rebase=2024-13-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems.map((p: { field: string }) => p.field)).toContain('runLength');
    const badRebase = await app.inject({ url: '/api/metrics/ae_4h_all/spc?org=QKK&rebase=2024-13-01' });
    expect(badRebase.statusCode).toBe(400);
    expect(badRebase.json().error.problems[0].field).toBe('rebase');
  });

  it('gives the board report: each measure with its latest value, icons held back on too few points', async () => {
    const response = await app.inject({ url: '/api/report?org=QKK&until=2024-02-20' });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.month).toBe('2024-02-01');
    const rows = body.sections.flatMap((s: { rows: unknown[] }) => s.rows) as Array<{
      metric: { code: string };
      value: number;
      variation: string | null;
      points: number;
    }>;
    const attendances = rows.find((r) => r.metric.code === 'ae_attendances');
    expect(attendances).toMatchObject({ value: 1100, points: 2, variation: null });
    expect(body.sections[0].label).toBe('Operational performance');
    expect(body.matrix.common.none + body.matrix.common.inconsistent + body.matrix.common.fail).toBe(
      rows.length,
    );
    expect((await app.inject({ url: '/api/report?org=ZZZ99' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/report' })).statusCode).toBe(400);
  });

  it('ranks trusts in a league table with quartile bands and England', async () => {
    const body = (
      await app.inject({ url: '/api/metrics/ae_4h_all/league?period=2024-01-01&level=nhs-trust' })
    ).json();
    expect(
      body.rows.map((r: { odsCode: string; rank: number; band: number }) => [r.odsCode, r.rank, r.band]),
    ).toEqual([
      ['TA002', 1, 1],
      ['TA001', 2, 3],
    ]);
    expect(body.noValue.map((o: { odsCode: string }) => o.odsCode)).toContain('TA003');
    expect(body.england).toBeCloseTo((1250 / 1500) * 100, 10);
  });

  it('downloads CSV', async () => {
    const response = await app.inject({
      url: '/api/metrics/ae_attendances/series.csv?org=QKK&from=2024-01-01&to=2024-02-01',
    });
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.body.split('\r\n')[1]).toBe('QKK,2024-01-01,January 2024,1500,1500,,2,2,,2');
  });

  it('answers bad requests with the field at fault', async () => {
    const missing = await app.inject({
      url: '/api/metrics/ae_4h_all/series?org=QKK&from=2024-01-01&to=2024-02-01&structure=as-at',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.problems[0].message).toContain('asAt');
    const unknown = await app.inject({
      url: '/api/metrics/no_such_metric/series?from=2024-01-01&to=2024-02-01',
    });
    expect(unknown.statusCode).toBe(404);
    const backwards = await app.inject({
      url: '/api/metrics/ae_4h_all/series?from=2024-03-01&to=2024-01-01',
    });
    expect(backwards.statusCode).toBe(400);
  });

  it('lists imports', async () => {
    const body = (await app.inject({ url: '/api/imports' })).json();
    expect(body.imports[0]).toMatchObject({ source: 'ae', fileName: 'ae.csv' });
    expect(body.imports[0].summary.stored.inserted).toBe(19);
  });
});
