/**
 * Statistical process control for one series: the "Making Data Count" XmR chart ("plot the dots") as
 * NHSRplotthedots 0.2.2 computes it (R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
 * R/ptd_calculate_assurance_type.R, R/ptd_spc.R), checked against fixtures produced by that package.
 * Options beyond the package (runLength 6, 2-of-3 beyond two sigma) reproduce later MDC Excel tools.
 * Pure numerics: no I/O, no imports.
 */

export type ImprovementDirection = 'increase' | 'decrease' | 'neutral';

/** The package's labels, verbatim; with runLength 6 the trend and shift labels say 6. */
export type SpecialCauseType =
  | 'Common Cause'
  | 'Above UCL'
  | 'Below LCL'
  | '7 Point Trend (Increasing)'
  | '7 Point Trend (Decreasing)'
  | '2 in 3 Above CL'
  | '2 in 3 Below CL'
  | '7 Points Above CL'
  | '7 Points Below CL'
  | string;

export type PointType =
  | 'common_cause'
  | 'special_cause_improvement'
  | 'special_cause_concern'
  | 'special_cause_neutral_high'
  | 'special_cause_neutral_low';

export type VariationIcon =
  | 'common_cause'
  | 'improvement_high'
  | 'improvement_low'
  | 'concern_high'
  | 'concern_low'
  | 'neutral_high'
  | 'neutral_low';

export type AssuranceIcon = 'pass' | 'fail' | 'inconsistent';

export interface SpcInputPoint {
  /** ISO yyyy-mm-dd. */
  date: string;
  value: number;
}

export interface SpcOptions {
  improvement: ImprovementDirection;
  /** Assurance is judged only when set and improvement is not 'neutral'. */
  target?: number | null;
  /** Drop moving ranges ≥ 3.267 × AmR before the limits (default true, the package); false = MDC Excel tool. */
  screenOutliers?: boolean;
  /** Points in a trend and in a shift (default 7; 6 = later MDC guidance). */
  runLength?: 6 | 7;
  /**
   * Which points count towards 2-of-3: 'between-limits' (default, the package: close_to_limits, so a point
   * outside the limits does not count) or 'beyond-two-sigma' (MDC tool since 2023: any point beyond the
   * near limits counts, outside the process limits included). All three points must be on one side of the mean.
   */
  twoInThree?: 'between-limits' | 'beyond-two-sigma';
  /** Freeze each segment's limits on its first N points (N ≥ 2; the package insists on ≥ 12, we do not). */
  fixAfterPoints?: number | null;
  /**
   * Dates that start a new segment with its own limits; moving ranges do not cross segments. As in the
   * package (`%in%`), a date matches only a point with exactly that date; others are ignored.
   */
  rebaseAt?: string[];
  /** A segment with fewer points gets shortGroupWarning ("trial limits"); default 13, as the code tests n < 13. */
  shortSegmentPoints?: number;
}

export interface SpcPoint {
  date: string;
  value: number;
  mean: number;
  lpl: number;
  upl: number;
  /** mean ∓ (2/3 · 2.66) · AmR. */
  lowerNear: number;
  upperNear: number;
  outsideLimits: boolean;
  relativeToMean: -1 | 0 | 1;
  closeToLimits: boolean;
  specialCauseType: SpecialCauseType;
  specialCauseFlag: boolean;
  pointType: PointType;
  /** Number of rebase dates at or before this point (the package's cumsum), so 0 unless rebased. */
  rebaseGroup: number;
  shortGroupWarning: boolean;
}

export interface SpcSummary {
  /** From the last point's point type. */
  variation: VariationIcon;
  /** Null without a target or when improvement is 'neutral'. */
  assurance: AssuranceIcon | null;
  /** Mean and limits of the last point's segment. */
  mean: number;
  lpl: number;
  upl: number;
  /** Points in the last segment (the package summary's n). */
  points: number;
  /** The last segment is short (fewer than shortSegmentPoints). */
  trialLimits: boolean;
  /** Points in the whole series. */
  totalPoints: number;
  /** The last segment's rebase group. */
  rebaseGroup: number;
  /** Counts over the last segment, as in the package summary. */
  commonCause: number;
  specialCauseImprovement: number;
  specialCauseConcern: number;
}

export type SpcResult =
  | { kind: 'insufficient-data'; needed: number; got: number }
  | { kind: 'spc'; points: SpcPoint[]; summary: SpcSummary };

/** 3/d2 with d2 = 1.128: AmR to three sigma. */
export const limitFactor = 2.66;
/** Two sigma, written as the package computes it (2 * (2.66 / 3)) so the near limits agree to the bit. */
export const nearLimitFactor = 2 * (limitFactor / 3);
/** D4 for n = 2: a moving range at or above this multiple of AmR is screened out. */
export const screeningFactor = 3.267;
export const defaultRunLength = 7;
export const defaultShortSegmentPoints = 13;
/** One moving range needs two points. */
export const minimumPoints = 2;

