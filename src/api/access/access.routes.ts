import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { listAuditEvents, verifyAuditChain } from '../../services/audit.service.js';
import {
  actorOf,
  createMachineToken,
  createUser,
  getAccount,
  grantFunction,
  grantRole,
  isSetUpRequired,
  listAccounts,
  listMachineTokens,
  requireAdmin,
  revokeFunction,
  revokeMachineToken,
  revokeRole,
  setAccountDisabled,
  setUpFirstAdministrator,
  signInWithPassword,
  signOut,
  type AccountView,
} from '../../services/identity.service.js';
import { safeReturnPath } from '../../domain/sign-in.js';
import { oidcAttemptMinutes, signInFailureOf } from '../../services/oidc.service.js';
import type { ApiContext } from '../api-context.js';
import { clearSessionCookie, setSessionCookie } from '../auth/authentication.js';
import {
  accountSchema,
  auditQuerySchema,
  auditResponseSchema,
  auditVerifyResponseSchema,
  disableBodySchema,
  functionGrantBodySchema,
  grantParams,
  newTokenBodySchema,
  newTokenResponseSchema,
  newUserBodySchema,
  roleGrantBodySchema,
  sessionResponseSchema,
  setUpBodySchema,
  signInBodySchema,
  tokenIdParams,
  tokenSchema,
  tokensResponseSchema,
  userIdParams,
  usersResponseSchema,
} from './access.schemas.js';

const oidcStateCookie = 'oversight_oidc_state';
// Redirects to and from the identity provider: generous, since a whole trust may share one address.
const identityProviderLimit = { rateLimit: { max: 120, timeWindow: '1 minute' } };

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

// Sign-in is the target of password guessing: ten tries a minute per address and account (not per
// address alone: a whole trust may share one address).
const signInLimit = {
  rateLimit: {
    max: 10,
    timeWindow: '1 minute',
    // After the body is parsed, so the key can name the account.
    hook: 'preHandler' as const,
    keyGenerator: (request: { ip: string; body?: unknown }) => {
      const body = request.body as { email?: unknown } | undefined;
      return `${request.ip}|${typeof body?.email === 'string' ? body.email.trim().toLowerCase() : ''}`;
    },
  },
};

