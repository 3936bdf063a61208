import type { DatabaseTarget } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest, type MigrationOutcome } from '../db/migrator.js';
import { ensureReferenceStructure } from './reference-data.service.js';

export type { DatabaseHandle } from '../db/database.js';

export interface PreparedDatabase {
  handle: DatabaseHandle;
  migration: MigrationOutcome;
  referenceLoaded: boolean;
}

/**
 * Opens the configured database and brings it up to date: pending migrations, then NHS England's
 * reference structure if it is not there yet. Every command and the server start here.
 */
export async function openPreparedDatabase(
  target: DatabaseTarget,
  purpose: string,
): Promise<PreparedDatabase> {
  const handle = await openDatabase(target, purpose);
  try {
    const migration = await migrateToLatest(handle.db);
    const { loaded } = await ensureReferenceStructure(handle.db);
    return { handle, migration, referenceLoaded: loaded };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
