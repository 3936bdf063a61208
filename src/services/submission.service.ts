import { createHash } from 'node:crypto';
import type { Db, Executor } from '../db/database.js';
import { appendAuditEvents, findAuditEvents, type StoredAuditEvent } from '../db/audit.repository.js';
import {
  completeImportRun,
  createObservationStage,
  ensureReportingCodes,
  extendObservationExtent,
  insertImportRun,
  insertIntoObservationStage,
  listItemHistory,
  mergeObservationStage,
  withdrawObservations,
} from '../db/observation.repository.js';
import { findOrganisationByCode, findVersionAt } from '../db/organisation.repository.js';
import {
  findSubmission,
  findSubmissionFor,
  findSubmissionRequest,
  insertSubmission,
  insertSubmissionRequest,
  insertSubmissionVersion,
  listSubmissions as listSubmissionRecords,
  listSubmissionVersions,
  lockIdempotencyKey,
  updateSubmission,
  type SubmissionRecord,
} from '../db/submission.repository.js';
import { listTemplates } from '../db/template.repository.js';
import { statutoryFunctions, type Principal, type StatutoryFunction } from '../domain/access.js';
import type { CollectionTemplate } from '../domain/collection-template.js';
import { templateStatus } from '../domain/collection-template.js';
import {
  AppError,
  conflict,
  invalidInput,
  notFound,
  type Problem,
  type ProblemLocation,
} from '../domain/errors.js';
import { isIsoDate, type IsoDate } from '../domain/iso-date.js';
import { addMonths, isPeriodStart, periodTypeCodes } from '../domain/period.js';
import type { ReturnDocument, ReturnFormat, ReturnLayout } from '../domain/return-document.js';
import { unexplainedWarnings, validateReturn, type ValidationMessage } from '../domain/return-validation.js';
import {
  describeState,
  diffValues,
  isEditable,
  openSteps,
  planStep,
  returnStatuses,
  type ReturnStatus,
  type ReturnStep,
  type ValueChange,
} from '../domain/return-workflow.js';
import { authorise, isAllowed, type PathCache, type RecordFacts } from './access.service.js';
import { markRollupsStale, refreshRollupCacheAfterWrite } from './dashboard.service.js';
import { actorOf, parseTemplateCodes } from './identity.service.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';
import { refreshPlacements } from './placement.service.js';

/**
 * Returns an organisation submits against a collection template: validated against the template's rules
 * and the organisation's own history, then approved by its ICB, accepted and locked by its region, with
 * return-for-correction at every step. Each submission is kept as a version; reporting (the observation
 * store, and so every dashboard) takes the values of the last accepted version. Returns are private to
 * the organisation and those above it (as at the return's period) until published, and to holders of a
 * statutory function when tagged with one. Every change, and every read of a return that is not public,
 * is audited.
 */

const listLimit = 1000;
const pageSize = 1000;
/** Months (or quarters, years) of the organisation's own history a new value is checked against. */
const historyLength = 24;
const monthsPer: Record<CollectionTemplate['periodType'], number> = {
  month: 1,
  quarter: 3,
  'financial-year': 12,
};
const historyStart = (type: CollectionTemplate['periodType'], periodStart: IsoDate) =>
  addMonths(periodStart, -historyLength * monthsPer[type]);

export interface SubmissionView {
  id: number;
  template: string;
  odsCode: string;
  periodStart: string;
  statutoryFunction: StatutoryFunction | null;
  status: ReturnStatus;
  /** What the return is waiting for, in words. */
  state: string;
  statusReason: string | null;
  published: boolean;
  values: Record<string, number | null>;
  explanations: Record<string, string>;
  version: number;
  acceptedVersion: number | null;
  firstSubmittedAt: string | null;
  submittedAt: string | null;
  updatedAt: string;
  updatedBy: string | null;
  /** The steps the caller may take now. */
  steps: ReturnStep[];
  /** Data-quality warnings of the values as saved (each explained, once submitted). */
  warnings: ValidationMessage[];
  /** True when this answer repeats an earlier request with the same idempotency key. */
  replayed: boolean;
}

