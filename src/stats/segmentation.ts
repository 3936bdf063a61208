/**
 * NHS Oversight Framework scoring and segmentation, as pure numerics (OVERSIGHT-METHODS.md §2–3):
 * metric scores from 1.00 (best) to 4.00 by rank between bookends, an average metric score, a segment
 * from quartiles within a peer group or from fixed cut-points, ordered overrides, and segment 5 only by a
 * recorded judgement. Methodologies are data (see the domain layer); this module only computes.
 */

export type Polarity = 'higher-is-better' | 'lower-is-better';

/** How a metric's values become scores. */
export type ScoringRule =
  | { kind: 'ranked'; polarity: Polarity }
  /** Meeting the standard scores 1.00; the rest are ranked between 2.00 and 4.00. */
  | { kind: 'standard'; polarity: Polarity; operator: '>=' | '<=' | '>' | '<'; value: number }
  /** Failing the floor scores 4.00; the rest are ranked between 1.00 and 3.00. */
  | { kind: 'floor'; polarity: Polarity; operator: '>=' | '<=' | '>' | '<'; value: number }
  /** Bands mapped straight to scores (CQC "safe": Outstanding 1, Good 2, Requires improvement 3, Inadequate 4). */
  | { kind: 'bands'; scores: Record<string, number> };

/** Scores and averages are published to 2 decimal places. */
export const round2 = (value: number) => Math.round(value * 100) / 100;

export function meets(value: number, operator: '>=' | '<=' | '>' | '<', threshold: number): boolean {
  switch (operator) {
    case '>=':
      return value >= threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    default:
      return value < threshold;
  }
}

/**
 * Scores between bookends by position: the best is `lo`, the worst `hi`, evenly spread; tied values take
 * the best position of their cluster (NOF: "all receive the best score in their cluster").
 */
export function rankBetween(values: readonly number[], polarity: Polarity, lo: number, hi: number): number[] {
  const n = values.length;
  if (n === 0) return [];
  if (n === 1) return [lo];
  const better = (a: number, b: number) => (polarity === 'higher-is-better' ? a > b : a < b);
  return values.map((value) => {
    let position = 1;
    for (const other of values) if (better(other, value)) position += 1;
    return round2(lo + ((hi - lo) * (position - 1)) / (n - 1));
  });
}

/**
 * A score per organisation for one metric; null where the value is missing (or its band unknown), which
 * the average leaves out. `values` may hold numbers or, for band rules, band names.
 */
export function scoreMetric(
  values: ReadonlyArray<number | string | null>,
  rule: ScoringRule,
): Array<number | null> {
  if (rule.kind === 'bands')
    return values.map((v) =>
      typeof v === 'string' && rule.scores[v] !== undefined ? (rule.scores[v] ?? null) : null,
    );
  const scores: Array<number | null> = values.map(() => null);
  const present = values.flatMap((v, i) => (typeof v === 'number' && Number.isFinite(v) ? [{ v, i }] : []));
  if (rule.kind === 'ranked') {
    const ranked = rankBetween(
      present.map((p) => p.v),
      rule.polarity,
      1,
      4,
    );
    present.forEach((p, k) => (scores[p.i] = ranked[k] ?? null));
    return scores;
  }
  const passing = present.filter((p) => meets(p.v, rule.operator, rule.value));
  const failing = present.filter((p) => !meets(p.v, rule.operator, rule.value));
  if (rule.kind === 'standard') {
    for (const p of passing) scores[p.i] = 1;
    const ranked = rankBetween(
      failing.map((p) => p.v),
      rule.polarity,
      2,
      4,
    );
    failing.forEach((p, k) => (scores[p.i] = ranked[k] ?? null));
  } else {
    for (const p of failing) scores[p.i] = 4;
    const ranked = rankBetween(
      passing.map((p) => p.v),
      rule.polarity,
      1,
      3,
    );
    passing.forEach((p, k) => (scores[p.i] = ranked[k] ?? null));
  }
  return scores;
}

/** Σ wᵢsᵢ / Σ wᵢ over the scores present, to 2 dp; null when nothing was scored. */
export function averageScore(
  scores: ReadonlyArray<number | null>,
  weights?: readonly number[],
): number | null {
  let sum = 0;
  let weight = 0;
  scores.forEach((score, i) => {
    if (score === null || score <= 0) return;
    const w = weights?.[i] ?? 1;
    sum += w * score;
    weight += w;
  });
  return weight === 0 ? null : round2(sum / weight);
}

