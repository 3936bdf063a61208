import { z } from 'zod';
import { AppError, conflict, invalidInput } from './errors.js';
import { isIsoDate, type IsoDate } from './iso-date.js';
import type { Polarity } from './metric.js';

/**
 * National programmes: one lifecycle for every programme (proposed → established → in delivery → under
 * review → closed), what it covers, the metrics it moves with their dated trajectories, the regions' and
 * ICBs' contributions, milestones and reviews. Pure: the service supplies stored programmes and figures.
 */

export const programmeStages = ['proposed', 'established', 'in-delivery', 'under-review', 'closed'] as const;
export type ProgrammeStage = (typeof programmeStages)[number];

export const programmeStageLabels: Record<ProgrammeStage, string> = {
  proposed: 'Proposed',
  established: 'Established',
  'in-delivery': 'In delivery',
  'under-review': 'Under review',
  closed: 'Closed',
};

/**
 * The moves the lifecycle allows. A proposal not taken forward closes; a review either sends the
 * programme back into delivery (continue, or change course) or closes it; closed is final.
 */
const allowedMoves: Record<ProgrammeStage, readonly ProgrammeStage[]> = {
  proposed: ['established', 'closed'],
  established: ['in-delivery'],
  'in-delivery': ['under-review'],
  'under-review': ['in-delivery', 'closed'],
  closed: [],
};

export function nextStages(stage: ProgrammeStage): readonly ProgrammeStage[] {
  return allowedMoves[stage];
}

export function isProgrammeStage(value: string): value is ProgrammeStage {
  return (programmeStages as readonly string[]).includes(value);
}

const stageWords = (stage: ProgrammeStage) => programmeStageLabels[stage].toLowerCase();

function listWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export interface StageMove {
  from: ProgrammeStage;
  to: ProgrammeStage;
  reason: string;
}

export const maxReasonLength = 2000;

/**
 * One move of the lifecycle: refused (conflict) when the lifecycle does not allow it from where the
 * programme stands, with the moves it does allow; a reason is always required.
 */
export function moveStage(
  from: ProgrammeStage,
  to: ProgrammeStage,
  reason: string | null | undefined,
): StageMove {
  const text = (reason ?? '').trim();
  if (!text)
    throw invalidInput('Say why the programme is moving stage.', [
      { field: 'reason', message: 'Enter the reason for the move: every stage change is recorded with why' },
    ]);
  if (text.length > maxReasonLength)
    throw invalidInput('The reason is too long.', [
      { field: 'reason', message: `Enter a reason of ${maxReasonLength} characters or fewer` },
    ]);
  if (from === to) throw conflict(`The programme is already ${stageWords(from)}.`);
  const allowed = allowedMoves[from];
  if (allowed.length === 0)
    throw conflict(
      'The programme is closed, and a closed programme cannot move stage. Propose a new programme instead.',
    );
  if (!allowed.includes(to))
    throw conflict(
      `A programme that is ${stageWords(from)} can move only to ${listWords(allowed.map(stageWords))}, not to ${stageWords(to)}.` +
        (to === 'in-delivery' && from === 'proposed' ? ' Establish it first.' : '') +
        (to === 'closed' && from !== 'proposed'
          ? ' Review it first: a review decides whether it closes.'
          : ''),
    );
  return { from, to, reason: text };
}

/** Refuses any change to a closed programme (contributions, milestones, reviews): closed is final. */
export function requireOpen(stage: ProgrammeStage, what: string): void {
  if (stage === 'closed')
    throw new AppError('conflict', `The programme is closed, so ${what} can no longer be recorded.`);
}

// Reviews

export const reviewDecisions = ['continue', 'change', 'close'] as const;
export type ReviewDecision = (typeof reviewDecisions)[number];

export const reviewDecisionLabels: Record<ReviewDecision, string> = {
  continue: 'Continue as planned',
  change: 'Continue with changes',
  close: 'Close the programme',
};

/** Where a held review's decision takes the programme: back into delivery, or closed. */
export function stageAfterReview(decision: ReviewDecision): ProgrammeStage {
  return decision === 'close' ? 'closed' : 'in-delivery';
}

/**
 * The move a held review makes. The programme must be under review: moving it there (with why) is
 * its own recorded step, so the register shows when a review began as well as how it ended.
 */
