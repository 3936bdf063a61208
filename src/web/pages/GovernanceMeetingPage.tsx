import { todayIsoDate } from '../../domain/iso-date.js';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  Checkbox,
  fieldError,
  SelectField,
  TextArea,
  TextField,
  useSubmit,
} from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatCount, formatLongDate } from '../format.js';
import { governanceApi, type DecisionBody, type MeetingResponse } from '../governance-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { ActionStateTag, MeetingStatusTag, placeLabel, PublishedTag } from './GovernanceParts.js';

/**
 * What did this meeting decide, and who owes what by when? Its papers, its decisions with the programmes,
 * interventions and standards they concern, and each decision's actions with owners and due dates. Those who
 * may govern the body record it as held or cancelled, add and publish papers, and record decisions and
 * actions here.
 */
export function GovernanceMeetingPage() {
  const { body: code = '', meeting: meetingParam = '' } = useParams();
  const id = Number(meetingParam);
  const { session } = useSession();
  const [version, setVersion] = useState(0);
  const view = useApi(
    (signal) => governanceApi.meeting(code, Number.isInteger(id) && id > 0 ? id : 0, signal),
    [code, id, session?.account?.id, version],
  );
  const reload = () => setVersion((v) => v + 1);
  usePageTitle(view.status === 'ready' ? view.data.meeting.title : 'Meeting', view.status === 'error');
  if (view.status === 'loading') return <Loading what="the meeting" />;
  if (view.status === 'error')
    return (
      <>
        <ApiErrorSummary error={view.error} />
        <h1>Meeting</h1>
        <p>
          <Link to={`/governance/${code}`}>See the body&apos;s meetings</Link>
        </p>
      </>
    );
  const v = view.data;
  const m = v.meeting;
  const open = v.actions.open + v.actions.overdue;
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to="/governance">
              Governance bodies
            </Link>
          </li>
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to={`/governance/${v.body.code}`}>
              {v.body.name}
            </Link>
          </li>
        </ol>
      </nav>
      <h1>{m.title}</h1>
      <p className="nhsuk-lede-text" data-testid="meeting-lede">
        {v.decisions.length === 0
          ? 'No decisions are shown for this meeting.'
          : `${formatCount(v.decisions.length)} decision${v.decisions.length === 1 ? '' : 's'}, with ${formatCount(open)} open action${open === 1 ? '' : 's'}`}
        {v.decisions.length === 0
          ? ''
          : v.actions.overdue > 0
            ? `, ${formatCount(v.actions.overdue)} overdue.`
            : '.'}
      </p>
      <SummaryList
        rows={[
          { key: 'Body', value: <Link to={`/governance/${v.body.code}`}>{v.body.name}</Link> },
          { key: 'Date', value: formatLongDate(m.meetsOn) },
          { key: 'Status', value: <MeetingStatusTag status={m.status} /> },
          { key: 'Where', value: placeLabel(m.location) },
        ]}
      />
      {!v.canGovern ? (
        <p className="app-secondary">
          Papers and decisions appear here once published; people whose roles cover {v.body.scope.name} also
          see those not yet published.
        </p>
      ) : null}
      {v.canGovern && m.status === 'scheduled' ? <MeetingStatusControls meeting={m} onDone={reload} /> : null}
      <Papers papers={v.papers} canGovern={v.canGovern} onChange={reload} />
      {v.canGovern && m.status !== 'cancelled' ? <PaperForm meetingId={m.id} onDone={reload} /> : null}
      <h2>Decisions</h2>
      {v.decisions.length === 0 ? <p>No decisions are shown.</p> : null}
      {v.decisions.map((d) => (
        <Decision key={d.id} decision={d} canGovern={v.canGovern} onChange={reload} meetsOn={m.meetsOn} />
      ))}
      {v.canGovern && v.choices && m.status !== 'cancelled' ? (
        <DecisionForm meetingId={m.id} choices={v.choices} decisions={v.decisions} onDone={reload} />
      ) : null}
    </>
  );
}

/**
 * Records a scheduled meeting as held (from its date) or cancelled. Both are final, so each is its own
 * button saying what it does.
 */
