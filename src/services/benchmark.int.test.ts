import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { systemActor } from '../domain/audit.js';
import { buildTrust } from '../../test/factories.js';
import { hasSharedData, sharedDataPath } from '../../test/shared-data.js';
import { importSharedOds, importStatisticsFile } from '../../test/statistics.js';
import { createTestDatabase } from '../../test/test-database.js';
import { getBenchmark } from './benchmark.service.js';
import { createPeerGroup } from './peer-group.service.js';
import { getLeagueTable } from './rollup.service.js';

/**
 * Seven trusts with A&E figures for January 2024 (4-hour performance = 1 − over 4 hours ÷ attendances):
 *
 *   code   sector         ICB  attendances  over 4h  4-hour %
 *   TB001  acute          QKK        1,000      100        90
 *   TB002  acute          QKK        2,000      400        80
 *   TB003  acute          QWE        3,000      150        95
 *   TB004  acute          QWE        4,000    1,200        70
 *   TB005  community      QWE          500      200        60
 *   TB006  community      QKK          600       90        85
 *   TB007  mental-health  QKK          100       25        75
 *   TB008  acute          QWE      (no figures)
 *
 * Sorted: 60, 70, 75, 80, 85, 90, 95. Quartiles (PERCENTILE.INC): lower 72.5, median 80, upper 87.5.
 */
const trusts = [
  { code: 'TB001', sector: 'acute', icb: 'QKK', attendances: 1000, over: 100 },
  { code: 'TB002', sector: 'acute', icb: 'QKK', attendances: 2000, over: 400 },
  { code: 'TB003', sector: 'acute', icb: 'QWE', attendances: 3000, over: 150 },
  { code: 'TB004', sector: 'acute', icb: 'QWE', attendances: 4000, over: 1200 },
  { code: 'TB005', sector: 'community', icb: 'QWE', attendances: 500, over: 200 },
  { code: 'TB006', sector: 'community', icb: 'QKK', attendances: 600, over: 90 },
  { code: 'TB007', sector: 'mental-health', icb: 'QKK', attendances: 100, over: 25 },
] as const;

