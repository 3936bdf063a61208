import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { listAidForInterventions } from '../db/mutual-aid.repository.js';
import type { Principal } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { buildTrust } from '../../test/factories.js';
import { createTestDatabase, testEngine } from '../../test/test-database.js';
import { createUser, grantRole, principalForEmail } from './identity.service.js';
import {
  agreeAidMatch,
  completeAid,
  getAidBoard,
  getAidMatching,
  getAidOffer,
  getAidRequest,
  getCollaborationRecord,
  makeAidOffer,
  proposeAidMatch,
  raiseAidRequest,
  recordAidDelivery,
  startAid,
  withdrawAid,
  withdrawAidMatch,
  type AidCaller,
} from './mutual-aid.service.js';

/**
 * Mutual aid on a real database: South East London (QKK) trusts, one in South West London (QWE, the same
 * London region) and two in Greater Manchester (QOP, North West). Occupancy figures go straight into the
 * roll-up cache (the figure matching reads), one trust at 97% so that it is not asked to give.
 */

const today = '2026-02-10';
const password = 'correct horse battery staple';
const codes = {
  a: 'TMA01',
  b: 'TMA02',
  pressed: 'TMA03',
  mental: 'TMA04',
  noPostcode: 'TMA05',
  c: 'TMA06',
  e: 'TMA07',
  d: 'TMA08',
  f: 'TMA09',
} as const;

const expectError = async (work: Promise<unknown>, code: string, text?: string) => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (text)
    expect(JSON.stringify({ m: (error as AppError).message, p: (error as AppError).problems })).toContain(
      text,
    );
  return error as AppError;
};

