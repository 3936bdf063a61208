import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedDataPath } from '../../test/shared-data.js';
import {
  assuranceIcon,
  computeSpc,
  limitFactor,
  nearLimitFactor,
  partOfRun,
  partOfTwoInThree,
  sameSideRunEnds,
  trendEnds,
  twoInThreeWindows,
  variationIcon,
  type PointType,
  type SpcInputPoint,
  type SpcOptions,
  type SpcPoint,
  type SpcResult,
} from './spc.js';

// --- helpers -------------------------------------------------------------------------------------

/** RFC 4180-ish: quoted fields with doubled quotes; enough for the fixtures R's write.csv produced. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body
    .filter((cells) => cells.length > 1 || cells[0] !== '')
    .map((cells) => Object.fromEntries((header ?? []).map((name, i) => [name, cells[i] ?? ''])));
}

const num = (text: string | undefined): number => (text === 'NA' || text === undefined ? NaN : Number(text));
const bool = (text: string | undefined): boolean => text === 'TRUE';

/** Equal to 1e-9 relative to the magnitude (R prints 15 significant digits), NaN matching NA. */
function expectClose(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) {
    expect(actual, what).toBeNaN();
    return;
  }
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

function spc(result: SpcResult): Extract<SpcResult, { kind: 'spc' }> {
  if (result.kind !== 'spc') throw new Error(`expected spc, got ${JSON.stringify(result)}`);
  return result;
}

/** Daily points from 2024-01-01. */
function series(values: readonly number[]): SpcInputPoint[] {
  const start = Date.UTC(2024, 0, 1);
  return values.map((value, i) => ({
    date: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    value,
  }));
}

const types = (points: readonly SpcPoint[]): string[] => points.map((p) => p.specialCauseType);

/** Alternating low/high baseline: mean (low + high) / 2, every moving range high − low. */
const alternating = (count: number, low: number, high: number): number[] =>
  Array.from({ length: count }, (_, i) => (i % 2 === 0 ? low : high));

// --- fixtures ------------------------------------------------------------------------------------

interface FixtureCase {
  name: string;
  input: string;
  date: string;
  value: string;
  facet?: string;
  options: SpcOptions;
}

/** The options table of SPC_RULES.md. */
const fixtureCases: FixtureCase[] = [
  {
    name: '01_rnorm20_seed123_increase',
    input: '01_rnorm20_seed123_increase',
    date: 'x',
    value: 'y',
    options: { improvement: 'increase' },
  },
  {
    name: '02_rnorm20_outlier_screened',
    input: '02_rnorm20_outlier_screened',
    date: 'x',
    value: 'y',
    options: { improvement: 'increase', screenOutliers: true },
  },
  {
    name: '03_rnorm20_outlier_unscreened',
    input: '02_rnorm20_outlier_screened',
    date: 'x',
    value: 'y',
    options: { improvement: 'increase', screenOutliers: false },
  },
  {
    name: '04_england_type1_4hr_performance_target95',
    input: '04_england_type1_4hr_performance_target95',
    date: 'period',
    value: 'performance',
    options: { improvement: 'increase', target: 0.95 },
  },
  {
    name: '05_RJZ_type1_breaches_decrease',
    input: '05_RJZ_type1_breaches_decrease',
    date: 'period',
    value: 'breaches',
    options: { improvement: 'decrease' },
  },
  {
    name: '06_five_trusts_type1_breaches_facet',
    input: '06_five_trusts_type1_breaches_facet',
    date: 'period',
    value: 'breaches',
    facet: 'org_code',
    options: { improvement: 'decrease' },
  },
  {
    name: '10_vignette_outlier_screened_default',
    input: '10_vignette_outlier_screened_default',
    date: 'date',
    value: 'data',
    options: { improvement: 'increase' },
  },
  {
    name: '11_vignette_outlier_unscreened_excel_equivalent',
    input: '10_vignette_outlier_screened_default',
    date: 'date',
    value: 'data',
    options: { improvement: 'increase', screenOutliers: false },
  },
  {
    name: '12_england_all_types_attendances_rebase_2017-04_2018-04',
    input: '12_england_all_types_attendances_rebase_2017-04_2018-04',
    date: 'period',
    value: 'attendances',
    options: { improvement: 'increase', rebaseAt: ['2017-04-01', '2018-04-01'] },
  },
];