export function reviewMove(
  stage: ProgrammeStage,
  decision: ReviewDecision,
  heldOn: IsoDate,
  outcome: string,
): StageMove {
  if (stage !== 'under-review')
    throw conflict(
      stage === 'closed'
        ? 'The programme is closed, so no review outcome can be recorded.'
        : `The programme is ${stageWords(stage)}. Move it to under review (with the reason) before recording the review's outcome.`,
    );
  return moveStage(
    stage,
    stageAfterReview(decision),
    `${reviewDecisionLabels[decision]} (review held on ${heldOn}): ${outcome}`.slice(0, maxReasonLength),
  );
}

// Contributions

export const contributionStatuses = ['planned', 'on-track', 'at-risk', 'off-track', 'delivered'] as const;
export type ContributionStatus = (typeof contributionStatuses)[number];

export const contributionStatusLabels: Record<ContributionStatus, string> = {
  planned: 'Planned',
  'on-track': 'On track',
  'at-risk': 'At risk',
  'off-track': 'Off track',
  delivered: 'Delivered',
};

// Input schemas

const isoDate = (what: string) =>
  z
    .string({ error: `Enter the ${what} as a date, like 2026-03-31` })
    .trim()
    .refine(isIsoDate, `Enter the ${what} as a real date written YYYY-MM-DD, like 2026-03-31`);

const text = (what: string, max: number) =>
  z
    .string({ error: `Enter the ${what}` })
    .trim()
    .min(1, `Enter the ${what}`)
    .max(max, `Enter the ${what} in ${max} characters or fewer`);

/** A month written 2026-03 or as any date in it; kept as the month's first day. */
const month = z
  .string({ error: 'Enter the month, like 2026-03' })
  .trim()
  .refine(
    (value) => /^\d{4}-(0[1-9]|1[0-2])$/.test(value) || isIsoDate(value),
    'Enter the month as YYYY-MM, like 2026-03',
  )
  .transform((value) => `${value.slice(0, 7)}-01`);

export const trajectoryPointSchema = z.strictObject({
  /** The month the value is due by, as its first day. */
  month,
  value: z.number({ error: 'Enter the trajectory value as a number' }).finite(),
});
export type TrajectoryPoint = z.output<typeof trajectoryPointSchema>;

export const linkedMetricSchema = z.strictObject({
  /** A metric code from the catalogue. */
  metric: z
    .string({ error: 'Enter a metric code from the catalogue, like ae_4h_all' })
    .trim()
    .min(1, 'Enter a metric code from the catalogue, like ae_4h_all'),
  /** Dated target values, in any order; kept in month order. */
  trajectory: z
    .array(trajectoryPointSchema)
    .max(120, 'Give at most 120 trajectory points')
    .default([])
    .superRefine((points, context) => {
      const seen = new Set<string>();
      points.forEach((point, index) => {
        if (seen.has(point.month))
          context.addIssue({
            code: 'custom',
            path: [index, 'month'],
            message: `${point.month.slice(0, 7)} appears twice in the trajectory: give one value per month`,
          });
        seen.add(point.month);
      });
    })
    .transform((points) => [...points].sort((a, b) => a.month.localeCompare(b.month))),
});
export type LinkedMetric = z.output<typeof linkedMetricSchema>;

export const programmeCodePattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const programmeInputSchema = z.strictObject({
  code: z
    .string({ error: 'Enter a code for the programme' })
    .trim()
    .regex(
      programmeCodePattern,
      'Enter a code of 2 to 63 lower-case letters, digits and hyphens, like cancer',
    ),
  name: text('name of the programme', 120),
  /** The body that sponsors the programme, e.g. the NHS Executive Group. */
  sponsor: text('sponsor (the body that sponsors the programme)', 200),
  /** A role title, not a person: the post outlives whoever holds it. */
  nationalDirector: text('national director (a role title, like National Director for Cancer)', 200).refine(
    (value) => !value.includes('@'),
    'Enter the national director as a role title, like National Director for Cancer, not an email address',
  ),
  scope: text('scope (what the programme covers)', 4000),
  metrics: z
    .array(linkedMetricSchema)
    .max(20, 'Link at most 20 metrics')
    .default([])
    .superRefine((metrics, context) => {
      const seen = new Set<string>();
      metrics.forEach((metric, index) => {
        if (seen.has(metric.metric))
          context.addIssue({
            code: 'custom',
            path: [index, 'metric'],
            message: `${metric.metric} is linked twice: link each metric once`,
          });
        seen.add(metric.metric);
      });
    }),
});
export type ProgrammeInput = z.output<typeof programmeInputSchema>;

