import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import type { Principal, Role } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { buildTrust } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-database.js';
import { findAuditEvents } from '../db/audit.repository.js';
import {
  createStandard,
  declare,
  getDeclaration,
  getRegister,
  getStandardDetail,
  listOverdue,
  listStandardViews,
  publishDeclarations,
  publishStandard,
} from './standard.service.js';
import { getInbox } from './template.service.js';
import { loadDemoStandards } from './demo-standards.js';
import { openOrganisation } from './hierarchy.service.js';

/**
 * The walk of issue 9 on both engines: a standard published → declarations (one comply, one explain with a
 * plan) → the overdue listed → ICB, region and England adoption figures, exactly. Reference data holds
 * 42 ICBs (5 in London, 3 in the North West); the test adds three trusts to South East London (QKK) and
 * one to Lancashire and South Cumbria (QE1), so 46 boards are asked.
 */

const today = '2026-07-15';
const standard = {
  code: 'ftsu-2026',
  title: 'Freedom to Speak Up',
  owner: 'National Guardian’s Office',
  summary: 'Boards make speaking up business as usual.',
  organisationKinds: ['nhs-trust', 'icb'],
  evidenceAsked: 'The board’s self-review against the guide, with the date it was discussed',
  effectiveFrom: '2026-04-01',
  declarationsDue: '2026-06-30',
};
const explainBody = {
  position: 'explain',
  explanation: 'Our guardian post has been vacant since March.',
  plan: [
    { description: 'Appoint a guardian', owner: 'Chief people officer', due: '2026-09-30' },
    { description: 'Board development session', owner: 'Chair', due: '2026-10-31' },
  ],
};

