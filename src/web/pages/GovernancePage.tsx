import { Link } from 'react-router';
import { ApiErrorSummary, Empty, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import { formatCount, formatLongDate } from '../format.js';
import { governanceApi, type BodySummary } from '../governance-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { kindLabel, placeLabel } from './GovernanceParts.js';

/**
 * When does each governance body meet next, and what is overdue? The NHS Executive Group, the NHS Assembly
 * and the regional boards, with their next meetings and overdue actions (of the decisions the reader may see).
 */
export function GovernancePage() {
  const { session } = useSession();
  const bodies = useApi((signal) => governanceApi.bodies(signal), [session?.account?.id]);
  usePageTitle('Governance bodies', bodies.status === 'error');
  if (bodies.status === 'loading') return <Loading what="the governance bodies" />;
  if (bodies.status === 'error')
    return (
      <>
        <ApiErrorSummary error={bodies.error} />
        <h1>Governance bodies</h1>
      </>
    );
  const { overdueActions } = bodies.data;
  const list = bodies.data.bodies;
  const next = list
    .flatMap((b) => (b.nextMeeting ? [{ body: b, meeting: b.nextMeeting }] : []))
    .sort((a, b) => a.meeting.meetsOn.localeCompare(b.meeting.meetsOn))[0];
  return (
    <>
      <h1>Governance bodies</h1>
      <p className="nhsuk-lede-text" data-testid="governance-lede">
        {next
          ? `The next meeting is ${next.body.name} on ${formatLongDate(next.meeting.meetsOn)}. `
          : 'No meeting is scheduled. '}
        <span data-testid="overdue-count">
          {overdueActions === 0
            ? 'No action is overdue.'
            : `${formatCount(overdueActions)} action${overdueActions === 1 ? ' is' : 's are'} overdue.`}
        </span>
      </p>
      <p>
        The NHS Executive Group brings together the national and regional directors. The NHS Assembly draws on
        clinical, patient, staff and voluntary-sector organisations, arm&apos;s-length bodies and local
        leaders. Each region has its own board. Unpublished papers and decisions are shown only to people
        whose roles cover the body.
      </p>
      <BodiesTable bodies={list} />
    </>
  );
}

function BodiesTable({ bodies }: { bodies: BodySummary[] }) {
  return (
    <TableContainer label="Governance bodies">
      <table className="nhsuk-table" data-testid="bodies-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">Bodies, national first</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Body
            </th>
            <th className="nhsuk-table__header" scope="col">
              Kind
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Members today
            </th>
            <th className="nhsuk-table__header" scope="col">
              Next meeting
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Overdue actions
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {bodies.map((body) => (
            <tr className="nhsuk-table__row" key={body.code}>
              <td className="nhsuk-table__cell">
                <Link to={`/governance/${body.code}`}>{body.name}</Link>
              </td>
              <td className="nhsuk-table__cell">{kindLabel(body.kind)}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {formatCount(body.membersToday)}
              </td>
              <td className="nhsuk-table__cell">
                {body.nextMeeting ? (
                  <>
                    {formatLongDate(body.nextMeeting.meetsOn)}
                    <span className="app-secondary"> ({placeLabel(body.nextMeeting.location)})</span>
                  </>
                ) : (
                  <Empty>None scheduled</Empty>
                )}
              </td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {formatCount(body.actions.overdue)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}
