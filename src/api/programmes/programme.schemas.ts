import { z } from 'zod';
import { polarities } from '../../domain/metric.js';
import {
  contributionStatuses,
  programmeStages,
  reviewDecisions,
  trajectoryStandingLabels,
  type TrajectoryStanding,
} from '../../domain/programme.js';
import { odsCodeParam } from '../organisations/organisation.schemas.js';

/**
 * Request bodies describe their shape for the OpenAPI document but stay permissive: the service parses
 * them with the domain's schemas, so the API, the command line and the web app get the same located
 * messages ("Enter the reason for the move…").
 */

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

export const programmeBodySchema = loose({
  code: z.string().optional().describe('2 to 63 lower-case letters, digits and hyphens, e.g. stroke'),
  name: z.string().optional(),
  sponsor: z.string().optional().describe('The sponsoring body, e.g. NHS Executive Group'),
  nationalDirector: z.string().optional().describe('A role title, e.g. National Director for Cancer'),
  scope: z.string().optional(),
  metrics: z
    .array(
      loose({
        metric: z.string().optional().describe('A metric code from the catalogue, e.g. ae_4h_all'),
        trajectory: z
          .array(loose({ month: z.string().optional().describe('YYYY-MM'), value: z.number().optional() }))
          .optional(),
      }),
    )
    .optional(),
});

export const stageBodySchema = loose({
  to: z
    .string()
    .optional()
    .describe(`One of ${programmeStages.join(', ')}`),
  reason: z.string().optional().describe('Why the programme moves (required)'),
});

export const contributionBodySchema = loose({
  commitment: z.string().optional().describe('What the region or ICB will contribute'),
  status: z
    .string()
    .optional()
    .describe(`One of ${contributionStatuses.join(', ')}`),
});

export const milestoneBodySchema = loose({
  title: z.string().optional(),
  due: z.string().optional().describe('YYYY-MM-DD'),
});

export const milestoneCompletionBodySchema = loose({
  completedOn: z.string().optional().describe('YYYY-MM-DD, on or before today'),
});

export const reviewBodySchema = loose({ scheduledFor: z.string().optional().describe('YYYY-MM-DD') });

export const reviewOutcomeBodySchema = loose({
  heldOn: z.string().optional().describe('YYYY-MM-DD, on or before today'),
  outcome: z.string().optional(),
  decision: z
    .string()
    .optional()
    .describe(`One of ${reviewDecisions.join(', ')}`),
  nextReview: z
    .string()
    .optional()
    .describe('YYYY-MM-DD: schedules the next review when the programme continues'),
});

export const programmeParams = z.object({
  code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a programme code, e.g. cancer')
    .describe('Programme code, e.g. cancer'),
});
export const contributionParams = programmeParams.extend({ org: odsCodeParam });
export const itemParams = programmeParams.extend({ id: z.coerce.number().int().positive() });

const stage = z.enum(programmeStages);
const standing = z.enum(
  Object.keys(trajectoryStandingLabels) as [TrajectoryStanding, ...TrajectoryStanding[]],
);
const comparison = {
  month: z.string().nullable(),
  value: z.number().nullable(),
  trajectory: z.number().nullable().describe("The trajectory's value for that month"),
  gap: z.number().nullable().describe('Value less trajectory'),
  standing,
};
const area = z.object({ odsCode: z.string(), name: z.string(), kind: z.enum(['region', 'icb']) });

export const programmeSummarySchema = z.object({
  code: z.string(),
  name: z.string(),
  sponsor: z.string(),
  nationalDirector: z.string(),
  stage,
  nextReview: z.string().nullable(),
  reviewOverdue: z.boolean(),
  openMilestones: z.number().int(),
  overdueMilestones: z.array(z.object({ title: z.string(), due: z.string() })),
  contributions: z.number().int(),
  metrics: z.number().int(),
  updatedAt: z.string(),
});
export const programmesResponseSchema = z.object({ programmes: z.array(programmeSummarySchema) });

const contributionSchema = z.object({
  organisation: area.extend({
    region: z.object({ odsCode: z.string(), name: z.string() }).nullable(),
    open: z.boolean(),
  }),
  commitment: z.string(),
  status: z.enum(contributionStatuses),
  updatedAt: z.string(),
  updatedBy: z.string().nullable().describe('Shown to signed-in readers only'),
});
export const contributionResponseSchema = z.object({ contribution: contributionSchema });

export const programmeDetailSchema = z.object({
  code: z.string(),
  name: z.string(),
  sponsor: z.string(),
  nationalDirector: z.string(),
  scope: z.string(),
  stage,
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(
    z.object({
      fromStage: stage.nullable(),
      toStage: stage,
      reason: z.string(),
      changedAt: z.string(),
      changedBy: z.string().nullable(),
    }),
  ),
  metrics: z.array(
    z.object({
      metric: z.object({
        code: z.string(),
        name: z.string(),
        unit: z.string(),
        polarity: z.enum(polarities),
        description: z.string(),
      }),
      trajectory: z.array(z.object({ month: z.string(), value: z.number() })),
      england: z.object(comparison),
      series: z.array(
        z.object({ month: z.string(), value: z.number().nullable(), trajectory: z.number().nullable() }),
      ),
      regions: z.array(z.object({ odsCode: z.string(), name: z.string(), ...comparison })),
    }),
  ),
  contributions: z.array(contributionSchema),
  milestones: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      due: z.string(),
      completedOn: z.string().nullable(),
      overdue: z.boolean(),
      completedBy: z.string().nullable(),
    }),
  ),
  reviews: z.array(
    z.object({
      id: z.number().int(),
      scheduledFor: z.string(),
      state: z.enum(['scheduled', 'held']),
      overdue: z.boolean(),
      heldOn: z.string().nullable(),
      outcome: z.string().nullable(),
      decision: z.enum(reviewDecisions).nullable(),
      recordedBy: z.string().nullable(),
    }),
  ),
  permissions: z.object({
    manage: z.boolean().describe('May move the stage, and record milestones and reviews'),
    nextStages: z.array(stage),
    contributeFor: z.array(area),
  }),
});
export const programmeResponseSchema = z.object({ programme: programmeDetailSchema });
