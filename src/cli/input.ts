import { readFileSync } from 'node:fs';
import { invalidInput } from '../domain/errors.js';

/**
 * Reads a JSON file named on the command line. A file that cannot be read or parsed is invalid input
 * located at the file; `hint` (a sentence) says where to start from.
 */
export function readJsonFile(file: string, hint?: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalidInput(
      `${file} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}.${hint ? ` ${hint}` : ''}`,
      [{ file, message: 'Not a JSON file' }],
    );
  }
}