/** A return as the access policy sees it. */
export function submissionFacts(record: SubmissionRecord): RecordFacts {
  return {
    organisationId: record.organisationId,
    date: record.periodStart,
    published: record.publishedAt !== null,
    statutoryFunction: toFunction(record.statutoryFunction),
    template: record.template,
  };
}

function toFunction(value: string | null): StatutoryFunction | null {
  return value && (statutoryFunctions as readonly string[]).includes(value)
    ? (value as StatutoryFunction)
    : null;
}

function toStatus(value: string): ReturnStatus {
  return (returnStatuses as readonly string[]).includes(value) ? (value as ReturnStatus) : 'draft';
}

/** The steps open at the return's state that the caller's roles allow. */
async function stepsFor(ex: Executor, principal: Principal, record: SubmissionRecord): Promise<ReturnStep[]> {
  if (principal.kind !== 'user') return [];
  const allowed: ReturnStep[] = [];
  for (const step of openSteps(toStatus(record.status))) {
    const plan = planStep(toStatus(record.status), step);
    if (plan.ok && (await isAllowed(ex, principal, plan.action, submissionFacts(record)))) allowed.push(step);
  }
  return allowed;
}

/** Who last changed a return is for those signed in; the public sees the organisation, not staff names. */
async function present(
  ex: Executor,
  record: SubmissionRecord,
  principal: Principal,
  extra: { warnings?: ValidationMessage[]; replayed?: boolean } = {},
): Promise<SubmissionView> {
  const status = toStatus(record.status);
  // Someone who sees the return only because it is published sees the published version, not later work.
  if (!(await readsUnpublished(ex, principal, record))) {
    const published = (await listSubmissionVersions(ex, record.id)).find(
      (v) => v.version === record.publishedVersion,
    );
    return {
      id: record.id,
      template: record.template,
      odsCode: record.odsCode,
      periodStart: record.periodStart,
      statutoryFunction: toFunction(record.statutoryFunction),
      status: 'accepted',
      state: describeState('accepted'),
      statusReason: null,
      published: true,
      values: published?.values ?? {},
      explanations: {},
      version: record.publishedVersion ?? 0,
      acceptedVersion: record.publishedVersion,
      firstSubmittedAt: record.firstSubmittedAt,
      submittedAt: published?.createdAt ?? null,
      updatedAt: published?.createdAt ?? record.updatedAt,
      updatedBy: null,
      steps: [],
      warnings: [],
      replayed: false,
    };
  }
  return {
    id: record.id,
    template: record.template,
    odsCode: record.odsCode,
    periodStart: record.periodStart,
    statutoryFunction: toFunction(record.statutoryFunction),
    status,
    state: describeState(status),
    statusReason: principal.kind === 'user' ? record.statusReason : null,
    published: record.publishedAt !== null,
    values: record.values,
    explanations: principal.kind === 'public' ? {} : record.explanations,
    version: record.version,
    acceptedVersion: record.acceptedVersion,
    firstSubmittedAt: record.firstSubmittedAt,
    submittedAt: record.submittedAt,
    updatedAt: record.updatedAt,
    updatedBy: principal.kind === 'user' ? record.updatedBy : null,
    steps: await stepsFor(ex, principal, record),
    warnings: extra.warnings ?? [],
    replayed: extra.replayed ?? false,
  };
}

const describe = (r: { template: string; odsCode: string; periodStart: string }) =>
  `the ${r.template} return of ${r.odsCode} for ${r.periodStart}`;

