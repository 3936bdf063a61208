import { z } from 'zod';
import {
  itemUnits,
  metricDomains,
  metricTypes,
  polarities,
  targetKinds,
  temporalAggregations,
} from '../../domain/metric.js';
import { periodTypes } from '../../domain/period.js';
import { trustSectors } from '../../domain/organisation.js';
import { isoDateParam, metaSchema, odsCodeParam } from '../organisations/organisation.schemas.js';

const termSchema = z.object({ item: z.string(), coefficient: z.number() });

export const metricSchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  unit: z.string(),
  domain: z.enum(metricDomains),
  domainLabel: z.string(),
  polarity: z.enum(polarities),
  polarityLabel: z.string(),
  frequency: z.enum(periodTypes),
  source: z.string(),
  caveat: z.string().nullable(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      effectiveFrom: isoDateParam,
      reason: z.string(),
      definition: z.object({
        type: z.enum(metricTypes),
        numerator: z.array(termSchema),
        denominator: z.array(termSchema).nullable(),
        multiplier: z.number(),
        absentItems: z.enum(['missing', 'zero']).optional(),
      }),
    }),
  ),
  targets: z.array(
    z.object({
      kind: z.enum(targetKinds),
      operator: z.enum(['>=', '<=']),
      value: z.number(),
      validFrom: isoDateParam,
      validTo: isoDateParam.nullable(),
      label: z.string(),
    }),
  ),
});

export const dataItemSchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  unit: z.enum(itemUnits),
  temporalAggregation: z.enum(temporalAggregations),
  source: z.string(),
});

export const catalogueResponseSchema = z.object({
  meta: metaSchema,
  metrics: z.array(metricSchema),
  items: z.array(dataItemSchema),
});

export const metricResponseSchema = z.object({ meta: metaSchema, metric: metricSchema });

export const metricCodeParams = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, { message: 'must be a metric code, e.g. ae_4h_all' }),
});

const bucketParam = z.enum(['month', 'quarter', 'financial-year']).default('month');
const structureParams = {
  structure: z
    .enum(['as-at-period', 'as-at', 'as-now'])
    .default('as-at-period')
    .describe(
      "as-at-period: each period under the structure of its time; as-at: all under the structure of asAt; as-now: under today's",
    ),
  asAt: isoDateParam.optional().describe('The date whose structure to use, with structure=as-at'),
};

export const seriesQuerySchema = z
  .object({
    org: odsCodeParam.optional().describe('Organisation or aggregate (default England, X24)'),
    peerGroup: z.string().optional(),
    from: isoDateParam.optional().describe('First period; default 23 months before the last'),
    to: isoDateParam.optional().describe('Last period; default the latest month with figures'),
    period: bucketParam,
    ...structureParams,
  })
  .refine((q) => q.structure !== 'as-at' || q.asAt !== undefined, {
    message: 'asAt is required when structure is as-at',
    path: ['asAt'],
  })
  .refine((q) => !(q.org && q.peerGroup), {
    message: 'give org or peerGroup, not both',
    path: ['peerGroup'],
  });

export const rollupQuerySchema = z
  .object({
    metrics: z.string().describe('Comma-separated metric codes, or "all"'),
    org: odsCodeParam.optional(),
    peerGroup: z.string().optional(),
    from: isoDateParam.optional().describe('First period; default 23 months before the last'),
    to: isoDateParam.optional().describe('Last period; default the latest month with figures'),
    period: bucketParam,
    ...structureParams,
  })
  .refine((q) => q.structure !== 'as-at' || q.asAt !== undefined, {
    message: 'asAt is required when structure is as-at',
    path: ['asAt'],
  });

const coverageSchema = z.object({
  expected: z.number().int(),
  reported: z.number().int(),
  notReported: z.array(z.string()),
  partial: z.array(z.string()),
});

