/**
 * The one error vocabulary of the platform. Each code maps once to an HTTP status (api/error-handler.ts),
 * a CLI exit code (cli/output.ts) and the web error summary.
 */
export const errorCodes = [
  'invalid-input',
  'invalid-file',
  'not-found',
  'conflict',
  'database-in-use',
  'unauthenticated',
  'forbidden',
  'too-many-requests',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Where a problem is: a file row and column, or a named field of a request. */
export interface ProblemLocation {
  file?: string;
  /** 1-based line number in the file, counting the header as line 1. */
  row?: number;
  column?: string;
  field?: string;
}

/** One thing wrong with the input, located, with what to do about it. */
export interface Problem extends ProblemLocation {
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly problems: Problem[];

  constructor(code: ErrorCode, message: string, problems: Problem[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.problems = problems;
  }
}

export function notFound(message: string): AppError {
  return new AppError('not-found', message);
}

export function invalidInput(message: string, problems: Problem[] = []): AppError {
  return new AppError('invalid-input', message, problems);
}

export function conflict(message: string): AppError {
  return new AppError('conflict', message);
}

/** The part of a zod error `zodProblems` reads (kept structural, so this module needs no zod). */
export interface SchemaError {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}

/**
 * Turns a schema's issues into problems located by field: the issue's path joined with dots, under
 * `prefix` when the input sits inside a larger body (e.g. a plan's `content`), or `fallback` (default
 * `body`) for an issue about the whole input. `dropEmptyKeys` leaves out empty record keys (planning's
 * fields always have), so `{"": 1}` is reported at its record rather than at `record.`.
 */
export function zodProblems(
  error: SchemaError,
  options: { prefix?: string; fallback?: string; dropEmptyKeys?: boolean } = {},
): Problem[] {
  const { prefix = '', fallback = 'body', dropEmptyKeys = false } = options;
  return error.issues.map((issue) => {
    const parts = [prefix, ...issue.path.map(String)];
    const field = (dropEmptyKeys ? parts.filter(Boolean) : prefix ? parts : parts.slice(1)).join('.');
    return { field: field || fallback, message: issue.message };
  });
}

/** Parses input with a schema, or throws invalid input with `message` and a problem per field. */
export function parseInput<T>(
  schema: {
    safeParse: (input: unknown) => { success: true; data: T } | { success: false; error: SchemaError };
  },
  input: unknown,
  message: string,
  fields: Parameters<typeof zodProblems>[1] = {},
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(message, zodProblems(parsed.error, fields));
  return parsed.data;
}

/** Formats a location as people read it: "trusts.csv, row 12, column icb_code". */
export function describeLocation(location: ProblemLocation): string {
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column) parts.push(`column ${location.column}`);
  if (location.field) parts.push(`field ${location.field}`);
  return parts.join(', ');
}

/** Gathers problems across a whole file so a user can fix them all at once; stops gathering at a cap. */
export class ProblemList {
  private readonly list: Problem[] = [];
  private overflow = 0;
  constructor(private readonly cap = 100) {}

  add(...problems: Problem[]): void {
    for (const problem of problems) {
      if (this.list.length < this.cap) this.list.push(problem);
      else this.overflow += 1;
    }
  }

  get count(): number {
    return this.list.length + this.overflow;
  }

  /** Throws when anything was found: nothing is stored from a file with problems. */
  throwIfAny(summary: string): void {
    if (this.count === 0) return;
    const problems = [...this.list];
    if (this.overflow > 0)
      problems.push({ message: `… and ${this.overflow} more problem(s) of the same kinds.` });
    throw new AppError(
      'invalid-file',
      `${summary} ${this.count} problem(s) found; nothing was stored.`,
      problems,
    );
  }
}
