import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import {
  completeMilestoneRow,
  findContribution,
  findMilestone,
  findProgrammeByCode,
  findReview,
  insertMilestone,
  insertProgramme,
  insertReview,
  insertStageChange,
  listContributions,
  listLatestAreas,
  listMilestones,
  listProgrammeCodes,
  listProgrammeRecords,
  listRegionsAndIcbsAt,
  listReviews,
  listStageChanges,
  recordReviewRow,
  touchProgramme,
  updateProgrammeStage,
  upsertContribution,
  type AreaRecord,
  type ContributionRecord,
  type ProgrammeRecord,
} from '../db/programme.repository.js';
import type { Principal } from '../domain/access.js';
import { systemActor, type Actor } from '../domain/audit.js';
import { AppError, conflict, invalidInput, notFound, parseInput, type Problem } from '../domain/errors.js';
import type { IsoDate } from '../domain/iso-date.js';
import type { Polarity } from '../domain/metric.js';
import { nationalBody } from '../domain/nhs-england-structure.js';
import {
  compareWithTrajectory,
  contributionSchema,
  contributionStatuses,
  isMilestoneOverdue,
  isProgrammeStage,
  linkedMetricSchema,
  milestoneCompletionSchema,
  milestoneSchema,
  moveStage,
  nextStages,
  programmeInputSchema,
  requireOpen,
  reviewMove,
  reviewDecisions,
  reviewOutcomeSchema,
  reviewScheduleSchema,
  stageMoveSchema,
  trajectoryAt,
  type ContributionStatus,
  type LinkedMetric,
  type ProgrammeInput,
  type ProgrammeStage,
  type ReviewDecision,
  type TrajectoryComparison,
  type TrajectoryPoint,
} from '../domain/programme.js';
import { seedProgrammes, seedRecordedBy, seedStageReason } from '../domain/programme-seeds.js';
import { isAllowed, type PathCache, type RecordFacts } from './access.service.js';
import { getDashboard } from './dashboard.service.js';
import { actorOf } from './identity.service.js';
import { getMetricCatalogue, type MetricCatalogue } from './metric-catalogue.service.js';

/**
 * National programmes: one lifecycle for every programme, with sponsor, national director, scope, linked
 * metrics against their trajectories (read from the dashboards' monthly roll-ups), the regions' and ICBs'
 * contributions, milestones and reviews.
 *
 * Programmes are public information: NHS England publishes its national programmes, their scope and
 * their governance in board papers, and nothing here is about a patient or unpublished performance, so
 * anyone may read them. Who recorded each change is shown to signed-in readers only. Creating a
 * programme, moving its stage, milestones and reviews are national decisions (the `configure` action on
 * England: national directors); a region's or ICB's contribution is the `contribute` action on it. Every
 * change is one transaction with its audit events.
 */

/** Who is asking, and how the audit trail names them. */
export interface ProgrammeCaller {
  principal: Principal;
  actor: Actor;
}

export function programmeCaller(principal: Principal, requestId: string | null = null): ProgrammeCaller {
  return { principal, actor: actorOf(principal, requestId) };
}

// Access

const englandFacts = async (ex: Executor, today: IsoDate): Promise<RecordFacts> => {
  const england = await findOrganisationByCode(ex, nationalBody.code);
  if (!england) throw new Error('the reference structure has no England');
  return {
    organisationId: england.id,
    date: today,
    published: false,
    statutoryFunction: null,
    template: null,
  };
};

const areaFacts = (organisationId: number, today: IsoDate): RecordFacts => ({
  organisationId,
  date: today,
  published: false,
  statutoryFunction: null,
  template: null,
});

async function mayManage(ex: Executor, principal: Principal, today: IsoDate): Promise<boolean> {
  if (principal.kind !== 'user') return false;
  return isAllowed(ex, principal, 'configure', await englandFacts(ex, today));
}

/** Creating programmes, moving their stage, milestones and reviews: national directors. */
async function requireManager(ex: Executor, principal: Principal, what: string, today: IsoDate) {
  if (principal.kind === 'public') throw new AppError('unauthenticated', `Sign in to ${what}.`);
  if (!(await mayManage(ex, principal, today)))
    throw new AppError(
      'forbidden',
      `You cannot ${what}: national programmes are run nationally, so only national directors may create them, move their stage, or record their milestones and reviews.`,
    );
}

