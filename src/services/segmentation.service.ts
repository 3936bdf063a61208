import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import { latestPeriodForItems } from '../db/observation.repository.js';
import { findOrganisationByCode, listOrganisationsAt } from '../db/organisation.repository.js';
import {
  insertMethodologyVersion,
  insertSegmentJudgement,
  listMethodologyVersions,
  listRestructuredOrganisationIds,
  listRollupsForAggregates,
  listSegmentJudgements,
  lockOrganisationForJudgement,
  type AggregateRollupRow,
  type MethodologyVersionRow,
  type SegmentJudgementRow,
} from '../db/oversight.repository.js';
import type { Principal } from '../domain/access.js';
import type { Actor } from '../domain/audit.js';
import { conflict, invalidInput, notFound, type Problem, zodProblems } from '../domain/errors.js';
import { addDays, type IsoDate } from '../domain/iso-date.js';
import { itemsOf, metricValue, targetsFor, versionFor } from '../domain/metric.js';
import { ancestorFinder } from '../domain/organisation-tree.js';
import { shippedMethodologies } from '../domain/oversight-methodologies.js';
import {
  methodologySchema,
  type Methodology,
  type MethodologyMetric,
  type SegmentLevel,
} from '../domain/oversight-methodology.js';
import { addMonths, formatPeriod, periodContaining, periodsBetween, type Period } from '../domain/period.js';
import {
  averageScore,
  finalSegment,
  isConcern,
  leaguePositions,
  meets,
  provisionalSegments,
  round2,
  scoreDrivers,
  scoreMetric,
} from '../stats/segmentation.js';
import type { AssuranceIcon, VariationIcon } from '../stats/spc.js';
import { authorise, authoriseConfiguration, isAllowed } from './access.service.js';
import { refreshRollupCache } from './dashboard.service.js';
import { getMetricCatalogue, type MetricCatalogue, type MetricRecord } from './metric-catalogue.service.js';
import { analyseSeries, formatMetricValue, resolveSpcSettings, type SeriesPoint } from './spc.service.js';

/** Months of each driver's series given to SPC: two years to the quarter's end. */
const spcMonths = 24;

/**
 * Oversight segmentation: every trust (and, where the methodology says so, every ICB) scored on the
 * methodology's metrics for a quarter, averaged, placed in a segment, overridden in order, judged by the
 * region where recorded, ranked, and explained — the metrics that pull the score down most (with their
 * SPC icons) and what changed since the previous quarter. Computed on read from the roll-up cache, which
 * imports keep up to date incrementally, so a corrected figure shows in the next read.
 */

// ---------------------------------------------------------------------------------------------------
// Methodologies: versioned data

export interface MethodologyVersion {
  methodology: Methodology;
  recordedAt: string;
  recordedBy: string;
}

