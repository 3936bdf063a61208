import { z } from 'zod';
import { statutoryFunctions } from '../../domain/access.js';
import { interventionKinds, signalKinds } from '../../domain/intervention.js';
import { isoDateParam, odsCodeParam } from '../organisations/organisation.schemas.js';

/** The body is checked in full by the service (domain/intervention.ts), which locates every problem. */
export const interventionBodySchema = z
  .object({
    organisation: z.string(),
    kind: z.string().describe(interventionKinds.join(' | ')),
    title: z.string(),
    owner: z.string(),
    statutoryFunction: z
      .string()
      .nullable()
      .optional()
      .describe(`${statutoryFunctions.join(' | ')}; required for undertakings and licence conditions`),
    signal: z
      .object({ kind: z.string().describe(signalKinds.join(' | ')) })
      .passthrough()
      .describe(
        'spc-special-cause {metric, period}; segment-change {methodology, quarter}; plan-gap {round}; missed-standard {standard}',
      ),
    openedOn: z.string(),
    nextReview: z.string(),
    exitCriteria: z.string(),
    programme: z.string().nullable().optional(),
    actions: z.array(z.object({ description: z.string(), owner: z.string(), due: z.string() })).optional(),
  })
  .passthrough();

export const interventionListQuerySchema = z.object({
  organisation: odsCodeParam.optional().describe('An organisation: its interventions and those under it'),
  programme: z.string().max(63).optional(),
  status: z.enum(['open', 'exited']).optional(),
});

export const interventionParams = z.object({ id: z.coerce.number().int().positive() });
export const interventionActionParams = interventionParams.extend({
  actionId: z.coerce.number().int().positive(),
});

export const reviewBodySchema = z.object({
  reviewedOn: z.string(),
  outcome: z.string(),
  nextReview: z.string().nullable().optional(),
});
export const actionBodySchema = z.object({ description: z.string(), owner: z.string(), due: z.string() });
export const actionDoneBodySchema = z.object({ doneOn: isoDateParam });
export const exitBodySchema = z.object({ closedOn: z.string(), reason: z.string() });
export const programmeLinkBodySchema = z.object({ programme: z.string().nullable() });

export const chainQuerySchema = z.object({
  organisation: odsCodeParam,
  metric: z.string().min(1).max(80),
  period: isoDateParam.describe('The first day of the month of the signal'),
  methodology: z.string().max(40).optional(),
});

const signalSchema = z
  .object({ kind: z.enum(signalKinds), kindLabel: z.string(), summary: z.string() })
  .passthrough();

const interventionSummarySchema = z.object({
  id: z.number().int(),
  organisation: z.object({ odsCode: z.string(), name: z.string() }),
  kind: z.enum(interventionKinds),
  kindLabel: z.string(),
  title: z.string(),
  owner: z.string(),
  statutoryFunction: z.enum(statutoryFunctions).nullable(),
  statutoryFunctionLabel: z.string().nullable(),
  signal: signalSchema,
  openedOn: z.string(),
  nextReview: z.string(),
  reviewOverdue: z.boolean(),
  exitCriteria: z.string(),
  programme: z.object({ code: z.string(), name: z.string() }).nullable(),
  status: z.enum(['open', 'exited']),
  closedOn: z.string().nullable(),
  exitReason: z.string().nullable(),
  actions: z.object({ open: z.number().int(), overdue: z.number().int() }),
  createdBy: z.string(),
  createdAt: z.string(),
});

const chainSignalSchema = z.object({
  metric: z.object({ code: z.string(), name: z.string(), unit: z.string() }),
  period: z.string(),
  label: z.string(),
  value: z.number().nullable(),
  formatted: z.string().nullable(),
  specialCause: z.boolean(),
  pointType: z.string().nullable(),
  description: z.string(),
});

export const chainSchema = z.object({
  organisation: z.object({ odsCode: z.string(), name: z.string(), kind: z.string() }),
  signals: z.array(chainSignalSchema),
  segment: z
    .object({
      methodology: z.string(),
      quarter: z.string(),
      label: z.string(),
      segment: z.number().nullable(),
      previousSegment: z.number().nullable(),
      direction: z.string().nullable(),
      drivers: z.array(
        z.object({
          metric: z.string(),
          name: z.string(),
          variation: z.string().nullable(),
          sentence: z.string(),
          signalMonths: z.array(z.string()),
        }),
      ),
    })
    .nullable(),
  interventions: z.array(interventionSummarySchema),
  programmes: z.array(
    z.object({ code: z.string(), name: z.string(), interventionIds: z.array(z.number().int()) }),
  ),
  mutualAid: z.array(
    z.object({
      id: z.number().int(),
      interventionId: z.number().int(),
      requester: z.object({ odsCode: z.string(), name: z.string() }),
      kindLabel: z.string(),
      quantity: z.number(),
      unit: z.string(),
      status: z.string(),
    }),
  ),
  notes: z.array(z.string()),
});

export const interventionsResponseSchema = z.object({ interventions: z.array(interventionSummarySchema) });
export const interventionResponseSchema = z.object({
  intervention: interventionSummarySchema.extend({
    actionList: z.array(
      z.object({
        id: z.number().int(),
        description: z.string(),
        owner: z.string(),
        due: z.string(),
        doneOn: z.string().nullable(),
        overdue: z.boolean(),
      }),
    ),
    reviews: z.array(
      z.object({
        id: z.number().int(),
        reviewedOn: z.string(),
        outcome: z.string(),
        nextReview: z.string().nullable(),
        recordedBy: z.string(),
      }),
    ),
    chain: chainSchema,
    canChange: z.boolean(),
  }),
});
export const chainResponseSchema = z.object({ chain: chainSchema });