const fixture = (file: string): string => `spc_fixtures/${file}`;
const fixtureFiles = [
  ...fixtureCases.flatMap((c) => [
    fixture(`${c.input}_input.csv`),
    fixture(`${c.name}_expected.csv`),
    fixture(`${c.name}_summary.csv`),
  ]),
  fixture('rule_unit_cases.json'),
];
const readFixture = (file: string): string => readFileSync(sharedDataPath(fixture(file)), 'utf8');

const assuranceByPackage: Record<string, string | null> = {
  consistent_pass: 'pass',
  consistent_fail: 'fail',
  inconsistent: 'inconsistent',
  NA: null,
};

describe.skipIf(!hasSharedData(...fixtureFiles))('NHSRplotthedots 0.2.2 fixtures', () => {
  it.each(fixtureCases)('$name matches the package point by point and in summary', (c) => {
    const input = parseCsv(readFixture(`${c.input}_input.csv`));
    const expected = parseCsv(readFixture(`${c.name}_expected.csv`));
    const summaries = parseCsv(readFixture(`${c.name}_summary.csv`));
    const facets = c.facet
      ? [...new Set(input.map((row) => row[c.facet as string] as string))]
      : ['no facet'];
    expect(facets.length).toBeGreaterThan(0);
    let compared = 0;

    for (const facet of facets) {
      const rows = c.facet ? input.filter((row) => row[c.facet as string] === facet) : input;
      const points = rows.map((row) => ({ date: row[c.date] as string, value: num(row[c.value]) }));
      const result = spc(computeSpc(points, c.options));
      const want = expected.filter((row) => row.f === facet);
      expect(result.points).toHaveLength(want.length);

      want.forEach((row, i) => {
        const got = result.points[i] as SpcPoint;
        const at = `${c.name} ${facet} ${row.x}`;
        expect(got.date, at).toBe(row.x);
        expectClose(got.value, num(row.y), `${at} y`);
        expectClose(got.mean, num(row.mean_col), `${at} mean`);
        expectClose(got.lpl, num(row.lpl), `${at} lpl`);
        expectClose(got.upl, num(row.upl), `${at} upl`);
        expect(got.outsideLimits, `${at} outside_limits`).toBe(bool(row.outside_limits));
        expect(got.relativeToMean, `${at} relative_to_mean`).toBe(num(row.relative_to_mean));
        expect(got.closeToLimits, `${at} close_to_limits`).toBe(bool(row.close_to_limits));
        expect(got.specialCauseType, `${at} special_cause_type`).toBe(row.special_cause_type);
        expect(got.specialCauseFlag, `${at} special_cause_flag`).toBe(bool(row.special_cause_flag));
        expect(got.pointType, `${at} point_type`).toBe(row.point_type);
        expect(got.rebaseGroup, `${at} rebase_group`).toBe(num(row.rebase_group));
        expect(got.shortGroupWarning, `${at} short_group_warning`).toBe(bool(row.short_group_warning));
        compared++;
      });

      // The package summarises each (facet, rebase group); ours is the last group's row.
      const facetRows = c.facet ? summaries.filter((row) => row.f === facet) : summaries;
      const last = facetRows[facetRows.length - 1] as Record<string, string>;
      const { summary } = result;
      expectClose(summary.mean, num(last.mean_col), `${c.name} ${facet} summary mean`);
      expectClose(summary.lpl, num(last.lpl), `${c.name} ${facet} summary lpl`);
      expectClose(summary.upl, num(last.upl), `${c.name} ${facet} summary upl`);
      expect(summary.points).toBe(num(last.n));
      expect(summary.totalPoints).toBe(want.length);
      expect(summary.commonCause).toBe(num(last.common_cause));
      expect(summary.specialCauseImprovement).toBe(num(last.special_cause_improvement));
      expect(summary.specialCauseConcern).toBe(num(last.special_cause_concern));
      expect(result.points[result.points.length - 1]?.pointType).toBe(last.variation_type);
      expect(summary.variation).toBe(variationIcon(last.variation_type as PointType, c.options.improvement));
      expect(summary.assurance).toBe(assuranceByPackage[last.assurance_type ?? 'NA']);
      if (last.rebase_group !== undefined) expect(summary.rebaseGroup).toBe(num(last.rebase_group));
    }
    expect(compared).toBe(expected.length);
  });

  it('reproduces the package snapshot and vignette figures', () => {
    const vignette = parseCsv(readFixture('10_vignette_outlier_screened_default_input.csv')).map((row) => ({
      date: row.date as string,
      value: num(row.data),
    }));
    expect(spc(computeSpc(vignette, { improvement: 'increase' })).summary.upl).toBeCloseTo(4.6, 2);
    const excel = computeSpc(vignette, { improvement: 'increase', screenOutliers: false });
    expect(spc(excel).summary.upl).toBeCloseTo(6.95, 2);
  });

  describe('rule_unit_cases.json (the package rule tests)', () => {
    const rules = hasSharedData(fixture('rule_unit_cases.json'))
      ? (JSON.parse(readFixture('rule_unit_cases.json')) as RuleCases)
      : null;
    type VectorCase = { input: number[]; expected: number[] };
    type WindowCase = { v: number[]; rtm: number[]; expected: number[] };
    interface RuleCases {
      seven_point_one_side_mean: { cases: VectorCase[] };
      part_of_seven_trend: { cases: VectorCase[] };
      seven_point_trend: { cases: VectorCase[] };
      two_in_three: { cases: WindowCase[] };
      part_of_two_in_three: { cases: WindowCase[] };
      special_cause_type_precedence: { labels: string[] };
    }
    const cases = <K extends keyof RuleCases>(key: K): RuleCases[K] => (rules as RuleCases)[key];

    it('seven points on one side of the mean', () => {
      for (const c of cases('seven_point_one_side_mean').cases) {
        expect(Array.from(sameSideRunEnds(c.input)), JSON.stringify(c.input)).toEqual(c.expected);
      }
    });

    it('part of a seven-point run', () => {
      for (const c of cases('part_of_seven_trend').cases) {
        expect(Array.from(partOfRun(c.input)), JSON.stringify(c.input)).toEqual(c.expected);
      }
    });

    it('seven-point trend', () => {
      for (const c of cases('seven_point_trend').cases) {
        expect(Array.from(trendEnds(c.input)), JSON.stringify(c.input)).toEqual(c.expected);
      }
    });

    it('two in three', () => {
      for (const c of cases('two_in_three').cases) {
        expect(Array.from(twoInThreeWindows(c.v, c.rtm)), JSON.stringify(c)).toEqual(c.expected);
      }
    });

    it('part of two in three: only the flagged points', () => {
      for (const c of cases('part_of_two_in_three').cases) {
        const windows = twoInThreeWindows(c.v, c.rtm);
        expect(Array.from(partOfTwoInThree(windows, c.v)), JSON.stringify(c)).toEqual(c.expected);
      }
    });

    it('produces exactly the package labels', () => {
      // One series that fires every rule in both directions (built in the edge cases below).
      const produced = new Set(everyLabel().flatMap((result) => types(result.points)));
      expect([...produced].sort()).toEqual([...cases('special_cause_type_precedence').labels].sort());
    });
  });
});

