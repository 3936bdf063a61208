import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { buildTrust } from '../../../test/factories.js';
import { createTestDatabase } from '../../../test/test-database.js';

const today = '2025-08-15';
const body = (code: string, items: string[]) => ({
  code,
  name: `Template ${code}`,
  periodType: 'month',
  organisationKinds: ['nhs-trust'],
  items,
  schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
});

describe('collection templates over the API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let trust = '';
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    trust = await buildTrust(handle.db, { parentCode: 'QKK', date: '2016-04-01' });
    app = await buildTestServer(handle, today);
    const other = await buildTrust(handle.db, { parentCode: 'QKK', date: '2016-04-01' });
    for (const [name, role, scope] of [
      ['director', 'national-director', undefined],
      ['regional', 'regional-director', 'Y56'],
      ['submitter', 'trust-data-submitter', trust],
      ['other', 'trust-data-submitter', other],
    ] as const) {
      const account = await createUser(handle.db, systemActor, { email: `${name}@nhs.test`, name, password });
      await grantRole(handle.db, systemActor, { userId: account.id, role, scopeCode: scope }, today);
      headers[name] = await signIn(app, `${name}@nhs.test`);
    }
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  const post = (url: string, payload: object, who?: string) =>
    app.inject({ method: 'POST', url, payload, headers: who ? (headers[who] ?? {}) : {} });

  it('lets national directors add and activate templates, and refuses a second collection of an item', async () => {
    expect((await post('/api/templates', body('ae-monthly', ['ae_attendances_all']))).statusCode).toBe(401);
    expect(
      (await post('/api/templates', body('ae-monthly', ['ae_attendances_all']), 'regional')).statusCode,
    ).toBe(403);
    const bad = await post(
      '/api/templates',
      { ...body('ae-monthly', []), periodType: 'fortnight' },
      'director',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('periodType');
    expect(
      (
        await post(
          '/api/templates',
          body('ae-monthly', ['ae_attendances_all', 'ae_breaches_4h_all']),
          'director',
        )
      ).statusCode,
    ).toBe(201);
    const active = await post('/api/templates/ae-monthly/activate', { from: '2024-04-01' }, 'director');
    expect(active.statusCode, active.body).toBe(200);
    expect(active.json().template).toMatchObject({
      status: 'active',
      current: { label: 'July 2025', deadline: '2025-08-10' },
    });
    expect(
      (await post('/api/templates', body('winter', ['ae_attendances_all']), 'director')).statusCode,
    ).toBe(201);
    const refused = await post('/api/templates/winter/activate', { from: '2024-11-01' }, 'director');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.problems[0].message).toContain('by "Template ae-monthly" (ae-monthly)');
    const list = (await app.inject({ url: '/api/templates' })).json();
    expect(list.templates.map((t: { code: string; status: string }) => [t.code, t.status])).toEqual([
      ['ae-monthly', 'active'],
      ['winter', 'draft'],
    ]);
  });

  it('gives the lineage of every item and the burden on a trust', async () => {
    const lineage = (await app.inject({ url: '/api/data-items/lineage' })).json();
    const attendances = lineage.items.find((i: { item: string }) => i.item === 'ae_attendances_all');
    expect(attendances.templates).toEqual([
      { code: 'ae-monthly', name: 'Template ae-monthly', status: 'active' },
      { code: 'winter', name: 'Template winter', status: 'draft' },
    ]);
    expect(attendances.metrics).toContain('ae_4h_all');
    const burden = await app.inject({ url: `/api/organisations/${trust}/burden?year=2025-01-01` });
    expect(burden.statusCode, burden.body).toBe(200);
    // 2024/25: April 2024 to March 2025, 12 monthly returns of 2 items.
    expect(burden.json()).toMatchObject({
      year: { label: '2024/25' },
      returns: 12,
      items: 24,
      previousYear: { items: 0 },
    });
    expect((await app.inject({ url: '/api/organisations/ZZZ99/burden' })).statusCode).toBe(404);
  });

  it('gives each organisation one inbox: what is asked, when it is due, and where each return stands', async () => {
    const url = `/api/organisations/${trust}/inbox`;
    expect((await app.inject({ url })).statusCode).toBe(401);
    expect((await app.inject({ url, headers: headers.other ?? {} })).statusCode).toBe(404);
    const put = await app.inject({
      method: 'PUT',
      url: '/api/submissions',
      headers: headers.submitter ?? {},
      payload: {
        template: 'ae-monthly',
        organisation: trust,
        periodStart: '2025-06-01',
        values: { ae_attendances_all: 1000, ae_breaches_4h_all: 120 },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const inbox = await app.inject({ url, headers: headers.submitter ?? {} });
    expect(inbox.statusCode, inbox.body).toBe(200);
    // On 15 August 2025: July was due on the 10th and closes on the 20th; June is in; May closed without one.
    expect(
      inbox
        .json()
        .items.map((i: { label: string; state: string; returnStatus: string | null }) => [
          i.label,
          i.state,
          i.returnStatus,
        ]),
    ).toEqual([
      ['July 2025', 'overdue', null],
      ['May 2025', 'missed', null],
      ['June 2025', 'done', 'submitted'],
    ]);
    expect(inbox.json().outstanding).toBe(1);
    // The region sees it too.
    expect((await app.inject({ url, headers: headers.regional ?? {} })).statusCode).toBe(200);
  });

  it('lists who has and has not made a return, and who made it by the deadline, for those who may see', async () => {
    const url = '/api/templates/ae-monthly/coverage?period=2025-06-01';
    expect((await app.inject({ url })).statusCode).toBe(401);
    const director = await app.inject({ url, headers: headers.director ?? {} });
    expect(director.statusCode, director.body).toBe(200);
    // Two trusts asked; the one return was made after the 10 July deadline (it was made today).
    expect(director.json()).toMatchObject({
      period: { label: 'June 2025', deadline: '2025-07-10', closes: '2025-07-20' },
      summary: { asked: 2, submitted: 1, onTime: 0, missing: 1 },
      byRegion: [{ code: 'Y56', asked: 2, submitted: 1 }],
      byIcb: [{ code: 'QKK', asked: 2, submitted: 1 }],
    });
    expect(director.json().organisations.map((o: { status: string }) => o.status)).toEqual([
      'not-started',
      'submitted',
    ]);
    // A trust's submitter sees only its own organisation.
    const own = (await app.inject({ url, headers: headers.other ?? {} })).json();
    expect(own.summary).toMatchObject({ asked: 1, submitted: 0 });
    const draft = await app.inject({
      url: '/api/templates/winter/coverage',
      headers: headers.director ?? {},
    });
    expect(draft.statusCode).toBe(400);
    expect(draft.json().error.message).toContain('it is a draft');
  });
});