/** Sign-in and sessions, first-run set-up, accounts and grants, machine tokens, the audit trail. */
export function accessRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  const sessionBody = (account: AccountView | null, csrfToken: string | null, setUpRequired: boolean) => ({
    account,
    csrfToken,
    setUpRequired,
    identityProvider: context.oidc ? { label: context.oidc.label, startUrl: '/api/auth/oidc/start' } : null,
  });
  return async (app) => {
    app.get(
      '/api/session',
      {
        schema: {
          summary: 'Who is signed in, the CSRF token for changes, and how to sign in',
          tags: ['access'],
          response: { 200: sessionResponseSchema },
        },
      },
      async (request) => {
        const principal = request.caller.principal;
        // The account (roles with their organisations' names) is read here only, not on every request.
        const account = principal.kind === 'user' ? await getAccount(db, principal.userId, today()) : null;
        return sessionBody(account, request.caller.csrfToken, await isSetUpRequired(db));
      },
    );

    app.post(
      '/api/session',
      {
        config: signInLimit,
        schema: {
          summary: 'Sign in with a local account (email and password)',
          tags: ['access'],
          body: signInBodySchema,
          response: { 200: sessionResponseSchema },
        },
      },
      async (request, reply) => {
        const session = await signInWithPassword(db, request.body, String(request.id));
        // A new session each time; the one the old cookie named ends.
        if (request.caller.sessionToken) await signOut(db, request.caller.sessionToken, String(request.id));
        setSessionCookie(reply, context, session);
        return sessionBody(session.account, session.csrfToken, false);
      },
    );

    app.post(
      '/api/session/sign-out',
      { schema: { summary: 'Sign out (ends the session)', tags: ['access'], response: { 204: z.null() } } },
      async (request, reply) => {
        if (request.caller.sessionToken) await signOut(db, request.caller.sessionToken, String(request.id));
        clearSessionCookie(reply, context);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/setup',
      {
        config: signInLimit,
        schema: {
          summary: 'First run: create the first account, an administrator and national director',
          tags: ['access'],
          body: setUpBodySchema,
          response: { 201: sessionResponseSchema },
        },
      },
      async (request, reply) => {
        // Whoever set up a new service first would own it: only from the machine it runs on.
        if (!isLoopback(request.ip))
          throw new AppError(
            'forbidden',
            'Set up the first account from the machine running the service (http://localhost…/setup), or create it there with "oversight users create --admin".',
          );
        await setUpFirstAdministrator(
          db,
          {
            kind: 'public',
            id: null,
            label: `First-run set-up by ${request.body.email}`,
            requestId: String(request.id),
          },
          request.body,
        );
        const session = await signInWithPassword(db, request.body, String(request.id));
        setSessionCookie(reply, context, session);
        return reply.status(201).send(sessionBody(session.account, session.csrfToken, false));
      },
    );

    app.get(
      '/api/auth/oidc/start',
      {
        config: identityProviderLimit,
        schema: {
          summary: 'Start signing in at the identity provider (redirects there)',
          tags: ['access'],
          querystring: z.object({ returnTo: z.string().max(500).optional() }),
        },
      },
      async (request, reply) => {
        if (!context.oidc)
          throw new AppError('not-found', 'Sign-in through an identity provider is not configured here.');
        try {
          const { url, state } = await context.oidc.start(safeReturnPath(request.query.returnTo));
          // The browser that starts a sign-in must be the one that finishes it.
          reply.setCookie(oidcStateCookie, state, {
            path: '/api/auth/oidc',
            httpOnly: true,
            sameSite: 'lax',
            secure: context.secureCookies ?? false,
            maxAge: oidcAttemptMinutes * 60,
          });
          return reply.redirect(url.href, 302);
        } catch (error) {
          request.log.warn({ err: error }, 'identity provider sign-in could not start');
          return reply.redirect(`/sign-in?error=${signInFailureOf(error)}`, 302);
        }
      },
    );

    app.get(
      '/api/auth/oidc/callback',
      {
        config: identityProviderLimit,
        schema: { summary: 'Where the identity provider sends people back', tags: ['access'], hide: true },
      },
      async (request, reply) => {
        if (!context.oidc)
          throw new AppError('not-found', 'Sign-in through an identity provider is not configured here.');
        try {
          const { session, returnTo } = await context.oidc.complete(
            new URL(request.url, 'http://callback.invalid'),
            request.cookies[oidcStateCookie],
            String(request.id),
          );
          if (request.caller.sessionToken) await signOut(db, request.caller.sessionToken, String(request.id));
          reply.clearCookie(oidcStateCookie, { path: '/api/auth/oidc' });
          setSessionCookie(reply, context, session);
          return reply.redirect(returnTo, 302);
        } catch (error) {
          // People arrive here in a browser: back to the sign-in page with a reason code (never free text).
          request.log.warn({ err: error }, 'identity provider sign-in failed');
          reply.clearCookie(oidcStateCookie, { path: '/api/auth/oidc' });
          return reply.redirect(`/sign-in?error=${signInFailureOf(error)}`, 302);
        }
      },
    );

    // Accounts and grants (administrators)

    app.get(
      '/api/users',
      {
        schema: {
          summary: 'Every account with its roles and functions',
          tags: ['access'],
          response: { 200: usersResponseSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        return { users: await listAccounts(db, today()) };
      },
    );

    app.get(
      '/api/users/:id',
      {
        schema: {
          summary: 'One account',
          tags: ['access'],
          params: userIdParams,
          response: { 200: accountSchema },
        },
      },
      async (request) => {
        const principal = request.caller.principal;
        if (!(principal.kind === 'user' && principal.userId === request.params.id)) requireAdmin(principal);
        return getAccount(db, request.params.id, today());
      },
    );

    app.post(
      '/api/users',
      {
        schema: {
          summary: 'Create an account',
          tags: ['access'],
          body: newUserBodySchema,
          response: { 201: accountSchema },
        },
      },
      async (request, reply) => {
        requireAdmin(request.caller.principal);
        const account = await createUser(
          db,
          actorOf(request.caller.principal, String(request.id)),
          request.body,
        );
        return reply.status(201).send(account);
      },
    );

    app.post(
      '/api/users/:id/disabled',
      {
        schema: {
          summary: 'Disable an account (ends its sessions) or enable it again',
          tags: ['access'],
          params: userIdParams,
          body: disableBodySchema,
          response: { 200: accountSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        const principal = request.caller.principal;
        if (principal.kind === 'user' && principal.userId === request.params.id && request.body.disabled)
          throw new AppError('conflict', 'You cannot disable your own account.');
        await setAccountDisabled(
          db,
          actorOf(principal, String(request.id)),
          request.params.id,
          request.body.disabled,
        );
        return getAccount(db, request.params.id, today());
      },
    );

    app.post(
      '/api/users/:id/roles',
      {
        schema: {
          summary: 'Grant a role on a scope (England, a region, an ICB or an organisation)',
          tags: ['access'],
          params: userIdParams,
          body: roleGrantBodySchema,
          response: { 200: accountSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        return grantRole(
          db,
          actorOf(request.caller.principal, String(request.id)),
          { userId: request.params.id, role: request.body.role, scopeCode: request.body.scope },
          today(),
        );
      },
    );

    app.delete(
      '/api/users/:id/roles/:grantId',
      {
        schema: {
          summary: 'Revoke a role',
          tags: ['access'],
          params: grantParams,
          response: { 200: accountSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        return revokeRole(
          db,
          actorOf(request.caller.principal, String(request.id)),
          request.params.id,
          request.params.grantId,
          today(),
        );
      },
    );

    app.post(
      '/api/users/:id/functions',
      {
        schema: {
          summary: 'Grant a statutory function',
          tags: ['access'],
          params: userIdParams,
          body: functionGrantBodySchema,
          response: { 200: accountSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        return grantFunction(
          db,
          actorOf(request.caller.principal, String(request.id)),
          { userId: request.params.id, statutoryFunction: request.body.function },
          today(),
        );
      },
    );

    app.delete(
      '/api/users/:id/functions/:grantId',
      {
        schema: {
          summary: 'Revoke a statutory function',
          tags: ['access'],
          params: grantParams,
          response: { 200: accountSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        return revokeFunction(
          db,
          actorOf(request.caller.principal, String(request.id)),
          request.params.id,
          request.params.grantId,
          today(),
        );
      },
    );

    // Machine tokens (administrators)

    app.get(
      '/api/tokens',
      {
        schema: {
          summary: 'Machine tokens (never their secrets)',
          tags: ['access'],
          response: { 200: tokensResponseSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        return { tokens: await listMachineTokens(db) };
      },
    );

    app.post(
      '/api/tokens',
      {
        schema: {
          summary:
            'Create a machine token for one organisation and named templates (the secret is shown once)',
          tags: ['access'],
          body: newTokenBodySchema,
          response: { 201: newTokenResponseSchema },
        },
      },
      async (request, reply) => {
        requireAdmin(request.caller.principal);
        const created = await createMachineToken(db, actorOf(request.caller.principal, String(request.id)), {
          name: request.body.name,
          odsCode: request.body.organisation,
          templates: request.body.templates,
        });
        return reply.status(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.post(
      '/api/tokens/:id/revoke',
      {
        schema: {
          summary: 'Revoke a machine token',
          tags: ['access'],
          params: tokenIdParams,
          response: { 200: tokenSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        return revokeMachineToken(
          db,
          actorOf(request.caller.principal, String(request.id)),
          request.params.id,
        );
      },
    );

    // The audit trail

    app.get(
      '/api/audit',
      {
        schema: {
          summary:
            'Audit events, newest first: by user or by record (administrators; anyone for their own activity)',
          tags: ['access'],
          querystring: auditQuerySchema,
          response: { 200: auditResponseSchema },
        },
      },
      async (request) => ({
        events: await listAuditEvents(db, request.caller.principal, {
          userId: request.query.user,
          recordType: request.query.recordType,
          recordId: request.query.recordId,
          beforeId: request.query.before,
          limit: request.query.limit,
        }),
      }),
    );

    app.get(
      '/api/audit/verify',
      {
        schema: {
          summary: 'Check the audit chain end to end (administrators)',
          tags: ['access'],
          response: { 200: auditVerifyResponseSchema },
        },
      },
      async (request) => {
        requireAdmin(request.caller.principal);
        return verifyAuditChain(db);
      },
    );
  };
}
