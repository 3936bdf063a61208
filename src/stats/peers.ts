/**
 * Peer comparison numerics: where a value sits among others (median, quartiles, rank, quarter band,
 * distance to the best quarter), size bands, and nearest neighbours on standardised attributes.
 * Pure numerics: no labels, no I/O.
 */
import { competitionRanks, quartileBand, quartiles, type Direction } from './ranking.js';

export interface Position {
  /** How many values were compared (the subject's own included when it has one). */
  count: number;
  median: number | null;
  lower: number | null;
  upper: number | null;
  /** Competition rank of the subject's value, best first by the direction; null without a value. */
  rank: number | null;
  /** Quarter of the table the rank falls in, 1 the best; null without a value. */
  band: number | null;
  /** The edge of the best quarter: the upper quartile when higher is better, the lower when lower is. */
  bestQuartileBoundary: number | null;
  /**
   * The change in value that would reach the best quarter's edge: 0 when already at or beyond it,
   * positive for an increase, negative for a decrease. Null for neutral metrics or without a value.
   */
  distanceToBestQuartile: number | null;
}

/**
 * The change that would bring `value` to the best quarter's boundary (the upper quartile when higher
 * is better, the lower quartile when lower is better): 0 inside the best quarter, otherwise the signed
 * difference. Neutral metrics have no best quarter, so null.
 */
export function distanceToBestQuartile(
  value: number,
  bounds: { lower: number | null; upper: number | null },
  direction: Direction,
): { boundary: number | null; distance: number | null } {
  if (direction === 'neutral') return { boundary: null, distance: null };
  const boundary = direction === 'higher-is-better' ? bounds.upper : bounds.lower;
  if (boundary === null) return { boundary: null, distance: null };
  const distance =
    direction === 'higher-is-better' ? Math.max(0, boundary - value) : Math.min(0, boundary - value);
  // -0 would print as "-0" in JSON-consuming tools; inside the quarter is plain 0.
  return { boundary, distance: distance === 0 ? 0 : distance };
}

/**
 * Where `subject` sits among `values` (which must include the subject's own value when it has one):
 * quartiles of all values, the subject's competition rank and quarter band, and its distance to the
 * best quarter.
 */
export function positionAmong(
  values: readonly number[],
  subject: number | null,
  direction: Direction,
): Position {
  const { lower, median, upper } = quartiles(values);
  if (subject === null) {
    return {
      count: values.length,
      median,
      lower,
      upper,
      rank: null,
      band: null,
      bestQuartileBoundary: direction === 'neutral' ? null : direction === 'higher-is-better' ? upper : lower,
      distanceToBestQuartile: null,
    };
  }
  const index = values.indexOf(subject);
  const ranked = index === -1 ? [...values, subject] : values;
  const ranks = competitionRanks(ranked, direction);
  const rank = ranks[index === -1 ? ranked.length - 1 : index] ?? null;
  const best = distanceToBestQuartile(subject, { lower, upper }, direction);
  return {
    count: values.length,
    median,
    lower,
    upper,
    rank,
    band: rank === null ? null : quartileBand(rank, ranked.length),
    bestQuartileBoundary: best.boundary,
    distanceToBestQuartile: best.distance,
  };
}

/**
 * Size bands of equal counts, 1 the smallest: sorted ascending, the value at 0-based position p of n
 * falls in band ⌊bands·p/n⌋ + 1. Equal values share the band of the first of them, so a band never
 * splits a tie. Returns one band per input value, in input order.
 */
export function sizeBands(values: readonly number[], bands: number): number[] {
  const count = Math.max(1, Math.floor(bands));
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  let tieBand = 0;
  order.forEach((entry, position) => {
    const previous = order[position - 1];
    const band = Math.floor((count * position) / order.length) + 1;
    tieBand = previous && previous.value === entry.value ? tieBand : band;
    result[entry.index] = tieBand;
  });
  return result;
}

export interface NeighbourCandidate {
  id: string;
  /** One value per attribute, in the same order as the target; null where the candidate has none. */
  vector: ReadonlyArray<number | null>;
}

export interface NearestNeighbours {
  /** The k nearest, nearest first; equal distances in order of id. */
  neighbours: Array<{ id: string; distance: number }>;
  /** Indices of the attributes that had spread among the candidates, and so counted in the distance. */
  attributesUsed: number[];
  /** Candidates left out because they lacked a value for some attribute. */
  excluded: string[];
}

/**
 * The k candidates nearest the target: each attribute is standardised to z-scores with the mean and
 * (population) standard deviation over the candidates that have every attribute, the target included
 * on the same scale; attributes with no spread are ignored; distance is Euclidean over the rest.
 * Standardising stops a large-valued attribute (attendances) swamping a small one (a percentage).
 */
export function nearestNeighbours(
  target: readonly number[],
  candidates: readonly NeighbourCandidate[],
  k: number,
): NearestNeighbours {
  const complete: Array<{ id: string; vector: number[] }> = [];
  const excluded: string[] = [];
  for (const candidate of candidates) {
    const vector = target.map((_, i) => candidate.vector[i]);
    if (vector.every((v): v is number => typeof v === 'number' && Number.isFinite(v)))
      complete.push({ id: candidate.id, vector });
    else excluded.push(candidate.id);
  }
  const scales = target.map((_, i) => {
    const column = complete.map((c) => c.vector[i] as number);
    const mean = column.reduce((sum, v) => sum + v, 0) / Math.max(1, column.length);
    const variance = column.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, column.length);
    return { mean, sd: Math.sqrt(variance) };
  });
  const attributesUsed = scales.flatMap((scale, i) =>
    scale.sd > 0 && Number.isFinite(target[i] ?? Number.NaN) ? [i] : [],
  );
  const z = (value: number, i: number) => {
    const scale = scales[i] as { mean: number; sd: number };
    return (value - scale.mean) / scale.sd;
  };
  const measured = complete.map((candidate) => ({
    id: candidate.id,
    distance: Math.sqrt(
      attributesUsed.reduce(
        (sum, i) => sum + (z(candidate.vector[i] as number, i) - z(target[i] as number, i)) ** 2,
        0,
      ),
    ),
  }));
  measured.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    neighbours: measured.slice(0, Math.max(0, Math.floor(k))),
    attributesUsed,
    excluded: excluded.sort(),
  };
}
