import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../domain/errors.js';

/**
 * PGlite is a single-process database: two processes opening one data directory would corrupt it.
 * This lock file makes the second process stop with a clear message instead.
 */
export function lockDataDir(dataDir: string, purpose: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'oversight.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLockHolder(lockPath);
      if (holder && isProcessAlive(holder.pid) && holder.pid !== process.pid) {
        throw new AppError(
          'database-in-use',
          `The embedded database in ${dataDir} is in use by process ${holder.pid} (${holder.purpose}, since ${holder.since}). ` +
            'Stop that process first, or set DATABASE_URL to use a PostgreSQL server, which allows many processes.',
        );
      }
      // The process that held the lock has gone: the lock is stale.
      rmSync(lockPath, { force: true });
    }
  }
  throw new AppError('database-in-use', `Could not lock the embedded database in ${dataDir}.`);
}

interface LockHolder {
  pid: number;
  purpose: string;
  since: string;
}

function readLockHolder(lockPath: string): LockHolder | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(lockPath, 'utf8'));
    if (parsed && typeof parsed === 'object' && 'pid' in parsed && typeof parsed.pid === 'number') {
      const purpose = 'purpose' in parsed && typeof parsed.purpose === 'string' ? parsed.purpose : 'unknown';
      const since = 'since' in parsed && typeof parsed.since === 'string' ? parsed.since : 'unknown';
      return { pid: parsed.pid, purpose, since };
    }
  } catch {
    // An unreadable lock file is treated as stale.
  }
  return null;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