/** Series that between them produce every label of the package. */
function everyLabel(): Extract<SpcResult, { kind: 'spc' }>[] {
  const up = [...alternating(12, 8, 12), 30]; // Above UCL
  const down = [...alternating(12, 8, 12), -10]; // Below LCL
  const trends = [0, 8, 0, 8, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1];
  const shifts = [6, 8, 6, 8, 6, 8, 6, 4, 2, 4, 2, 4, 2, 4];
  // Limits fixed on the baseline (mean 10, AmR 2): two-sigma lines 6.45 and 13.55.
  const twoInThree = [...alternating(16, 9, 11), 13.9, 11, 13.9, 9, 6.1, 9, 6.1, 11];
  return [up, down, trends, shifts, twoInThree].map((values, i) =>
    spc(computeSpc(series(values), { improvement: 'increase', fixAfterPoints: i === 4 ? 16 : null })),
  );
}

// --- hand-written cases ----------------------------------------------------------------------------

describe('computeSpc limits', () => {
  it('needs two points', () => {
    expect(computeSpc([], { improvement: 'increase' })).toEqual({
      kind: 'insufficient-data',
      needed: 2,
      got: 0,
    });
    expect(computeSpc(series([5]), { improvement: 'increase' })).toEqual({
      kind: 'insufficient-data',
      needed: 2,
      got: 1,
    });
    expect(computeSpc(series([5, 7]), { improvement: 'increase' }).kind).toBe('spc');
  });

  it('computes mean ± 2.66 AmR and the two-sigma lines', () => {
    const { points } = spc(computeSpc(series(alternating(20, 9, 11)), { improvement: 'increase' }));
    const first = points[0] as SpcPoint;
    expect(first.mean).toBe(10);
    expect(first.upl).toBeCloseTo(10 + 2.66 * 2, 12);
    expect(first.lpl).toBeCloseTo(10 - 2.66 * 2, 12);
    expect(first.upperNear).toBeCloseTo(10 + (2 / 3) * 2.66 * 2, 12);
    expect(first.lowerNear).toBeCloseTo(10 - (2 / 3) * 2.66 * 2, 12);
    expect(nearLimitFactor).toBeCloseTo(1.7733333, 6);
    expect(limitFactor).toBe(2.66);
  });

  it('sorts by date and refuses duplicate dates', () => {
    const ordered = series([1, 2, 3, 4]);
    const shuffled = [ordered[2], ordered[0], ordered[3], ordered[1]] as SpcInputPoint[];
    const { points } = spc(computeSpc(shuffled, { improvement: 'increase' }));
    expect(points.map((p) => p.value)).toEqual([1, 2, 3, 4]);
    const duplicated = [...ordered, { date: ordered[1]!.date, value: 9 }];
    expect(() => computeSpc(duplicated, { improvement: 'increase' })).toThrow(RangeError);
  });

  it('freezes limits after fixAfterPoints, ignoring later values and moving ranges', () => {
    const values = [...alternating(12, 9, 11), 20, 21, 22];
    const fixed = spc(computeSpc(series(values), { improvement: 'increase', fixAfterPoints: 12 }));
    for (const point of fixed.points) {
      expect(point.mean).toBe(10);
      expect(point.upl).toBeCloseTo(10 + limitFactor * 2, 12);
    }
    expect(types(fixed.points).slice(12)).toEqual(['Above UCL', 'Above UCL', 'Above UCL']);
    const free = spc(computeSpc(series(values), { improvement: 'increase' }));
    expect(free.points[0]!.mean).toBeCloseTo(values.reduce((a, b) => a + b) / values.length, 12);
    expect(() => computeSpc(series(values), { improvement: 'increase', fixAfterPoints: 1 })).toThrow(
      RangeError,
    );
  });

  it('fixes limits per rebase segment', () => {
    const values = [...alternating(12, 9, 11), 50, ...alternating(12, 19, 21), 70];
    const dates = series(values);
    const result = spc(
      computeSpc(dates, { improvement: 'increase', fixAfterPoints: 12, rebaseAt: [dates[13]!.date] }),
    );
    expect(result.points[12]!.mean).toBe(10);
    expect(result.points[13]!.mean).toBe(20);
    expect(result.points[25]!.specialCauseType).toBe('Above UCL');
    expect(result.summary.mean).toBe(20);
  });

  it('screens moving ranges ≥ 3.267 AmR unless screenOutliers is false', () => {
    const values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];
    const screened = spc(computeSpc(series(values), { improvement: 'increase' }));
    const unscreened = spc(computeSpc(series(values), { improvement: 'increase', screenOutliers: false }));
    // Unscreened AmR = (15 + 8 + 9) / 17; screening drops 8 and 9, leaving fifteen ranges of 1.
    expect(unscreened.summary.upl).toBeCloseTo(35 / 18 + 2.66 * (32 / 17), 12);
    expect(screened.summary.upl).toBeCloseTo(35 / 18 + 2.66, 12);
  });

  it('rebases: each segment has its own limits and moving ranges stop at the boundary', () => {
    const values = [...alternating(14, 9, 11), ...alternating(14, 109, 111)];
    const dates = series(values);
    const result = spc(computeSpc(dates, { improvement: 'increase', rebaseAt: [dates[14]!.date] }));
    // Without the boundary the 11 → 109 range would widen the second segment's limits.
    expect(result.points[0]!.upl).toBeCloseTo(10 + 2.66 * 2, 12);
    expect(result.points[14]!.upl).toBeCloseTo(110 + 2.66 * 2, 12);
    expect(result.points.map((p) => p.rebaseGroup)).toEqual([...Array(14).fill(0), ...Array(14).fill(1)]);
    expect(result.points.every((p) => p.specialCauseType === 'Common Cause')).toBe(true);
    expect(result.summary).toMatchObject({ mean: 110, points: 14, totalPoints: 28, rebaseGroup: 1 });
  });

  it('ignores a rebase date that is not a point date, as %in% does', () => {
    const result = spc(
      computeSpc(series(alternating(14, 9, 11)), { improvement: 'increase', rebaseAt: ['2023-06-15'] }),
    );
    expect(result.points.every((p) => p.rebaseGroup === 0)).toBe(true);
  });

  it('warns of trial limits for a short segment (n < 13)', () => {
    const twelve = spc(computeSpc(series(alternating(12, 9, 11)), { improvement: 'increase' }));
    expect(twelve.points.every((p) => p.shortGroupWarning)).toBe(true);
    expect(twelve.summary.trialLimits).toBe(true);
    const thirteen = spc(computeSpc(series(alternating(13, 9, 11)), { improvement: 'increase' }));
    expect(thirteen.points.some((p) => p.shortGroupWarning)).toBe(false);
    expect(thirteen.summary.trialLimits).toBe(false);

    const dates = series(alternating(20, 9, 11));
    const rebased = spc(computeSpc(dates, { improvement: 'increase', rebaseAt: [dates[15]!.date] }));
    expect(rebased.points.slice(0, 15).some((p) => p.shortGroupWarning)).toBe(false);
    expect(rebased.points.slice(15).every((p) => p.shortGroupWarning)).toBe(true);
    expect(rebased.summary).toMatchObject({ trialLimits: true, points: 5 });
    const lenient = spc(computeSpc(dates, { improvement: 'increase', shortSegmentPoints: 5 }));
    expect(lenient.summary.trialLimits).toBe(false);
  });

  it('gives a one-point segment NaN limits without failing, as the package does', () => {
    const dates = series(alternating(14, 9, 11));
    const result = spc(computeSpc(dates, { improvement: 'increase', rebaseAt: [dates[13]!.date] }));
    const last = result.points[13] as SpcPoint;
    expect(last.mean).toBe(11);
    expect(last.upl).toBeNaN();
    expect(last).toMatchObject({
      outsideLimits: false,
      closeToLimits: false,
      specialCauseType: 'Common Cause',
    });
    expect(result.summary).toMatchObject({ trialLimits: true, points: 1, assurance: null });
  });

  it('gives a constant series NaN limits when screening, finite ones when not', () => {
    // AmR 0 makes every moving range fail mR < 3.267 · AmR, so none is left.
    const screened = spc(computeSpc(series(Array(15).fill(4)), { improvement: 'increase' }));
    expect(screened.summary.upl).toBeNaN();
    expect(screened.points.every((p) => p.specialCauseType === 'Common Cause')).toBe(true);
    const unscreened = spc(
      computeSpc(series(Array(15).fill(4)), { improvement: 'increase', screenOutliers: false }),
    );
    expect(unscreened.summary).toMatchObject({ mean: 4, lpl: 4, upl: 4 });
  });
});

