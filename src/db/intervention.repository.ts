import { sql } from 'kysely';
import type { Executor } from './database.js';

/** The interventions register: interventions, their actions and reviews, and the facts the chain reads. */

export interface InterventionRecord {
  id: number;
  organisationId: number;
  odsCode: string;
  organisationName: string;
  kind: string;
  title: string;
  owner: string;
  statutoryFunction: string | null;
  signalKind: string;
  signal: unknown;
  openedOn: string;
  nextReview: string;
  exitCriteria: string;
  programme: { id: number; code: string; name: string } | null;
  status: string;
  closedOn: string | null;
  exitReason: string | null;
  createdAt: string;
  createdBy: string;
}

export interface InterventionFilter {
  id?: number;
  organisationIds?: readonly number[];
  programmeId?: number;
  status?: 'open' | 'exited';
}

export async function listInterventionRecords(
  ex: Executor,
  filter: InterventionFilter = {},
): Promise<InterventionRecord[]> {
  let query = ex
    .selectFrom('intervention as i')
    .innerJoin('organisation as o', 'o.id', 'i.organisation_id')
    .leftJoin('programme as p', 'p.id', 'i.programme_id')
    .select([
      'i.id',
      'i.organisation_id',
      'o.ods_code',
      // The organisation's latest name: an intervention outlives a rename.
      sql<string>`(select v.name from organisation_version v where v.organisation_id = i.organisation_id
        order by v.valid_from desc limit 1)`.as('organisation_name'),
      'i.kind',
      'i.title',
      'i.owner',
      'i.statutory_function',
      'i.signal_kind',
      'i.signal',
      'i.opened_on',
      'i.next_review',
      'i.exit_criteria',
      'p.id as programme_id',
      'p.code as programme_code',
      'p.name as programme_name',
      'i.status',
      'i.closed_on',
      'i.exit_reason',
      'i.created_at',
      'i.created_by',
    ])
    .orderBy('i.opened_on', 'desc')
    .orderBy('i.id', 'desc');
  if (filter.id !== undefined) query = query.where('i.id', '=', filter.id);
  if (filter.organisationIds) {
    if (filter.organisationIds.length === 0) return [];
    query = query.where('i.organisation_id', 'in', [...filter.organisationIds]);
  }
  if (filter.programmeId !== undefined) query = query.where('i.programme_id', '=', filter.programmeId);
  if (filter.status) query = query.where('i.status', '=', filter.status);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    organisationName: r.organisation_name,
    kind: r.kind,
    title: r.title,
    owner: r.owner,
    statutoryFunction: r.statutory_function,
    signalKind: r.signal_kind,
    signal: r.signal,
    openedOn: r.opened_on,
    nextReview: r.next_review,
    exitCriteria: r.exit_criteria,
    programme:
      r.programme_id !== null && r.programme_code !== null && r.programme_name !== null
        ? { id: r.programme_id, code: r.programme_code, name: r.programme_name }
        : null,
    status: r.status,
    closedOn: r.closed_on,
    exitReason: r.exit_reason,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
  }));
}

export async function findInterventionRecord(ex: Executor, id: number): Promise<InterventionRecord | null> {
  return (await listInterventionRecords(ex, { id }))[0] ?? null;
}

/** Locks the intervention for a change, so two reviewers cannot both end it. */
export async function lockIntervention(ex: Executor, id: number): Promise<void> {
  await ex.selectFrom('intervention').select('id').where('id', '=', id).forUpdate().execute();
}

export interface NewIntervention {
  organisationId: number;
  kind: string;
  title: string;
  owner: string;
  statutoryFunction: string | null;
  signalKind: string;
  signal: unknown;
  openedOn: string;
  nextReview: string;
  exitCriteria: string;
  programmeId: number | null;
  createdBy: string;
}

