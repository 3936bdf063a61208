import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, type ApiError, type NewTokenResponse, toApiError } from '../api-client.js';
import { fieldError, TextField } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { useApi } from '../use-api.js';

/** Administrators: tokens systems use to submit returns, each for one organisation and named templates. */
export function AdminTokensPage() {
  const [version, setVersion] = useState(0);
  const tokens = useApi((signal) => api.tokens(signal), [version]);
  const [name, setName] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [templates, setTemplates] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<NewTokenResponse | null>(null);
  usePageTitle('Machine tokens', tokens.status === 'error' || error !== null);

  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(toApiError(caught));
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const list = templates
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      setCreated(await api.createToken({ name, organisation, templates: list }));
      setName('');
      setOrganisation('');
      setTemplates('');
    });
  };

  return (
    <>
      {tokens.status === 'error' ? <ApiErrorSummary error={tokens.error} /> : null}
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{ name: 'name', organisation: 'organisation', templates: 'templates' }}
        />
      ) : null}
      <h1>Machine tokens</h1>
      <p className="nhsuk-lede-text">
        Systems submit returns with a token sent as <code>Authorization: Bearer …</code>. Each token works for
        one organisation and the templates named on it, and only for submitting.{' '}
        <Link to="/admin/users">Accounts</Link>
      </p>
      {created ? (
        <div className="nhsuk-card nhsuk-card--feature" role="status" data-testid="new-token">
          <div className="nhsuk-card__content nhsuk-card__content--feature">
            <h2 className="nhsuk-card__heading nhsuk-card__heading--feature">Copy the token now</h2>
            <p>It is shown once and not stored: only a hash of it is kept.</p>
            <p>
              <code className="app-token">{created.token}</code>
            </p>
          </div>
        </div>
      ) : null}
      {tokens.status === 'loading' ? <Loading what="tokens" /> : null}
      {tokens.status === 'ready' ? (
        <TableContainer label="Machine tokens">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">
              Tokens ({tokens.data.tokens.length})
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Name
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Organisation
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Templates
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Last used (UTC)
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {tokens.data.tokens.map((t) => (
                <tr className="nhsuk-table__row" key={t.id}>
                  <td className="nhsuk-table__cell">{t.name}</td>
                  <td className="nhsuk-table__cell">{t.odsCode}</td>
                  <td className="nhsuk-table__cell">{t.templates.join(', ')}</td>
                  <td className="nhsuk-table__cell">
                    {t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : <Empty>Never</Empty>}
                  </td>
                  <td className="nhsuk-table__cell">
                    {t.status === 'revoked' ? (
                      <Tag colour="grey">Revoked</Tag>
                    ) : (
                      <>
                        <Tag colour="green">Active</Tag>{' '}
                        <button
                          className="app-link-button"
                          type="button"
                          onClick={() => void run(() => api.revokeToken(t.id))}
                        >
                          Revoke<span className="nhsuk-u-visually-hidden"> {t.name}</span>
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      ) : null}
      <h2>Create a token</h2>
      <form onSubmit={submit} noValidate>
        <TextField
          id="name"
          label="What it is for"
          hint="For example, PAS nightly A&E feed"
          value={name}
          onChange={setName}
          error={fieldError(error, 'name')}
        />
        <TextField
          id="organisation"
          label="Organisation (ODS code)"
          width={10}
          value={organisation}
          onChange={setOrganisation}
          error={fieldError(error, 'organisation')}
        />
        <TextField
          id="templates"
          label="Templates"
          hint="Template codes separated by commas, like ae-monthly, beds-daily"
          value={templates}
          onChange={setTemplates}
          error={fieldError(error, 'templates')}
        />
        <button className="nhsuk-button" type="submit">
          Create token
        </button>
      </form>
    </>
  );
}
