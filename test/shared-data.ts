import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The published NHS England files in ../shared/data are read in place, never copied into the repo.
 * OVERSIGHT_SHARED_DATA points elsewhere; tests that need a file skip, saying why, when it is absent.
 */
export const sharedDataDir = resolve(
  process.env.OVERSIGHT_SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data'),
);

export function sharedDataPath(file: string): string {
  return join(sharedDataDir, file);
}

/** True when every named file is present; otherwise prints which are missing and returns false. */
export function hasSharedData(...files: string[]): boolean {
  const missing = files.filter((file) => !existsSync(sharedDataPath(file)));
  if (missing.length > 0) {
    console.warn(
      `Skipping tests that need ${missing.join(', ')}: not found in ${sharedDataDir}. ` +
        'Set OVERSIGHT_SHARED_DATA to the folder holding the published NHS England files to run them.',
    );
    return false;
  }
  return true;
}
