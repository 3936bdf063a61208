import { AppError } from './errors.js';

/**
 * Why a sign-in through an identity provider failed, as a closed set: the browser is sent back to the
 * sign-in page with the code only, so nobody can put words of their own on our page through a link.
 */
export const signInFailureMessages = {
  expired: 'That sign-in link has expired or was already used. Sign in again.',
  'other-browser': 'Sign-in must finish in the browser that started it. Sign in again.',
  'provider-refused': 'Your identity provider did not sign you in. Try again, or ask your service desk.',
  'no-verified-email':
    'Your identity provider did not share a verified email address, so no account can be matched. Ask an administrator.',
  'linked-elsewhere':
    'The account for your email address is linked to another identity. Ask an administrator.',
  administrator: 'That is an administrator account: sign in with its email address and password.',
  disabled: 'Your account is disabled. Ask an administrator.',
  unreachable: 'The identity provider cannot be reached. Try again later, or sign in with a local account.',
  failed: 'Signing in with your identity provider did not work. Sign in again.',
} as const;
export type SignInFailure = keyof typeof signInFailureMessages;

export class SignInRefused extends AppError {
  constructor(readonly reason: SignInFailure) {
    super(
      reason === 'disabled' || reason === 'administrator' || reason === 'linked-elsewhere'
        ? 'forbidden'
        : 'unauthenticated',
      signInFailureMessages[reason],
    );
  }
}

export function isSignInFailure(value: string | null): value is SignInFailure {
  return value !== null && value in signInFailureMessages;
}

/** Only paths on this site (no scheme, host, backslash, control character or space), so a link cannot send someone elsewhere after signing in. */
export function safeReturnPath(value: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (!value || !value.startsWith('/') || value.startsWith('//') || /[\s\\\u0000-\u001f\u007f]/.test(value))
    return '/';
  const base = 'http://return.invalid';
  const url = new URL(value, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}