// Reading

function parseMetrics(stored: unknown): LinkedMetric[] {
  const parsed = linkedMetricSchema.array().safeParse(stored);
  // Stored metrics were checked when written; a row that no longer parses shows no metrics rather than failing the page.
  return parsed.success ? parsed.data : [];
}

function stageOf(record: ProgrammeRecord): ProgrammeStage {
  if (!isProgrammeStage(record.stage))
    throw new Error(`programme ${record.code} has unknown stage ${record.stage}`);
  return record.stage;
}

export interface ProgrammeSummary {
  code: string;
  name: string;
  sponsor: string;
  nationalDirector: string;
  stage: ProgrammeStage;
  /** The earliest review not yet held. */
  nextReview: IsoDate | null;
  /** The next review's date has passed without an outcome recorded. */
  reviewOverdue: boolean;
  openMilestones: number;
  overdueMilestones: Array<{ title: string; due: IsoDate }>;
  contributions: number;
  metrics: number;
  updatedAt: string;
}

export async function listProgrammes(ex: Executor, today: IsoDate): Promise<ProgrammeSummary[]> {
  const [programmes, milestones, reviews, contributions] = await Promise.all([
    listProgrammeRecords(ex),
    listMilestones(ex),
    listReviews(ex),
    listContributions(ex),
  ]);
  return programmes.map((p) => {
    const own = milestones.filter((m) => m.programmeId === p.id);
    const next = reviews.find((r) => r.programmeId === p.id && r.heldOn === null) ?? null;
    return {
      code: p.code,
      name: p.name,
      sponsor: p.sponsor,
      nationalDirector: p.nationalDirector,
      stage: stageOf(p),
      nextReview: next?.scheduledFor ?? null,
      reviewOverdue: next !== null && next.scheduledFor < today,
      openMilestones: own.filter((m) => m.completedOn === null).length,
      overdueMilestones: own
        .filter((m) => isMilestoneOverdue(m, today))
        .map((m) => ({ title: m.title, due: m.due })),
      contributions: contributions.filter((c) => c.programmeId === p.id).length,
      metrics: parseMetrics(p.metrics).length,
      updatedAt: p.updatedAt,
    };
  });
}

export interface AreaView {
  odsCode: string;
  name: string;
  kind: 'region' | 'icb';
}

export interface ContributionView {
  organisation: AreaView & { region: { odsCode: string; name: string } | null; open: boolean };
  commitment: string;
  status: ContributionStatus;
  updatedAt: string;
  updatedBy: string | null;
}

export interface MetricFigures {
  metric: { code: string; name: string; unit: string; polarity: Polarity; description: string };
  trajectory: TrajectoryPoint[];
  /** England's latest month against the trajectory. */
  england: TrajectoryComparison;
  /** England month by month (about three years), with the trajectory's value for each month. */
  series: Array<{ month: IsoDate; value: number | null; trajectory: number | null }>;
  /** Each region's latest month against the trajectory. */
  regions: Array<{ odsCode: string; name: string } & TrajectoryComparison>;
}

export interface ProgrammeDetail {
  code: string;
  name: string;
  sponsor: string;
  nationalDirector: string;
  scope: string;
  stage: ProgrammeStage;
  createdAt: string;
  updatedAt: string;
  history: Array<{
    fromStage: ProgrammeStage | null;
    toStage: ProgrammeStage;
    reason: string;
    changedAt: string;
    changedBy: string | null;
  }>;
  metrics: MetricFigures[];
  contributions: ContributionView[];
  milestones: Array<{
    id: number;
    title: string;
    due: IsoDate;
    completedOn: IsoDate | null;
    overdue: boolean;
    completedBy: string | null;
  }>;
  reviews: Array<{
    id: number;
    scheduledFor: IsoDate;
    state: 'scheduled' | 'held';
    overdue: boolean;
    heldOn: IsoDate | null;
    outcome: string | null;
    decision: ReviewDecision | null;
    recordedBy: string | null;
  }>;
  /** What the caller may do here: the stages it may move to, and the areas it may record contributions for. */
  permissions: { manage: boolean; nextStages: ProgrammeStage[]; contributeFor: AreaView[] };
}