function parseStored(row: { code: string; version: number; definition: unknown }): Methodology | string {
  const parsed = methodologySchema.safeParse(row.definition);
  return parsed.success
    ? parsed.data
    : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

/** Writes the shipped methodologies the database does not have yet; stored versions are never changed. */
export async function ensureMethodologies(ex: Executor): Promise<{ added: number }> {
  const stored = new Set((await listMethodologyVersions(ex)).map((row) => `${row.code}|${row.version}`));
  let added = 0;
  for (const input of shippedMethodologies) {
    const methodology = methodologySchema.parse(input);
    if (stored.has(`${methodology.code}|${methodology.version}`)) continue;
    await insertMethodologyVersion(ex, {
      code: methodology.code,
      version: methodology.version,
      definition: methodology,
      recordedBy: 'NHS Oversight (shipped)',
    });
    added += 1;
  }
  return { added };
}

/** Every stored version that still validates (one that does not is refused when asked for by name). */
export async function listMethodologies(ex: Executor): Promise<MethodologyVersion[]> {
  const rows = await listMethodologyVersions(ex);
  return rows.flatMap((row) => {
    const methodology = parseStored(row);
    return typeof methodology === 'string'
      ? []
      : [{ methodology, recordedAt: row.recordedAt.toISOString(), recordedBy: row.recordedBy }];
  });
}

/**
 * A methodology version: the one asked for; else the one in force in the quarter starting `quarterStart`
 * (the latest whose first quarter is on or before it, or the first version for earlier quarters); else the
 * latest.
 */
export async function getMethodology(
  ex: Executor,
  code: string,
  version?: number,
  quarterStart?: IsoDate,
): Promise<Methodology> {
  return chooseMethodology(await listMethodologyVersions(ex), code, version, quarterStart);
}

/** The choice `getMethodology` makes, over versions already read. */
function chooseMethodology(
  rows: readonly MethodologyVersionRow[],
  code: string,
  version?: number,
  quarterStart?: IsoDate,
): Methodology {
  const ofCode = rows.filter((row) => row.code === code);
  if (ofCode.length === 0)
    throw notFound(
      `There is no oversight methodology ${code}. There are: ${[...new Set(rows.map((r) => r.code))].join(', ')}. See "oversight methodology list".`,
    );
  const chosen =
    version !== undefined
      ? ofCode.find((row) => row.version === version)
      : quarterStart !== undefined
        ? ([...ofCode].reverse().find((row) => {
            const parsed = parseStored(row);
            return typeof parsed !== 'string' && parsed.effectiveFrom <= quarterStart;
          }) ?? ofCode[0])
        : ofCode[ofCode.length - 1];
  if (!chosen)
    throw notFound(
      `Methodology ${code} has no version ${version}; it has ${ofCode.map((row) => row.version).join(', ')}.`,
    );
  const parsed = parseStored(chosen);
  if (typeof parsed === 'string')
    throw conflict(
      `Stored methodology ${code} version ${chosen.version} no longer validates (${parsed}). Add a corrected version with "oversight methodology add".`,
    );
  return parsed;
}

/**
 * Adds a methodology, or a new version of one (the next number): validated whole, its metrics and
 * condition metrics checked against the catalogue, then stored and audited in one transaction.
 */
export async function addMethodologyVersion(db: Db, actor: Actor, input: unknown): Promise<Methodology> {
  const parsed = methodologySchema.safeParse(input);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error, { fallback: 'methodology' });
    throw invalidInput(
      `The methodology is not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
      problems,
    );
  }
  const methodology = parsed.data;
  return db.transaction().execute(async (trx) => {
    const catalogue = await getMetricCatalogue(trx);
    const problems: Problem[] = [];
    methodology.metrics.forEach((m, i) => {
      if (!catalogue.metricByCode.has(m.metric))
        problems.push({
          field: `metrics.${i}.metric`,
          message: `"${m.metric}" is not a metric in the catalogue`,
        });
    });
    methodology.conditions.forEach((c, i) => {
      if (!catalogue.metricByCode.has(c.metric))
        problems.push({
          field: `conditions.${i}.metric`,
          message: `"${c.metric}" is not a metric in the catalogue`,
        });
    });
    if (problems.length > 0)
      throw invalidInput(
        `The methodology names metrics that are not in the catalogue: ${problems.map((p) => p.message).join('; ')}. See "oversight metrics".`,
        problems,
      );
    const existing = (await listMethodologyVersions(trx)).filter((row) => row.code === methodology.code);
    const next = Math.max(0, ...existing.map((row) => row.version)) + 1;
    if (methodology.version !== next)
      throw conflict(
        existing.length === 0
          ? `A new methodology starts at version 1, not ${methodology.version}.`
          : `Methodology ${methodology.code} is at version ${next - 1}: the next version is ${next}, not ${methodology.version}. Versions are never edited.`,
      );
    await insertMethodologyVersion(trx, {
      code: methodology.code,
      version: methodology.version,
      definition: methodology,
      recordedBy: actor.label,
    });
    await appendAuditEvents(trx, actor, [
      {
        action: 'methodology.add-version',
        recordType: 'oversight-methodology',
        recordId: `${methodology.code}@${methodology.version}`,
        before: null,
        after: methodology,
      },
    ]);
    return methodology;
  });
}
// ---------------------------------------------------------------------------------------------------
// Segmentation

export interface ScoredMetric {
  code: string;
  name: string;
  unit: string;
  domain: string;
  standsFor: string;
  weight: number;
  value: number | null;
  /** Months of the quarter with a figure. */
  months: number;
  score: number | null;
  /** Why a value is not scored (fewer months than the quarter has), when it is not. */
  note: string | null;
}

export interface SegmentDriver {
  metric: string;
  name: string;
  domain: string;
  value: number | null;
  unit: string;
  score: number;
  /** The metric's share of the gap between the average score and 1.00. */
  pull: number;
  variation: VariationIcon | null;
  assurance: AssuranceIcon | null;
  sentence: string;
}

export interface SegmentJudgement {
  segment: number;
  /** Null for callers who may not read the organisation's unpublished records. */
  reason: string | null;
  recordedBy: string | null;
  recordedAt: string;
  /** A segment-5 judgement on an organisation no longer computed in segment 4: shown, not applied. */
  lapsed: boolean;
}

export interface SegmentChange {
  previousSegment: number | null;
  previousAverage: number | null;
  averageChange: number | null;
  significant: boolean;
  direction: 'better' | 'worse' | 'same' | 'new' | 'none' | 'not-comparable';
  reasons: string[];
}

export interface SegmentRow {
  odsCode: string;
  name: string;
  kind: string;
  /** The group scored together: a trust type, or all ICBs. */
  peerGroup: string;
  icbCode: string | null;
  regionCode: string | null;
  metrics: ScoredMetric[];
  scoredMetrics: number;
  averageScore: number | null;
  domainScores: Array<{ key: string; label: string; score: number | null }>;
  provisionalSegment: number | null;
  conditions: string[];
  overridesApplied: string[];
  /** After overrides, before any judgement. */
  computedSegment: number | null;
  judgement: SegmentJudgement | null;
  segment: number | null;
  segmentLabel: string | null;
  leaguePosition: number | null;
  leagueOf: number;
  drivers: SegmentDriver[];
  change: SegmentChange | null;
  /** A merger, absorption or split touched it in this or the previous quarter. */
  restructured: boolean;
  /** Why there is no segment, when there is none. */
  notSegmented: string | null;
}

export interface Segmentation {
  methodology: Pick<
    Methodology,
    | 'code'
    | 'version'
    | 'name'
    | 'summary'
    | 'source'
    | 'segmentRule'
    | 'significantChange'
    | 'effectiveFrom'
    | 'levels'
  > & {
    domains: Methodology['domains'];
    metrics: Array<MethodologyMetric & { name: string; unit: string }>;
    overrides: Methodology['overrides'];
    segmentLabels: Record<string, string>;
    judgementSegments: number[];
    segment5Requires: number | null;
  };
  level: SegmentLevel;
  period: { start: IsoDate; label: string; months: number };
  previousPeriod: { start: IsoDate; label: string };
  /** The latest complete quarter with figures: where the quarter picker starts. */
  latestPeriod: { start: IsoDate; label: string };
  /** Set when the quarter is before the methodology version's first quarter. */
  periodNote: string | null;
  rows: SegmentRow[];
  summary: SegmentSummary;
}

export interface SegmentSummary {
  bySegment: Record<string, number>;
  notSegmented: number;
  meanAverageScore: number | null;
  changedSegment: number;
  significantChanges: number;
}

export interface SegmentationRequest {
  methodologyCode: string;
  version?: number;
  level?: SegmentLevel;
  /** Any date in the quarter; by default the latest complete quarter with figures on or before `until`. */
  period?: IsoDate;
  until?: IsoDate;
  today: IsoDate;
  /** Who is reading: judgement reasons and authors only for those who may read the organisation's unpublished records; null for the command-line operator. */
  viewer?: Principal | null;
  /** Compute drivers (and their SPC) only for these organisations; all when absent. */
  driversFor?: readonly string[];
}

interface Organisation {
  id: number;
  odsCode: string;
  name: string;
  kind: string;
  sector: string | null;
  icbCode: string | null;
  regionCode: string | null;
}

/** Counts and mean score of a set of rows, for a segmentation and for each area of the system view. */
export function summariseSegments(rows: readonly SegmentRow[]): SegmentSummary {
  const bySegment: Record<string, number> = {};
  for (const row of rows)
    if (row.segment !== null) bySegment[String(row.segment)] = (bySegment[String(row.segment)] ?? 0) + 1;
  const averages = rows.flatMap((row) => (row.averageScore === null ? [] : [row.averageScore]));
  return {
    bySegment,
    notSegmented: rows.filter((row) => row.segment === null).length,
    meanAverageScore:
      averages.length === 0 ? null : round2(averages.reduce((a, b) => a + b, 0) / averages.length),
    changedSegment: rows.filter(
      (row) => row.change?.direction === 'better' || row.change?.direction === 'worse',
    ).length,
    significantChanges: rows.filter((row) => row.change?.significant).length,
  };
}

/** The last quarter whose final month is on or before `month`: a quarter counts once its last month has figures. */
export function lastCompleteQuarter(month: IsoDate): Period {
  const quarter = periodContaining('quarter', month);
  return periodContaining('month', month).start === addMonths(quarter.start, 2)
    ? quarter
    : periodContaining('quarter', addMonths(quarter.start, -1));
}

async function organisationsAt(ex: Executor, level: SegmentLevel, date: IsoDate): Promise<Organisation[]> {
  const all = await listOrganisationsAt(ex, date);
  const ancestorOf = ancestorFinder(all);
  const kinds = level === 'icb' ? ['icb', 'stp'] : ['nhs-trust'];
  return all
    .filter((o) => kinds.includes(o.kind))
    .map((o) => ({
      id: o.id,
      odsCode: o.odsCode,
      name: o.name,
      kind: o.kind,
      sector: o.sector,
      icbCode: level === 'icb' ? o.odsCode : (ancestorOf(o.parentId, ['icb', 'stp'])?.odsCode ?? null),
      regionCode: ancestorOf(o.parentId, ['region'])?.odsCode ?? null,
    }));
}

function metricsOf(methodology: Methodology, catalogue: MetricCatalogue) {
  const codes = [
    ...new Set([...methodology.metrics.map((m) => m.metric), ...methodology.conditions.map((c) => c.metric)]),
  ];
  return codes.map((code) => {
    const metric = catalogue.metricByCode.get(code);
    if (!metric)
      throw conflict(
        `${methodology.name} (version ${methodology.version}) names metric ${code}, which the metric catalogue no longer has. Add a version of the methodology without it ("oversight methodology add").`,
      );
    return metric;
  });
}

interface QuarterValue {
  value: number | null;
  months: number;
}

/**
 * Quarterly values: numerators and denominators summed over the quarter's reported months (ratios of
 * sums). `monthsWithFigures` is, per metric, how many of the quarter's months anyone has figures for.
 */
function quarterValues(
  rows: readonly AggregateRollupRow[],
  metrics: readonly MetricRecord[],
  quarter: Period,
): { values: Map<string, QuarterValue>; monthsWithFigures: Map<number, number> } {
  const end = addMonths(quarter.start, 3);
  const sums = new Map<string, { numerator: number; denominator: number; months: number }>();
  const monthSets = new Map<number, Set<IsoDate>>();
  for (const row of rows) {
    if (row.periodStart < quarter.start || row.periodStart >= end) continue;
    const key = `${row.aggregateId}|${row.metricId}`;
    const sum = sums.get(key) ?? { numerator: 0, denominator: 0, months: 0 };
    sum.numerator += row.numerator ?? 0;
    sum.denominator += row.denominator ?? 0;
    sum.months += 1;
    sums.set(key, sum);
    monthSets.set(row.metricId, (monthSets.get(row.metricId) ?? new Set()).add(row.periodStart));
  }
  const values = new Map<string, QuarterValue>();
  const byId = new Map(metrics.map((m) => [m.id, m]));
  for (const [key, sum] of sums) {
    const metric = byId.get(Number(key.split('|')[1]));
    const version = metric ? versionFor(metric, quarter.start) : null;
    if (!version) continue;
    values.set(key, {
      value: metricValue(
        version.definition,
        sum.numerator,
        version.definition.denominator ? sum.denominator : null,
      ),
      months: sum.months,
    });
  }
  return {
    values,
    monthsWithFigures: new Map([...monthSets].map(([id, months]) => [id, months.size])),
  };
}

/** The latest judgement per organisation (a withdrawal leaves none). */
function standingJudgements(rows: readonly SegmentJudgementRow[]): Map<number, SegmentJudgementRow> {
  const latest = new Map<number, SegmentJudgementRow>();
  for (const row of rows) latest.set(row.organisationId, row);
  for (const [id, row] of latest) if (row.segment === null) latest.delete(id);
  return latest;
}

/** One quarter's scores and segments, without drivers or change. */
function segmentQuarter(
  methodology: Methodology,
  organisations: readonly Organisation[],
  metricByCode: ReadonlyMap<string, MetricRecord>,
  quarter: ReturnType<typeof quarterValues>,
  judgements: ReadonlyMap<number, SegmentJudgementRow>,
  level: SegmentLevel,
): SegmentRow[] {
  const groups = new Map<string, Organisation[]>();
  const ungrouped: Organisation[] = [];
  for (const o of organisations) {
    const group =
      level === 'icb'
        ? 'All ICBs'
        : methodology.peerGrouping === 'all'
          ? 'All trusts'
          : o.sector
            ? methodology.sectorGroups[o.sector as keyof Methodology['sectorGroups']]
            : undefined;
    if (group === undefined) ungrouped.push(o);
    else groups.set(group, [...(groups.get(group) ?? []), o]);
  }
  const weights = methodology.metrics.map((m) => m.weight);
  // A value over fewer months than the quarter has is not comparable with the others: it is not scored.
  const valueOf = (o: Organisation, code: string): (QuarterValue & { note: string | null }) | undefined => {
    const metric = metricByCode.get(code);
    const found = metric ? quarter.values.get(`${o.id}|${metric.id}`) : undefined;
    if (!metric || !found) return undefined;
    const expected = quarter.monthsWithFigures.get(metric.id) ?? 0;
    return found.months < expected
      ? {
          ...found,
          note: `Figures for ${found.months} of the quarter's ${expected} months: not scored.`,
        }
      : { ...found, note: null };
  };
  const scorable = (v: ReturnType<typeof valueOf>) => (v && v.note === null ? v.value : null);
  const rows: SegmentRow[] = [];
  const describeMetrics = (o: Organisation, scores: Array<number | null>): ScoredMetric[] =>
    methodology.metrics.map((m, i) => {
      const metric = metricByCode.get(m.metric);
      const v = valueOf(o, m.metric);
      return {
        code: m.metric,
        name: metric?.name ?? m.metric,
        unit: metric?.unit ?? '',
        domain: m.domain,
        standsFor: m.standsFor,
        weight: m.weight,
        value: v?.value ?? null,
        months: v?.months ?? 0,
        score: scores[i] ?? null,
        note: v?.note ?? null,
      };
    });
  for (const o of ungrouped)
    rows.push(
      emptyRow(o, 'Type of trust not known', describeMetrics(o, []), methodology, [
        `The type of trust is not known (${o.sector ?? 'no sector recorded'}), so there are no peers to score it among. Record the trust's sector ("oversight orgs rename ${o.odsCode} --sector acute --date … --reason …").`,
      ]),
    );
  for (const [group, members] of groups) {
    const scoresByMetric = methodology.metrics.map((m) =>
      scoreMetric(
        members.map((o) => scorable(valueOf(o, m.metric)) ?? null),
        m.scoring,
      ),
    );
    const perOrg = members.map((o, k) => {
      const scores = methodology.metrics.map((_, i) => scoresByMetric[i]?.[k] ?? null);
      const scored = scores.filter((s) => s !== null).length;
      const average = scored >= methodology.minimumMetrics ? averageScore(scores, weights) : null;
      return { o, scores, scored, average };
    });
    const rule = methodology.segmentRule;
    const provisional =
      rule.kind === 'concerns'
        ? perOrg.map(({ scores, average }) =>
            average === null
              ? null
              : methodology.metrics.some((m, i) =>
                    isConcern(scores[i] ?? null, m.scoring, rule.concernAtScore),
                  )
                ? 2
                : 1,
          )
        : provisionalSegments(
            perOrg.map((p) => p.average),
            rule,
          );
    const decided = perOrg.map(({ o, scores, scored, average }, k) => {
      const conditions = methodology.conditions.filter((c) => {
        const value = valueOf(o, c.metric)?.value;
        return value !== undefined && value !== null && meets(value, c.operator, c.value);
      });
      const decision = finalSegment(
        provisional[k] ?? null,
        new Set(conditions.map((c) => c.key)),
        methodology.overrides,
        false,
      );
      const stored = average === null ? undefined : judgements.get(o.id);
      // Segment 5 stands only while the method still places the organisation where it requires.
      const lapsed =
        stored?.segment === 5 &&
        methodology.judgement.segment5Requires !== null &&
        decision.final !== methodology.judgement.segment5Requires;
      const judgement: SegmentJudgement | null = stored
        ? {
            segment: stored.segment ?? 0,
            reason: stored.reason,
            recordedBy: stored.recordedBy,
            recordedAt: stored.recordedAt.toISOString(),
            lapsed,
          }
        : null;
      const segment = judgement && !lapsed ? judgement.segment : decision.final;
      return {
        odsCode: o.odsCode,
        name: o.name,
        kind: o.kind,
        peerGroup: group,
        icbCode: o.icbCode,
        regionCode: o.regionCode,
        metrics: describeMetrics(o, scores),
        scoredMetrics: scored,
        averageScore: average,
        domainScores: methodology.domains.map((d) => ({
          key: d.key,
          label: d.label,
          score: averageScore(
            methodology.metrics.map((m, i) => (m.domain === d.key ? (scores[i] ?? null) : null)),
            methodology.metrics.map((m) => (m.domain === d.key ? m.weight : 0)),
          ),
        })),
        provisionalSegment: decision.provisional,
        conditions: conditions.map((c) => c.label),
        overridesApplied: decision.applied.map(
          (key) => methodology.overrides.find((x) => x.condition === key)?.label ?? key,
        ),
        computedSegment: decision.final,
        judgement,
        segment,
        segmentLabel: segment === null ? null : (methodology.segmentLabels[String(segment)] ?? null),
        leaguePosition: null as number | null,
        leagueOf: 0,
        drivers: [],
        change: null,
        restructured: false,
        notSegmented:
          average !== null
            ? null
            : scored === 0
              ? 'No figures for any of the methodology’s metrics this quarter.'
              : `Figures for ${scored} of the methodology’s metrics; at least ${methodology.minimumMetrics} are needed.`,
      } satisfies SegmentRow;
    });
    const positions = leaguePositions(decided.map((r) => ({ segment: r.segment, average: r.averageScore })));
    const ranked = positions.filter((p) => p !== null).length;
    decided.forEach((row, k) => {
      row.leaguePosition = positions[k] ?? null;
      row.leagueOf = ranked;
    });
    rows.push(...decided);
  }
  return rows.sort(
    (a, b) =>
      a.peerGroup.localeCompare(b.peerGroup) ||
      (a.leaguePosition ?? Infinity) - (b.leaguePosition ?? Infinity) ||
      a.name.localeCompare(b.name),
  );
}

