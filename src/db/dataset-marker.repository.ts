import type { Executor } from './database.js';

/** Markers say what a database holds as a whole, e.g. that the generated demo dataset was loaded. */
export interface DatasetMarker {
  key: string;
  details: Record<string, unknown>;
  recordedAt: string;
}

export async function findDatasetMarker(ex: Executor, key: string): Promise<DatasetMarker | null> {
  const row = await ex
    .selectFrom('dataset_marker')
    .select(['key', 'details', 'recorded_at'])
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? { key: row.key, details: row.details, recordedAt: row.recorded_at.toISOString() } : null;
}

export async function insertDatasetMarker(
  ex: Executor,
  key: string,
  details: Record<string, unknown>,
): Promise<void> {
  await ex
    .insertInto('dataset_marker')
    .values({ key, details: JSON.stringify(details) })
    .execute();
}
