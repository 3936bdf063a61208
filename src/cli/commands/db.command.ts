import type { Command } from 'commander';
import { withDatabase } from '../database.js';
import { printJson, printLine, reportError } from '../output.js';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('Database administration');
  db.command('migrate')
    .description("Apply pending migrations and load NHS England's reference structure if missing")
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight db migrate', async ({ handle, migration, referenceLoaded }) => {
          const result = {
            database: handle.description,
            migrationsApplied: migration.applied,
            migrationsAlreadyApplied: migration.alreadyApplied,
            referenceStructureLoaded: referenceLoaded,
          };
          if (options.json) return printJson(result);
          printLine(`Database: ${result.database}`);
          printLine(
            migration.applied.length > 0
              ? `Applied ${migration.applied.length} migration(s): ${migration.applied.join(', ')}`
              : `Up to date (${migration.alreadyApplied} migration(s) already applied).`,
          );
          if (referenceLoaded) printLine('Loaded the NHS England reference structure (regions and ICBs).');
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
