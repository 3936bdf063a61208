import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { AppError, invalidInput } from '../../domain/errors.js';
import { maxReturnFileBytes, returnFormats, type ReturnFormat } from '../../domain/return-document.js';
import { returnStatusLabels, type ReturnStep } from '../../domain/return-workflow.js';
import {
  detectReturnFormat,
  readReturn,
  returnFileExtension,
  writeReturn,
} from '../../import/return-formats.js';
import { principalForEmail } from '../../services/identity.service.js';
import {
  advanceSubmission,
  getReturnLayout,
  getSubmissionDocument,
  getSubmissionVersions,
  listVisibleSubmissions,
  publishSubmission,
  saveSubmission,
  type SubmissionView,
} from '../../services/submission.service.js';
import {
  actAsOption,
  parseDateOption,
  parseOdsCode,
  parsePositiveInteger,
  workflowStepOptions,
} from '../arguments.js';
import { withDatabase } from '../database.js';
import { checkOutputFile, writeFileAtomically } from '../file-output.js';
import { printJson, printLine, printTable, reportError } from '../output.js';

/**
 * Returns from the command line: submit a file in any format, move a return through its workflow, see its
 * versions, export it, and download the blank template. Changes act as a named account (`--as`), so the
 * access policy and the audit trail treat them as that person's.
 */

function parseFormat(value: string): ReturnFormat {
  const format = returnFormats.find((f) => f === value.toLowerCase());
  if (!format)
    throw invalidInput(`"${value}" is not a return format.`, [
      { field: '--format', message: `Use one of: ${returnFormats.join(', ')}` },
    ]);
  return format;
}

function printReturn(r: SubmissionView): void {
  printLine(`Return ${r.id}: ${r.template} for ${r.odsCode}, period starting ${r.periodStart}`);
  printLine(
    `Status: ${returnStatusLabels[r.status]}${r.statusReason ? ` (${r.statusReason})` : ''}; version ${r.version}${r.acceptedVersion ? `, reporting uses version ${r.acceptedVersion}` : ''}${r.published ? '; published' : ''}`,
  );
  if (r.steps.length > 0) printLine(`You may: ${r.steps.join(', ')}`);
  for (const warning of r.warnings) printLine(`Warning: ${warning.message}`);
}

function readFileBytes(path: string): Buffer {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile())
    throw new AppError('invalid-file', `${path} is not a file.`, [
      { file: path, message: 'Choose the return file' },
    ]);
  // Refused before reading, as the API refuses it before parsing.
  if (stat.size > maxReturnFileBytes)
    throw new AppError('invalid-file', `${path} is larger than ${maxReturnFileBytes / 1024 / 1024} MiB.`, [
      { file: path, message: 'A return is one organisation and period: check this is the right file' },
    ]);
  return readFileSync(path);
}