function emptyRow(
  o: Organisation,
  peerGroup: string,
  metrics: ScoredMetric[],
  methodology: Methodology,
  why: string[],
): SegmentRow {
  return {
    odsCode: o.odsCode,
    name: o.name,
    kind: o.kind,
    peerGroup,
    icbCode: o.icbCode,
    regionCode: o.regionCode,
    metrics,
    scoredMetrics: 0,
    averageScore: null,
    domainScores: methodology.domains.map((d) => ({ key: d.key, label: d.label, score: null })),
    provisionalSegment: null,
    conditions: [],
    overridesApplied: [],
    computedSegment: null,
    judgement: null,
    segment: null,
    segmentLabel: null,
    leaguePosition: null,
    leagueOf: 0,
    drivers: [],
    change: null,
    restructured: false,
    notSegmented: why.join(' '),
  };
}

function explainChange(
  methodology: Methodology,
  now: SegmentRow,
  before: SegmentRow | undefined,
): SegmentChange {
  if (now.restructured && now.segment !== null) {
    return {
      previousSegment: before?.segment ?? null,
      previousAverage: before?.averageScore ?? null,
      averageChange: null,
      significant: false,
      direction: 'not-comparable',
      reasons: [
        'A merger, absorption or split in this or the previous quarter changed what the figures cover: the quarters are not like for like.',
      ],
    };
  }
  if (!before || before.averageScore === null) {
    return {
      previousSegment: null,
      previousAverage: null,
      averageChange: null,
      significant: false,
      direction: now.segment === null ? 'none' : 'new',
      reasons: now.segment === null ? [] : ['Not segmented in the previous quarter.'],
    };
  }
  const reasons: string[] = [];
  const averageChange = now.averageScore === null ? null : round2(now.averageScore - before.averageScore);
  const threshold = methodology.significantChange;
  const significant =
    averageChange !== null && threshold !== null && Math.abs(averageChange) >= threshold - 1e-9;
  for (const label of now.overridesApplied)
    if (!before.overridesApplied.includes(label)) reasons.push(`Override now applies: ${label}.`);
  for (const label of before.overridesApplied)
    if (!now.overridesApplied.includes(label)) reasons.push(`Override no longer applies: ${label}.`);
  const standing = (row: SegmentRow) => (row.judgement && !row.judgement.lapsed ? row.judgement : null);
  const judged = standing(now);
  if (judged && judged.segment !== standing(before)?.segment)
    reasons.push(`Regional judgement: segment ${judged.segment}.`);
  if (now.judgement?.lapsed)
    reasons.push(
      `The regional judgement of segment ${now.judgement.segment} has lapsed: the method now places it in segment ${now.computedSegment}.`,
    );
  if (!now.judgement && standing(before))
    reasons.push('The previous quarter’s regional judgement does not carry over.');
  if (averageChange !== null && averageChange !== 0) {
    const word = averageChange < 0 ? 'improved' : 'worsened';
    reasons.push(
      threshold === null
        ? `Average score ${word} by ${Math.abs(averageChange).toFixed(2)} (${before.averageScore.toFixed(2)} to ${now.averageScore?.toFixed(2)}).`
        : significant
          ? `Average score ${word} by ${Math.abs(averageChange).toFixed(2)}, a significant change (at least ${threshold.toFixed(2)}).`
          : `Average score ${word} by ${Math.abs(averageChange).toFixed(2)}, below the ${threshold.toFixed(2)} threshold for a significant change${now.segment !== before.segment ? ': review the change individually' : ''}.`,
    );
  }
  if (
    now.segment !== before.segment &&
    methodology.segmentRule.kind === 'quartiles' &&
    !significant &&
    reasons.length <= 1
  )
    reasons.push('Quartiles are relative: other trusts of the same type moved.');
  const movers = now.metrics
    .map((m) => ({ m, was: before.metrics.find((b) => b.code === m.code) }))
    .filter(
      ({ m, was }) =>
        m.score !== null &&
        was?.score !== null &&
        was?.score !== undefined &&
        Math.abs(m.score - was.score) >= 0.25,
    )
    .sort(
      (a, b) =>
        Math.abs((b.m.score ?? 0) - (b.was?.score ?? 0)) - Math.abs((a.m.score ?? 0) - (a.was?.score ?? 0)),
    )
    .slice(0, 2);
  for (const { m, was } of movers)
    reasons.push(
      `${m.name}: score ${was?.score?.toFixed(2)} to ${m.score?.toFixed(2)}${m.value !== null && was?.value !== null && was?.value !== undefined ? ` (${formatMetricValue(was.value, m.unit)} to ${formatMetricValue(m.value, m.unit)})` : ''}.`,
    );
  const direction =
    now.segment === null
      ? 'none'
      : before.segment === null
        ? 'new'
        : now.segment < before.segment
          ? 'better'
          : now.segment > before.segment
            ? 'worse'
            : 'same';
  return {
    previousSegment: before.segment,
    previousAverage: before.averageScore,
    averageChange,
    significant,
    direction,
    reasons,
  };
}

