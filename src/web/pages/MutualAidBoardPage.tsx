import { Link, useSearchParams } from 'react-router';
import { ApiErrorSummary, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import { SelectField } from '../components/form-parts.js';
import { formatLongDate } from '../format.js';
import { mutualAidApi, type AidBoard } from '../mutual-aid-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { AidStatusTag, formatNumber, UrgencyTag } from './MutualAidParts.js';

/**
 * The regional mutual aid board: who needs help, who can offer it, what is agreed. Open requests first
 * (status, urgency, need and the date needed by), then the offers of the region's trusts.
 */
export function MutualAidBoardPage() {
  const [params, setParams] = useSearchParams();
  const { session } = useSession();
  const signedIn = Boolean(session?.account);
  const scope = useApi(
    (signal) => (signedIn ? mutualAidApi.scope(signal) : Promise.resolve(null)),
    [session?.account?.id],
  );
  const region =
    params.get('region')?.toUpperCase() ??
    (scope.status === 'ready' ? (scope.data?.regions[0]?.odsCode ?? '') : '');
  const board = useApi(
    (signal) => (region && signedIn ? mutualAidApi.board(region, signal) : Promise.resolve(null)),
    [region, session?.account?.id],
  );
  usePageTitle('Mutual aid', board.status === 'error' || scope.status === 'error');

  if (!session) return <Loading what="your account" />;
  if (!signedIn)
    return (
      <>
        <h1>Mutual aid</h1>
        <p>
          Mutual aid records are not public. <Link to="/sign-in?returnTo=/mutual-aid">Sign in</Link> to see
          your region&apos;s board.
        </p>
      </>
    );
  if (scope.status === 'loading') return <Loading what="your regions" />;
  if (scope.status === 'error')
    return (
      <>
        <ApiErrorSummary error={scope.error} />
        <h1>Mutual aid</h1>
      </>
    );
  const regions = scope.data?.regions ?? [];
  return (
    <>
      <h1>Mutual aid</h1>
      {regions.length === 0 ? (
        <p>None of your roles lets you raise, offer or broker mutual aid. Ask an administrator for a role.</p>
      ) : null}
      {regions.length > 1 ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
          }}
        >
          <SelectField
            id="region"
            label="Region"
            value={region}
            onChange={(value) => setParams({ region: value })}
            options={regions.map((r) => ({ value: r.odsCode, text: `${r.name} (${r.odsCode})` }))}
          />
        </form>
      ) : null}
      {board.status === 'error' ? <ApiErrorSummary error={board.error} /> : null}
      {board.status === 'loading' ? <Loading what="the board" /> : null}
      {board.status === 'ready' && board.data ? <Board board={board.data} /> : null}
      {regions.length > 0 ? (
        <div className="nhsuk-button-group">
          <Link className="nhsuk-button" to="/mutual-aid/new" data-testid="raise-request">
            Ask for aid
          </Link>
          <Link className="nhsuk-button nhsuk-button--secondary" to="/mutual-aid/offers/new">
            Offer capacity
          </Link>
        </div>
      ) : null}
    </>
  );
}

function Board({ board }: { board: AidBoard }) {
  const open = board.requests.filter((r) =>
    ['requested', 'matched', 'agreed', 'in-progress'].includes(r.status),
  );
  const closed = board.requests.filter((r) => !open.includes(r));
  return (
    <>
      <p className="nhsuk-lede-text" data-testid="board-lede">
        {board.region.name}:{' '}
        {open.length === 0
          ? 'no open requests'
          : `${formatNumber(open.length)} open request${open.length === 1 ? '' : 's'}`}
        {open.length > 0
          ? `, ${formatNumber(board.counts.awaitingMatch)} still needing capacity and ${formatNumber(board.counts.inProgress)} in progress`
          : ''}
        ; {formatNumber(board.counts.offersOpen)} open offer{board.counts.offersOpen === 1 ? '' : 's'}.
      </p>
      <RequestTable caption="Open requests, most urgent first" rows={open} testId="open-requests" />
      {closed.length > 0 ? (
        <RequestTable caption="Closed in the last 30 days" rows={closed} testId="closed-requests" />
      ) : null}
      <TableContainer label="Open offers">
        <table className="nhsuk-table" data-testid="open-offers">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">Open offers</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Offered by
              </th>
              <th className="nhsuk-table__header" scope="col">
                Offer
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Still available
              </th>
              <th className="nhsuk-table__header" scope="col">
                Available
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {board.offers.length === 0 ? (
              <tr className="nhsuk-table__row">
                <td className="nhsuk-table__cell" colSpan={4}>
                  <span className="app-secondary">No open offers in this region</span>
                </td>
              </tr>
            ) : (
              board.offers.map((o) => (
                <tr className="nhsuk-table__row" key={o.id}>
                  <td className="nhsuk-table__cell">
                    {o.provider.name} <span className="app-secondary">({o.provider.odsCode})</span>
                  </td>
                  <td className="nhsuk-table__cell">{o.offer}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                    {formatNumber(o.remaining)}
                  </td>
                  <td className="nhsuk-table__cell">
                    {formatLongDate(o.availableFrom)} to {formatLongDate(o.availableTo)}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableContainer>
    </>
  );
}

function RequestTable({
  caption,
  rows,
  testId,
}: {
  caption: string;
  rows: AidBoard['requests'];
  testId: string;
}) {
  return (
    <TableContainer label={caption}>
      <table className="nhsuk-table" data-testid={testId}>
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Requested by
            </th>
            <th className="nhsuk-table__header" scope="col">
              Need
            </th>
            <th className="nhsuk-table__header" scope="col">
              Urgency
            </th>
            <th className="nhsuk-table__header" scope="col">
              Needed by
            </th>
            <th className="nhsuk-table__header" scope="col">
              Status
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Still to find
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.length === 0 ? (
            <tr className="nhsuk-table__row">
              <td className="nhsuk-table__cell" colSpan={6}>
                <span className="app-secondary">No requests</span>
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr className="nhsuk-table__row" key={r.id} data-testid={`request-${r.id}`}>
                <td className="nhsuk-table__cell">
                  {r.requester.name} <span className="app-secondary">({r.requester.odsCode})</span>
                </td>
                <td className="nhsuk-table__cell">
                  <Link to={`/mutual-aid/requests/${r.id}`}>{r.need}</Link>
                  {r.providers.length > 0 ? (
                    <div className="app-secondary">From {r.providers.join(', ')}</div>
                  ) : null}
                </td>
                <td className="nhsuk-table__cell">
                  <UrgencyTag urgency={r.urgency} label={r.urgencyLabel} />
                </td>
                <td className="nhsuk-table__cell">{formatLongDate(r.neededFrom)}</td>
                <td className="nhsuk-table__cell">
                  <AidStatusTag status={r.status} label={r.statusLabel} />
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {r.status === 'completed' || r.status === 'withdrawn' ? (
                    <span className="app-secondary">Not applicable</span>
                  ) : (
                    formatNumber(r.remaining)
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableContainer>
  );
}
