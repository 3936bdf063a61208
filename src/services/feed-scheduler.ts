import type { DatabaseHandle } from '../db/database.js';
import type { FeedFileOpener } from '../domain/feed.js';
import { runDueFeeds, type FeedRunView } from './feed.service.js';

/**
 * The in-process feed schedule: a timer that asks the database for due feeds every `pollSeconds` and
 * runs them. pg-boss would need a pg Pool, which PGlite has not; claiming from the feed table with
 * FOR UPDATE SKIP LOCKED (db/feed.repository.ts) works on both, so every server process may run a
 * scheduler and each due feed still runs once. The timer is unref'd (it never keeps the process
 * alive), a check is skipped while the previous one is still running, and `stop` waits for it.
 */

export interface FeedSchedulerLog {
  info(message: string): void;
  error(message: string): void;
}

export interface FeedScheduler {
  stop(): Promise<void>;
}

export function startFeedScheduler(
  handle: DatabaseHandle,
  options: {
    open: FeedFileOpener;
    /** Seconds between checks; 0 turns the schedule off. */
    pollSeconds: number;
    log: FeedSchedulerLog;
    now?: () => Date;
  },
): FeedScheduler {
  if (options.pollSeconds <= 0) return { stop: async () => undefined };
  const now = options.now ?? (() => new Date());
  let current: Promise<void> | null = null;
  let stopped = false;
  const describe = (run: FeedRunView) => `Feed ${run.feed} ${run.outcome}: ${run.message}`;
  const check = () => {
    if (current || stopped) return;
    current = runDueFeeds(handle, now(), { open: options.open })
      .then((runs) => {
        for (const run of runs)
          if (run.outcome === 'failed') options.log.error(describe(run));
          else options.log.info(describe(run));
      })
      .catch((error: unknown) =>
        options.log.error(
          `The feed schedule could not check for due feeds: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        current = null;
      });
  };
  const timer = setInterval(check, options.pollSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
