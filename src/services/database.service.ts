import type { DatabaseTarget } from '../config.js';
import { openDatabase, type Db, type DatabaseHandle } from '../db/database.js';
import { todayIsoDate } from '../domain/iso-date.js';
import { migrateToLatest, type MigrationOutcome } from '../db/migrator.js';
import { ensureGovernanceBodies } from './governance.service.js';
import { ensureMetricCatalogue } from './metric-catalogue.service.js';
import { ensureReferenceStructure } from './reference-data.service.js';
import { ensureProgrammes } from './programme.service.js';
import { ensureMethodologies } from './segmentation.service.js';

export type { DatabaseHandle } from '../db/database.js';

export interface PreparedDatabase {
  handle: DatabaseHandle;
  migration: MigrationOutcome;
  referenceLoaded: boolean;
  /** Data items, metrics, versions and targets added from the shipped catalogue. */
  catalogueAdded: number;
}

/**
 * Opens the configured database and brings it up to date. Every command and the server start here.
 */
export async function openPreparedDatabase(
  target: DatabaseTarget,
  purpose: string,
): Promise<PreparedDatabase> {
  const handle = await openDatabase(target, purpose);
  try {
    return { handle, ...(await bringUpToDate(handle.db)) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Pending migrations, then NHS England's reference structure, the shipped metric catalogue, oversight methodologies and seeded national programmes, each only if missing. */
export async function bringUpToDate(db: Db): Promise<Omit<PreparedDatabase, 'handle'>> {
  const migration = await migrateToLatest(db);
  const { loaded } = await ensureReferenceStructure(db);
  const catalogue = await db.transaction().execute(async (trx) => {
    const added = await ensureMetricCatalogue(trx);
    await ensureMethodologies(trx);
    await ensureProgrammes(trx, todayIsoDate());
    await ensureGovernanceBodies(trx);
    return added;
  });
  return { migration, referenceLoaded: loaded, catalogueAdded: catalogue.added };
}
