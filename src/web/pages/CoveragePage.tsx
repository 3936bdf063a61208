import { Link, useParams, useSearchParams } from 'react-router';
import { api, type CoverageResponse } from '../api-client.js';
import { formatLongDate } from '../../domain/iso-date.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatWhen, ReturnStatusTag } from '../components/return-parts.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

type CoverageOrganisation = CoverageResponse['organisations'][number];

function Completeness({ o }: { o: CoverageOrganisation }) {
  if (o.itemsGiven === null) return <Empty>None given</Empty>;
  return (
    <>
      {o.itemsGiven} of {o.itemsAsked}
      {o.itemsGiven < o.itemsAsked ? <span className="app-cell-note">Incomplete</span> : null}
    </>
  );
}

/** Who has not made this return, and who made it late? Per region, then the organisations still missing. */
export function CoveragePage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const period = params.get('period') ?? undefined;
  const { session } = useSession();
  const state = useApi((signal) => api.coverage(code, period, signal), [code, period, session?.account?.id]);
  usePageTitle(
    state.status === 'ready'
      ? `Who has made the return: ${state.data.template.name}`
      : 'Who has made the return',
    state.status === 'error',
  );
  if (state.status === 'loading') return <Loading what="the returns made" />;
  if (state.status === 'error')
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>Who has made the return</h1>
        {state.error.status === 401 ? (
          <p>
            <Link to={`/sign-in?returnTo=${encodeURIComponent(`/collections/${code}`)}`}>Sign in</Link> to see
            who has made this return.
          </p>
        ) : null}
      </>
    );
  const c = state.data;
  const missing = c.organisations.filter((o) => o.onTime === null);
  const made = c.organisations
    .filter((o) => o.onTime !== null)
    .sort(
      (a, b) =>
        Number(a.onTime) - Number(b.onTime) ||
        (a.firstSubmittedAt ?? '').localeCompare(b.firstSubmittedAt ?? '') ||
        a.odsCode.localeCompare(b.odsCode),
    );
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">
          {c.template.name}, {c.period.label}
        </span>
        Who has made the return
      </h1>
      <p className="nhsuk-lede-text" data-testid="coverage-lede">
        {c.summary.submitted} of {c.summary.asked} made the return, {c.summary.onTime} by the deadline of{' '}
        {formatLongDate(c.period.deadline)}; {c.summary.missing} have not (it closes{' '}
        {formatLongDate(c.period.closes)}).
      </p>
      <p data-testid="coverage-quality">
        {c.summary.complete} of {c.summary.submitted} returns made give every item asked;{' '}
        {c.summary.accepted === 1
          ? '1 has been accepted by the region and is used in reporting.'
          : `${c.summary.accepted} have been accepted by the region and are used in reporting.`}
      </p>
      <TableContainer label="By region">
        <table className="nhsuk-table" data-testid="coverage-regions">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">By region</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Region
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Asked
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Made the return
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                By the deadline
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Complete
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Accepted
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {c.byRegion.map((g) => (
              <tr className="nhsuk-table__row" key={g.code}>
                <td className="nhsuk-table__cell">{g.name}</td>
                <td className="nhsuk-table__cell app-numeric">{g.asked}</td>
                <td className="nhsuk-table__cell app-numeric">{g.submitted}</td>
                <td className="nhsuk-table__cell app-numeric">{g.onTime}</td>
                <td className="nhsuk-table__cell app-numeric">{g.complete}</td>
                <td className="nhsuk-table__cell app-numeric">{g.accepted}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
      <h2>Not made yet</h2>
      {missing.length === 0 ? (
        <p>Every organisation asked has made the return.</p>
      ) : (
        <TableContainer label="Not made yet">
          <table className="nhsuk-table" data-testid="coverage-missing">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
              Organisations that have not made the return
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Organisation
                </th>
                <th className="nhsuk-table__header" scope="col">
                  ICB
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {missing.map((o) => (
                <tr className="nhsuk-table__row" key={o.odsCode}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/organisations/${o.odsCode}/inbox`}>{o.name}</Link>{' '}
                    <span className="app-secondary">{o.odsCode}</span>
                  </td>
                  <td className="nhsuk-table__cell">{o.icbCode ?? <Empty>Not known</Empty>}</td>
                  <td className="nhsuk-table__cell">
                    <ReturnStatusTag status={o.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
      <h2>Made the return</h2>
      {made.length === 0 ? (
        <p>No organisation has made the return yet.</p>
      ) : (
        <TableContainer label="Made the return">
          <table className="nhsuk-table" data-testid="coverage-made">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
              Organisations that have made the return: when, whether on time, how complete, and where it
              stands
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Organisation
                </th>
                <th className="nhsuk-table__header" scope="col">
                  First submitted
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Timeliness
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Items given
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                <th className="nhsuk-table__header" scope="col">
                  In reporting
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {made.map((o) => (
                <tr className="nhsuk-table__row" key={o.odsCode}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/organisations/${o.odsCode}/inbox`}>{o.name}</Link>{' '}
                    <span className="app-secondary">{o.odsCode}</span>
                  </td>
                  <td className="nhsuk-table__cell">
                    {o.firstSubmittedAt ? formatWhen(o.firstSubmittedAt) : <Empty>Not known</Empty>}
                  </td>
                  <td className="nhsuk-table__cell">
                    {o.onTime ? <Tag colour="green">On time</Tag> : <Tag colour="orange">Late</Tag>}
                  </td>
                  <td className="nhsuk-table__cell app-numeric">
                    <Completeness o={o} />
                  </td>
                  <td className="nhsuk-table__cell">
                    <ReturnStatusTag status={o.status} />
                  </td>
                  <td className="nhsuk-table__cell">{o.accepted ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
    </>
  );
}
