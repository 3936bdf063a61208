import { appendAuditEvents } from '../db/audit.repository.js';
import type { DatabaseHandle, Db, Executor } from '../db/database.js';
import {
  claimDueFeeds,
  claimFeed,
  findFeedByCode,
  insertFeed,
  insertFeedRun,
  listFeedRuns as listStoredFeedRuns,
  listFeedsWithLastRun,
  releaseFeed,
  setFeedEnabled as storeFeedEnabled,
  type LastFeedRun,
  type NewFeedRun,
  type StoredFeed,
} from '../db/feed.repository.js';
import type { Principal } from '../domain/access.js';
import type { Actor } from '../domain/audit.js';
import {
  AppError,
  conflict,
  describeLocation,
  invalidInput,
  notFound,
  type Problem,
  zodProblems,
} from '../domain/errors.js';
import {
  feedInputSchema,
  type Feed,
  type FeedFileOpener,
  type FeedOutcome,
  type FeedRun,
  type OpenedFeedFile,
} from '../domain/feed.js';
import { authoriseConfiguration } from './access.service.js';
import { importStatistics, type StatisticsImportSummary } from './statistics-import.service.js';

/**
 * Feeds: published statistics files fetched from configured addresses on a schedule, imported with
 * importStatistics, each run logged with its outcome (succeeded, unchanged, failed).
 *
 * Fetching and parsing the file belong to src/import, which services may not use. Rather than move the
 * fetch into the transport layer (the schedule has no request to hang it on), the caller injects a
 * `FeedFileOpener` (domain/feed.ts): the serve command, the feeds command and tests pass
 * `openFeedFile` from src/import/feed-files.ts. The service holds the rules: who may change feeds,
 * claiming, recording every outcome, and storing nothing when a run fails.
 */

/** How long a fetch may take, from the request to the last byte. */
export const defaultFeedTimeoutMs = 10 * 60_000;
/** How long a run holds its feed: longer than any fetch and import, short enough to recover after a crash. */
const feedLeaseMs = 60 * 60_000;

/** Who runs scheduled feeds, in the audit trail and the run log. */
export const feedScheduleActor: Actor = { kind: 'system', id: null, label: 'Feed schedule' };

export interface FeedView {
  code: string;
  name: string;
  kind: Feed['kind'];
  source: Feed['source'];
  url: string;
  intervalHours: number;
  enabled: boolean;
  nextRunAt: string;
  /** A run holds the feed now. */
  running: boolean;
  createdAt: string;
  createdBy: string;
  lastRun: { outcome: FeedOutcome; finishedAt: string; message: string } | null;
}

export interface FeedRunView {
  id: number;
  feed: string;
  startedAt: string;
  finishedAt: string;
  outcome: FeedOutcome;
  message: string;
  problems: Problem[];
  importRunId: number | null;
  sha256: string | null;
  rowsRead: number | null;
  valuesInserted: number | null;
  valuesSuperseded: number | null;
  quarantined: number | null;
  runBy: string;
}

function presentFeed(feed: StoredFeed, lastRun: LastFeedRun | null, now: Date): FeedView {
  return {
    code: feed.code,
    name: feed.name,
    kind: feed.kind,
    source: feed.source,
    url: feed.url,
    intervalHours: feed.intervalHours,
    enabled: feed.enabled,
    nextRunAt: feed.nextRunAt.toISOString(),
    running: feed.runningUntil !== null && feed.runningUntil > now,
    createdAt: feed.createdAt.toISOString(),
    createdBy: feed.createdBy,
    lastRun: lastRun
      ? { outcome: lastRun.outcome, finishedAt: lastRun.finishedAt.toISOString(), message: lastRun.message }
      : null,
  };
}

function presentRun(run: FeedRun): FeedRunView {
  return {
    id: run.id,
    feed: run.feedCode,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    outcome: run.outcome,
    message: run.message,
    problems: run.problems,
    importRunId: run.importRunId,
    sha256: run.sha256,
    rowsRead: run.rowsRead,
    valuesInserted: run.valuesInserted,
    valuesSuperseded: run.valuesSuperseded,
    quarantined: run.quarantined,
    runBy: run.runBy,
  };
}

/** Who may add, enable, disable and run feeds through the API: national directors (the `configure` action). */
export async function authoriseFeedChange(ex: Executor, principal: Principal): Promise<void> {
  await authoriseConfiguration(ex, principal, 'the feeds');
}

