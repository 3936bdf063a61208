import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/access.js';
import { AppError } from '../../domain/errors.js';
import { resolveMachineToken, resolveSession } from '../../services/identity.service.js';
import type { ApiContext } from '../api-context.js';

/**
 * Who is calling: a session cookie (people, in the browser), a bearer machine token (systems), or
 * nobody (the public). Changes made with a session cookie must carry the session's CSRF token.
 */

export const sessionCookie = 'oversight_session';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Caller {
  principal: Principal;
  csrfToken: string | null;
  /** The raw session cookie, to end the session on sign-out. */
  sessionToken: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

const publicCaller: Caller = {
  principal: { kind: 'public' },
  csrfToken: null,
  sessionToken: null,
};

export async function registerAuthentication(app: FastifyInstance, context: ApiContext): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('caller', null as unknown as Caller);

  app.addHook('onRequest', async (request) => {
    request.caller = publicCaller;
    // The matched route, not the raw URL: "/%61pi/…" reaches an /api route too.
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    const authorization = request.headers.authorization;
    if (authorization) {
      const [scheme, value] = authorization.split(' ', 2);
      if (scheme?.toLowerCase() !== 'bearer' || !value)
        throw new AppError('unauthenticated', 'Send a machine token as "Authorization: Bearer ovs_…".');
      const principal = await resolveMachineToken(context.db, value);
      if (!principal)
        throw new AppError('unauthenticated', 'This machine token is not valid or has been revoked.');
      setCaller(request, { principal, csrfToken: null, sessionToken: null });
      return;
    }
    const token = request.cookies[sessionCookie];
    if (token) {
      const session = await resolveSession(context.db, token);
      if (session) {
        setCaller(request, {
          principal: session.principal,
          csrfToken: session.csrfToken,
          sessionToken: token,
        });
        if (
          unsafeMethods.has(request.method) &&
          !sameSecret(request.headers['x-csrf-token'], session.csrfToken)
        )
          throw new AppError(
            'forbidden',
            'This change did not come from a page of this service (missing or wrong CSRF token). Reload the page and try again.',
          );
      }
    }
  });
}

function sameSecret(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function setCaller(request: FastifyRequest, caller: Caller) {
  request.caller = caller;
}

export function setSessionCookie(
  reply: FastifyReply,
  context: ApiContext,
  session: { token: string; expiresAt: Date },
): void {
  reply.setCookie(sessionCookie, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: context.secureCookies,
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, context: ApiContext): void {
  reply.clearCookie(sessionCookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: context.secureCookies,
  });
}
