import type { Db } from '../db/database.js';
import { invalidInput } from '../domain/errors.js';
import { isIsoDate, type IsoDate } from '../domain/iso-date.js';
import { periodContaining } from '../domain/period.js';
import type { MetricTarget, Polarity } from '../domain/metric.js';
import type { PeriodType } from '../domain/period.js';
import { describeSpcResult } from '../domain/spc-summary.js';
import { computeSpc, type ImprovementDirection, type SpcOptions, type SpcResult } from '../stats/spc.js';
import { rollupMetrics, type RollupOptions, type RollupResult } from './rollup.service.js';

/**
 * Making Data Count SPC for any metric series the roll-up engine can produce: the same figures as the
 * metric page, with process limits, special causes, and the variation and assurance icons.
 */

export interface SpcSettings {
  screenOutliers?: boolean | undefined;
  runLength?: 6 | 7 | undefined;
  twoInThree?: 'between-limits' | 'beyond-two-sigma' | undefined;
  fixAfterPoints?: number | undefined;
  rebaseAt?: IsoDate[] | undefined;
  /** Below this many points the icons are held back (limits are still drawn). */
  iconMinimumPoints?: number | undefined;
}

export const defaultIconMinimumPoints = 15;

export interface MetricSpc {
  rollup: RollupResult;
  improvement: ImprovementDirection;
  target: { value: number; label: string } | null;
  result: SpcResult;
  /** Periods left out because they have no value (missing is not zero). */
  missing: string[];
  /** Why the icons are not shown, when they are not. */
  iconsWithheld: string | null;
  settings: Required<Omit<SpcSettings, 'fixAfterPoints'>> & { fixAfterPoints: number | null };
  sentence: string;
}

export function improvementOf(polarity: Polarity): ImprovementDirection {
  return polarity === 'higher-is-better'
    ? 'increase'
    : polarity === 'lower-is-better'
      ? 'decrease'
      : 'neutral';
}

/** The target to be assured against: the operational (interim) target where one applies, else the standard. */
export function assuranceTarget(targets: MetricTarget[]): { value: number; label: string } | null {
  const target = targets.find((t) => t.kind !== 'standard') ?? targets[0];
  return target ? { value: target.value, label: target.label } : null;
}

export function checkSpcSettings(settings: SpcSettings): void {
  if (settings.fixAfterPoints !== undefined && (settings.fixAfterPoints < 2 || settings.fixAfterPoints > 60))
    throw invalidInput('Limits can be fixed after 2 to 60 points (12 to 20 is usual).', [
      { field: 'fixAfter', message: 'Enter a number of points from 2 to 60' },
    ]);
  const bad = settings.rebaseAt?.find((date) => !isIsoDate(date));
  if (bad)
    throw invalidInput(`"${bad}" is not a date to recalculate limits from.`, [
      { field: 'rebase', message: 'Enter dates as YYYY-MM-DD, separated by commas' },
    ]);
}

/** A series point as the roll-up and the dashboard cache both give it. */
export interface SeriesPoint {
  period: { start: IsoDate };
  label: string;
  value: number | null;
  targets: MetricTarget[];
}

export type ResolvedSpcSettings = MetricSpc['settings'];

export function resolveSpcSettings(settings: SpcSettings): ResolvedSpcSettings {
  return {
    screenOutliers: settings.screenOutliers ?? true,
    runLength: settings.runLength ?? 7,
    twoInThree: settings.twoInThree ?? 'between-limits',
    fixAfterPoints: settings.fixAfterPoints ?? null,
    rebaseAt: settings.rebaseAt ?? [],
    iconMinimumPoints: settings.iconMinimumPoints ?? defaultIconMinimumPoints,
  };
}

