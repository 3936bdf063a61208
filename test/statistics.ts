import { systemActor } from '../src/domain/audit.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { csvSourceFromPath } from '../src/import/csv-file.js';
import { parseOdsFile } from '../src/import/ods-files.js';
import { openFileSource } from '../src/import/sources.js';
import { openStatisticsFile } from '../src/import/statistics-files.js';
import type { StatisticsSource } from '../src/domain/statistics-file.js';
import { importOdsFiles } from '../src/services/ods-import.service.js';
import { importStatistics, type StatisticsImportSummary } from '../src/services/statistics-import.service.js';
import { sharedDataPath } from './shared-data.js';

/** Imports the published ODS reference files from shared/data (as of the 2021 extract). */
export async function importSharedOds(handle: DatabaseHandle): Promise<void> {
  const files = await Promise.all(
    ['regions.csv', 'icbs.csv', 'trusts.csv', 'ods_successors.csv'].map((f) =>
      parseOdsFile(csvSourceFromPath(sharedDataPath(f))),
    ),
  );
  await importOdsFiles(handle.db, files, { effectiveDate: '2021-11-30', actor: systemActor });
}

/** Imports a statistics file (from shared/data, or any path) the way the CLI does. */
export async function importStatisticsFile(
  handle: DatabaseHandle,
  source: StatisticsSource,
  path: string,
): Promise<StatisticsImportSummary> {
  const fetched = openFileSource(path);
  const file = await openStatisticsFile(fetched.csv, source);
  return importStatistics(handle, file, {
    fileName: fetched.csv.label,
    url: null,
    digest: fetched.digest,
    actor: systemActor,
  });
}
