import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider on this machine (the `oidc-provider` package) for sign-in tests. Its
 * development login form takes any user name and password; the user name becomes the subject, and the
 * email is <name>@nhs.test.
 */
export interface LocalIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function startIdentityProvider(redirectUri: string): Promise<LocalIdentityProvider> {
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'nhs-oversight-test';
  const clientSecret = 'a-test-secret-that-is-long-enough-for-hs256-signing';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Put the profile and email in the ID token itself, as NHS CIS2 and Entra ID do.
    conformIdTokenClaims: false,
    cookies: { keys: ['test-cookie-key-1'] },
    pkce: { required: () => true },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: `${id}@nhs.test`,
        email_verified: true,
        name: `${id.charAt(0).toUpperCase()}${id.slice(1)} Identity`,
      }),
    }),
  });
  // Silence the provider's own development-mode warnings in test output.
  provider.on('server_error', () => undefined);
  handler = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
