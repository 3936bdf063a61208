import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  roleLabels,
  roles,
  roleScopeTier,
  statutoryFunctionLabels,
  statutoryFunctions,
} from '../../domain/access.js';
import { api, type ApiError, type Account, toApiError } from '../api-client.js';
import { AuditTable } from '../components/AuditTable.js';
import { fieldError, SelectField, TextField } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { useApi } from '../use-api.js';

const scopeHint = {
  england: 'National roles cover all of England: leave this empty.',
  region: 'The ODS code of the region, like Y56 for London.',
  icb: 'The ODS code of the ICB, like QKK for South East London.',
  organisation: 'The ODS code of the trust or other organisation.',
};

/** Administrators: one account's roles, statutory functions, status and activity. */
export function AdminUserPage() {
  const id = Number(useParams().id);
  const [version, setVersion] = useState(0);
  const loaded = useApi((signal) => api.user(id, signal), [id, version]);
  const activity = useApi((signal) => api.audit({ user: id, limit: 50 }, signal), [id, version]);
  const changes = useApi(
    (signal) => api.audit({ recordType: 'user', recordId: String(id), limit: 50 }, signal),
    [id, version],
  );
  const [role, setRole] = useState<string>('icb-lead');
  const [scope, setScope] = useState('');
  const [fn, setFn] = useState<string>('eprr');
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle(
    loaded.status === 'ready' ? loaded.data.name : 'Account',
    loaded.status === 'error' || error !== null,
  );

  const act = async (work: () => Promise<Account>) => {
    try {
      await work();
      setError(null);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(toApiError(caught));
    }
  };
  const grant = (event: FormEvent) => {
    event.preventDefault();
    void act(() => api.grantRole(id, { role, ...(scope.trim() ? { scope: scope.trim() } : {}) })).then(() =>
      setScope(''),
    );
  };
  const grantFn = (event: FormEvent) => {
    event.preventDefault();
    void act(() => api.grantFunction(id, fn));
  };
  const tier = roleScopeTier[role as keyof typeof roleScopeTier] ?? 'organisation';

  return (
    <>
      {loaded.status === 'error' ? <ApiErrorSummary error={loaded.error} /> : null}
      {error ? (
        <ApiErrorSummary error={error} fieldIds={{ role: 'role', scope: 'scope', function: 'function' }} />
      ) : null}
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to="/admin/users">
              Accounts
            </Link>
          </li>
        </ol>
      </nav>
      {loaded.status === 'loading' ? <Loading what="the account" /> : null}
      {loaded.status === 'ready' ? (
        <>
          <h1>{loaded.data.name}</h1>
          <SummaryList
            rows={[
              { key: 'Email address', value: loaded.data.email },
              { key: 'Administrator', value: loaded.data.isAdmin ? 'Yes' : 'No' },
              {
                key: 'Status',
                value: loaded.data.disabled ? (
                  <Tag colour="grey">Disabled</Tag>
                ) : (
                  <Tag colour="green">Active</Tag>
                ),
              },
            ]}
          />
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            onClick={() => void act(() => api.setUserDisabled(id, !loaded.data.disabled))}
          >
            {loaded.data.disabled ? 'Enable account' : 'Disable account'}
          </button>
          <TableContainer label="Roles">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--m">Roles</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Role
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Scope
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    <span className="nhsuk-u-visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {loaded.data.roles.map((r) => (
                  <tr className="nhsuk-table__row" key={r.id}>
                    <td className="nhsuk-table__cell">{r.roleLabel}</td>
                    <td className="nhsuk-table__cell">
                      {r.scope ? `${r.scope.name} (${r.scope.odsCode})` : 'England'}
                    </td>
                    <td className="nhsuk-table__cell">
                      <button
                        className="app-link-button"
                        type="button"
                        onClick={() => void act(() => api.revokeRole(id, r.id))}
                      >
                        Revoke<span className="nhsuk-u-visually-hidden"> {r.roleLabel}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableContainer>
          <form onSubmit={grant} noValidate>
            <h2 className="nhsuk-heading-m">Grant a role</h2>
            <SelectField
              id="role"
              label="Role"
              value={role}
              onChange={setRole}
              options={roles.map((r) => ({ value: r, text: roleLabels[r] }))}
              error={fieldError(error, 'role')}
            />
            <TextField
              id="scope"
              label="Scope"
              hint={scopeHint[tier]}
              width={10}
              value={scope}
              onChange={setScope}
              error={fieldError(error, 'scope')}
            />
            <button className="nhsuk-button" type="submit">
              Grant role
            </button>
          </form>
          <h2 className="nhsuk-heading-m">Statutory functions</h2>
          <p>Records of a statutory function are hidden from everyone without it, whatever their role.</p>
          {loaded.data.functions.length > 0 ? (
            <ul className="nhsuk-list">
              {loaded.data.functions.map((f) => (
                <li key={f.id}>
                  {f.label}{' '}
                  <button
                    className="app-link-button"
                    type="button"
                    onClick={() => void act(() => api.revokeFunction(id, f.id))}
                  >
                    Revoke<span className="nhsuk-u-visually-hidden"> {f.label}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p>None.</p>
          )}
          <form onSubmit={grantFn} noValidate>
            <SelectField
              id="function"
              label="Function to grant"
              value={fn}
              onChange={setFn}
              options={statutoryFunctions.map((f) => ({ value: f, text: statutoryFunctionLabels[f] }))}
              error={fieldError(error, 'function')}
            />
            <button className="nhsuk-button nhsuk-button--secondary" type="submit">
              Grant function
            </button>
          </form>
        </>
      ) : null}
      {changes.status === 'ready' ? (
        <AuditTable events={changes.data.events} caption="Changes to this account" />
      ) : null}
      {activity.status === 'ready' ? (
        <AuditTable events={activity.data.events} caption="What this person did" />
      ) : null}
    </>
  );
}
