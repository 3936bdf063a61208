/**
 * Is a new value unusual against the values before it? Two tests, each with limits computed from the earlier
 * values only, so the new value cannot widen the limits it is judged by:
 *
 * - SPC: the XmR process limits of the history (mean ± 2.66 × mean moving range), computed by `computeSpc`
 *   with the limits frozen on the history (fixAfterPoints). Moving ranges are not screened: with screening
 *   a perfectly constant history has no moving range left and NaN limits, and could never flag anything.
 * - z-score: |value − mean| > 3 sample standard deviations of the history.
 *
 * A constant history has zero width limits, so any different value is flagged by both tests.
 * Pure numerics: imports only the SPC engine.
 */
import { computeSpc, minimumPoints, type SpcInputPoint } from './spc.js';

export type OutlierTest =
  | { kind: 'insufficient-data'; needed: number; got: number }
  | {
      kind: 'tested';
      outlier: boolean;
      /** The history's mean. */
      centre: number;
      /** The limits the value was judged against; a value strictly outside them is an outlier. */
      lower: number;
      upper: number;
      /** How many earlier values the limits come from. */
      historyPoints: number;
    };

/** Standard deviations from the mean beyond which the z-score test flags a value. */
export const defaultZThreshold = 3;

/**
 * Rounding slack: a value within a billionth (relative) of a limit is inside it, so a constant history of
 * 0.1s does not flag a new 0.1 because the mean came out as 0.09999999999999999.
 */
function beyond(value: number, lower: number, upper: number): boolean {
  const slack = 1e-9 * Math.max(1, Math.abs(lower), Math.abs(upper));
  return value < lower - slack || value > upper + slack;
}

/**
 * XmR test of `point` against the process limits of `history` (any order; every date must be before the
 * point's, and distinct). Needs two earlier values (one moving range).
 */
export function spcOutlier(history: readonly SpcInputPoint[], point: SpcInputPoint): OutlierTest {
  if (history.length < minimumPoints)
    return { kind: 'insufficient-data', needed: minimumPoints, got: history.length };
  for (const earlier of history) {
    if (earlier.date >= point.date)
      throw new RangeError(`spcOutlier: history date ${earlier.date} is not before ${point.date}`);
  }
  const result = computeSpc([...history, point], {
    improvement: 'neutral',
    screenOutliers: false,
    fixAfterPoints: history.length,
  });
  if (result.kind !== 'spc') return { kind: 'insufficient-data', needed: result.needed, got: result.got - 1 };
  const judged = result.points[result.points.length - 1];
  if (judged === undefined || judged.date !== point.date)
    throw new RangeError(`spcOutlier: the point ${point.date} was not the last of the series`);
  return {
    kind: 'tested',
    outlier: beyond(point.value, judged.lpl, judged.upl),
    centre: judged.mean,
    lower: judged.lpl,
    upper: judged.upl,
    historyPoints: history.length,
  };
}

/** z-score test of `value` against the mean and sample standard deviation of `history`; needs two values. */
export function zScoreOutlier(
  history: readonly number[],
  value: number,
  threshold: number = defaultZThreshold,
): OutlierTest {
  const n = history.length;
  if (n < 2) return { kind: 'insufficient-data', needed: 2, got: n };
  let sum = 0;
  for (const x of history) sum += x;
  const mean = sum / n;
  let squares = 0;
  for (const x of history) squares += (x - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const lower = mean - threshold * sd;
  const upper = mean + threshold * sd;
  return {
    kind: 'tested',
    outlier: beyond(value, lower, upper),
    centre: mean,
    lower,
    upper,
    historyPoints: n,
  };
}