describe('comply or explain', () => {
  let handle: DatabaseHandle;
  const trusts: string[] = [];
  const people: Record<string, Principal> = {};
  const publicCaller: Principal = { kind: 'public' };
  const as = (who: string) => {
    const principal = people[who];
    if (!principal) throw new Error(`no person ${who}`);
    return { principal, actor: { kind: 'user' as const, id: who, label: `Person ${who}` } };
  };
  const person = (id: number, role: Role, scope: number | null): Principal => ({
    kind: 'user',
    userId: id,
    label: `Person ${id}`,
    isAdmin: false,
    grants: [{ role, scopeOrganisationId: scope }],
    functions: [],
  });
  const refusal = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AppError)
        return { code: error.code, message: error.message, problems: error.problems };
      throw error;
    }
    throw new Error('expected a refusal');
  };
  const declarationRows = async () =>
    Number(
      (
        await handle.db
          .selectFrom('standard_declaration')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    for (let i = 0; i < 3; i += 1)
      trusts.push(await buildTrust(db, { parentCode: 'QKK', date: '2020-04-01' }));
    trusts.push(await buildTrust(db, { parentCode: 'QE1', date: '2020-04-01' }));
    const id = async (code: string) => (await findOrganisationByCode(db, code))?.id ?? 0;
    people.board1 = person(1, 'trust-board-member', await id(trusts[0] ?? ''));
    people.board2 = person(2, 'trust-board-member', await id(trusts[1] ?? ''));
    people.icb = person(3, 'icb-lead', await id('QKK'));
    people.director = person(4, 'national-director', null);
    people.analyst = person(5, 'national-analyst', null);
    people.region = person(6, 'regional-team', await id('Y56'));
  });
  afterAll(async () => handle?.close());

  it('walks a standard from draft to declarations, the overdue and adoption figures', async () => {
    const db = handle.db;
    const [t1 = '', t2 = '', t3 = '', t4 = ''] = trusts;

    // Only national directors add standards; a draft is invisible to others.
    expect((await refusal(createStandard(db, as('board1'), standard, today))).code).toBe('forbidden');
    const bad = await refusal(
      createStandard(db, as('director'), { ...standard, declarationsDue: '2026-03-01' }, today),
    );
    expect(bad.problems).toEqual([
      { field: 'declarationsDue', message: 'Declarations cannot be due before the standard takes effect' },
    ]);
    const draft = await createStandard(db, as('director'), standard, today);
    expect(draft).toMatchObject({
      status: 'draft',
      publishedAt: null,
      appliesTo: ['NHS trust boards', 'Integrated care boards (ICBs)'],
    });
    expect(await listStandardViews(db, publicCaller, today)).toEqual([]);
    expect((await refusal(getStandardDetail(db, publicCaller, 'ftsu-2026', today))).code).toBe('not-found');
    expect((await getInbox(db, { principal: null, actor: systemActor }, t1, today)).items).toEqual([]);
    expect((await refusal(declare(db, as('board1'), 'ftsu-2026', t1, explainBody, today))).code).toBe(
      'not-found',
    );

    expect((await refusal(publishStandard(db, as('analyst'), 'ftsu-2026', today))).code).toBe('forbidden');
    expect(await publishStandard(db, as('director'), 'ftsu-2026', today)).toMatchObject({
      status: 'in-effect',
    });
    expect((await refusal(publishStandard(db, as('director'), 'ftsu-2026', today))).code).toBe('conflict');

    // The declaration is in each applicable board's inbox: overdue, since declarations were due on 30 June.
    const inbox = await getInbox(db, { principal: null, actor: systemActor }, t1, today);
    expect(inbox.items).toEqual([
      {
        kind: 'declaration',
        template: { code: 'ftsu-2026', name: 'Freedom to Speak Up' },
        period: '2026-04-01',
        label: 'Comply or explain',
        opens: '2026-04-01',
        deadline: '2026-06-30',
        closes: '2026-06-30',
        returnStatus: null,
        statusReason: null,
        returnId: null,
        state: 'overdue',
      },
    ]);
    expect(inbox.outstanding).toBe(1);

    // Refusals store nothing: another trust's board member, an ICB lead for a trust, explain without a plan.
    const other = await refusal(declare(db, as('board2'), 'ftsu-2026', t1, explainBody, today));
    expect(other.code).toBe('forbidden');
    expect(other.message).toContain('None of your roles lets you make a comply-or-explain declaration for');
    expect((await refusal(declare(db, as('icb'), 'ftsu-2026', t1, explainBody, today))).code).toBe(
      'forbidden',
    );
    expect((await refusal(declare(db, as('region'), 'ftsu-2026', t1, explainBody, today))).code).toBe(
      'forbidden',
    );
    const incomplete = await refusal(
      declare(
        db,
        as('board2'),
        'ftsu-2026',
        t2,
        {
          position: 'explain',
          explanation: '',
          plan: [{ description: 'Recruit', owner: '', due: '2026-07-01' }],
        },
        today,
      ),
    );
    expect(incomplete).toEqual({
      code: 'invalid-input',
      message: 'The declaration is not complete: 3 problems to fix. Nothing was stored.',
      problems: [
        { field: 'explanation', message: 'Enter why the board does not comply with the standard' },
        { field: 'plan.0.owner', message: 'Enter who owns action 1, such as the chief nurse' },
        { field: 'plan.0.due', message: 'The date of action 1 must be today or in the future' },
      ],
    });
    expect(
      (
        await refusal(
          declare(db, as('board2'), 'ftsu-2026', t2, { position: 'explain', explanation: 'x' }, today),
        )
      ).problems,
    ).toEqual([
      {
        field: 'plan',
        message: 'Add at least one action to the plan, with what will be done, who owns it and by when',
      },
    ]);
    expect((await refusal(declare(db, as('icb'), 'ftsu-2026', 'Y56', explainBody, today))).code).toBe(
      'invalid-input',
    );
    expect(await declarationRows()).toBe(0);

    // One comply, one explain with a plan.
    const comply = await declare(
      db,
      as('board1'),
      'ftsu-2026',
      t1,
      { position: 'comply', evidence: 'Self-review discussed at the board on 4 June 2026' },
      today,
    );
    expect(comply).toMatchObject({
      state: 'done',
      declared: true,
      declaration: { position: 'comply', version: 1, declaredBy: 'Person board1', published: false },
      mayDeclare: true,
    });
    const explain = await declare(db, as('board2'), 'ftsu-2026', t2, explainBody, today);
    expect(explain.declaration).toMatchObject({
      position: 'explain',
      explanation: 'Our guardian post has been vacant since March.',
      plan: explainBody.plan,
    });
    expect(await declarationRows()).toBe(2);

    // The overdue: every other applicable board (T3, T4, all 42 ICBs), 15 days after 30 June.
    const overdue = await listOverdue(db, people.director ?? null, today);
    expect(overdue).toHaveLength(44);
    expect(overdue.filter((o) => o.kind === 'nhs-trust').map((o) => o.odsCode)).toEqual([t3, t4].sort());
    expect(overdue.find((o) => o.odsCode === 'QKK')).toMatchObject({
      icbCode: 'QKK',
      regionCode: 'Y56',
      daysOverdue: 15,
      standard: { code: 'ftsu-2026' },
    });
    expect((await getInbox(db, { principal: null, actor: systemActor }, t3, today)).items[0]?.state).toBe(
      'overdue',
    );
    expect((await getInbox(db, { principal: null, actor: systemActor }, t2, today)).items[0]).toMatchObject({
      state: 'done',
      label: 'Declared: explains',
    });

    // Adoption as a national director sees it: every position.
    const detail = await getStandardDetail(db, people.director ?? null, 'ftsu-2026', today);
    const figures = (a: {
      applicable: number;
      complies: number;
      explains: number;
      declaredUnpublished: number;
      notDeclared: number;
      overdue: number;
      declaredPercent: number | null;
      compliesPercent: number | null;
    }) => [
      a.applicable,
      a.complies,
      a.explains,
      a.declaredUnpublished,
      a.notDeclared,
      a.overdue,
      a.declaredPercent,
      a.compliesPercent,
    ];
    expect(figures(detail.adoption.england)).toEqual([46, 1, 1, 0, 44, 44, 4.3, 2.2]);
    const region = (code: string) => detail.adoption.regions.find((r) => r.area.odsCode === code);
    const icb = (code: string) => detail.adoption.icbs.find((r) => r.area.odsCode === code);
    expect(figures(region('Y56') ?? detail.adoption.england)).toEqual([8, 1, 1, 0, 6, 6, 25, 12.5]);
    expect(figures(region('Y62') ?? detail.adoption.england)).toEqual([4, 0, 0, 0, 4, 4, 0, 0]);
    expect(figures(icb('QKK') ?? detail.adoption.england)).toEqual([4, 1, 1, 0, 2, 2, 50, 25]);
    expect(figures(icb('QE1') ?? detail.adoption.england)).toEqual([2, 0, 0, 0, 2, 2, 0, 0]);
    expect(figures(icb('QMF') ?? detail.adoption.england)).toEqual([1, 0, 0, 0, 1, 1, 0, 0]);
    expect(icb('QKK')?.regionCode).toBe('Y56');
    expect(detail.adoption.regions).toHaveLength(7);
    expect(detail.adoption.icbs).toHaveLength(42);
    expect(detail.declarations.map((d) => [d.odsCode, d.position])).toEqual(
      [
        [t1, 'comply'],
        [t2, 'explain'],
      ].sort(),
    );
    expect(detail).toMatchObject({
      awaitingPublication: 2,
      mayPublishDeclarations: true,
      mayPublishStandard: false,
    });

    // One user cannot see another's unpublished declaration: the public, and another trust's board member.
    const seenByPublic = await getStandardDetail(db, publicCaller, 'ftsu-2026', today);
    expect(figures(seenByPublic.adoption.england)).toEqual([46, 0, 0, 2, 44, 44, 4.3, 0]);
    expect(seenByPublic.declarations).toEqual([]);
    expect(seenByPublic.mayPublishDeclarations).toBe(false);
    const t2SeenByBoard1 = await getDeclaration(db, people.board1 ?? null, 'ftsu-2026', t2, today);
    expect(t2SeenByBoard1).toMatchObject({
      declaration: null,
      declared: true,
      history: [],
      mayDeclare: false,
    });
    const seenByBoard1 = await getStandardDetail(db, people.board1 ?? null, 'ftsu-2026', today);
    expect(seenByBoard1.declarations.map((d) => d.odsCode)).toEqual([t1]);
    expect(await getRegister(db, today)).toEqual([]);

    // Publishing: analysts may, board members may not; the register then shows both to everyone.
    expect((await refusal(publishDeclarations(db, as('board1'), 'ftsu-2026', undefined, today))).code).toBe(
      'forbidden',
    );
    expect(
      (await refusal(publishDeclarations(db, as('analyst'), 'ftsu-2026', [t3], today))).problems,
    ).toEqual([{ field: 'organisations.0', message: `${t3} has not declared against ftsu-2026` }]);
    expect(await publishDeclarations(db, as('analyst'), 'ftsu-2026', undefined, today)).toEqual({
      standard: 'ftsu-2026',
      published: [t1, t2].sort(),
    });
    const register = await getRegister(db, today);
    expect(register.map((e) => [e.odsCode, e.position, e.version, e.declaredBy, e.published])).toEqual(
      [
        [t1, 'comply', 1, null, true],
        [t2, 'explain', 1, null, true],
      ].sort(),
    );
    expect(figures((await getStandardDetail(db, publicCaller, 'ftsu-2026', today)).adoption.england)).toEqual(
      [46, 1, 1, 0, 44, 44, 4.3, 2.2],
    );

    // A revision keeps every version; the register keeps the published one until it is published again.
    const revised = await declare(
      db,
      as('board2'),
      'ftsu-2026',
      t2,
      { position: 'comply', evidence: 'Guardian appointed 1 July 2026; board review 10 July' },
      today,
    );
    expect(revised.declaration).toMatchObject({ position: 'comply', version: 2, published: false });
    expect(revised.history.map((h) => [h.version, h.position, h.published])).toEqual([
      [2, 'comply', false],
      [1, 'explain', true],
    ]);
    // Sending the same declaration again makes no new version.
    await declare(
      db,
      as('board2'),
      'ftsu-2026',
      t2,
      { position: 'comply', evidence: 'Guardian appointed 1 July 2026; board review 10 July' },
      today,
    );
    expect((await getDeclaration(db, people.board2 ?? null, 'ftsu-2026', t2, today)).history).toHaveLength(2);
    expect((await getDeclaration(db, publicCaller, 'ftsu-2026', t2, today)).declaration).toMatchObject({
      position: 'explain',
      version: 1,
      declaredBy: null,
    });
    await expect(
      handle.db.updateTable('standard_declaration_version').set({ declared_by: 'someone else' }).execute(),
    ).rejects.toThrow(/append-only/);
    expect(await publishDeclarations(db, as('director'), 'ftsu-2026', undefined, today)).toEqual({
      standard: 'ftsu-2026',
      published: [t2],
    });
    expect((await getRegister(db, today, 'ftsu-2026')).find((e) => e.odsCode === t2)).toMatchObject({
      position: 'comply',
      version: 2,
    });

    const events = await findAuditEvents(db, { recordType: 'standard-declaration', limit: 20 });
    expect(events.map((e) => e.action).sort()).toEqual([
      'standard.declaration-publish',
      'standard.declaration-publish',
      'standard.declaration-publish',
      'standard.declare',
      'standard.declare',
      'standard.declare',
    ]);
  });

  it('lets an ICB lead declare for the ICB itself, and refuses a kind the standard does not apply to', async () => {
    const db = handle.db;
    await createStandard(
      db,
      as('director'),
      {
        ...standard,
        code: 'psirf-2026',
        title: 'Patient Safety Incident Response Framework',
        organisationKinds: ['icb'],
        declarationsDue: '2026-12-31',
      },
      today,
    );
    await publishStandard(db, as('director'), 'psirf-2026', today);
    const result = await declare(
      db,
      as('icb'),
      'psirf-2026',
      'QKK',
      { position: 'comply', evidence: 'PSIRF policy approved' },
      today,
    );
    expect(result.declaration).toMatchObject({
      position: 'comply',
      kind: 'icb',
      icbCode: 'QKK',
      regionCode: 'Y56',
    });
    const wrongKind = await refusal(
      declare(db, as('board1'), 'psirf-2026', trusts[0] ?? '', explainBody, today),
    );
    expect(wrongKind.code).toBe('invalid-input');
    expect(wrongKind.message).toContain('applies to Integrated care boards (ICBs)');
    // Not yet due: open, and nobody is overdue; the inbox lists the overdue first.
    expect(await listOverdue(db, null, today, 'psirf-2026')).toEqual([]);
    const inbox = await getInbox(db, { principal: null, actor: systemActor }, 'QMF', today);
    expect(inbox.items.map((i) => [i.template.code, i.state])).toEqual([
      ['ftsu-2026', 'overdue'],
      ['psirf-2026', 'open'],
    ]);
  });
});

