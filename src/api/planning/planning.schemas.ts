import { z } from 'zod';
import { envelopeSchema, planContentSchema, roundInputSchema } from '../../domain/planning.js';
import { returnStatuses, returnSteps } from '../../domain/return-workflow.js';
import { odsCodeParam } from '../organisations/organisation.schemas.js';

export const roundBodySchema = roundInputSchema;
export const envelopeBodySchema = envelopeSchema;

const roundSchema = z.object({
  code: z.string(),
  name: z.string(),
  yearStart: z.string(),
  guidance: z.string(),
  items: z.record(z.string(), z.array(z.string())).describe('Data items planned, by kind of organisation'),
  opens: z.string(),
  deadline: z.string(),
  closes: z.string(),
  status: z.enum(['upcoming', 'open', 'closed']),
});
export const roundsResponseSchema = z.object({ rounds: z.array(roundSchema) });
export const roundResponseSchema = z.object({ round: roundSchema });
export const roundParams = z.object({
  round: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a round code, e.g. 2026-27'),
});
export const roundOrgParams = roundParams.extend({ org: odsCodeParam });
export const roundStepParams = roundOrgParams.extend({ step: z.enum(returnSteps) });

const impactSchema = z
  .object({
    organisation: z.object({ before: z.number(), after: z.number(), change: z.number() }),
    system: z.object({ before: z.number(), after: z.number(), change: z.number() }),
    flagged: z.boolean().describe('Better for the organisation, worse for its system'),
    explanation: z.string(),
  })
  .nullable();

export const planBodySchema = z.object({
  content: z
    .unknown()
    .describe(
      '{ values: {item: 12 monthly values, April to March}, flows: [{counterparty, serviceLine, activity, price}] }',
    ),
  submit: z.boolean().default(true).describe('false keeps the plan as a draft'),
  reason: z.string().max(2000).optional().describe('Required to revise a locked plan'),
});
export const planStepBodySchema = z
  .object({ reason: z.string().max(2000).optional().describe('Required to return for correction') })
  .nullish();

const planSchema = z.object({
  round: z.string(),
  odsCode: z.string(),
  name: z.string(),
  party: z.enum(['provider', 'commissioner']),
  status: z.enum(returnStatuses),
  state: z.string(),
  statusReason: z.string().nullable(),
  version: z.number().int(),
  acceptedVersion: z.number().int().nullable(),
  content: planContentSchema,
  surplus: z.number().describe('Annual surplus (deficit, negative) of the working plan, £000s'),
  steps: z.array(z.enum(returnSteps)),
  updatedAt: z.string(),
  impact: impactSchema,
});
export const planResponseSchema = z.object({ plan: planSchema });
export const planWithVersionsResponseSchema = z.object({
  plan: planSchema.extend({
    versions: z.array(
      z.object({
        version: z.number().int(),
        reason: z.string().nullable(),
        createdAt: z.string(),
        createdBy: z.string(),
        surplus: z.number(),
      }),
    ),
  }),
});

const flowComparisonSchema = z.object({
  provider: z.string(),
  commissioner: z.string(),
  serviceLine: z.string(),
  providerPlan: z.object({ activity: z.number(), value: z.number() }).nullable(),
  commissionerPlan: z.object({ activity: z.number(), value: z.number() }).nullable(),
  difference: z.number(),
  matched: z.boolean(),
});

export const systemPlanResponseSchema = z.object({
  round: z.string(),
  icb: z.object({ odsCode: z.string(), name: z.string() }),
  envelope: envelopeSchema.nullable(),
  members: z.array(
    z.object({
      odsCode: z.string(),
      name: z.string(),
      party: z.enum(['provider', 'commissioner']),
      status: z.enum(['not-started', ...returnStatuses]),
      version: z.number().int(),
      surplus: z.number().nullable(),
      impact: impactSchema,
    }),
  ),
  position: z.object({
    membersSurplus: z.number(),
    unfundedInternalIncome: z.number(),
    consolidatedSurplus: z.number(),
    activity: z.array(
      z.object({
        item: z.string(),
        expected: z.number(),
        planned: z.number(),
        shortfall: z.number(),
        cost: z.number(),
      }),
    ),
    shortfallCost: z.number(),
    position: z.number(),
    controlTotal: z.number(),
    gap: z.number(),
    affordable: z.boolean(),
    drivers: z.array(
      z.object({
        kind: z.enum(['deficit', 'unfunded-income', 'activity-shortfall']),
        subject: z.string(),
        amount: z.number(),
        description: z.string(),
      }),
    ),
  }),
  mismatches: z.array(flowComparisonSchema),
  flaggedRevisions: z.array(z.object({ odsCode: z.string(), explanation: z.string() })),
});

export const roundSummaryResponseSchema = z.object({
  round: roundSchema,
  area: z.object({ odsCode: z.string(), name: z.string(), kind: z.string() }),
  systems: z.array(
    z.object({
      icb: z.object({ odsCode: z.string(), name: z.string() }),
      asked: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      envelopeSet: z.boolean(),
      gap: z.number().nullable(),
      affordable: z.boolean().nullable(),
      flaggedRevisions: z.number().int(),
    }),
  ),
});

const varianceSchema = z.object({
  month: z.string(),
  plan: z.number().nullable(),
  actual: z.number().nullable(),
  variance: z.number().nullable(),
  variancePercent: z.number().nullable(),
});
export const planVsActualResponseSchema = z.object({
  round: z.string(),
  area: z.object({ odsCode: z.string(), name: z.string(), kind: z.string() }),
  organisations: z.array(z.string()),
  items: z.array(z.object({ item: z.string(), name: z.string(), series: z.array(varianceSchema) })),
  metrics: z.array(
    z.object({
      metric: z.string(),
      name: z.string(),
      polarity: z.string(),
      series: z.array(varianceSchema),
      offTrajectory: z.boolean(),
    }),
  ),
});
export const envelopeResponseSchema = z.object({
  round: z.string(),
  icb: z.string(),
  envelope: envelopeSchema,
});

export const planUploadQuerySchema = z.object({
  fileName: z.string().max(200).default('plan.xlsx').describe('Named in messages about the file'),
  submit: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  reason: z.string().max(2000).optional(),
});