const pointSchema = z.object({
  period: z.object({ type: z.enum(periodTypes), start: isoDateParam }),
  label: z.string(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  value: z.number().nullable(),
  definitionVersion: z.number().int().nullable(),
  targets: metricSchema.shape.targets,
  coverage: coverageSchema,
  unplaced: z
    .object({ numerator: z.number().nullable(), denominator: z.number().nullable(), codes: z.number().int() })
    .nullable(),
});

const aggregateSchema = z.object({
  kind: z.enum(['organisation', 'peer-group']),
  code: z.string(),
  name: z.string(),
  organisationKind: z.string().nullable(),
  members: z.number().int().nullable(),
});

const structureSchema = z.object({
  kind: z.enum(['as-at-period', 'as-at', 'as-now']),
  date: isoDateParam.nullable(),
  description: z.string(),
});

export const rollupResponseSchema = z.object({
  meta: metaSchema,
  from: isoDateParam,
  to: isoDateParam,
  aggregate: aggregateSchema,
  structure: structureSchema,
  periodType: z.enum(['month', 'quarter', 'financial-year']),
  notes: z.array(z.string()),
  series: z.array(z.object({ metric: metricSchema, points: z.array(pointSchema) })),
});

export const leagueQuerySchema = z
  .object({
    period: isoDateParam.describe('Any date in the period'),
    level: z.enum(['nhs-trust', 'icb', 'region']).default('nhs-trust'),
    sector: z.enum(trustSectors).optional(),
    periodType: bucketParam,
    ...structureParams,
  })
  .refine((q) => q.structure !== 'as-at' || q.asAt !== undefined, {
    message: 'asAt is required when structure is as-at',
    path: ['asAt'],
  });

export const leagueResponseSchema = z.object({
  meta: metaSchema,
  metric: metricSchema,
  period: z.object({ type: z.enum(periodTypes), start: isoDateParam }),
  label: z.string(),
  level: z.enum(['nhs-trust', 'icb', 'region']),
  structure: structureSchema,
  rows: z.array(
    z.object({
      odsCode: z.string(),
      name: z.string(),
      kind: z.string(),
      sector: z.string().nullable(),
      numerator: z.number().nullable(),
      denominator: z.number().nullable(),
      value: z.number(),
      rank: z.number().int(),
      band: z.number().int(),
    }),
  ),
  noValue: z.array(z.object({ odsCode: z.string(), name: z.string() })),
  quartiles: z.object({
    lower: z.number().nullable(),
    median: z.number().nullable(),
    upper: z.number().nullable(),
  }),
  england: z.number().nullable(),
  targets: metricSchema.shape.targets,
});

export const importsResponseSchema = z.object({
  meta: metaSchema,
  imports: z.array(
    z.object({
      id: z.number().int(),
      source: z.string(),
      fileName: z.string(),
      sha256: z.string().nullable(),
      url: z.string().nullable(),
      provenance: z.string(),
      startedAt: z.string(),
      finishedAt: z.string(),
      summary: z.record(z.string(), z.unknown()),
    }),
  ),
  quarantine: z.array(
    z.object({
      odsCode: z.string(),
      orgName: z.string().nullable(),
      rows: z.number().int(),
      items: z.array(z.string()),
      firstPeriod: isoDateParam,
      lastPeriod: isoDateParam,
      sources: z.array(z.string()),
    }),
  ),
});

export const peerGroupsResponseSchema = z.object({
  meta: metaSchema,
  peerGroups: z.array(
    z.object({ code: z.string(), name: z.string(), description: z.string(), members: z.array(z.string()) }),
  ),
});

export const dashboardQuerySchema = z.object({
  org: odsCodeParam.optional().describe('Organisation or aggregate (default England, X24)'),
  metrics: z.string().default('all').describe('Comma-separated metric codes, or "all" (default)'),
  from: isoDateParam.optional().describe('First month; default 35 months before the last'),
  to: isoDateParam.optional().describe('Last month; default the latest month with figures'),
  until: isoDateParam
    .optional()
    .describe('Without "to": end at the latest month with figures on or before this date'),
});

export const dashboardResponseSchema = z.object({
  meta: metaSchema,
  aggregate: z.object({ code: z.string(), name: z.string() }),
  from: isoDateParam,
  to: isoDateParam,
  series: z.array(
    z.object({
      metric: metricSchema,
      points: z.array(
        z.object({
          period: z.object({ type: z.enum(periodTypes), start: isoDateParam }),
          label: z.string(),
          value: z.number().nullable(),
          numerator: z.number().nullable(),
          denominator: z.number().nullable(),
          reported: z.number().int().describe('Organisations that reported every item the metric needs'),
          partial: z.number().int().describe('Organisations that reported some items but not all'),
          targets: metricSchema.shape.targets,
        }),
      ),
    }),
  ),
});

export const memberFiguresQuerySchema = z.object({
  org: odsCodeParam.optional().describe('The area: England (X24, the default), a region or an ICB'),
  asAt: isoDateParam.optional().describe('Structure and latest month as at this date (default today)'),
  metrics: z
    .string()
    .optional()
    .describe(
      'Comma-separated metric codes (default: the headline metrics with figures: A&E 4-hour and attendances, G&A bed occupancy, RTT over 18 weeks, vacancy rate, surplus or deficit)',
    ),
});

const latestFigureSchema = z
  .object({ value: z.number(), month: isoDateParam, label: z.string(), reported: z.number().int() })
  .nullable();
const memberRowSchema = z.object({
  odsCode: z.string(),
  name: z.string(),
  kind: z.string(),
  figures: z.record(z.string(), latestFigureSchema),
});

export const memberFiguresResponseSchema = z.object({
  meta: metaSchema,
  asAt: isoDateParam,
  metrics: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      polarity: z.enum(['higher-is-better', 'lower-is-better', 'neutral']),
    }),
  ),
  area: memberRowSchema,
  members: z.array(memberRowSchema),
});

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const spcQuerySchema = z
  .object({
    org: odsCodeParam.optional().describe('Organisation or aggregate (default England, X24)'),
    peerGroup: z.string().optional(),
    from: isoDateParam.optional().describe('First period; default 23 months before the last'),
    to: isoDateParam.optional().describe('Last period; default the latest month with figures'),
    period: bucketParam,
    ...structureParams,
    screenOutliers: booleanParam
      .optional()
      .describe(
        'Leave out moving ranges ≥ 3.267 × average (default true, as NHSRplotthedots); false = the MDC Excel tool',
      ),
    runLength: z.coerce
      .number()
      .refine((n) => n === 6 || n === 7, 'must be 6 or 7')
      .optional()
      .describe('Points in a trend or shift (default 7)'),
    twoInThree: z
      .enum(['between-limits', 'beyond-two-sigma'])
      .optional()
      .describe(
        'between-limits: points between 2σ and 3σ (NHSRplotthedots 0.2.2, default); beyond-two-sigma: any point beyond 2σ (MDC since 2023)',
      ),
    fixAfter: z.coerce
      .number()
      .int()
      .optional()
      .describe('Fix the limits after this many points (12 to 20 is usual)'),
    rebase: z
      .string()
      .max(500)
      .optional()
      .describe('Dates the limits are recalculated from, comma-separated'),
    minPoints: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('Hold the icons back below this many points (default 15)'),
  })
  .refine((q) => q.structure !== 'as-at' || q.asAt !== undefined, {
    message: 'asAt is required when structure is as-at',
    path: ['asAt'],
  })
  .refine((q) => !(q.org && q.peerGroup), {
    message: 'give org or peerGroup, not both',
    path: ['peerGroup'],
  });