export async function insertIntervention(ex: Executor, row: NewIntervention): Promise<number> {
  const inserted = await ex
    .insertInto('intervention')
    .values({
      organisation_id: row.organisationId,
      kind: row.kind,
      title: row.title,
      owner: row.owner,
      statutory_function: row.statutoryFunction,
      signal_kind: row.signalKind,
      signal: JSON.stringify(row.signal),
      opened_on: row.openedOn,
      next_review: row.nextReview,
      exit_criteria: row.exitCriteria,
      programme_id: row.programmeId,
      status: 'open',
      created_by: row.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateInterventionState(
  ex: Executor,
  id: number,
  change: {
    nextReview?: string;
    programmeId?: number | null;
    exit?: { closedOn: string; reason: string };
  },
): Promise<void> {
  await ex
    .updateTable('intervention')
    .set({
      ...(change.nextReview !== undefined ? { next_review: change.nextReview } : {}),
      ...(change.programmeId !== undefined ? { programme_id: change.programmeId } : {}),
      ...(change.exit
        ? { status: 'exited', closed_on: change.exit.closedOn, exit_reason: change.exit.reason }
        : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export interface InterventionActionRecord {
  id: number;
  interventionId: number;
  description: string;
  owner: string;
  due: string;
  doneOn: string | null;
}

export async function listInterventionActions(
  ex: Executor,
  interventionIds: readonly number[],
): Promise<InterventionActionRecord[]> {
  if (interventionIds.length === 0) return [];
  const rows = await ex
    .selectFrom('intervention_action')
    .selectAll()
    .where('intervention_id', 'in', [...interventionIds])
    .orderBy('due')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    interventionId: r.intervention_id,
    description: r.description,
    owner: r.owner,
    due: r.due,
    doneOn: r.done_on,
  }));
}

export async function insertInterventionActions(
  ex: Executor,
  interventionId: number,
  actions: ReadonlyArray<{ description: string; owner: string; due: string }>,
): Promise<number[]> {
  if (actions.length === 0) return [];
  const rows = await ex
    .insertInto('intervention_action')
    .values(actions.map((a) => ({ intervention_id: interventionId, ...a })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function markInterventionActionDone(
  ex: Executor,
  actionId: number,
  doneOn: string,
): Promise<void> {
  await ex.updateTable('intervention_action').set({ done_on: doneOn }).where('id', '=', actionId).execute();
}

export interface InterventionReviewRecord {
  id: number;
  reviewedOn: string;
  outcome: string;
  nextReview: string | null;
  recordedBy: string;
}

export async function listInterventionReviews(
  ex: Executor,
  interventionId: number,
): Promise<InterventionReviewRecord[]> {
  const rows = await ex
    .selectFrom('intervention_review')
    .selectAll()
    .where('intervention_id', '=', interventionId)
    .orderBy('reviewed_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reviewedOn: r.reviewed_on,
    outcome: r.outcome,
    nextReview: r.next_review,
    recordedBy: r.recorded_by,
  }));
}

export async function insertInterventionReview(
  ex: Executor,
  interventionId: number,
  review: { reviewedOn: string; outcome: string; nextReview: string | null; recordedBy: string },
): Promise<number> {
  const row = await ex
    .insertInto('intervention_review')
    .values({
      intervention_id: interventionId,
      reviewed_on: review.reviewedOn,
      outcome: review.outcome,
      next_review: review.nextReview,
      recorded_by: review.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findProgrammeByCode(
  ex: Executor,
  code: string,
): Promise<{ id: number; code: string; name: string; stage: string } | null> {
  const row = await ex
    .selectFrom('programme')
    .select(['id', 'code', 'name', 'stage'])
    .where('code', '=', code)
    .executeTakeFirst();
  return row ?? null;
}

/** Where an organisation stands against a standard: its declaration, if any, and when one was due. */
export async function findStandardStanding(
  ex: Executor,
  standardCode: string,
  organisationId: number,
): Promise<{
  code: string;
  title: string;
  published: boolean;
  effectiveFrom: string;
  declarationsDue: string;
  organisationKinds: string[];
  position: string | null;
} | null> {
  const row = await ex
    .selectFrom('standard as s')
    .leftJoin('standard_declaration as d', (join) =>
      join.onRef('d.standard_id', '=', 's.id').on('d.organisation_id', '=', organisationId),
    )
    .select([
      's.code',
      's.title',
      's.published_at',
      's.effective_from',
      's.declarations_due',
      's.organisation_kinds',
      'd.position',
    ])
    .where('s.code', '=', standardCode)
    .executeTakeFirst();
  if (!row) return null;
  return {
    code: row.code,
    title: row.title,
    published: row.published_at !== null,
    effectiveFrom: row.effective_from,
    declarationsDue: row.declarations_due,
    organisationKinds: row.organisation_kinds,
    position: row.position,
  };
}

/** Organisations that explained rather than complied with a published standard (the demo's missed standards). */
export async function listExplainedDeclarations(
  ex: Executor,
  limit: number,
): Promise<Array<{ standardCode: string; odsCode: string }>> {
  return ex
    .selectFrom('standard_declaration as d')
    .innerJoin('standard as s', 's.id', 'd.standard_id')
    .innerJoin('organisation as o', 'o.id', 'd.organisation_id')
    .select(['s.code as standardCode', 'o.ods_code as odsCode'])
    .where('d.position', '=', 'explain')
    .where('s.published_at', 'is not', null)
    .orderBy('o.ods_code')
    .orderBy('s.code')
    .limit(limit)
    .execute();
}