describe('mutual aid', () => {
  let handle: DatabaseHandle;
  const people: Record<string, AidCaller> = {};
  const beds = (requester: string, quantity: number) => ({
    requester,
    kind: 'beds',
    detail: 'adult-critical-care',
    unit: 'beds',
    quantity,
    neededFrom: '2026-02-12',
    neededTo: '2026-03-12',
    urgency: 'critical',
    reason: 'Critical care surge: norovirus closures.',
  });
  const offer = (provider: string, quantity: number) => ({
    provider,
    kind: 'beds',
    detail: 'adult-critical-care',
    unit: 'beds',
    quantity,
    availableFrom: '2026-02-01',
    availableTo: '2026-04-30',
  });

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    const trusts: Array<[string, string, string | null, 'acute' | 'mental-health', number | null]> = [
      [codes.a, 'QKK', 'SE1 7EH', 'acute', 93],
      [codes.b, 'QKK', 'BR6 8ND', 'acute', 85],
      [codes.pressed, 'QKK', 'SE13 6LH', 'acute', 97],
      [codes.mental, 'QKK', 'SE5 8AZ', 'mental-health', null],
      [codes.noPostcode, 'QKK', null, 'acute', 80],
      [codes.c, 'QWE', 'SW17 0QT', 'acute', 88],
      [codes.e, 'QWE', 'KT2 7QB', 'acute', 90],
      [codes.d, 'QOP', 'M13 9WL', 'acute', 80],
      [codes.f, 'QOP', 'BL4 0JR', 'acute', 82],
    ];
    for (const [odsCode, parentCode, postcode, sector] of trusts)
      await buildTrust(db, {
        odsCode,
        parentCode,
        postcode,
        sector,
        name: `Trust ${odsCode}`,
        date: '2020-04-01',
      });
    const metric = await db
      .selectFrom('metric')
      .select('id')
      .where('code', '=', 'ga_occupancy')
      .executeTakeFirstOrThrow();
    const ids = await db.selectFrom('organisation').select(['id', 'ods_code']).execute();
    for (const [odsCode, , , , occupancy] of trusts) {
      if (occupancy === null) continue;
      const id = ids.find((o) => o.ods_code === odsCode)?.id ?? 0;
      await db
        .insertInto('metric_rollup')
        .values([
          // An older month says otherwise: matching reads the latest.
          {
            aggregate_id: id,
            metric_id: metric.id,
            period_start: '2025-11-01',
            numerator: 50,
            denominator: 100,
            reported: 1,
            partial: 0,
          },
          {
            aggregate_id: id,
            metric_id: metric.id,
            period_start: '2026-01-01',
            numerator: occupancy * 10,
            denominator: 1000,
            reported: 1,
            partial: 0,
          },
        ])
        .execute();
    }
    const accounts: Array<[string, string, string]> = [
      ['boardA', 'trust-board-member', codes.a],
      ['boardB', 'trust-board-member', codes.b],
      ['boardC', 'trust-board-member', codes.c],
      ['boardD', 'trust-board-member', codes.d],
      ['london', 'regional-team', 'Y56'],
      ['northWest', 'regional-team', 'Y62'],
      ['icbLead', 'icb-lead', 'QKK'],
      ['submitter', 'trust-data-submitter', codes.a],
    ];
    for (const [name, role, scopeCode] of accounts) {
      const account = await createUser(db, systemActor, { email: `${name}@nhs.test`, name, password });
      await grantRole(db, systemActor, { userId: account.id, role, scopeCode }, today);
      const principal = await principalForEmail(db, `${name}@nhs.test`);
      people[name] = { principal, actor: { kind: 'user', id: name, label: name, requestId: null } };
    }
  });
  afterAll(async () => handle?.close());

  const person = (name: string): AidCaller => {
    const found = people[name];
    if (!found) throw new Error(`no test account ${name}`);
    return found;
  };

  it('ranks offers same ICB, then region, then England, leaves out the pressed, and splits the need across two offers', async () => {
    const db = handle.db;
    await makeAidOffer(db, person('boardD'), offer(codes.d, 10), today);
    const fromC = await makeAidOffer(db, person('boardC'), offer(codes.c, 10), today);
    const fromB = await makeAidOffer(db, person('boardB'), offer(codes.b, 3), today);
    const fromPressed = await makeAidOffer(db, person('london'), offer(codes.pressed, 10), today);
    const request = await raiseAidRequest(db, person('boardA'), beds(codes.a, 10), today);
    expect(request.status).toBe('requested');

    const { matching } = await getAidMatching(db, person('boardA').principal, request.id, today);
    expect(matching.offers.map((c) => [c.organisation.odsCode, c.tier])).toEqual([
      [codes.b, 'icb'],
      [codes.c, 'region'],
      [codes.d, 'national'],
    ]);
    expect(matching.offers[0]?.distanceKm).toBeGreaterThan(0);
    // Three from the same ICB, seven from the region: local first, no national escalation needed.
    expect(matching.allocation).toEqual([
      { offerId: fromB.id, organisationId: matching.offers[0]?.organisation.id, quantity: 3 },
      { offerId: fromC.id, organisationId: matching.offers[1]?.organisation.id, quantity: 7 },
    ]);
    expect(matching.shortfall).toBe(0);
    expect(matching.escalation).toBe('region');
    const pressed = matching.excluded.find((c) => c.organisation.odsCode === codes.pressed);
    expect(pressed?.offer?.id).toBe(fromPressed.id);
    expect(pressed?.excluded).toContain('97.0%');
    expect(matching.excluded.find((c) => c.organisation.odsCode === codes.mental)?.excluded).toContain(
      'mental health trust',
    );
    // Organisations without offers: the ICB's first (distance unknown last within it), then the region's, then England's.
    expect(
      matching.organisations.map((c) => [c.organisation.odsCode, c.tier, c.distanceKm === null]),
    ).toEqual([
      [codes.noPostcode, 'icb', true],
      [codes.e, 'region', false],
      [codes.f, 'national', false],
    ]);
    expect(matching.organisations.some((c) => c.organisation.odsCode === codes.a)).toBe(false);
  });

  it('takes a request through two offers, both sides agreeing, to partial delivery and completion, audited', async () => {
    const db = handle.db;
    const request = await raiseAidRequest(db, person('boardA'), beds(codes.a, 6), today);
    const { matching } = await getAidMatching(db, person('london').principal, request.id, today);
    const [first, second] = matching.allocation;
    expect(matching.allocation).toHaveLength(2);
    if (!first || !second) throw new Error('expected two offers');
    // The rest of B's offer was not used yet (the first request only ranked), so B and C share this one.
    let view = await proposeAidMatch(
      db,
      person('london'),
      request.id,
      { offerId: first.offerId, quantity: first.quantity },
      today,
    );
    view = await proposeAidMatch(
      db,
      person('london'),
      request.id,
      { offerId: second.offerId, quantity: second.quantity },
      today,
    );
    expect(view.status).toBe('matched');
    expect(view.remaining).toBe(0);
    await expectError(
      proposeAidMatch(db, person('london'), request.id, { provider: codes.e, quantity: 1 }, today),
      'invalid-input',
      'Propose 0 or fewer',
    );
    const [toB, toC] = view.matches;
    if (!toB || !toC) throw new Error('expected two matches');
    expect(toB.provider.odsCode).toBe(codes.b);
    expect(toC.provider.odsCode).toBe(codes.c);

    // One trust's board cannot agree for another trust.
    await expectError(agreeAidMatch(db, person('boardB'), toC.id, codes.c, today), 'forbidden');
    await expectError(agreeAidMatch(db, person('boardB'), toB.id, codes.a, today), 'forbidden');
    await expectError(startAid(db, person('boardA'), request.id, today), 'conflict');
    view = await agreeAidMatch(db, person('boardA'), toB.id, codes.a, today);
    view = await agreeAidMatch(db, person('boardB'), toB.id, codes.b, today);
    expect(view.matches[0]?.status).toBe('agreed');
    expect(view.status).toBe('agreed');
    view = await agreeAidMatch(db, person('boardA'), toC.id, codes.a, today);
    view = await agreeAidMatch(db, person('boardC'), toC.id, codes.c, today);
    await expectError(agreeAidMatch(db, person('boardC'), toC.id, codes.c, today), 'conflict');

    view = await startAid(db, person('boardA'), request.id, today);
    expect(view.status).toBe('in-progress');
    view = await recordAidDelivery(db, person('boardB'), toB.id, toB.quantity, today);
    view = await recordAidDelivery(db, person('boardC'), toC.id, 1, today);
    await expectError(
      recordAidDelivery(db, person('boardC'), toC.id, toC.quantity, today),
      'invalid-input',
      'or fewer',
    );
    view = await completeAid(db, person('boardA'), request.id, 'Surge over.', today);
    expect(view.status).toBe('completed');
    expect(view.delivered).toBe(toB.quantity + 1);
    expect(view.matches.map((m) => m.status)).toEqual(['completed', 'completed']);
    expect(view.history.map((e) => e.step)).toEqual(
      expect.arrayContaining([
        'raise',
        'propose',
        'agree-requester',
        'agree-provider',
        'start',
        'deliver',
        'complete',
      ]),
    );
    await expectError(withdrawAid(db, person('boardA'), request.id, 'Too late', today), 'conflict');

    const audit = await db
      .selectFrom('audit_event')
      .select('action')
      .where('record_type', 'in', ['aid-request', 'aid-match'])
      .where((eb) => eb.or([eb('record_id', '=', String(request.id)), eb('record_id', '=', String(toB.id))]))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'mutual-aid.request-raise',
        'mutual-aid.match-agree',
        'mutual-aid.request-complete',
      ]),
    );
    // The history is append-only.
    await expect(db.updateTable('aid_event').set({ note: 'changed' }).execute()).rejects.toThrow();

    const given = await getCollaborationRecord(db, person('london').principal, codes.b, today);
    expect(given.given).toHaveLength(1);
    expect(given.totals.deliveredGiven).toEqual({ beds: toB.quantity });
    const received = await getCollaborationRecord(db, person('boardA').principal, codes.a, today);
    expect(received.totals.timesReceived).toBe(2);
    expect(received.summary).toContain('received it 2 times');
    // A trust's board cannot read another trust's record.
    await expectError(getCollaborationRecord(db, person('boardA').principal, codes.b, today), 'not-found');
  });

  it('withdraws a request with a reason, freeing the offer it drew on', async () => {
    const db = handle.db;
    const request = await raiseAidRequest(db, person('boardA'), beds(codes.a, 4), today);
    const { matching } = await getAidMatching(db, person('boardA').principal, request.id, today);
    const national = matching.offers.find((c) => c.tier === 'national');
    if (!national?.offer) throw new Error('expected the national offer');
    const before = (await getAidOffer(db, person('boardD').principal, national.offer.id, today)).remaining;
    await proposeAidMatch(
      db,
      person('boardA'),
      request.id,
      { offerId: national.offer.id, quantity: 4 },
      today,
    );
    expect((await getAidOffer(db, person('boardD').principal, national.offer.id, today)).remaining).toBe(
      before - 4,
    );
    // The giving trust in another region now sees the request it is matched to.
    expect((await getAidRequest(db, person('boardD').principal, request.id, today)).status).toBe('matched');
    await expectError(
      withdrawAid(db, person('boardA'), request.id, '  ', today),
      'invalid-input',
      'Enter why',
    );
    await expectError(
      withdrawAid(db, person('boardD'), request.id, 'Not ours to withdraw', today),
      'forbidden',
    );
    const view = await withdrawAid(
      db,
      person('boardA'),
      request.id,
      'Beds reopened after deep clean.',
      today,
    );
    expect(view.status).toBe('withdrawn');
    expect(view.statusReason).toBe('Beds reopened after deep clean.');
    expect(view.matches.map((m) => m.status)).toEqual(['withdrawn']);
    expect((await getAidOffer(db, person('boardD').principal, national.offer.id, today)).remaining).toBe(
      before,
    );
  });

  it("keeps one organisation's aid from those who may not see or change it", async () => {
    const db = handle.db;
    const request = await raiseAidRequest(db, person('boardA'), beds(codes.a, 2), today);
    // Another region's team sees neither the request nor London's board.
    await expectError(getAidRequest(db, person('northWest').principal, request.id, today), 'not-found');
    await expectError(getAidBoard(db, person('northWest').principal, 'Y56', today), 'not-found');
    await expectError(getAidMatching(db, person('northWest').principal, request.id, today), 'not-found');
    // A trust in another region sees it only once matched to it.
    await expectError(getAidRequest(db, person('boardD').principal, request.id, today), 'not-found');
    // Another trust of the region sees it on its board (local first), but cannot raise or withdraw for A.
    const board = await getAidBoard(db, person('boardB').principal, 'Y56', today);
    expect(board.requests.map((r) => r.id)).toContain(request.id);
    expect(board.offers.every((o) => o.remaining > 0)).toBe(true);
    await expectError(raiseAidRequest(db, person('boardB'), beds(codes.a, 2), today), 'forbidden');
    await expectError(withdrawAid(db, person('boardB'), request.id, 'Not mine', today), 'forbidden');
    // B may volunteer itself, but may not propose another trust for A.
    await expectError(
      proposeAidMatch(db, person('boardB'), request.id, { provider: codes.e, quantity: 1 }, today),
      'forbidden',
    );
    const volunteered = await proposeAidMatch(
      db,
      person('boardB'),
      request.id,
      { provider: codes.b, quantity: 1 },
      today,
    );
    expect(volunteered.matches[0]?.youMay).toContain('agree-for-provider');
    expect(volunteered.matches[0]?.youMay).not.toContain('agree-for-requester');
    // A data submitter has no collaborate role; the public has no access at all.
    await expectError(raiseAidRequest(db, person('submitter'), beds(codes.a, 2), today), 'forbidden');
    const publicCaller: Principal = { kind: 'public' };
    await expectError(getAidRequest(db, publicCaller, request.id, today), 'unauthenticated');
    // The ICB lead acts for every trust of the ICB.
    expect((await getAidRequest(db, person('icbLead').principal, request.id, today)).youMay).toContain(
      'withdraw',
    );
  });

  it('lets only the requester or providers of agreed (to start) or in-progress (to complete) matches start and complete aid', async () => {
    const db = handle.db;
    const request = await raiseAidRequest(db, person('boardA'), beds(codes.a, 3), today);
    // B volunteers, then withdraws; D (another region, brokered by London) is proposed and never agreed.
    const volunteered = await proposeAidMatch(
      db,
      person('boardB'),
      request.id,
      { provider: codes.b, quantity: 1 },
      today,
    );
    const fromB = volunteered.matches.find((m) => m.provider.odsCode === codes.b);
    await withdrawAidMatch(db, person('boardB'), fromB?.id ?? 0, 'Beds needed at home after all.', today);
    let view = await proposeAidMatch(
      db,
      person('london'),
      request.id,
      { provider: codes.c, quantity: 2 },
      today,
    );
    const toC = view.matches.find((m) => m.provider.odsCode === codes.c && m.status === 'proposed');
    await agreeAidMatch(db, person('boardA'), toC?.id ?? 0, codes.a, today);
    await agreeAidMatch(db, person('boardC'), toC?.id ?? 0, codes.c, today);
    view = await proposeAidMatch(db, person('london'), request.id, { provider: codes.d, quantity: 1 }, today);
    expect(view.status).toBe('agreed');

    const offered = async (name: string) =>
      (await getAidRequest(db, person(name).principal, request.id, today)).youMay;
    for (const name of ['boardB', 'boardD']) {
      expect(await offered(name)).not.toContain('start');
      await expectError(startAid(db, person(name), request.id, today), 'forbidden');
    }
    expect(await offered('boardC')).toContain('start');
    expect(await offered('boardA')).toContain('start');
    view = await startAid(db, person('boardC'), request.id, today);
    expect(view.status).toBe('in-progress');

    for (const name of ['boardB', 'boardD']) {
      expect(await offered(name)).not.toContain('complete');
      await expectError(completeAid(db, person(name), request.id, 'Not ours', today), 'forbidden');
    }
    expect(await offered('boardC')).toContain('complete');
    view = await completeAid(db, person('boardC'), request.id, 'Surge over.', today);
    expect(view.status).toBe('completed');
  });

  it('refuses an offer whose dates do not meet the need', async () => {
    const db = handle.db;
    const request = await raiseAidRequest(db, person('boardA'), beds(codes.a, 1), today);
    // Needed 2026-02-12 to 2026-03-12: one offer ends before, one starts after, one overlaps.
    const early = await makeAidOffer(
      db,
      person('boardB'),
      { ...offer(codes.b, 1), availableFrom: '2026-02-10', availableTo: '2026-02-11' },
      today,
    );
    const late = await makeAidOffer(
      db,
      person('boardB'),
      { ...offer(codes.b, 1), availableFrom: '2026-03-13', availableTo: '2026-04-30' },
      today,
    );
    for (const o of [early, late]) {
      const error = await expectError(
        proposeAidMatch(db, person('boardA'), request.id, { offerId: o.id, quantity: 1 }, today),
        'invalid-input',
        'not available when the request needs it',
      );
      expect(error.problems.map((p) => p.field)).toEqual(['offerId']);
    }
    const overlapping = await makeAidOffer(
      db,
      person('boardB'),
      { ...offer(codes.b, 1), availableFrom: '2026-03-12', availableTo: '2026-04-30' },
      today,
    );
    const view = await proposeAidMatch(
      db,
      person('boardA'),
      request.id,
      { offerId: overlapping.id, quantity: 1 },
      today,
    );
    expect(view.matches.map((m) => m.offerId)).toEqual([overlapping.id]);
  });

  // PGlite runs one transaction at a time, so only PostgreSQL can deadlock.
  it.skipIf(testEngine() !== 'postgres')(
    'locks the request before the match, so a step on a match waits for a step on its request instead of deadlocking',
    async () => {
      const db = handle.db;
      const request = await raiseAidRequest(db, person('boardA'), beds(codes.a, 1), today);
      const proposed = await proposeAidMatch(
        db,
        person('boardB'),
        request.id,
        { provider: codes.b, quantity: 1 },
        today,
      );
      const matchId = proposed.matches[0]?.id ?? 0;
      let agreeing: Promise<{ ok: true } | { error: unknown }> = Promise.resolve({ ok: true });
      await db.transaction().execute(async (trx) => {
        // As starting, completing or withdrawing the request does: the request first, then its matches.
        await trx.selectFrom('aid_request').select('id').where('id', '=', request.id).forUpdate().execute();
        agreeing = agreeAidMatch(db, person('boardA'), matchId, codes.a, today).then(
          () => ({ ok: true }) as const,
          (error: unknown) => ({ error }),
        );
        // Wait until the agreement is queued behind the request's lock.
        for (let waited = 0; waited < 100; waited++) {
          const waiting = await db
            .selectFrom(sql<{ pid: number }>`pg_stat_activity`.as('a'))
            .select('pid')
            .where(sql<boolean>`wait_event_type = 'Lock' and datname = current_database()`)
            .execute();
          if (waiting.length > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await trx.selectFrom('aid_match').select('id').where('id', '=', matchId).forUpdate().execute();
      });
      expect(await agreeing).toEqual({ ok: true });
    },
  );

  it('says what is wrong with a request, where, and how to fix it; stores nothing', async () => {
    const db = handle.db;
    const before = await db
      .selectFrom('aid_request')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = await expectError(
      raiseAidRequest(
        db,
        person('boardA'),
        { ...beds(codes.a, 0), detail: 'mri', neededTo: '2026-02-01' },
        today,
      ),
      'invalid-input',
    );
    expect(bad.problems.map((p) => p.field).sort()).toEqual(['detail', 'neededTo', 'quantity']);
    expect(bad.problems.find((p) => p.field === 'detail')?.message).toContain('adult-critical-care');
    await expectError(
      raiseAidRequest(db, person('boardA'), { ...beds(codes.a, 2), unit: 'patients' }, today),
      'invalid-input',
      'counted in beds',
    );
    const signal = await expectError(
      raiseAidRequest(
        db,
        person('boardA'),
        { ...beds(codes.a, 2), signal: { metric: 'no_such', period: '2026-01-15' } },
        today,
      ),
      'invalid-input',
    );
    expect(signal.problems.map((p) => p.field)).toEqual(['signal.metric', 'signal.period']);
    await expectError(
      raiseAidRequest(db, person('boardA'), { ...beds(codes.a, 2), interventionId: 999_999 }, today),
      'invalid-input',
      'interventionId',
    );
    const after = await db
      .selectFrom('aid_request')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('links a request to an intervention and a signal, and lists it for the chain view', async () => {
    const db = handle.db;
    const a = await db
      .selectFrom('organisation')
      .select('id')
      .where('ods_code', '=', codes.a)
      .executeTakeFirstOrThrow();
    const intervention = await db
      .insertInto('intervention')
      .values({
        organisation_id: a.id,
        kind: 'intensive-support',
        title: 'Critical care flow support',
        owner: 'London region',
        statutory_function: null,
        signal_kind: 'spc-special-cause',
        signal: JSON.stringify({ metric: 'ga_occupancy' }),
        opened_on: '2026-01-20',
        next_review: '2026-03-20',
        exit_criteria: 'Occupancy below 92% for three months',
        status: 'open',
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const request = await raiseAidRequest(
      db,
      person('boardA'),
      {
        ...beds(codes.a, 2),
        interventionId: intervention.id,
        signal: { metric: 'ga_occupancy', period: '2026-01-01' },
      },
      today,
    );
    expect(request.intervention).toEqual({ id: intervention.id, title: 'Critical care flow support' });
    expect(request.signal?.metricName).toBe('G&A bed occupancy, all');
    // Trust B sees the request on its region's board, but not A's intervention.
    expect((await getAidRequest(db, person('boardB').principal, request.id, today)).intervention).toBeNull();
    const chain = await listAidForInterventions(db, [intervention.id]);
    expect(chain).toEqual([
      {
        id: request.id,
        interventionId: intervention.id,
        requester: { odsCode: codes.a, name: `Trust ${codes.a}` },
        kind: 'beds',
        kindLabel: 'Beds: Adult critical care',
        quantity: 2,
        unit: 'beds',
        status: 'requested',
      },
    ]);
  });
});
