import { z } from 'zod';
import { trustSectors } from './organisation.js';

/**
 * An oversight methodology is data, not code: which metrics are scored and how, how organisations are
 * grouped, how the average score becomes a segment, which overrides apply in which order, which
 * segments only a recorded judgement may set, and what counts as a significant change between quarters.
 * Stored as versions (`oversight_methodology`); a changed methodology is a new version, never an edit.
 * The numerics live in `stats/segmentation.ts`; the shipped methodologies in `oversight-methodologies.ts`.
 */

const operator = z.enum(['>=', '<=', '>', '<']);
const polarity = z.enum(['higher-is-better', 'lower-is-better']);

const scoringSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ranked'), polarity }),
  z.object({ kind: z.literal('standard'), polarity, operator, value: z.number() }),
  z.object({ kind: z.literal('floor'), polarity, operator, value: z.number() }),
]);

const key = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,40}$/, 'use lower-case letters, digits and hyphens, starting with a letter');

export const methodologySchema = z
  .object({
    code: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,40}$/,
        'use lower-case letters, digits and hyphens, such as nof-2026-27-local',
      ),
    version: z.number().int().positive(),
    name: z.string().trim().min(1).max(200),
    summary: z.string().trim().min(1).max(2000),
    /** Where the method is published, and what here is inferred rather than published. */
    source: z.string().trim().min(1).max(2000),
    /**
     * The first quarter this version is for (YYYY-MM-DD, a quarter's first day). A quarter is segmented by the
     * latest version in force then, so a new version never rewrites earlier quarters; quarters before every
     * version's date use the first version, and say so.
     */
    effectiveFrom: z
      .string()
      .regex(/^\d{4}-(01|04|07|10)-01$/, 'use the first day of a quarter, such as 2026-04-01'),
    /** Who is segmented: trusts (among trusts) and, where the method says so, ICBs (among ICBs). */
    levels: z.array(z.enum(['nhs-trust', 'icb'])).min(1),
    /** Trusts are compared within their type (acute, mental health…), or all together. */
    peerGrouping: z.enum(['sector', 'all']),
    /**
     * With sector grouping: which group each trust sector is scored in (NOF publishes three league tables:
     * acute, mental health and community together, ambulance). Trusts of a sector not listed are not segmented.
     */
    sectorGroups: z.partialRecord(z.enum(trustSectors), z.string().trim().min(1).max(100)).default({
      acute: 'Acute trusts',
      specialist: 'Acute trusts',
      'mental-health': 'Mental health and community trusts',
      community: 'Mental health and community trusts',
      ambulance: 'Ambulance trusts',
    }),
    domains: z.array(z.object({ key, label: z.string().trim().min(1).max(100) })).min(1),
    metrics: z
      .array(
        z.object({
          /** A metric code from the catalogue. */
          metric: z.string().min(1),
          /** The published metric this one stands for, e.g. "OF0013 A&E 4-hour performance". */
          standsFor: z.string().max(200).default(''),
          domain: key,
          weight: z.number().positive().max(10).default(1),
          scoring: scoringSchema,
        }),
      )
      .min(1),
    /** Organisations with fewer scored metrics than this are not segmented. */
    minimumMetrics: z.number().int().positive().default(1),
    segmentRule: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('quartiles') }),
      z.object({
        kind: z.literal('thresholds'),
        cutPoints: z.tuple([z.number(), z.number(), z.number()]),
      }),
      /** Single Oversight Framework: segment 1 with no concerns, 2 with a concern in any theme. */
      z.object({ kind: z.literal('concerns'), concernAtScore: z.number().min(1).max(4) }),
    ]),
    /** Facts about an organisation in the quarter, tested on a metric's quarterly value. */
    conditions: z
      .array(
        z.object({
          key,
          label: z.string().trim().min(1).max(200),
          metric: z.string().min(1),
          operator,
          value: z.number(),
        }),
      )
      .default([]),
    /** Applied in order: when the condition holds the segment can be no better than `atBest`. */
    overrides: z
      .array(z.object({ condition: key, atBest: z.number().int().min(1).max(4), label: z.string().min(1) }))
      .default([]),
    judgement: z.object({
      /** Segments a region may record, with a reason. */
      segments: z.array(z.number().int().min(1).max(5)).min(1),
      /** Segment 5 (intensive support) only for organisations the method places in this segment. */
      segment5Requires: z.number().int().min(1).max(4).nullable().default(4),
    }),
    /** Drivers: metrics scoring at least this, most at a time. */
    drivers: z
      .object({ fromScore: z.number().min(1).max(4), most: z.number().int().min(1).max(10) })
      .default({ fromScore: 2.5, most: 3 }),
    /** A change in average score at least this large between quarters is significant; null: not judged. */
    significantChange: z.number().positive().nullable().default(null),
    segmentLabels: z.record(z.string(), z.string()),
  })
  .superRefine((m, ctx) => {
    const domains = new Set(m.domains.map((d) => d.key));
    m.metrics.forEach((metric, i) => {
      if (!domains.has(metric.domain))
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i, 'domain'],
          message: `"${metric.domain}" is not one of the methodology's domains (${[...domains].join(', ')})`,
        });
    });
    const seen = new Set<string>();
    m.metrics.forEach((metric, i) => {
      if (seen.has(metric.metric))
        ctx.addIssue({ code: 'custom', path: ['metrics', i, 'metric'], message: 'listed twice' });
      seen.add(metric.metric);
    });
    const conditions = new Set(m.conditions.map((c) => c.key));
    m.overrides.forEach((override, i) => {
      if (!conditions.has(override.condition))
        ctx.addIssue({
          code: 'custom',
          path: ['overrides', i, 'condition'],
          message: `"${override.condition}" is not one of the methodology's conditions`,
        });
    });
    if (m.segmentRule.kind === 'thresholds') {
      const [a, b, c] = m.segmentRule.cutPoints;
      if (!(a < b && b < c))
        ctx.addIssue({
          code: 'custom',
          path: ['segmentRule', 'cutPoints'],
          message: 'cut-points must rise: segment 1 ≤ first < second < third',
        });
    }
    for (const key of Object.keys(m.segmentLabels))
      if (!/^[1-5]$/.test(key))
        ctx.addIssue({ code: 'custom', path: ['segmentLabels', key], message: 'segments are 1 to 5' });
    if (m.minimumMetrics > m.metrics.length)
      ctx.addIssue({
        code: 'custom',
        path: ['minimumMetrics'],
        message: `more than the ${m.metrics.length} metrics listed`,
      });
  });

export type Methodology = z.output<typeof methodologySchema>;
export type MethodologyInput = z.input<typeof methodologySchema>;
export type MethodologyMetric = Methodology['metrics'][number];
export type SegmentLevel = Methodology['levels'][number];
