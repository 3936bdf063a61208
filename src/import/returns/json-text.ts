import type { z } from 'zod';
import type { Problem } from '../../domain/errors.js';
import { fileRefused, jsonPath, lineAndColumn } from './return-checks.js';

/**
 * JSON text of the JSON and FHIR formats: parsed with its syntax errors located by line and character,
 * its duplicate keys found (JSON.parse silently keeps the last of them), and zod issues turned into
 * problems located by field path.
 */

/** Parses JSON text, refusing malformed JSON at the line and character where it goes wrong. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position ? lineAndColumn(text, Number(position[1])) : null;
    throw fileRefused(file, 'is not valid JSON.', {
      ...(where ? { row: where.line, column: `character ${where.column}` } : {}),
      message: `The file is not valid JSON (${message.replace(/\s*in JSON at position \d+.*$/s, '')}): check for a missing comma, quote or bracket near here.`,
    });
  }
}

/** Every key that appears twice in one object, with the lines of both. Expects text JSON.parse accepted. */
export function duplicateJsonKeys(text: string): Array<{ path: string; line: number; firstLine: number }> {
  type Frame =
    | { kind: 'object'; path: PropertyKey[]; seen: Map<string, number>; key: string }
    | { kind: 'array'; path: PropertyKey[]; index: number };
  const stack: Frame[] = [];
  const duplicates: Array<{ path: string; line: number; firstLine: number }> = [];
  let expectKey = false;
  const childPath = (): PropertyKey[] => {
    const top = stack.at(-1);
    if (!top) return [];
    return top.kind === 'object' ? [...top.path, top.key] : [...top.path, top.index];
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    const top = stack.at(-1);
    switch (char) {
      case '{':
        stack.push({ kind: 'object', path: childPath(), seen: new Map(), key: '' });
        expectKey = true;
        break;
      case '[':
        stack.push({ kind: 'array', path: childPath(), index: 0 });
        expectKey = false;
        break;
      case '}':
      case ']':
        stack.pop();
        expectKey = false;
        break;
      case ',':
        if (top?.kind === 'array') top.index += 1;
        else expectKey = true;
        break;
      case ':':
        expectKey = false;
        break;
      case '"': {
        let end = index + 1;
        while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
        if (expectKey && top?.kind === 'object') {
          const key = JSON.parse(text.slice(index, end + 1)) as string;
          const first = top.seen.get(key);
          if (first === undefined) top.seen.set(key, index);
          else
            duplicates.push({
              path: jsonPath([...top.path, key]),
              line: lineAndColumn(text, index).line,
              firstLine: lineAndColumn(text, first).line,
            });
          top.key = key;
        }
        index = end;
        break;
      }
      default:
        break;
    }
  }
  return duplicates;
}

/** Problems for keys given twice: the file means one of them, and only the person who wrote it knows which. */
export function duplicateKeyProblems(text: string, file: string): Problem[] {
  return duplicateJsonKeys(text).map(({ path, line, firstLine }) => ({
    file,
    row: line,
    field: path,
    message: `Field ${path} is given twice, on lines ${firstLine} and ${line}: keep one of them.`,
  }));
}

/** Turns zod issues into problems located by field path; each message completes "Field <path> …". */
export function zodProblems(issues: ReadonlyArray<z.core.$ZodIssue>, file: string): Problem[] {
  return issues.map((issue) => {
    const field = jsonPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => jsonPath([...issue.path, key]));
      return {
        file,
        field: keys[0] ?? field,
        message: `Field(s) ${keys.join(', ')} ${issue.message}`,
      };
    }
    return {
      file,
      ...(field ? { field } : {}),
      message: field ? `Field ${field} ${issue.message}` : issue.message,
    };
  });
}

/** The message zod gives a schema: "is missing" when absent, otherwise "must be …". */
export function fieldMessage(expected: string, example: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `is missing: add it, ${example}.` : `must be ${expected}, ${example}.`;
}