/** Marks (1) each point that ends a run of `runLength` points on the same side of the mean; 0 breaks runs. */
export function sameSideRunEnds(relativeToMean: ArrayLike<number>, runLength = defaultRunLength): Int8Array {
  const n = relativeToMean.length;
  const ends = new Int8Array(n);
  let streak = 0;
  for (let i = 0; i < n; i++) {
    const side = relativeToMean[i] as number;
    streak = side === 0 ? 0 : i > 0 && side === relativeToMean[i - 1] ? streak + 1 : 1;
    if (streak >= runLength) ends[i] = 1;
  }
  return ends;
}

/**
 * +1 / −1 at each point that ends `runLength` strictly increasing / decreasing points (runLength − 1
 * consecutive rises or falls); an equal value breaks a trend.
 */
export function trendEnds(values: ArrayLike<number>, runLength = defaultRunLength): Int8Array {
  const n = values.length;
  const ends = new Int8Array(n);
  let rises = 0;
  let falls = 0;
  for (let i = 1; i < n; i++) {
    const current = values[i] as number;
    const previous = values[i - 1] as number;
    rises = current > previous ? rises + 1 : 0;
    falls = current < previous ? falls + 1 : 0;
    if (rises >= runLength - 1) ends[i] = 1;
    else if (falls >= runLength - 1) ends[i] = -1;
  }
  return ends;
}

/** 1 for every point in a marked run: the point itself or one of the next runLength − 1 ends one. */
export function partOfRun(ends: ArrayLike<number>, runLength = defaultRunLength): Int8Array {
  const n = ends.length;
  const part = new Int8Array(n);
  let remaining = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (ends[i] !== 0) remaining = runLength;
    if (remaining > 0) {
      part[i] = 1;
      remaining--;
    }
  }
  return part;
}

/**
 * 1 for every point inside some window of three consecutive points with at least two flagged and all
 * three on the same (non-zero) side of the mean.
 */
export function twoInThreeWindows(flags: ArrayLike<number>, relativeToMean: ArrayLike<number>): Int8Array {
  const n = flags.length;
  const inWindow = new Int8Array(n);
  for (let i = 2; i < n; i++) {
    const side = relativeToMean[i] as number;
    if (side === 0 || relativeToMean[i - 1] !== side || relativeToMean[i - 2] !== side) continue;
    if ((flags[i] ? 1 : 0) + (flags[i - 1] ? 1 : 0) + (flags[i - 2] ? 1 : 0) < 2) continue;
    inWindow[i] = inWindow[i - 1] = inWindow[i - 2] = 1;
  }
  return inWindow;
}

/** Only the flagged points of a qualifying window are special causes, not the point between them. */
export function partOfTwoInThree(inWindow: ArrayLike<number>, flags: ArrayLike<number>): Int8Array {
  const n = inWindow.length;
  const part = new Int8Array(n);
  for (let i = 0; i < n; i++) part[i] = inWindow[i] && flags[i] ? 1 : 0;
  return part;
}

/**
 * Mean of values[from, to) with R's refinement pass (mean.default adds mean(x − m) to m), so equal-to-mean
 * tests agree with the package more often than a plain sum would.
 */
function meanOf(values: Float64Array, from: number, to: number): number {
  const count = to - from;
  if (count <= 0) return NaN;
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] as number;
  const mean = sum / count;
  if (!Number.isFinite(mean)) return mean;
  let residual = 0;
  for (let i = from; i < to; i++) residual += (values[i] as number) - mean;
  return mean + residual / count;
}

/** Mean of the moving ranges |y_i − y_{i−1}| over (from, to) that are below `below` (NaN when none). */
function movingRangeMean(values: Float64Array, from: number, to: number, below: number): number {
  let sum = 0;
  let count = 0;
  for (let i = from + 1; i < to; i++) {
    const range = Math.abs((values[i] as number) - (values[i - 1] as number));
    if (range < below) {
      sum += range;
      count++;
    }
  }
  if (count === 0) return NaN;
  const mean = sum / count;
  if (!Number.isFinite(mean)) return mean;
  let residual = 0;
  for (let i = from + 1; i < to; i++) {
    const range = Math.abs((values[i] as number) - (values[i - 1] as number));
    if (range < below) residual += range - mean;
  }
  return mean + residual / count;
}

