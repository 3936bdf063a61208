import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import {
  findInterventionRecord,
  findProgrammeByCode,
  findStandardStanding,
  insertIntervention,
  insertInterventionActions,
  insertInterventionReview,
  listInterventionActions,
  listInterventionRecords,
  listInterventionReviews,
  lockIntervention,
  markInterventionActionDone,
  updateInterventionState,
  type InterventionActionRecord,
  type InterventionRecord,
} from '../db/intervention.repository.js';
import { listAidForInterventions } from '../db/mutual-aid.repository.js';
import {
  findOrganisationByCode,
  findVersionAt,
  listPathAt,
  listSubtreeAt,
} from '../db/organisation.repository.js';
import { statutoryFunctionLabels, type Principal, type StatutoryFunction } from '../domain/access.js';
import type { Actor } from '../domain/audit.js';
import { AppError, conflict, invalidInput, notFound, parseInput } from '../domain/errors.js';
import {
  actionInputSchema,
  checkReview,
  exitInputSchema,
  interventionInputSchema,
  interventionKindLabels,
  isOverdue,
  reviewInputSchema,
  signalKindLabels,
  type InterventionInput,
  type InterventionKind,
  type SignalInput,
  type SignalKind,
  type StoredSignal,
} from '../domain/intervention.js';
import type { IsoDate } from '../domain/iso-date.js';
import { addMonths, formatPeriod, periodContaining } from '../domain/period.js';
import type { SegmentLevel } from '../domain/oversight-methodology.js';
import { authorise, isAllowed, type PathCache, type RecordFacts } from './access.service.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';
import { findSystemGap } from './planning.service.js';
import { getSegmentation, type SegmentRow } from './segmentation.service.js';
import { formatMetricValue, getMetricSpc } from './spc.service.js';

/**
 * The interventions register and the chain from a signal in the data to the action taken. Recording an
 * intervention checks that its signal is real (the SPC point is a special cause, the segment did worsen,
 * the system plan is short, the standard was explained or missed) and keeps what the data showed then.
 * An intervention is read and changed under the access policy as at the day it started; one tagged with a
 * statutory function is invisible to anyone without that grant, in lists, chains and links alike.
 */

export interface InterventionCaller {
  /** Null for the command-line operator. */
  principal: Principal | null;
  actor: Actor;
}

export interface InterventionSummary {
  id: number;
  organisation: { odsCode: string; name: string };
  kind: InterventionKind;
  kindLabel: string;
  title: string;
  owner: string;
  statutoryFunction: StatutoryFunction | null;
  statutoryFunctionLabel: string | null;
  signal: StoredSignal & { kindLabel: string };
  openedOn: IsoDate;
  nextReview: IsoDate;
  reviewOverdue: boolean;
  exitCriteria: string;
  programme: { code: string; name: string } | null;
  status: 'open' | 'exited';
  closedOn: IsoDate | null;
  exitReason: string | null;
  actions: { open: number; overdue: number };
  createdBy: string;
  createdAt: string;
}

export interface InterventionDetail extends InterventionSummary {
  actionList: Array<{
    id: number;
    description: string;
    owner: string;
    due: IsoDate;
    doneOn: IsoDate | null;
    overdue: boolean;
  }>;
  reviews: Array<{
    id: number;
    reviewedOn: IsoDate;
    outcome: string;
    nextReview: IsoDate | null;
    recordedBy: string;
  }>;
  chain: Chain;
  /** Whether the reader may record reviews, actions and the exit. */
  canChange: boolean;
}

export interface ChainSignal {
  metric: { code: string; name: string; unit: string };
  period: IsoDate;
  label: string;
  value: number | null;
  formatted: string | null;
  specialCause: boolean;
  pointType: string | null;
  description: string;
}

export interface ChainSegment {
  methodology: string;
  quarter: IsoDate;
  label: string;
  segment: number | null;
  previousSegment: number | null;
  direction: string | null;
  drivers: Array<{
    metric: string;
    name: string;
    variation: string | null;
    sentence: string;
    /** Months of the quarter in which this driver's SPC shows a special cause of concern. */
    signalMonths: IsoDate[];
  }>;
}

