import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import { latestPeriodForItems } from '../db/observation.repository.js';
import { findOrganisationByCode, listOrganisationsAt } from '../db/organisation.repository.js';
import {
  insertMethodologyVersion,
  insertSegmentJudgement,
  listMethodologyVersions,
  listRollupsForAggregates,
  listSegmentJudgements,
  type AggregateRollupRow,
  type SegmentJudgementRow,
} from '../db/oversight.repository.js';
import type { Principal } from '../domain/access.js';
import type { Actor } from '../domain/audit.js';
import { AppError, conflict, invalidInput, notFound, type Problem } from '../domain/errors.js';
import { addDays, type IsoDate } from '../domain/iso-date.js';
import { itemsOf, metricValue, targetsFor, versionFor } from '../domain/metric.js';
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
  provisionalSegments,
  scoreDrivers,
  scoreMetric,
} from '../stats/segmentation.js';
import type { AssuranceIcon, VariationIcon } from '../stats/spc.js';
import { authorise } from './access.service.js';
import { refreshRollupCache } from './dashboard.service.js';
import { getMetricCatalogue, type MetricCatalogue, type MetricRecord } from './metric-catalogue.service.js';
import { analyseSeries, resolveSpcSettings, type SeriesPoint } from './spc.service.js';

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

function parseStored(code: string, version: number, definition: unknown): Methodology {
  const parsed = methodologySchema.safeParse(definition);
  if (!parsed.success)
    throw new Error(`Stored methodology ${code} v${version} no longer parses: ${parsed.error.message}`);
  return parsed.data;
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

export async function listMethodologies(ex: Executor): Promise<MethodologyVersion[]> {
  const rows = await listMethodologyVersions(ex);
  return rows.map((row) => ({
    methodology: parseStored(row.code, row.version, row.definition),
    recordedAt: row.recordedAt.toISOString(),
    recordedBy: row.recordedBy,
  }));
}

/** A methodology's latest version, or the one asked for. */
export async function getMethodology(ex: Executor, code: string, version?: number): Promise<Methodology> {
  const all = (await listMethodologies(ex)).map((v) => v.methodology);
  const versions = all.filter((m) => m.code === code);
  if (versions.length === 0)
    throw notFound(
      `There is no oversight methodology ${code}. There are: ${[...new Set(all.map((m) => m.code))].join(', ')}.`,
    );
  const found =
    version === undefined ? versions[versions.length - 1] : versions.find((m) => m.version === version);
  if (!found)
    throw notFound(
      `Methodology ${code} has no version ${version}; it has ${versions.map((m) => m.version).join(', ')}.`,
    );
  return found;
}

function problemsOf(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): Problem[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || 'methodology',
    message: issue.message,
  }));
}

/**
 * Adds a methodology, or a new version of one (the next number): validated whole, its metrics and
 * condition metrics checked against the catalogue, then stored and audited in one transaction.
 */
