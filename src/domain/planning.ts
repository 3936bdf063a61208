import { z } from 'zod';
import type { OrganisationKind } from './organisation.js';

/**
 * One financial and operational planning process. Each organisation plans monthly trajectories of data
 * items for a financial year (activity, performance, workforce, finance) and, between providers and
 * commissioners, the services and costs they agree. A system's plan is its members' plans together, with
 * money that moves between members counted once; it is affordable when it reaches the ICB's envelope (its
 * control total) after paying for any activity the system expects but its members do not plan to deliver.
 * Pure: the service supplies the plans.
 */

/** Months of a plan: April to March of its financial year. */
export const planMonths = 12;

/** The finance items a plan's surplus (deficit) is read from, in £000s. */
export const planFinanceItems = {
  income: 'fin_income',
  pay: 'fin_pay_expenditure',
  nonPay: 'fin_non_pay_expenditure',
} as const;

const trajectory = z
  .array(z.number().finite().nullable())
  .length(planMonths, `give ${planMonths} monthly values, April to March (null for a month not planned)`);

export const planFlowSchema = z.strictObject({
  /** The other party: the commissioner a provider expects income from, or the provider a commissioner pays. */
  counterparty: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{2,10}$/, 'enter the ODS code of the other organisation'),
  serviceLine: z.string().trim().min(1, 'name the service line').max(120),
  /** Units of activity a year (spells, attendances, sessions). */
  activity: z.number().finite().min(0, 'activity cannot be negative'),
  /** Price per unit, in £000s. */
  price: z.number().finite().min(0, 'a price cannot be negative'),
});
export type PlanFlow = z.output<typeof planFlowSchema>;

export const planContentSchema = z.strictObject({
  /** Monthly trajectories by data item code. */
  values: z.record(z.string(), trajectory),
  flows: z.array(planFlowSchema).max(500).default([]),
});
export type PlanContent = z.output<typeof planContentSchema>;

export const envelopeSchema = z.strictObject({
  /** The surplus (deficit, negative) in £000s the system's plans must reach together. */
  controlTotal: z.number().finite(),
  /** Activity the system expects its members to deliver in the year, and what a unit costs if bought elsewhere. */
  activity: z
    .array(
      z.strictObject({
        item: z.string().min(1),
        quantity: z.number().finite().min(0),
        unitCost: z.number().finite().min(0).describe('£000s per unit bought outside the system'),
      }),
    )
    .default([]),
});
export type Envelope = z.output<typeof envelopeSchema>;

export type PlanParty = 'provider' | 'commissioner';

/** Providers expect income from flows; commissioners pay them. */
export function partyOf(kind: OrganisationKind | string): PlanParty {
  return kind === 'icb' || kind === 'ccg' || kind === 'stp' ? 'commissioner' : 'provider';
}

export interface MemberPlan {
  odsCode: string;
  name: string;
  party: PlanParty;
  content: PlanContent;
}

export function annualTotal(values: ReadonlyArray<number | null> | undefined): number {
  return (values ?? []).reduce<number>((sum, v) => sum + (v ?? 0), 0);
}

/** A plan's annual surplus (deficit, negative): income less pay and non-pay, in £000s. */
export function planSurplus(content: PlanContent): number {
  return (
    annualTotal(content.values[planFinanceItems.income]) -
    annualTotal(content.values[planFinanceItems.pay]) -
    annualTotal(content.values[planFinanceItems.nonPay])
  );
}

const flowValue = (flow: PlanFlow) => flow.activity * flow.price;

export interface FlowComparison {
  provider: string;
  commissioner: string;
  serviceLine: string;
  providerPlan: { activity: number; value: number } | null;
  commissionerPlan: { activity: number; value: number } | null;
  /** Provider's value less the commissioner's (£000s): income the provider counts that is not funded. */
  difference: number;
  matched: boolean;
}

const pairKey = (provider: string, commissioner: string, line: string) =>
  `${provider}|${commissioner}|${line.trim().toLowerCase()}`;

/**
 * What each provider planned to earn from each commissioner beside what the commissioner planned to pay it,
 * by service line, among the plans given. Unmatched: the activity or value differs, or one side has none.
 */