function byDate(a: SpcInputPoint, b: SpcInputPoint): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/** The points in date order, copying only when they are not already; duplicate dates are an error, as in the package. */
function inDateOrder(points: readonly SpcInputPoint[]): readonly SpcInputPoint[] {
  let ordered = points;
  for (let i = 1; i < points.length; i++) {
    if ((points[i - 1] as SpcInputPoint).date >= (points[i] as SpcInputPoint).date) {
      ordered = [...points].sort(byDate);
      break;
    }
  }
  for (let i = 1; i < ordered.length; i++) {
    const date = (ordered[i] as SpcInputPoint).date;
    if ((ordered[i - 1] as SpcInputPoint).date === date) {
      throw new RangeError(`computeSpc: duplicate date ${date} in one series`);
    }
  }
  return ordered;
}

const pointTypeByDirection: Record<ImprovementDirection, readonly [PointType, PointType]> = {
  // [label pointing up (Above / Increasing), label pointing down (Below / Decreasing)]
  increase: ['special_cause_improvement', 'special_cause_concern'],
  decrease: ['special_cause_concern', 'special_cause_improvement'],
  neutral: ['special_cause_neutral_high', 'special_cause_neutral_low'],
};

/** The variation icon for a series' last point type; improvement and concern icons depend on the direction. */
export function variationIcon(pointType: PointType, improvement: ImprovementDirection): VariationIcon {
  switch (pointType) {
    case 'special_cause_improvement':
      return improvement === 'decrease' ? 'improvement_low' : 'improvement_high';
    case 'special_cause_concern':
      return improvement === 'decrease' ? 'concern_high' : 'concern_low';
    case 'special_cause_neutral_high':
      return 'neutral_high';
    case 'special_cause_neutral_low':
      return 'neutral_low';
    default:
      return 'common_cause';
  }
}

/**
 * Assurance against a target from the last point's limits. Comparisons are strict, so a target equal to
 * a limit (or limits that are NaN) is 'inconsistent'.
 */
export function assuranceIcon(
  target: number | null | undefined,
  improvement: ImprovementDirection,
  lpl: number,
  upl: number,
): AssuranceIcon | null {
  if (target === null || target === undefined || improvement === 'neutral') return null;
  const increasing = improvement === 'increase';
  if (target > upl) return increasing ? 'fail' : 'pass';
  if (target < lpl) return increasing ? 'pass' : 'fail';
  return 'inconsistent';
}

/**
 * SPC for one facet (one organisation's series). Points are sorted by date inside; two points with the
 * same date throw a RangeError, as the package refuses them. Values must be finite.
 *
 * Fewer than two points gives 'insufficient-data': no moving range, so no limits. A segment of one point
 * (a rebase at the last date) does not: the package computes NaN limits for that segment without error and
 * flags it short, and so do we (its points are then common cause unless a shift runs through them).
 * Likewise with screening a constant segment (AmR 0) screens out every moving range (0 < 0 is false), so
 * its limits are NaN, exactly as in the package.
 */
