import type { Db } from '../db/database.js';
import { invalidInput } from '../domain/errors.js';
import { isIsoDate, type IsoDate } from '../domain/iso-date.js';
import { periodContaining } from '../domain/period.js';
import type { MetricTarget, Polarity } from '../domain/metric.js';
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

export async function getMetricSpc(
  db: Db,
  request: Omit<RollupOptions, 'metricCodes'> & { metricCode: string; settings: SpcSettings },
): Promise<MetricSpc> {
  checkSpcSettings(request.settings);
  const { metricCode, settings, ...rollupRequest } = request;
  const rollup = await rollupMetrics(db, { ...rollupRequest, metricCodes: [metricCode] });
  const series = rollup.series[0];
  if (!series) throw new Error('the roll-up returned no series');
  const present = series.points.filter((p) => p.value !== null);
  const missing = series.points.filter((p) => p.value === null).map((p) => p.label);
  const improvement = improvementOf(series.metric.polarity);
  const lastPoint = present[present.length - 1];
  const target = improvement === 'neutral' || !lastPoint ? null : assuranceTarget(lastPoint.targets);
  const resolved = {
    screenOutliers: settings.screenOutliers ?? true,
    runLength: settings.runLength ?? 7,
    twoInThree: settings.twoInThree ?? 'between-limits',
    fixAfterPoints: settings.fixAfterPoints ?? null,
    rebaseAt: settings.rebaseAt ?? [],
    iconMinimumPoints: settings.iconMinimumPoints ?? defaultIconMinimumPoints,
  } as const;
  // A rebase date names the period it falls in; dates outside the figures change nothing and are dropped.
  const periodStarts = new Set(present.map((p) => p.period.start));
  const appliedRebase = [
    ...new Set(resolved.rebaseAt.map((date) => periodContaining(rollup.periodType, date).start)),
  ]
    .filter((start) => periodStarts.has(start) && start !== present[0]?.period.start)
    .sort();
  const options: SpcOptions = {
    improvement,
    target: target?.value ?? null,
    screenOutliers: resolved.screenOutliers,
    runLength: resolved.runLength,
    twoInThree: resolved.twoInThree,
    fixAfterPoints: resolved.fixAfterPoints,
    rebaseAt: appliedRebase,
  };
  const input = present.map((p) => ({ date: p.period.start, value: p.value ?? 0 }));
  let result = computeSpc(input, options);
  // Figures that never vary leave no moving range after screening (the package gives no limits);
  // without screening the limits sit on the mean, which is the honest picture of a flat series.
  if (result.kind === 'spc' && result.points.some((p) => !Number.isFinite(p.upl) || !Number.isFinite(p.lpl)))
    result = computeSpc(input, { ...options, screenOutliers: false });

  const iconsWithheld =
    result.kind === 'spc' && result.summary.points < resolved.iconMinimumPoints
      ? `icons are shown from ${resolved.iconMinimumPoints} points; there are ${result.summary.points}`
      : null;
  const unit = series.metric.unit;
  const format = (value: number) =>
    unit === '%' ? `${value.toFixed(1)}%` : value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  const sentence = describeSpcResult(result, {
    firstLabel: present[0]?.label ?? '',
    lastLabel: lastPoint?.label ?? '',
    format,
    target,
    iconsWithheld,
    rebasedFrom: appliedRebase.map((start) => present.find((p) => p.period.start === start)?.label ?? start),
  });
  return {
    rollup,
    improvement,
    target,
    result,
    missing,
    iconsWithheld,
    settings: { ...resolved, rebaseAt: appliedRebase },
    sentence,
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
