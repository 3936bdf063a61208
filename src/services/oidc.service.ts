import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcSettings } from '../config.js';
import type { Db } from '../db/database.js';
import { insertOidcSignIn, takeOidcSignIn } from '../db/identity.repository.js';

import { safeReturnPath, SignInRefused } from '../domain/sign-in.js';
import { signInWithIdentityProvider, type NewSession } from './identity.service.js';

/**
 * Sign-in through an OpenID Connect provider (NHS CIS2, Entra ID): authorisation code flow with PKCE,
 * state and nonce. The state is kept in the database for ten minutes, used once, and must come back
 * with the browser that started the sign-in (a cookie), so nobody can finish a sign-in of theirs in
 * someone else's browser.
 */

export const oidcAttemptMinutes = 10;

export interface OidcClient {
  label: string;
  /** Where to send the browser to sign in, and the state the browser must bring back. */
  start(returnTo: string): Promise<{ url: URL; state: string }>;
  /** Completes a sign-in from the provider's redirect back to us, in the browser holding `browserState`. */
  complete(
    callbackUrl: URL,
    browserState: string | undefined,
    requestId: string | null,
  ): Promise<{ session: NewSession; returnTo: string }>;
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
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
      throw Object.assign(new SignInRefused('unreachable'), { cause: error });
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
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, state };
    },
    async complete(callbackUrl, browserState, requestId) {
      const config = await configure();
      // The provider's own words are not shown (they could be anyone's); the reason is logged by the caller.
      if (callbackUrl.searchParams.get('error'))
        throw Object.assign(new SignInRefused('provider-refused'), {
          cause: new Error(
            `${callbackUrl.searchParams.get('error')}: ${callbackUrl.searchParams.get('error_description') ?? ''}`,
          ),
        });
      const state = callbackUrl.searchParams.get('state') ?? '';
      if (!browserState || !sameSecret(browserState, state)) throw new SignInRefused('other-browser');
      const attempt = await takeOidcSignIn(db, state, new Date(Date.now() - oidcAttemptMinutes * 60_000));
      if (!attempt) throw new SignInRefused('expired');
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
        throw Object.assign(new SignInRefused('failed'), { cause: error });
      }
      if (!claims) throw new SignInRefused('failed');
      const session = await signInWithIdentityProvider(
        db,
        {
          issuer: claims.iss,
          subject: claims.sub,
          email: typeof claims.email === 'string' ? claims.email : null,
          emailVerified: claims.email_verified === true,
          name: typeof claims.name === 'string' ? claims.name : null,
        },
        requestId,
      );
      return { session, returnTo: attempt.returnTo };
    },
  };
}

/** The reason code for the sign-in page, for any failure (unknown ones are logged by the caller). */
export function signInFailureOf(error: unknown): SignInRefused['reason'] {
  return error instanceof SignInRefused ? error.reason : 'failed';
}
