import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import type { Principal, Role, StatutoryFunction } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { buildTrust, testContext } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-database.js';
import {
  addAction,
  addMember,
  addPaper,
  completeAction,
  endMember,
  getBodyView,
  getMeetingView,
  listBodyViews,
  listOverdueActions,
  publishDecision,
  recordDecision,
  scheduleMeeting,
  setMeetingStatus,
} from './governance.service.js';
import { loadDemoGovernance } from './demo-governance.js';
import { assignRole } from './hierarchy.service.js';

/**
 * The governance bodies on both engines: the bodies every database has, membership over time (with the
 * regional directors drawn from the hierarchy), who may record and who may read, links that must not reveal
 * an intervention of a statutory function, and overdue actions.
 */

const today = '2025-03-10';
const publicReader: Principal = { kind: 'public' };

describe('governance bodies', () => {
  let handle: DatabaseHandle;
  const ids: Record<string, number> = {};

  const person = (
    label: string,
    role: Role,
    scope: number | null,
    functions: StatutoryFunction[] = [],
  ): Principal => ({
    kind: 'user',
    userId: label.length,
    label,
    isAdmin: false,
    grants: [{ role, scopeOrganisationId: scope }],
    functions,
  });
  const as = (principal: Principal) => ({ principal, actor: { ...systemActor, label: 'test' } });
  let national: Principal;
  let londonDirector: Principal;
  let midlandsDirector: Principal;
  let londonTeam: Principal;
  let icbLead: Principal;
  let licensingDirector: Principal;

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    for (const code of ['X24', 'Y56', 'Y60', 'QKK']) {
      const org = await findOrganisationByCode(db, code);
      if (!org) throw new Error(`no ${code}`);
      ids[code] = org.id;
    }
    national = person('National Director', 'national-director', null);
    londonDirector = person('London Director', 'regional-director', ids.Y56 ?? null);
    midlandsDirector = person('Midlands Director', 'regional-director', ids.Y60 ?? null);
    londonTeam = person('London Team', 'regional-team', ids.Y56 ?? null);
    icbLead = person('ICB Lead', 'icb-lead', ids.QKK ?? null);
    licensingDirector = person('Licensing Director', 'national-director', null, ['provider-licensing']);

    await db.transaction().execute(async (trx) => {
      await assignRole(trx, testContext, {
        odsCode: 'Y56',
        role: 'regional-director',
        holderName: 'Dr Demo London',
        date: '2024-01-01',
        reason: 'Test',
      });
      const trust = await buildTrust(trx, { odsCode: 'TGV01' });
      const trustOrg = await findOrganisationByCode(trx, trust);
      // The national programmes are seeded in every database.
      const programme = await trx
        .selectFrom('programme')
        .select('id')
        .where('code', '=', 'cancer')
        .executeTakeFirstOrThrow();
      ids.programme = programme.id;
      for (const [key, fn] of [
        ['licensing', 'provider-licensing'],
        ['plain', null],
      ] as const) {
        const row = await trx
          .insertInto('intervention')
          .values({
            organisation_id: trustOrg?.id ?? 0,
            kind: fn ? 'enforcement-undertakings' : 'enhanced-oversight',
            title: fn ? 'Undertakings on A&E governance' : 'Enhanced oversight of elective recovery',
            owner: 'Owner',
            statutory_function: fn,
            signal_kind: 'segment-change',
            signal: JSON.stringify({ from: 2, to: 3 }),
            opened_on: '2024-06-01',
            next_review: '2024-09-01',
            exit_criteria: 'Back to segment 2',
            status: 'open',
            created_by: 'test',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids[key] = row.id;
      }
    });
  });
  afterAll(async () => handle?.close());

  it('has the Executive Group, the Assembly and a board for each of the seven regions in every database', async () => {
    const bodies = await listBodyViews(handle.db, publicReader, today);
    expect(bodies.map((b) => b.code).slice(0, 2)).toEqual(['nhs-executive-group', 'nhs-assembly']);
    expect(
      bodies
        .filter((b) => b.kind === 'regional-board')
        .map((b) => b.scope.odsCode)
        .sort(),
    ).toEqual(['Y56', 'Y58', 'Y59', 'Y60', 'Y61', 'Y62', 'Y63']);
    expect(bodies.find((b) => b.code === 'nhs-assembly')?.scope.odsCode).toBe('X24');
  });

  it('keeps membership over time, and draws regional directors from the hierarchy', async () => {
    const db = handle.db;
    await addMember(
      db,
      as(national),
      'nhs-executive-group',
      {
        personName: 'Demo Chief Executive A',
        position: 'co-chair',
        represents: { organisation: 'X24' },
        validFrom: '2019-04-01',
      },
      today,
    );
    const leaving = await addMember(
      db,
      as(national),
      'nhs-executive-group',
      {
        personName: 'Demo National Director B',
        position: 'member',
        represents: { organisation: 'X24' },
        validFrom: '2019-04-01',
      },
      today,
    );
    await endMember(db, as(national), leaving.id ?? 0, { validTo: '2024-07-01' }, today);
    await addMember(
      db,
      as(national),
      'nhs-assembly',
      {
        personName: 'Demo Patient Voice',
        position: 'member',
        represents: { sector: 'patient' },
        validFrom: '2019-04-01',
      },
      today,
    );

    const before = await getBodyView(db, publicReader, 'nhs-executive-group', today, '2024-06-30');
    expect(before.members.map((m) => [m.personName, m.source])).toEqual([
      ['Demo Chief Executive A', 'recorded'],
      ['Demo National Director B', 'recorded'],
      ['Dr Demo London', 'hierarchy'],
    ]);
    const after = await getBodyView(db, publicReader, 'nhs-executive-group', today, '2024-07-01');
    expect(after.members.map((m) => m.personName)).toEqual(['Demo Chief Executive A', 'Dr Demo London']);
    expect(after.representation).toEqual([
      { key: 'organisation:Y56', label: 'London (Y56)', count: 1 },
      { key: 'organisation:X24', label: 'NHS England (X24)', count: 1 },
    ]);
    // Before the regional director took office, the hierarchy names nobody.
    const early = await getBodyView(db, publicReader, 'nhs-executive-group', today, '2023-12-31');
    expect(early.members.map((m) => m.personName)).toEqual([
      'Demo Chief Executive A',
      'Demo National Director B',
    ]);
    const board = await getBodyView(db, publicReader, 'london-regional-board', today);
    expect(board.members.map((m) => m.personName)).toEqual(['Dr Demo London']);
    const assembly = await getBodyView(db, publicReader, 'nhs-assembly', today);
    expect(assembly.representation).toEqual([
      { key: 'sector:patient', label: 'National patient organisations', count: 1 },
    ]);

    await expect(
      addMember(
        db,
        as(national),
        'nhs-assembly',
        {
          personName: 'demo patient voice',
          position: 'member',
          represents: { sector: 'patient' },
          validFrom: '2024-01-01',
        },
        today,
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      addMember(
        db,
        as(national),
        'nhs-assembly',
        {
          personName: 'Someone',
          position: 'member',
          represents: { organisation: 'ZZZ99' },
          validFrom: '2024-01-01',
        },
        today,
      ),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'represents.organisation' }] });
    await expect(
      endMember(db, as(national), leaving.id ?? 0, { validTo: '2024-08-01' }, today),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('lets a regional director govern their own board but not another region’s, nor England’s bodies', async () => {
    const db = handle.db;
    const london = await scheduleMeeting(
      db,
      as(londonDirector),
      'london-regional-board',
      {
        meetsOn: '2025-03-03',
        title: 'London regional board, March 2025',
        location: 'virtual',
      },
      today,
    );
    expect(london.status).toBe('held');
    const decision = await recordDecision(
      db,
      as(londonDirector),
      london.id,
      { text: 'Agreed the winter plan' },
      today,
    );
    expect(decision.published).toBe(false);

    const refusal = await recordDecision(
      db,
      as(midlandsDirector),
      london.id,
      { text: 'Overrule London' },
      today,
    ).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'forbidden' });
    await expect(
      scheduleMeeting(
        db,
        as(midlandsDirector),
        'london-regional-board',
        {
          meetsOn: '2025-04-03',
          title: 'Midlands holds a London meeting',
          location: 'virtual',
        },
        today,
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      scheduleMeeting(
        db,
        as(londonDirector),
        'nhs-executive-group',
        {
          meetsOn: '2025-04-03',
          title: 'Not theirs',
          location: 'virtual',
        },
        today,
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      addAction(
        db,
        as(midlandsDirector),
        decision.id,
        { description: 'x', owner: 'y', dueOn: '2025-04-01' },
        today,
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(publishDecision(db, as(londonTeam), decision.id)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      recordDecision(db, as(publicReader), london.id, { text: 'Anonymous' }, today),
    ).rejects.toMatchObject({ code: 'unauthenticated' });

    // Nothing half-stored: the refused attempts left one decision.
    const view = await getMeetingView(db, null, null, london.id, today);
    expect(view.decisions.map((d) => d.text)).toEqual(['Agreed the winter plan']);
  });

  it('hides unpublished papers and decisions from the public and from other regions, shows them to covered roles', async () => {
    const db = handle.db;
    const meeting = await scheduleMeeting(
      db,
      as(londonDirector),
      'london-regional-board',
      {
        meetsOn: '2025-02-03',
        title: 'London regional board, February 2025',
        location: 'Wellington House',
      },
      today,
    );
    await addPaper(db, as(londonDirector), meeting.id, {
      title: 'Elective recovery in London',
      author: 'Demo Analyst',
      summary: 'Where waits are longest and why.',
    });
    const decision = await recordDecision(
      db,
      as(londonDirector),
      meeting.id,
      { text: 'Fund two more theatres' },
      today,
    );

    const seen = async (reader: Principal) => {
      const view = await getMeetingView(db, reader, 'london-regional-board', meeting.id, today);
      return { papers: view.papers.length, decisions: view.decisions.map((d) => d.text) };
    };
    expect(await seen(publicReader)).toEqual({ papers: 0, decisions: [] });
    expect(await seen(midlandsDirector)).toEqual({ papers: 0, decisions: [] });
    expect(await seen(icbLead)).toEqual({ papers: 0, decisions: [] });
    expect(await seen(londonTeam)).toEqual({ papers: 1, decisions: ['Fund two more theatres'] });
    expect(await seen(national)).toEqual({ papers: 1, decisions: ['Fund two more theatres'] });
    // The meeting itself is public.
    expect(
      (await getBodyView(db, publicReader, 'london-regional-board', today)).meetings.map((m) => m.id),
    ).toContain(meeting.id);

    await publishDecision(db, as(londonDirector), decision.id);
    expect(await seen(publicReader)).toEqual({ papers: 0, decisions: ['Fund two more theatres'] });
    await expect(publishDecision(db, as(londonDirector), decision.id)).rejects.toMatchObject({
      code: 'conflict',
    });
    // Published decisions are not edited: the database refuses, whoever asks.
    await expect(
      db
        .updateTable('governance_decision')
        .set({ text: 'Fund three more theatres' })
        .where('id', '=', decision.id)
        .execute(),
    ).rejects.toThrow(/set once/);
    await expect(
      db.deleteFrom('governance_decision').where('id', '=', decision.id).execute(),
    ).rejects.toThrow(/append-only/);

    const correction = await recordDecision(
      db,
      as(londonDirector),
      meeting.id,
      {
        text: 'Fund three more theatres',
        supersedes: decision.id,
        publish: true,
      },
      today,
    );
    const corrected = await getMeetingView(db, publicReader, 'london-regional-board', meeting.id, today);
    expect(corrected.decisions.map((d) => [d.id, d.supersededById, d.supersedesId])).toEqual([
      [decision.id, correction.id, null],
      [correction.id, null, decision.id],
    ]);
    await expect(
      recordDecision(db, as(londonDirector), meeting.id, { text: 'Again', supersedes: decision.id }, today),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'supersedes' }] });
  });

  it('links decisions to programmes and interventions, never revealing an intervention of a statutory function', async () => {
    const db = handle.db;
    const meeting = await scheduleMeeting(
      db,
      as(national),
      'nhs-executive-group',
      {
        meetsOn: '2025-03-05',
        title: 'Executive Group, March 2025',
        location: 'virtual',
      },
      today,
    );
    // A director without the licensing grant cannot link (or learn of) the undertakings.
    await expect(
      recordDecision(
        db,
        as(national),
        meeting.id,
        { text: 'Noted undertakings', intervention: ids.licensing },
        today,
      ),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [{ field: 'intervention', message: expect.stringContaining('or you cannot see it') }],
    });
    await expect(
      recordDecision(
        db,
        as(national),
        meeting.id,
        { text: 'Unknown programme', programme: 'no-such' },
        today,
      ),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'programme' }] });

    const linked = await recordDecision(
      db,
      as(licensingDirector),
      meeting.id,
      {
        text: 'Accept the undertakings and fold them into the cancer programme',
        programme: 'cancer',
        intervention: ids.licensing,
        publish: true,
      },
      today,
    );
    expect(linked.intervention?.id).toBe(ids.licensing);
    const plain = await recordDecision(
      db,
      as(national),
      meeting.id,
      {
        text: 'Continue enhanced oversight',
        intervention: ids.plain,
        publish: true,
      },
      today,
    );
    expect(plain.intervention?.title).toBe('Enhanced oversight of elective recovery');

    const links = async (reader: Principal) =>
      (await getMeetingView(db, reader, 'nhs-executive-group', meeting.id, today)).decisions.map((d) => ({
        programme: d.programme?.code ?? null,
        intervention: d.intervention?.id ?? null,
      }));
    expect(await links(licensingDirector)).toEqual([
      { programme: 'cancer', intervention: ids.licensing },
      { programme: null, intervention: ids.plain },
    ]);
    // Without the grant the link is left out without a trace; the public does not see interventions at all.
    expect(await links(national)).toEqual([
      { programme: 'cancer', intervention: null },
      { programme: null, intervention: ids.plain },
    ]);
    expect(await links(publicReader)).toEqual([
      { programme: 'cancer', intervention: null },
      { programme: null, intervention: null },
    ]);
    const choices = (await getMeetingView(db, national, null, meeting.id, today)).choices;
    expect(choices?.interventions.map((i) => i.id)).toEqual([ids.plain]);
    expect(choices?.programmes.map((p) => p.code)).toContain('cancer');
    expect((await getMeetingView(db, londonDirector, null, meeting.id, today)).canGovern).toBe(false);
  });

  it('counts overdue actions over the decisions each reader may see', async () => {
    const db = handle.db;
    const meeting = await scheduleMeeting(
      db,
      as(londonDirector),
      'london-regional-board',
      {
        meetsOn: '2025-01-06',
        title: 'London regional board, January 2025',
        location: 'virtual',
      },
      today,
    );
    const open = await recordDecision(
      db,
      as(londonDirector),
      meeting.id,
      { text: 'Published decision', publish: true },
      today,
    );
    const closed = await recordDecision(
      db,
      as(londonDirector),
      meeting.id,
      { text: 'Private decision' },
      today,
    );
    await addAction(
      db,
      as(londonDirector),
      open.id,
      { description: 'Report bed occupancy', owner: 'Demo Owner A', dueOn: '2025-02-01' },
      today,
    );
    const done = await addAction(
      db,
      as(londonDirector),
      open.id,
      { description: 'Write to trusts', owner: 'Demo Owner B', dueOn: '2025-02-01' },
      today,
    );
    await addAction(
      db,
      as(londonDirector),
      open.id,
      { description: 'Review in April', owner: 'Demo Owner C', dueOn: '2025-04-01' },
      today,
    );
    await addAction(
      db,
      as(londonDirector),
      closed.id,
      { description: 'Private follow-up', owner: 'Demo Owner D', dueOn: '2025-02-15' },
      today,
    );
    await completeAction(db, as(londonDirector), done.id, { completedOn: '2025-02-10' }, today);
    await expect(
      completeAction(db, as(londonDirector), done.id, { completedOn: '2025-02-11' }, today),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      addAction(
        db,
        as(londonDirector),
        open.id,
        { description: 'Backdated', owner: 'X', dueOn: '2024-12-01' },
        today,
      ),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'dueOn' }] });

    const overdue = async (reader: Principal) =>
      (await listOverdueActions(db, reader, today, 'london-regional-board')).map((a) => [
        a.owner,
        a.daysOverdue,
      ]);
    expect(await overdue(publicReader)).toEqual([['Demo Owner A', 37]]);
    expect(await overdue(londonTeam)).toEqual([
      ['Demo Owner A', 37],
      ['Demo Owner D', 23],
    ]);
    expect(await overdue(midlandsDirector)).toEqual([['Demo Owner A', 37]]);

    const board = (await listBodyViews(db, londonTeam, today)).find(
      (b) => b.code === 'london-regional-board',
    );
    expect(board?.actions).toEqual({ open: 1, overdue: 2, completed: 1, completedLate: 1 });
    const publicBoard = (await listBodyViews(db, publicReader, today)).find(
      (b) => b.code === 'london-regional-board',
    );
    expect(publicBoard?.actions).toEqual({ open: 1, overdue: 1, completed: 1, completedLate: 1 });
  });

  it('refuses decisions at future or cancelled meetings', async () => {
    const db = handle.db;
    const future = await scheduleMeeting(
      db,
      as(national),
      'nhs-assembly',
      {
        meetsOn: '2025-06-01',
        title: 'NHS Assembly, June 2025',
        location: 'virtual',
      },
      today,
    );
    expect(future.status).toBe('scheduled');
    await expect(
      recordDecision(db, as(national), future.id, { text: 'Too soon' }, today),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      setMeetingStatus(db, as(national), future.id, { status: 'held' }, today),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await setMeetingStatus(db, as(national), future.id, { status: 'cancelled' }, today);
    await expect(
      addPaper(db, as(national), future.id, { title: 'T', author: 'A', summary: 'S' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    const bodies = await listBodyViews(db, publicReader, today);
    expect(bodies.find((b) => b.code === 'nhs-assembly')?.nextMeeting).toBeNull();
  });

  it('offers, accepts and shows a draft standard only to those who may configure England', async () => {
    const db = handle.db;
    for (const [code, published] of [
      ['gov-draft-standard', false],
      ['gov-published-standard', true],
    ] as const)
      await db
        .insertInto('standard')
        .values({
          code,
          title: published ? 'Published standard' : 'Draft standard',
          owner: 'Owner',
          organisation_kinds: JSON.stringify(['nhs-trust']),
          evidence_asked: 'Board minutes',
          effective_from: '2025-01-01',
          declarations_due: '2025-06-30',
          published_at: published ? new Date('2025-01-02T09:00:00Z') : null,
          created_by: 'test',
        })
        .execute();
    const meeting = await scheduleMeeting(
      db,
      as(londonDirector),
      'london-regional-board',
      { meetsOn: '2025-03-07', title: 'London board, standards', location: 'virtual' },
      today,
    );
    // A regional director governs the board but cannot see drafts: refused as if it did not exist.
    await expect(
      recordDecision(
        db,
        as(londonDirector),
        meeting.id,
        { text: 'Adopt the draft', standard: 'gov-draft-standard' },
        today,
      ),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'standard' }] });
    const regional = await recordDecision(
      db,
      as(londonDirector),
      meeting.id,
      { text: 'Adopt the published standard', standard: 'gov-published-standard', publish: true },
      today,
    );
    expect(regional.standard?.code).toBe('gov-published-standard');
    const draft = await recordDecision(
      db,
      as(national),
      meeting.id,
      { text: 'Prepare for the draft standard', standard: 'gov-draft-standard', publish: true },
      today,
    );
    expect(draft.standard?.code).toBe('gov-draft-standard');

    const view = (reader: Principal | null) => getMeetingView(db, reader, null, meeting.id, today);
    const standards = async (reader: Principal | null) =>
      (await view(reader)).decisions.map((d) => d.standard?.code ?? null);
    expect(await standards(national)).toEqual(['gov-published-standard', 'gov-draft-standard']);
    expect(await standards(null)).toEqual(['gov-published-standard', 'gov-draft-standard']);
    // Signed in is not enough: the draft's link is left out for the regional director, and the public.
    expect(await standards(londonDirector)).toEqual(['gov-published-standard', null]);
    expect(await standards(londonTeam)).toEqual(['gov-published-standard', null]);
    expect(await standards(publicReader)).toEqual(['gov-published-standard', null]);
    const offered = async (reader: Principal) =>
      (await view(reader)).choices?.standards.map((s) => s.code) ?? [];
    expect(await offered(londonDirector)).toContain('gov-published-standard');
    expect(await offered(londonDirector)).not.toContain('gov-draft-standard');
    expect(await offered(national)).toEqual(
      expect.arrayContaining(['gov-published-standard', 'gov-draft-standard']),
    );
  });

  it('offers the interventions a recorder may see even behind more than a page of hidden ones', async () => {
    const db = handle.db;
    const trust = await findOrganisationByCode(db, 'TGV01');
    // 250 later interventions of a statutory function the national director is not granted.
    await db
      .insertInto('intervention')
      .values(
        Array.from({ length: 250 }, (_, n) => ({
          organisation_id: trust?.id ?? 0,
          kind: 'enforcement-undertakings',
          title: `Hidden undertakings ${n}`,
          owner: 'Owner',
          statutory_function: 'provider-licensing',
          signal_kind: 'segment-change',
          signal: JSON.stringify({ from: 2, to: 3 }),
          opened_on: '2024-12-01',
          next_review: '2025-03-01',
          exit_criteria: 'Back to segment 2',
          status: 'open',
          created_by: 'test',
        })),
      )
      .execute();
    const meeting = await scheduleMeeting(
      db,
      as(national),
      'nhs-executive-group',
      { meetsOn: '2025-03-06', title: 'Executive Group, choices', location: 'virtual' },
      today,
    );
    const choices = (await getMeetingView(db, national, null, meeting.id, today)).choices;
    expect(choices?.interventions.map((i) => i.id)).toEqual([ids.plain]);
    const granted = (await getMeetingView(db, licensingDirector, null, meeting.id, today)).choices;
    expect(granted?.interventions).toHaveLength(200);
  });

  it('loads the demo governance business: members, meetings held and scheduled, linked decisions, overdue actions', async () => {
    const demo = await createTestDatabase('reference');
    try {
      const added = await loadDemoGovernance(demo.db, today);
      expect(added).toBeGreaterThan(30);
      const bodies = await listBodyViews(demo.db, publicReader, today);
      const executive = bodies.find((b) => b.code === 'nhs-executive-group');
      expect(executive?.nextMeeting?.meetsOn).toBe('2025-03-31');
      expect(executive?.membersToday).toBe(6);
      const assembly = await getBodyView(demo.db, publicReader, 'nhs-assembly', today);
      expect(assembly.members.map((m) => m.personName)).not.toContain('Demo STP Leader');
      expect(assembly.representation.map((g) => g.key)).toContain('sector:ics');
      const overdue = await listOverdueActions(demo.db, publicReader, today);
      expect(overdue.map((a) => a.owner)).toEqual(
        expect.arrayContaining(['Demo National Cancer Director', 'Demo Assembly Secretariat']),
      );
      const held = assembly.meetings.find((m) => m.status === 'held');
      const meeting = await getMeetingView(demo.db, publicReader, 'nhs-assembly', held?.id ?? 0, today);
      expect(meeting.decisions[0]?.programme?.code).toBe('digital');
    } finally {
      await demo.close();
    }
  });
});