function MeetingStatusControls({
  meeting,
  onDone,
}: {
  meeting: MeetingResponse['meeting'];
  onDone: () => void;
}) {
  const { error, busy, submit } = useSubmit();
  const today = todayIsoDate();
  const record = (status: 'held' | 'cancelled') =>
    submit(
      () => governanceApi.setMeetingStatus(meeting.id, { status }),
      () => onDone(),
    );
  return (
    <section aria-labelledby="meeting-status-heading" data-testid="meeting-status">
      <h2 id="meeting-status-heading">Meeting status</h2>
      {error ? <ApiErrorSummary error={error} /> : null}
      <p>
        {meeting.meetsOn <= today
          ? 'Record whether the meeting was held or cancelled. This cannot be changed afterwards.'
          : `The meeting can be recorded as held from ${formatLongDate(meeting.meetsOn)}. Cancelling it cannot be undone.`}
      </p>
      <div className="nhsuk-button-group">
        {meeting.meetsOn <= today ? (
          <button className="nhsuk-button" type="button" disabled={busy} onClick={() => void record('held')}>
            Record as held
          </button>
        ) : null}
        <button
          className="nhsuk-button nhsuk-button--secondary"
          type="button"
          disabled={busy}
          onClick={() => void record('cancelled')}
        >
          Cancel meeting
        </button>
      </div>
    </section>
  );
}

