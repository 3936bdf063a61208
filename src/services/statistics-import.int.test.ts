import { systemActor } from '../domain/audit.js';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { countCurrentObservations, listObservationVersions } from '../db/observation.repository.js';
import { AppError } from '../domain/errors.js';
import { openUrlSource } from '../import/sources.js';
import { openStatisticsFile } from '../import/statistics-files.js';
import { buildTrust, testContext } from '../../test/factories.js';
import { hasSharedData, sharedDataPath } from '../../test/shared-data.js';
import { expectDashboardMatchesLive } from '../../test/rollups.js';
import { importSharedOds, importStatisticsFile } from '../../test/statistics.js';
import { createTestDatabase } from '../../test/test-database.js';
import { getMetricSpc } from './spc.service.js';
import { getPerformanceReport } from './performance-report.service.js';
import {
  listQuarantine,
  resolveAllAsIndependentProviders,
  resolveQuarantinedCode,
} from './quarantine.service.js';
import { refreshRollupCache } from './dashboard.service.js';
import { rollupMetrics } from './rollup.service.js';
import { importStatistics } from './statistics-import.service.js';

/** The test reads the raw files with csv-parse itself: the engine's own reader is not used to check it. */
function readCsvRows(path: string): Array<Record<string, string>> {
  return parse(readFileSync(path, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Array<
    Record<string, string>
  >;
}

const englandRollup = (
  handle: DatabaseHandle,
  metric: string,
  from: string,
  to: string,
  structure: Parameters<typeof rollupMetrics>[1]['structure'],
) =>
  rollupMetrics(handle.db, {
    metricCodes: [metric],
    aggregate: { kind: 'organisation', odsCode: 'X24' },
    from,
    to,
    periodType: 'month',
    structure,
    today: '2025-12-31',
  });

describe('ratio of sums, never mean of ratios', () => {
  let handle: DatabaseHandle;
  let dir: string;
  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    dir = mkdtempSync(join(tmpdir(), 'oversight-ratio-'));
    await buildTrust(handle.db, { odsCode: 'TR001', parentCode: 'QKK', date: '2016-04-01' });
    await buildTrust(handle.db, { odsCode: 'TR002', parentCode: 'QKK', date: '2016-04-01' });
  });
  afterAll(async () => handle?.close());

  it('combines a large trust at 90 % and a small one at 10 % into 82.7 %, not 50 %', async () => {
    const path = join(dir, 'ae.csv');
    writeFileSync(
      path,
      'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours\n' +
        '2023-01-01,TR001,1000,100,10,0\n2023-01-01,TR002,100,90,10,0\n',
    );
    await importStatisticsFile(handle, 'ae', path);
    const result = await rollupMetrics(handle.db, {
      metricCodes: ['ae_4h_all'],
      aggregate: { kind: 'organisation', odsCode: 'QKK' },
      from: '2023-01-01',
      to: '2023-01-01',
      periodType: 'month',
      structure: { kind: 'as-at-period' },
      today: '2025-12-31',
    });
    const point = result.series[0]?.points[0];
    expect(point?.numerator).toBe(910);
    expect(point?.denominator).toBe(1100);
    expect(point?.value).toBeCloseTo((910 / 1100) * 100, 12);
    expect(point?.value).not.toBeCloseTo(50, 1);
  });
});

