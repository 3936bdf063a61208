import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openMemoryPglite, openPostgres, type DatabaseHandle } from '../src/db/database.js';
import { cloneTemplate, testDatabaseUrl } from './postgres-templates.js';

export type TestTemplate = 'migrated' | 'reference';

/**
 * A database of its own for one test or test file, cloned from a template built once per run:
 * 'migrated' is the empty schema, 'reference' adds NHS England's regions and ICBs.
 * The engine is PGlite, or PostgreSQL when TEST_DATABASE_URL is set.
 */
export async function createTestDatabase(template: TestTemplate = 'reference'): Promise<DatabaseHandle> {
  if (inject('testEngine') === 'postgres') {
    const serverUrl = testDatabaseUrl();
    if (!serverUrl) throw new Error('TEST_DATABASE_URL disappeared during the run');
    const clone = await cloneTemplate(serverUrl, template);
    const handle = openPostgres(clone.url);
    return {
      ...handle,
      async close() {
        await handle.close();
        await clone.drop();
      },
    };
  }
  const tarball = readFileSync(inject('pgliteTemplates')[template]);
  return openMemoryPglite(new Blob([tarball]));
}

export function testEngine(): 'pglite' | 'postgres' {
  return inject('testEngine');
}
