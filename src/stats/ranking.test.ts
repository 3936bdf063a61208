import { describe, expect, it } from 'vitest';
import { competitionRanks, percentile, quartileBand, quartiles } from './ranking.js';

describe('ranking', () => {
  it('gives tied values the better rank, best first by direction', () => {
    expect(competitionRanks([80, 75, 75, 70, 60], 'higher-is-better')).toEqual([1, 2, 2, 4, 5]);
    expect(competitionRanks([80, 75, 75, 70, 60], 'lower-is-better')).toEqual([5, 3, 3, 2, 1]);
    expect(competitionRanks([], 'neutral')).toEqual([]);
  });

  it('bands ranks into quarters of the table', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((r) => quartileBand(r, 8))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(quartileBand(1, 1)).toBe(1);
    expect([1, 2, 3].map((r) => quartileBand(r, 3))).toEqual([1, 2, 3]);
  });

  it('interpolates percentiles like PERCENTILE.INC', () => {
    expect(percentile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(percentile([10], 0.5)).toBe(10);
    expect(percentile([], 0.5)).toBeNull();
    expect(quartiles([3, 1, 2, 5, 4])).toEqual({ lower: 2, median: 3, upper: 4 });
  });
});
