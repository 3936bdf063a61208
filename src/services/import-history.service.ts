import type { Executor } from '../db/database.js';
import { listImportRuns, type ImportRunRecord } from '../db/observation.repository.js';

export type { ImportRunRecord } from '../db/observation.repository.js';

/** Imports of published files, newest first, with the summary each recorded. */
export async function listImports(ex: Executor, limit: number): Promise<ImportRunRecord[]> {
  return listImportRuns(ex, limit);
}
