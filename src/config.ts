import { z } from 'zod';
import { AppError } from './domain/errors.js';

/** Which database the process uses: the embedded PGlite data directory, or a PostgreSQL server. */
export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** The address people use to reach the service (redirects back from an identity provider). */
  publicUrl: string;
  /** Session cookies only over HTTPS: on whenever the public address is https. */
  secureCookies: boolean;
  /** Proxies in front of the service whose X-Forwarded-For is believed (for rate limits and the audit). */
  trustProxy: boolean | string[];
  /** Sign-in through an OpenID Connect provider (CIS2, Entra ID); null when not configured. */
  oidc: OidcSettings | null;
  /** Seconds between checks for due feeds while the server runs; 0 turns scheduled feeds off. */
  feedPollSeconds: number;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button text: "Sign in with …". */
  label: string;
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
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_LABEL: z.string().min(1).max(60).default('NHS Care Identity'),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|[\d.:a-fA-F/,\s]+)$/,
      'must be true, or proxy addresses (or CIDR ranges) separated by commas',
    )
    .optional(),
  FEED_POLL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
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
  const oidcParts = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new AppError('invalid-input', 'OpenID Connect sign-in is only partly configured.', [
      {
        field: 'OIDC_ISSUER',
        message: 'Set all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none of them.',
      },
    ]);
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, '');
  return {
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: env.OVERSIGHT_DATA_DIR },
    logLevel: env.LOG_LEVEL,
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    trustProxy:
      env.TRUST_PROXY === undefined
        ? false
        : env.TRUST_PROXY === 'true'
          ? true
          : env.TRUST_PROXY.split(',')
              .map((a) => a.trim())
              .filter(Boolean),
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            label: env.OIDC_LABEL,
          }
        : null,
    feedPollSeconds: env.FEED_POLL_SECONDS,
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
