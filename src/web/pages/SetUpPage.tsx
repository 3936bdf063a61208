import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type ApiError, toApiError } from '../api-client.js';
import { fieldError, TextField } from '../components/form-parts.js';
import { ApiErrorSummary, usePageTitle } from '../components/page-parts.js';
import { useSession } from '../session.js';

/** First run: the first account becomes an administrator and national director. */
export function SetUpPage() {
  const { session, adopt } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle('Set up NHS Oversight', error !== null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      adopt(await api.setUp({ email, name, password }));
      void navigate('/account');
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  if (session && !session.setUpRequired && !error)
    return (
      <>
        <h1>This service is set up</h1>
        <p>
          Accounts already exist. <Link to="/sign-in">Sign in</Link>, or ask an administrator for an account.
        </p>
      </>
    );
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {error ? (
          <ApiErrorSummary error={error} fieldIds={{ email: 'email', name: 'name', password: 'password' }} />
        ) : null}
        <h1>Set up NHS Oversight</h1>
        <p className="nhsuk-lede-text">
          Create the first account. It can manage accounts, roles and machine tokens, and is a national
          director for England.
        </p>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            id="name"
            label="Full name"
            autoComplete="name"
            value={name}
            onChange={setName}
            error={fieldError(error, 'name')}
          />
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
            hint="12 characters or more. A few unrelated words work well."
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            error={fieldError(error, 'password')}
          />
          <button className="nhsuk-button" type="submit">
            Create account
          </button>
        </form>
      </div>
    </div>
  );
}
