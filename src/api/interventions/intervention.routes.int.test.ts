import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantFunction, grantRole } from '../../services/identity.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { loadSegmentationExample } from '../../../test/oversight.js';
import { createTestDatabase } from '../../../test/test-database.js';

/** Interventions over the API: recorded from a signal, located errors, a function's record hidden, the chain. */

const today = '2025-08-15';

describe('interventions over the API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let t4 = '';
  const headers: Record<string, Record<string, string>> = {};
  const body = () => ({
    organisation: t4,
    kind: 'enforcement-undertakings',
    statutoryFunction: 'provider-licensing',
    title: 'Undertakings on urgent care governance',
    owner: 'Regional director',
    signal: { kind: 'spc-special-cause', metric: 'ae_4h_all', period: '2025-04-01' },
    openedOn: '2025-07-01',
    nextReview: '2025-10-01',
    exitCriteria: 'Governance review completed and 78% sustained',
  });

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    t4 = (await loadSegmentationExample(handle))[3] ?? '';
    app = await buildTestServer(handle, today);
    for (const [name, licensing] of [
      ['licensing', true],
      ['region', false],
    ] as const) {
      const account = await createUser(handle.db, systemActor, { email: `${name}@nhs.test`, name, password });
      await grantRole(
        handle.db,
        systemActor,
        { userId: account.id, role: 'regional-director', scopeCode: 'Y56' },
        today,
      );
      if (licensing)
        await grantFunction(
          handle.db,
          systemActor,
          {
            userId: account.id,
            statutoryFunction: 'provider-licensing',
          },
          today,
        );
      headers[name] = await signIn(app, `${name}@nhs.test`);
    }
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('refuses a bad body field by field, and an unsigned request', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/interventions',
      headers: headers.licensing,
      payload: {
        ...body(),
        openedOn: '2025-13-01',
        signal: { kind: 'spc-special-cause', metric: 'ae_4h_all' },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.problems.map((p: { field: string }) => p.field)
        .sort(),
    ).toEqual(['openedOn', 'signal.period']);
    const unsigned = await app.inject({ method: 'POST', url: '/api/interventions', payload: body() });
    expect(unsigned.statusCode).toBe(401);
  });

  it('records an intervention of a statutory function that only people with its grant can see', async () => {
    const recorded = await app.inject({
      method: 'POST',
      url: '/api/interventions',
      headers: headers.licensing,
      payload: body(),
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    const id = recorded.json().intervention.id as number;
    expect(recorded.json().intervention).toMatchObject({
      statutoryFunctionLabel: 'Provider licence enforcement (NHS Improvement)',
      signal: { kindLabel: 'SPC special cause' },
    });
    expect(
      (await app.inject({ url: `/api/interventions/${id}`, headers: headers.licensing })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: `/api/interventions/${id}`, headers: headers.region })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ url: `/api/interventions/${id}` })).statusCode).toBe(401);
    const list = await app.inject({ url: '/api/interventions?organisation=Y56', headers: headers.region });
    expect(list.json().interventions).toEqual([]);
    const chain = await app.inject({
      url: `/api/chain?organisation=${t4}&metric=ae_4h_all&period=2025-04-01`,
      headers: headers.licensing,
    });
    expect(chain.statusCode, chain.body).toBe(200);
    expect(chain.json().chain.interventions.map((i: { id: number }) => i.id)).toEqual([id]);
    const review = await app.inject({
      method: 'POST',
      url: `/api/interventions/${id}/reviews`,
      headers: headers.region,
      payload: { reviewedOn: '2025-08-01', outcome: 'x', nextReview: '2025-09-01' },
    });
    expect(review.statusCode).toBe(404);
  });
});
