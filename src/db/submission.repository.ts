import type { Executor } from './database.js';

/** Returns: values an organisation submits for a period under a named template. */

export interface SubmissionRecord {
  id: number;
  template: string;
  organisationId: number;
  odsCode: string;
  periodStart: string;
  statutoryFunction: string | null;
  status: string;
  values: Record<string, number>;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

function submissionQuery(ex: Executor) {
  return ex
    .selectFrom('submission as s')
    .innerJoin('organisation as o', 'o.id', 's.organisation_id')
    .select([
      's.id',
      's.template_code',
      's.organisation_id',
      'o.ods_code',
      's.period_start',
      's.statutory_function',
      's.status',
      's.item_values',
      's.created_at',
      's.updated_at',
      's.updated_by',
    ]);
}

function toSubmission(r: {
  id: number;
  template_code: string;
  organisation_id: number;
  ods_code: string;
  period_start: string;
  statutory_function: string | null;
  status: string;
  item_values: Record<string, number>;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
}): SubmissionRecord {
  return {
    id: r.id,
    template: r.template_code,
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    periodStart: r.period_start,
    statutoryFunction: r.statutory_function,
    status: r.status,
    values: r.item_values,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    updatedBy: r.updated_by,
  };
}

/** `lock` holds the row until the transaction ends, so a publication and a change cannot cross. */
export async function findSubmission(
  ex: Executor,
  id: number,
  lock = false,
): Promise<SubmissionRecord | null> {
  const query = submissionQuery(ex).where('s.id', '=', id);
  const row = await (lock ? query.forUpdate('s') : query).executeTakeFirst();
  return row ? toSubmission(row) : null;
}

export async function findSubmissionFor(
  ex: Executor,
  key: { template: string; organisationId: number; periodStart: string },
  lock = false,
): Promise<SubmissionRecord | null> {
  const query = submissionQuery(ex)
    .where('s.template_code', '=', key.template)
    .where('s.organisation_id', '=', key.organisationId)
    .where('s.period_start', '=', key.periodStart);
  const row = await (lock ? query.forUpdate('s') : query).executeTakeFirst();
  return row ? toSubmission(row) : null;
}

/** Returns, optionally of one organisation, newest period first (the caller filters by access). */
export async function listSubmissions(
  ex: Executor,
  filter: { organisationId?: number | undefined; limit: number; offset: number },
): Promise<SubmissionRecord[]> {
  let query = submissionQuery(ex);
  if (filter.organisationId !== undefined)
    query = query.where('s.organisation_id', '=', filter.organisationId);
  const rows = await query
    .orderBy('s.period_start', 'desc')
    .orderBy('o.ods_code')
    .orderBy('s.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return rows.map(toSubmission);
}

export async function insertSubmission(
  ex: Executor,
  submission: {
    template: string;
    organisationId: number;
    periodStart: string;
    statutoryFunction: string | null;
    status: string;
    values: Record<string, number>;
    updatedBy: string;
  },
): Promise<number> {
  const row = await ex
    .insertInto('submission')
    .values({
      template_code: submission.template,
      organisation_id: submission.organisationId,
      period_start: submission.periodStart,
      statutory_function: submission.statutoryFunction,
      status: submission.status,
      item_values: JSON.stringify(submission.values),
      updated_by: submission.updatedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSubmission(
  ex: Executor,
  id: number,
  change: { status: string; values?: Record<string, number>; updatedBy: string },
): Promise<void> {
  await ex
    .updateTable('submission')
    .set({
      status: change.status,
      ...(change.values ? { item_values: JSON.stringify(change.values) } : {}),
      updated_at: new Date(),
      updated_by: change.updatedBy,
    })
    .where('id', '=', id)
    .execute();
}

/** Every return for one template and period (for who has and has not submitted). */
export async function listSubmissionsForTemplatePeriod(
  ex: Executor,
  template: string,
  periodStart: string,
): Promise<SubmissionRecord[]> {
  const rows = await submissionQuery(ex)
    .where('s.template_code', '=', template)
    .where('s.period_start', '=', periodStart)
    .execute();
  return rows.map(toSubmission);
}