describe('statistics files are refused whole when anything is wrong', () => {
  let handle: DatabaseHandle;
  let dir: string;
  const header =
    'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours';
  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    dir = mkdtempSync(join(tmpdir(), 'oversight-bad-stats-'));
    await buildTrust(handle.db, { odsCode: 'TB001', date: '2016-04-01' });
  });
  afterAll(async () => handle?.close());

  async function refusal(name: string, content: string | Buffer): Promise<AppError> {
    const path = join(dir, name);
    writeFileSync(path, content);
    const before = await countCurrentObservations(handle.db);
    const runs = await sql<{ count: number }>`select count(*)::int as count from import_run`.execute(
      handle.db,
    );
    const error = await importStatisticsFile(handle, 'ae', path).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(await countCurrentObservations(handle.db)).toBe(before);
    const runsAfter = await sql<{ count: number }>`select count(*)::int as count from import_run`.execute(
      handle.db,
    );
    expect(runsAfter.rows[0]?.count).toBe(runs.rows[0]?.count);
    return error as AppError;
  }

  it.each([
    ['a wrong header', 'org,month,value\nTB001,2023-01-01,1\n', /not a ae statistics file/, null],
    [
      'a non-number',
      `${header}\n2023-01-01,TB001,1000,100,10,0\n2023-02-01,TB001,lots,100,10,0\n`,
      /not a number/,
      { row: 3, column: 'total_attendances' },
    ],
    [
      'a negative count',
      `${header}\n2023-01-01,TB001,-5,0,10,0\n`,
      /negative/,
      { row: 2, column: 'total_attendances' },
    ],
    [
      'a duplicate row',
      `${header}\n2023-01-01,TB001,1000,100,10,0\n2023-01-01,TB001,1000,100,10,0\n`,
      /repeats an earlier row/,
      { row: 3 },
    ],
    [
      'a formula cell',
      `${header}\n2023-01-01,TB001,=SUM(A1:A2),100,10,0\n`,
      /formula/,
      { row: 2, column: 'total_attendances' },
    ],
    [
      'a date that is not a month start',
      `${header}\n2023-01-15,TB001,1000,100,10,0\n`,
      /first day of a month/,
      { row: 2, column: 'period' },
    ],
    [
      'more breaches than attendances',
      `${header}\n2023-01-01,TB001,100,101,10,0\n`,
      /More attendances over 4 hours/,
      { row: 2 },
    ],
    ['a fractional count', `${header}\n2023-01-01,TB001,100.5,1,10,0\n`, /whole number/, { row: 2 }],
    ['no rows', `${header}\n`, /no rows/, null],
  ])('refuses a file with %s, saying where', async (_name, content, message, where) => {
    const error = await refusal(`${String(_name).replaceAll(' ', '-')}.csv`, content as string);
    const text = [error.message, ...error.problems.map((p) => p.message)].join(' ');
    expect(text).toMatch(message as RegExp);
    if (where) expect(error.problems[0]).toMatchObject(where as object);
  });

  it('refuses a file that is not UTF-8', async () => {
    const error = await refusal(
      'latin1.csv',
      Buffer.concat([Buffer.from(`${header}\n`), Buffer.from('2023-01-01,TB001,1\xe9,1,1,0\n', 'latin1')]),
    );
    expect(error.message).toContain('not UTF-8');
  });
});

