import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { cloneTemplate, testDatabaseUrl } from './postgres-templates.js';

const bin = resolve('bin', 'oversight.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliEnvironment {
  run(...args: string[]): Promise<CliResult>;
  /** Runs with text on standard input (a password for --password-stdin). */
  runWithInput(input: string, ...args: string[]): Promise<CliResult>;
  /** The same database in this process (close it before the next run: PGlite allows one user). */
  openDatabase(): Promise<DatabaseHandle>;
  /** Parses stdout of a --json run. */
  json<T = unknown>(...args: string[]): Promise<{ code: number; body: T; stderr: string }>;
  close(): Promise<void>;
}

/**
 * Runs the real `oversight` command in a child process against a database of its own: an empty
 * embedded data directory, or (with TEST_DATABASE_URL) a fresh PostgreSQL database.
 */
export async function cliEnvironment(): Promise<CliEnvironment> {
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void>;
  let target: DatabaseTarget;
  if (inject('testEngine') === 'postgres') {
    const serverUrl = testDatabaseUrl();
    if (!serverUrl) throw new Error('TEST_DATABASE_URL disappeared during the run');
    const clone = await cloneTemplate(serverUrl, 'migrated');
    env = { ...process.env, DATABASE_URL: clone.url };
    target = { kind: 'postgres', url: clone.url };
    cleanup = clone.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-'));
    env = { ...process.env, OVERSIGHT_DATA_DIR: join(dir, 'data') };
    target = { kind: 'pglite', dataDir: join(dir, 'data') };
    delete env.DATABASE_URL;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const runWithInput = (input: string | null, args: string[]) =>
    new Promise<CliResult>((done) => {
      const child = execFile(
        'node',
        [bin, ...args],
        { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          done({ code, stdout, stderr });
        },
      );
      child.stdin?.end(input ?? '');
    });
  const run = (...args: string[]) => runWithInput(null, args);
  return {
    run,
    runWithInput: (input: string, ...args: string[]) => runWithInput(input, args),
    openDatabase: () => openDatabase(target, 'test'),
    async json<T>(...args: string[]) {
      const result = await run(...args, '--json');
      let body: T;
      try {
        body = JSON.parse(result.stdout) as T;
      } catch {
        throw new Error(
          `oversight ${args.join(' ')} --json did not print JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
        );
      }
      return { code: result.code, body, stderr: result.stderr };
    },
    close: cleanup,
  };
}