describe('computeSpc rules', () => {
  it('flags points outside the limits (strictly)', () => {
    const [up, down] = everyLabel();
    expect(up!.points[12]).toMatchObject({
      specialCauseType: 'Above UCL',
      outsideLimits: true,
      relativeToMean: 1,
    });
    expect(down!.points[12]).toMatchObject({ specialCauseType: 'Below LCL', outsideLimits: true });
    expect(types(up!.points.slice(0, 12)).every((t) => t === 'Common Cause')).toBe(true);
  });

  it('finds a seven-point trend, broken by an equal value', () => {
    const base = alternating(4, 0, 8);
    const trend = spc(computeSpc(series([...base, 1, 2, 3, 4, 5, 6, 7, 0, 8]), { improvement: 'increase' }));
    expect(types(trend.points)).toEqual([
      ...Array(4).fill('Common Cause'),
      ...Array(7).fill('7 Point Trend (Increasing)'),
      'Common Cause',
      'Common Cause',
    ]);
    const tie = spc(computeSpc(series([...base, 1, 2, 3, 3, 4, 5, 6, 0, 8]), { improvement: 'increase' }));
    expect(tie.points.every((p) => p.specialCauseType === 'Common Cause')).toBe(true);
  });

  it('labels a point shared by two trends from the right-hand one', () => {
    const [, , trends] = everyLabel();
    expect(types(trends!.points)).toEqual([
      ...Array(4).fill('Common Cause'),
      ...Array(6).fill('7 Point Trend (Increasing)'),
      ...Array(7).fill('7 Point Trend (Decreasing)'), // the peak takes the falling step to its right
    ]);
  });

  it('finds six-point trends and shifts with runLength 6', () => {
    const values = [6, 14, 6, 14, 6, 14, 8, 9, 10, 11, 12, 13, 6, 14, 6, 14];
    const seven = spc(computeSpc(series(values), { improvement: 'increase' }));
    expect(seven.points.every((p) => p.specialCauseType === 'Common Cause')).toBe(true);
    const six = spc(computeSpc(series(values), { improvement: 'increase', runLength: 6 }));
    expect(types(six.points)).toEqual([
      ...Array(6).fill('Common Cause'),
      ...Array(6).fill('6 Point Trend (Increasing)'),
      ...Array(4).fill('Common Cause'),
    ]);

    const shift = [...alternating(8, 6, 8), ...alternating(6, 4, 2), 6, 8, 6];
    const sevenShift = spc(computeSpc(series(shift), { improvement: 'increase' }));
    expect(types(sevenShift.points).slice(0, 8)).toEqual(Array(8).fill('7 Points Above CL'));
    expect(types(sevenShift.points).slice(8, 14)).toEqual(Array(6).fill('Common Cause'));
    const sixShift = spc(computeSpc(series(shift), { improvement: 'increase', runLength: 6 }));
    expect(types(sixShift.points).slice(8, 14)).toEqual(Array(6).fill('6 Points Below CL'));
    expect(sixShift.points[9]!.pointType).toBe('special_cause_concern');
  });

  it('finds seven points on one side; a point exactly on the mean breaks the run', () => {
    const [, , , shifts] = everyLabel();
    expect(types(shifts!.points)).toEqual([
      ...Array(7).fill('7 Points Above CL'),
      ...Array(7).fill('7 Points Below CL'),
    ]);

    // Mean exactly 5: the 5 at index 4 splits seven points above into four and three.
    const broken = spc(
      computeSpc(series([6, 8, 6, 8, 5, 6, 8, 6, 4, 2, 4, 2, 4, 2, 4]), { improvement: 'increase' }),
    );
    expect(broken.points[4]).toMatchObject({ mean: 5, relativeToMean: 0 });
    expect(types(broken.points)).toEqual([
      ...Array(8).fill('Common Cause'),
      ...Array(7).fill('7 Points Below CL'),
    ]);
  });

  it('flags only the near-limit points of a two-in-three window on one side', () => {
    const [, , , , twoInThree] = everyLabel();
    const points = twoInThree!.points;
    expect(points[16]).toMatchObject({ closeToLimits: true, specialCauseType: '2 in 3 Above CL' });
    expect(points[17]!.specialCauseType).toBe('Common Cause');
    expect(points[18]!.specialCauseType).toBe('2 in 3 Above CL');
    expect(points[20]!.specialCauseType).toBe('2 in 3 Below CL');
    expect(points[22]!.specialCauseType).toBe('2 in 3 Below CL');
    expect(points[22]!.pointType).toBe('special_cause_concern');
  });

  it("counts a point beyond the limits towards 2-of-3 only with 'beyond-two-sigma'", () => {
    // Mean 10, AmR 2 from the baseline: limits 4.68–15.32, two-sigma lines 6.45–13.55.
    const values = [...alternating(30, 9, 11), 16, 14, 11, ...alternating(6, 9, 11)];
    const options: SpcOptions = { improvement: 'increase', fixAfterPoints: 30 };
    const package022 = spc(computeSpc(series(values), options));
    expect(package022.points[30]).toMatchObject({ outsideLimits: true, specialCauseType: 'Above UCL' });
    expect(package022.points[31]).toMatchObject({ closeToLimits: true, specialCauseType: 'Common Cause' });
    const explicit = spc(computeSpc(series(values), { ...options, twoInThree: 'between-limits' }));
    expect(types(explicit.points)).toEqual(types(package022.points));

    const mdc = spc(computeSpc(series(values), { ...options, twoInThree: 'beyond-two-sigma' }));
    expect(mdc.points[30]!.specialCauseType).toBe('Above UCL');
    expect(mdc.points[31]).toMatchObject({ closeToLimits: true, specialCauseType: '2 in 3 Above CL' });
    expect(mdc.points[32]!.specialCauseType).toBe('Common Cause');
  });

  it('applies precedence outside > trend > 2-of-3 > shift', () => {
    // Mean 10, AmR 2 (fixed on the baseline): limits 4.68–15.32, two-sigma lines 6.45–13.55.
    const values = [
      ...alternating(20, 9, 11),
      10.5,
      11,
      11.5,
      12,
      14,
      15,
      16, // a trend, all above the mean, two near-limit points, the last outside
      14,
      11,
      14,
      11,
      12,
      11,
      12, // seven above the mean with a 2-of-3 window in it
    ];
    const { points } = spc(computeSpc(series(values), { improvement: 'increase', fixAfterPoints: 20 }));
    expect(types(points.slice(20))).toEqual([
      ...Array(6).fill('7 Point Trend (Increasing)'),
      'Above UCL', // outside beats the trend it ends
      '2 in 3 Above CL', // 14: in a 2-of-3 window and in the shift
      '7 Points Above CL',
      '2 in 3 Above CL',
      ...Array(4).fill('7 Points Above CL'),
    ]);
    // 14 and 15 are near the limits inside the trend, and stay trend points.
    expect(points[24]).toMatchObject({ closeToLimits: true, specialCauseType: '7 Point Trend (Increasing)' });
  });
});

