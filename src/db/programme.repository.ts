import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { IsoDate } from '../domain/iso-date.js';

/** National programmes: the programme, its stage history, contributions, milestones and reviews. */

export interface ProgrammeRecord {
  id: number;
  code: string;
  name: string;
  sponsor: string;
  nationalDirector: string;
  scope: string;
  stage: string;
  /** As stored (jsonb); the service parses it with the domain schema. */
  metrics: unknown;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

function programmeQuery(ex: Executor) {
  return ex
    .selectFrom('programme')
    .select([
      'id',
      'code',
      'name',
      'sponsor',
      'national_director',
      'scope',
      'stage',
      'metrics',
      'created_at',
      'created_by',
      'updated_at',
    ]);
}

type ProgrammeRow = Awaited<ReturnType<ReturnType<typeof programmeQuery>['executeTakeFirstOrThrow']>>;

function programmeRowToProgramme(row: ProgrammeRow): ProgrammeRecord {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    sponsor: row.sponsor,
    nationalDirector: row.national_director,
    scope: row.scope,
    stage: row.stage,
    metrics: row.metrics,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at),
  };
}

export async function listProgrammeRecords(ex: Executor): Promise<ProgrammeRecord[]> {
  return (await programmeQuery(ex).orderBy('name').execute()).map(programmeRowToProgramme);
}

/** One programme by code; `lock` holds its row for the transaction, so stage moves happen one at a time. */
export async function findProgrammeByCode(
  ex: Executor,
  code: string,
  lock = false,
): Promise<ProgrammeRecord | null> {
  const query = programmeQuery(ex).where('code', '=', code);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  return row ? programmeRowToProgramme(row) : null;
}

export async function listProgrammeCodes(ex: Executor): Promise<string[]> {
  return (await ex.selectFrom('programme').select('code').execute()).map((r) => r.code);
}

