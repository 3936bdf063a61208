import { Link, useParams } from 'react-router';
import { ApiErrorSummary, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import { formatLongDate } from '../format.js';
import { mutualAidApi, type CollaborationRecord } from '../mutual-aid-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { formatNumber } from './MutualAidParts.js';

/** An organisation's collaboration record: mutual aid it gave and received in the last 12 months. */
export function MutualAidCollaborationPage() {
  const code = (useParams().code ?? '').toUpperCase();
  const { session } = useSession();
  const record = useApi((signal) => mutualAidApi.record(code, signal), [code, session?.account?.id]);
  usePageTitle('Collaboration record', record.status === 'error');
  if (record.status === 'loading') return <Loading what="the collaboration record" />;
  if (record.status === 'error')
    return (
      <>
        <ApiErrorSummary error={record.error} />
        <h1>Collaboration record</h1>
      </>
    );
  const r = record.data.record;
  return (
    <>
      <Link className="nhsuk-back-link" to={`/organisations/${r.organisation.odsCode}/oversight`}>
        Back to the oversight of {r.organisation.name}
      </Link>
      <h1>Collaboration record: {r.organisation.name}</h1>
      <p className="nhsuk-lede-text" data-testid="collaboration-summary">
        {r.summary}
      </p>
      <p>
        Mutual aid agreed from {formatLongDate(r.from)} to {formatLongDate(r.to)}: evidence of the duty to
        collaborate. {formatNumber(r.totals.requestsRaised)} request{r.totals.requestsRaised === 1 ? '' : 's'}{' '}
        raised in that time.
      </p>
      <Entries caption="Aid given" rows={r.given} who="Given to" />
      <Entries caption="Aid received" rows={r.received} who="Received from" />
    </>
  );
}

function Entries({
  caption,
  rows,
  who,
}: {
  caption: string;
  rows: CollaborationRecord['given'];
  who: string;
}) {
  return (
    <TableContainer label={caption}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              {who}
            </th>
            <th className="nhsuk-table__header" scope="col">
              What
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Agreed
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Delivered
            </th>
            <th className="nhsuk-table__header" scope="col">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.length === 0 ? (
            <tr className="nhsuk-table__row">
              <td className="nhsuk-table__cell" colSpan={5}>
                <span className="app-secondary">None in the last 12 months</span>
              </td>
            </tr>
          ) : (
            rows.map((e) => (
              <tr className="nhsuk-table__row" key={`${e.requestId}-${e.counterparty.odsCode}`}>
                <td className="nhsuk-table__cell">
                  {e.counterparty.name} <span className="app-secondary">({e.counterparty.odsCode})</span>
                </td>
                <td className="nhsuk-table__cell">
                  <Link to={`/mutual-aid/requests/${e.requestId}`}>
                    {e.kindLabel}: {e.detailLabel}
                  </Link>
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {formatNumber(e.agreed)} {e.unit}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatNumber(e.delivered)}</td>
                <td className="nhsuk-table__cell">{e.statusLabel}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableContainer>
  );
}