/** From a signal to what it led to, or from an intervention back to its signal. */
export interface Chain {
  organisation: { odsCode: string; name: string; kind: string };
  signals: ChainSignal[];
  segment: ChainSegment | null;
  interventions: InterventionSummary[];
  programmes: Array<{ code: string; name: string; interventionIds: number[] }>;
  mutualAid: Array<{
    id: number;
    interventionId: number;
    requester: { odsCode: string; name: string };
    kindLabel: string;
    quantity: number;
    unit: string;
    status: string;
  }>;
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------
// Reading

function factsOf(
  r: Pick<InterventionRecord, 'organisationId' | 'openedOn' | 'statutoryFunction'>,
): RecordFacts {
  return {
    organisationId: r.organisationId,
    date: r.openedOn,
    published: false,
    statutoryFunction: r.statutoryFunction as StatutoryFunction | null,
    template: null,
  };
}

async function visible(
  ex: Executor,
  principal: Principal | null,
  records: readonly InterventionRecord[],
): Promise<InterventionRecord[]> {
  if (!principal) return [...records];
  const cache: PathCache = new Map();
  const shown: InterventionRecord[] = [];
  for (const r of records) if (await isAllowed(ex, principal, 'read', factsOf(r), cache)) shown.push(r);
  return shown;
}

function summarise(
  r: InterventionRecord,
  actions: readonly InterventionActionRecord[],
  today: IsoDate,
): InterventionSummary {
  const own = actions.filter((a) => a.interventionId === r.id);
  const stored = r.signal as StoredSignal;
  const fn = r.statutoryFunction as StatutoryFunction | null;
  return {
    id: r.id,
    organisation: { odsCode: r.odsCode, name: r.organisationName },
    kind: r.kind as InterventionKind,
    kindLabel: interventionKindLabels[r.kind as InterventionKind] ?? r.kind,
    title: r.title,
    owner: r.owner,
    statutoryFunction: fn,
    statutoryFunctionLabel: fn ? statutoryFunctionLabels[fn] : null,
    signal: { ...stored, kindLabel: signalKindLabels[stored.kind] },
    openedOn: r.openedOn,
    nextReview: r.nextReview,
    reviewOverdue: r.status === 'open' && r.nextReview < today,
    exitCriteria: r.exitCriteria,
    programme: r.programme ? { code: r.programme.code, name: r.programme.name } : null,
    status: r.status as 'open' | 'exited',
    closedOn: r.closedOn,
    exitReason: r.exitReason,
    actions: {
      open: own.filter((a) => a.doneOn === null).length,
      overdue: own.filter((a) => isOverdue(a, today)).length,
    },
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

async function summariseAll(
  ex: Executor,
  records: readonly InterventionRecord[],
  today: IsoDate,
): Promise<InterventionSummary[]> {
  const actions = await listInterventionActions(
    ex,
    records.map((r) => r.id),
  );
  return records.map((r) => summarise(r, actions, today));
}

export interface InterventionQuery {
  /** An organisation: its own interventions and those of everything under it. */
  organisation?: string;
  programme?: string;
  status?: 'open' | 'exited';
  today: IsoDate;
}

/** The register, as far as the reader may see it: open ones with the soonest review first. */
export async function listInterventions(
  db: Db,
  principal: Principal | null,
  query: InterventionQuery,
): Promise<InterventionSummary[]> {
  let organisationIds: number[] | undefined;
  if (query.organisation) {
    const organisation = await findOrganisationByCode(db, query.organisation);
    if (!organisation)
      throw notFound(
        `No organisation has ODS code ${query.organisation}. Check the code, or search by name.`,
      );
    organisationIds = (await listSubtreeAt(db, organisation.id, query.today, 10)).map((o) => o.id);
    if (!organisationIds.includes(organisation.id)) organisationIds.push(organisation.id);
  }
  let programmeId: number | undefined;
  if (query.programme) {
    const programme = await findProgrammeByCode(db, query.programme);
    if (!programme) throw notFound(`There is no programme ${query.programme}.`);
    programmeId = programme.id;
  }
  const records = await visible(
    db,
    principal,
    await listInterventionRecords(db, {
      ...(organisationIds ? { organisationIds } : {}),
      ...(programmeId !== undefined ? { programmeId } : {}),
      ...(query.status ? { status: query.status } : {}),
    }),
  );
  const summaries = await summariseAll(db, records, query.today);
  return summaries.sort(
    (a, b) =>
      (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) ||
      a.nextReview.localeCompare(b.nextReview) ||
      b.id - a.id,
  );
}

async function requireVisible(
  ex: Executor,
  principal: Principal | null,
  id: number,
): Promise<InterventionRecord> {
  const record = await findInterventionRecord(ex, id);
  const missing = `There is no intervention ${id}, or you do not have access to it.`;
  if (!record) throw notFound(missing);
  if (principal) await authorise(ex, principal, 'read', factsOf(record), `intervention ${id}`);
  return record;
}

export async function getIntervention(
  db: Db,
  principal: Principal | null,
  id: number,
  today: IsoDate,
): Promise<InterventionDetail> {
  const record = await requireVisible(db, principal, id);
  const actions = await listInterventionActions(db, [id]);
  const reviews = await listInterventionReviews(db, id);
  const summary = summarise(record, actions, today);
  return {
    ...summary,
    actionList: actions.map((a) => ({
      id: a.id,
      description: a.description,
      owner: a.owner,
      due: a.due,
      doneOn: a.doneOn,
      overdue: isOverdue(a, today),
    })),
    reviews: reviews.map((r) => ({
      id: r.id,
      reviewedOn: r.reviewedOn,
      outcome: r.outcome,
      nextReview: r.nextReview,
      recordedBy: r.recordedBy,
    })),
    chain: await chainBack(db, principal, record, summary, today),
    canChange: principal === null || (await isAllowed(db, principal, 'intervene', factsOf(record))),
  };
}

// ---------------------------------------------------------------------------------------------------
// Signals: checked when an intervention is recorded, and read again for the chain

const defaultMethodology = (level: SegmentLevel) => (level === 'icb' ? 'nof-2026-27' : 'nof-2025-26');

function levelOf(kind: string): SegmentLevel | null {
  if (kind === 'nhs-trust') return 'nhs-trust';
  if (kind === 'icb') return 'icb';
  return null;
}

/** The organisation's SPC for a metric around a month: the point of that month, if there are figures. */
/**
 * The organisation's SPC points for a metric in some months (one chart computed around them, from 23 months
 * before the first to 12 after the last), each described as the chain shows it.
 */
async function spcSignals(
  db: Db,
  odsCode: string,
  metricCode: string,
  periods: readonly IsoDate[],
  today: IsoDate,
): Promise<ChainSignal[]> {
  const catalogue = await getMetricCatalogue(db);
  const metric = catalogue.metricByCode.get(metricCode);
  if (!metric)
    throw invalidInput(`There is no metric ${metricCode}.`, [
      { field: 'signal.metric', message: 'Choose a metric from the catalogue (oversight metrics list).' },
    ]);
  const sorted = [...periods].sort();
  const spc = await getMetricSpc(db, {
    metricCode,
    aggregate: { kind: 'organisation', odsCode },
    from: addMonths(sorted[0] ?? today, -23),
    to: addMonths(sorted[sorted.length - 1] ?? today, 12),
    periodType: 'month',
    structure: { kind: 'as-at-period' },
    today,
    settings: {},
  });
  return periods.map((period): ChainSignal => {
    const label = formatPeriod(periodContaining('month', period));
    const base = { metric: { code: metric.code, name: metric.name, unit: metric.unit }, period, label };
    const missing = (description: string): ChainSignal => ({
      ...base,
      value: null,
      formatted: null,
      specialCause: false,
      pointType: null,
      description,
    });
    if (spc.result.kind !== 'spc')
      return missing(`There are too few figures for an SPC chart of ${metric.name} for ${odsCode}.`);
    const point = spc.result.points.find((p) => p.date === period);
    if (!point) return missing(`${odsCode} has no figure for ${metric.name} in ${label}.`);
    const formatted = formatMetricValue(point.value, metric.unit);
    const concern = point.pointType === 'special_cause_concern';
    const kindText = point.pointType.startsWith('special_cause')
      ? `a special cause${concern ? ' of concern' : point.pointType.endsWith('improvement') ? ' of improvement' : ''} (${point.specialCauseType})`
      : 'common cause variation';
    return {
      ...base,
      value: point.value,
      formatted,
      specialCause: point.pointType !== 'common_cause',
      pointType: point.pointType,
      description: `${metric.name} was ${formatted} in ${label}: ${kindText}; mean ${formatMetricValue(point.mean, metric.unit)}, limits ${formatMetricValue(point.lpl, metric.unit)} to ${formatMetricValue(point.upl, metric.unit)}.`,
    };
  });
}

async function spcSignal(
  db: Db,
  odsCode: string,
  metricCode: string,
  period: IsoDate,
  today: IsoDate,
): Promise<ChainSignal> {
  const [signal] = await spcSignals(db, odsCode, metricCode, [period], today);
  if (!signal) throw new Error('one month asked, none answered');
  return signal;
}

async function segmentFor(
  db: Db,
  principal: Principal | null,
  organisation: { odsCode: string; kind: string },
  methodologyCode: string | null,
  quarter: IsoDate,
  today: IsoDate,
  notes: string[],
): Promise<{ segment: ChainSegment; row: SegmentRow } | null> {
  const level = levelOf(organisation.kind);
  if (!level) {
    notes.push(`${organisation.odsCode} is not segmented: only trusts and ICBs are.`);
    return null;
  }
  const methodology = methodologyCode ?? defaultMethodology(level);
  try {
    const segmentation = await getSegmentation(db, {
      methodologyCode: methodology,
      level,
      period: quarter,
      today,
      viewer: principal,
      driversFor: [organisation.odsCode],
    });
    const row = segmentation.rows.find((r) => r.odsCode === organisation.odsCode);
    if (!row || row.segment === null) {
      notes.push(
        `${organisation.odsCode} has no segment for ${segmentation.period.label}${row?.notSegmented ? `: ${row.notSegmented}` : '.'}`,
      );
      return null;
    }
    return {
      row,
      segment: {
        methodology: segmentation.methodology.code,
        quarter: segmentation.period.start,
        label: segmentation.period.label,
        segment: row.segment,
        previousSegment: row.change?.previousSegment ?? null,
        direction: row.change?.direction ?? null,
        drivers: row.drivers.map((d) => ({
          metric: d.metric,
          name: d.name,
          variation: d.variation,
          sentence: d.sentence,
          signalMonths: [],
        })),
      },
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    notes.push(`No segmentation for the quarter: ${error.message}`);
    return null;
  }
}

/** Checks the named signal against the data and keeps what it showed; refuses a signal that is not there. */
async function verifySignal(
  db: Db,
  organisation: { id: number; odsCode: string; kind: string },
  signal: SignalInput,
  today: IsoDate,
): Promise<StoredSignal> {
  const refuse = (field: string, message: string): never => {
    throw invalidInput('The signal named does not support this intervention.', [
      { field: `signal.${field}`, message },
    ]);
  };
  switch (signal.kind) {
    case 'spc-special-cause': {
      const found = await spcSignal(db, organisation.odsCode, signal.metric, signal.period, today);
      if (found.pointType !== 'special_cause_concern')
        refuse('period', `${found.description} Name a month whose SPC point is a special cause of concern.`);
      return {
        ...signal,
        summary: found.description,
        observed: { value: found.value, pointType: found.pointType, metricName: found.metric.name },
      };
    }
    case 'segment-change': {
      const notes: string[] = [];
      const found = await segmentFor(
        db,
        null,
        organisation,
        signal.methodology,
        signal.quarter,
        today,
        notes,
      );
      if (!found) return refuse('quarter', notes.join(' ') || 'There is no segment for that quarter.');
      const { segment } = found;
      // The methodology used (the kind's default when none was named) is kept with the signal.
      const named = { ...signal, methodology: segment.methodology };
      if (segment.direction !== 'worse' || segment.previousSegment === null || segment.segment === null)
        return refuse(
          'quarter',
          `${organisation.odsCode}'s segment did not worsen in ${segment.label} (segment ${segment.segment ?? 'none'}, previously ${segment.previousSegment ?? 'none'}). Name the quarter in which it worsened.`,
        );
      return {
        ...named,
        summary: `Segment ${segment.previousSegment} → ${segment.segment} in ${segment.label} (${segment.methodology})${
          segment.drivers.length > 0
            ? `; drivers: ${segment.drivers
                .slice(0, 3)
                .map((d) => d.name)
                .join(', ')}`
            : ''
        }.`,
        observed: {
          from: segment.previousSegment,
          to: segment.segment,
          label: segment.label,
          drivers: segment.drivers.slice(0, 3).map((d) => d.metric),
        },
      };
    }
    case 'plan-gap': {
      const path = await listPathAt(db, organisation.id, today);
      const icb = path.find((o) => o.kind === 'icb');
      if (!icb) return refuse('round', `${organisation.odsCode} is not in an ICB, so it has no system plan.`);
      const gap = await findSystemGap(db, signal.round, icb.id).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not-found')
          return refuse('round', `There is no planning round ${signal.round}.`);
        throw error;
      });
      if (!gap)
        return refuse(
          'round',
          `${icb.odsCode} has no envelope in ${signal.round}, so there is no gap to act on.`,
        );
      if (gap.gap >= 0)
        return refuse(
          'round',
          `${icb.name}'s plans meet the envelope in ${signal.round} (gap £${Math.round(gap.gap).toLocaleString('en-GB')}k).`,
        );
      return {
        ...signal,
        summary: `${icb.name}'s plans for ${signal.round} fall £${Math.round(Math.abs(gap.gap)).toLocaleString('en-GB')}k short of the control total of £${Math.round(gap.controlTotal).toLocaleString('en-GB')}k.`,
        observed: { icb: icb.odsCode, gap: gap.gap, controlTotal: gap.controlTotal },
      };
    }
    case 'missed-standard': {
      const standing = await findStandardStanding(db, signal.standard, organisation.id);
      if (!standing || !standing.published)
        return refuse('standard', `There is no published standard ${signal.standard}.`);
      if (!standing.organisationKinds.includes(organisation.kind))
        return refuse('standard', `${standing.title} does not apply to ${organisation.odsCode}.`);
      if (standing.position === 'comply')
        return refuse(
          'standard',
          `${organisation.odsCode} has declared that it complies with ${standing.title}.`,
        );
      if (standing.position === null && today <= standing.declarationsDue)
        return refuse(
          'standard',
          `${organisation.odsCode}'s declaration against ${standing.title} is not due until ${standing.declarationsDue}.`,
        );
      return {
        ...signal,
        summary:
          standing.position === 'explain'
            ? `${organisation.odsCode} explained rather than complied with ${standing.title}.`
            : `${organisation.odsCode} made no declaration against ${standing.title}, due ${standing.declarationsDue}.`,
        observed: { position: standing.position, due: standing.declarationsDue },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The chain

async function aidFor(
  db: Db,
  principal: Principal | null,
  interventionIds: readonly number[],
  today: IsoDate,
): Promise<Chain['mutualAid']> {
  if (interventionIds.length === 0) return [];
  const aid = await listAidForInterventions(db, [...interventionIds]);
  if (!principal) return aid;
  const shown: Chain['mutualAid'] = [];
  const cache: PathCache = new Map();
  for (const a of aid) {
    const requester = await findOrganisationByCode(db, a.requester.odsCode);
    if (
      requester &&
      // Mutual aid is seen by those who may act for the requester or broker in its region, as on its own pages.
      (await isAllowed(
        db,
        principal,
        'collaborate',
        {
          organisationId: requester.id,
          date: today,
          published: false,
          statutoryFunction: null,
          template: null,
        },
        cache,
      ))
    )
      shown.push(a);
  }
  return shown;
}

function programmesOf(interventions: readonly InterventionSummary[]): Chain['programmes'] {
  const byCode = new Map<string, Chain['programmes'][number]>();
  for (const i of interventions) {
    if (!i.programme) continue;
    const entry = byCode.get(i.programme.code) ?? { ...i.programme, interventionIds: [] };
    entry.interventionIds.push(i.id);
    byCode.set(i.programme.code, entry);
  }
  return [...byCode.values()];
}

/** Marks, for each of the segment's top drivers, the months of the quarter its SPC flags as a concern. */
async function driverSignals(
  db: Db,
  odsCode: string,
  segment: ChainSegment,
  today: IsoDate,
): Promise<ChainSignal[]> {
  const signals: ChainSignal[] = [];
  const months = [0, 1, 2].map((m) => addMonths(segment.quarter, m));
  for (const driver of segment.drivers.slice(0, 3)) {
    // One chart per driver, read for the quarter's three months.
    for (const signal of await spcSignals(db, odsCode, driver.metric, months, today)) {
      if (signal.pointType !== 'special_cause_concern') continue;
      driver.signalMonths.push(signal.period);
      signals.push(signal);
    }
  }
  return signals;
}

/** From an SPC signal of an organisation forward: its segment that quarter, and what was done about it. */
export async function getSignalChain(
  db: Db,
  principal: Principal | null,
  request: { organisation: string; metric: string; period: IsoDate; methodology?: string; today: IsoDate },
): Promise<Chain> {
  const organisation = await findOrganisationByCode(db, request.organisation);
  if (!organisation)
    throw notFound(
      `No organisation has ODS code ${request.organisation}. Check the code, or search by name.`,
    );
  const version = await findVersionAt(db, organisation.id, request.period);
  if (!version) throw notFound(`${request.organisation} did not exist in ${request.period}.`);
  if (principal)
    await authorise(
      db,
      principal,
      'read',
      {
        organisationId: organisation.id,
        date: request.period,
        published: true,
        statutoryFunction: null,
        template: null,
      },
      `the figures of ${request.organisation}`,
    );
  const notes: string[] = [];
  const signal = await spcSignal(db, request.organisation, request.metric, request.period, request.today);
  const quarter = periodContaining('quarter', request.period).start;
  const found = await segmentFor(
    db,
    principal,
    { odsCode: request.organisation, kind: version.kind },
    request.methodology ?? null,
    quarter,
    request.today,
    notes,
  );
  if (found) {
    const driver = found.segment.drivers.find((d) => d.metric === request.metric);
    if (driver && signal.pointType === 'special_cause_concern') driver.signalMonths.push(request.period);
    if (!driver)
      notes.push(
        `${signal.metric.name} is not among the drivers of ${request.organisation}'s segment in ${found.segment.label}.`,
      );
  }
  // What was done: interventions triggered by this signal, or by the segment change of its quarter.
  const records = await visible(
    db,
    principal,
    (await listInterventionRecords(db, { organisationIds: [organisation.id] })).filter((r) => {
      const s = r.signal as StoredSignal;
      return (
        (s.kind === 'spc-special-cause' && s.metric === request.metric && s.period === request.period) ||
        (s.kind === 'segment-change' && s.quarter === quarter)
      );
    }),
  );
  const interventions = await summariseAll(db, records, request.today);
  return {
    organisation: { odsCode: organisation.odsCode, name: version.name, kind: version.kind },
    signals: [signal],
    segment: found?.segment ?? null,
    interventions,
    programmes: programmesOf(interventions),
    mutualAid: await aidFor(
      db,
      principal,
      interventions.map((i) => i.id),
      request.today,
    ),
    notes,
  };
}

/** From an intervention back to the signal and segment behind it, and on to its programme and mutual aid. */
async function chainBack(
  db: Db,
  principal: Principal | null,
  record: InterventionRecord,
  summary: InterventionSummary,
  today: IsoDate,
): Promise<Chain> {
  const version = await findVersionAt(db, record.organisationId, record.openedOn);
  const organisation = {
    odsCode: record.odsCode,
    name: version?.name ?? record.organisationName,
    kind: version?.kind ?? 'unknown',
  };
  const notes: string[] = [];
  const signal = record.signal as StoredSignal;
  let signals: ChainSignal[] = [];
  let segment: ChainSegment | null = null;
  if (signal.kind === 'spc-special-cause') {
    signals = [await spcSignal(db, record.odsCode, signal.metric, signal.period, today)];
    const found = await segmentFor(
      db,
      principal,
      organisation,
      null,
      periodContaining('quarter', signal.period).start,
      today,
      notes,
    );
    segment = found?.segment ?? null;
    const driver = segment?.drivers.find((d) => d.metric === signal.metric);
    if (driver && signals[0]?.pointType === 'special_cause_concern') driver.signalMonths.push(signal.period);
  } else if (signal.kind === 'segment-change') {
    const found = await segmentFor(
      db,
      principal,
      organisation,
      signal.methodology,
      signal.quarter,
      today,
      notes,
    );
    segment = found?.segment ?? null;
    if (segment) signals = await driverSignals(db, record.odsCode, segment, today);
  } else {
    notes.push(`${signalKindLabels[signal.kind as SignalKind]}: ${signal.summary}`);
  }
  return {
    organisation,
    signals,
    segment,
    interventions: [summary],
    programmes: programmesOf([summary]),
    mutualAid: await aidFor(db, principal, [record.id], today),
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------
// Changes

/** Records an intervention with its first actions, once its signal is found in the data. */
export async function recordIntervention(
  db: Db,
  caller: InterventionCaller,
  input: unknown,
  today: IsoDate,
): Promise<InterventionDetail> {
  const value: InterventionInput = parseInput(
    interventionInputSchema,
    input,
    'The intervention is not valid.',
  );
  const organisation = await findOrganisationByCode(db, value.organisation);
  if (!organisation)
    throw invalidInput(`No organisation has ODS code ${value.organisation}.`, [
      { field: 'organisation', message: 'Enter the ODS code of an organisation here, e.g. RJ1.' },
    ]);
  const version = await findVersionAt(db, organisation.id, value.openedOn);
  if (!version)
    throw invalidInput(`${value.organisation} was not open on ${value.openedOn}.`, [
      { field: 'openedOn', message: 'Enter a date on which the organisation was open.' },
    ]);
  const facts: RecordFacts = {
    organisationId: organisation.id,
    date: value.openedOn,
    published: false,
    statutoryFunction: value.statutoryFunction,
    template: null,
  };
  if (value.openedOn > today)
    throw invalidInput('An intervention is recorded once it has started.', [
      { field: 'openedOn', message: 'Enter today or an earlier date.' },
    ]);
  // The recorder must cover the organisation both when it started and today, so a back-dated start cannot
  // reach an organisation that has since moved out of the recorder's region.
  if (caller.principal) {
    await authorise(db, caller.principal, 'intervene', facts, `an intervention on ${value.organisation}`);
    await authorise(
      db,
      caller.principal,
      'intervene',
      { ...facts, date: today },
      `an intervention on ${value.organisation}`,
    );
  }
  const programme = value.programme ? await findProgrammeByCode(db, value.programme) : null;
  if (value.programme && !programme)
    throw invalidInput(`There is no programme ${value.programme}.`, [
      { field: 'programme', message: 'Choose a programme from the list, or none.' },
    ]);
  if (programme?.stage === 'closed')
    throw invalidInput(`${programme.name} is closed.`, [
      { field: 'programme', message: 'Choose a programme that is not closed.' },
    ]);
  const signal = await verifySignal(
    db,
    { id: organisation.id, odsCode: organisation.odsCode, kind: version.kind },
    value.signal,
    today,
  );
  const id = await db.transaction().execute(async (trx) => {
    const created = await insertIntervention(trx, {
      organisationId: organisation.id,
      kind: value.kind,
      title: value.title,
      owner: value.owner,
      statutoryFunction: value.statutoryFunction,
      signalKind: signal.kind,
      signal,
      openedOn: value.openedOn,
      nextReview: value.nextReview,
      exitCriteria: value.exitCriteria,
      programmeId: programme?.id ?? null,
      createdBy: caller.actor.label,
    });
    await insertInterventionActions(trx, created, value.actions);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'intervention.record',
        recordType: 'intervention',
        recordId: String(created),
        before: null,
        after: { ...value, signal },
      },
    ]);
    return created;
  });
  return getIntervention(db, caller.principal, id, today);
}

/** A change to an intervention: the reader must see it and be allowed to intervene on its organisation. */
async function changeIntervention(
  db: Db,
  caller: InterventionCaller,
  id: number,
  today: IsoDate,
  change: (
    trx: Executor,
    record: InterventionRecord,
  ) => Promise<{ action: string; before: unknown; after: unknown }>,
): Promise<InterventionDetail> {
  const record = await requireVisible(db, caller.principal, id);
  if (caller.principal)
    await authorise(db, caller.principal, 'intervene', factsOf(record), `intervention ${id}`);
  await db.transaction().execute(async (trx) => {
    await lockIntervention(trx, id);
    const current = await findInterventionRecord(trx, id);
    if (!current) throw notFound(`There is no intervention ${id}.`);
    const audit = await change(trx, current);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: audit.action,
        recordType: 'intervention',
        recordId: String(id),
        before: audit.before,
        after: audit.after,
      },
    ]);
  });
  return getIntervention(db, caller.principal, id, today);
}

const mustBeOpen = (record: InterventionRecord) => {
  if (record.status !== 'open')
    throw conflict(`Intervention ${record.id} ended on ${record.closedOn}; it cannot be changed.`);
};

export async function reviewIntervention(
  db: Db,
  caller: InterventionCaller,
  id: number,
  input: unknown,
  today: IsoDate,
): Promise<InterventionDetail> {
  const review = parseInput(reviewInputSchema, input, 'The review is not valid.');
  return changeIntervention(db, caller, id, today, async (trx, record) => {
    mustBeOpen(record);
    const problems = checkReview(review, record.openedOn);
    if (review.reviewedOn > today)
      problems.push({ field: 'reviewedOn', message: 'A review cannot be recorded before it has happened.' });
    if (review.nextReview === null)
      problems.push({
        field: 'nextReview',
        message: 'Enter the next review date (or end the intervention instead).',
      });
    if (problems.length > 0) throw invalidInput('The review is not valid.', problems);
    await insertInterventionReview(trx, id, { ...review, recordedBy: caller.actor.label });
    if (review.nextReview) await updateInterventionState(trx, id, { nextReview: review.nextReview });
    return {
      action: 'intervention.review',
      before: { nextReview: record.nextReview },
      after: review,
    };
  });
}

export async function addInterventionAction(
  db: Db,
  caller: InterventionCaller,
  id: number,
  input: unknown,
  today: IsoDate,
): Promise<InterventionDetail> {
  const action = parseInput(actionInputSchema, input, 'The action is not valid.');
  return changeIntervention(db, caller, id, today, async (trx, record) => {
    mustBeOpen(record);
    await insertInterventionActions(trx, id, [action]);
    return { action: 'intervention.action-add', before: null, after: action };
  });
}

export async function completeInterventionAction(
  db: Db,
  caller: InterventionCaller,
  id: number,
  actionId: number,
  doneOn: IsoDate,
  today: IsoDate,
): Promise<InterventionDetail> {
  return changeIntervention(db, caller, id, today, async (trx, record) => {
    mustBeOpen(record);
    const action = (await listInterventionActions(trx, [id])).find((a) => a.id === actionId);
    if (!action) throw notFound(`Intervention ${id} has no action ${actionId}.`);
    if (action.doneOn !== null) throw conflict(`That action was done on ${action.doneOn}.`);
    if (doneOn < record.openedOn || doneOn > today)
      throw invalidInput('The date is not valid.', [
        { field: 'doneOn', message: `Enter a date from ${record.openedOn} to today.` },
      ]);
    await markInterventionActionDone(trx, actionId, doneOn);
    return { action: 'intervention.action-done', before: action, after: { ...action, doneOn } };
  });
}

export async function exitIntervention(
  db: Db,
  caller: InterventionCaller,
  id: number,
  input: unknown,
  today: IsoDate,
): Promise<InterventionDetail> {
  const exit = parseInput(exitInputSchema, input, 'The exit is not valid.');
  return changeIntervention(db, caller, id, today, async (trx, record) => {
    mustBeOpen(record);
    if (exit.closedOn < record.openedOn || exit.closedOn > today)
      throw invalidInput('The date is not valid.', [
        { field: 'closedOn', message: `Enter a date from ${record.openedOn} to today.` },
      ]);
    await updateInterventionState(trx, id, { exit: { closedOn: exit.closedOn, reason: exit.reason } });
    return {
      action: 'intervention.exit',
      before: { status: record.status },
      after: { status: 'exited', ...exit },
    };
  });
}

/** Links an intervention to the programme it led to (or unlinks it). */
export async function linkInterventionProgramme(
  db: Db,
  caller: InterventionCaller,
  id: number,
  programmeCode: string | null,
  today: IsoDate,
): Promise<InterventionDetail> {
  const programme = programmeCode ? await findProgrammeByCode(db, programmeCode) : null;
  if (programmeCode && !programme)
    throw invalidInput(`There is no programme ${programmeCode}.`, [
      { field: 'programme', message: 'Choose a programme from the list, or none.' },
    ]);
  if (programme?.stage === 'closed')
    throw invalidInput(`${programme.name} is closed.`, [
      { field: 'programme', message: 'Choose a programme that is not closed.' },
    ]);
  return changeIntervention(db, caller, id, today, async (trx, record) => {
    mustBeOpen(record);
    await updateInterventionState(trx, id, { programmeId: programme?.id ?? null });
    return {
      action: 'intervention.programme',
      before: { programme: record.programme?.code ?? null },
      after: { programme: programme?.code ?? null },
    };
  });
}
