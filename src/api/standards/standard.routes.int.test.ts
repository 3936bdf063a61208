import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { buildTrust } from '../../../test/factories.js';
import { createTestDatabase } from '../../../test/test-database.js';

/** Comply or explain over the API: a standard added and published, declarations with access, the register. */

const today = '2026-07-15';

describe('standards over the API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let trust = '';
  let otherTrust = '';
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    trust = await buildTrust(db, { parentCode: 'QKK', date: '2020-04-01' });
    otherTrust = await buildTrust(db, { parentCode: 'QKK', date: '2020-04-01' });
    app = await buildTestServer(handle, today);
    for (const [name, role, scope] of [
      ['board', 'trust-board-member', trust],
      ['otherboard', 'trust-board-member', otherTrust],
      ['icb', 'icb-lead', 'QKK'],
      ['director', 'national-director', null],
      ['analyst', 'national-analyst', null],
    ] as const) {
      const account = await createUser(db, systemActor, { email: `${name}@nhs.test`, name, password });
      await grantRole(db, systemActor, { userId: account.id, role, scopeCode: scope ?? undefined }, today);
      headers[name] = await signIn(app, `${name}@nhs.test`);
    }
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('adds and publishes a standard, takes declarations with located errors, and publishes them', async () => {
    const body = {
      code: 'well-led-2026',
      title: 'Well-led board self-assessment',
      owner: 'NHS England',
      organisationKinds: ['nhs-trust'],
      evidenceAsked: 'The self-assessment and the board minute approving it',
      effectiveFrom: '2026-04-01',
      declarationsDue: '2026-09-30',
    };
    const refused = await app.inject({
      method: 'POST',
      url: '/api/standards',
      headers: headers.board,
      payload: body,
    });
    expect(refused.statusCode).toBe(403);
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/standards',
      headers: headers.director,
      payload: { ...body, organisationKinds: [] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.problems[0].field).toBe('organisationKinds');
    const created = await app.inject({
      method: 'POST',
      url: '/api/standards',
      headers: headers.director,
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().standard).toMatchObject({ status: 'draft' });
    expect((await app.inject({ url: '/api/standards' })).json()).toEqual({ standards: [] });
    expect((await app.inject({ url: '/api/standards/well-led-2026' })).statusCode).toBe(404);
    const published = await app.inject({
      method: 'POST',
      url: '/api/standards/well-led-2026/publish',
      headers: headers.director,
    });
    expect(published.statusCode, published.body).toBe(200);

    const url = `/api/standards/well-led-2026/declarations/${trust}`;
    const anonymous = await app.inject({
      method: 'PUT',
      url,
      payload: { position: 'comply', evidence: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
    const other = await app.inject({
      method: 'PUT',
      url,
      headers: headers.otherboard,
      payload: { position: 'comply', evidence: 'x' },
    });
    expect(other.statusCode).toBe(403);
    const icb = await app.inject({
      method: 'PUT',
      url,
      headers: headers.icb,
      payload: { position: 'comply', evidence: 'x' },
    });
    expect(icb.statusCode).toBe(403);
    const incomplete = await app.inject({
      method: 'PUT',
      url,
      headers: headers.board,
      payload: { position: 'explain', explanation: 'Review delayed', plan: [] },
    });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.problems).toEqual([
      {
        field: 'plan',
        message: 'Add at least one action to the plan, with what will be done, who owns it and by when',
      },
    ]);
    expect((await app.inject({ url, headers: headers.board })).json()).toMatchObject({
      declaration: null,
      declared: false,
      state: 'open',
      mayDeclare: true,
    });

    const made = await app.inject({
      method: 'PUT',
      url,
      headers: headers.board,
      payload: {
        position: 'explain',
        explanation: 'External review delayed to the autumn',
        plan: [
          { description: 'Commission the external review', owner: 'Trust secretary', due: '2026-10-31' },
        ],
      },
    });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json().declaration).toMatchObject({ position: 'explain', version: 1 });

    // Another board member cannot see it before publication; the public sees that the board has declared.
    expect((await app.inject({ url, headers: headers.otherboard })).json()).toMatchObject({
      declaration: null,
      declared: true,
      mayDeclare: false,
    });
    const publicDetail = (await app.inject({ url: '/api/standards/well-led-2026' })).json();
    expect(publicDetail.adoption.england).toMatchObject({
      applicable: 2,
      declaredUnpublished: 1,
      notDeclared: 1,
      overdue: 0,
    });
    expect(publicDetail.declarations).toEqual([]);

    const notAllowed = await app.inject({
      method: 'POST',
      url: '/api/standards/well-led-2026/declarations/publish',
      headers: headers.board,
      payload: {},
    });
    expect(notAllowed.statusCode).toBe(403);
    const publish = await app.inject({
      method: 'POST',
      url: '/api/standards/well-led-2026/declarations/publish',
      headers: headers.analyst,
      payload: {},
    });
    expect(publish.statusCode, publish.body).toBe(200);
    expect(publish.json()).toEqual({ standard: 'well-led-2026', published: [trust] });
    const register = (await app.inject({ url: '/api/standards/register?standard=well-led-2026' })).json();
    expect(register.entries).toHaveLength(1);
    expect(register.entries[0]).toMatchObject({ odsCode: trust, position: 'explain', declaredBy: null });
    const overdue = await app.inject({ url: '/api/standards/overdue' });
    expect(overdue.json()).toEqual({ asAt: today, overdue: [] });

    const openapi = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(
      Object.keys(openapi.paths)
        .filter((p: string) => p.startsWith('/api/standards'))
        .sort(),
    ).toEqual([
      '/api/standards',
      '/api/standards/overdue',
      '/api/standards/register',
      '/api/standards/{code}',
      '/api/standards/{code}/declarations/publish',
      '/api/standards/{code}/declarations/{org}',
      '/api/standards/{code}/publish',
    ]);

    const inbox = await app.inject({ url: `/api/organisations/${trust}/inbox`, headers: headers.board });
    expect(inbox.statusCode, inbox.body).toBe(200);
    expect(inbox.json().items).toEqual([
      expect.objectContaining({
        kind: 'declaration',
        state: 'done',
        template: { code: 'well-led-2026', name: 'Well-led board self-assessment' },
      }),
    ]);
  });
});