export const stageMoveSchema = z.strictObject({
  to: z.enum(programmeStages, {
    error: `Choose the stage to move to: one of ${programmeStages.join(', ')}`,
  }),
  reason: z.string().optional(),
});

export const contributionSchema = z.strictObject({
  commitment: text('commitment (what the organisation will contribute)', 2000),
  status: z.enum(contributionStatuses, {
    error: `Choose a status: one of ${contributionStatuses.join(', ')}`,
  }),
});
export type ContributionInput = z.output<typeof contributionSchema>;

export const milestoneSchema = z.strictObject({
  title: text('milestone', 300),
  due: isoDate('due date'),
});
export type MilestoneInput = z.output<typeof milestoneSchema>;

export const milestoneCompletionSchema = z.strictObject({
  completedOn: isoDate('date the milestone was completed'),
});

export const reviewScheduleSchema = z.strictObject({
  scheduledFor: isoDate('date of the review'),
});

export const reviewOutcomeSchema = z.strictObject({
  heldOn: isoDate('date the review was held'),
  outcome: text('outcome of the review', 4000),
  decision: z.enum(reviewDecisions, {
    error: 'Choose what the review decided: continue, change or close',
  }),
  /** When the programme continues, the date of its next review (scheduled at the same time). */
  nextReview: isoDate('date of the next review').optional(),
});
export type ReviewOutcomeInput = z.output<typeof reviewOutcomeSchema>;

// Milestones

/** A milestone is overdue when it is not completed and its due date has passed. */
export function isMilestoneOverdue(
  milestone: { due: IsoDate; completedOn: IsoDate | null },
  today: IsoDate,
): boolean {
  return milestone.completedOn === null && milestone.due < today;
}

// Trajectories

const monthIndex = (date: IsoDate) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

/**
 * The trajectory's value for a month: none before its first point; between two points, on the straight
 * line joining them (a trajectory is a path from one dated value to the next); after the last, the last
 * value stands.
 */
export function trajectoryAt(points: readonly TrajectoryPoint[], monthStart: IsoDate): number | null {
  const first = points[0];
  if (!first) return null;
  const at = monthIndex(monthStart);
  if (at < monthIndex(first.month)) return null;
  for (let i = 1; i < points.length; i += 1) {
    const before = points[i - 1];
    const after = points[i];
    if (!before || !after) continue;
    const end = monthIndex(after.month);
    if (at <= end) {
      const start = monthIndex(before.month);
      return before.value + ((after.value - before.value) * (at - start)) / (end - start);
    }
  }
  return points[points.length - 1]?.value ?? null;
}

export type TrajectoryStanding = 'meets' | 'misses' | 'no-trajectory' | 'no-direction' | 'no-data';

export const trajectoryStandingLabels: Record<TrajectoryStanding, string> = {
  meets: 'On trajectory',
  misses: 'Off trajectory',
  'no-trajectory': 'No trajectory',
  'no-direction': 'No direction',
  'no-data': 'No data',
};

export interface TrajectoryComparison {
  /** The month of the value compared (the latest with a figure). */
  month: IsoDate | null;
  value: number | null;
  /** The trajectory's value for that month. */
  trajectory: number | null;
  /** Value less trajectory. */
  gap: number | null;
  standing: TrajectoryStanding;
}

/**
 * A latest value against the trajectory for its month. Meeting it depends on the metric's direction:
 * at or above when higher is better, at or below when lower is better; a neutral metric has none.
 */
export function compareWithTrajectory(
  latest: { month: IsoDate; value: number } | null,
  points: readonly TrajectoryPoint[],
  polarity: Polarity,
): TrajectoryComparison {
  if (!latest) return { month: null, value: null, trajectory: null, gap: null, standing: 'no-data' };
  const trajectory = trajectoryAt(points, latest.month);
  if (trajectory === null) return { ...latest, trajectory: null, gap: null, standing: 'no-trajectory' };
  const gap = latest.value - trajectory;
  const standing: TrajectoryStanding =
    polarity === 'neutral'
      ? 'no-direction'
      : (polarity === 'higher-is-better' ? gap >= 0 : gap <= 0)
        ? 'meets'
        : 'misses';
  return { ...latest, trajectory, gap, standing };
}