async function requireProgramme(ex: Executor, code: string, lock = false): Promise<ProgrammeRecord> {
  const programme = await findProgrammeByCode(ex, code.trim().toLowerCase(), lock);
  if (!programme)
    throw notFound(`There is no national programme ${code}. See "oversight programmes list" or /programmes.`);
  return programme;
}

const monthValue = (point: { period: { start: IsoDate }; value: number | null }) =>
  point.value === null ? null : { month: point.period.start, value: point.value };

/** The linked metrics' figures for England and each region, from the dashboards' roll-ups. */
async function metricFigures(
  db: Db,
  metrics: readonly LinkedMetric[],
  regions: readonly AreaRecord[],
  catalogue: MetricCatalogue,
  today: IsoDate,
): Promise<MetricFigures[]> {
  if (metrics.length === 0) return [];
  const known = metrics.filter((m) => catalogue.metricByCode.has(m.metric));
  if (known.length === 0) return [];
  const codes = known.map((m) => m.metric);
  const england = await getDashboard(db, { aggregateCode: nationalBody.code, metricCodes: codes, today });
  const regional: Array<{ region: AreaRecord; dashboard: Awaited<ReturnType<typeof getDashboard>> }> = [];
  for (const region of regions)
    regional.push({
      region,
      dashboard: await getDashboard(db, {
        aggregateCode: region.odsCode,
        metricCodes: codes,
        from: england.from,
        to: england.to,
        today,
      }),
    });
  const latest = (points: Array<{ period: { start: IsoDate }; value: number | null }>) =>
    [...points]
      .reverse()
      .map(monthValue)
      .find((p) => p !== null) ?? null;
  return known.map((linked, index) => {
    const metric = catalogue.metricByCode.get(linked.metric);
    if (!metric) throw new Error(`metric ${linked.metric} vanished`);
    const points = england.series[index]?.points ?? [];
    return {
      metric: {
        code: metric.code,
        name: metric.name,
        unit: metric.unit,
        polarity: metric.polarity,
        description: metric.description,
      },
      trajectory: linked.trajectory,
      england: compareWithTrajectory(latest(points), linked.trajectory, metric.polarity),
      series: points.map((p) => ({
        month: p.period.start,
        value: p.value,
        trajectory: trajectoryAt(linked.trajectory, p.period.start),
      })),
      regions: regional.map(({ region, dashboard }) => ({
        odsCode: region.odsCode,
        name: region.name,
        ...compareWithTrajectory(
          latest(dashboard.series[index]?.points ?? []),
          linked.trajectory,
          metric.polarity,
        ),
      })),
    };
  });
}

const currentRegions = (areas: readonly AreaRecord[], englandId: number) =>
  areas.filter((a) => a.kind === 'region' && a.parentId === englandId);

/** Contributions with each organisation's name today (or its last, if it has closed) and an ICB's region. */
async function presentContributions(
  ex: Executor,
  contributions: readonly ContributionRecord[],
  areas: readonly AreaRecord[],
  who: (label: string) => string | null,
): Promise<ContributionView[]> {
  const areaById = new Map(areas.map((a) => [a.id, a]));
  const closedAreas = await listLatestAreas(
    ex,
    contributions.filter((c) => !areaById.has(c.organisationId)).map((c) => c.organisationId),
  );
  return contributions.map((c) => {
    const area = areaById.get(c.organisationId);
    const region = area?.kind === 'icb' && area.parentId !== null ? areaById.get(area.parentId) : undefined;
    const closed = closedAreas.get(c.organisationId);
    return {
      organisation: {
        odsCode: c.odsCode,
        name: area?.name ?? closed?.name ?? c.odsCode,
        kind: area?.kind ?? (closed?.kind === 'region' ? 'region' : 'icb'),
        region: region ? { odsCode: region.odsCode, name: region.name } : null,
        open: area !== undefined,
      },
      commitment: c.commitment,
      status: storedValue(contributionStatuses, c.status, 'contribution status'),
      updatedAt: c.updatedAt,
      updatedBy: who(c.updatedBy),
    };
  });
}

