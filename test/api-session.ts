import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../src/db/database.js';
import type { IsoDate } from '../src/domain/iso-date.js';
import { buildServer, type ServerOptions } from '../src/api/server.js';

/** The password the API tests give every account they create. */
export const testPassword = 'correct horse battery staple';

/**
 * The API (no web app, silent) over a test database, on a fixed day; `options` adds or overrides
 * server options (e.g. `feeds`).
 */
export function buildTestServer(
  handle: DatabaseHandle,
  today: IsoDate,
  options: Partial<ServerOptions> = {},
): Promise<FastifyInstance> {
  return buildServer({
    db: handle.db,
    engine: handle.engine,
    today: () => today,
    webRoot: null,
    logLevel: 'silent',
    ...options,
  });
}

/**
 * Signs in over the API and returns the headers a request needs as that account: the session cookie
 * and the CSRF token that changes must echo. Fails loudly when the sign-in is refused.
 */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = testPassword,
): Promise<Record<string, string>> {
  const response = await app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
  if (response.statusCode !== 200)
    throw new Error(`Signing in as ${email} failed (${response.statusCode}): ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'oversight_session');
  return {
    cookie: `oversight_session=${cookie?.value}`,
    'x-csrf-token': String(response.json().csrfToken),
  };
}
