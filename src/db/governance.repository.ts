import { sql } from 'kysely';
import type { BodyKind, MeetingStatus, MemberPosition, Sector } from '../domain/governance.js';
import type { IsoDate } from '../domain/iso-date.js';
import type { Executor } from './database.js';

/** All SQL of the governance bodies: bodies, membership, meetings, papers, decisions and actions. */

export interface OrganisationRef {
  id: number;
  odsCode: string;
  name: string;
}

export interface BodyRecord {
  id: number;
  code: string;
  name: string;
  kind: BodyKind;
  purpose: string;
  scope: OrganisationRef;
}

export interface MembershipRecord {
  id: number;
  bodyId: number;
  personName: string;
  position: MemberPosition;
  organisation: OrganisationRef | null;
  sector: Sector | null;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  recordedBy: string;
}

export interface MeetingRecord {
  id: number;
  bodyId: number;
  meetsOn: IsoDate;
  title: string;
  status: MeetingStatus;
  location: string;
}

export interface PaperRecord {
  id: number;
  meetingId: number;
  title: string;
  author: string;
  summary: string;
  publishedAt: Date | null;
  createdBy: string;
}

export interface InterventionLinkRecord {
  id: number;
  organisationId: number;
  title: string;
  kind: string;
  openedOn: IsoDate;
  statutoryFunction: string | null;
}

export interface DecisionRecord {
  id: number;
  meetingId: number;
  text: string;
  programme: { id: number; code: string; name: string } | null;
  intervention: InterventionLinkRecord | null;
  standard: { id: number; code: string; title: string; published: boolean } | null;
  supersedesId: number | null;
  supersededById: number | null;
  publishedAt: Date | null;
  recordedAt: Date;
  recordedBy: string;
}

export interface ActionRecord {
  id: number;
  decisionId: number;
  description: string;
  owner: string;
  dueOn: IsoDate;
  completedOn: IsoDate | null;
  completedBy: string | null;
}

/** An action with what decides who may see it: its decision's publication, meeting and body. */
export interface ActionInContext extends ActionRecord {
  decisionPublished: boolean;
  decisionText: string;
  meetingId: number;
  meetingTitle: string;
  meetsOn: IsoDate;
  bodyId: number;
}

/** The name an organisation has now (or had last, if it has closed). */
function latestName(organisationIdColumn: string) {
  return sql<string>`(select v.name from organisation_version v where v.organisation_id = ${sql.ref(
    organisationIdColumn,
  )} order by v.valid_from desc limit 1)`;
}

// Bodies

export async function listBodies(ex: Executor): Promise<BodyRecord[]> {
  const rows = await ex
    .selectFrom('governance_body as b')
    .innerJoin('organisation as o', 'o.id', 'b.scope_organisation_id')
    .select(['b.id', 'b.code', 'b.name', 'b.kind', 'b.purpose', 'o.id as scope_id', 'o.ods_code'])
    .select(latestName('o.id').as('scope_name'))
    .orderBy(sql`case b.kind when 'executive-group' then 0 when 'assembly' then 1 else 2 end`)
    .orderBy('b.name')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as BodyKind,
    purpose: row.purpose,
    scope: { id: row.scope_id, odsCode: row.ods_code, name: row.scope_name },
  }));
}

export async function findBodyByCode(ex: Executor, code: string): Promise<BodyRecord | null> {
  return (await listBodies(ex)).find((b) => b.code === code) ?? null;
}

