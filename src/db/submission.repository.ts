import { sql } from 'kysely';
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
  /** The working values: the draft being edited, or the latest version's. Blank items are null. */
  values: Record<string, number | null>;
  explanations: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  publishedAt: string | null;
  /** The version the public sees once published (later versions stay private until published again). */
  publishedVersion: number | null;
  /** The latest submitted version (0 before the first submission) and the one reporting uses. */
  version: number;
  acceptedVersion: number | null;
  firstSubmittedAt: string | null;
  submittedAt: string | null;
  statusReason: string | null;
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
      's.published_at',
      's.published_version',
      's.version',
      's.accepted_version',
      's.first_submitted_at',
      's.submitted_at',
      's.status_reason',
      's.explanations',
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
  published_at: Date | null;
  published_version: number | null;
  version: number;
  accepted_version: number | null;
  first_submitted_at: Date | null;
  submitted_at: Date | null;
  status_reason: string | null;
  explanations: Record<string, string>;
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
    publishedAt: iso(r.published_at),
    publishedVersion: r.published_version,
    version: r.version,
    acceptedVersion: r.accepted_version,
    firstSubmittedAt: iso(r.first_submitted_at),
    submittedAt: iso(r.submitted_at),
    statusReason: r.status_reason,
    explanations: r.explanations,
  };
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

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
    values: Record<string, number | null>;
    explanations: Record<string, string>;
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
      explanations: JSON.stringify(submission.explanations),
      updated_by: submission.updatedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes the working state of a return; fields left out stay as they are. */
export async function updateSubmission(
  ex: Executor,
  id: number,
  change: {
    status: string;
    updatedBy: string;
    values?: Record<string, number | null>;
    explanations?: Record<string, string>;
    version?: number;
    acceptedVersion?: number;
    statusReason?: string | null;
    submittedNow?: boolean;
    /** Publishes this version. */
    publishedVersion?: number;
  },
): Promise<void> {
  const now = new Date();
  await ex
    .updateTable('submission')
    .set({
      status: change.status,
      ...(change.values ? { item_values: JSON.stringify(change.values) } : {}),
      ...(change.explanations ? { explanations: JSON.stringify(change.explanations) } : {}),
      ...(change.version !== undefined ? { version: change.version } : {}),
      ...(change.acceptedVersion !== undefined ? { accepted_version: change.acceptedVersion } : {}),
      ...(change.statusReason !== undefined ? { status_reason: change.statusReason } : {}),
      ...(change.submittedNow
        ? { submitted_at: now, first_submitted_at: sql<Date>`coalesce(first_submitted_at, ${now})` }
        : {}),
      ...(change.publishedVersion !== undefined
        ? { published_at: now, published_version: change.publishedVersion }
        : {}),
      updated_at: now,
      updated_by: change.updatedBy,
    })
    .where('id', '=', id)
    .execute();
}

export interface SubmissionVersionRecord {
  version: number;
  values: Record<string, number | null>;
  explanations: Record<string, string>;
  warnings: unknown[];
  reason: string | null;
  sourceFormat: string;
  createdAt: string;
  createdBy: string;
}

/** Versions are append-only (a trigger refuses changes): one per submission of the return. */
export async function insertSubmissionVersion(
  ex: Executor,
  submissionId: number,
  version: Omit<SubmissionVersionRecord, 'createdAt'>,
): Promise<void> {
  await ex
    .insertInto('submission_version')
    .values({
      submission_id: submissionId,
      version: version.version,
      item_values: JSON.stringify(version.values),
      explanations: JSON.stringify(version.explanations),
      warnings: JSON.stringify(version.warnings),
      reason: version.reason,
      source_format: version.sourceFormat,
      created_by: version.createdBy,
    })
    .execute();
}

export async function listSubmissionVersions(
  ex: Executor,
  submissionId: number,
): Promise<SubmissionVersionRecord[]> {
  const rows = await ex
    .selectFrom('submission_version')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    values: r.item_values,
    explanations: r.explanations,
    warnings: r.warnings,
    reason: r.reason,
    sourceFormat: r.source_format,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
  }));
}

export async function findSubmissionRequest(
  ex: Executor,
  caller: string,
  key: string,
): Promise<{ requestSha256: string; submissionId: number } | null> {
  const row = await ex
    .selectFrom('submission_request')
    .select(['request_sha256', 'submission_id'])
    .where('caller', '=', caller)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row ? { requestSha256: row.request_sha256, submissionId: row.submission_id } : null;
}

export async function insertSubmissionRequest(
  ex: Executor,
  request: { caller: string; key: string; requestSha256: string; submissionId: number },
): Promise<void> {
  await ex
    .insertInto('submission_request')
    .values({
      caller: request.caller,
      idempotency_key: request.key,
      request_sha256: request.requestSha256,
      submission_id: request.submissionId,
    })
    .execute();
}

/** Every return for one template and period (for who has and has not submitted). */
export async function listSubmissionsForTemplatePeriod(
  ex: Executor,
  template: string,
  periodStart: string,
): Promise<Array<SubmissionRecord & { submittedValues: Record<string, number | null> | null }>> {
  const rows = await submissionQuery(ex)
    .leftJoin('submission_version as v', (join) =>
      join.onRef('v.submission_id', '=', 's.id').onRef('v.version', '=', 's.version'),
    )
    .select('v.item_values as submitted_values')
    .where('s.template_code', '=', template)
    .where('s.period_start', '=', periodStart)
    .execute();
  // Completeness is of what was submitted, not of a draft being corrected.
  return rows.map((r) => ({ ...toSubmission(r), submittedValues: r.submitted_values }));
}

/**
 * Makes concurrent requests with the same idempotency key wait for each other, until the transaction ends,
 * so a retry racing its original is answered from it rather than refused.
 */
export async function lockIdempotencyKey(ex: Executor, caller: string, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${caller}), hashtext(${key}))`.execute(ex);
}
