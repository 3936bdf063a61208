import { z } from 'zod';
import { periodTypes } from '../../domain/period.js';
import { isoDateParam, metaSchema, odsCodeParam } from '../organisations/organisation.schemas.js';
import { metricSchema } from './metric.schemas.js';

/** Ways of choosing the organisations to compare with, besides every organisation of the same level. */
export const benchmarkPeerKinds = ['all', 'sector', 'size', 'group', 'nearest'] as const;

const metricCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,62}$/, { message: 'must be a metric code, e.g. ae_attendances' });

export const benchmarkQuerySchema = z
  .object({
    org: odsCodeParam.describe('The NHS trust, ICB or region to benchmark (ODS code)'),
    period: isoDateParam
      .optional()
      .describe('Any date in the period; default the latest month with figures for the metric'),
    periodType: z.enum(['month', 'quarter', 'financial-year']).default('month'),
    peers: z
      .enum(benchmarkPeerKinds)
      .default('all')
      .describe(
        'all: every organisation of the same level; sector: trusts of the same sector; size: the same size band (quarter) of sizeMetric; group: a peer group; nearest: the k nearest on attributes',
      ),
    sizeMetric: metricCode.optional().describe('With peers=size: the measure of size, e.g. ae_attendances'),
    group: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'must be a peer group code, e.g. large-acute-trusts' })
      .optional()
      .describe('With peers=group: the peer group code'),
    attributes: z
      .string()
      .max(400)
      .transform((text) =>
        text
          .split(',')
          .map((code) => code.trim())
          .filter(Boolean),
      )
      .pipe(z.array(metricCode).min(1, { message: 'list at least one metric code' }).max(6))
      .optional()
      .describe('With peers=nearest: comma-separated metric codes to measure nearness on (up to 6)'),
    k: z.coerce
      .number()
      .int({ message: 'must be a whole number' })
      .min(1)
      .max(50)
      .default(5)
      .describe('With peers=nearest: how many neighbours (default 5)'),
  })
  .refine((q) => q.peers !== 'size' || q.sizeMetric !== undefined, {
    message: 'sizeMetric is required when peers is size, e.g. sizeMetric=ae_attendances',
    path: ['sizeMetric'],
  })
  .refine((q) => q.peers !== 'group' || q.group !== undefined, {
    message: 'group is required when peers is group',
    path: ['group'],
  })
  .refine((q) => q.peers !== 'nearest' || q.attributes !== undefined, {
    message: 'attributes is required when peers is nearest, e.g. attributes=ae_attendances,ga_occupancy',
    path: ['attributes'],
  });

const positionSchema = z.object({
  count: z.number().int().describe('Organisations compared that had a value'),
  median: z.number().nullable(),
  lower: z.number().nullable().describe('Lower quartile'),
  upper: z.number().nullable().describe('Upper quartile'),
  rank: z
    .number()
    .int()
    .nullable()
    .describe('Rank of the organisation, 1 the best; ties share the better rank'),
  band: z.number().int().nullable().describe('Quarter of the table, 1 the best'),
  bestQuartileBoundary: z
    .number()
    .nullable()
    .describe('Upper quartile when higher is better, lower quartile when lower is better; null when neutral'),
  distanceToBestQuartile: z
    .number()
    .nullable()
    .describe(
      'Change in value that would reach the best quarter: 0 inside it, positive an increase, negative a decrease; null when neutral',
    ),
});

export const benchmarkResponseSchema = z.object({
  meta: metaSchema,
  metric: metricSchema,
  organisation: z.object({
    odsCode: z.string(),
    name: z.string(),
    kind: z.string(),
    sector: z.string().nullable(),
    level: z.enum(['nhs-trust', 'icb', 'region']),
  }),
  period: z.object({ type: z.enum(periodTypes), start: isoDateParam }),
  label: z.string(),
  value: z.number().nullable(),
  england: z.number().nullable(),
  national: positionSchema.describe('Among every organisation of the same level (trusts, ICBs or regions)'),
  peerGroup: z.object({
    kind: z.enum(benchmarkPeerKinds),
    description: z.string(),
    position: positionSchema,
    peers: z.array(
      z.object({
        odsCode: z.string(),
        name: z.string(),
        value: z.number().nullable(),
        rank: z.number().int().nullable(),
        subject: z.boolean().describe('The organisation benchmarked'),
        distance: z.number().nullable().describe('Nearest neighbours: standardised distance'),
        size: z.number().nullable().describe('Peers by size: the size measure'),
      }),
    ),
    sizeBand: z
      .object({
        metric: z.object({ code: z.string(), name: z.string(), unit: z.string() }),
        band: z.number().int(),
        of: z.number().int(),
        from: z.number(),
        to: z.number(),
      })
      .nullable(),
    group: z.object({ code: z.string(), name: z.string() }).nullable(),
    attributes: z.array(z.object({ code: z.string(), name: z.string(), unit: z.string() })),
  }),
  notes: z.array(z.string()),
});
