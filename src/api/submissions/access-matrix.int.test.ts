import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import type { Principal } from '../../domain/access.js';
import { addMonths } from '../../domain/period.js';
import { systemActor } from '../../domain/audit.js';
import { reparentOrganisation } from '../../services/hierarchy.service.js';
import { createMachineToken, createUser, grantFunction, grantRole } from '../../services/identity.service.js';
import { advanceSubmission, saveSubmission } from '../../services/submission.service.js';
import { activateTemplate, createTemplate } from '../../services/template.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { buildTrust, testContext } from '../../../test/factories.js';
import { createTestDatabase } from '../../../test/test-database.js';

/**
 * Every role × scope × function × action over the API, asserted cell by cell against a table written
 * out by hand (not computed by the policy under test).
 */

const today = '2025-01-15';

// Who: a role on a scope (ODS code, or England), optionally with statutory functions.
const people = {
  nationalDirector: { role: 'national-director', scope: undefined, functions: [] },
  nationalDirectorEprr: { role: 'national-director', scope: undefined, functions: ['eprr'] },
  nationalAnalyst: { role: 'national-analyst', scope: undefined, functions: [] },
  londonTeam: { role: 'regional-team', scope: 'Y56', functions: [] },
  southWestDirector: { role: 'regional-director', scope: 'Y58', functions: [] },
  southEastLondonIcb: { role: 'icb-lead', scope: 'QKK', functions: [] },
  northEastLondonIcb: { role: 'icb-lead', scope: 'QMF', functions: [] },
  devonIcb: { role: 'icb-lead', scope: 'QJK', functions: [] },
  alphaBoard: { role: 'trust-board-member', scope: 'TMA01', functions: [] },
  alphaSubmitter: { role: 'trust-data-submitter', scope: 'TMA01', functions: [] },
  alphaSubmitterEprr: { role: 'trust-data-submitter', scope: 'TMA01', functions: ['eprr'] },
} as const;
type Person = keyof typeof people;
type Caller = Person | 'public' | 'alphaToken';

// What: returns of four trusts. Alpha and Beta are in South East London (London region), Delta in
// Devon (South West); Mu moved from North East London to Devon on 1 January 2024.
const records = {
  alpha: { org: 'TMA01', template: 'ae-monthly', period: '2024-06-01', fn: null, publish: false },
  beta: { org: 'TMB01', template: 'ae-monthly', period: '2024-06-01', fn: null, publish: false },
  delta: { org: 'TMD01', template: 'ae-monthly', period: '2024-06-01', fn: null, publish: false },
  muBeforeMove: { org: 'TMM01', template: 'ae-monthly', period: '2023-06-01', fn: null, publish: false },
  muAfterMove: { org: 'TMM01', template: 'ae-monthly', period: '2024-06-01', fn: null, publish: false },
  alphaEprr: { org: 'TMA01', template: 'eprr-readiness', period: '2024-06-01', fn: 'eprr', publish: false },
  betaPublished: { org: 'TMB01', template: 'rtt-monthly', period: '2024-06-01', fn: null, publish: true },
} as const;
type RecordName = keyof typeof records;
const all = Object.keys(records) as RecordName[];

// The expected matrix. Reads: everyone sees published returns; unpublished ones within scope, as at
// the return's month; EPRR only with the grant.
const canRead: Record<Caller, RecordName[]> = {
  public: ['betaPublished'],
  alphaToken: ['betaPublished'],
  nationalDirector: ['alpha', 'beta', 'delta', 'muBeforeMove', 'muAfterMove', 'betaPublished'],
  nationalDirectorEprr: all,
  nationalAnalyst: ['alpha', 'beta', 'delta', 'muBeforeMove', 'muAfterMove', 'betaPublished'],
  londonTeam: ['alpha', 'beta', 'muBeforeMove', 'betaPublished'],
  southWestDirector: ['delta', 'muAfterMove', 'betaPublished'],
  southEastLondonIcb: ['alpha', 'beta', 'betaPublished'],
  northEastLondonIcb: ['muBeforeMove', 'betaPublished'],
  devonIcb: ['delta', 'muAfterMove', 'betaPublished'],
  alphaBoard: ['alpha', 'betaPublished'],
  alphaSubmitter: ['alpha', 'betaPublished'],
  alphaSubmitterEprr: ['alpha', 'alphaEprr', 'betaPublished'],
};
// Submitting: only a trust's data submitters (and its machine token, for its templates).
const canSubmit: Record<Caller, RecordName[]> = {
  public: [],
  alphaToken: ['alpha'],
  nationalDirector: [],
  nationalDirectorEprr: [],
  nationalAnalyst: [],
  londonTeam: [],
  southWestDirector: [],
  southEastLondonIcb: [],
  northEastLondonIcb: [],
  devonIcb: [],
  alphaBoard: [],
  alphaSubmitter: ['alpha'],
  alphaSubmitterEprr: ['alpha', 'alphaEprr'],
};
// Publishing: national directors and analysts.
const canPublish: Caller[] = ['nationalDirector', 'nationalDirectorEprr', 'nationalAnalyst'];

