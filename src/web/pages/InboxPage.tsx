import { Link, useParams } from 'react-router';
import { api, type InboxResponse } from '../api-client.js';
import { formatLongDate } from '../../domain/iso-date.js';
import { ApiErrorSummary, Loading, TableContainer, Tag, usePageTitle } from '../components/page-parts.js';
import { returnStatusLabels } from '../../domain/return-workflow.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

type State = InboxResponse['items'][number]['state'];
const stateTags: Record<State, { text: string; colour: 'orange' | 'blue' | 'red' | 'green' }> = {
  returned: { text: 'Returned for correction', colour: 'red' },
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
  const returned = inbox.items.filter((item) => item.state === 'returned').length;
  const outstandingDeclarations = inbox.items.filter(
    (item) => item.kind === 'declaration' && (item.state === 'open' || item.state === 'overdue'),
  ).length;
  const canSubmit =
    session?.account?.roles.some((r) => r.role === 'trust-data-submitter' && r.scope?.odsCode === code) ??
    false;
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Inbox</span>
        {inbox.organisation.name}
      </h1>
      <p className="nhsuk-lede-text" data-testid="inbox-lede">
        {inbox.outstanding === 0
          ? 'Nothing is outstanding.'
          : outstandingDeclarations === 0
            ? `${inbox.outstanding} return${inbox.outstanding === 1 ? ' is' : 's are'} outstanding.`
            : `${[
                inbox.outstanding > outstandingDeclarations
                  ? `${inbox.outstanding - outstandingDeclarations} return${inbox.outstanding - outstandingDeclarations === 1 ? '' : 's'}`
                  : null,
                `${outstandingDeclarations} comply-or-explain declaration${outstandingDeclarations === 1 ? '' : 's'}`,
              ]
                .filter(Boolean)
                .join(' and ')} ${inbox.outstanding === 1 ? 'is' : 'are'} outstanding.`}{' '}
        {returned > 0
          ? `${returned} ${returned === 1 ? 'was' : 'were'} returned for correction: see why, correct and resubmit. `
          : ''}
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
                  Collection
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
                <th className="nhsuk-table__header" scope="col">
                  Action
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {inbox.items.map((item) => (
                <tr className="nhsuk-table__row" key={`${item.template.code}|${item.period}`}>
                  <td className="nhsuk-table__cell">{item.template.name}</td>
                  <td className="nhsuk-table__cell">{item.label}</td>
                  <td className="nhsuk-table__cell">{formatLongDate(item.deadline)}</td>
                  <td className="nhsuk-table__cell">
                    {item.kind === 'declaration' ? (
                      <span className="app-secondary">Does not close</span>
                    ) : (
                      formatLongDate(item.closes)
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    <Tag colour={stateTags[item.state].colour}>{stateTags[item.state].text}</Tag>
                  </td>
                  <td className="nhsuk-table__cell">
                    {item.kind === 'declaration' ? (
                      <Link
                        to={`/organisations/${encodeURIComponent(inbox.organisation.odsCode)}/declarations/${encodeURIComponent(item.template.code)}`}
                      >
                        {item.state === 'done' ? 'See or revise the declaration' : 'Make the declaration'}
                        <span className="nhsuk-u-visually-hidden">: {item.template.name}</span>
                      </Link>
                    ) : item.kind === 'plan' ? (
                      <>
                        <Link
                          to={`/planning/${encodeURIComponent(item.template.code)}/plans/${encodeURIComponent(inbox.organisation.odsCode)}`}
                        >
                          {item.returnStatus ? returnStatusLabels[item.returnStatus] : 'Make the plan'}
                          <span className="nhsuk-u-visually-hidden">: {item.template.name}</span>
                        </Link>
                        {item.statusReason ? (
                          <p className="nhsuk-body-s">Returned: {item.statusReason}</p>
                        ) : null}
                      </>
                    ) : item.returnId === null ? (
                      canSubmit && item.state !== 'missed' ? (
                        <Link
                          to={`/returns/new?template=${encodeURIComponent(item.template.code)}&org=${encodeURIComponent(inbox.organisation.odsCode)}&period=${item.period}`}
                        >
                          Make this return
                          <span className="nhsuk-u-visually-hidden">
                            : {item.template.name}, {item.label}
                          </span>
                        </Link>
                      ) : (
                        <span className="app-secondary">Not started</span>
                      )
                    ) : item.state === 'returned' ? (
                      <>
                        {item.statusReason ? <p className="nhsuk-body-s">{item.statusReason}</p> : null}
                        <Link to={`/returns/${item.returnId}`}>
                          See why it was returned
                          <span className="nhsuk-u-visually-hidden">
                            : {item.template.name}, {item.label}
                          </span>
                        </Link>
                        {canSubmit ? (
                          <>
                            {' · '}
                            <Link to={`/returns/new?id=${item.returnId}`}>
                              Correct it
                              <span className="nhsuk-u-visually-hidden">
                                : {item.template.name}, {item.label}
                              </span>
                            </Link>
                          </>
                        ) : null}
                      </>
                    ) : (
                      <Link to={`/returns/${item.returnId}`}>
                        {item.returnStatus ? returnStatusLabels[item.returnStatus] : 'See the return'}
                        <span className="nhsuk-u-visually-hidden">
                          : {item.template.name}, {item.label}
                        </span>
                      </Link>
                    )}
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
