import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, openMemoryPglite, openPostgres, type DatabaseHandle } from '../src/db/database.js';
import { bringUpToDate } from '../src/services/database.service.js';

/**
 * A fresh database per engine for benchmarking, brought up to date like the application's (migrations,
 * reference structure, metric catalogue), with raw access for the baselines run against the same server.
 */
export interface BenchEngine extends DatabaseHandle {
  name: 'PGlite' | 'PostgreSQL';
  /** Raw COPY of CSV text into a table: the baseline for bulk loading. */
  copyCsv(table: string, columns: string[], chunks: Iterable<string> | AsyncIterable<string>): Promise<void>;
  /** Raw SQL, outside the repositories, for baseline queries. */
  raw(sqlText: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
}

function benchEngine(
  name: BenchEngine['name'],
  handle: DatabaseHandle,
  cleanup: () => Promise<void> = async () => undefined,
): BenchEngine {
  return {
    ...handle,
    name,
    copyCsv: (table, columns, chunks) =>
      handle.bulkTransaction((session) => session.copyCsv(table, columns, chunks)),
    async raw(sqlText, params = []) {
      // Numbered placeholders ($1, $2…) become Kysely parameters.
      const parts = sqlText.split(/\$(\d+)/);
      const pieces = parts.map((part, index) =>
        index % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`,
      );
      return (await sql<Record<string, unknown>>`${sql.join(pieces, sql``)}`.execute(handle.db)).rows;
    },
    async close() {
      await handle.close();
      await cleanup();
    },
  };
}

/** In memory by default; a data directory for big loads (PGlite's WASM memory is limited). */
export async function openPgliteBench(dataDir?: string): Promise<BenchEngine> {
  const handle = dataDir
    ? await openDatabase({ kind: 'pglite', dataDir }, 'benchmark')
    : await openMemoryPglite();
  await bringUpToDate(handle.db);
  return benchEngine('PGlite', handle);
}

let benchDatabases = 0;

export async function openPostgresBench(serverUrl: string): Promise<BenchEngine> {
  const name = `oversight_bench_${process.pid}_${(benchDatabases += 1)}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString());
  await bringUpToDate(handle.db);
  return benchEngine('PostgreSQL', handle, async () => {
    // An autovacuum worker (a superuser process) on freshly loaded tables cannot be terminated by an
    // ordinary role; it yields in time, so wait for it (up to five minutes), then leave the database.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await admin(`drop database if exists ${name} with (force)`);
      } catch (error) {
        if ((error as { code?: string }).code !== '42501') throw error;
        if (attempt >= 300) {
          console.error(
            `Could not drop the benchmark database ${name} (autovacuum still running); drop it later.`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  });
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
