import { todayIsoDate } from '../../domain/iso-date.js';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { fieldError, TextArea, TextField, useSubmit } from '../components/form-parts.js';
import { ChainSteps, InterventionStatusTag } from '../components/intervention-parts.js';
import {
  ApiErrorSummary,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatLongDate } from '../format.js';
import { interventionsApi, type InterventionBody } from '../interventions-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

/**
 * Is this intervention working, and what is due? Its signal, owner, exit criteria, actions and reviews,
 * the chain back to the data and on to programmes and mutual aid, and — for the region — the forms to
 * review it, add and complete actions, and end it.
 */
export function InterventionPage() {
  const { id = '' } = useParams();
  const { session } = useSession();
  const [changed, setChanged] = useState<InterventionBody | null>(null);
  const state = useApi((signal) => interventionsApi.get(id, signal), [id, session?.account?.id]);
  usePageTitle('Intervention', state.status === 'error');
  if (state.status === 'loading') return <Loading what="the intervention" />;
  if (state.status === 'error')
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>Intervention</h1>
      </>
    );
  const i = changed && String(changed.id) === id ? changed : state.data.intervention;
  const today = todayIsoDate();
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__item">
            <Link className="nhsuk-breadcrumb__link" to="/interventions">
              Interventions
            </Link>
          </li>
        </ol>
      </nav>
      <h1>
        {i.title} <span className="nhsuk-caption-l">{i.organisation.name}</span>
      </h1>
      <p className="nhsuk-lede-text" data-testid="intervention-lede">
        {i.status === 'exited'
          ? `Ended on ${formatLongDate(i.closedOn ?? '')}: ${i.exitReason ?? ''}`
          : `${i.kindLabel} since ${formatLongDate(i.openedOn)}; next review ${formatLongDate(i.nextReview)}${i.reviewOverdue ? ' (overdue)' : ''}; ${i.actions.open} action${i.actions.open === 1 ? '' : 's'} open, ${i.actions.overdue} overdue.`}
      </p>
      <SummaryList
        rows={[
          { key: 'Status', value: <InterventionStatusTag intervention={i} /> },
          { key: 'Kind', value: i.kindLabel },
          {
            key: 'Organisation',
            value: (
              <Link to={`/organisations/${i.organisation.odsCode}`}>
                {i.organisation.name} ({i.organisation.odsCode})
              </Link>
            ),
          },
          { key: 'Owner', value: i.owner },
          ...(i.statutoryFunctionLabel
            ? [{ key: 'Statutory function', value: <Tag colour="purple">{i.statutoryFunctionLabel}</Tag> }]
            : []),
          { key: 'Triggered by', value: `${i.signal.kindLabel}: ${i.signal.summary}` },
          { key: 'Exit criteria', value: i.exitCriteria },
          {
            key: 'Programme',
            value: i.programme ? (
              <Link to={`/programmes/${i.programme.code}`}>{i.programme.name}</Link>
            ) : (
              'None'
            ),
          },
          { key: 'Recorded by', value: `${i.createdBy}, ${formatLongDate(i.createdAt.slice(0, 10))}` },
        ]}
      />
      <h2>From the signal to what it led to</h2>
      <ChainSteps chain={i.chain} current={i.id} />
      <h2>Actions</h2>
      {i.actionList.length === 0 ? (
        <p>No actions yet.</p>
      ) : (
        <ActionsTable
          intervention={i}
          canChange={i.canChange && i.status === 'open'}
          today={today}
          onChanged={setChanged}
        />
      )}
      <h2>Reviews</h2>
      {i.reviews.length === 0 ? (
        <p>No reviews yet.</p>
      ) : (
        <ul className="nhsuk-list" data-testid="reviews">
          {i.reviews.map((r) => (
            <li key={r.id}>
              <strong>{formatLongDate(r.reviewedOn)}</strong>: {r.outcome}{' '}
              <span className="app-secondary">
                ({r.recordedBy}
                {r.nextReview ? `; next review ${formatLongDate(r.nextReview)}` : ''})
              </span>
            </li>
          ))}
        </ul>
      )}
      {i.canChange && i.status === 'open' ? (
        <>
          <ReviewForm intervention={i} today={today} onChanged={setChanged} />
          <ActionForm intervention={i} onChanged={setChanged} />
          <ExitForm intervention={i} today={today} onChanged={setChanged} />
        </>
      ) : null}
    </>
  );
}

