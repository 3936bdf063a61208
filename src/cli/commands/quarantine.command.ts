import { operatorActor } from '../actor.js';
import type { Command } from 'commander';
import { invalidInput } from '../../domain/errors.js';
import { listImports } from '../../services/import-history.service.js';
import {
  listQuarantine,
  resolveAllAsIndependentProviders,
  resolveQuarantinedCode,
} from '../../services/quarantine.service.js';
import type { ChangeContext } from '../../services/hierarchy.service.js';
import { parseDateOption, parseOdsCode } from '../arguments.js';
import { withDatabase } from '../database.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

const context = (): ChangeContext => ({
  source: 'cli quarantine',
  provenance: 'manual',
  actor: operatorActor(),
});

export function registerQuarantineCommands(program: Command): void {
  const quarantine = program
    .command('quarantine')
    .description('Figures held for organisation codes that are not known here');
  quarantine
    .command('list')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight quarantine list', async ({ handle }) => {
          const codes = await listQuarantine(handle.db);
          if (options.json) return printJson(codes);
          printTable(
            codes.map((c) => ({
              code: c.odsCode,
              name: c.orgName,
              values: c.rows,
              from: c.firstPeriod,
              to: c.lastPeriod,
              items: c.items.join(' '),
            })),
            ['code', 'name', 'values', 'from', 'to', 'items'],
          );
          printLine(
            `\n${codes.length} code(s) held. Resolve one with "oversight quarantine resolve <code> --successor <code> | --independent".`,
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  quarantine
    .command('resolve')
    .description(
      'Say what a held code is: the predecessor of an organisation, or an independent provider; its figures are then released',
    )
    .argument('<code>', 'the held ODS code', parseOdsCode)
    .option('--successor <code>', 'the organisation that succeeded it', parseOdsCode)
    .option(
      '--date <date>',
      'when the succession took effect (default: the month after its last figure)',
      parseDateOption,
    )
    .option('--independent', 'open it as an independent provider')
    .option('--name <name>', 'its name (default: the name in the file, if any)')
    .option('--parent <code>', 'the ICB it is placed under (default: England)', parseOdsCode)
    .requiredOption('--reason <text>', 'why (recorded)')
    .option('--json', 'print one JSON document')
    .action(
      async (
        code: string,
        options: {
          successor?: string;
          date?: string;
          independent?: boolean;
          name?: string;
          parent?: string;
          reason: string;
          json?: boolean;
        },
      ) => {
        try {
          if (!!options.successor === !!options.independent)
            throw invalidInput('Give either --successor <code> or --independent.');
          await withDatabase('oversight quarantine resolve', async ({ handle }) => {
            const result = await handle.db.transaction().execute((trx) =>
              resolveQuarantinedCode(trx, context(), {
                odsCode: code,
                reason: options.reason,
                resolution: options.successor
                  ? {
                      kind: 'successor',
                      successorCode: options.successor,
                      ...(options.date ? { effectiveDate: options.date } : {}),
                    }
                  : {
                      kind: 'independent-provider',
                      ...(options.name ? { name: options.name } : {}),
                      ...(options.parent ? { parentCode: options.parent } : {}),
                    },
              }),
            );
            if (options.json) return printJson(result);
            printLine(
              `Released ${result.rowsReleased} value(s) for ${result.odsCode} (now counted through ${result.target}).`,
            );
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  quarantine
    .command('resolve-all')
    .description(
      'Open every held code as an independent provider (names from the files where given) and release its figures',
    )
    .requiredOption('--independent', 'resolve them as independent providers')
    .option('--parent <code>', 'place them under this ICB (default: England)', parseOdsCode)
    .requiredOption('--reason <text>', 'why (recorded)')
    .option('--json', 'print one JSON document')
    .action(async (options: { parent?: string; reason: string; json?: boolean }) => {
      try {
        await withDatabase('oversight quarantine resolve-all', async ({ handle }) => {
          const result = await handle.db.transaction().execute((trx) =>
            resolveAllAsIndependentProviders(trx, context(), {
              reason: options.reason,
              ...(options.parent ? { parentCode: options.parent } : {}),
            }),
          );
          if (options.json) return printJson(result);
          printLine(
            `Opened ${result.codes} independent provider(s) and released ${result.rowsReleased} value(s).`,
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  program
    .command('imports')
    .description('Recent imports of published files, with what each stored')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      try {
        await withDatabase('oversight imports', async ({ handle }) => {
          const runs = await listImports(handle.db, 50);
          if (options.json) return printJson(runs);
          printTable(
            runs.map((r) => ({
              run: r.id,
              source: r.source,
              file: r.fileName,
              finished: r.finishedAt.slice(0, 16).replace('T', ' '),
              sha256: (r.sha256 ?? '').slice(0, 12),
            })),
            ['run', 'source', 'file', 'finished', 'sha256'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
