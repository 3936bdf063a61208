import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openMemoryPglite, openPostgres } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { bringUpToDate } from '../src/services/database.service.js';
import { createPostgresTemplates, testDatabaseUrl } from './postgres-templates.js';

/**
 * Builds the template databases once per run: PGlite initdb and migrations take seconds, and every
 * integration test clones a template instead. With TEST_DATABASE_URL set, the templates are
 * PostgreSQL databases and every integration test runs on PostgreSQL instead of PGlite.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const url = testDatabaseUrl();
  if (url) {
    await createPostgresTemplates(url, async (templateUrl, withReference) => {
      const handle = openPostgres(templateUrl);
      try {
        if (withReference) await bringUpToDate(handle.db);
        else await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
    });
    project.provide('testEngine', 'postgres');
    project.provide('pgliteTemplates', { migrated: '', reference: '' });
    return () => undefined;
  }

  const dir = mkdtempSync(join(tmpdir(), 'oversight-test-templates-'));
  const templates = { migrated: join(dir, 'migrated.tar'), reference: join(dir, 'reference.tar') };
  const handle = await openMemoryPglite();
  try {
    await migrateToLatest(handle.db);
    writeFileSync(templates.migrated, Buffer.from(await (await handle.dump!()).arrayBuffer()));
    await bringUpToDate(handle.db);
    writeFileSync(templates.reference, Buffer.from(await (await handle.dump!()).arrayBuffer()));
  } finally {
    await handle.close();
  }
  project.provide('testEngine', 'pglite');
  project.provide('pgliteTemplates', templates);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    testEngine: 'pglite' | 'postgres';
    pgliteTemplates: { migrated: string; reference: string };
  }
}