function ActionsTable({
  intervention,
  canChange,
  today,
  onChanged,
}: {
  intervention: InterventionBody;
  canChange: boolean;
  today: string;
  onChanged: (i: InterventionBody) => void;
}) {
  const { error, submit } = useSubmit();
  const done = (actionId: number) =>
    submit(
      () => interventionsApi.actionDone(intervention.id, actionId, today),
      (answer) => onChanged(answer.intervention),
    );
  return (
    <>
      {error ? <ApiErrorSummary error={error} /> : null}
      <TableContainer label="Actions">
        <table className="nhsuk-table" data-testid="actions-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
            Actions, soonest due first
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              {['Action', 'Owner', 'Due', 'Done'].map((h) => (
                <th className="nhsuk-table__header" scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {intervention.actionList.map((a) => (
              <tr className="nhsuk-table__row" key={a.id}>
                <td className="nhsuk-table__cell">{a.description}</td>
                <td className="nhsuk-table__cell">{a.owner}</td>
                <td className="nhsuk-table__cell">
                  {formatLongDate(a.due)} {a.overdue ? <Tag colour="red">Overdue</Tag> : null}
                </td>
                <td className="nhsuk-table__cell">
                  {a.doneOn ? (
                    formatLongDate(a.doneOn)
                  ) : canChange ? (
                    <button
                      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                      type="button"
                      onClick={() => void done(a.id)}
                    >
                      Mark done<span className="nhsuk-u-visually-hidden">: {a.description}</span>
                    </button>
                  ) : (
                    'Not yet'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
    </>
  );
}

function ReviewForm({
  intervention,
  today,
  onChanged,
}: {
  intervention: InterventionBody;
  today: string;
  onChanged: (i: InterventionBody) => void;
}) {
  const [fields, setFields] = useState({ reviewedOn: today, outcome: '', nextReview: '' });
  const { error, busy, submit } = useSubmit();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(
      () => interventionsApi.review(intervention.id, { ...fields, nextReview: fields.nextReview || null }),
      (answer) => {
        onChanged(answer.intervention);
        setFields({ reviewedOn: today, outcome: '', nextReview: '' });
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate data-testid="review-form">
      <h2>Record a review</h2>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{ reviewedOn: 'review-on', outcome: 'review-outcome', nextReview: 'review-next' }}
        />
      ) : null}
      <TextField
        id="review-on"
        label="Date of the review"
        type="date"
        value={fields.reviewedOn}
        error={fieldError(error, 'reviewedOn')}
        onChange={(v) => setFields({ ...fields, reviewedOn: v })}
      />
      <TextArea
        id="review-outcome"
        label="What the review found"
        value={fields.outcome}
        error={fieldError(error, 'outcome')}
        onChange={(v) => setFields({ ...fields, outcome: v })}
      />
      <TextField
        id="review-next"
        label="Next review"
        type="date"
        value={fields.nextReview}
        error={fieldError(error, 'nextReview')}
        onChange={(v) => setFields({ ...fields, nextReview: v })}
      />
      <button className="nhsuk-button" type="submit" disabled={busy}>
        Record the review
      </button>
    </form>
  );
}

function ActionForm({
  intervention,
  onChanged,
}: {
  intervention: InterventionBody;
  onChanged: (i: InterventionBody) => void;
}) {
  const empty = { description: '', owner: '', due: '' };
  const [fields, setFields] = useState(empty);
  const { error, busy, submit } = useSubmit();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(
      () => interventionsApi.addAction(intervention.id, fields),
      (answer) => {
        onChanged(answer.intervention);
        setFields(empty);
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate data-testid="action-form">
      <h2>Add an action</h2>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{ description: 'action-description', owner: 'action-owner', due: 'action-due' }}
        />
      ) : null}
      <TextField
        id="action-description"
        label="What is to be done"
        value={fields.description}
        error={fieldError(error, 'description')}
        onChange={(v) => setFields({ ...fields, description: v })}
      />
      <TextField
        id="action-owner"
        label="Owner"
        value={fields.owner}
        error={fieldError(error, 'owner')}
        onChange={(v) => setFields({ ...fields, owner: v })}
      />
      <TextField
        id="action-due"
        label="Due"
        type="date"
        value={fields.due}
        error={fieldError(error, 'due')}
        onChange={(v) => setFields({ ...fields, due: v })}
      />
      <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
        Add the action
      </button>
    </form>
  );
}

function ExitForm({
  intervention,
  today,
  onChanged,
}: {
  intervention: InterventionBody;
  today: string;
  onChanged: (i: InterventionBody) => void;
}) {
  const [fields, setFields] = useState({ closedOn: today, reason: '' });
  const { error, busy, submit } = useSubmit();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(
      () => interventionsApi.exit(intervention.id, fields),
      (answer) => onChanged(answer.intervention),
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate data-testid="exit-form">
      <h2>End the intervention</h2>
      <p>Exit criteria: {intervention.exitCriteria}</p>
      {error ? (
        <ApiErrorSummary error={error} fieldIds={{ closedOn: 'exit-on', reason: 'exit-reason' }} />
      ) : null}
      <TextField
        id="exit-on"
        label="Date it ended"
        type="date"
        value={fields.closedOn}
        error={fieldError(error, 'closedOn')}
        onChange={(v) => setFields({ ...fields, closedOn: v })}
      />
      <TextArea
        id="exit-reason"
        label="How the exit criteria were met, or why it ended"
        value={fields.reason}
        error={fieldError(error, 'reason')}
        onChange={(v) => setFields({ ...fields, reason: v })}
      />
      <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={busy}>
        End the intervention
      </button>
    </form>
  );
}
