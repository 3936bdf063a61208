import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { buildTrust } from '../../../test/factories.js';
import { createTestDatabase } from '../../../test/test-database.js';

/** Mutual aid over HTTP: located validation errors, the lifecycle, and who may see or change what. */

const today = '2026-02-10';

describe('mutual aid over the API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const headers: Record<string, Record<string, string>> = {};
  const body = {
    requester: 'TRA01',
    kind: 'diagnostics',
    detail: 'mri',
    unit: 'tests',
    quantity: 50,
    neededFrom: '2026-02-15',
    neededTo: '2026-03-31',
    urgency: 'routine',
    reason: 'Scanner replacement.',
  };

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    await buildTrust(handle.db, { odsCode: 'TRA01', parentCode: 'QKK', postcode: 'SE1 7EH' });
    await buildTrust(handle.db, { odsCode: 'TRA02', parentCode: 'QKK', postcode: 'BR6 8ND' });
    app = await buildTestServer(handle, today);
    for (const [name, role, scope] of [
      ['alpha', 'trust-board-member', 'TRA01'],
      ['beta', 'trust-board-member', 'TRA02'],
      ['northwest', 'regional-director', 'Y62'],
    ] as const) {
      const account = await createUser(handle.db, systemActor, {
        email: `${name}@nhs.test`,
        name: `Tester ${name.toUpperCase()}`,
        password,
      });
      await grantRole(handle.db, systemActor, { userId: account.id, role, scopeCode: scope }, today);
      headers[name] = await signIn(app, `${name}@nhs.test`);
    }
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('raises, proposes and agrees through the API, refusing what each caller may not do', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/mutual-aid/requests',
      headers: headers.alpha,
      payload: { ...body, unit: 'beds' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems).toEqual([expect.objectContaining({ field: 'unit' })]);
    const anonymous = await app.inject({ method: 'POST', url: '/api/mutual-aid/requests', payload: body });
    expect(anonymous.statusCode).toBe(401);

    const raised = await app.inject({
      method: 'POST',
      url: '/api/mutual-aid/requests',
      headers: headers.alpha,
      payload: body,
    });
    expect(raised.statusCode, raised.body).toBe(200);
    const id = raised.json().request.id as number;
    const candidates = await app.inject({
      url: `/api/mutual-aid/requests/${id}/candidates`,
      headers: headers.beta,
    });
    expect(candidates.statusCode, candidates.body).toBe(200);
    expect(candidates.json().matching.organisations[0].organisation.odsCode).toBe('TRA02');
    expect(candidates.json().proposable).toEqual(['TRA02']);
    expect(
      (await app.inject({ url: `/api/mutual-aid/requests/${id}`, headers: headers.northwest })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ url: '/api/mutual-aid/board?region=Y56', headers: headers.northwest })).statusCode,
    ).toBe(404);

    const proposed = await app.inject({
      method: 'POST',
      url: `/api/mutual-aid/requests/${id}/matches`,
      headers: headers.beta,
      payload: { provider: 'TRA02', quantity: 50 },
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const matchId = proposed.json().request.matches[0].id as number;
    const wrongSide = await app.inject({
      method: 'POST',
      url: `/api/mutual-aid/matches/${matchId}/agree`,
      headers: headers.beta,
      payload: { for: 'TRA01' },
    });
    expect(wrongSide.statusCode).toBe(403);
    for (const [who, side] of [
      ['alpha', 'TRA01'],
      ['beta', 'TRA02'],
    ] as const) {
      const agreed = await app.inject({
        method: 'POST',
        url: `/api/mutual-aid/matches/${matchId}/agree`,
        headers: headers[who],
        payload: { for: side },
      });
      expect(agreed.statusCode, agreed.body).toBe(200);
    }
    const board = await app.inject({ url: '/api/mutual-aid/board?region=Y56', headers: headers.beta });
    expect(board.json().requests[0]).toEqual(
      expect.objectContaining({ id, status: 'agreed', providers: [expect.stringContaining('TRA02')] }),
    );
    const withdrawn = await app.inject({
      method: 'POST',
      url: `/api/mutual-aid/requests/${id}/withdraw`,
      headers: headers.alpha,
      payload: {},
    });
    expect(withdrawn.statusCode).toBe(400);
    expect(withdrawn.json().error.problems[0].field).toBe('reason');
    const record = await app.inject({ url: '/api/organisations/TRA02/collaboration', headers: headers.beta });
    expect(record.json().record.totals.timesGiven).toBe(1);
  });
});