function Papers({
  papers,
  canGovern,
  onChange,
}: {
  papers: MeetingResponse['papers'];
  canGovern: boolean;
  onChange: () => void;
}) {
  const { error, submit } = useSubmit();
  const publish = (paper: number) =>
    submit(
      () => governanceApi.publishPaper(paper),
      () => onChange(),
    );
  return (
    <>
      <h2>Papers</h2>
      {error ? <ApiErrorSummary error={error} /> : null}
      {papers.length === 0 ? (
        <p>No papers are shown.</p>
      ) : (
        <TableContainer label="Papers">
          <table className="nhsuk-table" data-testid="papers-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Papers for the meeting</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Paper
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Author
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Summary
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                {canGovern ? (
                  <th className="nhsuk-table__header" scope="col">
                    <span className="nhsuk-u-visually-hidden">Change</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {papers.map((p) => (
                <tr className="nhsuk-table__row" key={p.id}>
                  <td className="nhsuk-table__cell">{p.title}</td>
                  <td className="nhsuk-table__cell">{p.author}</td>
                  <td className="nhsuk-table__cell">{p.summary}</td>
                  <td className="nhsuk-table__cell">
                    <PublishedTag published={p.published} />
                  </td>
                  {canGovern ? (
                    <td className="nhsuk-table__cell">
                      {p.published ? (
                        <Empty>Published</Empty>
                      ) : (
                        <button
                          className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                          type="button"
                          onClick={() => void publish(p.id)}
                        >
                          Publish paper<span className="nhsuk-u-visually-hidden">: {p.title}</span>
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
    </>
  );
}

function PaperForm({ meetingId, onDone }: { meetingId: number; onDone: () => void }) {
  const [title, setTitle] = useState('');
  const [author, setAuthor] = useState('');
  const [summary, setSummary] = useState('');
  const [publish, setPublish] = useState(false);
  const { error, busy, submit: send } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await send(
      () => governanceApi.addPaper(meetingId, { title, author, summary, publish }),
      () => {
        setTitle('');
        setAuthor('');
        setSummary('');
        setPublish(false);
        onDone();
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate data-testid="paper-form">
      <h2>Add a paper</h2>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{ title: 'paper-title', author: 'paper-author', summary: 'paper-summary' }}
        />
      ) : null}
      <TextField
        id="paper-title"
        label="Title"
        value={title}
        onChange={setTitle}
        error={fieldError(error, 'title')}
      />
      <TextField
        id="paper-author"
        label="Author"
        hint="The person or team who wrote the paper"
        value={author}
        onChange={setAuthor}
        error={fieldError(error, 'author')}
      />
      <TextArea
        id="paper-summary"
        label="Summary"
        hint="What the paper says and what it asks of the meeting"
        value={summary}
        onChange={setSummary}
        error={fieldError(error, 'summary')}
        rows={4}
      />
      <Checkbox
        id="paper-publish"
        label="Publish now (anyone can then read it)"
        checked={publish}
        onChange={setPublish}
      />
      <button className="nhsuk-button" type="submit" disabled={busy}>
        Add paper
      </button>
    </form>
  );
}

function Decision({
  decision: d,
  canGovern,
  onChange,
  meetsOn,
}: {
  decision: DecisionBody;
  canGovern: boolean;
  onChange: () => void;
  meetsOn: string;
}) {
  const { error, submit } = useSubmit();
  const act = async (work: () => Promise<unknown>) => {
    await submit(work, () => onChange());
  };
  const links = [
    d.programme
      ? { key: 'Programme', value: <Link to={`/programmes/${d.programme.code}`}>{d.programme.name}</Link> }
      : null,
    d.intervention
      ? {
          key: 'Intervention',
          value: <Link to={`/interventions/${d.intervention.id}`}>{d.intervention.title}</Link>,
        }
      : null,
    d.standard
      ? { key: 'Standard', value: <Link to={`/standards/${d.standard.code}`}>{d.standard.title}</Link> }
      : null,
  ].filter((row) => row !== null);
  const headingId = `decision-${d.id}-heading`;
  return (
    <section className="nhsuk-card" aria-labelledby={headingId} data-testid={`decision-${d.id}`}>
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading" id={headingId}>
          Decision {d.id}
        </h3>
        <p>
          <PublishedTag published={d.published} />
          {d.supersededById ? (
            <>
              {' '}
              <Tag colour="grey">Superseded by decision {d.supersededById}</Tag>
            </>
          ) : null}
          {d.supersedesId ? (
            <span className="app-secondary"> Corrects decision {d.supersedesId}.</span>
          ) : null}
        </p>
        {error ? <ApiErrorSummary error={error} /> : null}
        <p data-testid="decision-text">{d.text}</p>
        {links.length > 0 ? <SummaryList rows={links} /> : null}
        <ActionsTable decision={d} canGovern={canGovern} act={act} />
        {canGovern && !d.published ? (
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            onClick={() => void act(() => governanceApi.publishDecision(d.id))}
          >
            Publish decision {d.id}
          </button>
        ) : null}
        {canGovern && !d.supersededById ? (
          <ActionForm decisionId={d.id} meetsOn={meetsOn} onDone={onChange} />
        ) : null}
      </div>
    </section>
  );
}

function ActionsTable({
  decision: d,
  canGovern,
  act,
}: {
  decision: DecisionBody;
  canGovern: boolean;
  act: (work: () => Promise<unknown>) => Promise<void>;
}) {
  if (d.actions.length === 0) return <p className="app-secondary">No actions.</p>;
  const today = todayIsoDate();
  return (
    <TableContainer label={`Actions of decision ${d.id}`}>
      <table className="nhsuk-table" data-testid="actions-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">Actions</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Action
            </th>
            <th className="nhsuk-table__header" scope="col">
              Owner
            </th>
            <th className="nhsuk-table__header" scope="col">
              Due
            </th>
            <th className="nhsuk-table__header" scope="col">
              Status
            </th>
            {canGovern ? (
              <th className="nhsuk-table__header" scope="col">
                <span className="nhsuk-u-visually-hidden">Change</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {d.actions.map((a) => (
            <tr className="nhsuk-table__row" key={a.id}>
              <td className="nhsuk-table__cell">{a.description}</td>
              <td className="nhsuk-table__cell">{a.owner}</td>
              <td className="nhsuk-table__cell">{formatLongDate(a.dueOn)}</td>
              <td className="nhsuk-table__cell">
                <ActionStateTag state={a.state} daysOverdue={a.daysOverdue} />
                {a.completedOn ? (
                  <span className="app-secondary"> {formatLongDate(a.completedOn)}</span>
                ) : null}
              </td>
              {canGovern ? (
                <td className="nhsuk-table__cell">
                  {a.completedOn ? (
                    <Empty>Done</Empty>
                  ) : (
                    <button
                      className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                      type="button"
                      onClick={() => void act(() => governanceApi.completeAction(a.id, today))}
                    >
                      Mark completed<span className="nhsuk-u-visually-hidden">: {a.description}</span>
                    </button>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function ActionForm({
  decisionId,
  meetsOn,
  onDone,
}: {
  decisionId: number;
  meetsOn: string;
  onDone: () => void;
}) {
  const [description, setDescription] = useState('');
  const [owner, setOwner] = useState('');
  const [dueOn, setDueOn] = useState('');
  const { error, submit: send } = useSubmit();
  const prefix = `action-${decisionId}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await send(
      () => governanceApi.addAction(decisionId, { description, owner, dueOn }),
      () => {
        setDescription('');
        setOwner('');
        setDueOn('');
        onDone();
      },
    );
  };
  return (
    <details className="nhsuk-details" data-testid={`action-form-${decisionId}`}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Add an action to decision {decisionId}</span>
      </summary>
      <div className="nhsuk-details__text">
        <form onSubmit={submit} noValidate>
          {error ? (
            <ApiErrorSummary
              error={error}
              fieldIds={{
                description: `${prefix}-description`,
                owner: `${prefix}-owner`,
                dueOn: `${prefix}-due`,
              }}
            />
          ) : null}
          <TextField
            id={`${prefix}-description`}
            label="What is to be done"
            value={description}
            onChange={setDescription}
            error={fieldError(error, 'description')}
          />
          <TextField
            id={`${prefix}-owner`}
            label="Owner"
            hint="The person who owns the action"
            value={owner}
            onChange={setOwner}
            error={fieldError(error, 'owner')}
          />
          <TextField
            id={`${prefix}-due`}
            label="Due date"
            type="date"
            hint={`On or after ${formatLongDate(meetsOn)}`}
            value={dueOn}
            onChange={setDueOn}
            error={fieldError(error, 'dueOn')}
          />
          <button className="nhsuk-button" type="submit">
            Add action
          </button>
        </form>
      </div>
    </details>
  );
}

function DecisionForm({
  meetingId,
  choices,
  decisions,
  onDone,
}: {
  meetingId: number;
  choices: NonNullable<MeetingResponse['choices']>;
  decisions: DecisionBody[];
  onDone: () => void;
}) {
  const [text, setText] = useState('');
  const [programme, setProgramme] = useState('');
  const [intervention, setIntervention] = useState('');
  const [standard, setStandard] = useState('');
  const [supersedes, setSupersedes] = useState('');
  const [publish, setPublish] = useState(false);
  const { error, busy, submit: send } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await send(
      () =>
        governanceApi.decide(meetingId, {
          text,
          publish,
          ...(programme ? { programme } : {}),
          ...(intervention ? { intervention: Number(intervention) } : {}),
          ...(standard ? { standard } : {}),
          ...(supersedes ? { supersedes: Number(supersedes) } : {}),
        }),
      () => {
        setText('');
        setProgramme('');
        setIntervention('');
        setStandard('');
        setSupersedes('');
        setPublish(false);
        onDone();
      },
    );
  };
  const none = { value: '', text: 'None' };
  return (
    <form onSubmit={submit} noValidate data-testid="decision-form">
      <h2>Record a decision</h2>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{
            text: 'decision-text',
            programme: 'decision-programme',
            intervention: 'decision-intervention',
            standard: 'decision-standard',
            supersedes: 'decision-supersedes',
          }}
        />
      ) : null}
      <TextArea
        id="decision-text"
        label="What was decided"
        value={text}
        onChange={setText}
        error={fieldError(error, 'text')}
      />
      <SelectField
        id="decision-programme"
        label="Programme it concerns (optional)"
        value={programme}
        onChange={setProgramme}
        error={fieldError(error, 'programme')}
        options={[none, ...choices.programmes.map((p) => ({ value: p.code, text: p.name }))]}
      />
      <SelectField
        id="decision-intervention"
        label="Intervention it concerns (optional)"
        value={intervention}
        onChange={setIntervention}
        error={fieldError(error, 'intervention')}
        options={[
          none,
          ...choices.interventions.map((i) => ({ value: String(i.id), text: `${i.id}: ${i.title}` })),
        ]}
      />
      <SelectField
        id="decision-standard"
        label="Standard it concerns (optional)"
        value={standard}
        onChange={setStandard}
        error={fieldError(error, 'standard')}
        options={[none, ...choices.standards.map((s) => ({ value: s.code, text: s.title }))]}
      />
      {decisions.some((d) => !d.supersededById) ? (
        <SelectField
          id="decision-supersedes"
          label="Decision it corrects (optional)"
          hint="A published decision is never edited: record the correction and it supersedes the earlier one."
          value={supersedes}
          onChange={setSupersedes}
          error={fieldError(error, 'supersedes')}
          options={[
            none,
            ...decisions
              .filter((d) => !d.supersededById)
              .map((d) => ({ value: String(d.id), text: `Decision ${d.id}` })),
          ]}
        />
      ) : null}
      <Checkbox
        id="decision-publish"
        label="Publish now (anyone can then read it)"
        checked={publish}
        onChange={setPublish}
      />
      <button className="nhsuk-button" type="submit" disabled={busy}>
        Record decision
      </button>
    </form>
  );
}
