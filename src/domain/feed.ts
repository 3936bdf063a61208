import { z } from 'zod';
import type { Problem } from './errors.js';
import { statisticsSources, type StatisticsFile, type StatisticsSource } from './statistics-file.js';

/**
 * Feeds: published statistics files fetched from a configured address on a schedule and imported like
 * any other statistics file. Each run is logged with its outcome; a feed is due when its next run time
 * has come, and claiming it moves that time on by whole intervals, so the schedule does not drift and a
 * missed run is not repeated.
 */

export const feedKinds = ['statistics'] as const;
export type FeedKind = (typeof feedKinds)[number];

export const feedOutcomes = ['succeeded', 'unchanged', 'failed'] as const;
/** succeeded: values stored; unchanged: the file matched what is stored; failed: nothing stored. */
export type FeedOutcome = (typeof feedOutcomes)[number];

/** A year and a day, so an annual publication can be fetched once a year. */
export const maxFeedIntervalHours = 24 * 367;

export const feedCodePattern = /^[a-z][a-z0-9-]{1,62}$/;

export const feedInputSchema = z.object({
  code: z.string().regex(feedCodePattern, 'use lower-case letters, digits and hyphens, such as ae-monthly'),
  name: z.string().trim().min(1, 'enter a name').max(200),
  kind: z.enum(feedKinds).default('statistics'),
  /** Which statistics the file holds; its layout is recognised from the header, as on import. */
  source: z.enum(statisticsSources),
  url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// address' }).max(2000),
  intervalHours: z.number().int().min(1).max(maxFeedIntervalHours),
  enabled: z.boolean().default(true),
  /** When the first run is due (default: at once). */
  firstRunAt: z.iso.datetime({ offset: true }).optional(),
});

export type FeedInput = z.input<typeof feedInputSchema>;

export interface Feed {
  code: string;
  name: string;
  kind: FeedKind;
  source: StatisticsSource;
  url: string;
  intervalHours: number;
  enabled: boolean;
  nextRunAt: Date;
  /** Set while a run holds the feed (until the lease runs out, if the process died mid-run). */
  runningUntil: Date | null;
  createdAt: Date;
  createdBy: string;
}

export interface FeedRun {
  id: number;
  feedCode: string;
  startedAt: Date;
  finishedAt: Date;
  outcome: FeedOutcome;
  /** What happened, in words: the counts, or what was wrong and where. */
  message: string;
  /** Located problems of a failed run (file, row, column), at most twenty. */
  problems: Problem[];
  /** The import run that stored the values (succeeded runs only). */
  importRunId: number | null;
  sha256: string | null;
  rowsRead: number | null;
  valuesInserted: number | null;
  valuesSuperseded: number | null;
  quarantined: number | null;
  /** Who started it: the schedule, a person, or the command line. */
  runBy: string;
}

/** What the feed service asks of the transport side: fetch the file and open it for import. */
export interface FeedFileRequest {
  url: string;
  source: StatisticsSource;
  timeoutMs: number;
  /** Bytes read so far and the file's size when the server says it. */
  onBytes?: (bytes: number, totalBytes: number | null) => void;
}

export interface OpenedFeedFile {
  file: StatisticsFile;
  fileName: string;
  url: string;
  /** SHA-256 of the bytes, once the file has been read. */
  digest: () => string;
  /** Stops reading (a run that failed part-way must not leave the connection open); harmless when read. */
  discard: () => void;
}

/**
 * Fetching and parsing belong to src/import (services may not use it), so the feed service is given this
 * function by its composition root: the serve command, the feeds command, or a test.
 */
export type FeedFileOpener = (request: FeedFileRequest) => Promise<OpenedFeedFile>;
