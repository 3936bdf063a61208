import { Link, useParams } from 'react-router';
import { api, type InboxResponse } from '../api-client.js';
import { formatLongDate } from '../../domain/iso-date.js';
import { ApiErrorSummary, Loading, TableContainer, Tag, usePageTitle } from '../components/page-parts.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

type State = InboxResponse['items'][number]['state'];
const stateTags: Record<State, { text: string; colour: 'orange' | 'blue' | 'red' | 'green' }> = {
  overdue: { text: 'Overdue', colour: 'orange' },
  open: { text: 'Due', colour: 'blue' },
  missed: { text: 'Missed', colour: 'red' },
  done: { text: 'Submitted', colour: 'green' },
};

/** What is asked of this organisation, and what is outstanding? One list, deadlines first. */
export function InboxPage() {
  const { code = '' } = useParams();
  const { session } = useSession();
  const state = useApi((signal) => api.inbox(code, signal), [code, session?.account?.id]);
  usePageTitle(
    state.status === 'ready' ? `Inbox: ${state.data.organisation.name}` : 'Inbox',
    state.status === 'error',
  );
  if (state.status === 'loading') return <Loading what="the inbox" />;
  if (state.status === 'error')
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>Inbox</h1>
        {state.error.status === 401 ? (
          <p>
            <Link to={`/sign-in?returnTo=${encodeURIComponent(`/organisations/${code}/inbox`)}`}>
              Sign in
            </Link>{' '}
            to see what is asked of this organisation.
          </p>
        ) : null}
      </>
    );
  const inbox = state.data;
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Inbox</span>
        {inbox.organisation.name}
      </h1>
      <p className="nhsuk-lede-text" data-testid="inbox-lede">
        {inbox.outstanding === 0
          ? 'Nothing is outstanding.'
          : `${inbox.outstanding} return${inbox.outstanding === 1 ? ' is' : 's are'} outstanding.`}{' '}
        Everything asked of it for the latest periods, as at {formatLongDate(inbox.asAt)}.
      </p>
      {inbox.items.length === 0 ? (
        <p>No active collection asks anything of this kind of organisation.</p>
      ) : (
        <TableContainer label="Inbox">
          <table className="nhsuk-table" data-testid="inbox-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
              Returns asked of this organisation
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Return
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Period
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Due
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Closes
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {inbox.items.map((item) => (
                <tr className="nhsuk-table__row" key={`${item.template.code}|${item.period}`}>
                  <td className="nhsuk-table__cell">{item.template.name}</td>
                  <td className="nhsuk-table__cell">{item.label}</td>
                  <td className="nhsuk-table__cell">{formatLongDate(item.deadline)}</td>
                  <td className="nhsuk-table__cell">{formatLongDate(item.closes)}</td>
                  <td className="nhsuk-table__cell">
                    <Tag colour={stateTags[item.state].colour}>{stateTags[item.state].text}</Tag>
                    {item.returnId !== null ? (
                      <>
                        {' '}
                        <Link to={`/returns/${item.returnId}`}>{item.returnStatus}</Link>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
    </>
  );
}
