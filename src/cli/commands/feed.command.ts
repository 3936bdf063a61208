import { InvalidArgumentError, type Command } from 'commander';
import { describeLocation } from '../../domain/errors.js';
import { statisticsSources, type StatisticsSource } from '../../domain/statistics-file.js';
import { openFeedFile } from '../../import/feed-files.js';
import {
  addFeed,
  listFeedRuns,
  listFeeds,
  runFeed,
  setFeedEnabled,
  type FeedRunView,
  type FeedView,
} from '../../services/feed.service.js';
import { operatorActor } from '../actor.js';
import { parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { exitCodeOf, printJson, printLine, printTable, reportError } from '../output.js';
import { startProgress } from '../progress.js';

function parseSource(value: string): StatisticsSource {
  const source = statisticsSources.find((s) => s === value);
  if (!source)
    throw new InvalidArgumentError(
      `"${value}" is not a statistics source. Use one of: ${statisticsSources.join(', ')}.`,
    );
  return source;
}

function parseDateTime(value: string): string {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time.getTime()))
    throw new InvalidArgumentError(`"${value}" is not a date and time such as 2025-07-01T06:00:00Z.`);
  return time.toISOString();
}

function printFeed(feed: FeedView): void {
  printLine(`${feed.name} (${feed.code}): ${feed.enabled ? 'enabled' : 'disabled'}`);
  printLine(`Fetches ${feed.source} statistics from ${feed.url} every ${feed.intervalHours} hour(s).`);
  printLine(`Next run: ${feed.nextRunAt}${feed.running ? ' (running now)' : ''}.`);
  if (feed.lastRun)
    printLine(`Last run: ${feed.lastRun.outcome} at ${feed.lastRun.finishedAt}: ${feed.lastRun.message}`);
}

function printRun(run: FeedRunView): void {
  printLine(`Feed ${run.feed}, run ${run.id}: ${run.outcome} (${run.startedAt} to ${run.finishedAt}).`);
  printLine(run.message);
  // The first problem is in the message; the rest follow, located.
  for (const problem of run.problems.slice(1, 10)) {
    const where = describeLocation(problem);
    printLine(`  - ${where ? `${where}: ` : ''}${problem.message}`);
  }
}

export function registerFeedCommands(program: Command): void {
  const feeds = program
    .command('feeds')
    .description(
      'Feeds: published statistics files fetched from an address on a schedule while the server runs (FEED_POLL_SECONDS), each run logged',
    );

  feeds
    .command('add <code>')
    .description('Add a feed; it is due at once unless --first-run says when')
    .requiredOption('--name <name>', 'what the feed is, e.g. "A&E monthly (NHS England)"')
    .requiredOption(
      '--source <source>',
      `the statistics the file holds: ${statisticsSources.join(', ')}`,
      parseSource,
    )
    .requiredOption('--url <url>', 'the http(s) address of the published CSV file')
    .requiredOption('--every-hours <hours>', 'hours between runs', parsePositiveInteger)
    .option(
      '--first-run <time>',
      'when the first run is due, e.g. 2025-07-01T06:00:00Z (default: now)',
      parseDateTime,
    )
    .option('--disabled', 'add it with its schedule off (it can still be run by hand)')
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        options: {
          name: string;
          source: StatisticsSource;
          url: string;
          everyHours: number;
          firstRun?: string;
          disabled?: boolean;
          json?: boolean;
        },
      ) => {
        try {
          await withDatabase('oversight feeds add', async ({ handle }) => {
            const feed = await addFeed(handle.db, operatorActor(), {
              code,
              name: options.name,
              source: options.source,
              url: options.url,
              intervalHours: options.everyHours,
              enabled: options.disabled !== true,
              ...(options.firstRun ? { firstRunAt: options.firstRun } : {}),
            });
            if (options.json) return printJson({ feed });
            printFeed(feed);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  feeds
    .command('list')
    .description('Every feed, its schedule and its latest outcome')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight feeds list', async ({ handle }) => {
          const list = await listFeeds(handle.db);
          if (options.json) return printJson({ feeds: list });
          printTable(
            list.map((f) => ({
              code: f.code,
              source: f.source,
              every: `${f.intervalHours} h`,
              enabled: f.enabled ? 'yes' : 'no',
              next: f.nextRunAt,
              last: f.lastRun ? `${f.lastRun.outcome} ${f.lastRun.finishedAt}` : null,
              url: f.url,
            })),
            ['code', 'source', 'every', 'enabled', 'next', 'last', 'url'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    feeds
      .command(`${action} <code>`)
      .description(
        enabled ? "Turn a feed's schedule on" : "Turn a feed's schedule off (it can still be run by hand)",
      )
      .option('--json', 'print one JSON document')
      .action(async (code: string, options: { json?: boolean }) => {
        try {
          await withDatabase(`oversight feeds ${action}`, async ({ handle }) => {
            const feed = await setFeedEnabled(handle.db, operatorActor(), code, enabled);
            if (options.json) return printJson({ feed });
            printFeed(feed);
          });
        } catch (error) {
          reportError(error, options);
        }
      });
  }

  feeds
    .command('run <code>')
    .description(
      'Fetch and import a feed now, due or not; the run is logged. Exits 3 when the run failed (nothing was stored)',
    )
    .option('--json', 'print one JSON document')
    .action(async (code: string, options: { json?: boolean }) => {
      try {
        await withDatabase('oversight feeds run', async ({ handle }) => {
          const progress = startProgress(`Running feed ${code}`, { quiet: options.json === true });
          try {
            // By bytes when the server gives the file's size, else by rows read.
            let sized = false;
            const run = await runFeed(handle, code, operatorActor(), {
              open: openFeedFile,
              onBytes: (bytes, total) => {
                sized = total !== null;
                if (total) progress.update(Math.min(bytes, total), total);
              },
              onRows: (rows) => {
                if (!sized) progress.update(rows, rows);
              },
            });
            progress.stop();
            if (run.outcome === 'failed') process.exitCode = exitCodeOf['invalid-file'];
            if (options.json) return printJson({ run });
            printRun(run);
          } finally {
            progress.stop();
          }
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  feeds
    .command('runs <code>')
    .description("A feed's runs, newest first")
    .option('--limit <n>', 'how many (default 20)', parsePositiveInteger)
    .option('--json', 'print one JSON document')
    .action(async (code: string, options: { limit?: number; json?: boolean }) => {
      try {
        await withDatabase('oversight feeds runs', async ({ handle }) => {
          const runs = await listFeedRuns(handle.db, code, options.limit ?? 20);
          if (options.json) return printJson({ runs });
          printTable(
            runs.map((r) => ({
              run: r.id,
              started: r.startedAt,
              outcome: r.outcome,
              rows: r.rowsRead,
              new: r.valuesInserted,
              revised: r.valuesSuperseded,
              import: r.importRunId,
              by: r.runBy,
              message: r.message.length > 100 ? `${r.message.slice(0, 99)}…` : r.message,
            })),
            ['run', 'started', 'outcome', 'rows', 'new', 'revised', 'import', 'by', 'message'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
