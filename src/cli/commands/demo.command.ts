import type { Command } from 'commander';
import { loadDemoDataset } from '../../services/demo.service.js';
import { parsePositiveInteger } from '../arguments.js';
import { withDatabase } from '../database.js';
import { printJson, printLine, reportError } from '../output.js';
import { startProgress } from '../progress.js';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Load the generated demonstration dataset into an empty database (clearly labelled as demo data)',
    )
    .option(
      '--seed <number>',
      'seed for the generator; the same seed gives the same dataset',
      parsePositiveInteger,
    )
    .option('--json', 'print one JSON document')
    .action(async (options: { seed?: number; json?: boolean }) => {
      try {
        await withDatabase('oversight demo', async ({ handle }) => {
          const progress = startProgress('Generating demo dataset', { quiet: options.json === true });
          try {
            const summary = await loadDemoDataset(handle, {
              ...(options.seed !== undefined ? { seed: options.seed } : {}),
              onProgress: (done, total) => progress.update(done, total),
            });
            progress.stop();
            if (options.json) return printJson(summary);
            printLine(
              `Loaded the demo dataset (seed ${summary.seed}): ${summary.organisations} generated organisations, ${summary.operations} changes, ${summary.observations.toLocaleString('en-GB')} monthly figures.`,
            );
            if (summary.rollups.error) process.stderr.write(`Warning: ${summary.rollups.error}\n`);
          } finally {
            progress.stop();
          }
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
