import pg from 'pg';

/** The PostgreSQL server integration tests use, when set (e.g. by .ci/run). */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  return url && url.trim() !== '' ? url : undefined;
}

export const templateNames = {
  migrated: 'oversight_tpl_migrated',
  reference: 'oversight_tpl_reference',
} as const;

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createPostgresTemplates(
  serverUrl: string,
  prepare: (templateUrl: string, withReference: boolean) => Promise<void>,
): Promise<void> {
  await withAdmin(serverUrl, async (client) => {
    // Leftovers from an interrupted run are dropped first.
    const stale = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'oversight\\_test\\_%' or datname like 'oversight\\_tpl\\_%'",
    );
    for (const row of stale.rows) await client.query(`drop database if exists "${row.datname}" with (force)`);
    for (const name of Object.values(templateNames)) await client.query(`create database "${name}"`);
  });
  await prepare(databaseUrl(serverUrl, templateNames.migrated), false);
  await prepare(databaseUrl(serverUrl, templateNames.reference), true);
}

let counter = 0;

/** A fresh database copied from a template; returns its URL and a function that drops it. */
export async function cloneTemplate(
  serverUrl: string,
  template: keyof typeof templateNames,
): Promise<{ url: string; drop: () => Promise<void> }> {
  counter += 1;
  const name = `oversight_test_${process.pid}_${counter}_${Date.now().toString(36)}`;
  await withAdmin(serverUrl, async (client) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(`create database "${name}" template "${templateNames[template]}"`);
        return;
      } catch (error) {
        // Two workers copying one template at the same moment can collide; wait and retry.
        if (attempt >= 20 || !String(error).includes('being accessed by other users')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    url: databaseUrl(serverUrl, name),
    drop: () =>
      withAdmin(serverUrl, async (client) => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            await client.query(`drop database if exists "${name}" with (force)`);
            return;
          } catch (error) {
            // Without pg_signal_backend, FORCE cannot end an autovacuum worker on the database; it soon finishes.
            if (attempt >= 20 || !String(error).includes('pg_signal_backend')) throw error;
            await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
          }
        }
      }),
  };
}