/**
 * The latest complete quarter for the methodology: each scored metric's latest month, the earliest of those
 * (a quarter is scored once every metric with figures has its last month), on or before `until`.
 */
async function latestCompleteQuarter(
  ex: Executor,
  methodology: Methodology,
  catalogue: MetricCatalogue,
  until: IsoDate,
): Promise<Period> {
  const latest: IsoDate[] = [];
  for (const m of methodology.metrics) {
    const metric = catalogue.metricByCode.get(m.metric);
    if (!metric) continue;
    const itemIds = metric.versions.flatMap((v) =>
      itemsOf(v.definition).flatMap((code) => catalogue.itemByCode.get(code)?.id ?? []),
    );
    const month = await latestPeriodForItems(ex, itemIds);
    if (month) latest.push(month);
  }
  const earliest = latest.sort()[0] ?? until;
  return lastCompleteQuarter(earliest < until ? earliest : until);
}

/** Judgement reasons and authors for those who may read the organisation's unpublished records. */
async function redactJudgements(
  ex: Executor,
  rows: readonly SegmentRow[],
  organisationIds: ReadonlyMap<string, number>,
  viewer: Principal,
  date: IsoDate,
): Promise<void> {
  for (const row of rows) {
    if (!row.judgement) continue;
    const organisationId = organisationIds.get(row.odsCode);
    const allowed =
      viewer.kind !== 'public' &&
      organisationId !== undefined &&
      (await isAllowed(ex, viewer, 'read', {
        organisationId,
        date,
        published: false,
        statutoryFunction: null,
        template: null,
      }));
    if (!allowed) row.judgement = { ...row.judgement, reason: null, recordedBy: null };
  }
}