export async function addMethodologyVersion(db: Db, actor: Actor, input: unknown): Promise<Methodology> {
  const parsed = methodologySchema.safeParse(input);
  if (!parsed.success) {
    const problems = problemsOf(parsed.error);
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
  reason: string;
  recordedBy: string;
  recordedAt: string;
}

export interface SegmentChange {
  previousSegment: number | null;
  previousAverage: number | null;
  averageChange: number | null;
  significant: boolean;
  direction: 'better' | 'worse' | 'same' | 'new' | 'none';
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
  /** Why there is no segment, when there is none. */
  notSegmented: string | null;
}

export interface Segmentation {
  methodology: Pick<
    Methodology,
    'code' | 'version' | 'name' | 'summary' | 'source' | 'segmentRule' | 'significantChange'
  > & {
    domains: Methodology['domains'];
    metrics: Array<MethodologyMetric & { name: string; unit: string }>;
    overrides: Methodology['overrides'];
    segmentLabels: Record<string, string>;
    judgementSegments: number[];
  };
  level: SegmentLevel;
  period: { start: IsoDate; label: string; months: number };
  previousPeriod: { start: IsoDate; label: string };
  rows: SegmentRow[];
  summary: {
    bySegment: Record<string, number>;
    notSegmented: number;
    meanAverageScore: number | null;
    changedSegment: number;
    significantChanges: number;
  };
}

export interface SegmentationRequest {
  methodologyCode: string;
  version?: number;
  level?: SegmentLevel;
  /** Any date in the quarter; by default the latest complete quarter with figures on or before `until`. */
  period?: IsoDate;
  until?: IsoDate;
  today: IsoDate;
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

const sectorLabel = (sector: string | null) => (sector ? sector : 'other or unknown type');
const round2 = (value: number) => Math.round(value * 100) / 100;
const spcMonths = 24;

async function organisationsAt(ex: Executor, level: SegmentLevel, date: IsoDate): Promise<Organisation[]> {
  const all = await listOrganisationsAt(ex, date);
  const byId = new Map(all.map((o) => [o.id, o]));
  const ancestorOfKind = (id: number | null, kinds: readonly string[]): string | null => {
    for (let current = id === null ? undefined : byId.get(id), steps = 0; current && steps < 10; steps += 1) {
      if (kinds.includes(current.kind)) return current.odsCode;
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    return null;
  };
  const kinds = level === 'icb' ? ['icb', 'stp'] : ['nhs-trust'];
  return all
    .filter((o) => kinds.includes(o.kind))
    .map((o) => ({
      id: o.id,
      odsCode: o.odsCode,
      name: o.name,
      kind: o.kind,
      sector: o.sector,
      icbCode: level === 'icb' ? o.odsCode : ancestorOfKind(o.parentId, ['icb', 'stp']),
      regionCode: ancestorOfKind(o.parentId, ['region']),
    }));
}

function metricsOf(methodology: Methodology, catalogue: MetricCatalogue) {
  const codes = [
    ...new Set([...methodology.metrics.map((m) => m.metric), ...methodology.conditions.map((c) => c.metric)]),
  ];
  return codes.map((code) => {
    const metric = catalogue.metricByCode.get(code);
    if (!metric)
      throw notFound(`Methodology ${methodology.code} names metric ${code}, which is not in the catalogue.`);
    return metric;
  });
}

/** Quarterly values: numerators and denominators summed over the quarter's reported months. */
function quarterValues(
  rows: readonly AggregateRollupRow[],
  metrics: readonly MetricRecord[],
  quarter: Period,
): Map<string, { value: number | null; months: number }> {
  const end = addMonths(quarter.start, 3);
  const sums = new Map<string, { numerator: number; denominator: number; months: number }>();
  for (const row of rows) {
    if (row.periodStart < quarter.start || row.periodStart >= end) continue;
    const key = `${row.aggregateId}|${row.metricId}`;
    const sum = sums.get(key) ?? { numerator: 0, denominator: 0, months: 0 };
    sum.numerator += row.numerator ?? 0;
    sum.denominator += row.denominator ?? 0;
    sum.months += 1;
    sums.set(key, sum);
  }
  const values = new Map<string, { value: number | null; months: number }>();
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
  return values;
}

function holds(value: number, operator: '>=' | '<=' | '>' | '<', threshold: number): boolean {
  return operator === '>='
    ? value >= threshold
    : operator === '<='
      ? value <= threshold
      : operator === '>'
        ? value > threshold
        : value < threshold;
}

/** The latest judgement per organisation (a withdrawal leaves none). */
function standingJudgements(rows: readonly SegmentJudgementRow[]): Map<number, SegmentJudgement> {
  const latest = new Map<number, SegmentJudgementRow>();
  for (const row of rows) latest.set(row.organisationId, row);
  const standing = new Map<number, SegmentJudgement>();
  for (const [id, row] of latest)
    if (row.segment !== null)
      standing.set(id, {
        segment: row.segment,
        reason: row.reason,
        recordedBy: row.recordedBy,
        recordedAt: row.recordedAt.toISOString(),
      });
  return standing;
}

/** One quarter's scores and segments, without drivers or change. */
function segmentQuarter(
  methodology: Methodology,
  organisations: readonly Organisation[],
  metricByCode: ReadonlyMap<string, MetricRecord>,
  values: ReadonlyMap<string, { value: number | null; months: number }>,
  judgements: ReadonlyMap<number, SegmentJudgement>,
  level: SegmentLevel,
): SegmentRow[] {
  const groups = new Map<string, Organisation[]>();
  for (const o of organisations) {
    const group =
      level === 'icb'
        ? 'All ICBs'
        : methodology.peerGrouping === 'sector'
          ? sectorLabel(o.sector)
          : 'All trusts';
    groups.set(group, [...(groups.get(group) ?? []), o]);
  }
  const weights = methodology.metrics.map((m) => m.weight);
  const valueOf = (o: Organisation, code: string) => {
    const metric = metricByCode.get(code);
    return metric ? values.get(`${o.id}|${metric.id}`) : undefined;
  };
  const rows: SegmentRow[] = [];
  for (const [group, members] of groups) {
    const scoresByMetric = methodology.metrics.map((m) =>
      scoreMetric(
        members.map((o) => valueOf(o, m.metric)?.value ?? null),
        m.scoring,
      ),
    );
    const perOrg = members.map((o, k) => {
      const scores = methodology.metrics.map((_, i) => scoresByMetric[i]?.[k] ?? null);
      const scored = scores.filter((s) => s !== null).length;
      const average = scored >= methodology.minimumMetrics ? averageScore(scores, weights) : null;
      return { o, scores, scored, average };
    });
    const provisional =
      methodology.segmentRule.kind === 'concerns'
        ? perOrg.map(({ scores, average }) => {
            if (average === null) return null;
            const rule = methodology.segmentRule;
            const concern = methodology.metrics.some(
              (m, i) =>
                rule.kind === 'concerns' && isConcern(scores[i] ?? null, m.scoring, rule.concernAtScore),
            );
            return concern ? 2 : 1;
          })
        : provisionalSegments(
            perOrg.map((p) => p.average),
            methodology.segmentRule,
          );
    const decided = perOrg.map(({ o, scores, scored, average }, k) => {
      const conditions = methodology.conditions.filter((c) => {
        const value = valueOf(o, c.metric)?.value;
        return value !== undefined && value !== null && holds(value, c.operator, c.value);
      });
      const decision = finalSegment(
        provisional[k] ?? null,
        new Set(conditions.map((c) => c.key)),
        methodology.overrides,
        false,
      );
      const judgement = average === null ? null : (judgements.get(o.id) ?? null);
      const segment = judgement?.segment ?? decision.final;
      const metrics: ScoredMetric[] = methodology.metrics.map((m, i) => {
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
        };
      });
      return {
        odsCode: o.odsCode,
        name: o.name,
        kind: o.kind,
        peerGroup: group,
        icbCode: o.icbCode,
        regionCode: o.regionCode,
        metrics,
        scoredMetrics: scored,
        averageScore: average,
        domainScores: methodology.domains.map((d) => {
          const inDomain = methodology.metrics.map((m, i) =>
            m.domain === d.key ? (scores[i] ?? null) : null,
          );
          const domainWeights = methodology.metrics.map((m) => (m.domain === d.key ? m.weight : 0));
          return { key: d.key, label: d.label, score: averageScore(inDomain, domainWeights) };
        }),
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

function explainChange(
  methodology: Methodology,
  now: SegmentRow,
  before: SegmentRow | undefined,
  format: (value: number, unit: string) => string,
): SegmentChange {
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
  if (now.judgement && now.judgement.segment !== before.judgement?.segment)
    reasons.push(`Regional judgement (segment ${now.judgement.segment}): ${now.judgement.reason}`);
  if (!now.judgement && before.judgement)
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
      `${m.name}: score ${was?.score?.toFixed(2)} to ${m.score?.toFixed(2)}${m.value !== null && was?.value !== null && was?.value !== undefined ? ` (${format(was.value, m.unit)} to ${format(m.value, m.unit)})` : ''}.`,
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

const formatValue = (value: number, unit: string) =>
  unit === '%' ? `${value.toFixed(1)}%` : value.toLocaleString('en-GB', { maximumFractionDigits: 1 });

/** The quarter asked for, or the latest complete quarter with figures for the methodology's metrics. */
async function chooseQuarter(
  ex: Executor,
  metrics: readonly MetricRecord[],
  catalogue: MetricCatalogue,
  request: SegmentationRequest,
): Promise<Period> {
  if (request.period) return periodContaining('quarter', request.period);
  const itemIds = metrics.flatMap((metric) =>
    metric.versions.flatMap((v) =>
      itemsOf(v.definition).flatMap((code) => catalogue.itemByCode.get(code)?.id ?? []),
    ),
  );
  const latest = (await latestPeriodForItems(ex, itemIds)) ?? request.until ?? request.today;
  const last = request.until && request.until < latest ? request.until : latest;
  const quarter = periodContaining('quarter', last);
  // A quarter counts once its last month has figures; otherwise the one before it.
  return periodContaining('month', last).start === addMonths(quarter.start, 2)
    ? quarter
    : periodContaining('quarter', addMonths(quarter.start, -1));
}

export async function getSegmentation(db: Db, request: SegmentationRequest): Promise<Segmentation> {
  await refreshRollupCache(db, { wait: false });
  const methodology = await getMethodology(db, request.methodologyCode, request.version);
  const level = request.level ?? 'nhs-trust';
  if (!methodology.levels.includes(level))
    throw invalidInput(
      `${methodology.name} segments ${methodology.levels.map((l) => (l === 'icb' ? 'ICBs' : 'trusts')).join(' and ')}, not ${level === 'icb' ? 'ICBs' : 'trusts'}.`,
      [{ field: 'level', message: `Choose ${methodology.levels.join(' or ')}.` }],
    );
  const catalogue = await getMetricCatalogue(db);
  const metrics = metricsOf(methodology, catalogue);
  const metricByCode = new Map(metrics.map((m) => [m.code, m]));
  const quarter = await chooseQuarter(db, metrics, catalogue, request);
  const previous = periodContaining('quarter', addMonths(quarter.start, -3));
  const quarterLast = addDays(addMonths(quarter.start, 3), -1);
  const [organisations, previousOrganisations] = await Promise.all([
    organisationsAt(db, level, quarterLast),
    organisationsAt(db, level, addDays(quarter.start, -1)),
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
  const current = segmentQuarter(
    methodology,
    organisations,
    metricByCode,
    quarterValues(rollups, metrics, quarter),
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

  // Drivers, each with the SPC icons of its monthly series to the quarter's end.
  const settings = resolveSpcSettings({});
  const months = periodsBetween('month', seriesFrom, addMonths(quarter.start, 2));
  const seriesValues = new Map(rollups.map((r) => [`${r.aggregateId}|${r.metricId}|${r.periodStart}`, r]));
  const idByCode = new Map(organisations.map((o) => [o.odsCode, o.id]));
  const weights = methodology.metrics.map((m) => m.weight);
  for (const row of current) {
    row.change = explainChange(methodology, row, before.get(row.odsCode), formatValue);
    if (row.averageScore === null) continue;
    const aggregateId = idByCode.get(row.odsCode);
    row.drivers = scoreDrivers(
      row.metrics.map((m) => m.score),
      weights,
      2.5,
      3,
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

  const bySegment: Record<string, number> = {};
  for (const row of current)
    if (row.segment !== null) bySegment[String(row.segment)] = (bySegment[String(row.segment)] ?? 0) + 1;
  const averages = current.flatMap((row) => (row.averageScore === null ? [] : [row.averageScore]));
  const quarterMonths = new Set(
    rollups
      .filter((r) => r.periodStart >= quarter.start && r.periodStart <= addMonths(quarter.start, 2))
      .map((r) => r.periodStart),
  ).size;
  return {
    methodology: {
      code: methodology.code,
      version: methodology.version,
      name: methodology.name,
      summary: methodology.summary,
      source: methodology.source,
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
    },
    level,
    period: { start: quarter.start, label: formatPeriod(quarter), months: quarterMonths },
    previousPeriod: { start: previous.start, label: formatPeriod(previous) },
    rows: current,
    summary: {
      bySegment,
      notSegmented: current.filter((row) => row.segment === null).length,
      meanAverageScore:
        averages.length === 0 ? null : round2(averages.reduce((a, b) => a + b, 0) / averages.length),
      changedSegment: current.filter(
        (row) => row.change?.direction === 'better' || row.change?.direction === 'worse',
      ).length,
      significantChanges: current.filter((row) => row.change?.significant).length,
    },
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
 * Records a region's judgement on a segment: an override with a reason, segment 5 (only for an
 * organisation the methodology places in segment 4), or a withdrawal. People need the judge action on
 * the organisation (a regional director for their region, a national director); the command line acts
 * as the operator who holds the database. Audited in the same transaction.
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
      { field: 'reason', message: 'Enter the reason for the judgement.' },
    ]);
  const methodology = await getMethodology(db, request.methodologyCode);
  if (request.segment !== null && !methodology.judgement.segments.includes(request.segment))
    throw invalidInput(
      `${methodology.name} lets a region record segment ${methodology.judgement.segments.join(', ')}, not ${request.segment}.`,
      [{ field: 'segment', message: `Choose one of ${methodology.judgement.segments.join(', ')}.` }],
    );
  const organisation = await findOrganisationByCode(db, request.odsCode);
  if (!organisation) throw notFound(`No organisation has ODS code ${request.odsCode}.`);
  const quarter = periodContaining('quarter', request.period);
  if (caller.principal)
    await authorise(
      db,
      caller.principal,
      'judge',
      {
        organisationId: organisation.id,
        date: quarter.start,
        published: false,
        statutoryFunction: null,
        template: null,
      },
      `the segment of ${request.odsCode}`,
    );
  // The organisation is a trust or an ICB: find it at whichever level the methodology segments it.
  let segmentation: Segmentation | null = null;
  for (const level of methodology.levels) {
    const candidate = await getSegmentation(db, {
      methodologyCode: methodology.code,
      level,
      period: quarter.start,
      today,
    });
    if (candidate.rows.some((r) => r.odsCode === request.odsCode)) {
      segmentation = candidate;
      break;
    }
  }
  if (!segmentation)
    throw conflict(
      `${methodology.name} does not segment ${request.odsCode} in ${formatPeriod(quarter)}: it is not a trust${methodology.levels.includes('icb') ? ' or an ICB' : ''} open then.`,
    );
  const row = segmentation.rows.find((r) => r.odsCode === request.odsCode);
  if (!row || row.computedSegment === null)
    throw conflict(
      `${request.odsCode} has no computed segment under ${methodology.name} in ${formatPeriod(quarter)}: ${row?.notSegmented ?? 'it is not segmented by this methodology'}`,
    );
  const requires = methodology.judgement.segment5Requires;
  if (request.segment === 5 && requires !== null && row.computedSegment !== requires)
    throw conflict(
      `Segment 5 (intensive support) is for organisations in segment ${requires}; ${row.name} is in segment ${row.computedSegment} in ${formatPeriod(quarter)}.`,
    );
  if (request.segment === null && !row.judgement)
    throw conflict(`There is no judgement on ${row.name} in ${formatPeriod(quarter)} to withdraw.`);
  await db.transaction().execute(async (trx) => {
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
          quarter: quarter.start,
          organisation: request.odsCode,
          segment: request.segment ?? row.computedSegment,
          reason,
        },
      },
    ]);
  });
  const after = await getSegmentation(db, {
    methodologyCode: methodology.code,
    level: segmentation.level,
    period: quarter.start,
    today,
  });
  const updated = after.rows.find((r) => r.odsCode === request.odsCode);
  if (!updated) throw new Error('segment row vanished');
  return updated;
}

/**
 * Who may add a methodology version through the API: people with a national role (the methodology is
 * set nationally). The command line acts as the operator who holds the database.
 */
export function requireNationalRole(principal: Principal): void {
  if (principal.kind === 'public')
    throw new AppError('unauthenticated', 'Sign in to add an oversight methodology.');
  const national =
    principal.kind === 'user' &&
    principal.grants.some(
      (g) =>
        g.scopeOrganisationId === null && (g.role === 'national-director' || g.role === 'national-analyst'),
    );
  if (!national)
    throw new AppError(
      'forbidden',
      'Only a national director or national analyst can add an oversight methodology: methodologies are set nationally.',
    );
}