export function compareFlows(plans: readonly MemberPlan[]): FlowComparison[] {
  const rows = new Map<string, FlowComparison>();
  const entry = (provider: string, commissioner: string, serviceLine: string) => {
    const key = pairKey(provider, commissioner, serviceLine);
    let row = rows.get(key);
    if (!row) {
      row = {
        provider,
        commissioner,
        serviceLine: serviceLine.trim(),
        providerPlan: null,
        commissionerPlan: null,
        difference: 0,
        matched: false,
      };
      rows.set(key, row);
    }
    return row;
  };
  const add = (side: { activity: number; value: number } | null, flow: PlanFlow) => ({
    activity: (side?.activity ?? 0) + flow.activity,
    value: (side?.value ?? 0) + flowValue(flow),
  });
  for (const plan of plans)
    for (const flow of plan.content.flows) {
      if (plan.party === 'provider') {
        const row = entry(plan.odsCode, flow.counterparty, flow.serviceLine);
        row.providerPlan = add(row.providerPlan, flow);
      } else {
        const row = entry(flow.counterparty, plan.odsCode, flow.serviceLine);
        row.commissionerPlan = add(row.commissionerPlan, flow);
      }
    }
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  return [...rows.values()]
    .map((row) => {
      const difference = (row.providerPlan?.value ?? 0) - (row.commissionerPlan?.value ?? 0);
      const matched =
        row.providerPlan !== null &&
        row.commissionerPlan !== null &&
        close(row.providerPlan.activity, row.commissionerPlan.activity) &&
        close(difference, 0);
      return { ...row, difference, matched };
    })
    .sort(
      (a, b) =>
        Number(a.matched) - Number(b.matched) ||
        Math.abs(b.difference) - Math.abs(a.difference) ||
        pairKey(a.provider, a.commissioner, a.serviceLine).localeCompare(
          pairKey(b.provider, b.commissioner, b.serviceLine),
        ),
    );
}

export interface SystemDriver {
  kind: 'deficit' | 'unfunded-income' | 'activity-shortfall';
  /** The organisation (or pair) or item behind it. */
  subject: string;
  /** £000s it takes from the system's position (positive = worse). */
  amount: number;
  description: string;
}

export interface SystemPosition {
  /** Members' planned surpluses added up. */
  membersSurplus: number;
  /** Income providers count from commissioners in the system beyond what those commissioners plan to pay. */
  unfundedInternalIncome: number;
  /** Members' surpluses with money moving between them counted once (at the commissioner's plan). */
  consolidatedSurplus: number;
  activity: Array<{ item: string; expected: number; planned: number; shortfall: number; cost: number }>;
  /** What buying the shortfall of expected activity outside the system would cost. */
  shortfallCost: number;
  /** The system's planned position: consolidated surplus less the shortfall's cost. */
  position: number;
  controlTotal: number;
  /** Position against the control total: below zero, the plans are not affordable within the envelope. */
  gap: number;
  affordable: boolean;
  /** What makes the gap, largest first. */
  drivers: SystemDriver[];
}

/**
 * The system's plan against its envelope. Money between members is counted once: a provider's planned
 * income from a commissioner in the same system counts only as far as that commissioner plans to pay it.
 * Activity the envelope expects beyond what members plan is bought elsewhere at its unit cost.
 */
export function systemPosition(plans: readonly MemberPlan[], envelope: Envelope): SystemPosition {
  const members = new Set(plans.map((p) => p.odsCode));
  const membersSurplus = plans.reduce((sum, p) => sum + planSurplus(p.content), 0);
  const internal = compareFlows(plans).filter((f) => members.has(f.provider) && members.has(f.commissioner));
  // Prudent: income a provider expects beyond what its commissioner plans to pay is taken off (no money stands
  // behind it), but a commissioner budgeting more than its provider expects is not counted as money the system
  // has — the provider's own income plan, not its flows, says what it will earn.
  const unfunded = internal.filter((f) => f.difference > 0);
  const unfundedInternalIncome = unfunded.reduce((sum, f) => sum + f.difference, 0);
  const activity = envelope.activity.map((expectation) => {
    const planned = plans.reduce((sum, p) => sum + annualTotal(p.content.values[expectation.item]), 0);
    const shortfall = Math.max(0, expectation.quantity - planned);
    return {
      item: expectation.item,
      expected: expectation.quantity,
      planned,
      shortfall,
      cost: shortfall * expectation.unitCost,
    };
  });
  const shortfallCost = activity.reduce((sum, a) => sum + a.cost, 0);
  const consolidatedSurplus = membersSurplus - unfundedInternalIncome;
  const position = consolidatedSurplus - shortfallCost;
  const gap = position - envelope.controlTotal;
  const drivers: SystemDriver[] = [
    ...plans
      .map((p) => ({ p, surplus: planSurplus(p.content) }))
      .filter(({ surplus }) => surplus < 0)
      .map(({ p, surplus }) => ({
        kind: 'deficit' as const,
        subject: p.odsCode,
        amount: -surplus,
        description: `${p.name} (${p.odsCode}) plans a deficit of £${formatThousands(-surplus)}k`,
      })),
    ...unfunded.map((f) => ({
      kind: 'unfunded-income' as const,
      subject: `${f.provider}→${f.commissioner}`,
      amount: f.difference,
      description: `${f.provider} plans £${formatThousands(f.difference)}k more income for ${f.serviceLine} than ${f.commissioner} plans to pay`,
    })),
    ...activity
      .filter((a) => a.shortfall > 0)
      .map((a) => ({
        kind: 'activity-shortfall' as const,
        subject: a.item,
        amount: a.cost,
        description: `Members plan ${formatThousands(a.planned)} of the ${formatThousands(a.expected)} ${a.item} the system expects; buying the ${formatThousands(a.shortfall)} short elsewhere costs £${formatThousands(a.cost)}k`,
      })),
  ].sort((a, b) => b.amount - a.amount || a.subject.localeCompare(b.subject));
  return {
    membersSurplus,
    unfundedInternalIncome,
    consolidatedSurplus,
    activity,
    shortfallCost,
    position,
    controlTotal: envelope.controlTotal,
    gap,
    affordable: gap >= -1e-9,
    drivers,
  };
}

