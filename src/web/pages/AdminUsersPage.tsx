import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, type ApiError, toApiError } from '../api-client.js';
import { Checkbox, fieldError, TextField } from '../components/form-parts.js';
import { ApiErrorSummary, Loading, TableContainer, Tag, usePageTitle } from '../components/page-parts.js';
import { useApi } from '../use-api.js';

/** Administrators: every account, and a form to add one. */
export function AdminUsersPage() {
  const [version, setVersion] = useState(0);
  const users = useApi((signal) => api.users(signal), [version]);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  usePageTitle('Accounts', users.status === 'error' || error !== null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const account = await api.createUser({ email, name, isAdmin, ...(password ? { password } : {}) });
      setCreated(`${account.name} <${account.email}>`);
      setError(null);
      setEmail('');
      setName('');
      setPassword('');
      setIsAdmin(false);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  return (
    <>
      {users.status === 'error' ? <ApiErrorSummary error={users.error} /> : null}
      {error ? (
        <ApiErrorSummary error={error} fieldIds={{ email: 'email', name: 'name', password: 'password' }} />
      ) : null}
      <h1>Accounts</h1>
      <p className="nhsuk-lede-text">
        People who can sign in, with the roles and statutory functions that decide what they see.{' '}
        <Link to="/admin/tokens">Machine tokens</Link> · <Link to="/admin/audit">Audit trail</Link>
      </p>
      {users.status === 'loading' ? <Loading what="accounts" /> : null}
      {users.status === 'ready' ? (
        <TableContainer label="Accounts">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">
              Accounts ({users.data.users.length})
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Name
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Email address
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Roles
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {users.data.users.map((user) => (
                <tr className="nhsuk-table__row" key={user.id}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/admin/users/${user.id}`}>{user.name}</Link>
                    {user.isAdmin ? (
                      <>
                        {' '}
                        <Tag colour="blue">Administrator</Tag>
                      </>
                    ) : null}
                  </td>
                  <td className="nhsuk-table__cell">{user.email}</td>
                  <td className="nhsuk-table__cell">
                    {user.roles.map((r) => `${r.roleLabel} (${r.scope?.odsCode ?? 'England'})`).join('; ') ||
                      'None'}
                  </td>
                  <td className="nhsuk-table__cell">
                    {user.disabled ? <Tag colour="grey">Disabled</Tag> : <Tag colour="green">Active</Tag>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      ) : null}
      <h2>Add an account</h2>
      {created ? (
        <div className="nhsuk-inset-text" role="status">
          <p>Account created for {created}. Give it a role on its page.</p>
        </div>
      ) : null}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="name"
          label="Full name"
          value={name}
          onChange={setName}
          error={fieldError(error, 'name')}
        />
        <TextField
          id="email"
          label="Email address"
          type="email"
          value={email}
          onChange={setEmail}
          error={fieldError(error, 'email')}
        />
        <TextField
          id="password"
          label="Password (optional)"
          hint="Leave empty for people who sign in with their NHS identity: their account is linked by email the first time."
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={fieldError(error, 'password')}
        />
        <Checkbox
          id="isAdmin"
          label="Administrator (manages accounts, roles and tokens)"
          checked={isAdmin}
          onChange={setIsAdmin}
        />
        <button className="nhsuk-button" type="submit">
          Add account
        </button>
      </form>
    </>
  );
}