async function requireFeed(ex: Executor, code: string): Promise<StoredFeed> {
  const feed = await findFeedByCode(ex, code);
  if (!feed) throw notFound(`There is no feed ${code}. See "oversight feeds list".`);
  return feed;
}

export async function listFeeds(ex: Executor, now: Date = new Date()): Promise<FeedView[]> {
  return (await listFeedsWithLastRun(ex)).map((feed) => presentFeed(feed, feed.lastRun, now));
}

export async function getFeed(ex: Executor, code: string, now: Date = new Date()): Promise<FeedView> {
  const found = (await listFeedsWithLastRun(ex)).find((feed) => feed.code === code);
  if (!found) throw notFound(`There is no feed ${code}. See "oversight feeds list".`);
  return presentFeed(found, found.lastRun, now);
}

/** Adds a feed (due at once unless a first run time is given); audited. */
export async function addFeed(
  db: Db,
  actor: Actor,
  input: unknown,
  now: Date = new Date(),
): Promise<FeedView> {
  const parsed = feedInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error, { fallback: 'feed' });
    throw invalidInput(
      `The feed is not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
      problems,
    );
  }
  const f = parsed.data;
  return db.transaction().execute(async (trx) => {
    if (await findFeedByCode(trx, f.code))
      throw conflict(`A feed ${f.code} already exists. Choose another code.`);
    const feed = await insertFeed(trx, {
      code: f.code,
      name: f.name,
      kind: f.kind,
      source: f.source,
      url: f.url,
      intervalHours: f.intervalHours,
      enabled: f.enabled,
      nextRunAt: f.firstRunAt ? new Date(f.firstRunAt) : now,
      createdBy: actor.label,
    });
    await appendAuditEvents(trx, actor, [
      {
        action: 'feed.create',
        recordType: 'feed',
        recordId: feed.code,
        before: null,
        after: {
          name: feed.name,
          kind: feed.kind,
          source: feed.source,
          url: feed.url,
          intervalHours: feed.intervalHours,
          enabled: feed.enabled,
          nextRunAt: feed.nextRunAt.toISOString(),
        },
      },
    ]);
    return presentFeed(feed, null, now);
  });
}

/** Turns a feed's schedule on or off (a disabled feed can still be run by hand); audited when it changes. */
export async function setFeedEnabled(
  db: Db,
  actor: Actor,
  code: string,
  enabled: boolean,
  now: Date = new Date(),
): Promise<FeedView> {
  await db.transaction().execute(async (trx) => {
    const feed = await requireFeed(trx, code);
    if (feed.enabled === enabled) return;
    await storeFeedEnabled(trx, feed.id, enabled);
    await appendAuditEvents(trx, actor, [
      {
        action: enabled ? 'feed.enable' : 'feed.disable',
        recordType: 'feed',
        recordId: code,
        before: { enabled: feed.enabled },
        after: { enabled },
      },
    ]);
  });
  return getFeed(db, code, now);
}

/** A feed's runs, newest first. */
export async function listFeedRuns(ex: Executor, code: string, limit = 50): Promise<FeedRunView[]> {
  const feed = await requireFeed(ex, code);
  return (await listStoredFeedRuns(ex, feed.id, limit)).map(presentRun);
}

export interface FeedRunOptions {
  /** Fetches and opens the file (src/import/feed-files.ts `openFeedFile`, injected by the caller). */
  open: FeedFileOpener;
  timeoutMs?: number;
  onBytes?: (bytes: number, totalBytes: number | null) => void;
  onRows?: (rowsRead: number) => void;
}

/** One problem as people read it: "ae.csv, row 3, column period: …". */
const locatedText = (problem: Problem) => {
  const where = describeLocation(problem);
  return where ? `${where}: ${problem.message}` : problem.message;
};

/** What a run found, before it is stamped with its feed, times and who ran it. */
type RunResult = Omit<NewFeedRun, 'feedId' | 'startedAt' | 'finishedAt' | 'runBy'>;

function failedRun(error: unknown): RunResult {
  const nothing = {
    outcome: 'failed' as const,
    importRunId: null,
    sha256: null,
    rowsRead: null,
    valuesInserted: null,
    valuesSuperseded: null,
    quarantined: null,
  };
  if (error instanceof AppError) {
    const [first] = error.problems;
    const more = error.problems.length - 1;
    return {
      ...nothing,
      message: first
        ? `${error.message} ${locatedText(first)}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`
        : error.message,
      problems: error.problems.slice(0, 20),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ...nothing, message: `The run failed: ${message}`, problems: [] };
}

function finishedRun(summary: StatisticsImportSummary): RunResult {
  const counts = {
    sha256: summary.sha256,
    rowsRead: summary.rowsRead,
    valuesInserted: summary.stored.inserted,
    valuesSuperseded: summary.stored.superseded,
    quarantined: summary.quarantine.rows,
    problems: [],
  };
  if (!summary.changed)
    return {
      ...counts,
      outcome: 'unchanged',
      importRunId: null,
      message: `Nothing changed: all ${summary.valuesRead} value(s) in ${summary.rowsRead} row(s) match what is stored.`,
    };
  const held =
    summary.quarantine.rows > 0
      ? ` ${summary.quarantine.rows} value(s) for ${summary.quarantine.codes.length} unknown code(s) are held in quarantine.`
      : '';
  return {
    ...counts,
    outcome: 'succeeded',
    importRunId: summary.importRunId,
    message:
      `Imported ${summary.rowsRead} row(s) (${summary.layout}): ${summary.stored.inserted} new value(s), ` +
      `${summary.stored.superseded} revised, ${summary.stored.unchanged} unchanged.${held}`,
  };
}

/**
 * Runs one claimed feed: fetch, import (one transaction: all or nothing), then log the run and give up
 * the lease. Every failure — the server's answer, a timeout, a bad file — becomes a failed run with its
 * located message; nothing is stored.
 */
async function runClaimedFeed(
  handle: DatabaseHandle,
  feed: StoredFeed,
  leaseUntil: Date,
  actor: Actor,
  options: FeedRunOptions,
): Promise<FeedRunView> {
  const startedAt = new Date();
  let opened: OpenedFeedFile | null = null;
  let result: RunResult;
  try {
    opened = await options.open({
      url: feed.url,
      source: feed.source,
      timeoutMs: options.timeoutMs ?? defaultFeedTimeoutMs,
      ...(options.onBytes ? { onBytes: options.onBytes } : {}),
    });
    const summary = await importStatistics(handle, opened.file, {
      fileName: opened.fileName,
      url: opened.url,
      digest: opened.digest,
      actor,
      ...(options.onRows ? { onProgress: options.onRows } : {}),
    });
    result = finishedRun(summary);
  } catch (error) {
    result = failedRun(error);
  } finally {
    opened?.discard();
  }
  const run: NewFeedRun = {
    ...result,
    feedId: feed.id,
    startedAt,
    finishedAt: new Date(),
    runBy: actor.label,
  };
  try {
    const id = await insertFeedRun(handle.db, run);
    return presentRun({ ...run, id, feedCode: feed.code });
  } finally {
    await releaseFeed(handle.db, feed.id, leaseUntil);
  }
}

/**
 * Runs a feed now, due or not, enabled or not (the command line, or a national director through the
 * API). Refused while another run holds it. A failed run is returned, not thrown: it is logged like any
 * other.
 */
export async function runFeed(
  handle: DatabaseHandle,
  code: string,
  actor: Actor,
  options: FeedRunOptions,
  now: Date = new Date(),
): Promise<FeedRunView> {
  const feed = await requireFeed(handle.db, code);
  const leaseUntil = new Date(now.getTime() + feedLeaseMs);
  const claimed = await claimFeed(handle.db, feed.id, now, leaseUntil);
  if (!claimed)
    throw conflict(
      `Feed ${code} is being run now (held until ${feed.runningUntil?.toISOString() ?? 'it finishes'}). Try again when that run has finished.`,
    );
  return runClaimedFeed(handle, claimed, leaseUntil, actor, options);
}

/**
 * Claims the enabled feeds that are due (at most `limit`) and runs them one after another. Safe to call
 * from several processes at once: each due feed is claimed by one of them.
 */
export async function runDueFeeds(
  handle: DatabaseHandle,
  now: Date,
  options: FeedRunOptions & { limit?: number; actor?: Actor },
): Promise<FeedRunView[]> {
  const leaseUntil = new Date(now.getTime() + feedLeaseMs);
  const claimed = await claimDueFeeds(handle.db, now, options.limit ?? 10, leaseUntil);
  const runs: FeedRunView[] = [];
  for (const feed of claimed)
    runs.push(await runClaimedFeed(handle, feed, leaseUntil, options.actor ?? feedScheduleActor, options));
  return runs;
}
