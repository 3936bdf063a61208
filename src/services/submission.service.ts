import type { Db, Executor } from '../db/database.js';
import { appendAuditEvents, findAuditEvents, type StoredAuditEvent } from '../db/audit.repository.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import {
  findSubmission,
  findSubmissionFor,
  insertSubmission,
  listSubmissions as listSubmissionRecords,
  updateSubmission,
  type SubmissionRecord,
} from '../db/submission.repository.js';
import { statutoryFunctions, type Principal, type StatutoryFunction } from '../domain/access.js';
import { AppError, conflict, invalidInput, notFound, type Problem } from '../domain/errors.js';
import { isPeriodStart } from '../domain/period.js';
import { authorise, isAllowed, type PathCache, type RecordFacts } from './access.service.js';
import { actorOf, parseTemplateCodes } from './identity.service.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';

/**
 * Returns an organisation submits: kept private to the organisation and those above it (as at the
 * return's period) until published, and to holders of a statutory function when tagged with one.
 * Every change, and every read of a return that is not public, is audited.
 */

export const submissionStatuses = ['draft', 'submitted', 'published'] as const;

const listLimit = 1000;
const pageSize = 1000;
export type SubmissionStatus = (typeof submissionStatuses)[number];

export interface SubmissionView {
  id: number;
  template: string;
  odsCode: string;
  periodStart: string;
  statutoryFunction: StatutoryFunction | null;
  status: SubmissionStatus;
  values: Record<string, number>;
  updatedAt: string;
  updatedBy: string | null;
}

/** A return as the access policy sees it. */
export function submissionFacts(record: SubmissionRecord): RecordFacts {
  return {
    organisationId: record.organisationId,
    date: record.periodStart,
    published: record.status === 'published',
    statutoryFunction: toFunction(record.statutoryFunction),
    template: record.template,
  };
}

function toFunction(value: string | null): StatutoryFunction | null {
  return value && (statutoryFunctions as readonly string[]).includes(value)
    ? (value as StatutoryFunction)
    : null;
}

/** Who last changed a return is for those signed in; the public sees the organisation, not staff names. */
function present(record: SubmissionRecord, principal: Principal): SubmissionView {
  return {
    id: record.id,
    template: record.template,
    odsCode: record.odsCode,
    periodStart: record.periodStart,
    statutoryFunction: toFunction(record.statutoryFunction),
    status: (submissionStatuses as readonly string[]).includes(record.status)
      ? (record.status as SubmissionStatus)
      : 'draft',
    values: record.values,
    updatedAt: record.updatedAt,
    updatedBy: principal.kind === 'user' ? record.updatedBy : null,
  };
}

const describe = (r: { template: string; odsCode: string; periodStart: string }) =>
  `the ${r.template} return of ${r.odsCode} for ${r.periodStart}`;

export interface SubmissionInput {
  template: string;
  odsCode: string;
  periodStart: string;
  statutoryFunction?: string | null | undefined;
  values: Record<string, unknown>;
  /** Submit now (true) or keep as a draft. */
  submit: boolean;
}

/** Creates or replaces the values of a return that has not been published. */
export async function saveSubmission(
  db: Db,
  principal: Principal,
  input: SubmissionInput,
  requestId: string | null,
): Promise<SubmissionView> {
  const [template] = parseTemplateCodes([input.template], 'template');
  const problems: Problem[] = [];
  if (!isPeriodStart('month', input.periodStart))
    problems.push({ field: 'periodStart', message: 'Enter the first day of a month, like 2025-04-01' });
  const fn = input.statutoryFunction ?? null;
  if (fn !== null && !(statutoryFunctions as readonly string[]).includes(fn))
    problems.push({ field: 'statutoryFunction', message: `Choose one of: ${statutoryFunctions.join(', ')}` });
  const catalogue = await getMetricCatalogue(db);
  const values: Record<string, number> = {};
  const entries = Object.entries(input.values);
  if (entries.length === 0) problems.push({ field: 'values', message: 'Enter at least one value' });
  for (const [item, value] of entries) {
    if (!catalogue.itemByCode.has(item))
      problems.push({ field: `values.${item}`, message: `"${item}" is not a data item in the catalogue` });
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      problems.push({ field: `values.${item}`, message: `${item} must be a number of 0 or more` });
    else values[item] = value;
  }
  if (problems.length > 0) throw invalidInput('The return cannot be saved.', problems);
  const odsCode = input.odsCode.trim().toUpperCase();
  const actor = actorOf(principal, requestId);

  return db.transaction().execute(async (trx) => {
    const org = await findOrganisationByCode(trx, odsCode);
    if (!org)
      throw invalidInput(`There is no organisation ${odsCode}.`, [
        { field: 'odsCode', message: 'Enter the ODS code of the organisation the return is for' },
      ]);
    const key = { template: template ?? '', organisationId: org.id, periodStart: input.periodStart };
    const facts: RecordFacts = {
      organisationId: org.id,
      date: input.periodStart,
      published: false,
      statutoryFunction: toFunction(fn),
      template: key.template,
    };
    const label = describe({ template: key.template, odsCode, periodStart: input.periodStart });
    await authorise(trx, principal, 'submit', facts, label);
    const existing = await findSubmissionFor(trx, key, true);
    const status: SubmissionStatus = input.submit ? 'submitted' : 'draft';
    let id: number;
    if (existing) {
      // A return the caller cannot see is not described to them (not even its statutory function).
      if (
        !(await isAllowed(trx, principal, 'read', submissionFacts(existing))) &&
        !(await isAllowed(trx, principal, 'submit', submissionFacts(existing)))
      )
        throw conflict(`${label} already exists and you cannot change it.`);
      // The stored function tag decides too: a return cannot be moved out of a function by resubmitting.
      await authorise(trx, principal, 'submit', submissionFacts(existing), label);
      if (existing.status === 'published') throw conflict(`${label} is published and cannot be changed.`);
      if ((existing.statutoryFunction ?? null) !== fn)
        throw conflict(`${label} already exists with a different statutory function.`);
      await updateSubmission(trx, existing.id, { status, values, updatedBy: actor.label });
      id = existing.id;
    } else {
      id = await insertSubmission(trx, {
        ...key,
        statutoryFunction: fn,
        status,
        values,
        updatedBy: actor.label,
      });
    }
    const saved = await findSubmission(trx, id);
    if (!saved) throw new Error('submission vanished');
    await appendAuditEvents(trx, actor, [
      {
        action: existing ? 'submission.update' : 'submission.create',
        recordType: 'submission',
        recordId: String(id),
        before: existing ? { status: existing.status, values: existing.values } : null,
        after: {
          template: key.template,
          odsCode,
          periodStart: input.periodStart,
          statutoryFunction: fn,
          status,
          values,
        },
      },
    ]);
    return present(saved, principal);
  });
}

