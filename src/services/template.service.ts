import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import { listMethodologyVersions } from '../db/oversight.repository.js';
import { listPlansOfOrganisation, listRounds } from '../db/plan.repository.js';
import { findOrganisationByCode, findVersionAt, listOrganisationsAt } from '../db/organisation.repository.js';
import { insertTemplate, listTemplates, lockTemplates, setTemplateDates } from '../db/template.repository.js';
import type { Actor } from '../domain/audit.js';
import {
  collectOnceConflicts,
  periodsAskedInYear,
  scheduleFor,
  templateInputSchema,
  templateStatus,
  type CollectionTemplate,
  type InboxState,
  type TemplateStatus,
} from '../domain/collection-template.js';
import { ancestorFinder } from '../domain/organisation-tree.js';
import { AppError, conflict, invalidInput, notFound, type Problem, zodProblems } from '../domain/errors.js';
import { englandIsoDate, isIsoDate, type IsoDate } from '../domain/iso-date.js';
import { itemsOf } from '../domain/metric.js';
import { organisationKindLabels, type OrganisationKind } from '../domain/organisation.js';
import { addMonths, financialYearLabel, formatPeriod, periodContaining } from '../domain/period.js';
import {
  listSubmissions as listSubmissionRecords,
  listSubmissionsForTemplatePeriod,
} from '../db/submission.repository.js';
import type { Principal } from '../domain/access.js';
import type { ReturnStatus } from '../domain/return-workflow.js';
import { authorise, isAllowed, type PathCache } from './access.service.js';
import { submissionFacts } from './submission.service.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';
import { listDeclarationsAsked } from './standard.service.js';

/**
 * Collect once: collection templates (what is asked of whom, how often, by when), the rule that no two
 * active templates collect the same item from the same kind of organisation for the same period type,
 * the lineage of every data item (who collects it, what uses it), and the burden on each organisation.
 */

export interface TemplateView extends CollectionTemplate {
  status: TemplateStatus;
  /** The latest period whose return has opened, with its dates; null for a draft. */
  current: { period: string; label: string; opens: IsoDate; deadline: IsoDate; closes: IsoDate } | null;
}

function present(template: CollectionTemplate, today: IsoDate): TemplateView {
  const status = templateStatus(template, today);
  let current: TemplateView['current'] = null;
  if (status === 'active') {
    // The period that ended most recently is the one being collected.
    const period = periodContaining(
      template.periodType,
      addMonths(periodContaining(template.periodType, today).start, -1),
    );
    const dates = scheduleFor(template, period);
    current = { period: period.start, label: formatPeriod(period), ...dates };
  }
  return { ...template, status, current };
}

export async function listTemplateViews(ex: Executor, today: IsoDate): Promise<TemplateView[]> {
  return (await listTemplates(ex)).map((t) => present(t, today));
}

export async function getTemplateView(ex: Executor, code: string, today: IsoDate): Promise<TemplateView> {
  const found = (await listTemplates(ex)).find((t) => t.code === code);
  if (!found) throw notFound(`There is no collection template ${code}. See "oversight templates list".`);
  return present(found, today);
}

