import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PGliteDialect, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { describeDatabaseTarget, type DatabaseTarget } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
/** Either the database or an open transaction: repositories take this so transactions compose. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type DatabaseEngine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  engine: DatabaseEngine;
  description: string;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball, to clone the database (tests use one template). */
  dump?: () => Promise<Blob>;
}

const dateOid = 1082;
const int8Oid = 20;
const numericOid = 1700;

// Dates stay ISO strings (no time-zone shifts); counts and sums come back as numbers on both engines.
const typeParsers: Record<number, (value: string) => unknown> = {
  [dateOid]: (value) => value,
  [int8Oid]: (value) => Number(value),
  [numericOid]: (value) => Number(value),
};

export async function openDatabase(target: DatabaseTarget, purpose: string): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') return openPostgres(target.url);
  const unlock = lockDataDir(target.dataDir, purpose);
  try {
    const pglite = await PGlite.create(target.dataDir, { extensions: { btree_gist }, parsers: typeParsers });
    return wrapPglite(pglite, describeDatabaseTarget(target), unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

/** An in-memory PGlite database, optionally loaded from a dump (tests clone one migrated template). */
export async function openMemoryPglite(loadDataDir?: Blob | File): Promise<DatabaseHandle> {
  const pglite = await PGlite.create({
    extensions: { btree_gist },
    parsers: typeParsers,
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  return wrapPglite(pglite, 'in-memory PGlite database', () => undefined);
}

function wrapPglite(pglite: PGlite, description: string, unlock: () => void): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: 'pglite',
    description,
    dump: () => pglite.dumpDataDir('none'),
    async close() {
      try {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

export function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        const parser = typeParsers[oid];
        return parser ?? pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  pool.on('error', (error) =>
    process.stderr.write(`PostgreSQL connection error (will reconnect): ${error.message}\n`),
  );
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    description: describeDatabaseTarget({ kind: 'postgres', url }),
    async close() {
      await db.destroy();
    },
  };
}
