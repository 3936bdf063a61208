import { z } from 'zod';
import { methodologySchema } from '../../domain/oversight-methodology.js';
import { variationIcons } from '../metrics/metric.schemas.js';
import { isoDateParam, metaSchema, odsCodeParam } from '../organisations/organisation.schemas.js';

const methodologyCode = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,40}$/, { message: 'must be a methodology code, e.g. nof-2025-26' });

const assurance = z.enum(['pass', 'fail', 'inconsistent']);

export const methodologyParams = z.object({ code: methodologyCode });
export const methodologyQuerySchema = z.object({
  version: z.coerce.number().int().positive().optional().describe('A version (default: the latest)'),
});

const storedMethodologySchema = methodologySchema.describe('An oversight methodology version, as stored');

export const methodologiesResponseSchema = z.object({
  methodologies: z.array(
    z.object({ methodology: storedMethodologySchema, recordedAt: z.string(), recordedBy: z.string() }),
  ),
});

export const methodologyResponseSchema = z.object({ methodology: storedMethodologySchema });

export const segmentsQuerySchema = z.object({
  methodology: methodologyCode.default('nof-2025-26'),
  version: z.coerce.number().int().positive().optional(),
  level: z.enum(['nhs-trust', 'icb']).default('nhs-trust'),
  period: isoDateParam.optional().describe('Any date in the quarter (default: the latest complete quarter)'),
  until: isoDateParam
    .optional()
    .describe('Without a period: the latest complete quarter on or before this date'),
  org: odsCodeParam.optional().describe("Only this organisation's row (its peers are still scored with it)"),
});

const scoredMetricSchema = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  domain: z.string(),
  standsFor: z.string(),
  weight: z.number(),
  value: z.number().nullable(),
  months: z.number().int(),
  score: z.number().nullable(),
  note: z.string().nullable().describe('Why the value is not scored, when it is not'),
});

const driverSchema = z.object({
  metric: z.string(),
  name: z.string(),
  domain: z.string(),
  value: z.number().nullable(),
  unit: z.string(),
  score: z.number(),
  pull: z.number().describe("The metric's share of the gap between the average score and 1.00"),
  variation: z.enum(variationIcons).nullable(),
  assurance: assurance.nullable(),
  sentence: z.string(),
});

export const segmentRowSchema = z.object({
  odsCode: z.string(),
  name: z.string(),
  kind: z.string(),
  peerGroup: z.string(),
  icbCode: z.string().nullable(),
  regionCode: z.string().nullable(),
  metrics: z.array(scoredMetricSchema),
  scoredMetrics: z.number().int(),
  averageScore: z.number().nullable(),
  domainScores: z.array(z.object({ key: z.string(), label: z.string(), score: z.number().nullable() })),
  provisionalSegment: z.number().int().nullable(),
  conditions: z.array(z.string()),
  overridesApplied: z.array(z.string()),
  computedSegment: z.number().int().nullable(),
  judgement: z
    .object({
      segment: z.number().int(),
      reason: z
        .string()
        .nullable()
        .describe('Null unless you may read the organisation’s unpublished records'),
      recordedBy: z.string().nullable(),
      recordedAt: z.string(),
      lapsed: z
        .boolean()
        .describe('Segment 5 no longer applies: the method no longer places it in segment 4'),
    })
    .nullable(),
  segment: z.number().int().nullable(),
  segmentLabel: z.string().nullable(),
  leaguePosition: z.number().int().nullable(),
  leagueOf: z.number().int(),
  drivers: z.array(driverSchema),
  change: z
    .object({
      previousSegment: z.number().int().nullable(),
      previousAverage: z.number().nullable(),
      averageChange: z.number().nullable(),
      significant: z.boolean(),
      direction: z.enum(['better', 'worse', 'same', 'new', 'none', 'not-comparable']),
      reasons: z.array(z.string()),
    })
    .nullable(),
  restructured: z.boolean().describe('A merger, absorption or split in this or the previous quarter'),
  notSegmented: z.string().nullable(),
});

const periodSchema = z.object({ start: isoDateParam, label: z.string() });

