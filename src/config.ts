import { z } from 'zod';
import { AppError } from './domain/errors.js';

/** Which database the process uses: the embedded PGlite data directory, or a PostgreSQL server. */
export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
}

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  OVERSIGHT_DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
});

/** Reads and validates the environment once, at start-up; a bad setting stops the process with a clear message. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.'),
      message: `Environment variable ${issue.path.join('.')} ${issue.message}`,
    }));
    throw new AppError('invalid-input', 'The configuration in the environment is not valid.', problems);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: env.OVERSIGHT_DATA_DIR },
    logLevel: env.LOG_LEVEL,
  };
}

/** A database URL with any password removed, for logs and messages. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return `embedded PGlite database in ${target.dataDir}`;
  try {
    const url = new URL(target.url);
    if (url.password) url.password = '****';
    return `PostgreSQL at ${url.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}
