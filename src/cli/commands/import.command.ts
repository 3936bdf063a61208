import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../domain/errors.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import type { OdsFile } from '../../domain/ods-reference-file.js';
import { csvSourceFromPath } from '../../import/csv-file.js';
import { parseOdsFile } from '../../import/ods-files.js';
import { importOdsFiles, type OdsImportSummary } from '../../services/ods-import.service.js';
import { parseDateOption } from '../arguments.js';
import { withDatabase } from '../database.js';
import { printJson, printLine, printTable, reportError } from '../output.js';
import { startProgress } from '../progress.js';

function requireReadableFile(path: string): number {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new Error('not a file');
    return stats.size;
  } catch {
    throw new AppError('invalid-input', `Cannot read ${path}: there is no such file. Check the path.`, [
      { file: path, message: 'The selected file could not be found.' },
    ]);
  }
}

function printOdsSummary(summary: OdsImportSummary): void {
  printTable(
    summary.files.map((file) => ({
      file: file.file,
      kind: file.kind,
      rows: file.rowsRead,
      opened: file.opened,
      closed: file.closed,
      renamed: file.revised,
      moved: file.reparented,
      successions: file.successionsRecorded,
      'by code only': file.referenceSuccessions,
      unchanged: file.unchanged,
      pending: file.pendingSuccessions.length,
    })),
    [
      'file',
      'kind',
      'rows',
      'opened',
      'closed',
      'renamed',
      'moved',
      'successions',
      'by code only',
      'unchanged',
      'pending',
    ],
  );
  printLine(`\n${summary.eventsRecorded} hierarchy event(s) recorded.`);
  for (const file of summary.files) {
    for (const skipped of file.skipped) {
      printLine(
        `Skipped ${skipped.count} row(s) of ${file.file}: ${skipped.reason} (rows ${skipped.rows.join(', ')}${skipped.count > skipped.rows.length ? ', …' : ''}).`,
      );
    }
    if (file.pendingSuccessions.length > 0) {
      printLine(
        `\n${file.pendingSuccessions.length} succession(s) in ${file.file} are kept but not yet applied:`,
      );
      for (const pending of file.pendingSuccessions.slice(0, 20)) {
        printLine(
          `  row ${pending.row}: ${pending.predecessorCode} → ${pending.successorCode} on ${pending.effectiveDate}. ${pending.reason}`,
        );
      }
      if (file.pendingSuccessions.length > 20)
        printLine(`  … and ${file.pendingSuccessions.length - 20} more (see --json).`);
    }
  }
}

export function registerImportCommands(program: Command): void {
  const importCommand = program.command('import').description('Import published files');
  importCommand
    .command('ods')
    .description(
      'Import ODS reference files: the trust extract (etr with region and ICB columns), regions, ICBs and the ODS successor file. ' +
        'Several files are imported together in one transaction; re-importing changes nothing.',
    )
    .argument(
      '<files...>',
      'CSV files (trusts.csv, regions.csv, icbs.csv, ods_successors.csv or raw succ.csv)',
    )
    .option(
      '--effective-date <date>',
      'date from which undated changes apply (new names, moves between ICBs, new regions or ICBs); default today',
      parseDateOption,
    )
    .option('--json', 'print one JSON document')
    .action(async (files: string[], options: { effectiveDate?: string; json?: boolean }) => {
      try {
        const parsed: OdsFile[] = [];
        for (const file of files)
          parsed.push(await parseOdsFile(csvSourceFromPath(file, requireReadableFile(file))));
        await withDatabase('oversight import ods', async ({ handle }) => {
          const progress = startProgress('Importing ODS files', { quiet: options.json === true });
          try {
            const summary = await importOdsFiles(handle.db, parsed, {
              effectiveDate: options.effectiveDate ?? todayIsoDate(),
              onProgress: (done, total) => progress.update(done, total),
            });
            progress.stop();
            if (options.json) printJson(summary);
            else printOdsSummary(summary);
          } finally {
            progress.stop();
          }
        });
      } catch (error) {
        reportError(error, options);
      }
    });
}
