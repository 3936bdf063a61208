import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { listAuditEventsAsOperator } from '../../services/audit.service.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { exampleMethodology, loadSegmentationExample } from '../../../test/oversight.js';
import { createTestDatabase } from '../../../test/test-database.js';

const today = '2025-08-15';

describe('oversight API: methodologies, segments, judgements and the system view', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let codes: string[] = [];
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    codes = await loadSegmentationExample(handle);
    app = await buildTestServer(handle, today);
    const people = {
      london: { role: 'regional-director', scope: 'Y56' },
      north: { role: 'regional-director', scope: 'Y63' },
      analyst: { role: 'national-analyst', scope: undefined },
      director: { role: 'national-director', scope: undefined },
    } as const;
    for (const [name, spec] of Object.entries(people)) {
      const account = await createUser(handle.db, systemActor, { email: `${name}@nhs.test`, name, password });
      await grantRole(
        handle.db,
        systemActor,
        { userId: account.id, role: spec.role, scopeCode: spec.scope },
        today,
      );
      headers[name] = await signIn(app, `${name}@nhs.test`);
    }
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('lists the methodologies and shows one version', async () => {
    const list = await app.inject({ url: '/api/oversight/methodologies' });
    expect(list.statusCode).toBe(200);
    expect(
      list.json().methodologies.map((m: { methodology: { code: string } }) => m.methodology.code),
    ).toEqual(expect.arrayContaining(['nof-2025-26', 'nof-2026-27', 'sof-2016', 'test-thresholds']));
    const one = await app.inject({ url: '/api/oversight/methodologies/nof-2026-27' });
    expect(one.json().methodology.segmentRule).toEqual({ kind: 'thresholds', cutPoints: [1.75, 2.5, 3.25] });
    expect((await app.inject({ url: '/api/oversight/methodologies/nof-1999' })).statusCode).toBe(404);
  });

  it('segments a quarter, with positions, drivers and changes', async () => {
    const response = await app.inject({
      url: '/api/oversight/segments?methodology=test-thresholds&period=2025-05-01',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.period).toMatchObject({ start: '2025-04-01', label: 'Q1 2025/26' });
    const t4 = body.rows.find((r: { odsCode: string }) => r.odsCode === codes[3]);
    expect(t4).toMatchObject({ averageScore: 3.13, segment: 3, leaguePosition: 4 });
    expect(t4.drivers[0]).toMatchObject({ metric: 'ae_4h_all', variation: 'concern_low' });
    expect(t4.change.significant).toBe(true);
  });

  it('refuses bad queries, naming the field', async () => {
    const level = await app.inject({ url: '/api/oversight/segments?level=ward' });
    expect(level.statusCode).toBe(400);
    expect(level.body).toContain('level');
    const notForIcbs = await app.inject({ url: '/api/oversight/segments?methodology=nof-2025-26&level=icb' });
    expect(notForIcbs.statusCode).toBe(400);
    expect(notForIcbs.json().error.message).toContain('not ICBs');
  });

  it('lets the regional director of the region record a judgement, and nobody else', async () => {
    const payload = {
      methodology: 'test-thresholds',
      period: '2025-04-01',
      org: codes[4],
      segment: 5,
      reason: 'Entered the Provider Improvement Programme.',
    };
    const post = (h: Record<string, string> | undefined) =>
      app.inject({ method: 'POST', url: '/api/oversight/judgements', payload, headers: h ?? {} });
    expect((await post(undefined)).statusCode).toBe(401);
    expect((await post(headers.north)).statusCode).toBe(403);
    expect((await post(headers.analyst)).statusCode).toBe(403);
    const noCsrf = await post({ cookie: headers.london?.cookie ?? '' });
    expect(noCsrf.statusCode).toBe(403);
    const done = await post(headers.london);
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().row).toMatchObject({
      segment: 5,
      computedSegment: 4,
      judgement: { recordedBy: expect.stringContaining('london@nhs.test') },
    });
    const notFour = await app.inject({
      method: 'POST',
      url: '/api/oversight/judgements',
      payload: { ...payload, org: codes[1] },
      headers: headers.london ?? {},
    });
    expect(notFour.statusCode).toBe(409);
    const [event] = await listAuditEventsAsOperator(handle.db, { recordType: 'segment-judgement', limit: 1 });
    expect(event).toMatchObject({
      action: 'segment.judgement',
      actor: { kind: 'user', label: expect.stringContaining('london@nhs.test') },
      after: { organisation: codes[4], segment: 5, reason: payload.reason },
    });
  });

  it('shows an ICB with its objectives and every member trust', async () => {
    const response = await app.inject({
      url: '/api/oversight/system?org=QKK&methodology=test-thresholds&period=2025-04-01',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.area).toMatchObject({ odsCode: 'QKK', kind: 'icb' });
    expect(body.own).toMatchObject({ odsCode: 'QKK', segment: 3 });
    expect(body.trusts.map((t: { odsCode: string }) => t.odsCode).sort()).toEqual(codes.slice(0, 5).sort());
    expect(body.objectives.map((o: { metric: string }) => o.metric)).toEqual(
      expect.arrayContaining(['ae_4h_all', 'fin_surplus_margin']),
    );
    const region = (
      await app.inject({ url: '/api/oversight/system?org=Y56&methodology=test-thresholds&period=2025-04-01' })
    ).json();
    const qkk = region.areas.find((a: { odsCode: string }) => a.odsCode === 'QKK');
    expect(qkk).toMatchObject({ trusts: 5, bySegment: { '1': 2, '3': 2, '5': 1 } });
  });

  it('hides a judgement’s reason and author from those who may not read the organisation', async () => {
    const url = `/api/oversight/segments?methodology=test-thresholds&period=2025-04-01&org=${codes[4]}`;
    const anonymous = (await app.inject({ url })).json();
    expect(anonymous.rows[0].judgement).toMatchObject({ segment: 5, reason: null, recordedBy: null });
    const north = (await app.inject({ url, headers: headers.north ?? {} })).json();
    expect(north.rows[0].judgement.reason).toBeNull();
    const london = (await app.inject({ url, headers: headers.london ?? {} })).json();
    expect(london.rows[0].judgement.reason).toBe('Entered the Provider Improvement Programme.');
    // Only this organisation's row, with its drivers.
    expect(london.rows).toHaveLength(1);
    expect(london.rows[0].drivers.length).toBeGreaterThan(0);
  });

  it('adds a methodology version for national directors only, validating it', async () => {
    const next = exampleMethodology({
      version: 2,
      segmentRule: { kind: 'thresholds', cutPoints: [1.5, 2.5, 3.5] },
    });
    const post = (h: Record<string, string> | undefined, payload: unknown) =>
      app.inject({
        method: 'POST',
        url: '/api/oversight/methodologies',
        payload: payload as object,
        headers: h ?? {},
      });
    expect((await post(undefined, next)).statusCode).toBe(401);
    expect((await post(headers.london, next)).statusCode).toBe(403);
    expect((await post(headers.analyst, next)).statusCode).toBe(403);
    const bad = await post(headers.director, { ...next, levels: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('levels');
    const added = await post(headers.director, next);
    expect(added.statusCode, added.body).toBe(201);
    const again = await post(headers.director, next);
    expect(again.statusCode).toBe(409);
    const result = (
      await app.inject({ url: '/api/oversight/segments?methodology=test-thresholds&period=2025-04-01' })
    ).json();
    expect(result.methodology.version).toBe(2);
  });
});