const methodologySummarySchema = z.object({
  code: z.string(),
  version: z.number().int(),
  name: z.string(),
  summary: z.string(),
  source: z.string(),
  effectiveFrom: isoDateParam,
  levels: z.array(z.enum(['nhs-trust', 'icb'])),
  segmentRule: methodologySchema.shape.segmentRule,
  significantChange: z.number().nullable(),
  domains: z.array(z.object({ key: z.string(), label: z.string() })),
  metrics: z.array(
    z.object({
      metric: z.string(),
      name: z.string(),
      unit: z.string(),
      standsFor: z.string(),
      domain: z.string(),
      weight: z.number(),
      scoring: z.unknown(),
    }),
  ),
  overrides: z.array(z.object({ condition: z.string(), atBest: z.number().int(), label: z.string() })),
  segmentLabels: z.record(z.string(), z.string()),
  judgementSegments: z.array(z.number().int()),
  segment5Requires: z.number().int().nullable(),
});

export const segmentsResponseSchema = z.object({
  meta: metaSchema,
  methodology: methodologySummarySchema,
  level: z.enum(['nhs-trust', 'icb']),
  period: periodSchema.extend({ months: z.number().int().describe('Months of the quarter with figures') }),
  previousPeriod: periodSchema,
  latestPeriod: periodSchema.describe('The latest complete quarter with figures'),
  periodNote: z.string().nullable(),
  rows: z.array(segmentRowSchema),
  summary: z.object({
    bySegment: z.record(z.string(), z.number().int()),
    notSegmented: z.number().int(),
    meanAverageScore: z.number().nullable(),
    changedSegment: z.number().int(),
    significantChanges: z.number().int(),
  }),
});

export const judgementBodySchema = z.object({
  methodology: methodologyCode,
  period: isoDateParam.describe('Any date in the quarter judged'),
  org: odsCodeParam,
  segment: z
    .number()
    .int()
    .min(1)
    .max(5)
    .nullable()
    .describe('The segment the region sets; null withdraws the standing judgement'),
  reason: z.string().max(2000),
});

export const judgementResponseSchema = z.object({ row: segmentRowSchema });

export const systemQuerySchema = z.object({
  org: odsCodeParam.default('X24'),
  methodology: methodologyCode.default('nof-2025-26'),
  period: isoDateParam.optional(),
  until: isoDateParam.optional(),
});

const areaSummarySchema = z.object({
  odsCode: z.string(),
  name: z.string(),
  own: segmentRowSchema.nullable(),
  trusts: z.number().int(),
  bySegment: z.record(z.string(), z.number().int()),
  notSegmented: z.number().int(),
  meanAverageScore: z.number().nullable(),
  commonDrivers: z.array(z.object({ metric: z.string(), name: z.string(), trusts: z.number().int() })),
});

export const systemResponseSchema = z.object({
  meta: metaSchema,
  area: z.object({ odsCode: z.string(), name: z.string(), kind: z.string() }),
  methodology: methodologySummarySchema,
  period: periodSchema.extend({ months: z.number().int() }),
  previousPeriod: periodSchema,
  latestPeriod: periodSchema,
  periodNote: z.string().nullable(),
  own: segmentRowSchema.nullable(),
  mayJudge: z.boolean().describe('Whether you may record a judgement on this organisation’s segment'),
  objectives: z.array(
    z.object({
      metric: z.string(),
      name: z.string(),
      unit: z.string(),
      label: z.string(),
      value: z.number(),
      target: z.object({ value: z.number(), label: z.string() }),
      variation: z.enum(variationIcons).nullable(),
      assurance: assurance.nullable(),
      sentence: z.string(),
    }),
  ),
  areas: z.array(areaSummarySchema),
  trusts: z.array(segmentRowSchema),
  offTrajectory: z
    .array(
      z.object({
        round: z.object({ code: z.string(), name: z.string() }),
        metric: z.string(),
        name: z.string(),
        month: z.string(),
        plan: z.number(),
        actual: z.number(),
      }),
    )
    .describe("Planned measures off trajectory for three months, for those who may read the area's plans"),
});

export type SegmentsResponse = z.infer<typeof segmentsResponseSchema>;
export type SegmentRowResponse = z.infer<typeof segmentRowSchema>;
export type SystemResponse = z.infer<typeof systemResponseSchema>;
export type MethodologiesResponse = z.infer<typeof methodologiesResponseSchema>;
