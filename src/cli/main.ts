import { Command } from 'commander';
import { registerAccessCommands } from './commands/access.command.js';
import { registerBenchmarkCommand } from './commands/benchmark.command.js';
import { registerDbCommands } from './commands/db.command.js';
import { registerDemoCommand } from './commands/demo.command.js';
import { registerFeedCommands } from './commands/feed.command.js';
import { registerImportCommands } from './commands/import.command.js';
import { registerInterventionCommands } from './commands/interventions.command.js';
import { registerMetricCommands } from './commands/metric.command.js';
import { registerMutualAidCommands } from './commands/mutual-aid.command.js';
import { registerOrgsCommands } from './commands/orgs.command.js';
import { registerOversightCommands } from './commands/oversight.command.js';
import { registerQuarantineCommands } from './commands/quarantine.command.js';
import { registerServeCommand } from './commands/serve.command.js';
import { registerGovernanceCommands } from './commands/governance.command.js';
import { registerPlanCommands } from './commands/plan.command.js';
import { registerProgrammeCommands } from './commands/programmes.command.js';
import { registerReturnCommands } from './commands/returns.command.js';
import { registerTemplateCommands } from './commands/template.command.js';
import { registerStandardsCommands } from './commands/standards.command.js';

/**
 * The `oversight` command. Each subcommand is a thin file that validates its arguments, calls a
 * service and prints the result: a table for people, or one JSON document with --json for scripts.
 */
// A reader that stops early (`| head`) closes the pipe: that is the reader's choice, not a failure to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command()
  .name('oversight')
  .description(
    'NHS Oversight: the effective-dated NHS hierarchy, imports and the web app.\n' +
      'Uses the embedded database in .data/ (OVERSIGHT_DATA_DIR), or PostgreSQL when DATABASE_URL is set.',
  )
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  // Set before the subcommands are added, so they inherit it: usage errors exit 2, like other bad input.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

registerServeCommand(program);
registerDbCommands(program);
registerImportCommands(program);
registerOrgsCommands(program);
registerMetricCommands(program);
registerBenchmarkCommand(program);
registerOversightCommands(program);
registerTemplateCommands(program);
registerReturnCommands(program);
registerPlanCommands(program);
registerGovernanceCommands(program);
registerMutualAidCommands(program);
registerProgrammeCommands(program);
registerInterventionCommands(program);
registerStandardsCommands(program);
registerQuarantineCommands(program);
registerFeedCommands(program);
registerDemoCommand(program);
registerAccessCommands(program);

await program.parseAsync(process.argv);