/** Missing and hidden returns get the same answer, so nobody can learn which hidden returns exist. */
async function requireReadable(
  db: Executor,
  principal: Principal,
  id: number,
  lock = false,
): Promise<SubmissionRecord> {
  const record = await findSubmission(db, id, lock);
  if (!record) {
    if (principal.kind === 'public') throw new AppError('unauthenticated', `Sign in to read return ${id}.`);
    throw notFound(`There is no return ${id}, or you do not have access to it.`);
  }
  await authorise(db, principal, 'read', submissionFacts(record), `return ${id}`);
  return record;
}

const isRestricted = (record: SubmissionRecord) =>
  record.status !== 'published' || record.statutoryFunction !== null;

export async function getSubmission(
  db: Db,
  principal: Principal,
  id: number,
  requestId: string | null,
): Promise<SubmissionView> {
  const record = await requireReadable(db, principal, id);
  if (isRestricted(record))
    await db.transaction().execute((trx) =>
      appendAuditEvents(trx, actorOf(principal, requestId), [
        {
          action: 'submission.read',
          recordType: 'submission',
          recordId: String(id),
          before: null,
          after: null,
        },
      ]),
    );
  return present(record, principal);
}

/** The returns the caller may see, optionally of one organisation. */
export async function listVisibleSubmissions(
  db: Db,
  principal: Principal,
  filter: { odsCode?: string | undefined },
  requestId: string | null,
): Promise<SubmissionView[]> {
  let organisationId: number | undefined;
  if (filter.odsCode) {
    const org = await findOrganisationByCode(db, filter.odsCode.trim().toUpperCase());
    if (!org) throw notFound(`There is no organisation ${filter.odsCode}.`);
    organisationId = org.id;
  }
  // Filtered page by page, so returns the caller may see are not crowded out by ones they may not.
  const cache: PathCache = new Map();
  const visible: SubmissionRecord[] = [];
  for (let offset = 0; visible.length < listLimit; offset += pageSize) {
    const page = await listSubmissionRecords(db, { organisationId, limit: pageSize, offset });
    for (const record of page)
      if (
        visible.length < listLimit &&
        (await isAllowed(db, principal, 'read', submissionFacts(record), cache))
      )
        visible.push(record);
    if (page.length < pageSize) break;
  }
  const restricted = visible.filter(isRestricted).map((r) => r.id);
  if (restricted.length > 0)
    await db.transaction().execute((trx) =>
      appendAuditEvents(trx, actorOf(principal, requestId), [
        {
          action: 'submission.list',
          recordType: 'submission',
          recordId: null,
          before: null,
          after: { ids: restricted },
        },
      ]),
    );
  return visible.map((record) => present(record, principal));
}

export async function publishSubmission(
  db: Db,
  principal: Principal,
  id: number,
  requestId: string | null,
): Promise<SubmissionView> {
  return db.transaction().execute(async (trx) => {
    const record = await requireReadable(trx, principal, id, true);
    await authorise(trx, principal, 'publish', submissionFacts(record), describe(record));
    if (record.status !== 'submitted')
      throw conflict(`${describe(record)} is ${record.status}: only submitted returns can be published.`);
    const actor = actorOf(principal, requestId);
    await updateSubmission(trx, id, { status: 'published', updatedBy: actor.label });
    await appendAuditEvents(trx, actor, [
      {
        action: 'submission.publish',
        recordType: 'submission',
        recordId: String(id),
        before: { status: 'submitted' },
        after: { status: 'published' },
      },
    ]);
    const saved = await findSubmission(trx, id);
    if (!saved) throw new Error('submission vanished');
    return present(saved, principal);
  });
}

/** The audit history of one return, for those who may read it. */
/**
 * The audit history of one return, for people signed in who may read it (it names staff and readers,
 * so not for the public even when the return is published). Reading it is itself audited.
 */
export async function getSubmissionHistory(
  db: Db,
  principal: Principal,
  id: number,
  requestId: string | null,
): Promise<StoredAuditEvent[]> {
  if (principal.kind !== 'user')
    throw new AppError('unauthenticated', `Sign in to see the history of return ${id}.`);
  const record = await requireReadable(db, principal, id);
  const events = await findAuditEvents(db, { recordType: 'submission', recordId: String(id), limit: 500 });
  if (isRestricted(record))
    await db.transaction().execute((trx) =>
      appendAuditEvents(trx, actorOf(principal, requestId), [
        {
          action: 'submission.history-read',
          recordType: 'submission',
          recordId: String(id),
          before: null,
          after: null,
        },
      ]),
    );
  return events;
}