export function computeSpc(points: readonly SpcInputPoint[], options: SpcOptions): SpcResult {
  const n = points.length;
  if (n < minimumPoints) return { kind: 'insufficient-data', needed: minimumPoints, got: n };

  const runLength = options.runLength ?? defaultRunLength;
  const screen = options.screenOutliers ?? true;
  const beyondTwoSigma = options.twoInThree === 'beyond-two-sigma';
  const shortSegmentPoints = options.shortSegmentPoints ?? defaultShortSegmentPoints;
  const fixAfter = options.fixAfterPoints ?? Infinity;
  if (!(fixAfter === Infinity || (Number.isInteger(fixAfter) && fixAfter >= minimumPoints))) {
    throw new RangeError(`computeSpc: fixAfterPoints must be an integer ≥ ${minimumPoints}, got ${fixAfter}`);
  }
  const [upType, downType] = pointTypeByDirection[options.improvement];
  const trendUp = `${runLength} Point Trend (Increasing)`;
  const trendDown = `${runLength} Point Trend (Decreasing)`;
  const shiftUp = `${runLength} Points Above CL`;
  const shiftDown = `${runLength} Points Below CL`;

  const ordered = inDateOrder(points);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = (ordered[i] as SpcInputPoint).value;
  const rebaseDates = options.rebaseAt && options.rebaseAt.length > 0 ? new Set(options.rebaseAt) : null;

  // Per-point flags for the whole series; the rules read per-segment views of them.
  const relative = new Int8Array(n);
  const near = new Int8Array(n);
  const result = new Array<SpcPoint>(n);

  let group = 0;
  let start = 0;
  let last: {
    mean: number;
    lpl: number;
    upl: number;
    start: number;
    group: number;
    short: boolean;
  } | null = null;
  while (start < n) {
    // The segment runs to the next rebase date; a rebase at the first point still counts (group 1).
    if (rebaseDates?.has((ordered[start] as SpcInputPoint).date)) group++;
    let end = start + 1;
    while (end < n && !rebaseDates?.has((ordered[end] as SpcInputPoint).date)) end++;

    const baselineEnd = Math.min(end, start + fixAfter);
    const mean = meanOf(values, start, baselineEnd);
    let amr = movingRangeMean(values, start, baselineEnd, Infinity);
    // NaN AmR (no moving range) stays NaN: NaN comparisons drop every range, as R's NA does.
    if (screen) amr = movingRangeMean(values, start, baselineEnd, screeningFactor * amr);
    const lpl = mean - limitFactor * amr;
    const upl = mean + limitFactor * amr;
    const lowerNear = mean - nearLimitFactor * amr;
    const upperNear = mean + nearLimitFactor * amr;
    const short = end - start < shortSegmentPoints;

    for (let i = start; i < end; i++) {
      const y = values[i] as number;
      relative[i] = y > mean ? 1 : y < mean ? -1 : 0;
      near[i] = y > upperNear || y < lowerNear ? 1 : 0;
    }
    const segmentValues = values.subarray(start, end);
    const segmentRelative = relative.subarray(start, end);
    const segmentNear = near.subarray(start, end);
    const trend = partOfRun(trendEnds(segmentValues, runLength), runLength);
    const shift = partOfRun(sameSideRunEnds(segmentRelative, runLength), runLength);
    // close_to_limits excludes points outside the limits; the MDC tool's variant counts every point beyond 2σ.
    const twoFlags = beyondTwoSigma ? segmentNear : new Int8Array(end - start);
    if (!beyondTwoSigma) {
      for (let i = start; i < end; i++) {
        const y = values[i] as number;
        twoFlags[i - start] = near[i] && !(y > upl || y < lpl) ? 1 : 0;
      }
    }
    const twoInThree = partOfTwoInThree(twoInThreeWindows(twoFlags, segmentRelative), twoFlags);

    for (let i = start; i < end; i++) {
      const k = i - start;
      const y = values[i] as number;
      const side = relative[i] as -1 | 0 | 1;
      const outside = y > upl || y < lpl;
      let type: SpecialCauseType;
      let up: boolean;
      if (outside) {
        up = side === 1;
        type = up ? 'Above UCL' : 'Below LCL';
      } else if (trend[k]) {
        // The package labels a trend point by the step to its right when the next point is in a trend too
        // (else the step from its left), and "Decreasing" for anything but a rise, so a tie between two
        // trends labels the shared point from the second one.
        const step =
          k + 1 < end - start && trend[k + 1]
            ? (values[i + 1] as number) - y
            : k > 0
              ? y - (values[i - 1] as number)
              : 0;
        up = step > 0;
        type = up ? trendUp : trendDown;
      } else if (twoInThree[k]) {
        up = side > 0;
        type = up ? '2 in 3 Above CL' : '2 in 3 Below CL';
      } else if (shift[k]) {
        up = side > 0;
        type = up ? shiftUp : shiftDown;
      } else {
        type = 'Common Cause';
        up = false;
      }
      const flagged = type !== 'Common Cause';
      const input = ordered[i] as SpcInputPoint;
      result[i] = {
        date: input.date,
        value: y,
        mean,
        lpl,
        upl,
        lowerNear,
        upperNear,
        outsideLimits: outside,
        relativeToMean: side,
        closeToLimits: !outside && near[i] === 1,
        specialCauseType: type,
        specialCauseFlag: flagged,
        pointType: flagged ? (up ? upType : downType) : 'common_cause',
        rebaseGroup: group,
        shortGroupWarning: short,
      };
    }
    last = { mean, lpl, upl, start, group, short };
    start = end;
  }

  const segment = last as NonNullable<typeof last>;
  let commonCause = 0;
  let specialCauseImprovement = 0;
  let specialCauseConcern = 0;
  for (let i = segment.start; i < n; i++) {
    const type = (result[i] as SpcPoint).pointType;
    if (type === 'common_cause') commonCause++;
    else if (type === 'special_cause_improvement') specialCauseImprovement++;
    else if (type === 'special_cause_concern') specialCauseConcern++;
  }
  const lastPoint = result[n - 1] as SpcPoint;
  return {
    kind: 'spc',
    points: result,
    summary: {
      variation: variationIcon(lastPoint.pointType, options.improvement),
      assurance: assuranceIcon(options.target, options.improvement, segment.lpl, segment.upl),
      mean: segment.mean,
      lpl: segment.lpl,
      upl: segment.upl,
      points: n - segment.start,
      trialLimits: segment.short,
      totalPoints: n,
      rebaseGroup: segment.group,
      commonCause,
      specialCauseImprovement,
      specialCauseConcern,
    },
  };
}
