import { sql, type Selectable } from 'kysely';
import type { Problem } from '../domain/errors.js';
import {
  feedKinds,
  feedOutcomes,
  type Feed,
  type FeedKind,
  type FeedOutcome,
  type FeedRun,
} from '../domain/feed.js';
import { statisticsSources, type StatisticsSource } from '../domain/statistics-file.js';
import type { Executor } from './database.js';
import type { FeedTable } from './schema.js';

/**
 * Feeds and their runs. The feed table is also the job queue: due feeds are claimed with
 * FOR UPDATE SKIP LOCKED (one statement that moves the next run on and takes a lease), which works the
 * same on PGlite (one connection, statements one at a time) and on PostgreSQL (many processes).
 */

export interface StoredFeed extends Feed {
  id: number;
}

export interface LastFeedRun {
  outcome: FeedOutcome;
  finishedAt: Date;
  message: string;
}

function oneOf<T extends string>(values: readonly T[], value: string, what: string): T {
  const found = values.find((v) => v === value);
  if (found === undefined) throw new Error(`Stored ${what} "${value}" is not one of ${values.join(', ')}`);
  return found;
}

type FeedRow = Selectable<FeedTable>;

function feedRowToFeed(row: FeedRow): StoredFeed {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: oneOf<FeedKind>(feedKinds, row.kind, 'feed kind'),
    source: oneOf<StatisticsSource>(statisticsSources, row.source, 'statistics source'),
    url: row.url,
    intervalHours: row.interval_hours,
    enabled: row.enabled,
    nextRunAt: new Date(row.next_run_at),
    runningUntil: row.running_until ? new Date(row.running_until) : null,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
  };
}

export interface NewFeed {
  code: string;
  name: string;
  kind: FeedKind;
  source: StatisticsSource;
  url: string;
  intervalHours: number;
  enabled: boolean;
  nextRunAt: Date;
  createdBy: string;
}