const pointTypes = [
  'common_cause',
  'special_cause_improvement',
  'special_cause_concern',
  'special_cause_neutral_high',
  'special_cause_neutral_low',
] as const;
export const variationIcons = [
  'common_cause',
  'improvement_high',
  'improvement_low',
  'concern_high',
  'concern_low',
  'neutral_high',
  'neutral_low',
] as const;

export const spcResponseSchema = z.object({
  meta: metaSchema,
  metric: metricSchema,
  aggregate: aggregateSchema,
  structure: structureSchema,
  improvement: z.enum(['increase', 'decrease', 'neutral']),
  target: z.object({ value: z.number(), label: z.string() }).nullable(),
  sentence: z.string().describe('The result in words, from the same calculation as the icons'),
  iconsWithheld: z.string().nullable(),
  missing: z.array(z.string()).describe('Periods without a value, left out (missing is not zero)'),
  settings: z.object({
    screenOutliers: z.boolean(),
    runLength: z.number().int(),
    twoInThree: z.enum(['between-limits', 'beyond-two-sigma']),
    fixAfterPoints: z.number().int().nullable(),
    rebaseAt: z.array(isoDateParam),
    iconMinimumPoints: z.number().int(),
  }),
  insufficient: z.object({ needed: z.number().int(), got: z.number().int() }).nullable(),
  summary: z
    .object({
      variation: z.enum(variationIcons),
      assurance: z.enum(['pass', 'fail', 'inconsistent']).nullable(),
      mean: z.number().nullable(),
      lpl: z.number().nullable(),
      upl: z.number().nullable(),
      points: z.number().int(),
      trialLimits: z.boolean(),
    })
    .nullable(),
  points: z.array(
    z.object({
      date: isoDateParam,
      label: z.string(),
      value: z.number(),
      mean: z.number().nullable(),
      lpl: z.number().nullable(),
      upl: z.number().nullable(),
      lowerNear: z.number().nullable(),
      upperNear: z.number().nullable(),
      outsideLimits: z.boolean(),
      relativeToMean: z.number().int(),
      closeToLimits: z.boolean(),
      specialCauseType: z.string(),
      specialCauseFlag: z.boolean(),
      pointType: z.enum(pointTypes),
      rebaseGroup: z.number().int(),
      shortGroupWarning: z.boolean(),
    }),
  ),
});

