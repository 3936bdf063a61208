import { loadConfig } from '../config.js';
import { openPreparedDatabase, type PreparedDatabase } from '../services/database.service.js';

/** Opens the configured database for one command, brought up to date, and always closes it. */
export async function withDatabase<T>(
  purpose: string,
  work: (prepared: PreparedDatabase) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const prepared = await openPreparedDatabase(config.database, purpose);
  try {
    return await work(prepared);
  } finally {
    await prepared.handle.close();
  }
}