export function registerReturnCommands(program: Command): void {
  const returns = program
    .command('returns')
    .description(
      'Data returns: submit (CSV, XLSX, JSON, FHIR MeasureReport, ADX), approve, accept, lock, versions',
    );

  returns
    .command('submit <file>')
    .description('Submit a return from a file (all or nothing), or save it as a draft')
    .requiredOption('--template <code>', 'the template the file is a return of')
    .requiredOption(...actAsOption)
    .option('--format <format>', `one of ${returnFormats.join(', ')} (default: from the file)`, parseFormat)
    .option('--draft', 'save as a draft instead of submitting')
    .option('--reason <text>', 'why a locked return is being resubmitted')
    .option('--idempotency-key <key>', 'makes a retry safe: the same key and file get the first answer')
    .option('--json', 'print one JSON document')
    .action(
      async (
        file: string,
        options: {
          template: string;
          as: string;
          format?: ReturnFormat;
          draft?: boolean;
          reason?: string;
          idempotencyKey?: string;
          json?: boolean;
        },
      ) => {
        try {
          const bytes = readFileBytes(file);
          await withDatabase('oversight returns submit', async ({ handle }) => {
            const principal = await principalForEmail(handle.db, options.as);
            const layout = await getReturnLayout(handle.db, options.template);
            const format = options.format ?? detectReturnFormat(file, bytes);
            const document = await readReturn(format, bytes, layout, basename(file));
            const saved = await saveSubmission(
              handle.db,
              principal,
              {
                template: document.template,
                odsCode: document.odsCode,
                periodStart: document.periodStart,
                values: document.values,
                explanations: document.explanations,
                locations: document.locations,
                submit: !options.draft,
                reason: options.reason,
                sourceFormat: format,
                idempotencyKey: options.idempotencyKey,
              },
              null,
            );
            if (options.json) return printJson({ submission: saved });
            printReturn(saved);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  returns
    .command('list')
    .description('The returns the account may see, newest period first')
    .requiredOption(...actAsOption)
    .option('--org <code>', 'one organisation', parseOdsCode)
    .option('--json', 'print one JSON document')
    .action(async (options: { as: string; org?: string; json?: boolean }) => {
      try {
        await withDatabase('oversight returns list', async ({ handle }) => {
          const principal = await principalForEmail(handle.db, options.as);
          const list = await listVisibleSubmissions(handle.db, principal, { odsCode: options.org }, null);
          if (options.json) return printJson({ submissions: list });
          printTable(
            list.map((r) => ({
              id: r.id,
              template: r.template,
              org: r.odsCode,
              period: r.periodStart,
              status: r.status,
              version: r.version,
              reporting: r.acceptedVersion,
            })),
            ['id', 'template', 'org', 'period', 'status', 'version', 'reporting'],
          );
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  returns
    .command('show <id>')
    .description('One return with every version and what changed from the one before')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (id: string, options: { as: string; json?: boolean }) => {
      try {
        const returnId = parsePositiveInteger(id);
        await withDatabase('oversight returns show', async ({ handle }) => {
          const principal = await principalForEmail(handle.db, options.as);
          const result = await getSubmissionVersions(handle.db, principal, returnId, null);
          if (options.json) return printJson(result);
          printReturn(result.submission);
          for (const v of result.versions) {
            printLine();
            printLine(
              `Version ${v.version}${v.reporting ? ' (reporting)' : ''}: ${v.createdAt.slice(0, 16).replace('T', ' ')} by ${v.createdBy ?? 'someone'} from ${v.sourceFormat}${v.reason ? `, because: ${v.reason}` : ''}`,
            );
            for (const c of v.changes)
              printLine(`  ${c.item}: ${c.before ?? 'blank'} → ${c.after ?? 'blank'}`);
          }
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  const step = (name: ReturnStep, description: string) =>
    workflowStepOptions(returns.command(`${name} <id>`).description(description), name).action(
      async (id: string, options: { as: string; reason?: string; json?: boolean }) => {
        try {
          const returnId = parsePositiveInteger(id);
          await withDatabase(`oversight returns ${name}`, async ({ handle }) => {
            const principal = await principalForEmail(handle.db, options.as);
            const result = await advanceSubmission(
              handle.db,
              principal,
              returnId,
              name,
              options.reason,
              null,
            );
            if (options.json) return printJson({ submission: result });
            printReturn(result);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );
  step('approve', 'Approve a submitted return (the ICB over the organisation)');
  step('accept', 'Accept an approved return (its region); reporting then uses this version');
  step('lock', 'Lock an accepted return (its region); corrections are then resubmissions with a reason');
  step('return', 'Return a return for correction, with a reason (whoever holds it now)');

  returns
    .command('publish <id>')
    .description('Publish an accepted return (national directors and analysts)')
    .requiredOption(...actAsOption)
    .option('--json', 'print one JSON document')
    .action(async (id: string, options: { as: string; json?: boolean }) => {
      try {
        const returnId = parsePositiveInteger(id);
        await withDatabase('oversight returns publish', async ({ handle }) => {
          const principal = await principalForEmail(handle.db, options.as);
          const result = await publishSubmission(handle.db, principal, returnId, null);
          if (options.json) return printJson({ submission: result });
          printReturn(result);
        });
      } catch (error) {
        reportError(error, options);
      }
    });

  returns
    .command('export <id>')
    .description('Write a return (or one of its versions) as a file in any format')
    .requiredOption(...actAsOption)
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <format>', `one of ${returnFormats.join(', ')}`, parseFormat, 'csv' as ReturnFormat)
    .option('--version <n>', 'a version other than the latest', parsePositiveInteger)
    .option('--json', 'print one JSON document (what was written)')
    .action(
      async (
        id: string,
        options: { as: string; out: string; format: ReturnFormat; version?: number; json?: boolean },
      ) => {
        try {
          const returnId = parsePositiveInteger(id);
          const target = checkOutputFile(
            options.out,
            '--out',
            `return${returnFileExtension[options.format]}`,
          );
          await withDatabase('oversight returns export', async ({ handle }) => {
            const principal = await principalForEmail(handle.db, options.as);
            const document = await getSubmissionDocument(
              handle.db,
              principal,
              returnId,
              options.version,
              null,
            );
            const layout = await getReturnLayout(handle.db, document.template);
            const bytes = await writeReturn(options.format, document, layout);
            await writeFileAtomically(target, bytes);
            if (options.json) return printJson({ file: target, format: options.format, bytes: bytes.length });
            printLine(`Wrote ${target} (${options.format}, ${bytes.length} bytes).`);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );

  returns
    .command('blank <template>')
    .description('Write the blank return of a template for an organisation and period (the XLSX to fill in)')
    .requiredOption('--org <code>', 'the organisation', parseOdsCode)
    .requiredOption('--period <date>', 'the first day of the period', parseDateOption)
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <format>', `one of ${returnFormats.join(', ')}`, parseFormat, 'xlsx' as ReturnFormat)
    .option('--json', 'print one JSON document (what was written)')
    .action(
      async (
        template: string,
        options: { org: string; period: string; out: string; format: ReturnFormat; json?: boolean },
      ) => {
        try {
          const target = checkOutputFile(
            options.out,
            '--out',
            `${template}${returnFileExtension[options.format]}`,
          );
          await withDatabase('oversight returns blank', async ({ handle }) => {
            const layout = await getReturnLayout(handle.db, template);
            const bytes = await writeReturn(
              options.format,
              {
                template: layout.code,
                odsCode: options.org,
                periodStart: options.period,
                values: {},
                explanations: {},
                locations: {},
              },
              layout,
            );
            await writeFileAtomically(target, bytes);
            if (options.json) return printJson({ file: target, format: options.format, bytes: bytes.length });
            printLine(`Wrote ${target}: fill in the values and submit it with "oversight returns submit".`);
          });
        } catch (error) {
          reportError(error, options);
        }
      },
    );
}