// Each template collects its own items (collect once), so each record carries its template's values.
const templateItems: Record<string, [string, string]> = {
  'ae-monthly': ['ae_attendances_all', 'ae_breaches_4h_all'],
  'eprr-readiness': ['ga_beds_available', 'ga_beds_occupied'],
  'rtt-monthly': ['rtt_over_18w_all_parts', 'rtt_over_52w_all_parts'],
};
const valuesFor = (template: string) => {
  const [first = '', second = ''] = templateItems[template] ?? [];
  return { [first]: 1000, [second]: 100 };
};

// Sets the returns up and moves them through their workflow (submitter, ICB and region everywhere).
const anyone: Principal = {
  kind: 'user',
  userId: 0,
  label: 'test set-up',
  isAdmin: false,
  grants: [
    { role: 'trust-data-submitter', scopeOrganisationId: null },
    { role: 'icb-lead', scopeOrganisationId: null },
    { role: 'regional-team', scopeOrganisationId: null },
  ],
  functions: ['eprr'],
};

async function acceptAsRegion(db: DatabaseHandle['db'], id: number): Promise<void> {
  await advanceSubmission(db, anyone, id, 'approve', null, null);
  await advanceSubmission(db, anyone, id, 'accept', null, null);
}

describe('access matrix: role × scope × function × action', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const headers: Record<Caller, Record<string, string>> = {} as never;
  const ids = {} as Record<RecordName, number>;

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    await buildTrust(db, { odsCode: 'TMA01', parentCode: 'QKK', date: '2020-04-01' });
    await buildTrust(db, { odsCode: 'TMB01', parentCode: 'QKK', date: '2020-04-01' });
    await buildTrust(db, { odsCode: 'TMD01', parentCode: 'QJK', date: '2020-04-01' });
    await buildTrust(db, { odsCode: 'TMM01', parentCode: 'QMF', date: '2020-04-01' });
    await reparentOrganisation(db, testContext, {
      odsCode: 'TMM01',
      parentCode: 'QJK',
      date: '2024-01-01',
      reason: 'Moves to Devon',
    });
    for (const [code, items] of Object.entries(templateItems)) {
      await createTemplate(
        db,
        systemActor,
        {
          code,
          name: code,
          periodType: 'month',
          organisationKinds: ['nhs-trust'],
          items,
          schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
        },
        today,
      );
      await activateTemplate(db, systemActor, code, '2020-04-01', today);
    }
    // Drafts (the organisation may keep changing them), except the one to publish: accepted by its region.
    for (const [name, r] of Object.entries(records) as Array<[RecordName, (typeof records)[RecordName]]>) {
      const saved = await saveSubmission(
        db,
        anyone,
        {
          template: r.template,
          odsCode: r.org,
          periodStart: r.period,
          statutoryFunction: r.fn,
          values: valuesFor(r.template),
          submit: r.publish,
        },
        null,
      );
      ids[name] = saved.id;
      if (r.publish) await acceptAsRegion(db, saved.id);
    }
    app = await buildTestServer(handle, today);
    for (const [name, spec] of Object.entries(people) as Array<[Person, (typeof people)[Person]]>) {
      const account = await createUser(db, systemActor, {
        email: `${name.toLowerCase()}@nhs.test`,
        name,
        password,
      });
      await grantRole(db, systemActor, { userId: account.id, role: spec.role, scopeCode: spec.scope }, today);
      for (const fn of spec.functions)
        await grantFunction(db, systemActor, { userId: account.id, statutoryFunction: fn }, today);
      headers[name] = await signIn(app, `${name.toLowerCase()}@nhs.test`);
    }
    headers.public = {};
    const token = await createMachineToken(db, systemActor, {
      name: 'Alpha PAS feed',
      odsCode: 'TMA01',
      templates: ['ae-monthly', 'eprr-readiness'],
    });
    headers.alphaToken = { authorization: `Bearer ${token.token}` };
    const admin = await createUser(db, systemActor, {
      email: 'admin@nhs.test',
      name: 'Admin',
      password,
      isAdmin: true,
    });
    expect(admin.isAdmin).toBe(true);
    // Publish the one published return through the API, as a national analyst.
    const published = await app.inject({
      method: 'POST',
      url: `/api/submissions/${ids.betaPublished}/publish`,
      headers: headers.nationalAnalyst,
    });
    expect(published.statusCode, published.body).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  const callers = [...(Object.keys(people) as Person[]), 'public', 'alphaToken'] as Caller[];

  it.each(callers)('reads: %s sees exactly the returns in its scope', async (caller) => {
    for (const name of all) {
      const response = await app.inject({ url: `/api/submissions/${ids[name]}`, headers: headers[caller] });
      const expected = canRead[caller].includes(name) ? 200 : caller === 'public' ? 401 : 404;
      expect(`${name}: ${response.statusCode}`, response.body).toBe(`${name}: ${expected}`);
    }
    const list = await app.inject({ url: '/api/submissions', headers: headers[caller] });
    expect(list.statusCode).toBe(200);
    const listed = (list.json().submissions as Array<{ id: number }>).map((s) => s.id).sort((a, b) => a - b);
    expect(listed).toEqual(canRead[caller].map((n) => ids[n]).sort((a, b) => a - b));
  });

  it.each(callers)('submits: %s may change exactly the returns it submits', async (caller) => {
    for (const name of all) {
      const r = records[name];
      const response = await app.inject({
        method: 'PUT',
        url: '/api/submissions',
        headers: headers[caller],
        payload: {
          template: r.template,
          organisation: r.org,
          periodStart: r.period,
          statutoryFunction: r.fn,
          values: valuesFor(r.template),
          submit: false,
        },
      });
      const expected = canSubmit[caller].includes(name) ? 200 : caller === 'public' ? 401 : 403;
      expect(`${name}: ${response.statusCode}`, response.body).toBe(`${name}: ${expected}`);
    }
  });

  it.each(callers)('publishes: %s may publish only as a national director or analyst', async (caller) => {
    // A fresh accepted return each time (its own month), so an allowed publication does not change the next cell.
    const fresh = await saveSubmission(
      handle.db,
      anyone,
      {
        template: 'ae-monthly',
        odsCode: 'TMB01',
        periodStart: addMonths('2021-01-01', callers.indexOf(caller)),
        values: { ae_attendances_all: 5, ae_breaches_4h_all: 1 },
        submit: true,
      },
      null,
    );
    await acceptAsRegion(handle.db, fresh.id);
    const response = await app.inject({
      method: 'POST',
      url: `/api/submissions/${fresh.id}/publish`,
      headers: headers[caller],
    });
    // Beta's reach: the month differs from beta's, but its organisation and region are the same.
    const visible = canRead[caller].includes('beta');
    const expected = canPublish.includes(caller) ? 200 : caller === 'public' ? 401 : visible ? 403 : 404;
    expect(response.statusCode, response.body).toBe(expected);
  });

  // The workflow: the ICB over the trust approves; its region (or a national director) accepts.
  const canApprove: Caller[] = ['southEastLondonIcb'];
  const canAccept: Caller[] = ['nationalDirector', 'nationalDirectorEprr', 'londonTeam'];
  it.each(callers)('approves and accepts: %s may take exactly its steps of the workflow', async (caller) => {
    const fresh = async (month: string) =>
      (
        await saveSubmission(
          handle.db,
          anyone,
          {
            template: 'ae-monthly',
            odsCode: 'TMA01',
            periodStart: month,
            values: valuesFor('ae-monthly'),
            submit: true,
          },
          null,
        )
      ).id;
    const index = callers.indexOf(caller);
    const expected = (allowed: Caller[]) =>
      allowed.includes(caller)
        ? 200
        : caller === 'public'
          ? 401
          : canRead[caller].includes('alpha')
            ? 403
            : 404;
    const submitted = await fresh(addMonths('2020-04-01', index));
    const approve = await app.inject({
      method: 'POST',
      url: `/api/submissions/${submitted}/approve`,
      headers: headers[caller],
    });
    expect(`approve: ${approve.statusCode}`, approve.body).toBe(`approve: ${expected(canApprove)}`);
    const approved = await fresh(addMonths('2022-03-01', index));
    await advanceSubmission(handle.db, anyone, approved, 'approve', null, null);
    const accept = await app.inject({
      method: 'POST',
      url: `/api/submissions/${approved}/accept`,
      headers: headers[caller],
    });
    expect(`accept: ${accept.statusCode}`, accept.body).toBe(`accept: ${expected(canAccept)}`);
  });

  it('slows password guessing: the eleventh attempt in a minute on one account is refused', async () => {
    const attempt = () =>
      app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email: 'nobody@nhs.test', password: 'wrong password!' },
      });
    for (let i = 0; i < 10; i += 1) expect((await attempt()).statusCode).toBe(401);
    const refused = await attempt();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too-many-requests');
    // Another account from the same address is not held up.
    const other = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'nationaldirector@nhs.test', password },
    });
    expect(other.statusCode).toBe(200);
  });

  it('refuses a change without the session CSRF token, and a published return cannot be changed', async () => {
    const { cookie } = headers.alphaSubmitter;
    const r = records.alpha;
    const payload = {
      template: r.template,
      organisation: r.org,
      periodStart: r.period,
      values: { ae_attendances_all: 1 },
    };
    const noToken = await app.inject({
      method: 'PUT',
      url: '/api/submissions',
      headers: { cookie: cookie ?? '' },
      payload,
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.message).toMatch(/CSRF/);
    const published = await app.inject({
      method: 'PUT',
      url: '/api/submissions',
      headers: headers.nationalDirector,
      payload: { ...payload, template: 'rtt-monthly', organisation: 'TMB01' },
    });
    expect(published.statusCode).toBe(403);
  });

  it('audits reads of restricted returns, viewable on the record and per user', async () => {
    const read = await app.inject({
      url: `/api/submissions/${ids.alpha}`,
      headers: headers.southEastLondonIcb,
    });
    expect(read.statusCode).toBe(200);
    const history = await app.inject({
      url: `/api/submissions/${ids.alpha}/history`,
      headers: headers.alphaBoard,
    });
    expect(history.statusCode).toBe(200);
    const events = history.json().events as Array<{
      action: string;
      actor: { label: string; requestId: string };
    }>;
    const icbRead = events.find(
      (e) => e.action === 'submission.read' && e.actor.label.includes('southEastLondonIcb'),
    );
    expect(icbRead?.actor.requestId).toBe(read.headers['x-request-id']);
    const otherHistory = await app.inject({
      url: `/api/submissions/${ids.delta}/history`,
      headers: headers.alphaBoard,
    });
    expect(otherHistory.statusCode).toBe(404);
    // Per user: your own activity; everyone's only for administrators.
    const me = (await app.inject({ url: '/api/session', headers: headers.southEastLondonIcb })).json()
      .account;
    const own = await app.inject({ url: `/api/audit?user=${me.id}`, headers: headers.southEastLondonIcb });
    expect(own.statusCode).toBe(200);
    expect((own.json().events as Array<{ action: string }>).map((e) => e.action)).toContain(
      'submission.read',
    );
    const others = await app.inject({ url: '/api/audit', headers: headers.southEastLondonIcb });
    expect(others.statusCode).toBe(403);
  });

  it('ends sessions on sign-out, on expiry and when an account is disabled; revoked tokens stop working', async () => {
    const db = handle.db;
    const signedIn = await signIn(app, 'devonicb@nhs.test');
    expect((await app.inject({ url: '/api/session', headers: signedIn })).json().account.email).toBe(
      'devonicb@nhs.test',
    );
    const out = await app.inject({ method: 'POST', url: '/api/session/sign-out', headers: signedIn });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/session', headers: signedIn })).json().account).toBeNull();

    const again = await signIn(app, 'devonicb@nhs.test');
    await sql`update user_session set expires_at = now() - interval '1 minute' where revoked_at is null and user_id = (select id from app_user where email = 'devonicb@nhs.test')`.execute(
      db,
    );
    expect((await app.inject({ url: '/api/session', headers: again })).json().account).toBeNull();

    const third = await signIn(app, 'devonicb@nhs.test');
    const admin = await signIn(app, 'admin@nhs.test');
    const me = (await app.inject({ url: '/api/session', headers: third })).json().account;
    const disabled = await app.inject({
      method: 'POST',
      url: `/api/users/${me.id}/disabled`,
      headers: admin,
      payload: { disabled: true },
    });
    expect(disabled.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/session', headers: third })).json().account).toBeNull();
    const refused = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'devonicb@nhs.test', password },
    });
    expect(refused.statusCode).toBe(401);

    const tokens = (await app.inject({ url: '/api/tokens', headers: admin })).json().tokens as Array<{
      id: number;
      lastUsedAt: string | null;
    }>;
    expect(tokens[0]?.lastUsedAt).not.toBeNull();
    const revoke = await app.inject({
      method: 'POST',
      url: `/api/tokens/${tokens[0]?.id}/revoke`,
      headers: admin,
    });
    expect(revoke.statusCode).toBe(200);
    const afterRevoke = await app.inject({ url: '/api/submissions', headers: headers.alphaToken });
    expect(afterRevoke.statusCode).toBe(401);
    // Only administrators manage access.
    expect((await app.inject({ url: '/api/users', headers: headers.nationalDirector })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/users' })).statusCode).toBe(401);
  });

  it('sends security headers, limits request size and never shows internals', async () => {
    const response = await app.inject({ url: '/api/session' });
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    const huge = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'x@nhs.test', password: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    const setUpAgain = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: 'intruder@nhs.test', name: 'Intruder', password },
    });
    expect(setUpAgain.statusCode).toBe(409);
    expect(setUpAgain.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('gives missing and hidden returns the same answer, keeps history from the public, and redacts returns from administrators without access', async () => {
    const missing = await app.inject({ url: '/api/submissions/999999', headers: headers.southEastLondonIcb });
    const hidden = await app.inject({
      url: `/api/submissions/${ids.delta}`,
      headers: headers.southEastLondonIcb,
    });
    expect(missing.statusCode).toBe(404);
    expect(hidden.statusCode).toBe(404);
    expect(missing.json().error.message.replace('999999', 'N')).toBe(
      hidden.json().error.message.replace(String(ids.delta), 'N'),
    );
    expect((await app.inject({ url: '/api/submissions/999999' })).statusCode).toBe(401);
    // Published: the public sees the values, but neither who changed it nor its history.
    const published = await app.inject({ url: `/api/submissions/${ids.betaPublished}` });
    expect(published.json()).toMatchObject({ published: true, status: 'accepted', updatedBy: null });
    expect((await app.inject({ url: `/api/submissions/${ids.betaPublished}/history` })).statusCode).toBe(401);
    // A history read of a restricted return is itself audited.
    await app.inject({ url: `/api/submissions/${ids.beta}/history`, headers: headers.londonTeam });
    const adminHeaders = await signIn(app, 'admin@nhs.test');
    const trail = await app.inject({
      url: '/api/audit?recordType=submission&limit=500',
      headers: adminHeaders,
    });
    const events = trail.json().events as Array<{ action: string; recordId: string; after: unknown }>;
    expect(
      events.some((e) => e.action === 'submission.history-read' && e.recordId === String(ids.beta)),
    ).toBe(true);
    // The administrator holds no role: every return's values are redacted for them.
    const created = events.find(
      (e) => e.action === 'submission.create' && e.recordId === String(ids.alphaEprr),
    );
    expect(created?.after).toEqual({ redacted: 'You do not have access to this return.' });
    // Unpublished returns only: published ones are open to everyone, administrators included.
    const unpublished = all.filter((n) => n !== 'betaPublished').map((n) => String(ids[n]));
    const itemNames = Object.values(templateItems).flat();
    const leaked = events.filter(
      (e) => unpublished.includes(e.recordId) && itemNames.some((item) => JSON.stringify(e).includes(item)),
    );
    expect(leaked).toEqual([]);
  });

  it('does not describe a hidden return to someone submitting over it', async () => {
    const r = records.alphaEprr;
    const response = await app.inject({
      method: 'PUT',
      url: '/api/submissions',
      headers: headers.alphaSubmitter,
      payload: {
        template: r.template,
        organisation: r.org,
        periodStart: r.period,
        values: valuesFor(r.template),
      },
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).not.toMatch(/Emergency preparedness|statutory function/i);
  });

  it('sets up the first account only from the machine the service runs on', async () => {
    const remote = await app.inject({
      method: 'POST',
      url: '/api/setup',
      remoteAddress: '10.1.2.3',
      payload: { email: 'first@nhs.test', name: 'First', password },
    });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().error.message).toContain('users create --admin');
  });
});
