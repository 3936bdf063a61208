import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, toApiError } from '../api-client.js';
import { fieldError, TextField } from '../components/form-parts.js';
import { ApiErrorSummary, usePageTitle } from '../components/page-parts.js';
import { isSignInFailure, safeReturnPath, signInFailureMessages } from '../../domain/sign-in.js';
import { useSession } from '../session.js';

/** Sign in with the NHS identity provider (when configured) or a local account. */
export function SignInPage() {
  const { session, adopt } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const returnTo = safeReturnPath(params.get('returnTo'));
  const providerError = params.get('error');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // The identity provider's failures come back as a code; only our own words are shown for it.
  const [error, setError] = useState<ApiError | null>(
    providerError
      ? new ApiError(
          signInFailureMessages[isSignInFailure(providerError) ? providerError : 'failed'],
          401,
          [],
        )
      : null,
  );
  const [busy, setBusy] = useState(false);
  usePageTitle('Sign in', error !== null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      adopt(await api.signIn({ email, password }));
      void navigate(returnTo);
    } catch (caught) {
      setError(toApiError(caught));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {error ? <ApiErrorSummary error={error} fieldIds={{ email: 'email', password: 'password' }} /> : null}
        <h1>Sign in</h1>
        {session?.account ? (
          <p>
            You are signed in as {session.account.name}. <Link to="/account">Your account</Link>
          </p>
        ) : null}
        {session?.setUpRequired ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              No accounts exist yet. <Link to="/setup">Set up the first administrator account</Link>.
            </p>
          </div>
        ) : null}
        {session?.identityProvider ? (
          <>
            <p>Use your NHS identity if your organisation has one.</p>
            <a
              className="nhsuk-button"
              href={`${session.identityProvider.startUrl}?returnTo=${encodeURIComponent(returnTo)}`}
              data-testid="oidc-sign-in"
            >
              Sign in with {session.identityProvider.label}
            </a>
            <h2 className="nhsuk-heading-m">Or sign in with a local account</h2>
          </>
        ) : (
          <p>Sign in with the email address and password of your account.</p>
        )}
        <form onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            id="email"
            label="Email address"
            type="email"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            error={fieldError(error, 'email')}
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={fieldError(error, 'password')}
          />
          <button className="nhsuk-button" type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
        <p className="nhsuk-body-s">
          Published figures need no account. Ask your organisation&apos;s administrator for access to returns
          that are not published.
        </p>
      </div>
    </div>
  );
}
