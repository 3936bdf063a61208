import { describe, expect, it } from 'vitest';
import { spcOutlier, zScoreOutlier } from './outlier.js';

const months = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
  );

/** 96, 100, 104, 100 three times: mean 100, every moving range 4. */
const steady = [96, 100, 104, 100, 96, 100, 104, 100, 96, 100, 104, 100];
const steadyHistory = steady.map((value, i) => ({ date: months(13)[i] ?? '', value }));
const next = (value: number) => ({ date: months(13)[12] ?? '', value });

describe('spcOutlier', () => {
  it('judges the new point against the XmR limits of the history alone (worked by hand)', () => {
    // Mean = 1200 / 12 = 100. Moving ranges: 11 of them, each |difference| = 4, so AmR = 44 / 11 = 4.
    // Limits = 100 ± 2.66 × 4 = 100 ± 10.64: 89.36 to 110.64.
    const inside = spcOutlier(steadyHistory, next(110));
    expect(inside).toMatchObject({ kind: 'tested', outlier: false, historyPoints: 12 });
    if (inside.kind !== 'tested') throw new Error('tested');
    expect(inside.centre).toBeCloseTo(100, 10);
    expect(inside.lower).toBeCloseTo(89.36, 10);
    expect(inside.upper).toBeCloseTo(110.64, 10);

    // Had 111 been part of the limits (mean 1311/13 ≈ 100.85, AmR (44 + 11)/12 ≈ 4.58, UPL ≈ 113.0) it would
    // pass; against the history alone it is above the upper limit.
    expect(spcOutlier(steadyHistory, next(111))).toMatchObject({ outlier: true });
    expect(spcOutlier(steadyHistory, next(89))).toMatchObject({ outlier: true });
    expect(spcOutlier(steadyHistory, next(89.5))).toMatchObject({ outlier: false });
  });

  it('flags any change from a constant history, and not the same value again', () => {
    const flat = Array.from({ length: 12 }, (_, i) => ({ date: months(13)[i] ?? '', value: 0.1 }));
    expect(spcOutlier(flat, next(0.1))).toMatchObject({ outlier: false, lower: 0.1, upper: 0.1 });
    expect(spcOutlier(flat, next(0.2))).toMatchObject({ outlier: true });
  });

  it('needs two earlier values, and refuses history that is not before the point', () => {
    expect(spcOutlier(steadyHistory.slice(0, 1), next(500))).toEqual({
      kind: 'insufficient-data',
      needed: 2,
      got: 1,
    });
    expect(() => spcOutlier(steadyHistory, { date: steadyHistory[11]?.date ?? '', value: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('zScoreOutlier', () => {
  it('flags a value more than 3 sample standard deviations from the mean (worked by hand)', () => {
    // Mean 100; deviations −4, 0, 4, 0 three times: squares sum to 96, variance 96 / 11, SD ≈ 2.954,
    // so the limits are 100 ± 8.862: 91.138 to 108.862.
    const result = zScoreOutlier(steady, 108);
    expect(result).toMatchObject({ kind: 'tested', outlier: false, historyPoints: 12 });
    if (result.kind !== 'tested') throw new Error('tested');
    expect(result.upper).toBeCloseTo(100 + 3 * Math.sqrt(96 / 11), 10);
    expect(zScoreOutlier(steady, 109)).toMatchObject({ outlier: true });
    expect(zScoreOutlier(steady, 91)).toMatchObject({ outlier: true });
  });

  it('takes a threshold, treats a constant history as zero width, and needs two values', () => {
    expect(zScoreOutlier(steady, 106, 2)).toMatchObject({ outlier: true });
    expect(zScoreOutlier([5, 5, 5], 5)).toMatchObject({ outlier: false });
    expect(zScoreOutlier([5, 5, 5], 6)).toMatchObject({ outlier: true });
    expect(zScoreOutlier([5], 6)).toEqual({ kind: 'insufficient-data', needed: 2, got: 1 });
  });
});
