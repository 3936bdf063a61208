import { describe, expect, it } from 'vitest';
import {
  averageScore,
  finalSegment,
  isConcern,
  leaguePositions,
  provisionalSegments,
  rankBetween,
  scoreDrivers,
  scoreMetric,
} from './segmentation.js';

// OVERSIGHT-METHODS.md §7, the worked example, computed by hand there.
describe('metric scoring (worked example A)', () => {
  it('ranks a metric with no standard between 1.00 and 4.00, ties taking the best position', () => {
    expect(scoreMetric([80, 75, 75, 70, 60], { kind: 'ranked', polarity: 'higher-is-better' })).toEqual([
      1, 1.75, 1.75, 3.25, 4,
    ]);
  });

  it('scores those meeting a standard 1.00 and ranks the rest between 2.00 and 4.00', () => {
    expect(
      scoreMetric([82, 79, 76, 70, 65], {
        kind: 'standard',
        polarity: 'higher-is-better',
        operator: '>=',
        value: 78,
      }),
    ).toEqual([1, 1, 2, 3, 4]);
  });

  it('scores those failing a floor 4.00 and ranks the rest between 1.00 and 3.00', () => {
    expect(
      scoreMetric([5, 2, -1, 1, 0], { kind: 'floor', polarity: 'higher-is-better', operator: '>', value: 0 }),
    ).toEqual([1, 2, 4, 3, 4]);
  });

  it('maps bands straight to scores, leaving the unrated out', () => {
    const cqcSafe = {
      kind: 'bands' as const,
      scores: { Outstanding: 1, Good: 2, 'Requires improvement': 3, Inadequate: 4 },
    };
    expect(scoreMetric(['Good', 'Outstanding', 'Requires improvement', 'Good', null], cqcSafe)).toEqual([
      2,
      1,
      3,
      2,
      null,
    ]);
  });

  it('averages the scores present: T1 1.25, T2 1.44, T3 2.69, T4 2.81, T5 4.00', () => {
    const m1 = [1, 1.75, 1.75, 3.25, 4];
    const m2 = [1, 1, 2, 3, 4];
    const m3 = [1, 2, 4, 3, 4];
    const m4 = [2, 1, 3, 2, null];
    const averages = [0, 1, 2, 3, 4].map((t) =>
      averageScore([m1[t] ?? null, m2[t] ?? null, m3[t] ?? null, m4[t] ?? null]),
    );
    expect(averages).toEqual([1.25, 1.44, 2.69, 2.81, 4]);
  });

  it('weights the three infection metrics a third each, and ignores missing and zero scores', () => {
    expect(averageScore([3, 3, 3, 1], [1 / 3, 1 / 3, 1 / 3, 1])).toBe(2);
    expect(averageScore([null, 0, 2])).toBe(2);
    expect(averageScore([null])).toBeNull();
  });

  it('handles one organisation and lower-is-better', () => {
    expect(rankBetween([5], 'lower-is-better', 1, 4)).toEqual([1]);
    expect(rankBetween([3, 1, 2], 'lower-is-better', 1, 4)).toEqual([4, 1, 2.5]);
  });
});

describe('segmentation (worked example B)', () => {
  const averages = [1.53, 1.9, 2.05, 2.2, 2.31, 2.48, 2.75, 3.1];
  const deficit = [true, false, false, true, true, false, false, true];

  it('puts eight trusts in quartiles, applies the deficit override, and ranks the league', () => {
    const provisional = provisionalSegments(averages, { kind: 'quartiles' });
    expect(provisional).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    const decisions = provisional.map((segment, i) =>
      finalSegment(
        segment,
        new Set(deficit[i] ? ['deficit'] : []),
        [{ condition: 'deficit', atBest: 3 }],
        false,
      ),
    );
    expect(decisions.map((d) => d.final)).toEqual([3, 1, 2, 3, 3, 3, 4, 4]);
    expect(decisions[0]?.applied).toEqual(['deficit']);
    expect(decisions[4]?.applied).toEqual([]);
    const league = leaguePositions(
      decisions.map((d, i) => ({ segment: d.final, average: averages[i] ?? null })),
    );
    // B 1, C 2, A 3, D 4, E 5, F 6, G 7, H 8.
    expect(league).toEqual([3, 1, 2, 4, 5, 6, 7, 8]);
  });

  it('gives organisations equal on segment and average score the same position', () => {
    expect(
      leaguePositions([
        { segment: 1, average: 1.38 },
        { segment: 1, average: 1.38 },
        { segment: 1, average: 1.5 },
        { segment: null, average: null },
        { segment: 3, average: 1.2 },
      ]),
    ).toEqual([1, 1, 3, null, 4]);
  });

  it('sets segment 5 only by judgement, and only from segment 4', () => {
    expect(finalSegment(4, new Set(), [], true)).toEqual({
      provisional: 4,
      final: 5,
      applied: ['intensive-support'],
    });
    expect(finalSegment(3, new Set(), [], true).final).toBe(3);
    expect(finalSegment(4, new Set(), [], false).final).toBe(4);
  });

  it('uses fixed cut-points instead of quartiles (2026/27 style), and ties share the better quartile', () => {
    expect(
      provisionalSegments([1.4, 2.0, 2.6, 3.2, null], { kind: 'thresholds', cutPoints: [1.5, 2.25, 3] }),
    ).toEqual([1, 2, 3, 4, null]);
    expect(provisionalSegments([2, 2, 3, 4], { kind: 'quartiles' })).toEqual([1, 1, 3, 4]);
  });
});

describe('concerns (Single Oversight Framework reading)', () => {
  const ranked = { kind: 'ranked' as const, polarity: 'higher-is-better' as const };
  const standard = {
    kind: 'standard' as const,
    polarity: 'higher-is-better' as const,
    operator: '>=' as const,
    value: 95,
  };
  const floor = {
    kind: 'floor' as const,
    polarity: 'higher-is-better' as const,
    operator: '>' as const,
    value: 0,
  };
  it('counts a missed standard whatever its rank, a failed floor, and a bottom-quarter score', () => {
    expect(isConcern(1, standard, 3.25)).toBe(false);
    expect(isConcern(2, standard, 3.25)).toBe(true);
    expect(isConcern(3, floor, 3.25)).toBe(false);
    expect(isConcern(4, floor, 3.25)).toBe(true);
    expect(isConcern(3.24, ranked, 3.25)).toBe(false);
    expect(isConcern(3.25, ranked, 3.25)).toBe(true);
    expect(isConcern(null, ranked, 3.25)).toBe(false);
  });
});

describe('drivers', () => {
  it('orders metrics by their weighted share of the gap from 1.00, leaving out the missing and the good', () => {
    // T3 of the worked example: 1.75, 2.00, 4.00, 3.00 — average 2.69.
    expect(scoreDrivers([1.75, 2, 4, 3], [1, 1, 1, 1], 2.5, 3)).toEqual([
      { index: 2, pull: 0.75 },
      { index: 3, pull: 0.5 },
    ]);
    // A third-weighted metric pulls a third as hard; a missing score changes the denominator.
    expect(scoreDrivers([4, null, 4], [1, 1, 1 / 3], 2.5, 3)).toEqual([
      { index: 0, pull: 2.25 },
      { index: 2, pull: 0.75 },
    ]);
    expect(scoreDrivers([1, 1], [1, 1], 1, 3)).toEqual([]);
    expect(scoreDrivers([null], [1], 1, 3)).toEqual([]);
  });
});
