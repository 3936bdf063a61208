import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PGliteDialect, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { describeDatabaseTarget, type DatabaseTarget } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
/** Either the database or an open transaction: repositories take this so transactions compose. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type DatabaseEngine = 'pglite' | 'postgres';

/**
 * One transaction with bulk loading: PostgreSQL COPY inside the transaction, so a large import is
 * both fast and all-or-nothing. Inside the work, use `session.db` only (not the handle's db).
 */
export interface BulkSession {
  db: Db;
  /** COPY CSV text (one string, or chunks of whole lines) into a table, within the transaction. */
  copyCsv(
    table: string,
    columns: readonly string[],
    chunks: Iterable<string> | AsyncIterable<string>,
  ): Promise<void>;
}

export interface DatabaseHandle {
  db: Db;
  engine: DatabaseEngine;
  description: string;
  close(): Promise<void>;
  bulkTransaction<T>(work: (session: BulkSession) => Promise<T>): Promise<T>;
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

function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `COPY ${table} (${columns.join(', ')}) FROM ${source} WITH (FORMAT csv)`;
}

// PGlite reads a COPY from one in-memory blob; large loads are sent in slices of about this size.
const pgliteCopySliceBytes = 32 * 1024 * 1024;

function wrapPglite(pglite: PGlite, description: string, unlock: () => void): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: 'pglite',
    description,
    async bulkTransaction(work) {
      return pglite.transaction(async (tx) => {
        // A PGlite-shaped view of the open transaction, so Kysely's statements run inside it.
        // Statements are queued one at a time: a PGlite transaction does not take concurrent queries.
        let queue: Promise<unknown> = Promise.resolve();
        const serial = <T>(work: () => Promise<T>): Promise<T> => {
          const next = queue.then(work, work);
          queue = next.catch(() => undefined);
          return next;
        };
        const inTransaction = {
          closed: false,
          ready: true,
          waitReady: Promise.resolve(),
          query: (text: string, params?: unknown[], options?: object) =>
            serial(() => tx.query(text, params, options)),
          transaction: () => Promise.reject(new Error('A transaction is already open in this bulk session.')),
          close: async () => undefined,
        } as unknown as PGlite;
        const sessionDb = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: inTransaction }) });
        return work({
          db: sessionDb,
          async copyCsv(table, columns, chunks) {
            let slice: string[] = [];
            let size = 0;
            const flush = async () => {
              if (size === 0) return;
              const blob = new Blob(slice);
              await serial(() => tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob }));
              slice = [];
              size = 0;
            };
            // A string is iterable too, one character at a time: treat it as one chunk.
            for await (const chunk of typeof chunks === 'string' ? [chunks] : chunks) {
              slice.push(chunk);
              size += chunk.length;
              if (size >= pgliteCopySliceBytes) await flush();
            }
            await flush();
          },
        });
      });
    },
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
    async bulkTransaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        // A pool of one: Kysely's statements and the COPY share this client, so one transaction.
        // Statements are queued one at a time, as pg asks of a single client.
        let queue: Promise<unknown> = Promise.resolve();
        const serialQuery = (...args: unknown[]) => {
          const run = () => (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
          const next = queue.then(run, run);
          queue = next.catch(() => undefined);
          return next;
        };
        const single = {
          connect: async () => ({ query: serialQuery, release: () => undefined }),
          end: async () => undefined,
        };
        const sessionDb = new Kysely<Database>({
          dialect: new PostgresDialect({ pool: single as unknown as pg.Pool }),
        });
        const result = await work({
          db: sessionDb,
          async copyCsv(table, columns, chunks) {
            await pipeline(
              Readable.from(chunks),
              client.query(copyFrom(copyStatement(table, columns, 'STDIN'))),
            );
          },
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