/** A value the database's check constraint keeps within a closed set, typed as that set. */
function storedValue<T extends string>(values: readonly T[], value: string, what: string): T {
  const found = values.find((v) => v === value);
  if (!found) throw new Error(`stored ${what} "${value}" is not one of ${values.join(', ')}`);
  return found;
}

export async function getProgramme(
  db: Db,
  principal: Principal,
  code: string,
  today: IsoDate,
): Promise<ProgrammeDetail> {
  const programme = await requireProgramme(db, code);
  const stage = stageOf(programme);
  const signedIn = principal.kind !== 'public';
  const who = (label: string | null) => (signedIn ? label : null);
  const england = await findOrganisationByCode(db, nationalBody.code);
  if (!england) throw new Error('the reference structure has no England');
  const [history, contributions, milestones, reviews, areas, catalogue] = await Promise.all([
    listStageChanges(db, programme.id),
    listContributions(db, programme.id),
    listMilestones(db, programme.id),
    listReviews(db, programme.id),
    listRegionsAndIcbsAt(db, today),
    getMetricCatalogue(db),
  ]);
  const manage = await mayManage(db, principal, today);
  const cache: PathCache = new Map();
  const contributeFor: AreaView[] = [];
  if (principal.kind === 'user' && stage !== 'closed')
    for (const area of areas)
      if (await isAllowed(db, principal, 'contribute', areaFacts(area.id, today), cache))
        contributeFor.push({ odsCode: area.odsCode, name: area.name, kind: area.kind });
  const metrics = await metricFigures(
    db,
    parseMetrics(programme.metrics),
    currentRegions(areas, england.id),
    catalogue,
    today,
  );
  return {
    code: programme.code,
    name: programme.name,
    sponsor: programme.sponsor,
    nationalDirector: programme.nationalDirector,
    scope: programme.scope,
    stage,
    createdAt: programme.createdAt,
    updatedAt: programme.updatedAt,
    history: history.map((h) => ({
      fromStage: h.fromStage !== null && isProgrammeStage(h.fromStage) ? h.fromStage : null,
      toStage: isProgrammeStage(h.toStage) ? h.toStage : stage,
      reason: h.reason,
      changedAt: h.changedAt,
      changedBy: who(h.changedBy),
    })),
    metrics,
    contributions: await presentContributions(db, contributions, areas, who),
    milestones: milestones.map((m) => ({
      id: m.id,
      title: m.title,
      due: m.due,
      completedOn: m.completedOn,
      overdue: isMilestoneOverdue(m, today),
      completedBy: who(m.completedBy),
    })),
    reviews: reviews.map((r) => ({
      id: r.id,
      scheduledFor: r.scheduledFor,
      state: r.heldOn === null ? 'scheduled' : 'held',
      overdue: r.heldOn === null && r.scheduledFor < today,
      heldOn: r.heldOn,
      outcome: r.outcome,
      decision: r.decision === null ? null : storedValue(reviewDecisions, r.decision, 'review decision'),
      recordedBy: who(r.recordedBy),
    })),
    permissions: { manage, nextStages: manage ? [...nextStages(stage)] : [], contributeFor },
  };
}

// Changes

/** Checks linked metrics against the catalogue: the metric exists, and a percentage's trajectory is 0 to 100. */
function checkMetrics(metrics: readonly LinkedMetric[], catalogue: MetricCatalogue): void {
  const problems: Problem[] = [];
  metrics.forEach((linked, index) => {
    const metric = catalogue.metricByCode.get(linked.metric);
    if (!metric) {
      problems.push({
        field: `metrics.${index}.metric`,
        message: `${linked.metric} is not a metric in the catalogue. Choose one from "oversight metric list" or /metrics`,
      });
      return;
    }
    linked.trajectory.forEach((point, p) => {
      if (metric.unit === '%' && (point.value < 0 || point.value > 100))
        problems.push({
          field: `metrics.${index}.trajectory.${p}.value`,
          message: `${metric.name} is a percentage: enter a trajectory value from 0 to 100 (${point.value} given for ${point.month.slice(0, 7)})`,
        });
    });
  });
  if (problems.length > 0) throw invalidInput('The linked metrics are not valid.', problems);
}