export interface RevisionImpact {
  organisation: { before: number; after: number; change: number };
  system: { before: number; after: number; change: number };
  /** Better for the organisation, worse for its system: the revision the seeds ask organisations not to make. */
  flagged: boolean;
  explanation: string;
}

/** The change a revised plan makes to its organisation's surplus and to its system's position. */
export function revisionImpact(
  before: MemberPlan,
  after: MemberPlan,
  others: readonly MemberPlan[],
  envelope: Envelope,
): RevisionImpact {
  const own = { before: planSurplus(before.content), after: planSurplus(after.content) };
  const system = {
    before: systemPosition([...others, before], envelope).position,
    after: systemPosition([...others, after], envelope).position,
  };
  const ownChange = own.after - own.before;
  const systemChange = system.after - system.before;
  const flagged = ownChange > 1e-9 && systemChange < -1e-9;
  const signed = (n: number) => `${n >= 0 ? '+' : '−'}£${formatThousands(Math.abs(n))}k`;
  return {
    organisation: { ...own, change: ownChange },
    system: { ...system, change: systemChange },
    flagged,
    explanation: flagged
      ? `This revision improves ${after.name}'s position by ${signed(ownChange)} but worsens the system's by ${signed(systemChange)}.`
      : `${after.name}: ${signed(ownChange)}; the system: ${signed(systemChange)}.`,
  };
}

function formatThousands(n: number): string {
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(n);
}

export interface PlanVariance {
  month: string;
  plan: number | null;
  actual: number | null;
  /** Actual less plan; null when either is missing. */
  variance: number | null;
  variancePercent: number | null;
}

/** Month by month, what was planned beside what happened. */
export function varianceSeries(
  months: readonly string[],
  plan: ReadonlyArray<number | null>,
  actual: ReadonlyMap<string, number>,
): PlanVariance[] {
  return months.map((month, i) => {
    const p = plan[i] ?? null;
    const a = actual.get(month) ?? null;
    const variance = p === null || a === null ? null : a - p;
    return {
      month,
      plan: p,
      actual: a,
      variance,
      variancePercent: variance === null || p === null || p === 0 ? null : (variance / Math.abs(p)) * 100,
    };
  });
}

/** A planning round: the year, what each kind of organisation plans, and when. */
export const roundInputSchema = z
  .strictObject({
    code: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'use lower-case letters, digits and hyphens, such as 2026-27'),
    name: z.string().trim().min(1, 'enter a name').max(200),
    yearStart: z.iso
      .date('enter the first day of the financial year, like 2026-04-01')
      .refine((d) => d.endsWith('-04-01'), 'a financial year starts on 1 April'),
    guidance: z.string().max(20_000).default(''),
    /** The data items each kind of organisation plans, by organisation kind. */
    items: z
      .record(z.string(), z.array(z.string().min(1)).min(1, 'list at least one item'))
      .refine((r) => Object.keys(r).length > 0, 'name at least one kind of organisation and its items'),
    opens: z.iso.date(),
    deadline: z.iso.date(),
    closes: z.iso.date(),
  })
  .superRefine((r, ctx) => {
    if (r.deadline < r.opens)
      ctx.addIssue({
        code: 'custom',
        path: ['deadline'],
        message: 'the deadline cannot come before the round opens',
      });
    if (r.closes < r.deadline)
      ctx.addIssue({
        code: 'custom',
        path: ['closes'],
        message: 'the round cannot close before its deadline',
      });
  });
export type RoundInput = z.input<typeof roundInputSchema>;

export interface PlanningRound {
  code: string;
  name: string;
  yearStart: string;
  guidance: string;
  items: Record<string, string[]>;
  opens: string;
  deadline: string;
  closes: string;
}

/** The first day of each month of a round's year, April to March. */
export function roundMonths(yearStart: string): string[] {
  const [year = 0] = yearStart.split('-').map(Number);
  return Array.from({ length: planMonths }, (_, i) => {
    const month = ((3 + i) % 12) + 1;
    const y = year + (i >= 9 ? 1 : 0);
    return `${y}-${String(month).padStart(2, '0')}-01`;
  });
}