export async function insertProgramme(
  ex: Executor,
  programme: {
    code: string;
    name: string;
    sponsor: string;
    nationalDirector: string;
    scope: string;
    stage: string;
    metrics: unknown;
    createdBy: string;
  },
): Promise<number> {
  const row = await ex
    .insertInto('programme')
    .values({
      code: programme.code,
      name: programme.name,
      sponsor: programme.sponsor,
      national_director: programme.nationalDirector,
      scope: programme.scope,
      stage: programme.stage,
      metrics: JSON.stringify(programme.metrics),
      created_by: programme.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProgrammeStage(ex: Executor, id: number, stage: string): Promise<void> {
  await ex
    .updateTable('programme')
    .set({ stage, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Marks the programme changed (a contribution, milestone or review), for "last updated". */
export async function touchProgramme(ex: Executor, id: number): Promise<void> {
  await ex
    .updateTable('programme')
    .set({ updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

// Stage history (append-only)

export interface StageChangeRecord {
  fromStage: string | null;
  toStage: string;
  reason: string;
  changedAt: string;
  changedBy: string;
}

export async function insertStageChange(
  ex: Executor,
  change: {
    programmeId: number;
    fromStage: string | null;
    toStage: string;
    reason: string;
    changedBy: string;
  },
): Promise<void> {
  await ex
    .insertInto('programme_stage_change')
    .values({
      programme_id: change.programmeId,
      from_stage: change.fromStage,
      to_stage: change.toStage,
      reason: change.reason,
      changed_by: change.changedBy,
    })
    .execute();
}

export async function listStageChanges(ex: Executor, programmeId: number): Promise<StageChangeRecord[]> {
  const rows = await ex
    .selectFrom('programme_stage_change')
    .select(['from_stage', 'to_stage', 'reason', 'changed_at', 'changed_by'])
    .where('programme_id', '=', programmeId)
    .orderBy('changed_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    fromStage: r.from_stage,
    toStage: r.to_stage,
    reason: r.reason,
    changedAt: iso(r.changed_at),
    changedBy: r.changed_by,
  }));
}

// Contributions

export interface ContributionRecord {
  programmeId: number;
  organisationId: number;
  odsCode: string;
  commitment: string;
  status: string;
  updatedAt: string;
  updatedBy: string;
}

function contributionQuery(ex: Executor) {
  return ex
    .selectFrom('programme_contribution as c')
    .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
    .select([
      'c.programme_id',
      'c.organisation_id',
      'o.ods_code',
      'c.commitment',
      'c.status',
      'c.updated_at',
      'c.updated_by',
    ]);
}

type ContributionRow = Awaited<ReturnType<ReturnType<typeof contributionQuery>['executeTakeFirstOrThrow']>>;

function contributionRowToContribution(r: ContributionRow): ContributionRecord {
  return {
    programmeId: r.programme_id,
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    commitment: r.commitment,
    status: r.status,
    updatedAt: iso(r.updated_at),
    updatedBy: r.updated_by,
  };
}

export async function listContributions(ex: Executor, programmeId?: number): Promise<ContributionRecord[]> {
  let query = contributionQuery(ex);
  if (programmeId !== undefined) query = query.where('c.programme_id', '=', programmeId);
  return (await query.orderBy('o.ods_code').execute()).map(contributionRowToContribution);
}

export async function findContribution(
  ex: Executor,
  programmeId: number,
  organisationId: number,
): Promise<ContributionRecord | null> {
  const row = await contributionQuery(ex)
    .where('c.programme_id', '=', programmeId)
    .where('c.organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row ? contributionRowToContribution(row) : null;
}

/** One contribution per organisation and programme: a new commitment or status replaces the last (audited). */
export async function upsertContribution(
  ex: Executor,
  contribution: {
    programmeId: number;
    organisationId: number;
    commitment: string;
    status: string;
    updatedBy: string;
  },
): Promise<void> {
  await ex
    .insertInto('programme_contribution')
    .values({
      programme_id: contribution.programmeId,
      organisation_id: contribution.organisationId,
      commitment: contribution.commitment,
      status: contribution.status,
      updated_by: contribution.updatedBy,
    })
    .onConflict((oc) =>
      oc.columns(['programme_id', 'organisation_id']).doUpdateSet({
        commitment: contribution.commitment,
        status: contribution.status,
        updated_by: contribution.updatedBy,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

// Milestones

export interface MilestoneRecord {
  id: number;
  programmeId: number;
  title: string;
  due: IsoDate;
  completedOn: IsoDate | null;
  completedBy: string | null;
  createdBy: string;
}

function milestoneQuery(ex: Executor) {
  return ex
    .selectFrom('programme_milestone')
    .select(['id', 'programme_id', 'title', 'due', 'completed_on', 'completed_by', 'created_by']);
}

type MilestoneRow = Awaited<ReturnType<ReturnType<typeof milestoneQuery>['executeTakeFirstOrThrow']>>;

function milestoneRowToMilestone(r: MilestoneRow): MilestoneRecord {
  return {
    id: r.id,
    programmeId: r.programme_id,
    title: r.title,
    due: r.due,
    completedOn: r.completed_on,
    completedBy: r.completed_by,
    createdBy: r.created_by,
  };
}

export async function listMilestones(ex: Executor, programmeId?: number): Promise<MilestoneRecord[]> {
  let query = milestoneQuery(ex);
  if (programmeId !== undefined) query = query.where('programme_id', '=', programmeId);
  return (await query.orderBy('due').orderBy('id').execute()).map(milestoneRowToMilestone);
}

export async function findMilestone(
  ex: Executor,
  programmeId: number,
  id: number,
): Promise<MilestoneRecord | null> {
  const row = await milestoneQuery(ex)
    .where('programme_id', '=', programmeId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? milestoneRowToMilestone(row) : null;
}

export async function insertMilestone(
  ex: Executor,
  milestone: { programmeId: number; title: string; due: IsoDate; createdBy: string },
): Promise<number> {
  const row = await ex
    .insertInto('programme_milestone')
    .values({
      programme_id: milestone.programmeId,
      title: milestone.title,
      due: milestone.due,
      created_by: milestone.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function completeMilestoneRow(
  ex: Executor,
  id: number,
  completedOn: IsoDate,
  completedBy: string,
): Promise<void> {
  await ex
    .updateTable('programme_milestone')
    .set({ completed_on: completedOn, completed_by: completedBy })
    .where('id', '=', id)
    .execute();
}

// Reviews

export interface ReviewRecord {
  id: number;
  programmeId: number;
  scheduledFor: IsoDate;
  heldOn: IsoDate | null;
  outcome: string | null;
  decision: string | null;
  scheduledBy: string;
  recordedBy: string | null;
}

function reviewQuery(ex: Executor) {
  return ex
    .selectFrom('programme_review')
    .select([
      'id',
      'programme_id',
      'scheduled_for',
      'held_on',
      'outcome',
      'decision',
      'scheduled_by',
      'recorded_by',
    ]);
}

type ReviewRow = Awaited<ReturnType<ReturnType<typeof reviewQuery>['executeTakeFirstOrThrow']>>;

function reviewRowToReview(r: ReviewRow): ReviewRecord {
  return {
    id: r.id,
    programmeId: r.programme_id,
    scheduledFor: r.scheduled_for,
    heldOn: r.held_on,
    outcome: r.outcome,
    decision: r.decision,
    scheduledBy: r.scheduled_by,
    recordedBy: r.recorded_by,
  };
}

export async function listReviews(ex: Executor, programmeId?: number): Promise<ReviewRecord[]> {
  let query = reviewQuery(ex);
  if (programmeId !== undefined) query = query.where('programme_id', '=', programmeId);
  return (await query.orderBy('scheduled_for').orderBy('id').execute()).map(reviewRowToReview);
}

export async function findReview(
  ex: Executor,
  programmeId: number,
  id: number,
): Promise<ReviewRecord | null> {
  const row = await reviewQuery(ex)
    .where('programme_id', '=', programmeId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? reviewRowToReview(row) : null;
}

export async function insertReview(
  ex: Executor,
  review: { programmeId: number; scheduledFor: IsoDate; scheduledBy: string },
): Promise<number> {
  const row = await ex
    .insertInto('programme_review')
    .values({
      programme_id: review.programmeId,
      scheduled_for: review.scheduledFor,
      scheduled_by: review.scheduledBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function recordReviewRow(
  ex: Executor,
  id: number,
  held: { heldOn: IsoDate; outcome: string; decision: string; recordedBy: string },
): Promise<void> {
  await ex
    .updateTable('programme_review')
    .set({
      held_on: held.heldOn,
      outcome: held.outcome,
      decision: held.decision,
      recorded_by: held.recordedBy,
    })
    .where('id', '=', id)
    .execute();
}

// Regions and ICBs, for contributions

export interface AreaRecord {
  id: number;
  odsCode: string;
  name: string;
  kind: 'region' | 'icb';
  parentId: number | null;
}

/** The regions and ICBs open on a date, with each one's parent then (an ICB's region). */
export async function listRegionsAndIcbsAt(ex: Executor, date: IsoDate): Promise<AreaRecord[]> {
  const rows = await ex
    .selectFrom('organisation as o')
    .innerJoin('organisation_version as v', (join) =>
      join
        .onRef('v.organisation_id', '=', 'o.id')
        .on('v.valid_from', '<=', date)
        .on((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', date)])),
    )
    .leftJoin('organisation_parent as p', (join) =>
      join
        .onRef('p.organisation_id', '=', 'o.id')
        .on('p.valid_from', '<=', date)
        .on((eb) => eb.or([eb('p.valid_to', 'is', null), eb('p.valid_to', '>', date)])),
    )
    .select(['o.id', 'o.ods_code', 'v.name', 'v.kind', 'p.parent_id'])
    .where('v.kind', 'in', ['region', 'icb'])
    .orderBy('v.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    odsCode: r.ods_code,
    name: r.name,
    kind: r.kind === 'region' ? 'region' : 'icb',
    parentId: r.parent_id,
  }));
}

/** The latest name and kind of organisations (an area that has since closed keeps its last name). */
export async function listLatestAreas(
  ex: Executor,
  ids: readonly number[],
): Promise<Map<number, { odsCode: string; name: string; kind: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await ex
    .selectFrom('organisation as o')
    .select([
      'o.id',
      'o.ods_code',
      (eb) =>
        eb
          .selectFrom('organisation_version as v')
          .select('v.name')
          .whereRef('v.organisation_id', '=', 'o.id')
          .orderBy('v.valid_from', 'desc')
          .limit(1)
          .as('name'),
      (eb) =>
        eb
          .selectFrom('organisation_version as v')
          .select('v.kind')
          .whereRef('v.organisation_id', '=', 'o.id')
          .orderBy('v.valid_from', 'desc')
          .limit(1)
          .as('kind'),
    ])
    .where('o.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [r.id, { odsCode: r.ods_code, name: r.name ?? r.ods_code, kind: r.kind ?? 'unknown' }]),
  );
}