describe('benchmarking a metric for an organisation and period', () => {
  let handle: DatabaseHandle;
  const today = '2024-06-01';

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    for (const t of trusts)
      await buildTrust(handle.db, {
        odsCode: t.code,
        name: `Trust ${t.code}`,
        sector: t.sector,
        parentCode: t.icb,
        date: '2016-04-01',
      });
    await buildTrust(handle.db, {
      odsCode: 'TB008',
      name: 'Trust TB008',
      parentCode: 'QWE',
      date: '2016-04-01',
    });
    await buildTrust(handle.db, {
      odsCode: 'TB009',
      name: 'Trust TB009',
      parentCode: 'QWE',
      date: '2024-06-01',
    });
    const path = join(mkdtempSync(join(tmpdir(), 'oversight-benchmark-')), 'ae.csv');
    writeFileSync(
      path,
      'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours\n' +
        trusts.map((t) => `2024-01-01,${t.code},${t.attendances},${t.over},10,0\n`).join('') +
        // An earlier month, so the default period is the latest one (January), not this.
        '2023-12-01,TB001,900,0,10,0\n',
    );
    await importStatisticsFile(handle, 'ae', path);
    await handle.db.transaction().execute((trx) =>
      createPeerGroup(trx, systemActor, {
        code: 'test-peers',
        name: 'Test peers',
        members: ['TB001', 'TB004', 'QKK'],
      }),
    );
  });
  afterAll(async () => handle?.close());

  const benchmark = (overrides: Partial<Parameters<typeof getBenchmark>[1]> = {}) =>
    getBenchmark(handle.db, {
      metricCode: 'ae_4h_all',
      odsCode: 'TB002',
      periodType: 'month',
      peers: { kind: 'all' },
      today,
      ...overrides,
    });

  it('places a trust among all trusts: value, quartiles, rank of N, band and distance to the top quarter', async () => {
    const result = await benchmark();
    expect(result.period.start).toBe('2024-01-01');
    expect(result.organisation).toMatchObject({ odsCode: 'TB002', level: 'nhs-trust', sector: 'acute' });
    expect(result.value).toBeCloseTo(80, 10);
    // England: 1 − 2,165 ÷ 11,200.
    expect(result.england).toBeCloseTo((1 - 2165 / 11200) * 100, 10);
    expect(result.national.count).toBe(7);
    expect(result.national.lower).toBeCloseTo(72.5, 10);
    expect(result.national.median).toBeCloseTo(80, 10);
    expect(result.national.upper).toBeCloseTo(87.5, 10);
    // 95, 90, 85, then 80: fourth of seven, band ⌊4 × 3 ÷ 7⌋ + 1 = 2; 7.5 points short of the upper quartile.
    expect(result.national).toMatchObject({ rank: 4, band: 2 });
    expect(result.national.distanceToBestQuartile).toBeCloseTo(7.5, 10);
    expect(result.peerGroup.kind).toBe('all');
    expect(result.peerGroup.peers.map((p) => [p.odsCode, p.rank])).toEqual([
      ['TB003', 1],
      ['TB001', 2],
      ['TB006', 3],
      ['TB002', 4],
      ['TB007', 5],
      ['TB004', 6],
      ['TB005', 7],
      ['TB008', null],
    ]);
    expect(result.peerGroup.peers.find((p) => p.subject)?.odsCode).toBe('TB002');
  });

  it('agrees with the league table it summarises', async () => {
    const league = await getLeagueTable(handle.db, {
      metricCode: 'ae_4h_all',
      period: '2024-01-01',
      level: 'nhs-trust',
      structure: { kind: 'as-at-period' },
      today,
      periodType: 'month',
    });
    const result = await benchmark({ odsCode: 'TB006', period: '2024-01-01' });
    const row = league.rows.find((r) => r.odsCode === 'TB006');
    expect(result.national).toMatchObject({ rank: row?.rank, band: row?.band, count: league.rows.length });
    expect(result.national.median).toBe(league.quartiles.median);
  });

  it('compares with the same sector: acute trusts only', async () => {
    const result = await benchmark({ peers: { kind: 'sector' } });
    expect(result.peerGroup.description).toBe('Acute NHS trusts');
    // 95, 90, 80, 70: lower 77.5, median 85, upper 91.25; third of four, band 3.
    expect(result.peerGroup.peers.map((p) => [p.odsCode, p.rank])).toEqual([
      ['TB003', 1],
      ['TB001', 2],
      ['TB002', 3],
      ['TB004', 4],
      ['TB008', null],
    ]);
    expect(result.peerGroup.position).toMatchObject({ count: 4, rank: 3, band: 3 });
    expect(result.peerGroup.position.lower).toBeCloseTo(77.5, 10);
    expect(result.peerGroup.position.median).toBeCloseTo(85, 10);
    expect(result.peerGroup.position.distanceToBestQuartile).toBeCloseTo(11.25, 10);
  });

  it('compares with trusts of the same size band', async () => {
    // Attendances sorted: 100, 500 | 600, 1,000 | 2,000, 3,000 | 4,000 (bands ⌊4p ÷ 7⌋ + 1).
    const result = await benchmark({ peers: { kind: 'size', metric: 'ae_attendances' } });
    expect(result.peerGroup.sizeBand).toMatchObject({ band: 3, of: 4, from: 2000, to: 3000 });
    expect(result.peerGroup.peers.map((p) => [p.odsCode, p.rank, p.size])).toEqual([
      ['TB003', 1, 3000],
      ['TB002', 2, 2000],
    ]);
    // Two values, 80 and 95: upper quartile 91.25.
    expect(result.peerGroup.position).toMatchObject({ count: 2, rank: 2, band: 3 });
    expect(result.peerGroup.position.distanceToBestQuartile).toBeCloseTo(11.25, 10);
  });

  it('compares with a user-defined group, saying who was left out and that the trust is not a member', async () => {
    const result = await benchmark({ peers: { kind: 'group', code: 'test-peers' } });
    expect(result.peerGroup.group).toEqual({ code: 'test-peers', name: 'Test peers' });
    expect(result.peerGroup.peers.map((p) => [p.odsCode, p.rank])).toEqual([
      ['TB001', 1],
      ['TB002', 2],
      ['TB004', 3],
    ]);
    expect(result.peerGroup.position).toMatchObject({ count: 3, rank: 2, band: 2, median: 80 });
    expect(result.peerGroup.position.distanceToBestQuartile).toBeCloseTo(5, 10);
    expect(result.notes).toEqual([
      expect.stringContaining('Left out of Test peers: QKK'),
      'Trust TB002 is not a member of Test peers; it is compared with the members.',
    ]);
  });

  it('finds nearest neighbours on chosen metrics, ignoring one with no spread', async () => {
    const result = await benchmark({
      peers: { kind: 'nearest', attributes: ['ae_attendances', 'ae_emergency_admissions'], k: 2 },
    });
    // Emergency admissions are 10 everywhere, so only attendances count. TB001 (1,000) and TB003 (3,000)
    // are equally near 2,000; TB004 (4,000) is next.
    const others = [1000, 3000, 4000, 500, 600, 100];
    const mean = others.reduce((a, b) => a + b, 0) / others.length;
    const sd = Math.sqrt(others.reduce((a, b) => a + (b - mean) ** 2, 0) / others.length);
    expect(result.peerGroup.peers.map((p) => p.odsCode)).toEqual(['TB003', 'TB001', 'TB002']);
    expect(result.peerGroup.peers.find((p) => p.odsCode === 'TB001')?.distance).toBeCloseTo(1000 / sd, 10);
    expect(result.peerGroup.attributes.map((a) => a.code)).toEqual([
      'ae_attendances',
      'ae_emergency_admissions',
    ]);
    expect(result.notes.join(' ')).toContain('not used to measure nearness');
    expect(result.peerGroup.position).toMatchObject({ count: 3, rank: 3 });
  });

  it('compares ICBs with ICBs', async () => {
    const result = await benchmark({ odsCode: 'QKK' });
    expect(result.organisation.level).toBe('icb');
    // QKK: 1 − 615 ÷ 3,700; QWE: 1 − 1,550 ÷ 7,500.
    expect(result.value).toBeCloseTo((1 - 615 / 3700) * 100, 10);
    expect(result.national).toMatchObject({ count: 2, rank: 1, band: 1, distanceToBestQuartile: 0 });
    expect(result.peerGroup.peers.filter((p) => p.value !== null).map((p) => p.odsCode)).toEqual([
      'QKK',
      'QWE',
    ]);
    expect(result.peerGroup.peers.every((p) => p.odsCode.startsWith('Q'))).toBe(true);
    const nearest = await benchmark({
      odsCode: 'QKK',
      peers: { kind: 'nearest', attributes: ['ae_attendances'], k: 1 },
    });
    expect(nearest.peerGroup.peers.map((p) => p.odsCode)).toEqual(['QKK', 'QWE']);
  });

  it('says when the organisation was not open in the period', async () => {
    const result = await benchmark({ odsCode: 'TB009', period: '2024-01-01' });
    expect(result.value).toBeNull();
    expect(result.national).toMatchObject({ count: 7, rank: null });
    expect(result.notes[0]).toContain('was not open in January 2024');
  });

  it('refuses what cannot be compared, naming the field', async () => {
    const refusal = async (promise: Promise<unknown>) => {
      const error: unknown = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      return error as { code?: string; problems?: Array<{ field?: string }> };
    };
    expect(await refusal(benchmark({ odsCode: 'X24' }))).toMatchObject({
      code: 'invalid-input',
      problems: [{ field: 'org' }],
    });
    expect(await refusal(benchmark({ odsCode: 'QKK', peers: { kind: 'sector' } }))).toMatchObject({
      code: 'invalid-input',
      problems: [{ field: 'peers' }],
    });
    expect(await refusal(benchmark({ peers: { kind: 'size', metric: 'no_such_metric' } }))).toMatchObject({
      code: 'invalid-input',
      problems: [{ field: 'sizeMetric' }],
    });
    expect(
      await refusal(benchmark({ odsCode: 'TB008', peers: { kind: 'size', metric: 'ae_attendances' } })),
    ).toMatchObject({
      code: 'invalid-input',
      problems: [{ field: 'sizeMetric' }],
    });
    expect(
      await refusal(
        benchmark({ odsCode: 'TB008', peers: { kind: 'nearest', attributes: ['ae_attendances'], k: 3 } }),
      ),
    ).toMatchObject({ code: 'invalid-input', problems: [{ field: 'attributes' }] });
    expect(
      await refusal(benchmark({ peers: { kind: 'nearest', attributes: ['ae_attendances'], k: 0 } })),
    ).toMatchObject({
      code: 'invalid-input',
      problems: [{ field: 'k' }],
    });
    expect(await refusal(benchmark({ peers: { kind: 'group', code: 'nobody' } }))).toMatchObject({
      code: 'not-found',
    });
    expect(await refusal(benchmark({ odsCode: 'ZZZ99' }))).toMatchObject({ code: 'not-found' });
    expect(await refusal(benchmark({ metricCode: 'no_such_metric' }))).toMatchObject({ code: 'not-found' });
  });
});

