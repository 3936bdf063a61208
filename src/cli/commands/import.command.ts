import { operatorActor } from '../actor.js';
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../domain/errors.js';
import { todayIsoDate } from '../../domain/iso-date.js';
import type { OdsFile } from '../../domain/ods-reference-file.js';
import { csvSourceFromPath } from '../../import/csv-file.js';
import { parseOdsFile } from '../../import/ods-files.js';
import { openSource } from '../../import/sources.js';
import { openStatisticsFile } from '../../import/statistics-files.js';
import { statisticsSources, type StatisticsSource } from '../../domain/statistics-file.js';
import { importStatistics, type StatisticsImportSummary } from '../../services/statistics-import.service.js';
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
              actor: operatorActor(),
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

  const descriptions: Record<StatisticsSource, string> = {
    ae: 'A&E provider-level monthly statistics (by department type, 2016 to 2019 layout; or all types, 2021 onwards)',
    beds: 'G&A and critical care beds, monthly by trust',
    rtt: 'RTT waits over 18 and 52 weeks by provider (all part types summed; not the official waiting-list measure)',
    observations: 'values of any catalogue data item in the long format: period, org_code, data_item, value',
  };
  for (const source of statisticsSources) {
    importCommand
      .command(source)
      .description(
        `Import ${descriptions[source]}. Unknown organisation codes are held in quarantine; re-importing changes nothing.`,
      )
      .argument('<file-or-url>', 'a CSV file path, or an http(s) address to fetch it from')
      .option('--json', 'print one JSON document')
      .action(async (location: string, options: { json?: boolean }) => {
        try {
          const fetched = await openSource(location);
          await withDatabase(`oversight import ${source}`, async ({ handle }) => {
            const progress = startProgress(`Importing ${fetched.csv.label}`, {
              quiet: options.json === true,
            });
            const total = fetched.csv.sizeBytes ?? 0;
            let bytes = 0;
            try {
              const file = await openStatisticsFile(fetched.csv, source, (read) => {
                bytes = read;
                if (total > 0) progress.update(Math.min(bytes, total), total);
              });
              const summary = await importStatistics(handle, file, {
                fileName: fetched.csv.label,
                url: fetched.url,
                digest: fetched.digest,
                actor: operatorActor(),
                onProgress: (rows) => {
                  if (total === 0) progress.update(rows, rows);
                },
              });
              progress.stop();
              if (options.json) printJson(summary);
              else printStatisticsSummary(summary);
            } finally {
              progress.stop();
            }
          });
        } catch (error) {
          reportError(error, options);
        }
      });
  }
}

function printStatisticsSummary(summary: StatisticsImportSummary): void {
  printLine(`${summary.file}: ${summary.layout}`);
  printLine(
    `Rows read: ${summary.rowsRead.toLocaleString('en-GB')}; values read: ${summary.valuesRead.toLocaleString('en-GB')}.`,
  );
  printLine(
    summary.changed
      ? `Stored ${summary.stored.inserted.toLocaleString('en-GB')} new value(s); ${summary.stored.superseded.toLocaleString('en-GB')} revised value(s) replaced the stored ones (which are kept); ${summary.stored.unchanged.toLocaleString('en-GB')} unchanged. Import run ${summary.importRunId}.`
      : 'Nothing changed: every value matched what is already stored, so nothing was recorded.',
  );
  const blanks = Object.entries(summary.blankCells);
  if (blanks.length > 0)
    printLine(
      `Blank cells (missing, not zero): ${blanks.map(([column, count]) => `${column} ${count}`).join(', ')}.`,
    );
  if (summary.viaSuccessors.length > 0) {
    printLine(
      `${summary.viaSuccessors.length} code(s) are not organisations here but count through their ODS successors: ${summary.viaSuccessors.join(', ')}.`,
    );
  }
  if (summary.quarantine.codes.length > 0) {
    printLine(
      `${summary.quarantine.rows.toLocaleString('en-GB')} value(s) for ${summary.quarantine.codes.length} unknown code(s) are held in quarantine ` +
        `(largest: ${summary.quarantine.codes
          .slice(0, 8)
          .map((c) => c.odsCode)
          .join(', ')}). See "oversight quarantine list" to resolve them.`,
    );
  }
  if (summary.warnings.count > 0) {
    printLine(`${summary.warnings.count} warning(s), stored as published; for example:`);
    for (const warning of summary.warnings.examples.slice(0, 5))
      printLine(`  row ${warning.row}, ${warning.column}: ${warning.message}`);
  }
  if (summary.ignoredColumns.length > 0)
    printLine(`Not stored (recomputed from the beds instead): ${summary.ignoredColumns.join(', ')}.`);
  if (summary.rollups?.error) process.stderr.write(`Warning: ${summary.rollups.error}\n`);
  else if (summary.rollups)
    printLine(
      `Dashboards brought up to date in ${(summary.rollups.durationMs / 1000).toFixed(1)} s (${summary.rollups.rows.toLocaleString('en-GB')} roll-up rows).`,
    );
}
