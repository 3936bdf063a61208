import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { invalidInput } from '../domain/errors.js';

/**
 * Checks that a file can be written at `path` before any work is done: the folder must exist and the
 * path must not be a folder. Returns the absolute path.
 */
export function checkOutputFile(path: string, option: string, example: string): string {
  const target = resolve(path);
  const folder = dirname(target);
  const folderStat = statSync(folder, { throwIfNoEntry: false });
  if (!folderStat?.isDirectory())
    throw invalidInput(
      `The folder ${folder} does not exist: create it first, or give ${option} another path.`,
      [{ field: option, message: `The folder ${folder} does not exist.` }],
    );
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory())
    throw invalidInput(
      `${target} is a folder: give ${option} a file name, such as ${join(target, example)}.`,
      [{ field: option, message: `${target} is a folder, not a file.` }],
    );
  return target;
}

/**
 * Writes a whole file or nothing: the bytes go to a temporary file in the same folder, which is then
 * renamed over the target (a rename within one file system is atomic), so a reader never sees half a file.
 */
export async function writeFileAtomically(path: string, data: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