describe('importing over HTTP', () => {
  let handle: DatabaseHandle;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    await buildTrust(handle.db, { odsCode: 'TU001', date: '2016-04-01' });
    server = createServer((request, response) => {
      if (request.url === '/beds.csv') {
        response.writeHead(200, { 'content-type': 'text/csv' });
        response.end(
          'period,org_code,general_acute_beds_available,general_acute_beds_occupied,adult_general_acute_beds_available,adult_general_acute_beds_occupied,paediatric_general_acute_beds_available,paediatric_general_acute_beds_occupied,adult_critical_care_beds_available,adult_critical_care_beds_occupied,paediatric_intensive_cared_beds_available,paediatric_intensive_cared_beds_occupied,neonatal_intensive_care_bed_available,neonatal_intensive_care_bed_occupied\n' +
            '2024-01-01,TU001,100,95,90,86,10,9,8,7,0,0,,\n',
        );
      } else {
        response.writeHead(404).end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await handle?.close();
  });

  it('fetches and imports a published file from a URL, recording where it came from', async () => {
    const fetched = await openUrlSource(`${base}/beds.csv`);
    const file = await openStatisticsFile(fetched.csv, 'beds');
    const summary = await importStatistics(handle, file, {
      fileName: fetched.csv.label,
      url: fetched.url,
      digest: fetched.digest,
      actor: systemActor,
    });
    expect(summary).toMatchObject({
      url: `${base}/beds.csv`,
      file: 'beds.csv',
      stored: { inserted: 10 },
      blankCells: { neonatal_intensive_care_bed_available: 1 },
    });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a URL the server does not have', async () => {
    await expect(openUrlSource(`${base}/missing.csv`)).rejects.toThrow(/answered 404/);
  });
});

const ae1619 = ['regions.csv', 'icbs.csv', 'trusts.csv', 'ods_successors.csv', 'ae_attendances.csv'];

describe.skipIf(!hasSharedData(...ae1619))("A&E 2016–19, quarantine, revisions and today's structure", () => {
  let handle: DatabaseHandle;
  let firstImport: Awaited<ReturnType<typeof importStatisticsFile>>;
  const today = '2025-12-31';

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    await importSharedOds(handle);
    firstImport = await importStatisticsFile(handle, 'ae', sharedDataPath('ae_attendances.csv'));
  });
  afterAll(async () => handle?.close());

  it('stores the rows of known trusts, follows successions for closed ones and quarantines the rest', () => {
    expect(firstImport.rowsRead).toBe(12765);
    expect(firstImport.viaSuccessors).toEqual([
      'R1J',
      'RA3',
      'RBA',
      'RC1',
      'RDD',
      'RE9',
      'RGQ',
      'RJF',
      'RLN',
      'RM2',
      'RNL',
      'RQ6',
      'RQ8',
      'RQQ',
      'RR1',
      'RW3',
      'RY1',
    ]);
    expect(firstImport.quarantine.codes).toHaveLength(104);
    expect(firstImport.stored.inserted + firstImport.quarantine.rows).toBe(firstImport.valuesRead);
  });

  it("rolls 2016–19 up to today's regions and ICBs through successors, with the unplaced share reported", async () => {
    // Independent computation from the raw files: follow ODS successions to trusts open today.
    const trusts = new Map<string, { icb: string; region: string; opened: string; closed: string }>();
    for (const raw of readFileSync(sharedDataPath('trusts.csv'), 'utf8').trim().split('\n').slice(1)) {
      const line = raw.trimEnd();
      const cells = line.split(',');
      trusts.set(cells[0] ?? '', {
        region: /,(Y\d\d|W00),/.exec(line)?.[1] ?? '',
        icb: /,(Q[A-Z0-9]{2}),/.exec(line)?.[1] ?? '',
        opened: cells[cells.length - 2] ?? '',
        closed: cells[cells.length - 1] ?? '',
      });
    }
    const successions = readCsvRows(sharedDataPath('ods_successors.csv'));
    const successorsOf = new Map<string, string[]>();
    const closedBySuccession = new Set<string>();
    for (const s of successions) {
      successorsOf.set(s.predecessor_code ?? '', [
        ...(successorsOf.get(s.predecessor_code ?? '') ?? []),
        s.successor_code ?? '',
      ]);
      // A succession closes a trust here only if it is dated after the trust opened.
      const trust = trusts.get(s.predecessor_code ?? '');
      if (trust && (s.effective_date ?? '') <= today && (s.effective_date ?? '') > trust.opened)
        closedBySuccession.add(s.predecessor_code ?? '');
    }
    const openToday = (code: string) => {
      const trust = trusts.get(code);
      return (
        !!trust &&
        trust.region !== 'W00' &&
        (trust.closed === '' || trust.closed >= today) &&
        !closedBySuccession.has(code)
      );
    };
    const representatives = (code: string): string[] => {
      if (openToday(code)) return [code];
      const found = new Set<string>();
      const seen = new Set([code]);
      const queue = [code];
      while (queue.length > 0) {
        for (const next of successorsOf.get(queue.shift() as string) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          if (openToday(next)) found.add(next);
          else queue.push(next);
        }
      }
      return [...found];
    };
    const quarantined = new Set(firstImport.quarantine.codes.map((c) => c.odsCode));
    const expected = new Map<string, number>();
    const unplaced = new Map<string, number>();
    for (const row of readCsvRows(sharedDataPath('ae_attendances.csv'))) {
      const code = row.org_code ?? '';
      if (quarantined.has(code)) continue;
      const attendances = Number(row.attendances);
      const reps = representatives(code);
      if (reps.length === 0) {
        unplaced.set(row.period ?? '', (unplaced.get(row.period ?? '') ?? 0) + attendances);
        continue;
      }
      const places = reps.map((r) => trusts.get(r));
      const add = (key: string) => expected.set(key, (expected.get(key) ?? 0) + attendances);
      add(`X24|${row.period}`);
      if (new Set(places.map((p) => p?.region)).size === 1) add(`${places[0]?.region}|${row.period}`);
      if (new Set(places.map((p) => p?.icb)).size === 1) add(`${places[0]?.icb}|${row.period}`);
    }

    const aggregates = [...new Set([...expected.keys()].map((key) => key.split('|')[0] ?? ''))];
    expect(aggregates.filter((a) => a.startsWith('Y'))).toHaveLength(7);
    for (const aggregate of aggregates) {
      const result = await rollupMetrics(handle.db, {
        metricCodes: ['ae_attendances'],
        aggregate: { kind: 'organisation', odsCode: aggregate },
        from: '2016-04-01',
        to: '2019-03-01',
        periodType: 'month',
        structure: { kind: 'as-now' },
        today,
      });
      for (const point of result.series[0]?.points ?? []) {
        expect(point.value, `${aggregate} ${point.period.start}`).toBe(
          expected.get(`${aggregate}|${point.period.start}`) ?? null,
        );
        if (aggregate === 'X24')
          expect(point.unplaced?.numerator ?? 0).toBe(unplaced.get(point.period.start) ?? 0);
      }
    }
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await countCurrentObservations(handle.db);
    const again = await importStatisticsFile(handle, 'ae', sharedDataPath('ae_attendances.csv'));
    expect(again).toMatchObject({
      changed: false,
      importRunId: null,
      loadPath: 'merge',
      stored: { inserted: 0, superseded: 0 },
    });
    expect(again.stored.unchanged).toBe(firstImport.stored.inserted);
    expect(await countCurrentObservations(handle.db)).toBe(before);
  });

  it('keeps a revised value as a new version, and reports from the new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-revision-'));
    const path = join(dir, 'ae_revised.csv');
    writeFileSync(
      path,
      'period,org_code,type,attendances,breaches,admissions\n2016-04-01,RJZ,1,99999,1000,5000\n',
    );
    const original = await listObservationVersions(handle.db, {
      odsCode: 'RJZ',
      itemCode: 'ae_attendances_type1',
      periodType: 'M',
      periodStart: '2016-04-01',
    });
    const revision = await importStatisticsFile(handle, 'ae', path);
    expect(revision.stored).toEqual({ inserted: 0, superseded: 3, unchanged: 0 });
    const versions = await listObservationVersions(handle.db, {
      odsCode: 'RJZ',
      itemCode: 'ae_attendances_type1',
      periodType: 'M',
      periodStart: '2016-04-01',
    });
    expect(versions.map((v) => [v.value, v.isCurrent])).toEqual([
      [99999, true],
      [original[0]?.value, false],
    ]);
    const result = await rollupMetrics(handle.db, {
      metricCodes: ['ae_attendances_type1'],
      aggregate: { kind: 'organisation', odsCode: 'RJZ' },
      from: '2016-04-01',
      to: '2016-04-01',
      periodType: 'month',
      structure: { kind: 'as-at-period' },
      today,
    });
    expect(result.series[0]?.points[0]?.value).toBe(99999);
    // Put the published value back so later checks see the published file.
    await importStatisticsFile(handle, 'ae', sharedDataPath('ae_attendances.csv'));
  });

  it('releases quarantined providers, after which England reproduces the published 4-hour figures', async () => {
    const held = await listQuarantine(handle.db);
    expect(held.length).toBe(104);
    const single = await handle.db.transaction().execute((trx) =>
      resolveQuarantinedCode(trx, testContext, {
        odsCode: held[0]?.odsCode ?? '',
        resolution: { kind: 'independent-provider', name: 'Test provider' },
        reason: 'Independent sector provider',
      }),
    );
    expect(single.rowsReleased).toBe(held[0]?.rows);
    const rest = await handle.db.transaction().execute((trx) =>
      resolveAllAsIndependentProviders(trx, testContext, {
        reason: 'Independent and other providers in the A&E file',
      }),
    );
    expect(rest.codes).toBe(103);
    expect(await listQuarantine(handle.db)).toEqual([]);

    const result = await englandRollup(handle, 'ae_4h_all', '2016-04-01', '2019-03-01', {
      kind: 'as-at-period',
    });
    const rows = readCsvRows(sharedDataPath('ae_attendances.csv'));
    for (const point of result.series[0]?.points ?? []) {
      const month = rows.filter((r) => r.period === point.period.start);
      const attendances = month.reduce((s, r) => s + Number(r.attendances), 0);
      const breaches = month.reduce((s, r) => s + Number(r.breaches), 0);
      expect(Math.abs((point.value ?? 0) - 100 * (1 - breaches / attendances))).toBeLessThan(1e-9);
    }
    const percent = (start: string) =>
      result.series[0]?.points.find((p) => p.period.start === start)?.value ?? 0;
    expect(percent('2016-04-01').toFixed(2)).toBe('90.04');
    expect(percent('2019-01-01').toFixed(2)).toBe('84.35');
  });

  it('gives England the same SPC over the roll-up as NHSRplotthedots over the file (fixture 04)', async () => {
    if (!hasSharedData('spc_fixtures/04_england_type1_4hr_performance_target95_expected.csv')) return;
    const spc = await getMetricSpc(handle.db, {
      metricCode: 'ae_4h_type1',
      aggregate: { kind: 'organisation', odsCode: 'X24' },
      from: '2016-04-01',
      to: '2019-03-01',
      periodType: 'month',
      structure: { kind: 'as-at-period' },
      today,
      settings: {},
    });
    const expected = readCsvRows(
      sharedDataPath('spc_fixtures/04_england_type1_4hr_performance_target95_expected.csv'),
    );
    if (spc.result.kind !== 'spc') throw new Error('no limits');
    expect(spc.result.points).toHaveLength(expected.length);
    spc.result.points.forEach((point, i) => {
      const row = expected[i];
      // The metric is a percentage; the package was given the proportion.
      expect(Math.abs(point.value - 100 * Number(row?.y))).toBeLessThan(1e-9);
      expect(Math.abs(point.mean - 100 * Number(row?.mean_col))).toBeLessThan(1e-9);
      expect(Math.abs(point.upl - 100 * Number(row?.upl))).toBeLessThan(1e-9);
      expect(point.specialCauseType).toBe(row?.special_cause_type);
      expect(point.pointType).toBe(row?.point_type);
    });
    expect(spc.target).toMatchObject({ value: 95 });
    expect(spc.result.summary).toMatchObject({ variation: 'common_cause', assurance: 'fail', points: 36 });
    expect(spc.sentence).toMatch(
      /^From April 2016 to March 2019 \(36 points\): the latest point shows common cause variation/,
    );
  });

  it('keeps the dashboard cache equal to the live roll-up through successions, absent types and releases', async () => {
    // The releases above opened 104 providers: the cache refreshes their cells, not everything.
    const refresh = await refreshRollupCache(handle.db);
    expect(refresh.full).toBe(false);
    expect(refresh.cells).toBeGreaterThan(0);
    // The 2016–19 by-type sums treat an absent type as zero; closed trusts count through successors.
    const metricCodes = ['ae_4h_all', 'ae_4h_type1', 'ae_attendances', 'ae_emergency_admissions'];
    for (const code of ['X24', 'Y55', 'Y61', 'QH8', 'RAJ'])
      await expectDashboardMatchesLive(handle, {
        code,
        from: '2016-04-01',
        to: '2019-03-01',
        today,
        metricCodes,
      });
  });

  it("reports England's 4-hour type-1 row in the board report with the package's icons", async () => {
    const report = await getPerformanceReport(handle.db, { odsCode: 'X24', until: '2019-03-31', today });
    const rows = report.sections.flatMap((s) => s.rows);
    const fourHour = rows.find((r) => r.metric.code === 'ae_4h_type1');
    // The last 24 months (April 2017 to March 2019) of the series fixture 04 covers.
    expect(fourHour).toMatchObject({
      label: 'March 2019',
      points: 24,
      assurance: 'fail',
      target: { value: 95 },
    });
    expect(report.month).toBe('2019-03-01');
    const total = Object.values(report.matrix).reduce(
      (sum, r) => sum + r.pass + r.inconsistent + r.fail + r.none,
      0,
    );
    expect(total).toBe(rows.length);
  });
});