export interface SubmissionInput {
  template: string;
  odsCode: string;
  periodStart: string;
  statutoryFunction?: string | null | undefined;
  /** Values by item code; null (or absent) leaves an item blank. */
  values: Record<string, unknown>;
  /** Explanations of data-quality warnings, by item code or check code. */
  explanations?: Record<string, string> | undefined;
  /** Submit now (true) or keep as a draft. */
  submit: boolean;
  /** Why a locked return is being resubmitted (required then). */
  reason?: string | undefined;
  /** How the values arrived, and where each was read from in the file (for located messages). */
  sourceFormat?: ReturnFormat | 'web' | undefined;
  locations?: Record<string, ProblemLocation> | undefined;
  /** Makes retries safe: the same key with the same return gets the first answer, a different one is refused. */
  idempotencyKey?: string | undefined;
}

function callerKey(principal: Principal): string | null {
  if (principal.kind === 'user') return `user:${principal.userId}`;
  if (principal.kind === 'token') return `token:${principal.tokenId}`;
  return null;
}

function requestDigest(input: SubmissionInput): string {
  const canonical = JSON.stringify([
    input.template,
    input.odsCode.trim().toUpperCase(),
    input.periodStart,
    input.statutoryFunction ?? null,
    Object.entries(input.values).sort(([a], [b]) => (a < b ? -1 : 1)),
    Object.entries(input.explanations ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)),
    input.submit,
    input.reason ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The problems of validation messages, located at the item's cell or field. */
function problemsOf(
  messages: readonly ValidationMessage[],
  field: (m: ValidationMessage) => string,
): Problem[] {
  return messages.map((m) => ({ ...m.location, field: m.location.field ?? field(m), message: m.message }));
}

async function requireTemplate(ex: Executor, code: string): Promise<CollectionTemplate> {
  const template = (await listTemplates(ex)).find((t) => t.code === code);
  if (!template)
    throw invalidInput(`There is no collection template ${code}.`, [
      {
        field: 'template',
        message: 'Enter the code of an active collection template (see "oversight templates list")',
      },
    ]);
  return template;
}

/**
 * Creates or changes a return. A draft may be incomplete; a submission must pass every rule of its
 * template, with each data-quality warning explained, and becomes a new version. A locked return is
 * resubmitted only with a reason. All or nothing: an invalid return stores nothing.
 */
export async function saveSubmission(
  db: Db,
  principal: Principal,
  input: SubmissionInput,
  requestId: string | null,
): Promise<SubmissionView> {
  const [templateCode = ''] = parseTemplateCodes([input.template], 'template');
  const problems: Problem[] = [];
  if (!isIsoDate(input.periodStart))
    problems.push({ field: 'periodStart', message: 'Enter the first day of the period, like 2025-04-01' });
  const fn = input.statutoryFunction ?? null;
  if (fn !== null && !(statutoryFunctions as readonly string[]).includes(fn))
    problems.push({ field: 'statutoryFunction', message: `Choose one of: ${statutoryFunctions.join(', ')}` });
  const values: Record<string, number | null> = {};
  for (const [item, value] of Object.entries(input.values)) {
    if (value === null || value === undefined || value === '') values[item] = null;
    else if (typeof value !== 'number' || !Number.isFinite(value))
      problems.push({
        ...input.locations?.[item],
        field: input.locations?.[item]?.field ?? `values.${item}`,
        message: `${item} must be a number`,
      });
    else values[item] = value;
  }
  const explanations: Record<string, string> = {};
  for (const [key, text] of Object.entries(input.explanations ?? {}))
    if (text.trim() !== '') explanations[key] = text.trim();
  const reason = input.reason?.trim() || null;
  if (problems.length > 0) throw invalidInput('The return cannot be saved.', problems);
  const odsCode = input.odsCode.trim().toUpperCase();
  const actor = actorOf(principal, requestId);
  const caller = callerKey(principal);
  const digest = requestDigest(input);

  return db.transaction().execute(async (trx) => {
    if (input.idempotencyKey && caller) {
      await lockIdempotencyKey(trx, caller, input.idempotencyKey);
      const earlier = await findSubmissionRequest(trx, caller, input.idempotencyKey);
      if (earlier) {
        if (earlier.requestSha256 !== digest)
          throw conflict(
            `The idempotency key ${input.idempotencyKey} was used for a different return. Use a new key for a new return.`,
          );
        const record = await findSubmission(trx, earlier.submissionId);
        if (!record) throw new Error('submission vanished');
        return present(trx, record, principal, { replayed: true });
      }
    }
    const template = await requireTemplate(trx, templateCode);
    const org = await findOrganisationByCode(trx, odsCode);
    if (!org)
      throw invalidInput(`There is no organisation ${odsCode}.`, [
        { field: 'odsCode', message: 'Enter the ODS code of the organisation the return is for' },
      ]);
    const key = { template: template.code, organisationId: org.id, periodStart: input.periodStart };
    const facts: RecordFacts = {
      organisationId: org.id,
      date: input.periodStart,
      published: false,
      statutoryFunction: toFunction(fn),
      template: key.template,
    };
    const label = describe({ template: key.template, odsCode, periodStart: input.periodStart });
    await authorise(trx, principal, 'submit', facts, label);

    // What the template asks: of this kind of organisation, for this period, these items.
    if (!isPeriodStart(template.periodType, input.periodStart))
      throw invalidInput(`${input.periodStart} is not the start of a ${template.periodType} period.`, [
        {
          field: 'periodStart',
          message: `${template.name} is collected by ${template.periodType}: enter the first day of one`,
        },
      ]);
    if (templateStatus(template, input.periodStart) !== 'active')
      throw invalidInput(
        `${template.name} (${template.code}) was not being collected for ${input.periodStart}.`,
        [
          {
            field: 'periodStart',
            message: template.activeFrom
              ? `Enter a period from ${template.activeFrom}${template.retiredFrom ? ` and before ${template.retiredFrom}` : ''}`
              : 'The template is a draft: it must be activated before returns can be made',
          },
        ],
      );
    const version = await findVersionAt(trx, org.id, input.periodStart);
    if (!version || !template.organisationKinds.includes(version.kind))
      throw invalidInput(`${template.name} is not asked of ${odsCode}.`, [
        {
          field: 'odsCode',
          message: `${template.code} is collected from ${template.organisationKinds.join(', ')}; ${odsCode} is ${version ? `a ${version.kind}` : 'not open'} on ${input.periodStart}`,
        },
      ]);
    const unknown = Object.keys(values).filter((item) => !template.items.includes(item));
    if (unknown.length > 0)
      throw invalidInput(
        `The return names items that ${template.code} does not collect.`,
        unknown.map((item) => ({
          ...input.locations?.[item],
          field: input.locations?.[item]?.field ?? `values.${item}`,
          message: `"${item}" is not an item of ${template.code}: remove it, or use the template's items (see "oversight templates show ${template.code}")`,
        })),
      );
    const checkCodes = template.rules.checks.map((c) => c.code);
    const strayExplanations = Object.keys(explanations).filter(
      (key) => !template.items.includes(key) && !checkCodes.includes(key),
    );
    if (strayExplanations.length > 0)
      throw invalidInput(
        'The return explains something that is neither an item nor a check of its template.',
        strayExplanations.map((key) => ({
          field: `explanations.${key}`,
          message: `"${key}" is not an item or check of ${template.code}: explain a warning under its item code, or the check's code`,
        })),
      );
    if (Object.keys(values).length === 0 && input.submit)
      throw invalidInput('The return has no values.', [
        { field: 'values', message: 'Enter the values of the return' },
      ]);

    const existing = await findSubmissionFor(trx, key, true);
    if (existing) {
      // A return the caller cannot see is not described to them (not even its statutory function).
      if (
        !(await isAllowed(trx, principal, 'read', submissionFacts(existing))) &&
        !(await isAllowed(trx, principal, 'submit', submissionFacts(existing)))
      )
        throw conflict(`${label} already exists and you cannot change it.`);
      // The stored function tag decides too: a return cannot be moved out of a function by resubmitting.
      await authorise(trx, principal, 'submit', submissionFacts(existing), label);
      if ((existing.statutoryFunction ?? null) !== fn)
        throw conflict(`${label} already exists with a different statutory function.`);
      const status = toStatus(existing.status);
      if (status === 'locked') {
        if (!input.submit)
          throw conflict(
            `${label} is locked: resubmit it with a reason to correct it (a draft cannot be saved over it).`,
          );
        if (!reason)
          throw invalidInput(`${label} is locked: say why it is being resubmitted.`, [
            {
              field: 'reason',
              message: 'Enter the reason for the resubmission, for example the figures that were wrong',
            },
          ]);
      } else if (!isEditable(status))
        throw conflict(
          `${label} ${describeState(status)}: it can be changed once it is returned for correction.`,
        );
    }

    // The rules of the template, and the organisation's own history for data-quality warnings.
    const catalogue = await getMetricCatalogue(trx);
    const items = template.items.map((code) => {
      const item = catalogue.itemByCode.get(code);
      return { code, name: item?.name ?? code, unit: item?.unit ?? 'count' };
    });
    const history = await listItemHistory(trx, {
      odsCode,
      itemCodes: Object.keys(values).filter((item) => values[item] !== null),
      periodType: periodTypeCodes[template.periodType],
      since: historyStart(template.periodType, input.periodStart),
      before: input.periodStart,
    });
    const checked = validateReturn({
      document: {
        template: template.code,
        odsCode,
        periodStart: input.periodStart,
        values,
        explanations,
        locations: input.locations ?? {},
      },
      items,
      rules: template.rules,
      history,
    });
    // A draft may be incomplete: only what is there is checked.
    const errors = input.submit ? checked.errors : checked.errors.filter((m) => m.rule !== 'required');
    if (errors.length > 0)
      throw invalidInput(
        `The return has ${errors.length} ${errors.length === 1 ? 'error' : 'errors'} to correct.`,
        problemsOf(errors, (m) => (m.item ? `values.${m.item}` : 'values')),
      );
    if (input.submit) {
      const unexplained = unexplainedWarnings(checked.warnings, explanations);
      if (unexplained.length > 0)
        throw invalidInput(
          `The return has ${unexplained.length} data-quality ${unexplained.length === 1 ? 'warning' : 'warnings'} to explain before it is submitted.`,
          problemsOf(unexplained, (m) => `explanations.${m.item ?? m.rule}`),
        );
    }

    const nextStatus: ReturnStatus = input.submit
      ? 'submitted'
      : existing && toStatus(existing.status) === 'returned'
        ? 'returned'
        : 'draft';
    const nextVersion = input.submit ? (existing?.version ?? 0) + 1 : (existing?.version ?? 0);
    let id: number;
    if (existing) {
      await updateSubmission(trx, existing.id, {
        status: nextStatus,
        values,
        explanations,
        updatedBy: actor.label,
        version: nextVersion,
        submittedNow: input.submit,
        ...(input.submit ? { statusReason: reason } : {}),
      });
      id = existing.id;
    } else {
      id = await insertSubmission(trx, {
        ...key,
        statutoryFunction: fn,
        status: nextStatus,
        values,
        explanations,
        updatedBy: actor.label,
      });
      if (input.submit)
        await updateSubmission(trx, id, {
          status: nextStatus,
          updatedBy: actor.label,
          version: nextVersion,
          submittedNow: true,
        });
    }
    let changes: ValueChange[] | null = null;
    if (input.submit) {
      const versions = existing ? await listSubmissionVersions(trx, id) : [];
      changes = diffValues(versions.at(-1)?.values ?? {}, values);
      await insertSubmissionVersion(trx, id, {
        version: nextVersion,
        values,
        explanations,
        warnings: checked.warnings,
        reason,
        sourceFormat: input.sourceFormat ?? 'json',
        createdBy: actor.label,
      });
    }
    if (input.idempotencyKey && caller)
      await insertSubmissionRequest(trx, {
        caller,
        key: input.idempotencyKey,
        requestSha256: digest,
        submissionId: id,
      });
    const saved = await findSubmission(trx, id);
    if (!saved) throw new Error('submission vanished');
    await appendAuditEvents(trx, actor, [
      {
        action: !existing
          ? input.submit
            ? 'submission.submit'
            : 'submission.create'
          : toStatus(existing.status) === 'locked'
            ? 'submission.resubmit'
            : input.submit
              ? 'submission.submit'
              : 'submission.update',
        recordType: 'submission',
        recordId: String(id),
        before: existing
          ? { status: existing.status, version: existing.version, values: existing.values }
          : null,
        after: {
          template: key.template,
          odsCode,
          periodStart: input.periodStart,
          statutoryFunction: fn,
          status: nextStatus,
          version: nextVersion,
          values,
          ...(changes ? { changes } : {}),
          ...(reason ? { reason } : {}),
          warnings: checked.warnings.length,
        },
      },
    ]);
    return present(trx, saved, principal, { warnings: checked.warnings });
  });
}

/**
 * Writes an accepted version's values into the observation store (superseding earlier values, which are
 * kept), so every dashboard, SPC chart and segmentation reports the last accepted figures.
 */
async function recordAcceptedValues(
  ex: Executor,
  record: SubmissionRecord,
  template: CollectionTemplate,
  values: Record<string, number | null>,
  version: number,
): Promise<number> {
  const catalogue = await getMetricCatalogue(ex);
  const rows = Object.entries(values).flatMap(([item, value]) => {
    const found = catalogue.itemByCode.get(item);
    return found && value !== null ? [{ itemId: found.id, value }] : [];
  });
  // Items of the template this version leaves blank: an earlier accepted figure no longer stands.
  const blanked = template.items.flatMap((item) => {
    const found = catalogue.itemByCode.get(item);
    return found && (values[item] ?? null) === null ? [found.id] : [];
  });
  if (rows.length === 0 && blanked.length === 0) return 0;
  const runId = await insertImportRun(ex, {
    source: `return:${template.code}`,
    fileName: `${describe(record)}, version ${version}`,
    sha256: null,
    url: null,
    provenance: 'submission',
    startedAt: new Date(),
  });
  const codeId = (await ensureReportingCodes(ex, [record.odsCode])).get(record.odsCode) ?? 0;
  const periodType = periodTypeCodes[template.periodType];
  await createObservationStage(ex);
  await insertIntoObservationStage(
    ex,
    rows.map((r) => ({
      codeId,
      itemId: r.itemId,
      periodType,
      periodStart: record.periodStart,
      value: r.value,
      sourceId: runId,
    })),
  );
  const counts = await mergeObservationStage(ex);
  const withdrawn = await withdrawObservations(ex, {
    codeId,
    itemIds: blanked,
    periodType,
    periodStart: record.periodStart,
  });
  await extendObservationExtent(
    ex,
    rows.map((r) => ({ itemId: r.itemId, periodType, first: record.periodStart, last: record.periodStart })),
  );
  await markRollupsStale(
    ex,
    [...rows.map((r) => r.itemId), ...blanked],
    record.periodStart,
    record.periodStart,
  );
  await refreshPlacements(ex);
  await completeImportRun(ex, runId, { submission: record.id, version, stored: counts, withdrawn }, null);
  return counts.inserted + counts.superseded + withdrawn;
}

/**
 * Moves a return on: the ICB approves it, the region accepts and locks it, and whoever holds it may
 * return it for correction with a reason. Accepting puts the version's values into reporting.
 */
export async function advanceSubmission(
  db: Db,
  principal: Principal,
  id: number,
  step: ReturnStep,
  reasonInput: string | null | undefined,
  requestId: string | null,
): Promise<SubmissionView> {
  const reason = reasonInput?.trim() || null;
  let accepted = false;
  const view = await db.transaction().execute(async (trx) => {
    const record = await requireReadable(trx, principal, id, true);
    const status = toStatus(record.status);
    const plan = planStep(status, step);
    if (!plan.ok) throw conflict(`${describe(record)}: ${plan.message}`);
    await authorise(trx, principal, plan.action, submissionFacts(record), describe(record));
    if (plan.needsReason && !reason)
      throw invalidInput('Say why the return is being returned.', [
        { field: 'reason', message: 'Enter what the organisation needs to correct' },
      ]);
    const actor = actorOf(principal, requestId);
    let written = 0;
    if (plan.to === 'accepted') {
      const template = await requireTemplate(trx, record.template);
      const versions = await listSubmissionVersions(trx, id);
      const current = versions.find((v) => v.version === record.version);
      if (!current) throw new Error(`version ${record.version} of return ${id} is missing`);
      // Returns of a statutory function stay within it: their figures are not put into the shared store,
      // whose dashboards anyone may read.
      if (record.statutoryFunction === null)
        written = await recordAcceptedValues(trx, record, template, current.values, record.version);
      accepted = true;
    }
    await updateSubmission(trx, id, {
      status: plan.to,
      updatedBy: actor.label,
      statusReason: plan.to === 'returned' ? reason : record.statusReason,
      ...(plan.to === 'accepted' ? { acceptedVersion: record.version } : {}),
    });
    await appendAuditEvents(trx, actor, [
      {
        action: `submission.${step}`,
        recordType: 'submission',
        recordId: String(id),
        before: { status, version: record.version },
        after: {
          status: plan.to,
          version: record.version,
          ...(reason ? { reason } : {}),
          ...(plan.to === 'accepted' ? { reportingVersion: record.version, valuesWritten: written } : {}),
        },
      },
    ]);
    const saved = await findSubmission(trx, id);
    if (!saved) throw new Error('submission vanished');
    return present(trx, saved, principal);
  });
  // The dashboards catch up once the acceptance has committed (a failure is retried on the next read).
  if (accepted) await refreshRollupCacheAfterWrite(db);
  return view;
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

/** Whether the caller may read the return as if it were not published (its scope and functions allow it). */
async function readsUnpublished(
  ex: Executor,
  principal: Principal,
  record: SubmissionRecord,
): Promise<boolean> {
  if (record.publishedAt === null) return true;
  return isAllowed(ex, principal, 'read', { ...submissionFacts(record), published: false });
}

const isRestricted = (record: SubmissionRecord) =>
  record.publishedAt === null || record.statutoryFunction !== null;

async function auditRead(db: Db, principal: Principal, requestId: string | null, action: string, id: number) {
  await db
    .transaction()
    .execute((trx) =>
      appendAuditEvents(trx, actorOf(principal, requestId), [
        { action, recordType: 'submission', recordId: String(id), before: null, after: null },
      ]),
    );
}

export async function getSubmission(
  db: Db,
  principal: Principal,
  id: number,
  requestId: string | null,
): Promise<SubmissionView> {
  const record = await requireReadable(db, principal, id);
  if (isRestricted(record)) await auditRead(db, principal, requestId, 'submission.read', id);
  return present(db, record, principal);
}

export interface SubmissionVersionView {
  version: number;
  values: Record<string, number | null>;
  explanations: Record<string, string>;
  warnings: number;
  reason: string | null;
  sourceFormat: string;
  createdAt: string;
  createdBy: string | null;
  /** What changed from the version before (the first version: every value given). */
  changes: ValueChange[];
  /** The version reporting uses. */
  reporting: boolean;
}

/** Every version of a return, each with its changes from the one before; reading it is audited. */
export async function getSubmissionVersions(
  db: Db,
  principal: Principal,
  id: number,
  requestId: string | null,
): Promise<{ submission: SubmissionView; versions: SubmissionVersionView[] }> {
  const record = await requireReadable(db, principal, id);
  const everything = await readsUnpublished(db, principal, record);
  // Seen only because it is published: the versions up to the published one, without their reasons.
  const versions = (await listSubmissionVersions(db, id))
    .filter((v) => everything || v.version <= (record.publishedVersion ?? 0))
    .map((v) => (everything ? v : { ...v, reason: null }));
  if (isRestricted(record)) await auditRead(db, principal, requestId, 'submission.versions-read', id);
  let previous: Record<string, number | null> = {};
  const views = versions.map((v) => {
    const view: SubmissionVersionView = {
      version: v.version,
      values: v.values,
      explanations: principal.kind === 'public' ? {} : v.explanations,
      warnings: v.warnings.length,
      reason: v.reason,
      sourceFormat: v.sourceFormat,
      createdAt: v.createdAt,
      createdBy: principal.kind === 'user' ? v.createdBy : null,
      changes: diffValues(previous, v.values),
      reporting: v.version === record.acceptedVersion,
    };
    previous = v.values;
    return view;
  });
  return { submission: await present(db, record, principal), versions: views };
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
  const views: SubmissionView[] = [];
  for (const record of visible) views.push(await present(db, record, principal));
  return views;
}

/** Publishes an accepted (or locked) return nationally: from then on anyone may read it. */
export async function publishSubmission(
  db: Db,
  principal: Principal,
  id: number,
  requestId: string | null,
): Promise<SubmissionView> {
  return db.transaction().execute(async (trx) => {
    const record = await requireReadable(trx, principal, id, true);
    await authorise(trx, principal, 'publish', submissionFacts(record), describe(record));
    if (record.publishedAt !== null) throw conflict(`${describe(record)} is already published.`);
    if (record.acceptedVersion === null)
      throw conflict(
        `${describe(record)} ${describeState(toStatus(record.status))}: only returns accepted by their region can be published.`,
      );
    const actor = actorOf(principal, requestId);
    await updateSubmission(trx, id, {
      status: record.status,
      updatedBy: actor.label,
      publishedVersion: record.acceptedVersion,
    });
    await appendAuditEvents(trx, actor, [
      {
        action: 'submission.publish',
        recordType: 'submission',
        recordId: String(id),
        before: { published: false },
        after: { published: true, version: record.acceptedVersion },
      },
    ]);
    const saved = await findSubmission(trx, id);
    if (!saved) throw new Error('submission vanished');
    return present(trx, saved, principal);
  });
}

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
  if (isRestricted(record)) await auditRead(db, principal, requestId, 'submission.history-read', id);
  return events;
}

/** What a file format needs of a template: its items with their names, in the template's order. */
export async function getReturnLayout(ex: Executor, code: string): Promise<ReturnLayout> {
  const [templateCode = ''] = parseTemplateCodes([code], 'template');
  const template = await requireTemplate(ex, templateCode);
  const catalogue = await getMetricCatalogue(ex);
  return {
    code: template.code,
    name: template.name,
    periodType: template.periodType,
    items: template.items.map((item) => ({ code: item, name: catalogue.itemByCode.get(item)?.name ?? item })),
  };
}

/**
 * A return (its latest values, or one version's) as a document any format can write; reading it is
 * audited like any read of the return.
 */
export async function getSubmissionDocument(
  db: Db,
  principal: Principal,
  id: number,
  version: number | undefined,
  requestId: string | null,
): Promise<ReturnDocument> {
  const record = await requireReadable(db, principal, id);
  let values = record.values;
  let explanations = record.explanations;
  if (!(await readsUnpublished(db, principal, record))) {
    // Seen only because it is published: the published version, or an earlier one.
    if (version !== undefined && version > (record.publishedVersion ?? 0))
      throw notFound(`Return ${id} has no published version ${version}.`);
    version ??= record.publishedVersion ?? undefined;
  }
  if (version !== undefined) {
    const found = (await listSubmissionVersions(db, id)).find((v) => v.version === version);
    if (!found) throw notFound(`Return ${id} has no version ${version}.`);
    values = found.values;
    explanations = found.explanations;
  }
  if (isRestricted(record)) await auditRead(db, principal, requestId, 'submission.export', id);
  return {
    template: record.template,
    odsCode: record.odsCode,
    periodStart: record.periodStart,
    values,
    explanations: principal.kind === 'public' ? {} : explanations,
    locations: {},
  };
}
