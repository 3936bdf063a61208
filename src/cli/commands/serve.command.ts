import type { Command } from 'commander';
import { buildServer, defaultWebRoot } from '../../api/server.js';
import { loadConfig } from '../../config.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import { openFeedFile } from '../../import/feed-files.js';
import { openPreparedDatabase } from '../../services/database.service.js';
import { isDatabaseEmpty, loadDemoDataset } from '../../services/demo.service.js';
import { isSetUpRequired } from '../../services/identity.service.js';
import { createOidcClient } from '../../services/oidc.service.js';
import { parsePositiveInteger } from '../arguments.js';
import { reportError } from '../output.js';
import { startProgress } from '../progress.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Migrate the database, load the demo dataset if it is empty, and serve the web app and API')
    .option('--port <port>', 'port (default PORT or 3000; 0 picks a free port)', parsePositiveInteger)
    .option('--host <host>', 'interface to listen on (default HOST or localhost)')
    .option('--no-demo', 'do not load the demo dataset into an empty database')
    .action(async (options: { port?: number; host?: string; demo: boolean }) => {
      try {
        const config = loadConfig();
        const prepared = await openPreparedDatabase(config.database, 'oversight serve');
        const { handle } = prepared;
        if (options.demo && (await isDatabaseEmpty(handle.db))) {
          process.stderr.write(
            'The database is empty: loading the generated demo dataset (clearly labelled as demo data).\n',
          );
          const progress = startProgress('Loading demo dataset');
          await loadDemoDataset(handle, { onProgress: (done, total) => progress.update(done, total) });
          progress.stop();
        }
        const app = await buildServer({
          db: handle.db,
          engine: handle.engine,
          today: () => todayIsoDate(),
          webRoot: defaultWebRoot,
          logLevel: config.logLevel,
          oidc: config.oidc ? createOidcClient(handle.db, config.oidc, config.publicUrl) : null,
          secureCookies: config.secureCookies,
          trustProxy: config.trustProxy,
          // The composition root of feeds: the fetch-and-parse half comes from src/import.
          feeds: { handle, open: openFeedFile },
          feedPollSeconds: config.feedPollSeconds,
        });
        const shutdown = async (signal: string) => {
          app.log.info(`${signal} received: closing`);
          await app.close();
          await handle.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void shutdown('SIGINT'));
        process.once('SIGTERM', () => void shutdown('SIGTERM'));
        const address = await app.listen({
          port: options.port ?? config.port,
          host: options.host ?? config.host,
        });
        const shown = address.replace('127.0.0.1', 'localhost');
        process.stderr.write(`NHS Oversight is running at ${shown} (${handle.description}).\n`);
        if (await isSetUpRequired(handle.db))
          process.stderr.write(
            `No accounts yet: open ${shown}/setup to create the administrator, or run "oversight users create --admin".\n`,
          );
      } catch (error) {
        reportError(error, {});
      }
    });
}
