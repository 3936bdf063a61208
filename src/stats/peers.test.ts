import { describe, expect, it } from 'vitest';
import { distanceToBestQuartile, nearestNeighbours, positionAmong, sizeBands } from './peers.js';

describe('position among peers', () => {
  // Sorted: 60, 70, 75, 75, 80. Lower quartile at position 1 (70), median at 2 (75), upper at 3 (75).
  const values = [80, 75, 75, 70, 60];

  it('gives quartiles, rank, band and the gap to the upper quartile when higher is better', () => {
    expect(positionAmong(values, 70, 'higher-is-better')).toEqual({
      count: 5,
      median: 75,
      lower: 70,
      upper: 75,
      rank: 4,
      // ⌊4 × 3 / 5⌋ + 1
      band: 3,
      bestQuartileBoundary: 75,
      distanceToBestQuartile: 5,
    });
  });

  it('measures to the lower quartile when lower is better: 0 inside the best quarter, negative outside', () => {
    expect(positionAmong(values, 70, 'lower-is-better')).toMatchObject({
      rank: 2,
      band: 1,
      bestQuartileBoundary: 70,
      distanceToBestQuartile: 0,
    });
    expect(positionAmong(values, 80, 'lower-is-better')).toMatchObject({
      rank: 5,
      band: 4,
      distanceToBestQuartile: -10,
    });
  });

  it('has no best quarter for neutral metrics, and no rank without a value', () => {
    expect(positionAmong(values, 70, 'neutral')).toMatchObject({
      rank: 4,
      bestQuartileBoundary: null,
      distanceToBestQuartile: null,
    });
    expect(positionAmong(values, null, 'higher-is-better')).toMatchObject({
      count: 5,
      median: 75,
      rank: null,
      band: null,
      bestQuartileBoundary: 75,
      distanceToBestQuartile: null,
    });
    expect(positionAmong([], null, 'higher-is-better')).toMatchObject({ count: 0, median: null, rank: null });
  });

  it('says 0, not −0, at the boundary itself', () => {
    expect(
      Object.is(distanceToBestQuartile(70, { lower: 70, upper: 75 }, 'lower-is-better').distance, 0),
    ).toBe(true);
    expect(distanceToBestQuartile(90, { lower: 70, upper: 75 }, 'higher-is-better')).toEqual({
      boundary: 75,
      distance: 0,
    });
  });
});

describe('size bands', () => {
  it('splits values into bands of equal count, smallest first, in input order', () => {
    // Sorted 10 … 80: positions 0–1 band 1, 2–3 band 2, 4–5 band 3, 6–7 band 4.
    expect(sizeBands([50, 10, 40, 20, 30, 60, 70, 80], 4)).toEqual([3, 1, 2, 1, 2, 3, 4, 4]);
  });

  it('never splits a tie: equal values take the band of the first of them', () => {
    // Positions 0, 1, 2, 3 would be bands 1, 2, 3, 4; the two 20s share band 2.
    expect(sizeBands([10, 20, 20, 30], 4)).toEqual([1, 2, 2, 4]);
    expect(sizeBands([5, 5, 5, 5], 4)).toEqual([1, 1, 1, 1]);
  });

  it('copes with fewer values than bands, and none', () => {
    expect(sizeBands([3, 1], 4)).toEqual([3, 1]);
    expect(sizeBands([], 4)).toEqual([]);
  });
});

describe('nearest neighbours', () => {
  // Attribute 1: 0, 2, 0, 2 → mean 1, sd 1. Attribute 2: 0, 0, 4, 4 → mean 2, sd 2.
  // Attribute 3 is 7 for everyone: no spread, so ignored (the target's 100 would otherwise dominate).
  // z-scores: A (−1, −1), B (1, −1), C (−1, 1), D (1, 1); the target (1, 1, 100) is (0, −0.5).
  // Distances: A and B √1.25, C and D √3.25.
  const candidates = [
    { id: 'D', vector: [2, 4, 7] },
    { id: 'C', vector: [0, 4, 7] },
    { id: 'B', vector: [2, 0, 7] },
    { id: 'A', vector: [0, 0, 7] },
    { id: 'E', vector: [null, 3, 7] },
  ];

  it('standardises each attribute, ignores one without spread, and breaks ties by id', () => {
    const result = nearestNeighbours([1, 1, 100], candidates, 3);
    expect(result.attributesUsed).toEqual([0, 1]);
    expect(result.excluded).toEqual(['E']);
    expect(result.neighbours.map((n) => n.id)).toEqual(['A', 'B', 'C']);
    expect(result.neighbours[0]?.distance).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(result.neighbours[2]?.distance).toBeCloseTo(Math.sqrt(3.25), 12);
  });

  it('is not swamped by an attribute on a larger scale', () => {
    // Unstandardised, the 1,000s of attribute 2 would decide; standardised, both count equally.
    const result = nearestNeighbours(
      [10, 5000],
      [
        { id: 'near-on-both', vector: [11, 5500] },
        { id: 'same-size-far-rate', vector: [30, 5000] },
        { id: 'far-size-same-rate', vector: [10, 9000] },
      ],
      1,
    );
    expect(result.neighbours.map((n) => n.id)).toEqual(['near-on-both']);
  });

  it('returns every candidate when k is larger, and nothing for k = 0', () => {
    expect(nearestNeighbours([1, 1, 100], candidates, 10).neighbours.map((n) => n.id)).toEqual([
      'A',
      'B',
      'C',
      'D',
    ]);
    expect(nearestNeighbours([1, 1, 100], candidates, 0).neighbours).toEqual([]);
    expect(nearestNeighbours([1], [], 3)).toEqual({ neighbours: [], attributesUsed: [], excluded: [] });
  });
});