describe('the demo standards', () => {
  let handle: DatabaseHandle;
  afterAll(async () => handle?.close());

  it('publishes four standards with declarations in every position, some revised and some overdue', async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    const today = '2026-11-23';
    for (let i = 0; i < 30; i += 1)
      await openOrganisation(
        db,
        { source: 'test', provenance: 'demo', actor: systemActor },
        {
          odsCode: `ZD${String(i).padStart(3, '0')}`,
          name: `Demo ${i} NHS Trust`,
          kind: 'nhs-trust',
          sector: 'acute',
          postcode: null,
          parentCode: i % 2 === 0 ? 'QKK' : 'QE1',
          date: '2020-04-01',
          reason: 'Demo trust for the test',
        },
      );
    const added = await loadDemoStandards(db, today);
    const list = await listStandardViews(db, { kind: 'public' }, today);
    expect(list.map((s) => [s.code, s.status])).toEqual([
      ['learning-from-deaths', 'in-effect'],
      ['psirf', 'in-effect'],
      ['freedom-to-speak-up', 'in-effect'],
      ['well-led-board', 'in-effect'],
    ]);
    const detail = await getStandardDetail(db, null, 'well-led-board', today);
    const e = detail.adoption.england;
    expect(e.applicable).toBe(30 + 42);
    const stored = await db
      .selectFrom('standard_declaration')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(added).toBe(4 + Number(stored.n));
    for (const code of ['well-led-board', 'freedom-to-speak-up', 'psirf']) {
      const d = await getStandardDetail(db, null, code, today);
      expect(d.adoption.england.complies, code).toBeGreaterThan(0);
      expect(d.adoption.england.explains, code).toBeGreaterThan(0);
      expect(d.overdue.length, code).toBeGreaterThan(0);
      expect(d.awaitingPublication, code).toBeGreaterThan(0);
      expect(
        d.declarations.every((x) => x.position === 'comply' || x.plan.every((a) => a.due >= today)),
      ).toBe(true);
    }
    const ltd = await getStandardDetail(db, null, 'learning-from-deaths', today);
    expect(ltd.overdue).toEqual([]);
    expect(ltd.adoption.england.applicable).toBe(30);
    // The public sees published declarations only; every demo text says it is demo content.
    const register = await getRegister(db, today);
    expect(register.length).toBeGreaterThan(0);
    expect(register.every((r) => /demo/i.test(`${r.evidence ?? ''}${r.explanation ?? ''}`))).toBe(true);
    const revised = await db
      .selectFrom('standard_declaration')
      .select('id')
      .where('version', '=', 2)
      .execute();
    expect(revised.length).toBeGreaterThan(0);
  });
});
