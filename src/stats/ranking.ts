/**
 * Ranking and quartiles for league tables. Pure numerics: no labels, no I/O.
 */

export type Direction = 'higher-is-better' | 'lower-is-better' | 'neutral';

/**
 * Competition ranks (1, 2, 2, 4): best first by the direction; neutral metrics rank highest first.
 * Equal values share the better rank.
 */
export function competitionRanks(values: readonly number[], direction: Direction): number[] {
  const order = values.map((value, index) => ({ value, index }));
  order.sort((a, b) => (direction === 'lower-is-better' ? a.value - b.value : b.value - a.value));
  const ranks = new Array<number>(values.length);
  order.forEach((entry, position) => {
    const previous = order[position - 1];
    ranks[entry.index] =
      previous && previous.value === entry.value ? (ranks[previous.index] ?? position + 1) : position + 1;
  });
  return ranks;
}

/**
 * The quarter of the table a rank falls in, 1 being the best quarter: ⌊4(rank − 1)/count⌋ + 1, so a
 * short table still starts in band 1. Tied organisations share their rank, so share the better band.
 */
export function quartileBand(rank: number, count: number): number {
  if (count <= 0 || rank < 1) return 0;
  return Math.min(4, Math.floor((4 * (rank - 1)) / count) + 1);
}

/** Percentile by linear interpolation between closest ranks (Excel's PERCENTILE.INC, R type 7). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

export function quartiles(values: readonly number[]): {
  lower: number | null;
  median: number | null;
  upper: number | null;
} {
  return {
    lower: percentile(values, 0.25),
    median: percentile(values, 0.5),
    upper: percentile(values, 0.75),
  };
}