export async function getSegmentation(db: Db, request: SegmentationRequest): Promise<Segmentation> {
  await refreshRollupCache(db, { wait: false });
  const versions = await listMethodologyVersions(db);
  const latestVersion = chooseMethodology(versions, request.methodologyCode, request.version);
  const level = request.level ?? 'nhs-trust';
  if (!latestVersion.levels.includes(level))
    throw invalidInput(
      `${latestVersion.name} segments ${latestVersion.levels.map((l) => (l === 'icb' ? 'ICBs' : 'trusts')).join(' and ')}, not ${level === 'icb' ? 'ICBs' : 'trusts'}.`,
      [{ field: 'level', message: `Choose ${latestVersion.levels.join(' or ')}.` }],
    );
  const catalogue = await getMetricCatalogue(db);
  const latestQuarter = await latestCompleteQuarter(
    db,
    latestVersion,
    catalogue,
    request.until ?? request.today,
  );
  const quarter = request.period ? periodContaining('quarter', request.period) : latestQuarter;
  // Without a version asked for, the version in force in the quarter: a new version never rewrites history.
  const methodology =
    request.version === undefined
      ? chooseMethodology(versions, request.methodologyCode, undefined, quarter.start)
      : latestVersion;
  const metrics = metricsOf(methodology, catalogue);
  const metricByCode = new Map(metrics.map((m) => [m.code, m]));
  const previous = periodContaining('quarter', addMonths(quarter.start, -3));
  const quarterLast = addDays(addMonths(quarter.start, 3), -1);
  const [organisations, previousOrganisations, restructured] = await Promise.all([
    organisationsAt(db, level, quarterLast),
    organisationsAt(db, level, addDays(quarter.start, -1)),
    listRestructuredOrganisationIds(db, previous.start, addMonths(quarter.start, 3)),
  ]);
  const ids = [...new Set([...organisations, ...previousOrganisations].map((o) => o.id))];
  const seriesFrom = addMonths(quarter.start, 3 - spcMonths);
  const rollups = await listRollupsForAggregates(
    db,
    ids,
    metrics.map((m) => m.id),
    seriesFrom < previous.start ? seriesFrom : previous.start,
    addMonths(quarter.start, 2),
  );
  const judgementRows = await listSegmentJudgements(db, methodology.code, [quarter.start, previous.start]);
  const judgementsFor = (start: IsoDate) =>
    standingJudgements(judgementRows.filter((row) => row.periodStart === start));
  const thisQuarter = quarterValues(rollups, metrics, quarter);
  const current = segmentQuarter(
    methodology,
    organisations,
    metricByCode,
    thisQuarter,
    judgementsFor(quarter.start),
    level,
  );
  const before = new Map(
    segmentQuarter(
      methodology,
      previousOrganisations,
      metricByCode,
      quarterValues(rollups, metrics, previous),
      judgementsFor(previous.start),
      level,
    ).map((row) => [row.odsCode, row]),
  );

  // Drivers, each with the SPC icons of its monthly series to the quarter's end (the report's settings).
  const settings = resolveSpcSettings({});
  const months = periodsBetween('month', seriesFrom, addMonths(quarter.start, 2));
  const seriesValues = new Map(rollups.map((r) => [`${r.aggregateId}|${r.metricId}|${r.periodStart}`, r]));
  const idByCode = new Map(organisations.map((o) => [o.odsCode, o.id]));
  const weights = methodology.metrics.map((m) => m.weight);
  const driversFor = request.driversFor ? new Set(request.driversFor) : null;
  for (const row of current) {
    const aggregateId = idByCode.get(row.odsCode);
    row.restructured = aggregateId !== undefined && restructured.has(aggregateId);
    row.change = explainChange(methodology, row, before.get(row.odsCode));
    if (row.averageScore === null || (driversFor && !driversFor.has(row.odsCode))) continue;
    row.drivers = scoreDrivers(
      row.metrics.map((m) => m.score),
      weights,
      methodology.drivers.fromScore,
      methodology.drivers.most,
    ).map(({ index, pull }) => {
      const scored = row.metrics[index] as ScoredMetric;
      const metric = metricByCode.get(scored.code) as MetricRecord;
      const points: SeriesPoint[] = months.map((period) => {
        const cached = seriesValues.get(`${aggregateId}|${metric.id}|${period.start}`);
        const version = versionFor(metric, period.start);
        return {
          period,
          label: formatPeriod(period),
          value:
            cached && version
              ? metricValue(
                  version.definition,
                  cached.numerator ?? 0,
                  version.definition.denominator ? cached.denominator : null,
                )
              : null,
          targets: targetsFor(metric, period.start),
        };
      });
      const { result, iconsWithheld, sentence } = analyseSeries(metric, points, settings);
      const spc = result.kind === 'spc' && !iconsWithheld ? result.summary : null;
      return {
        metric: scored.code,
        name: scored.name,
        domain: scored.domain,
        value: scored.value,
        unit: scored.unit,
        score: scored.score ?? 0,
        pull,
        variation: spc?.variation ?? null,
        assurance: spc?.assurance ?? null,
        sentence,
      };
    });
  }
  if (request.viewer !== null)
    await redactJudgements(db, current, idByCode, request.viewer ?? { kind: 'public' }, quarterLast);

  const earliestVersion = versions.find((row) => row.code === methodology.code);
  return {
    methodology: {
      code: methodology.code,
      version: methodology.version,
      name: methodology.name,
      summary: methodology.summary,
      source: methodology.source,
      effectiveFrom: methodology.effectiveFrom,
      levels: methodology.levels,
      segmentRule: methodology.segmentRule,
      significantChange: methodology.significantChange,
      domains: methodology.domains,
      metrics: methodology.metrics.map((m) => ({
        ...m,
        name: metricByCode.get(m.metric)?.name ?? m.metric,
        unit: metricByCode.get(m.metric)?.unit ?? '',
      })),
      overrides: methodology.overrides,
      segmentLabels: methodology.segmentLabels,
      judgementSegments: methodology.judgement.segments,
      segment5Requires: methodology.judgement.segment5Requires,
    },
    level,
    period: {
      start: quarter.start,
      label: formatPeriod(quarter),
      months: Math.max(0, ...thisQuarter.monthsWithFigures.values()),
    },
    previousPeriod: { start: previous.start, label: formatPeriod(previous) },
    latestPeriod: { start: latestQuarter.start, label: formatPeriod(latestQuarter) },
    periodNote:
      quarter.start < methodology.effectiveFrom && earliestVersion?.version === methodology.version
        ? `${methodology.name} is for quarters from ${formatPeriod(periodContaining('quarter', methodology.effectiveFrom))}; ${formatPeriod(quarter)} is scored by it for comparison only.`
        : null,
    rows: current,
    summary: summariseSegments(current),
  };
}

