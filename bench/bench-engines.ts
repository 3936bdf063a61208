import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import type { Database } from '../src/db/schema.js';

/**
 * A fresh, migrated database per engine for benchmarking, with raw access for the baselines
 * (a plain COPY, plain SQL) run in the same process against the same server.
 */
export interface BenchEngine {
  name: 'PGlite' | 'PostgreSQL';
  db: Db;
  /** Raw COPY of CSV text into a table: the baseline for bulk loading. */
  copyCsv(table: string, columns: string[], csv: string): Promise<void>;
  /** Raw SQL, outside Kysely, for baseline queries. */
  raw(sqlText: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

const parsers = { 1082: (v: string) => v, 20: (v: string) => Number(v), 1700: (v: string) => Number(v) };

export async function openPgliteBench(): Promise<BenchEngine> {
  const pglite = await PGlite.create({ extensions: { btree_gist }, parsers });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest(db);
  return {
    name: 'PGlite',
    db,
    async copyCsv(table, columns, csv) {
      await pglite.query(`COPY ${table} (${columns.join(',')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
        blob: new Blob([csv]),
      });
    },
    async raw(sqlText, params = []) {
      return (await pglite.query<Record<string, unknown>>(sqlText, params)).rows;
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

let benchDatabases = 0;

export async function openPostgresBench(serverUrl: string): Promise<BenchEngine> {
  const name = `oversight_bench_${(benchDatabases += 1)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 4,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        (parsers as Record<number, (v: string) => unknown>)[oid] ??
        pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db);
  return {
    name: 'PostgreSQL',
    db,
    async copyCsv(table, columns, csv) {
      const client = await pool.connect();
      try {
        await pipeline(
          Readable.from([csv]),
          client.query(copyFrom(`COPY ${table} (${columns.join(',')}) FROM STDIN WITH (FORMAT csv)`)),
        );
      } finally {
        client.release();
      }
    },
    async raw(sqlText, params = []) {
      return (await pool.query(sqlText, params)).rows as Array<Record<string, unknown>>;
    },
    async close() {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Milliseconds for one call. */
export async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** p50/p95 of repeated calls, after warm-up. */
export async function latency(
  work: () => Promise<unknown>,
  runs: number,
  warmUp = 3,
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmUp; i += 1) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await timeIt(work));
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}