export function formatMetricValue(value: number, unit: string): string {
  return unit === '%' ? `${value.toFixed(1)}%` : value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

/**
 * SPC of one metric's series, with its improvement direction, assurance target, icons (or why they are
 * held back) and sentence: the one place the metric pages, the API and the board report get them from.
 */
export function analyseSeries(
  metric: { polarity: Polarity; unit: string },
  points: readonly SeriesPoint[],
  settings: ResolvedSpcSettings,
  periodType: PeriodType = 'month',
) {
  const present = points.filter((p) => p.value !== null);
  const improvement = improvementOf(metric.polarity);
  const lastPoint = present[present.length - 1];
  const target = improvement === 'neutral' || !lastPoint ? null : assuranceTarget(lastPoint.targets);
  // A rebase date names the period it falls in; dates outside the figures change nothing and are dropped.
  const periodStarts = new Set(present.map((p) => p.period.start));
  const appliedRebase = [
    ...new Set(settings.rebaseAt.map((date) => periodContaining(periodType, date).start)),
  ]
    .filter((start) => periodStarts.has(start) && start !== present[0]?.period.start)
    .sort();
  const options: SpcOptions = {
    improvement,
    target: target?.value ?? null,
    screenOutliers: settings.screenOutliers,
    runLength: settings.runLength,
    twoInThree: settings.twoInThree,
    fixAfterPoints: settings.fixAfterPoints,
    rebaseAt: appliedRebase,
  };
  const input = present.map((p) => ({ date: p.period.start, value: p.value ?? 0 }));
  let result = computeSpc(input, options);
  // Figures that never vary leave no moving range after screening (the package gives no limits);
  // without screening the limits sit on the mean, which is the honest picture of a flat series.
  if (result.kind === 'spc' && result.points.some((p) => !Number.isFinite(p.upl) || !Number.isFinite(p.lpl)))
    result = computeSpc(input, { ...options, screenOutliers: false });
  const iconsWithheld =
    result.kind === 'spc' && result.summary.points < settings.iconMinimumPoints
      ? `icons are shown from ${settings.iconMinimumPoints} points; there are ${result.summary.points}`
      : null;
  const sentence = describeSpcResult(result, {
    firstLabel: present[0]?.label ?? '',
    lastLabel: lastPoint?.label ?? '',
    format: (value) => formatMetricValue(value, metric.unit),
    target,
    iconsWithheld,
    rebasedFrom: appliedRebase.map((start) => present.find((p) => p.period.start === start)?.label ?? start),
  });
  return { improvement, target, result, iconsWithheld, sentence, appliedRebase, present };
}

export async function getMetricSpc(
  db: Db,
  request: Omit<RollupOptions, 'metricCodes'> & { metricCode: string; settings: SpcSettings },
): Promise<MetricSpc> {
  checkSpcSettings(request.settings);
  const { metricCode, settings, ...rollupRequest } = request;
  const rollup = await rollupMetrics(db, { ...rollupRequest, metricCodes: [metricCode] });
  const series = rollup.series[0];
  if (!series) throw new Error('the roll-up returned no series');
  const resolved = resolveSpcSettings(settings);
  const analysis = analyseSeries(series.metric, series.points, resolved, rollup.periodType);
  return {
    rollup,
    improvement: analysis.improvement,
    target: analysis.target,
    result: analysis.result,
    missing: series.points.filter((p) => p.value === null).map((p) => p.label),
    iconsWithheld: analysis.iconsWithheld,
    settings: { ...resolved, rebaseAt: analysis.appliedRebase },
    sentence: analysis.sentence,
  };
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** The result for display: points carry their period labels; a result without limits says why. */
export function flattenMetricSpc(spc: MetricSpc) {
  const series = spc.rollup.series[0];
  const labels = new Map(series?.points.map((p) => [p.period.start, p.label]));
  return {
    aggregate: spc.rollup.aggregate,
    structure: spc.rollup.structure,
    improvement: spc.improvement,
    target: spc.target,
    sentence: spc.sentence,
    iconsWithheld: spc.iconsWithheld,
    missing: spc.missing,
    settings: spc.settings,
    insufficient:
      spc.result.kind === 'insufficient-data' ? { needed: spc.result.needed, got: spc.result.got } : null,
    summary:
      spc.result.kind === 'spc'
        ? {
            ...spc.result.summary,
            mean: finite(spc.result.summary.mean),
            lpl: finite(spc.result.summary.lpl),
            upl: finite(spc.result.summary.upl),
          }
        : null,
    // A segment of one point has no limits: null, not NaN (JSON has no NaN).
    points:
      spc.result.kind === 'spc'
        ? spc.result.points.map((p) => ({
            ...p,
            mean: finite(p.mean),
            lpl: finite(p.lpl),
            upl: finite(p.upl),
            lowerNear: finite(p.lowerNear),
            upperNear: finite(p.upperNear),
            label: labels.get(p.date) ?? p.date,
          }))
        : [],
  };
}