/** How average scores become segments 1–4. */
export type SegmentRule =
  /** Quartiles within the peer group: ⌈4r/n⌉ on ascending rank r, ties sharing the better quartile. */
  | { kind: 'quartiles' }
  /** Fixed cut-points [c1, c2, c3]: ≤ c1 is 1, ≤ c2 is 2, ≤ c3 is 3, above is 4. */
  | { kind: 'thresholds'; cutPoints: readonly [number, number, number] };

export function provisionalSegments(
  averages: ReadonlyArray<number | null>,
  rule: SegmentRule,
): Array<number | null> {
  const present = averages.filter((a): a is number => a !== null);
  const n = present.length;
  return averages.map((average) => {
    if (average === null) return null;
    if (rule.kind === 'thresholds') {
      const [c1, c2, c3] = rule.cutPoints;
      return average <= c1 ? 1 : average <= c2 ? 2 : average <= c3 ? 3 : 4;
    }
    const rank = 1 + present.filter((other) => other < average).length;
    return Math.min(4, Math.ceil((4 * rank) / n));
  });
}

/** An override: when the condition holds, the segment can be no better than `atBest`. */
export interface SegmentOverride {
  condition: string;
  atBest: number;
}

export interface SegmentDecision {
  provisional: number | null;
  final: number | null;
  /** The overrides that changed the segment, in the order applied. */
  applied: string[];
}

/**
 * Applies overrides in order, then segment 5 only where a recorded judgement places a segment-4
 * organisation in intensive support (it is never computed).
 */
export function finalSegment(
  provisional: number | null,
  conditions: ReadonlySet<string>,
  overrides: readonly SegmentOverride[],
  intensiveSupport: boolean,
): SegmentDecision {
  if (provisional === null) return { provisional, final: null, applied: [] };
  let segment = provisional;
  const applied: string[] = [];
  for (const override of overrides) {
    if (conditions.has(override.condition) && segment < override.atBest) {
      segment = override.atBest;
      applied.push(override.condition);
    }
  }
  if (intensiveSupport && segment === 4) {
    segment = 5;
    applied.push('intensive-support');
  }
  return { provisional, final: segment, applied };
}

/**
 * League positions: by final segment, then by average score within it (1 is first). Organisations equal on
 * both share the position, as competition ranks do (1, 1, 3).
 */
export function leaguePositions(
  rows: ReadonlyArray<{ segment: number | null; average: number | null }>,
): Array<number | null> {
  const order = rows
    .map((row, index) => ({ ...row, index }))
    .filter((row) => row.segment !== null && row.average !== null)
    .sort((a, b) => (a.segment ?? 0) - (b.segment ?? 0) || (a.average ?? 0) - (b.average ?? 0));
  const positions: Array<number | null> = rows.map(() => null);
  order.forEach((row, k) => {
    const previous = order[k - 1];
    positions[row.index] =
      previous && previous.segment === row.segment && previous.average === row.average
        ? (positions[previous.index] ?? k + 1)
        : k + 1;
  });
  return positions;
}

/**
 * A concern under the Single Oversight Framework reading: a missed standard, a failed floor, or a score
 * at or beyond the concern level (the bottom quarter when ranked between 1.00 and 4.00).
 */
export function isConcern(score: number | null, rule: ScoringRule, concernAtScore: number): boolean {
  if (score === null) return false;
  if (rule.kind === 'standard') return score > 1;
  if (rule.kind === 'floor') return score >= 4;
  return score >= concernAtScore;
}

/**
 * The metrics that pull an average score away from 1.00 most: each metric's share of the gap
 * (w·(s − 1) / Σw), largest first, counting only scores at or worse than `from`.
 */
export function scoreDrivers(
  scores: ReadonlyArray<number | null>,
  weights: readonly number[],
  from: number,
  limit: number,
): Array<{ index: number; pull: number }> {
  let weight = 0;
  scores.forEach((score, i) => {
    if (score !== null && score > 0) weight += weights[i] ?? 1;
  });
  if (weight === 0) return [];
  return scores
    .flatMap((score, index) =>
      score !== null && score > 0 && score >= from
        ? [{ index, pull: round2(((weights[index] ?? 1) * (score - 1)) / weight) }]
        : [],
    )
    .filter((driver) => driver.pull > 0)
    .sort((a, b) => b.pull - a.pull || a.index - b.index)
    .slice(0, limit);
}