export const reportQuerySchema = z.object({
  org: odsCodeParam.describe('Organisation, ICB or region'),
  until: isoDateParam
    .optional()
    .describe('The report for the latest month with figures on or before this date (default today)'),
});

const reportRowSchema = z.object({
  metric: z.object({
    code: z.string(),
    name: z.string(),
    unit: z.string(),
    domain: z.enum(metricDomains),
    polarity: z.enum(['higher-is-better', 'lower-is-better', 'neutral']),
  }),
  month: isoDateParam,
  label: z.string(),
  value: z.number(),
  target: z.object({ value: z.number(), label: z.string() }).nullable(),
  mean: z.number().nullable(),
  lpl: z.number().nullable(),
  upl: z.number().nullable(),
  variation: z.enum(variationIcons).nullable(),
  assurance: z.enum(['pass', 'fail', 'inconsistent']).nullable(),
  points: z.number().int(),
  sentence: z.string(),
  recent: z.array(z.number().nullable()),
  benchmark: z
    .object({
      rank: z.number().int(),
      of: z.number().int(),
      band: z.number().int().describe('Quarter of the table, 1 the best'),
      median: z.number().nullable(),
      among: z.string(),
    })
    .nullable()
    .describe('Rank among every organisation of the same kind in the same month; null for neutral measures'),
});

const matrixRowSchema = z.object({
  pass: z.number().int(),
  inconsistent: z.number().int(),
  fail: z.number().int(),
  none: z.number().int(),
});

export const reportResponseSchema = z.object({
  meta: metaSchema,
  organisation: z.object({ code: z.string(), name: z.string() }),
  segment: z
    .object({
      methodology: z.string(),
      methodologyCode: z.string(),
      quarter: z.string(),
      quarterStart: isoDateParam,
      segment: z.number().int().nullable(),
      segmentLabel: z.string().nullable(),
      averageScore: z.number().nullable(),
      leaguePosition: z.number().int().nullable(),
      leagueOf: z.number().int(),
      peerGroup: z.string(),
      judgement: z.object({ segment: z.number().int(), reason: z.string().nullable() }).nullable(),
      overridesApplied: z.array(z.string()),
      drivers: z.array(
        z.object({
          metric: z.string(),
          name: z.string(),
          domain: z.string(),
          value: z.number().nullable(),
          unit: z.string(),
          score: z.number(),
          pull: z.number(),
          variation: z.enum(variationIcons).nullable(),
          assurance: z.enum(['pass', 'fail', 'inconsistent']).nullable(),
          sentence: z.string(),
        }),
      ),
      change: z.array(z.string()),
    })
    .nullable()
    .describe('The oversight segment with its drivers (trusts: NOF 2025/26; ICBs: the 2026/27 style)'),
  month: isoDateParam,
  sections: z.array(
    z.object({ domain: z.enum(metricDomains), label: z.string(), rows: z.array(reportRowSchema) }),
  ),
  matrix: z.object({
    improvement: matrixRowSchema,
    common: matrixRowSchema,
    concern: matrixRowSchema,
    neutral: matrixRowSchema,
  }),
});
