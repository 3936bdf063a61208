import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { insertDatasetMarker } from '../../db/dataset-marker.repository.js';
import { mergeOrganisations } from '../../services/hierarchy.service.js';
import { demoMarkerKey } from '../../services/dataset.service.js';
import { buildTrust, testContext } from '../../../test/factories.js';
import { createTestDatabase } from '../../../test/test-database.js';
import { buildServer } from '../server.js';

describe('organisation and hierarchy API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let merged: { a: string; b: string; c: string };

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const a = await buildTrust(handle.db, { parentCode: 'QJK', name: 'Exe Valley Hospitals NHS Trust' });
    const b = await buildTrust(handle.db, { parentCode: 'QJK' });
    const c = 'TM999';
    await mergeOrganisations(handle.db, testContext, {
      predecessorCodes: [a, b],
      successor: {
        odsCode: c,
        name: 'Merged Devon NHS Trust',
        kind: 'nhs-trust',
        sector: 'acute',
        parentCode: 'QJK',
      },
      date: '2021-04-01',
      reason: 'Merger',
    });
    merged = { a, b, c };
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

  it('returns the tree as at a date, five regions before 1 April 2019 and seven from it', async () => {
    const before = await app.inject({ url: '/api/hierarchy/tree?asAt=2019-03-31&depth=1' });
    expect(before.statusCode).toBe(200);
    const regions = before.json().root.children.map((c: { odsCode: string }) => c.odsCode);
    expect(regions.sort()).toEqual(['Y54', 'Y55', 'Y56', 'Y58', 'Y59']);
    expect(before.json().counts.region).toBe(5);
    const after = await app.inject({ url: '/api/hierarchy/tree?asAt=2019-04-01' });
    expect(after.json().counts).toMatchObject({ region: 7, stp: 42 });
    expect(after.json().meta).toEqual({ demoData: false, notice: null });
  });

  it("maps the date's organisations onto today's tree (as now)", async () => {
    const response = await app.inject({
      url: '/api/hierarchy/tree?asAt=2020-01-01&structure=as-now&root=QJK',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const successor = body.root.children.find((c: { odsCode: string }) => c.odsCode === merged.c);
    expect(successor.formerly.map((o: { odsCode: string }) => o.odsCode).sort()).toEqual(
      [merged.a, merged.b].sort(),
    );
  });

  it('searches by code or any name, as at a date', async () => {
    const byName = await app.inject({ url: '/api/organisations?q=devon&kind=icb' });
    expect(byName.json().organisations.map((o: { odsCode: string }) => o.odsCode)).toContain('QJK');
    const byCode = await app.inject({
      url: `/api/organisations?q=${merged.a.toLowerCase()}&asAt=2020-01-01`,
    });
    expect(byCode.json().organisations[0]).toMatchObject({
      odsCode: merged.a,
      name: 'Exe Valley Hospitals NHS Trust',
      parentCode: 'QJK',
    });
    const closed = await app.inject({ url: `/api/organisations?q=${merged.a}&asAt=2022-01-01` });
    expect(closed.json().total).toBe(0);
  });

  it("gives an organisation's profile and history", async () => {
    const response = await app.inject({ url: '/api/organisations/qjk?asAt=2020-01-01' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.organisation).toMatchObject({ odsCode: 'QJK', kind: 'stp', parentCode: 'Y58' });
    expect(body.versions.map((v: { kind: string }) => v.kind)).toEqual(['stp', 'icb']);
    expect(body.children.map((c: { odsCode: string }) => c.odsCode)).toEqual(
      expect.arrayContaining([merged.a, merged.b]),
    );
  });

  it('gives the path as at a date, and as now through successors', async () => {
    const asAt = await app.inject({ url: '/api/organisations/QE1/path?asAt=2019-03-31' });
    expect(asAt.json().path.map((o: { odsCode: string }) => o.odsCode)).toEqual(['X24', 'Y54', 'QE1']);
    const asNow = await app.inject({ url: '/api/organisations/Y54/path?structure=as-now' });
    expect(asNow.json().asNow).toMatchObject({ status: 'split', currentCodes: ['Y62', 'Y63'] });
    const succession = await app.inject({ url: `/api/organisations/${merged.b}/successors` });
    expect(succession.json().asNow.current[0].path.map((o: { odsCode: string }) => o.odsCode)).toEqual([
      'X24',
      'Y58',
      'QJK',
      merged.c,
    ]);
  });

  it('lists events, for one organisation and for the whole hierarchy', async () => {
    const own = await app.inject({ url: `/api/organisations/${merged.c}/events` });
    expect(own.json().events.map((e: { type: string }) => e.type)).toEqual(['merge']);
    const restructure = await app.inject({
      url: '/api/hierarchy/events?from=2019-04-01&to=2019-04-01&type=split',
    });
    expect(
      restructure
        .json()
        .events.map((e: { details: { predecessor: string } }) => e.details.predecessor)
        .sort(),
    ).toEqual(['Y54', 'Y55']);
  });

  it('answers bad input with a 4xx naming the field, and unknown codes with 404', async () => {
    const badDate = await app.inject({ url: '/api/hierarchy/tree?asAt=2019-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.problems[0].message).toContain('asAt');
    const unknown = await app.inject({ url: '/api/organisations/ZZZ99' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('ZZZ99'),
    });
    const notOpen = await app.inject({ url: `/api/organisations/${merged.a}/path?asAt=2023-01-01` });
    expect(notOpen.statusCode).toBe(400);
    const route = await app.inject({ url: '/api/no-such-thing' });
    expect(route.statusCode).toBe(404);
  });

  it('publishes OpenAPI 3 generated from the schemas', async () => {
    const response = await app.inject({ url: '/api/openapi.json' });
    const spec = response.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/organisations',
        '/api/organisations/{code}',
        '/api/organisations/{code}/path',
        '/api/hierarchy/tree',
        '/api/hierarchy/events',
      ]),
    );
  });

  it('says so in every response once the database holds the demo dataset', async () => {
    await insertDatasetMarker(handle.db, demoMarkerKey, { seed: 1 });
    const response = await app.inject({ url: '/api/organisations?q=QJK' });
    expect(response.headers['x-oversight-demo-data']).toBe('true');
    expect(response.json().meta.demoData).toBe(true);
    expect(response.json().meta.notice).toContain('generated');
  });
});
