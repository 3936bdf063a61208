import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { statutoryFunctionLabels } from '../../domain/access.js';
import { api, type ApiError, toApiError } from '../api-client.js';
import { AuditTable } from '../components/AuditTable.js';
import {
  ApiErrorSummary,
  Loading,
  SummaryList,
  TableContainer,
  usePageTitle,
} from '../components/page-parts.js';
import { formatPeriod } from '../../domain/period.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { statusTags } from './ReturnsPage.js';

/** One return: its values, its status, who did what to it and who read it. */
export function ReturnPage() {
  const id = Number(useParams().id);
  const { session } = useSession();
  const [version, setVersion] = useState(0);
  const loaded = useApi((signal) => api.submission(id, signal), [id, version, session?.account?.id]);
  const history = useApi((signal) => api.submissionHistory(id, signal), [id, version, session?.account?.id]);
  const catalogue = useApi((signal) => api.metrics(signal), []);
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle(
    loaded.status === 'ready' ? `${loaded.data.template} return of ${loaded.data.odsCode}` : 'Return',
    loaded.status === 'error' || error !== null,
  );
  const canPublish =
    session?.account?.roles.some((r) => r.role === 'national-director' || r.role === 'national-analyst') ??
    false;
  const itemName = (code: string) =>
    catalogue.status === 'ready' ? (catalogue.data.items.find((i) => i.code === code)?.name ?? code) : code;

  const publish = async () => {
    try {
      await api.publishSubmission(id);
      setError(null);
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  return (
    <>
      {loaded.status === 'error' ? <ApiErrorSummary error={loaded.error} /> : null}
      {error ? <ApiErrorSummary error={error} /> : null}
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to="/returns">
              Returns
            </Link>
          </li>
        </ol>
      </nav>
      {loaded.status === 'loading' ? <Loading what="the return" /> : null}
      {loaded.status === 'error' && loaded.error.status === 401 ? (
        <p>
          <Link to={`/sign-in?returnTo=/returns/${id}`}>Sign in</Link> to see this return.
        </p>
      ) : null}
      {loaded.status === 'ready' ? (
        <>
          <h1>
            <span className="nhsuk-caption-l">Return {loaded.data.id}</span>
            {loaded.data.template}: {loaded.data.odsCode},{' '}
            {formatPeriod({ type: 'month', start: loaded.data.periodStart })}
          </h1>
          <SummaryList
            rows={[
              { key: 'Status', value: statusTags[loaded.data.status] },
              {
                key: 'Organisation',
                value: <Link to={`/organisations/${loaded.data.odsCode}`}>{loaded.data.odsCode}</Link>,
              },
              {
                key: 'Statutory function',
                value: loaded.data.statutoryFunction
                  ? statutoryFunctionLabels[loaded.data.statutoryFunction]
                  : 'None',
              },
              {
                key: 'Last changed',
                value: `${loaded.data.updatedAt.slice(0, 16).replace('T', ' ')} UTC by ${loaded.data.updatedBy}`,
              },
            ]}
          />
          <TableContainer label="Values">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--m">Values</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Data item
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Value
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {Object.entries(loaded.data.values).map(([item, value]) => (
                  <tr className="nhsuk-table__row" key={item}>
                    <td className="nhsuk-table__cell">
                      {itemName(item)} <span className="app-secondary">({item})</span>
                    </td>
                    <td className="nhsuk-table__cell app-numeric">{value.toLocaleString('en-GB')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableContainer>
          {canPublish && loaded.data.status === 'submitted' ? (
            <button className="nhsuk-button" type="button" onClick={() => void publish()}>
              Publish this return
            </button>
          ) : null}
        </>
      ) : null}
      {history.status === 'ready' ? (
        <AuditTable events={history.data.events} caption="History of this return" />
      ) : null}
    </>
  );
}