const others = [
  'regions.csv',
  'icbs.csv',
  'trusts.csv',
  'ods_successors.csv',
  'rtt_trust_monthly_total_2019_2025.csv',
  'beds_trust_monthly_2022_2025.csv',
];

describe.skipIf(!hasSharedData(...others))('RTT and bed files', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    await importSharedOds(handle);
  });
  afterAll(async () => handle?.close());

  it('quarantines independent-sector RTT providers with their published names, then counts them in England', async () => {
    const summary = await importStatisticsFile(
      handle,
      'rtt',
      sharedDataPath('rtt_trust_monthly_total_2019_2025.csv'),
    );
    // 384 codes are not in the trust extract: 8 lead to trusts through ODS successions, 376 are held.
    expect(summary.viaSuccessors).toHaveLength(8);
    expect(summary.quarantine.codes.length).toBe(376);
    expect(summary.quarantine.codes.find((c) => c.odsCode === 'AAH')?.name).toBe(
      'TETBURY HOSPITAL TRUST LTD',
    );
    await handle.db.transaction().execute((trx) =>
      resolveAllAsIndependentProviders(trx, testContext, {
        reason: 'Independent sector providers in the RTT file',
      }),
    );
    const rows = readCsvRows(sharedDataPath('rtt_trust_monthly_total_2019_2025.csv'));
    const result = await englandRollup(handle, 'rtt_over_18w_all_parts', '2019-01-01', '2025-02-01', {
      kind: 'as-at-period',
    });
    for (const point of result.series[0]?.points ?? []) {
      const want = rows
        .filter((r) => r.period === point.period.start)
        .reduce((s, r) => s + Number(r.waits_over_18_weeks), 0);
      expect(point.value, point.period.start).toBe(want);
    }
  });

  it('computes bed occupancy as a ratio of summed beds, leaving out trusts with a blank', async () => {
    await importStatisticsFile(handle, 'beds', sharedDataPath('beds_trust_monthly_2022_2025.csv'));
    const rows = readCsvRows(sharedDataPath('beds_trust_monthly_2022_2025.csv'));
    const result = await englandRollup(handle, 'cc_adult_occupancy', '2022-04-01', '2025-08-01', {
      kind: 'as-at-period',
    });
    for (const point of result.series[0]?.points ?? []) {
      const complete = rows.filter(
        (r) =>
          r.period === point.period.start &&
          r.adult_critical_care_beds_available !== '' &&
          r.adult_critical_care_beds_occupied !== '',
      );
      const occupied = complete.reduce((s, r) => s + Number(r.adult_critical_care_beds_occupied), 0);
      const available = complete.reduce((s, r) => s + Number(r.adult_critical_care_beds_available), 0);
      expect(Math.abs((point.value ?? 0) - (100 * occupied) / available)).toBeLessThan(1e-9);
      expect(point.coverage.reported).toBe(complete.length);
    }
  });
});