export async function createProgramme(
  db: Db,
  caller: ProgrammeCaller,
  input: unknown,
  today: IsoDate,
): Promise<ProgrammeDetail> {
  const programme = parseInput(programmeInputSchema, input, 'The programme is not valid.');
  await db.transaction().execute(async (trx) => {
    await requireManager(trx, caller.principal, 'create a national programme', today);
    checkMetrics(programme.metrics, await getMetricCatalogue(trx));
    if (await findProgrammeByCode(trx, programme.code))
      throw conflict(
        `A national programme with the code ${programme.code} already exists. Choose another code.`,
      );
    await storeProgramme(trx, caller.actor, programme, {
      stage: 'proposed',
      reason: `Proposed to the ${programme.sponsor}.`,
    });
  });
  return getProgramme(db, caller.principal, programme.code, today);
}

async function storeProgramme(
  ex: Executor,
  actor: Actor,
  programme: ProgrammeInput,
  start: { stage: ProgrammeStage; reason: string },
): Promise<number> {
  const id = await insertProgramme(ex, { ...programme, stage: start.stage, createdBy: actor.label });
  await insertStageChange(ex, {
    programmeId: id,
    fromStage: null,
    toStage: start.stage,
    reason: start.reason,
    changedBy: actor.label,
  });
  await appendAuditEvents(ex, actor, [
    {
      action: 'programme.create',
      recordType: 'programme',
      recordId: programme.code,
      before: null,
      after: { ...programme, stage: start.stage },
    },
  ]);
  return id;
}

export async function advanceProgramme(
  db: Db,
  caller: ProgrammeCaller,
  code: string,
  input: unknown,
  today: IsoDate,
): Promise<ProgrammeDetail> {
  const { to, reason } = parseInput(stageMoveSchema, input, 'The stage change is not valid.');
  await db.transaction().execute(async (trx) => {
    await requireManager(trx, caller.principal, 'move a national programme to another stage', today);
    const programme = await requireProgramme(trx, code, true);
    const move = moveStage(stageOf(programme), to, reason);
    await applyMove(trx, caller.actor, programme, move);
  });
  return getProgramme(db, caller.principal, code, today);
}

async function applyMove(
  ex: Executor,
  actor: Actor,
  programme: ProgrammeRecord,
  move: { from: ProgrammeStage; to: ProgrammeStage; reason: string },
): Promise<void> {
  await updateProgrammeStage(ex, programme.id, move.to);
  await insertStageChange(ex, {
    programmeId: programme.id,
    fromStage: move.from,
    toStage: move.to,
    reason: move.reason,
    changedBy: actor.label,
  });
  await appendAuditEvents(ex, actor, [
    {
      action: 'programme.stage',
      recordType: 'programme',
      recordId: programme.code,
      before: { stage: move.from },
      after: { stage: move.to, reason: move.reason },
    },
  ]);
}

export async function recordContribution(
  db: Db,
  caller: ProgrammeCaller,
  code: string,
  odsCode: string,
  input: unknown,
  today: IsoDate,
): Promise<ContributionView> {
  const contribution = parseInput(contributionSchema, input, 'The contribution is not valid.');
  const orgCode = odsCode.trim().toUpperCase();
  await db.transaction().execute(async (trx) => {
    if (caller.principal.kind === 'public')
      throw new AppError('unauthenticated', 'Sign in to record a programme contribution.');
    const programme = await requireProgramme(trx, code, true);
    requireOpen(stageOf(programme), 'contributions');
    const area = (await listRegionsAndIcbsAt(trx, today)).find((a) => a.odsCode === orgCode);
    if (!area) {
      const exists = await findOrganisationByCode(trx, orgCode);
      throw exists
        ? invalidInput(`${orgCode} is not a region or an ICB open today.`, [
            {
              field: 'organisation',
              message: 'Contributions are recorded by NHS England regions and integrated care boards (ICBs)',
            },
          ])
        : notFound(`No organisation has ODS code ${orgCode}. Check the code, or search by name.`);
    }
    if (!(await isAllowed(trx, caller.principal, 'contribute', areaFacts(area.id, today))))
      throw new AppError(
        'forbidden',
        `You cannot record a contribution for ${area.name} (${area.odsCode}): regional directors and teams record them for their region and its ICBs, ICB leads for their own ICB, and national directors for any.`,
      );
    const before = await findContribution(trx, programme.id, area.id);
    await upsertContribution(trx, {
      programmeId: programme.id,
      organisationId: area.id,
      commitment: contribution.commitment,
      status: contribution.status,
      updatedBy: caller.actor.label,
    });
    await touchProgramme(trx, programme.id);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'programme.contribution',
        recordType: 'programme',
        recordId: `${programme.code}/${area.odsCode}`,
        before: before ? { commitment: before.commitment, status: before.status } : null,
        after: contribution,
      },
    ]);
  });
  const programme = await requireProgramme(db, code);
  const stored = (await listContributions(db, programme.id)).filter((c) => c.odsCode === orgCode);
  const [saved] = await presentContributions(
    db,
    stored,
    await listRegionsAndIcbsAt(db, today),
    (label) => label,
  );
  if (!saved) throw new Error('the contribution was not stored');
  return saved;
}