/** Adds a template as a draft, its items checked against the catalogue; audited. */
export async function createTemplate(
  db: Db,
  actor: Actor,
  input: unknown,
  today: IsoDate,
): Promise<TemplateView> {
  const parsed = templateInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error, { fallback: 'template' });
    throw invalidInput(
      `The template is not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
      problems,
    );
  }
  const t = parsed.data;
  return db.transaction().execute(async (trx) => {
    const catalogue = await getMetricCatalogue(trx);
    const problems: Problem[] = t.items.flatMap((item, i) =>
      catalogue.itemByCode.has(item)
        ? []
        : [
            {
              field: `items.${i}`,
              message: `"${item}" is not a data item in the catalogue (see "oversight metrics")`,
            },
          ],
    );
    if (problems.length > 0)
      throw invalidInput(
        `The template names unknown data items: ${problems.map((p) => p.message).join('; ')}.`,
        problems,
      );
    if ((await listTemplates(trx)).some((other) => other.code === t.code))
      throw conflict(`A collection template ${t.code} already exists. Choose another code.`);
    const template: CollectionTemplate = {
      code: t.code,
      name: t.name,
      description: t.description,
      periodType: t.periodType,
      organisationKinds: t.organisationKinds,
      items: t.items,
      schedule: t.schedule,
      rules: t.rules,
      activeFrom: null,
      retiredFrom: null,
    };
    await insertTemplate(trx, template, actor.label);
    await appendAuditEvents(trx, actor, [
      {
        action: 'template.create',
        recordType: 'collection-template',
        recordId: t.code,
        before: null,
        after: template,
      },
    ]);
    return present(template, today);
  });
}

const kindsText = (kinds: readonly string[]) =>
  kinds.map((k) => organisationKindLabels[k as OrganisationKind] ?? k).join(', ');

/**
 * Makes a draft template active from a date, unless one of its items is already collected by another
 * template active then for a kind of organisation both ask and the same period type: refused, naming the
 * template that holds each item. Checked and written with the templates locked, so two activations cannot
 * both pass.
 */
export async function activateTemplate(
  db: Db,
  actor: Actor,
  code: string,
  from: IsoDate,
  today: IsoDate,
): Promise<TemplateView> {
  if (!isIsoDate(from))
    throw invalidInput(`"${from}" is not a date.`, [
      { field: 'from', message: 'Enter the date as YYYY-MM-DD.' },
    ]);
  return db.transaction().execute(async (trx) => {
    await lockTemplates(trx);
    const all = await listTemplates(trx);
    const template = all.find((t) => t.code === code);
    if (!template) throw notFound(`There is no collection template ${code}. See "oversight templates list".`);
    if (template.activeFrom !== null)
      throw conflict(
        `${template.name} (${code}) is already active from ${template.activeFrom}; its items cannot change.`,
      );
    const candidate = { ...template, activeFrom: from };
    const conflicts = collectOnceConflicts(candidate, all);
    if (conflicts.length > 0) {
      const problems = conflicts.map((c) => ({
        field: 'items',
        message: `${c.item} is already collected from ${kindsText(c.kinds)} by "${c.heldBy.name}" (${c.heldBy.code}).`,
      }));
      throw new AppError(
        'conflict',
        `Collect once: ${template.name} would collect ${conflicts.length === 1 ? 'an item' : `${conflicts.length} items`} another active template already collects. ${problems.map((p) => p.message).join(' ')} Leave ${conflicts.length === 1 ? 'it' : 'them'} out of this template (a new draft), or retire the other template first.`,
        problems,
      );
    }
    await setTemplateDates(trx, code, { activeFrom: from });
    await appendAuditEvents(trx, actor, [
      {
        action: 'template.activate',
        recordType: 'collection-template',
        recordId: code,
        before: { activeFrom: null },
        after: { activeFrom: from },
      },
    ]);
    return present(candidate, today);
  });
}

/** Stops a template from a date (after it became active); its returns up to then stand. */
export async function retireTemplate(
  db: Db,
  actor: Actor,
  code: string,
  from: IsoDate,
  today: IsoDate,
): Promise<TemplateView> {
  if (!isIsoDate(from))
    throw invalidInput(`"${from}" is not a date.`, [
      { field: 'from', message: 'Enter the date as YYYY-MM-DD.' },
    ]);
  return db.transaction().execute(async (trx) => {
    await lockTemplates(trx);
    const template = (await listTemplates(trx)).find((t) => t.code === code);
    if (!template) throw notFound(`There is no collection template ${code}. See "oversight templates list".`);
    if (template.activeFrom === null)
      throw conflict(`${template.name} (${code}) is a draft: there is nothing to retire.`);
    if (template.retiredFrom !== null)
      throw conflict(`${template.name} (${code}) is already retired from ${template.retiredFrom}.`);
    if (from <= template.activeFrom)
      throw invalidInput(
        `${template.name} became active on ${template.activeFrom}: retire it from a later date.`,
        [{ field: 'from', message: `Enter a date after ${template.activeFrom}.` }],
      );
    await setTemplateDates(trx, code, { retiredFrom: from });
    await appendAuditEvents(trx, actor, [
      {
        action: 'template.retire',
        recordType: 'collection-template',
        recordId: code,
        before: { retiredFrom: null },
        after: { retiredFrom: from },
      },
    ]);
    return present({ ...template, retiredFrom: from }, today);
  });
}

export interface ItemLineage {
  item: string;
  name: string;
  source: string;
  /** Templates that collect it, with their status today. */
  templates: Array<{ code: string; name: string; status: TemplateStatus }>;
  /** Metrics whose definition (any version) reads it. */
  metrics: string[];
  /** Oversight methodologies scoring a metric that reads it. */
  methodologies: string[];
  /** Reports built on it: the integrated performance report shows every metric. */
  reports: string[];
  /** Planning rounds that ask for a trajectory of it. */
  plans: string[];
  /** Collected by an active template, but no metric or plan uses it: a candidate to stop collecting. */
  flaggedForRetirement: boolean;
}

/** For every data item: who collects it, and what uses it. */
export async function getLineage(ex: Executor, today: IsoDate): Promise<ItemLineage[]> {
  const [catalogue, templates, methodologies, rounds] = await Promise.all([
    getMetricCatalogue(ex),
    listTemplates(ex),
    listMethodologyVersions(ex),
    listRounds(ex),
  ]);
  const metricsByItem = new Map<string, Set<string>>();
  for (const metric of catalogue.metrics)
    for (const version of metric.versions)
      for (const item of itemsOf(version.definition))
        metricsByItem.set(item, (metricsByItem.get(item) ?? new Set()).add(metric.code));
  // Methodologies are stored as documents; their metric codes are read without requiring them to validate.
  const methodologiesByMetric = new Map<string, Set<string>>();
  for (const row of methodologies) {
    const definition = row.definition as {
      metrics?: Array<{ metric?: unknown }>;
      conditions?: Array<{ metric?: unknown }>;
    };
    for (const entry of [...(definition.metrics ?? []), ...(definition.conditions ?? [])])
      if (typeof entry.metric === 'string')
        methodologiesByMetric.set(
          entry.metric,
          (methodologiesByMetric.get(entry.metric) ?? new Set()).add(row.code),
        );
  }
  return catalogue.items.map((item) => {
    const metrics = [...(metricsByItem.get(item.code) ?? [])].sort();
    const plans = rounds
      .filter((r) => Object.values(r.items).some((items) => items.includes(item.code)))
      .map((r) => r.code);
    const collecting = templates
      .filter((t) => t.items.includes(item.code))
      .map((t) => ({ code: t.code, name: t.name, status: templateStatus(t, today) }));
    return {
      item: item.code,
      name: item.name,
      source: item.source,
      templates: collecting,
      metrics,
      methodologies: [...new Set(metrics.flatMap((m) => [...(methodologiesByMetric.get(m) ?? [])]))].sort(),
      reports: metrics.length > 0 ? ['Integrated performance report'] : [],
      plans,
      flaggedForRetirement:
        metrics.length === 0 && plans.length === 0 && collecting.some((t) => t.status === 'active'),
    };
  });
}

export interface Burden {
  organisation: { odsCode: string; name: string; kind: string };
  year: { start: IsoDate; label: string };
  templates: Array<{ code: string; name: string; periodType: string; returns: number; items: number }>;
  returns: number;
  /** Data items asked for over the year: each return's items, summed. */
  items: number;
  previousYear: { label: string; returns: number; items: number };
  change: { returns: number; items: number; itemsPercent: number | null };
}

function burdenInYear(kind: string, templates: readonly CollectionTemplate[], yearStart: IsoDate) {
  const asked = templates
    .filter((t) => t.organisationKinds.includes(kind))
    .map((t) => {
      const returns = periodsAskedInYear(t, yearStart).length;
      return {
        code: t.code,
        name: t.name,
        periodType: t.periodType,
        returns,
        items: returns * t.items.length,
      };
    })
    .filter((t) => t.returns > 0);
  return {
    templates: asked,
    returns: asked.reduce((sum, t) => sum + t.returns, 0),
    items: asked.reduce((sum, t) => sum + t.items, 0),
  };
}

/** How many returns and items are asked of an organisation in a financial year, against the year before. */
export async function getBurden(ex: Executor, odsCode: string, yearDate: IsoDate): Promise<Burden> {
  const organisation = await findOrganisationByCode(ex, odsCode);
  if (!organisation)
    throw notFound(`No organisation has ODS code ${odsCode}. Check the code, or search by name.`);
  const year = periodContaining('financial-year', yearDate);
  const previousStart = addMonths(year.start, -12);
  const version =
    (await findVersionAt(ex, organisation.id, year.start)) ??
    (await findVersionAt(ex, organisation.id, addMonths(year.start, 11)));
  if (!version)
    throw notFound(
      `${odsCode} was not open in ${financialYearLabel(year.start)}, so nothing was asked of it.`,
    );
  const templates = await listTemplates(ex);
  const now = burdenInYear(version.kind, templates, year.start);
  const before = burdenInYear(version.kind, templates, previousStart);
  return {
    organisation: { odsCode, name: version.name, kind: version.kind },
    year: { start: year.start, label: financialYearLabel(year.start) },
    templates: now.templates,
    returns: now.returns,
    items: now.items,
    previousYear: { label: financialYearLabel(previousStart), returns: before.returns, items: before.items },
    change: {
      returns: now.returns - before.returns,
      items: now.items - before.items,
      itemsPercent:
        before.items === 0 ? null : Math.round(((now.items - before.items) / before.items) * 1000) / 10,
    },
  };
}

export interface InboxItem {
  /**
   * A data return, the organisation's plan for a planning round (`template` then names the round), or its
   * comply-or-explain declaration against a standard (`template` names the standard).
   */
  kind: 'return' | 'plan' | 'declaration';
  template: { code: string; name: string };
  period: IsoDate;
  label: string;
  opens: IsoDate;
  deadline: IsoDate;
  closes: IsoDate;
  /** The return's status, or null when none has been started. */
  returnStatus: ReturnStatus | null;
  /** Why it was returned for correction (when it was). */
  statusReason: string | null;
  returnId: number | null;
  state: InboxState;
}

export interface Inbox {
  organisation: { odsCode: string; name: string; kind: string };
  asAt: IsoDate;
  items: InboxItem[];
  outstanding: number;
}

const periodsBack = 3;

/**
 * One inbox per organisation: every return asked of it by the active templates for its kind, for the
 * latest periods that have opened, with the deadline, the hard close and where its return stands —
 * outstanding ones first. Return statuses of unpublished returns are for people whose roles cover the
 * organisation (the command line passes no principal); the read is audited.
 */
export async function getInbox(
  db: Db,
  caller: { principal: Principal | null; actor: Actor },
  odsCode: string,
  today: IsoDate,
): Promise<Inbox> {
  const organisation = await findOrganisationByCode(db, odsCode);
  if (!organisation)
    throw notFound(`No organisation has ODS code ${odsCode}. Check the code, or search by name.`);
  if (caller.principal)
    await authorise(
      db,
      caller.principal,
      'read',
      {
        organisationId: organisation.id,
        date: today,
        published: false,
        statutoryFunction: null,
        template: null,
      },
      `the inbox of ${odsCode}`,
    );
  const version = await findVersionAt(db, organisation.id, today);
  if (!version) throw notFound(`${odsCode} is not open today, so nothing is asked of it.`);
  const templates = (await listTemplates(db)).filter(
    (t) => t.organisationKinds.includes(version.kind) && templateStatus(t, today) === 'active',
  );
  const all = await listSubmissionRecords(db, {
    organisationId: organisation.id,
    limit: 1000,
    offset: 0,
  });
  // Returns of a statutory function the caller is not granted are left out, not described.
  const hidden = new Set<number>();
  if (caller.principal)
    for (const r of all)
      if (!(await isAllowed(db, caller.principal, 'read', submissionFacts(r)))) hidden.add(r.id);
  const returns = all.filter((r) => !hidden.has(r.id));
  const items: InboxItem[] = [];
  for (const template of templates) {
    // The periods that have ended, latest first, whose collection has opened while the template is active.
    let period = periodContaining(
      template.periodType,
      addMonths(periodContaining(template.periodType, today).start, -1),
    );
    for (let i = 0; i < periodsBack; i += 1) {
      const dates = scheduleFor(template, period);
      if (templateStatus(template, period.start) === 'active' && dates.opens <= today) {
        if (
          all.some((r) => hidden.has(r.id) && r.template === template.code && r.periodStart === period.start)
        ) {
          period = periodContaining(template.periodType, addMonths(period.start, -1));
          continue;
        }
        const found = returns.find((r) => r.template === template.code && r.periodStart === period.start);
        // Submitted once is done, unless it has been handed back for correction.
        const done = found !== undefined && found.firstSubmittedAt !== null && found.status !== 'returned';
        items.push({
          kind: 'return',
          template: { code: template.code, name: template.name },
          period: period.start,
          label: formatPeriod(period),
          ...dates,
          returnStatus: found ? (found.status as ReturnStatus) : null,
          statusReason: found?.status === 'returned' ? found.statusReason : null,
          returnId: found?.id ?? null,
          state: done
            ? 'done'
            : found?.status === 'returned'
              ? 'returned'
              : today >= dates.closes
                ? 'missed'
                : today > dates.deadline
                  ? 'overdue'
                  : 'open',
        });
      }
      period = periodContaining(template.periodType, addMonths(period.start, -1));
    }
  }
  // Plans for rounds that have opened and whose year has not ended: one inbox for everything asked.
  const plans = new Map((await listPlansOfOrganisation(db, organisation.id)).map((p) => [p.roundId, p]));
  for (const round of await listRounds(db)) {
    if (!round.items[version.kind] || round.opens > today || addMonths(round.yearStart, 12) <= today)
      continue;
    const plan = plans.get(round.id);
    const done = plan !== undefined && plan.firstSubmittedAt !== null && plan.status !== 'returned';
    items.push({
      kind: 'plan',
      template: { code: round.code, name: round.name },
      period: round.yearStart,
      label: `Plan for ${financialYearLabel(round.yearStart)}`,
      opens: round.opens,
      deadline: round.deadline,
      closes: round.closes,
      returnStatus: plan ? (plan.status as ReturnStatus) : null,
      statusReason: plan?.status === 'returned' ? plan.statusReason : null,
      returnId: null,
      state: done
        ? 'done'
        : plan?.status === 'returned'
          ? 'returned'
          : today > round.closes
            ? 'missed'
            : today > round.deadline
              ? 'overdue'
              : 'open',
    });
  }
  // Comply-or-explain declarations against published standards in effect: explaining counts as done.
  for (const asked of await listDeclarationsAsked(db, organisation.id, version.kind, today))
    items.push({
      kind: 'declaration',
      template: { code: asked.standard.code, name: asked.standard.title },
      period: asked.effectiveFrom,
      label:
        asked.position === 'comply'
          ? 'Declared: complies'
          : asked.position === 'explain'
            ? 'Declared: explains'
            : 'Comply or explain',
      opens: asked.effectiveFrom,
      deadline: asked.due,
      // Declarations do not close: a late one is still asked for.
      closes: asked.due,
      returnStatus: null,
      statusReason: null,
      returnId: null,
      state: asked.state,
    });
  const order: Record<InboxState, number> = { returned: 0, overdue: 1, open: 2, missed: 3, done: 4 };
  items.sort(
    (a, b) =>
      order[a.state] - order[b.state] ||
      a.deadline.localeCompare(b.deadline) ||
      a.template.code.localeCompare(b.template.code),
  );
  const published = new Set(returns.filter((r) => r.publishedAt !== null).map((r) => r.id));
  if (
    items.some(
      (item) =>
        (item.returnId !== null && !published.has(item.returnId)) ||
        (item.kind === 'plan' && item.returnStatus !== null),
    )
  )
    await db.transaction().execute((trx) =>
      appendAuditEvents(trx, caller.actor, [
        {
          action: 'inbox.read',
          recordType: 'organisation',
          recordId: odsCode,
          before: null,
          after: { items: items.length },
        },
      ]),
    );
  return {
    organisation: { odsCode, name: version.name, kind: version.kind },
    asAt: today,
    items,
    outstanding: items.filter((i) => i.state === 'open' || i.state === 'overdue').length,
  };
}

export type CoverageStatus = 'not-started' | ReturnStatus;

export interface CoverageGroup {
  code: string;
  name: string;
  asked: number;
  submitted: number;
  onTime: number;
  /** Submitted with every item of the template given. */
  complete: number;
  /** Accepted by the region (reporting has their figures). */
  accepted: number;
}

export interface TemplateCoverage {
  template: { code: string; name: string };
  period: { start: IsoDate; label: string; opens: IsoDate; deadline: IsoDate; closes: IsoDate };
  /** Organisations asked for the return that the caller may see, non-submitters first. */
  organisations: Array<{
    odsCode: string;
    name: string;
    icbCode: string | null;
    regionCode: string | null;
    status: CoverageStatus;
    /** First submitted by the end of the deadline day; null when never submitted. */
    onTime: boolean | null;
    firstSubmittedAt: string | null;
    /** Items given in the latest submitted values, of the template's items; null when never submitted. */
    itemsGiven: number | null;
    itemsAsked: number;
    accepted: boolean;
  }>;
  summary: {
    asked: number;
    submitted: number;
    onTime: number;
    missing: number;
    complete: number;
    accepted: number;
  };
  byRegion: CoverageGroup[];
  byIcb: CoverageGroup[];
}

/**
 * Who has and has not made a return for a template and period, and who made it by the deadline, per
 * organisation, ICB and region. People see the organisations their roles cover (statuses of unpublished
 * returns are not public); the command line (no principal) sees all.
 */
export async function getTemplateCoverage(
  db: Db,
  principal: Principal | null,
  code: string,
  periodDate: IsoDate | undefined,
  today: IsoDate,
): Promise<TemplateCoverage> {
  if (principal?.kind === 'public')
    throw new AppError('unauthenticated', 'Sign in to see who has made a return.');
  const template = (await listTemplates(db)).find((t) => t.code === code);
  if (!template) throw notFound(`There is no collection template ${code}. See "oversight templates list".`);
  const period = periodContaining(
    template.periodType,
    periodDate ?? addMonths(periodContaining(template.periodType, today).start, -1),
  );
  if (templateStatus(template, period.start) !== 'active')
    throw invalidInput(
      `${template.name} was not collecting in ${formatPeriod(period)}${template.activeFrom ? ` (active from ${template.activeFrom}${template.retiredFrom ? ` to ${template.retiredFrom}` : ''})` : ' (it is a draft)'}.`,
      [{ field: 'period', message: 'Choose a period when the template was active.' }],
    );
  const dates = scheduleFor(template, period);
  const all = await listOrganisationsAt(db, period.start);
  const ancestor = ancestorFinder(all);
  const returns = new Map(
    (await listSubmissionsForTemplatePeriod(db, code, period.start)).map((r) => [r.organisationId, r]),
  );
  const cache: PathCache = new Map();
  const organisations: TemplateCoverage['organisations'] = [];
  const names = new Map<string, string>();
  for (const o of all) {
    if (!template.organisationKinds.includes(o.kind)) continue;
    if (
      principal &&
      !(await isAllowed(
        db,
        principal,
        'read',
        {
          organisationId: o.id,
          date: period.start,
          published: false,
          statutoryFunction: null,
          template: code,
        },
        cache,
      ))
    )
      continue;
    const icb = ancestor(o.parentId, ['icb', 'stp']);
    const region = ancestor(o.parentId, ['region']);
    if (icb) names.set(icb.odsCode, icb.name);
    if (region) names.set(region.odsCode, region.name);
    const found = returns.get(o.id);
    // A return of a statutory function the caller is not granted is not described to them at all.
    if (principal && found && !(await isAllowed(db, principal, 'read', submissionFacts(found), cache)))
      continue;
    const status: CoverageStatus = found ? (found.status as ReturnStatus) : 'not-started';
    const firstSubmittedAt = found?.firstSubmittedAt ?? null;
    organisations.push({
      odsCode: o.odsCode,
      name: o.name,
      icbCode: icb?.odsCode ?? null,
      regionCode: region?.odsCode ?? null,
      status,
      // Timeliness is judged on the first submission: a later correction does not make a return late.
      onTime: firstSubmittedAt === null ? null : londonDate(firstSubmittedAt) <= dates.deadline,
      firstSubmittedAt,
      itemsGiven:
        firstSubmittedAt === null || !found
          ? null
          : template.items.filter((item) => typeof found.submittedValues?.[item] === 'number').length,
      itemsAsked: template.items.length,
      accepted: found?.acceptedVersion !== null && found?.acceptedVersion !== undefined,
    });
  }
  const order: Record<CoverageStatus, number> = {
    'not-started': 0,
    draft: 1,
    returned: 2,
    submitted: 3,
    approved: 4,
    accepted: 5,
    locked: 6,
  };
  organisations.sort((a, b) => order[a.status] - order[b.status] || a.name.localeCompare(b.name));
  const group = (key: 'icbCode' | 'regionCode'): CoverageGroup[] => {
    const groups = new Map<string, CoverageGroup>();
    for (const o of organisations) {
      const code = o[key];
      if (!code) continue;
      const g = groups.get(code) ?? {
        code,
        name: names.get(code) ?? code,
        asked: 0,
        submitted: 0,
        onTime: 0,
        complete: 0,
        accepted: 0,
      };
      g.asked += 1;
      if (o.onTime !== null) g.submitted += 1;
      if (o.onTime) g.onTime += 1;
      if (o.itemsGiven === o.itemsAsked) g.complete += 1;
      if (o.accepted) g.accepted += 1;
      groups.set(code, g);
    }
    return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
  };
  const submitted = organisations.filter((o) => o.onTime !== null).length;
  return {
    template: { code: template.code, name: template.name },
    period: { start: period.start, label: formatPeriod(period), ...dates },
    organisations,
    summary: {
      asked: organisations.length,
      submitted,
      onTime: organisations.filter((o) => o.onTime).length,
      missing: organisations.length - submitted,
      complete: organisations.filter((o) => o.itemsGiven === o.itemsAsked).length,
      accepted: organisations.filter((o) => o.accepted).length,
    },
    byRegion: group('regionCode'),
    byIcb: group('icbCode'),
  };
}

/** The calendar date in England of a moment (deadlines are English days). */
function londonDate(instant: string): IsoDate {
  return englandIsoDate(new Date(instant));
}
