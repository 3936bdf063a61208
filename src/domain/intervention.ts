import { z } from 'zod';
import { statutoryFunctions, type StatutoryFunction } from './access.js';
import { isIsoDate, type IsoDate } from './iso-date.js';
import { isPeriodStart } from './period.js';

/**
 * One register of support and regulatory interventions. Each names the signal in the data that
 * triggered it — an SPC special cause, a change of oversight segment, a plan gap, a standard not met —
 * so the chain from a figure to the action taken can be walked both ways. Interventions exercised under
 * a statutory function carry its tag, and the access policy hides them from anyone without a grant for
 * it. Pure: the service checks that the signal is real before an intervention is recorded.
 */

export const interventionKinds = [
  'enhanced-oversight',
  'intensive-support',
  'enforcement-undertakings',
  'special-measures',
  'improvement-support',
  'licence-conditions',
] as const;
export type InterventionKind = (typeof interventionKinds)[number];

export const interventionKindLabels: Record<InterventionKind, string> = {
  'enhanced-oversight': 'Enhanced oversight',
  'intensive-support': 'Intensive support (segment 5, Recovery Support Programme)',
  'enforcement-undertakings': 'Enforcement undertakings',
  'special-measures': 'Special measures',
  'improvement-support': 'Improvement support',
  'licence-conditions': 'Additional licence conditions',
};

/**
 * Undertakings and licence conditions are taken under the provider licence, an NHS Improvement function
 * the seeds keep distinct: they must carry its tag, so only people granted it see them.
 */
export const requiredFunction: Partial<Record<InterventionKind, StatutoryFunction>> = {
  'enforcement-undertakings': 'provider-licensing',
  'licence-conditions': 'provider-licensing',
};

export const signalKinds = ['spc-special-cause', 'segment-change', 'plan-gap', 'missed-standard'] as const;
export type SignalKind = (typeof signalKinds)[number];

export const signalKindLabels: Record<SignalKind, string> = {
  'spc-special-cause': 'SPC special cause',
  'segment-change': 'Change of oversight segment',
  'plan-gap': 'Gap in the system plan',
  'missed-standard': 'Standard not met',
};

const isoDate = (what: string) =>
  z.string().refine(isIsoDate, { message: `enter ${what} as a real date, YYYY-MM-DD` });
const code = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, `enter the code of the ${what}`);
const text = (what: string, max = 2000) =>
  z.string().trim().min(1, `enter ${what}`).max(max, `${what} must be ${max} characters or fewer`);

/** What triggered an intervention, as the person recording it names it. */
export const signalInputSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('spc-special-cause'),
      metric: code('metric'),
      period: isoDate('the month of the signal').refine((d) => isPeriodStart('month', d), {
        message: 'enter the first day of the month the signal is in',
      }),
    }),
    z.strictObject({
      kind: z.literal('segment-change'),
      // None named: the methodology for the kind of organisation (trusts 2025/26, ICBs 2026/27).
      methodology: code('oversight methodology').nullable().default(null),
      quarter: isoDate('the quarter').refine((d) => isPeriodStart('quarter', d), {
        message: 'enter the first day of the quarter (1 April, 1 July, 1 October or 1 January)',
      }),
    }),
    z.strictObject({ kind: z.literal('plan-gap'), round: code('planning round') }),
    z.strictObject({ kind: z.literal('missed-standard'), standard: code('standard') }),
  ],
  { error: () => `choose what triggered the intervention: ${signalKinds.join(', ')}` },
);
export type SignalInput = z.output<typeof signalInputSchema>;

/** The signal as stored: what was named, and what the data showed when the intervention was recorded. */
export type StoredSignal = SignalInput & { summary: string; observed: Record<string, unknown> };

export const actionInputSchema = z.strictObject({
  description: text('what the action is', 500),
  owner: text('who owns the action', 200),
  due: isoDate('the due date'),
});

export const interventionInputSchema = z
  .strictObject({
    organisation: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{2,10}$/, 'enter the ODS code of the organisation'),
    kind: z.enum(interventionKinds, {
      error: () => `choose the kind of intervention: ${interventionKinds.join(', ')}`,
    }),
    title: text('a title', 200),
    owner: text('the owner (a named person or post)', 200),
    statutoryFunction: z
      .enum(statutoryFunctions, { error: () => `choose one of: ${statutoryFunctions.join(', ')}` })
      .nullable()
      .default(null),
    signal: signalInputSchema,
    openedOn: isoDate('the date it starts'),
    nextReview: isoDate('the next review date'),
    exitCriteria: text('the exit criteria'),
    programme: code('programme').nullable().default(null),
    actions: z.array(actionInputSchema).max(50, 'record at most 50 actions at once').default([]),
  })
  .superRefine((input, ctx) => {
    if (input.nextReview < input.openedOn)
      ctx.addIssue({
        code: 'custom',
        path: ['nextReview'],
        message: 'the next review must be on or after the date the intervention starts',
      });
    const required = requiredFunction[input.kind];
    if (required && input.statutoryFunction !== required)
      ctx.addIssue({
        code: 'custom',
        path: ['statutoryFunction'],
        message: `${interventionKindLabels[input.kind]} are taken under ${required}: tag the intervention with it`,
      });
  });
export type InterventionInput = z.output<typeof interventionInputSchema>;

export const reviewInputSchema = z.strictObject({
  reviewedOn: isoDate('the date of the review'),
  outcome: text('the outcome of the review'),
  nextReview: isoDate('the next review date').nullable().default(null),
});
export type ReviewInput = z.output<typeof reviewInputSchema>;

export const exitInputSchema = z.strictObject({
  closedOn: isoDate('the date it ended'),
  reason: text('how the exit criteria were met, or why it ended', 2000),
});
export type ExitInput = z.output<typeof exitInputSchema>;

/** A review needs a next date unless the intervention is being ended with it. */
export function checkReview(
  review: ReviewInput,
  openedOn: IsoDate,
): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (review.reviewedOn < openedOn)
    problems.push({
      field: 'reviewedOn',
      message: `a review cannot be before the intervention started (${openedOn})`,
    });
  if (review.nextReview !== null && review.nextReview <= review.reviewedOn)
    problems.push({ field: 'nextReview', message: 'the next review must be after this one' });
  return problems;
}

/** An action is overdue when its due date has passed and it is not done. */
export function isOverdue(action: { due: IsoDate; doneOn: IsoDate | null }, today: IsoDate): boolean {
  return action.doneOn === null && action.due < today;
}
