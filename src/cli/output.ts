import { AppError, describeLocation, type ErrorCode } from '../domain/errors.js';

/** The one place where error codes become process exit codes (0 is success, 1 an unexpected failure). */
export const exitCodeOf: Record<ErrorCode, number> = {
  'invalid-input': 2,
  'invalid-file': 3,
  'not-found': 4,
  conflict: 5,
  'database-in-use': 6,
  unauthenticated: 7,
  forbidden: 8,
  'too-many-requests': 9,
};

export interface OutputOptions {
  json?: boolean;
}

/** Prints one JSON document on stdout, for scripts. */
export function printJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A plain-text table with aligned columns; numbers right-aligned. */
export function printTable(rows: Array<Record<string, string | number | null>>, columns: string[]): void {
  const cell = (value: string | number | null | undefined) =>
    value === null || value === undefined ? '–' : String(value);
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row[column]).length)),
  );
  const format = (values: Array<string | number | null | undefined>, header = false) =>
    values
      .map((value, index) => {
        const text = cell(value);
        const width = widths[index] ?? 0;
        return !header && typeof value === 'number' ? text.padStart(width) : text.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  printLine(format(columns, true));
  printLine(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) printLine(format(columns.map((column) => row[column])));
}

/** Reports a failure on stderr (or as JSON on stdout) and sets the exit code. */
export function reportError(error: unknown, options: OutputOptions): void {
  if (error instanceof AppError) {
    process.exitCode = exitCodeOf[error.code];
    if (options.json) {
      printJson({ error: { code: error.code, message: error.message, problems: error.problems } });
      return;
    }
    process.stderr.write(`Error: ${error.message}\n`);
    for (const problem of error.problems) {
      const where = describeLocation(problem);
      process.stderr.write(`  - ${where ? `${where}: ` : ''}${problem.message}\n`);
    }
    return;
  }
  process.exitCode = 1;
  const message = error instanceof Error ? error.message : String(error);
  if (options.json) printJson({ error: { code: 'internal', message, problems: [] } });
  else process.stderr.write(`Error: ${message}\n`);
  if (process.env.OVERSIGHT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
}
