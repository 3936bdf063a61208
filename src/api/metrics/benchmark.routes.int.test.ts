import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { createPeerGroup } from '../../services/peer-group.service.js';
import { buildTrust } from '../../../test/factories.js';
import { importStatisticsFile } from '../../../test/statistics.js';
import { createTestDatabase } from '../../../test/test-database.js';
import { buildServer } from '../server.js';

/**
 * Four acute trusts and one community trust, January 2024 (4-hour % = 1 − over 4 hours ÷ attendances):
 * TC001 90 (1,000), TC002 80 (2,000), TC003 95 (3,000), TC004 70 (4,000), TC005 community 60 (500).
 */
describe('benchmark API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const trusts = [
      ['TC001', 'acute', 'QKK', 1000, 100],
      ['TC002', 'acute', 'QKK', 2000, 400],
      ['TC003', 'acute', 'QWE', 3000, 150],
      ['TC004', 'acute', 'QWE', 4000, 1200],
      ['TC005', 'community', 'QWE', 500, 200],
    ] as const;
    for (const [code, sector, icb] of trusts)
      await buildTrust(handle.db, { odsCode: code, name: `Trust ${code}`, sector, parentCode: icb });
    const path = join(mkdtempSync(join(tmpdir(), 'oversight-api-benchmark-')), 'ae.csv');
    writeFileSync(
      path,
      'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours\n' +
        trusts
          .map(([code, , , total, over]) => `2024-01-01,${code},${total},${over},${total / 10},0\n`)
          .join(''),
    );
    await importStatisticsFile(handle, 'ae', path);
    await handle.db
      .transaction()
      .execute((trx) =>
        createPeerGroup(trx, systemActor, { code: 'pair', name: 'A pair', members: ['TC001', 'TC003'] }),
      );
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

  const get = (query: string) => app.inject({ url: `/api/metrics/ae_4h_all/benchmark?${query}` });

  it('benchmarks a trust among all trusts by default, for the latest month', async () => {
    const response = await get('org=tc002');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.metric.code).toBe('ae_4h_all');
    expect(body.organisation).toMatchObject({ odsCode: 'TC002', level: 'nhs-trust' });
    expect(body.label).toBe('January 2024');
    expect(body.value).toBeCloseTo(80, 10);
    // 60, 70, 80, 90, 95: quartiles 70, 80, 90; third of five, band ⌊4 × 2 ÷ 5⌋ + 1 = 2; 10 short of 90.
    expect(body.national).toMatchObject({ count: 5, lower: 70, upper: 90, rank: 3, band: 2 });
    expect(body.national.median).toBeCloseTo(80, 10);
    expect(body.national.distanceToBestQuartile).toBeCloseTo(10, 10);
    expect(body.peerGroup.kind).toBe('all');
    expect(body.peerGroup.peers).toHaveLength(5);
  });

  it('takes each peer grouping from the query', async () => {
    const sector = (await get('org=TC002&peers=sector&period=2024-01-15')).json();
    expect(sector.peerGroup.peers.map((p: { odsCode: string }) => p.odsCode)).toEqual([
      'TC003',
      'TC001',
      'TC002',
      'TC004',
    ]);
    const size = (await get('org=TC002&peers=size&sizeMetric=ae_attendances')).json();
    // Attendances sorted: 500, 1,000 | 2,000 | 3,000 | 4,000 (bands ⌊4p ÷ 5⌋ + 1): TC002 is alone in band 2.
    expect(size.peerGroup.sizeBand).toMatchObject({ band: 2, of: 4, from: 2000, to: 2000 });
    expect(size.peerGroup.peers).toHaveLength(1);
    const group = (await get('org=TC002&peers=group&group=pair')).json();
    expect(group.peerGroup.group).toEqual({ code: 'pair', name: 'A pair' });
    expect(group.peerGroup.position).toMatchObject({ count: 3, rank: 3 });
    const nearest = (
      await get('org=TC002&peers=nearest&attributes=ae_attendances,%20ae_emergency_admissions&k=2')
    ).json();
    expect(nearest.peerGroup.attributes.map((a: { code: string }) => a.code)).toEqual([
      'ae_attendances',
      'ae_emergency_admissions',
    ]);
    // TC001 (1,000) and TC003 (3,000) are equally near 2,000 on both; TC004 (4,000) is further.
    expect(nearest.peerGroup.peers.map((p: { odsCode: string }) => p.odsCode).sort()).toEqual([
      'TC001',
      'TC002',
      'TC003',
    ]);
  });

  it('compares an ICB with ICBs', async () => {
    const body = (await get('org=QKK')).json();
    expect(body.organisation.level).toBe('icb');
    // QKK: 1 − 500 ÷ 3,000 (83.3%); QWE: 1 − 1,550 ÷ 7,500 (79.3%).
    expect(body.national).toMatchObject({ count: 2, rank: 1, band: 1, distanceToBestQuartile: 0 });
  });

  it('answers bad requests with 400 naming the field at fault', async () => {
    const problemsOf = async (query: string) => {
      const response = await get(query);
      expect(response.statusCode, query).toBe(400);
      return response.json().error.problems as Array<{ field: string; message: string }>;
    };
    expect((await problemsOf('')).map((p) => p.field)).toContain('org');
    expect((await problemsOf('org=TC002&peers=size'))[0]?.field).toBe('sizeMetric');
    expect((await problemsOf('org=TC002&peers=group'))[0]?.field).toBe('group');
    expect((await problemsOf('org=TC002&peers=nearest'))[0]?.field).toBe('attributes');
    expect((await problemsOf('org=TC002&peers=nearest&attributes=ae_attendances&k=0'))[0]?.field).toBe('k');
    expect((await problemsOf('org=TC002&peers=nearest&attributes=Bad-Code'))[0]?.field).toMatch(
      /^attributes/,
    );
    expect((await problemsOf('org=TC002&peers=friends'))[0]?.field).toBe('peers');
    expect((await problemsOf('org=TC002&period=2024-02-30'))[0]?.field).toBe('period');
    // Refusals from the service name their field too.
    expect((await problemsOf('org=QKK&peers=sector'))[0]?.field).toBe('peers');
    expect((await problemsOf('org=TC002&peers=size&sizeMetric=no_such_metric'))[0]?.field).toBe('sizeMetric');
    expect((await problemsOf('org=X24'))[0]?.field).toBe('org');
  });

  it('answers 404 for an unknown organisation, metric or peer group', async () => {
    expect((await get('org=ZZZ99')).statusCode).toBe(404);
    expect((await get('org=TC002&peers=group&group=nobody')).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/metrics/no_such_metric/benchmark?org=TC002' })).statusCode).toBe(
      404,
    );
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(document.paths['/api/metrics/{code}/benchmark']).toBeDefined();
  });
});
