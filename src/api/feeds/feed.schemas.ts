import { z } from 'zod';
import { feedCodePattern, feedInputSchema, feedKinds, feedOutcomes } from '../../domain/feed.js';
import { statisticsSources } from '../../domain/statistics-file.js';

export const feedCodeParams = z.object({
  code: z.string().regex(feedCodePattern, { message: 'must be a feed code, e.g. ae-monthly' }),
});

export const feedBodySchema = feedInputSchema;

const feedSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(feedKinds),
  source: z
    .enum(statisticsSources)
    .describe('The statistics the file holds; its layout is read from its header'),
  url: z.string(),
  intervalHours: z.number().int(),
  enabled: z.boolean().describe('Whether the schedule runs it (a disabled feed can still be run by hand)'),
  nextRunAt: z.string().describe('When the schedule runs it next (ISO 8601)'),
  running: z.boolean().describe('A run holds the feed now'),
  createdAt: z.string(),
  createdBy: z.string(),
  lastRun: z
    .object({ outcome: z.enum(feedOutcomes), finishedAt: z.string(), message: z.string() })
    .nullable(),
});

const problemSchema = z.object({
  message: z.string(),
  file: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
  field: z.string().optional(),
});

const feedRunSchema = z.object({
  id: z.number().int(),
  feed: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: z
    .enum(feedOutcomes)
    .describe('succeeded: values stored; unchanged: the file matched what is stored; failed: nothing stored'),
  message: z.string().describe('What happened: the counts, or what was wrong and where'),
  problems: z.array(problemSchema).describe('Located problems of a failed run (at most 20)'),
  importRunId: z.number().int().nullable().describe('The import run that stored the values'),
  sha256: z.string().nullable(),
  rowsRead: z.number().int().nullable(),
  valuesInserted: z.number().int().nullable(),
  valuesSuperseded: z.number().int().nullable(),
  quarantined: z.number().int().nullable(),
  runBy: z.string(),
});

export const feedResponseSchema = z.object({ feed: feedSchema });
export const feedsResponseSchema = z.object({ feeds: z.array(feedSchema) });
export const feedRunResponseSchema = z.object({ run: feedRunSchema });
export const feedRunsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('How many runs, newest first'),
});
export const feedRunsResponseSchema = z.object({ runs: z.array(feedRunSchema) });