export async function addMilestone(
  db: Db,
  caller: ProgrammeCaller,
  code: string,
  input: unknown,
  today: IsoDate,
): Promise<ProgrammeDetail> {
  const milestone = parseInput(milestoneSchema, input, 'The milestone is not valid.');
  await db.transaction().execute(async (trx) => {
    await requireManager(trx, caller.principal, "add a national programme's milestones", today);
    const programme = await requireProgramme(trx, code, true);
    requireOpen(stageOf(programme), 'milestones');
    const id = await insertMilestone(trx, {
      programmeId: programme.id,
      title: milestone.title,
      due: milestone.due,
      createdBy: caller.actor.label,
    });
    await touchProgramme(trx, programme.id);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'programme.milestone-add',
        recordType: 'programme',
        recordId: `${programme.code}/milestone/${id}`,
        before: null,
        after: milestone,
      },
    ]);
  });
  return getProgramme(db, caller.principal, code, today);
}

export async function completeMilestone(
  db: Db,
  caller: ProgrammeCaller,
  code: string,
  milestoneId: number,
  input: unknown,
  today: IsoDate,
): Promise<ProgrammeDetail> {
  const { completedOn } = parseInput(
    milestoneCompletionSchema,
    input,
    'The milestone completion is not valid.',
  );
  if (completedOn > today)
    throw invalidInput('A milestone cannot be completed in the future.', [
      { field: 'completedOn', message: `Enter a date on or before today (${today})` },
    ]);
  await db.transaction().execute(async (trx) => {
    await requireManager(trx, caller.principal, "record a national programme's milestones", today);
    const programme = await requireProgramme(trx, code, true);
    requireOpen(stageOf(programme), 'milestones');
    const milestone = await findMilestone(trx, programme.id, milestoneId);
    if (!milestone) throw notFound(`Programme ${programme.code} has no milestone ${milestoneId}.`);
    if (milestone.completedOn !== null)
      throw conflict(`The milestone "${milestone.title}" was already completed on ${milestone.completedOn}.`);
    await completeMilestoneRow(trx, milestone.id, completedOn, caller.actor.label);
    await touchProgramme(trx, programme.id);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'programme.milestone-complete',
        recordType: 'programme',
        recordId: `${programme.code}/milestone/${milestone.id}`,
        before: { completedOn: null },
        after: { completedOn },
      },
    ]);
  });
  return getProgramme(db, caller.principal, code, today);
}

export async function scheduleReview(
  db: Db,
  caller: ProgrammeCaller,
  code: string,
  input: unknown,
  today: IsoDate,
): Promise<ProgrammeDetail> {
  const { scheduledFor } = parseInput(reviewScheduleSchema, input, 'The review is not valid.');
  await db.transaction().execute(async (trx) => {
    await requireManager(trx, caller.principal, "schedule a national programme's reviews", today);
    const programme = await requireProgramme(trx, code, true);
    requireOpen(stageOf(programme), 'reviews');
    await insertScheduledReview(trx, caller.actor, programme, scheduledFor);
  });
  return getProgramme(db, caller.principal, code, today);
}