/** Adds a body unless one with its code exists; true when added. */
export async function insertBodyIfMissing(
  ex: Executor,
  body: { code: string; name: string; kind: BodyKind; scopeOrganisationId: number; purpose: string },
): Promise<boolean> {
  const inserted = await ex
    .insertInto('governance_body')
    .values({
      code: body.code,
      name: body.name,
      kind: body.kind,
      scope_organisation_id: body.scopeOrganisationId,
      purpose: body.purpose,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

// Membership

export async function listMemberships(ex: Executor, bodyId: number): Promise<MembershipRecord[]> {
  const rows = await ex
    .selectFrom('governance_membership as m')
    .leftJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select([
      'm.id',
      'm.body_id',
      'm.person_name',
      'm.position',
      'm.organisation_id',
      'm.sector',
      'm.valid_from',
      'm.valid_to',
      'm.recorded_by',
      'o.ods_code',
    ])
    .select(latestName('m.organisation_id').as('organisation_name'))
    .where('m.body_id', '=', bodyId)
    .orderBy('m.valid_from')
    .orderBy('m.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    bodyId: row.body_id,
    personName: row.person_name,
    position: row.position as MemberPosition,
    organisation:
      row.organisation_id !== null && row.ods_code !== null
        ? { id: row.organisation_id, odsCode: row.ods_code, name: row.organisation_name }
        : null,
    sector: row.sector as Sector | null,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    recordedBy: row.recorded_by,
  }));
}

export async function findMembership(ex: Executor, id: number): Promise<MembershipRecord | null> {
  const row = await ex
    .selectFrom('governance_membership')
    .select('body_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return (await listMemberships(ex, row.body_id)).find((m) => m.id === id) ?? null;
}

export async function insertMembership(
  ex: Executor,
  input: {
    bodyId: number;
    personName: string;
    position: MemberPosition;
    organisationId: number | null;
    sector: Sector | null;
    validFrom: IsoDate;
    recordedBy: string;
  },
): Promise<number> {
  const row = await ex
    .insertInto('governance_membership')
    .values({
      body_id: input.bodyId,
      person_name: input.personName,
      position: input.position,
      organisation_id: input.organisationId,
      sector: input.sector,
      valid_from: input.validFrom,
      recorded_by: input.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function closeMembership(ex: Executor, id: number, validTo: IsoDate): Promise<void> {
  await ex.updateTable('governance_membership').set({ valid_to: validTo }).where('id', '=', id).execute();
}

/** Regional directors in post on the date, on the regions open on that date (organisation_role). */
export async function listRegionalDirectorsAt(
  ex: Executor,
  date: IsoDate,
  regionId: number | null = null,
): Promise<
  Array<{ personName: string; region: OrganisationRef; validFrom: IsoDate; validTo: IsoDate | null }>
> {
  let query = ex
    .selectFrom('organisation_role as r')
    .innerJoin('organisation_version as v', 'v.organisation_id', 'r.organisation_id')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .select(['r.holder_name', 'r.valid_from', 'r.valid_to', 'o.id', 'o.ods_code', 'v.name'])
    .where('r.role', '=', 'regional-director')
    .where('v.kind', '=', 'region')
    .where(sql<boolean>`r.valid_from <= ${date}::date and (r.valid_to is null or r.valid_to > ${date}::date)`)
    .where(
      sql<boolean>`v.valid_from <= ${date}::date and (v.valid_to is null or v.valid_to > ${date}::date)`,
    );
  if (regionId !== null) query = query.where('r.organisation_id', '=', regionId);
  const rows = await query.orderBy('v.name').execute();
  return rows.map((row) => ({
    personName: row.holder_name,
    region: { id: row.id, odsCode: row.ods_code, name: row.name },
    validFrom: row.valid_from,
    validTo: row.valid_to,
  }));
}

// Meetings

const meetingColumns = ['id', 'body_id', 'meets_on', 'title', 'status', 'location'] as const;

function meetingRowToRecord(row: {
  id: number;
  body_id: number;
  meets_on: string;
  title: string;
  status: string;
  location: string;
}): MeetingRecord {
  return {
    id: row.id,
    bodyId: row.body_id,
    meetsOn: row.meets_on,
    title: row.title,
    status: row.status as MeetingStatus,
    location: row.location,
  };
}

/** Meetings of one body, or of every body; latest first. */
export async function listMeetings(ex: Executor, bodyId: number | null): Promise<MeetingRecord[]> {
  let query = ex.selectFrom('governance_meeting').select(meetingColumns);
  if (bodyId !== null) query = query.where('body_id', '=', bodyId);
  const rows = await query.orderBy('meets_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map(meetingRowToRecord);
}

export async function findMeeting(ex: Executor, id: number): Promise<MeetingRecord | null> {
  const row = await ex
    .selectFrom('governance_meeting')
    .select(meetingColumns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? meetingRowToRecord(row) : null;
}

/** The meeting, locked for the rest of the transaction (a status change and a decision cannot race). */
export async function lockMeeting(ex: Executor, id: number): Promise<MeetingRecord | null> {
  const row = await ex
    .selectFrom('governance_meeting')
    .select(meetingColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? meetingRowToRecord(row) : null;
}

export async function insertMeeting(
  ex: Executor,
  input: {
    bodyId: number;
    meetsOn: IsoDate;
    title: string;
    status: MeetingStatus;
    location: string;
    createdBy: string;
  },
): Promise<number> {
  const row = await ex
    .insertInto('governance_meeting')
    .values({
      body_id: input.bodyId,
      meets_on: input.meetsOn,
      title: input.title,
      status: input.status,
      location: input.location,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateMeetingStatus(ex: Executor, id: number, status: MeetingStatus): Promise<void> {
  await ex.updateTable('governance_meeting').set({ status }).where('id', '=', id).execute();
}

// Papers

export async function listPapers(ex: Executor, meetingId: number): Promise<PaperRecord[]> {
  const rows = await ex
    .selectFrom('governance_paper')
    .select(['id', 'meeting_id', 'title', 'author', 'summary', 'published_at', 'created_by'])
    .where('meeting_id', '=', meetingId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    meetingId: row.meeting_id,
    title: row.title,
    author: row.author,
    summary: row.summary,
    publishedAt: row.published_at,
    createdBy: row.created_by,
  }));
}

export async function findPaperMeetingId(ex: Executor, paperId: number): Promise<number | null> {
  const row = await ex
    .selectFrom('governance_paper')
    .select('meeting_id')
    .where('id', '=', paperId)
    .executeTakeFirst();
  return row?.meeting_id ?? null;
}

export async function insertPaper(
  ex: Executor,
  input: {
    meetingId: number;
    title: string;
    author: string;
    summary: string;
    publish: boolean;
    createdBy: string;
  },
): Promise<number> {
  const row = await ex
    .insertInto('governance_paper')
    .values({
      meeting_id: input.meetingId,
      title: input.title,
      author: input.author,
      summary: input.summary,
      published_at: input.publish ? new Date() : null,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function publishPaper(ex: Executor, id: number): Promise<void> {
  await ex
    .updateTable('governance_paper')
    .set({ published_at: new Date() })
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .execute();
}

// Decisions

/** Decisions of the given meetings, with what they link to and what superseded them. */
export async function listDecisions(ex: Executor, meetingIds: readonly number[]): Promise<DecisionRecord[]> {
  if (meetingIds.length === 0) return [];
  const rows = await ex
    .selectFrom('governance_decision as d')
    .leftJoin('programme as p', 'p.id', 'd.programme_id')
    .leftJoin('intervention as i', 'i.id', 'd.intervention_id')
    .leftJoin('standard as s', 's.id', 'd.standard_id')
    .leftJoin('governance_decision as later', 'later.supersedes_id', 'd.id')
    .select([
      'd.id',
      'd.meeting_id',
      'd.text',
      'd.supersedes_id',
      'd.published_at',
      'd.recorded_at',
      'd.recorded_by',
      'p.id as programme_id',
      'p.code as programme_code',
      'p.name as programme_name',
      'i.id as intervention_id',
      'i.organisation_id as intervention_organisation_id',
      'i.title as intervention_title',
      'i.kind as intervention_kind',
      'i.opened_on as intervention_opened_on',
      'i.statutory_function as intervention_function',
      's.id as standard_id',
      's.code as standard_code',
      's.title as standard_title',
      's.published_at as standard_published_at',
      'later.id as superseded_by_id',
    ])
    .where('d.meeting_id', 'in', [...new Set(meetingIds)])
    .orderBy('d.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    meetingId: row.meeting_id,
    text: row.text,
    programme:
      row.programme_id !== null && row.programme_code !== null && row.programme_name !== null
        ? { id: row.programme_id, code: row.programme_code, name: row.programme_name }
        : null,
    intervention:
      row.intervention_id !== null &&
      row.intervention_organisation_id !== null &&
      row.intervention_title !== null &&
      row.intervention_kind !== null &&
      row.intervention_opened_on !== null
        ? {
            id: row.intervention_id,
            organisationId: row.intervention_organisation_id,
            title: row.intervention_title,
            kind: row.intervention_kind,
            openedOn: row.intervention_opened_on,
            statutoryFunction: row.intervention_function,
          }
        : null,
    standard:
      row.standard_id !== null && row.standard_code !== null && row.standard_title !== null
        ? {
            id: row.standard_id,
            code: row.standard_code,
            title: row.standard_title,
            published: row.standard_published_at !== null,
          }
        : null,
    supersedesId: row.supersedes_id,
    supersededById: row.superseded_by_id,
    publishedAt: row.published_at,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
  }));
}

/** The meeting a decision was taken at, locking the decision for the rest of the transaction. */
export async function lockDecision(
  ex: Executor,
  id: number,
): Promise<{ id: number; meetingId: number; published: boolean } | null> {
  const row = await ex
    .selectFrom('governance_decision')
    .select(['id', 'meeting_id', 'published_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? { id: row.id, meetingId: row.meeting_id, published: row.published_at !== null } : null;
}

export async function insertDecision(
  ex: Executor,
  input: {
    meetingId: number;
    text: string;
    programmeId: number | null;
    interventionId: number | null;
    standardId: number | null;
    supersedesId: number | null;
    publish: boolean;
    recordedBy: string;
  },
): Promise<number> {
  const row = await ex
    .insertInto('governance_decision')
    .values({
      meeting_id: input.meetingId,
      text: input.text,
      programme_id: input.programmeId,
      intervention_id: input.interventionId,
      standard_id: input.standardId,
      supersedes_id: input.supersedesId,
      published_at: input.publish ? new Date() : null,
      recorded_by: input.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function isDecisionSuperseded(ex: Executor, id: number): Promise<boolean> {
  const row = await ex
    .selectFrom('governance_decision')
    .select('id')
    .where('supersedes_id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function publishDecision(ex: Executor, id: number): Promise<void> {
  await ex
    .updateTable('governance_decision')
    .set({ published_at: new Date() })
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .execute();
}

// Actions

const actionColumns = [
  'a.id',
  'a.decision_id',
  'a.description',
  'a.owner',
  'a.due_on',
  'a.completed_on',
  'a.completed_by',
] as const;

function actionRowToRecord(row: {
  id: number;
  decision_id: number;
  description: string;
  owner: string;
  due_on: string;
  completed_on: string | null;
  completed_by: string | null;
}): ActionRecord {
  return {
    id: row.id,
    decisionId: row.decision_id,
    description: row.description,
    owner: row.owner,
    dueOn: row.due_on,
    completedOn: row.completed_on,
    completedBy: row.completed_by,
  };
}

export async function listActions(ex: Executor, decisionIds: readonly number[]): Promise<ActionRecord[]> {
  if (decisionIds.length === 0) return [];
  const rows = await ex
    .selectFrom('governance_action as a')
    .select(actionColumns)
    .where('a.decision_id', 'in', [...new Set(decisionIds)])
    .orderBy('a.due_on')
    .orderBy('a.id')
    .execute();
  return rows.map(actionRowToRecord);
}

/** Every action (of one body, or all), with its decision, meeting and body; `openOnly` leaves out completed ones. */
export async function listActionsInContext(
  ex: Executor,
  options: { bodyId?: number | null; openOnly?: boolean; actionId?: number; forUpdate?: boolean },
): Promise<ActionInContext[]> {
  let query = ex
    .selectFrom('governance_action as a')
    .innerJoin('governance_decision as d', 'd.id', 'a.decision_id')
    .innerJoin('governance_meeting as m', 'm.id', 'd.meeting_id')
    .select(actionColumns)
    .select([
      'd.published_at as decision_published_at',
      'd.text as decision_text',
      'm.id as meeting_id',
      'm.title as meeting_title',
      'm.meets_on',
      'm.body_id',
    ]);
  if (options.bodyId !== undefined && options.bodyId !== null)
    query = query.where('m.body_id', '=', options.bodyId);
  if (options.openOnly) query = query.where('a.completed_on', 'is', null);
  if (options.actionId !== undefined) query = query.where('a.id', '=', options.actionId);
  if (options.forUpdate) query = query.forUpdate('a');
  const rows = await query.orderBy('a.due_on').orderBy('a.id').execute();
  return rows.map((row) => ({
    ...actionRowToRecord(row),
    decisionPublished: row.decision_published_at !== null,
    decisionText: row.decision_text,
    meetingId: row.meeting_id,
    meetingTitle: row.meeting_title,
    meetsOn: row.meets_on,
    bodyId: row.body_id,
  }));
}

export async function insertAction(
  ex: Executor,
  input: { decisionId: number; description: string; owner: string; dueOn: IsoDate; createdBy: string },
): Promise<number> {
  const row = await ex
    .insertInto('governance_action')
    .values({
      decision_id: input.decisionId,
      description: input.description,
      owner: input.owner,
      due_on: input.dueOn,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function completeAction(
  ex: Executor,
  id: number,
  completedOn: IsoDate,
  by: string,
): Promise<void> {
  await ex
    .updateTable('governance_action')
    .set({ completed_on: completedOn, completed_by: by })
    .where('id', '=', id)
    .where('completed_on', 'is', null)
    .execute();
}

// What decisions link to

export async function findProgrammeByCode(
  ex: Executor,
  code: string,
): Promise<{ id: number; code: string; name: string } | null> {
  const row = await ex
    .selectFrom('programme')
    .select(['id', 'code', 'name'])
    .where('code', '=', code)
    .executeTakeFirst();
  return row ?? null;
}

export async function listProgrammeChoices(ex: Executor): Promise<Array<{ code: string; name: string }>> {
  return ex.selectFrom('programme').select(['code', 'name']).orderBy('name').execute();
}

export async function findStandardByCode(
  ex: Executor,
  code: string,
): Promise<{ id: number; code: string; title: string; published: boolean } | null> {
  const row = await ex
    .selectFrom('standard')
    .select(['id', 'code', 'title', 'published_at'])
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? { id: row.id, code: row.code, title: row.title, published: row.published_at !== null } : null;
}

/** Standards a decision may link to: only published ones unless `withDrafts` (those who configure England). */
export async function listStandardChoices(
  ex: Executor,
  withDrafts = false,
): Promise<Array<{ code: string; title: string }>> {
  let query = ex.selectFrom('standard').select(['code', 'title']);
  if (!withDrafts) query = query.where('published_at', 'is not', null);
  return query.orderBy('title').execute();
}

export async function findInterventionLink(ex: Executor, id: number): Promise<InterventionLinkRecord | null> {
  const row = await ex
    .selectFrom('intervention')
    .select(['id', 'organisation_id', 'title', 'kind', 'opened_on', 'statutory_function'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        organisationId: row.organisation_id,
        title: row.title,
        kind: row.kind,
        openedOn: row.opened_on,
        statutoryFunction: row.statutory_function,
      }
    : null;
}

/**
 * Interventions (all of them: the service keeps only those the caller may see), latest first, a page at a
 * time: `after` is the last one of the previous page, so the service can page on until it has enough visible.
 */
export async function listInterventionLinks(
  ex: Executor,
  limit = 200,
  after: { openedOn: IsoDate; id: number } | null = null,
): Promise<InterventionLinkRecord[]> {
  let query = ex
    .selectFrom('intervention')
    .select(['id', 'organisation_id', 'title', 'kind', 'opened_on', 'statutory_function']);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('opened_on', '<', after.openedOn),
        eb.and([eb('opened_on', '=', after.openedOn), eb('id', '<', after.id)]),
      ]),
    );
  const rows = await query.orderBy('opened_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    organisationId: row.organisation_id,
    title: row.title,
    kind: row.kind,
    openedOn: row.opened_on,
    statutoryFunction: row.statutory_function,
  }));
}