export async function insertFeed(ex: Executor, feed: NewFeed): Promise<StoredFeed> {
  const row = await ex
    .insertInto('feed')
    .values({
      code: feed.code,
      name: feed.name,
      kind: feed.kind,
      source: feed.source,
      url: feed.url,
      interval_hours: feed.intervalHours,
      enabled: feed.enabled,
      next_run_at: feed.nextRunAt,
      created_by: feed.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return feedRowToFeed(row);
}

export async function findFeedByCode(ex: Executor, code: string): Promise<StoredFeed | null> {
  const row = await ex.selectFrom('feed').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? feedRowToFeed(row) : null;
}

/** Every feed, by code, with its latest run. */
export async function listFeedsWithLastRun(
  ex: Executor,
): Promise<Array<StoredFeed & { lastRun: LastFeedRun | null }>> {
  const rows = await ex
    .selectFrom('feed as f')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('feed_run as r')
          .select(['r.outcome', 'r.finished_at', 'r.message'])
          .whereRef('r.feed_id', '=', 'f.id')
          .orderBy('r.id', 'desc')
          .limit(1)
          .as('last'),
      (join) => join.onTrue(),
    )
    .selectAll('f')
    .select([
      'last.outcome as last_outcome',
      'last.finished_at as last_finished_at',
      'last.message as last_message',
    ])
    .orderBy('f.code')
    .execute();
  return rows.map((row) => ({
    ...feedRowToFeed(row),
    lastRun:
      row.last_outcome && row.last_finished_at
        ? {
            outcome: oneOf<FeedOutcome>(feedOutcomes, row.last_outcome, 'feed outcome'),
            finishedAt: new Date(row.last_finished_at),
            message: row.last_message ?? '',
          }
        : null,
  }));
}

export async function setFeedEnabled(ex: Executor, id: number, enabled: boolean): Promise<StoredFeed> {
  const row = await ex
    .updateTable('feed')
    .set({ enabled })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return feedRowToFeed(row);
}

/** The due time moved on by whole intervals past `now` (a missed run is not repeated, the hour kept). */
const advancedDue = (now: Date) => sql<Date>`
  next_run_at + interval_hours * interval '1 hour'
    * (floor(extract(epoch from (${now}::timestamptz - next_run_at)) / (interval_hours * 3600)) + 1)
`;

/**
 * Claims up to `limit` enabled feeds that are due and not held by a run, in one statement: rows locked
 * by another process's claim are skipped, and each claimed feed's next run is moved on and a lease
 * taken before the statement ends, so a claimed feed is never claimed twice and a crash mid-run does
 * not make it due again at once. The lease lets a manual run and the schedule exclude each other.
 */
export async function claimDueFeeds(
  ex: Executor,
  now: Date,
  limit: number,
  leaseUntil: Date,
): Promise<StoredFeed[]> {
  const result = await sql<FeedRow>`
    update feed set next_run_at = ${advancedDue(now)}, running_until = ${leaseUntil}
    where id in (
      select id from feed
      where enabled and next_run_at <= ${now} and (running_until is null or running_until <= ${now})
      order by next_run_at, id
      limit ${limit}
      for update skip locked
    )
    returning *
  `.execute(ex);
  return result.rows.map(feedRowToFeed).sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Claims one feed to run now, whether due or not (a run started by hand); a due feed's next run is
 * moved on as if the schedule had run it. Null when a run holds it.
 */
export async function claimFeed(
  ex: Executor,
  id: number,
  now: Date,
  leaseUntil: Date,
): Promise<StoredFeed | null> {
  const result = await sql<FeedRow>`
    update feed
    set running_until = ${leaseUntil},
      next_run_at = case when next_run_at <= ${now} then ${advancedDue(now)} else next_run_at end
    where id = ${id} and (running_until is null or running_until <= ${now})
    returning *
  `.execute(ex);
  const row = result.rows[0];
  return row ? feedRowToFeed(row) : null;
}

/** Gives up the lease, unless it has run out and another run has taken the feed since. */
export async function releaseFeed(ex: Executor, id: number, leaseUntil: Date): Promise<void> {
  await ex
    .updateTable('feed')
    .set({ running_until: null })
    .where('id', '=', id)
    .where('running_until', '=', leaseUntil)
    .execute();
}

export type NewFeedRun = Omit<FeedRun, 'id' | 'feedCode'> & { feedId: number };

export async function insertFeedRun(ex: Executor, run: NewFeedRun): Promise<number> {
  const row = await ex
    .insertInto('feed_run')
    .values({
      feed_id: run.feedId,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      outcome: run.outcome,
      message: run.message,
      problems: JSON.stringify(run.problems),
      import_run_id: run.importRunId,
      sha256: run.sha256,
      rows_read: run.rowsRead,
      values_inserted: run.valuesInserted,
      values_superseded: run.valuesSuperseded,
      quarantined: run.quarantined,
      run_by: run.runBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function problemsOf(value: unknown): Problem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p: unknown) => {
    if (!p || typeof p !== 'object' || !('message' in p) || typeof p.message !== 'string') return [];
    const located = p as Record<string, unknown>;
    return [
      {
        message: p.message,
        ...(typeof located.file === 'string' ? { file: located.file } : {}),
        ...(typeof located.row === 'number' ? { row: located.row } : {}),
        ...(typeof located.column === 'string' ? { column: located.column } : {}),
        ...(typeof located.field === 'string' ? { field: located.field } : {}),
      },
    ];
  });
}

/** A feed's runs, newest first. */
export async function listFeedRuns(ex: Executor, feedId: number, limit: number): Promise<FeedRun[]> {
  const rows = await ex
    .selectFrom('feed_run as r')
    .innerJoin('feed as f', 'f.id', 'r.feed_id')
    .selectAll('r')
    .select('f.code')
    .where('r.feed_id', '=', feedId)
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    feedCode: row.code,
    startedAt: new Date(row.started_at),
    finishedAt: new Date(row.finished_at),
    outcome: oneOf<FeedOutcome>(feedOutcomes, row.outcome, 'feed outcome'),
    message: row.message,
    problems: problemsOf(row.problems),
    importRunId: row.import_run_id,
    sha256: row.sha256,
    rowsRead: row.rows_read,
    valuesInserted: row.values_inserted,
    valuesSuperseded: row.values_superseded,
    quarantined: row.quarantined,
    runBy: row.run_by,
  }));
}