// ---------------------------------------------------------------------------------------------------
// Judgements

export interface JudgementRequest {
  methodologyCode: string;
  /** Any date in the quarter. */
  period: IsoDate;
  odsCode: string;
  /** Null withdraws the standing judgement. */
  segment: number | null;
  reason: string;
}

/**
 * Records a region's judgement on a segment: segment 5 (only for an organisation the methodology places in
 * segment 4), another segment where the methodology lets a region set it, or a withdrawal. People need the
 * judge action on the organisation as it stood at the quarter's end (a regional director for their region, a
 * national director); the command line acts as the operator who holds the database. The checks are repeated
 * inside the transaction that appends the judgement and its audit event, with the organisation locked.
 */
export async function recordSegmentJudgement(
  db: Db,
  caller: { principal: Principal | null; actor: Actor },
  request: JudgementRequest,
  today: IsoDate,
): Promise<SegmentRow> {
  const reason = request.reason.trim();
  if (reason.length < 10)
    throw invalidInput('Say why: a judgement needs a reason of at least 10 characters.', [
      { field: 'reason', message: 'Enter the reason for the judgement, in at least 10 characters.' },
    ]);
  const quarter = periodContaining('quarter', request.period);
  const quarterLast = addDays(addMonths(quarter.start, 3), -1);
  const methodology = await getMethodology(db, request.methodologyCode, undefined, quarter.start);
  if (request.segment !== null && !methodology.judgement.segments.includes(request.segment))
    throw invalidInput(
      `${methodology.name} lets a region record segment ${methodology.judgement.segments.join(' or ')}, not ${request.segment}: the other segments are computed.`,
      [{ field: 'segment', message: `Choose ${methodology.judgement.segments.join(' or ')}.` }],
    );
  const organisation = await findOrganisationByCode(db, request.odsCode);
  if (!organisation)
    throw notFound(`No organisation has ODS code ${request.odsCode}. Check the code, or search by name.`);
  if (caller.principal)
    await authorise(
      db,
      caller.principal,
      'judge',
      {
        organisationId: organisation.id,
        date: quarterLast,
        published: false,
        statutoryFunction: null,
        template: null,
      },
      `the segment of ${request.odsCode}`,
    );
  // The organisation is a trust or an ICB: find it at whichever level the methodology segments it.
  const segment = async (level: SegmentLevel) =>
    getSegmentation(db, {
      methodologyCode: methodology.code,
      level,
      period: quarter.start,
      today,
      viewer: null,
      driversFor: [request.odsCode],
    });
  let segmentation: Segmentation | null = null;
  for (const level of methodology.levels) {
    const candidate = await segment(level);
    if (candidate.rows.some((r) => r.odsCode === request.odsCode)) {
      segmentation = candidate;
      break;
    }
  }
  const row = segmentation?.rows.find((r) => r.odsCode === request.odsCode);
  if (!segmentation || !row)
    throw conflict(
      `${methodology.name} does not segment ${request.odsCode} in ${formatPeriod(quarter)}: it is not a trust${methodology.levels.includes('icb') ? ' or an ICB' : ''} open then.`,
    );
  if (row.computedSegment === null)
    throw conflict(
      `${row.name} has no computed segment in ${formatPeriod(quarter)} (${row.notSegmented ?? 'not segmented'}), so there is nothing to judge.`,
    );
  const requires = methodology.judgement.segment5Requires;
  if (request.segment === 5 && requires !== null && row.computedSegment !== requires)
    throw conflict(
      `Segment 5 (intensive support) is for organisations in segment ${requires}; ${row.name} is in segment ${row.computedSegment} in ${formatPeriod(quarter)}.`,
    );
  if (request.segment === null && !row.judgement)
    throw conflict(`There is no judgement on ${row.name} in ${formatPeriod(quarter)} to withdraw.`);
  const seen = row.judgement ? row.judgement.recordedAt : null;
  await db.transaction().execute(async (trx) => {
    await lockOrganisationForJudgement(trx, organisation.id);
    // Someone else may have judged since the checks above: refuse rather than overwrite unseen.
    const latest = await listSegmentJudgements(trx, methodology.code, [quarter.start]);
    const standing = standingJudgements(latest).get(organisation.id);
    if ((standing?.recordedAt.toISOString() ?? null) !== seen)
      throw conflict(
        `Another judgement on ${row.name} for ${formatPeriod(quarter)} was recorded meanwhile. Reload the page to see it, then decide again.`,
      );
    const id = await insertSegmentJudgement(trx, {
      methodologyCode: methodology.code,
      periodStart: quarter.start,
      organisationId: organisation.id,
      segment: request.segment,
      reason,
      recordedBy: caller.actor.label,
      recordedByUserId: caller.principal?.kind === 'user' ? caller.principal.userId : null,
    });
    await appendAuditEvents(trx, caller.actor, [
      {
        action: request.segment === null ? 'segment.judgement-withdraw' : 'segment.judgement',
        recordType: 'segment-judgement',
        recordId: String(id),
        before: {
          segment: row.segment,
          computedSegment: row.computedSegment,
          judgement: row.judgement?.segment ?? null,
        },
        after: {
          methodology: methodology.code,
          version: methodology.version,
          quarter: quarter.start,
          organisation: request.odsCode,
          segment: request.segment ?? row.computedSegment,
          reason,
        },
      },
    ]);
  });
  const after = await segment(segmentation.level);
  const updated = after.rows.find((r) => r.odsCode === request.odsCode);
  if (!updated)
    throw conflict(`${row.name} is no longer segmented in ${formatPeriod(quarter)}. Reload the page.`);
  return updated;
}

/** May this person record a judgement on this organisation's segment (for showing the form)? */
export async function mayJudge(
  ex: Executor,
  viewer: Principal | null,
  organisationId: number,
  date: IsoDate,
): Promise<boolean> {
  if (!viewer || viewer.kind !== 'user') return false;
  return isAllowed(ex, viewer, 'judge', {
    organisationId,
    date,
    published: false,
    statutoryFunction: null,
    template: null,
  });
}

/** Who may add a methodology version through the API: national directors (see authoriseConfiguration). */
export async function authoriseMethodologyChange(ex: Executor, principal: Principal): Promise<void> {
  await authoriseConfiguration(ex, principal, 'the oversight methodologies');
}