async function insertScheduledReview(
  ex: Executor,
  actor: Actor,
  programme: ProgrammeRecord,
  scheduledFor: IsoDate,
): Promise<void> {
  const id = await insertReview(ex, { programmeId: programme.id, scheduledFor, scheduledBy: actor.label });
  await touchProgramme(ex, programme.id);
  await appendAuditEvents(ex, actor, [
    {
      action: 'programme.review-schedule',
      recordType: 'programme',
      recordId: `${programme.code}/review/${id}`,
      before: null,
      after: { scheduledFor },
    },
  ]);
}

/**
 * Records a held review's outcome and decision, which moves the programme back into delivery (continue,
 * change) or closes it; a next review may be scheduled at the same time.
 */
export async function recordReviewOutcome(
  db: Db,
  caller: ProgrammeCaller,
  code: string,
  reviewId: number,
  input: unknown,
  today: IsoDate,
): Promise<ProgrammeDetail> {
  const outcome = parseInput(reviewOutcomeSchema, input, 'The review outcome is not valid.');
  const next = outcome.nextReview ?? null;
  const problems: Problem[] = [];
  if (outcome.heldOn > today)
    problems.push({
      field: 'heldOn',
      message: `Enter the date the review was held: on or before today (${today})`,
    });
  if (next !== null && outcome.decision === 'close')
    problems.push({
      field: 'nextReview',
      message: 'A programme the review closes has no next review: leave it blank',
    });
  if (next !== null && next <= outcome.heldOn)
    problems.push({
      field: 'nextReview',
      message: 'Enter a next review after the date this review was held',
    });
  if (problems.length > 0) throw invalidInput('The review outcome is not valid.', problems);
  await db.transaction().execute(async (trx) => {
    await requireManager(trx, caller.principal, "record a national programme's reviews", today);
    const programme = await requireProgramme(trx, code, true);
    const review = await findReview(trx, programme.id, reviewId);
    if (!review) throw notFound(`Programme ${programme.code} has no review ${reviewId}.`);
    if (review.heldOn !== null)
      throw conflict(
        `That review was already held on ${review.heldOn}; schedule another to record a new one.`,
      );
    const move = reviewMove(stageOf(programme), outcome.decision, outcome.heldOn, outcome.outcome);
    await recordReviewRow(trx, review.id, {
      heldOn: outcome.heldOn,
      outcome: outcome.outcome,
      decision: outcome.decision,
      recordedBy: caller.actor.label,
    });
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'programme.review-record',
        recordType: 'programme',
        recordId: `${programme.code}/review/${review.id}`,
        before: { scheduledFor: review.scheduledFor, heldOn: null },
        after: outcome,
      },
    ]);
    await applyMove(trx, caller.actor, programme, move);
    if (next !== null) await insertScheduledReview(trx, caller.actor, programme, next);
  });
  return getProgramme(db, caller.principal, code, today);
}

// Seeds

/**
 * Writes the seeded national programmes a database does not have yet (by code), in delivery, with their
 * milestones and a scheduled review; programmes already stored are never changed. Runs with the other
 * shipped data whenever a database is brought up to date.
 */
export async function ensureProgrammes(ex: Executor, today: IsoDate): Promise<{ added: number }> {
  const stored = new Set(await listProgrammeCodes(ex));
  const missing = seedProgrammes(today).filter((s) => !stored.has(s.programme.code));
  if (missing.length === 0) return { added: 0 };
  const catalogue = await getMetricCatalogue(ex);
  const actor: Actor = { ...systemActor, label: seedRecordedBy };
  for (const seed of missing) {
    const programme = programmeInputSchema.parse(seed.programme);
    checkMetrics(programme.metrics, catalogue);
    const id = await storeProgramme(ex, actor, programme, { stage: 'in-delivery', reason: seedStageReason });
    for (const milestone of seed.milestones)
      await insertMilestone(ex, { programmeId: id, ...milestone, createdBy: seedRecordedBy });
    await insertReview(ex, { programmeId: id, scheduledFor: seed.reviewOn, scheduledBy: seedRecordedBy });
  }
  return { added: missing.length };
}
