import { describe, expect, it } from 'vitest';
import {
  compareFlows,
  planSurplus,
  revisionImpact,
  systemPosition,
  varianceSeries,
  type MemberPlan,
  type PlanFlow,
} from './planning.js';

/**
 * The worked example of issue 8: three trusts and their ICB, in £000s. Each figure below was worked by
 * hand; the monthly trajectories are the annual figures spread evenly.
 */
const monthly = (annual: number) => Array.from({ length: 12 }, () => annual / 12);
const plan = (
  odsCode: string,
  party: MemberPlan['party'],
  finance: { income: number; pay: number; nonPay: number },
  spells: number,
  flows: PlanFlow[],
): MemberPlan => ({
  odsCode,
  name: `Org ${odsCode}`,
  party,
  content: {
    values: {
      fin_income: monthly(finance.income),
      fin_pay_expenditure: monthly(finance.pay),
      fin_non_pay_expenditure: monthly(finance.nonPay),
      ...(party === 'provider' ? { elective_spells: monthly(spells) } : {}),
    },
    flows,
  },
});
const acute = (counterparty: string, activity: number, price: number): PlanFlow => ({
  counterparty,
  serviceLine: 'Acute services',
  activity,
  price,
});

// T1 +2,000; T2 −3,000; T3 +1,000; the ICB breaks even. T3 expects £48,000k from the ICB (8,000 × 6), the
// ICB plans to pay it £46,000k (8,000 × 5.75): £2,000k of T3's income is not funded.
const t1 = plan('T1', 'provider', { income: 120_000, pay: 80_000, nonPay: 38_000 }, 12_000, [
  acute('Q1', 12_000, 8),
]);
const t2 = plan('T2', 'provider', { income: 90_000, pay: 60_000, nonPay: 33_000 }, 10_000, [
  acute('Q1', 10_000, 7.5),
]);
const t3 = plan('T3', 'provider', { income: 60_000, pay: 40_000, nonPay: 19_000 }, 8_000, [
  acute('Q1', 8_000, 6),
]);
const icb = plan('Q1', 'commissioner', { income: 250_000, pay: 0, nonPay: 250_000 }, 0, [
  acute('T1', 12_000, 8),
  acute('T2', 10_000, 7.5),
  acute('T3', 8_000, 5.75),
]);
const envelope = {
  controlTotal: 0,
  activity: [{ item: 'elective_spells', quantity: 30_000, unitCost: 3.5 }],
};

describe('planning: the system against its envelope', () => {
  it('adds members up with money between them counted once, and finds the gap and its drivers', () => {
    expect([t1, t2, t3, icb].map((p) => Math.round(planSurplus(p.content)))).toEqual([2000, -3000, 1000, 0]);
    const position = systemPosition([t1, t2, t3, icb], envelope);
    expect(position).toMatchObject({
      membersSurplus: 0,
      unfundedInternalIncome: 2000,
      consolidatedSurplus: -2000,
      shortfallCost: 0,
      position: -2000,
      gap: -2000,
      affordable: false,
    });
    expect(position.drivers.map((d) => [d.kind, d.subject, d.amount])).toEqual([
      ['deficit', 'T2', 3000],
      ['unfunded-income', 'T3→Q1', 2000],
    ]);
  });

  it('lists what a provider and its commissioner planned differently for the same services', () => {
    const mismatches = compareFlows([t1, t2, t3, icb]).filter((f) => !f.matched);
    expect(mismatches).toEqual([
      {
        provider: 'T3',
        commissioner: 'Q1',
        serviceLine: 'Acute services',
        providerPlan: { activity: 8000, value: 48000 },
        commissionerPlan: { activity: 8000, value: 46000 },
        difference: 2000,
        matched: false,
      },
    ]);
  });

  it('flags a revision that helps its trust but worsens the system', () => {
    // T1 plans 1,000 fewer elective spells and £2,000k less non-pay: its surplus rises to £4,000k, but the
    // system must buy the 1,000 spells elsewhere at £3.5k each (£3,500k): the system falls by £1,500k.
    const revised = plan('T1', 'provider', { income: 120_000, pay: 80_000, nonPay: 36_000 }, 11_000, [
      acute('Q1', 12_000, 8),
    ]);
    const impact = revisionImpact(t1, revised, [t2, t3, icb], envelope);
    expect(impact.organisation).toEqual({ before: 2000, after: 4000, change: 2000 });
    expect(impact.system.before).toBeCloseTo(-2000, 6);
    expect(impact.system.after).toBeCloseTo(-3500, 6);
    expect(impact.flagged).toBe(true);
    expect(impact.explanation).toMatch(
      /improves Org T1's position by \+£2,000k but worsens the system's by −£1,500k/,
    );
    // A saving that keeps the activity helps both: not flagged.
    const efficient = plan('T1', 'provider', { income: 120_000, pay: 80_000, nonPay: 37_000 }, 12_000, [
      acute('Q1', 12_000, 8),
    ]);
    expect(revisionImpact(t1, efficient, [t2, t3, icb], envelope)).toMatchObject({
      flagged: false,
      system: { change: 1000 },
    });
  });

  it('sets actuals beside the plan month by month', () => {
    const months = ['2026-04-01', '2026-05-01', '2026-06-01'];
    expect(
      varianceSeries(
        months,
        [100, 100, null],
        new Map([
          ['2026-04-01', 90],
          ['2026-06-01', 5],
        ]),
      ),
    ).toEqual([
      { month: '2026-04-01', plan: 100, actual: 90, variance: -10, variancePercent: -10 },
      { month: '2026-05-01', plan: 100, actual: null, variance: null, variancePercent: null },
      { month: '2026-06-01', plan: null, actual: 5, variance: null, variancePercent: null },
    ]);
  });
});