const realFiles = [
  'regions.csv',
  'icbs.csv',
  'trusts.csv',
  'ods_successors.csv',
  'ae_trust_monthly_2021_2025.csv',
];

describe.skipIf(!hasSharedData(...realFiles))('benchmarking on the published A&E figures', () => {
  let handle: DatabaseHandle;
  const month = '2024-01-01';
  /** 4-hour % straight from the published file, for the month. */
  const published = new Map<string, number>();

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    await importSharedOds(handle);
    await importStatisticsFile(handle, 'ae', sharedDataPath('ae_trust_monthly_2021_2025.csv'));
    const lines = readFileSync(sharedDataPath('ae_trust_monthly_2021_2025.csv'), 'utf8')
      .trim()
      .split(/\r?\n/);
    for (const line of lines.slice(1)) {
      const [period, code, total, over] = line.split(',').map((c) => c.replaceAll('"', ''));
      // No attendances (specialist trusts with admissions only) is no value, not 100%.
      if (period === month && code && total && over && Number(total) > 0)
        published.set(code, 100 * (1 - Number(over) / Number(total)));
    }
  });
  afterAll(async () => handle?.close());

  it("places King's College Hospital (RJZ) among all trusts and among acute trusts, as the published figures do", async () => {
    const result = await getBenchmark(handle.db, {
      metricCode: 'ae_4h_all',
      odsCode: 'RJZ',
      period: month,
      periodType: 'month',
      peers: { kind: 'sector' },
      today: '2025-12-31',
    });
    expect(result.value).toBeCloseTo(published.get('RJZ') ?? Number.NaN, 9);
    // Rank among all trusts: one more than the trusts with a better published figure.
    const own = published.get('RJZ') ?? 0;
    const better = [...published.values()].filter((v) => v > own + 1e-9).length;
    expect(result.national.rank).toBe(better + 1);
    expect(result.national.count).toBe(published.size);
    // Sector peers are acute trusts only, each with its published figure.
    expect(result.peerGroup.description).toBe('Acute NHS trusts');
    const valued = result.peerGroup.peers.filter((p) => p.value !== null);
    expect(valued.length).toBeGreaterThan(50);
    expect(valued.length).toBeLessThan(result.national.count);
    for (const peer of valued) expect(peer.value).toBeCloseTo(published.get(peer.odsCode) ?? Number.NaN, 9);
    const nearest = await getBenchmark(handle.db, {
      metricCode: 'ae_4h_all',
      odsCode: 'QKK',
      period: month,
      periodType: 'month',
      peers: { kind: 'nearest', attributes: ['ae_attendances', 'ae_emergency_admissions'], k: 5 },
      today: '2025-12-31',
    });
    expect(nearest.organisation.level).toBe('icb');
    expect(nearest.national.count).toBe(42);
    expect(nearest.peerGroup.peers).toHaveLength(6);
  });
});
