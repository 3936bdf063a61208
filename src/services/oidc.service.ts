import * as client from 'openid-client';
import type { OidcSettings } from '../config.js';
import type { Db } from '../db/database.js';
import { insertOidcSignIn, takeOidcSignIn } from '../db/identity.repository.js';
import { AppError } from '../domain/errors.js';
import { signInWithIdentityProvider, type NewSession } from './identity.service.js';

/**
 * Sign-in through an OpenID Connect provider (NHS CIS2, Entra ID): authorisation code flow with PKCE,
 * state and nonce; the state is kept in the database for ten minutes and used once.
 */

const attemptMinutes = 10;

export interface OidcClient {
  label: string;
  /** Where to send the browser to sign in. */
  start(returnTo: string): Promise<URL>;
  /** Completes a sign-in from the provider's redirect back to us. */
  complete(callbackUrl: URL, requestId: string | null): Promise<{ session: NewSession; returnTo: string }>;
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** Only paths on this site: never send someone on to another site after signing in. */
export function safeReturnPath(value: string | undefined): string {
  return value && /^\/(?![/\\])/.test(value) ? value : '/';
}

export function createOidcClient(db: Db, settings: OidcSettings, publicUrl: string): OidcClient {
  const redirectUri = `${publicUrl}/api/auth/oidc/callback`;
  let configuration: Promise<client.Configuration> | null = null;
  const configure = () => {
    configuration ??= (async () => {
      const issuer = new URL(settings.issuer);
      // Plain HTTP is allowed only for a provider on this machine (tests, local development).
      const options =
        issuer.protocol === 'http:' && isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : {};
      return client.discovery(issuer, settings.clientId, settings.clientSecret, undefined, options);
    })().catch((error: unknown) => {
      configuration = null;
      throw new AppError(
        'unauthenticated',
        `The identity provider at ${settings.issuer} cannot be reached (${error instanceof Error ? error.message : String(error)}). Try again, or sign in with a local account.`,
      );
    });
    return configuration;
  };

  return {
    label: settings.label,
    async start(returnTo) {
      const config = await configure();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      await insertOidcSignIn(db, { state, nonce, codeVerifier, returnTo: safeReturnPath(returnTo) });
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async complete(callbackUrl, requestId) {
      const config = await configure();
      const providerError = callbackUrl.searchParams.get('error');
      if (providerError)
        throw new AppError(
          'unauthenticated',
          `The identity provider did not sign you in: ${callbackUrl.searchParams.get('error_description') ?? providerError}.`,
        );
      const state = callbackUrl.searchParams.get('state') ?? '';
      const attempt = await takeOidcSignIn(db, state, new Date(Date.now() - attemptMinutes * 60_000));
      if (!attempt)
        throw new AppError(
          'unauthenticated',
          'This sign-in link has expired or was already used. Sign in again.',
        );
      // The provider redirected to our public address; check the response against that address.
      const current = new URL(`${redirectUri}${callbackUrl.search}`);
      let claims: client.IDToken | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: attempt.codeVerifier,
          expectedState: state,
          expectedNonce: attempt.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (error) {
        throw new AppError(
          'unauthenticated',
          `The identity provider's answer could not be checked (${error instanceof Error ? error.message : String(error)}). Sign in again.`,
        );
      }
      if (!claims)
        throw new AppError('unauthenticated', 'The identity provider sent no ID token. Sign in again.');
      const email = typeof claims.email === 'string' ? claims.email : null;
      const name = typeof claims.name === 'string' ? claims.name : null;
      const session = await signInWithIdentityProvider(
        db,
        { issuer: claims.iss, subject: claims.sub, email, name },
        requestId,
      );
      return { session, returnTo: attempt.returnTo };
    },
  };
}