describe('point types and icons', () => {
  const values = [...alternating(12, 8, 12), 30, ...alternating(4, 8, 12), -10];

  it('colours by improvement direction', () => {
    const increase = spc(computeSpc(series(values), { improvement: 'increase' }));
    expect(increase.points[12]!.pointType).toBe('special_cause_improvement');
    expect(increase.points[17]!.pointType).toBe('special_cause_concern');
    expect(increase.points[0]!.pointType).toBe('common_cause');
    expect(increase.summary.variation).toBe('concern_low');

    const decrease = spc(computeSpc(series(values), { improvement: 'decrease' }));
    expect(decrease.points[12]!.pointType).toBe('special_cause_concern');
    expect(decrease.points[17]!.pointType).toBe('special_cause_improvement');
    expect(decrease.summary.variation).toBe('improvement_low');
  });

  it('colours neutral special causes high and low', () => {
    const neutral = spc(computeSpc(series(values), { improvement: 'neutral', target: 5 }));
    expect(neutral.points[12]).toMatchObject({
      pointType: 'special_cause_neutral_high',
      specialCauseFlag: true,
    });
    expect(neutral.points[17]!.pointType).toBe('special_cause_neutral_low');
    expect(neutral.summary).toMatchObject({ variation: 'neutral_low', assurance: null });
    const high = spc(computeSpc(series([...alternating(12, 8, 12), 30]), { improvement: 'neutral' }));
    expect(high.summary.variation).toBe('neutral_high');
  });

  it('maps every point type to its icon', () => {
    expect(variationIcon('common_cause', 'increase')).toBe('common_cause');
    expect(variationIcon('special_cause_improvement', 'increase')).toBe('improvement_high');
    expect(variationIcon('special_cause_improvement', 'decrease')).toBe('improvement_low');
    expect(variationIcon('special_cause_concern', 'increase')).toBe('concern_low');
    expect(variationIcon('special_cause_concern', 'decrease')).toBe('concern_high');
    expect(variationIcon('special_cause_neutral_high', 'neutral')).toBe('neutral_high');
    expect(variationIcon('special_cause_neutral_low', 'neutral')).toBe('neutral_low');
  });

  it('judges assurance against the last limits, a target on a limit being inconsistent', () => {
    const base = spc(computeSpc(series(alternating(20, 9, 11)), { improvement: 'increase' })).summary;
    const at = (target: number | null, improvement: SpcOptions['improvement']) =>
      spc(computeSpc(series(alternating(20, 9, 11)), { improvement, target })).summary.assurance;
    expect(at(base.upl, 'increase')).toBe('inconsistent');
    expect(at(base.lpl, 'decrease')).toBe('inconsistent');
    expect(at(10, 'increase')).toBe('inconsistent');
    expect(at(base.upl + 0.01, 'increase')).toBe('fail');
    expect(at(base.upl + 0.01, 'decrease')).toBe('pass');
    expect(at(base.lpl - 0.01, 'increase')).toBe('pass');
    expect(at(base.lpl - 0.01, 'decrease')).toBe('fail');
    expect(at(null, 'increase')).toBeNull();
    expect(at(20, 'neutral')).toBeNull();
    expect(assuranceIcon(1, 'increase', NaN, NaN)).toBe('inconsistent');
  });
});
