import { todayIsoDate } from '../../domain/iso-date.js';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  contributionStatusLabels,
  contributionStatuses,
  programmeStageLabels,
  reviewDecisionLabels,
  reviewDecisions,
  trajectoryStandingLabels,
  type ContributionStatus,
  type ProgrammeStage,
  type ReviewDecision,
  type TrajectoryStanding,
} from '../../domain/programme.js';
import { toApiError, type ApiError } from '../api-client.js';
import { fieldError, RadioField, TextArea, TextField, SelectField } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  DoneNotice,
  Empty,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { CsvDownload } from '../components/planning-parts.js';
import { formatLongDate, formatValue } from '../format.js';
import {
  programmesApi,
  type ContributionBody,
  type ProgrammeBody,
  type ProgrammeMetricBody,
} from '../programmes-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { ProgrammeTrajectoryChart } from './ProgrammeTrajectoryChart.js';
import { StageTag } from './ProgrammesPage.js';

type FormName = 'stage' | 'review' | 'contribution' | 'milestone' | 'schedule' | 'complete';

/** Where each form's problems link in the error summary (server field → control id). */
const fieldIds: Record<FormName, Record<string, string>> = {
  stage: { to: 'stage-to', reason: 'stage-reason' },
  review: {
    heldOn: 'review-held-on',
    outcome: 'review-outcome',
    decision: 'review-decision',
    nextReview: 'review-next',
  },
  contribution: {
    organisation: 'contribution-org',
    commitment: 'contribution-commitment',
    status: 'contribution-status',
  },
  milestone: { title: 'milestone-title', due: 'milestone-due' },
  schedule: { scheduledFor: 'schedule-date' },
  complete: {},
};

const today = () => todayIsoDate();

const standingColours: Record<TrajectoryStanding, 'green' | 'red' | 'grey' | 'purple' | 'white'> = {
  meets: 'green',
  misses: 'red',
  'no-trajectory': 'grey',
  'no-direction': 'purple',
  'no-data': 'white',
};

const contributionColours: Record<ContributionStatus, 'grey' | 'green' | 'orange' | 'red' | 'blue'> = {
  planned: 'grey',
  'on-track': 'green',
  'at-risk': 'orange',
  'off-track': 'red',
  delivered: 'blue',
};

const monthLabel = (month: string | null) => {
  if (!month) return 'No data';
  const [, m, y] = formatLongDate(month).split(' ');
  return `${m} ${y}`;
};

/** A signed gap, with the minus sign: "+0.5%", "−4.0%". */
function formatGap(gap: number | null, unit: string): string {
  if (gap === null) return 'Not applicable';
  const text = formatValue(Math.abs(gap), unit);
  return `${gap < 0 ? '\u2212' : '+'}${text}`;
}

/**
 * Where a national programme stands and what it is for: its stage and next review first, then its
 * summary, the metrics it moves against their trajectory, what each region and ICB contributes, its
 * milestones and reviews, and the interventions that led to it. Those allowed move its stage, record the
 * review's outcome or record their own contribution here.
 */
export function ProgrammePage() {
  const { code = '' } = useParams();
  const { session } = useSession();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<{ form: FormName; error: ApiError } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const loaded = useApi((signal) => programmesApi.get(code, signal), [code, version, session?.account?.id]);
  const interventions = useApi(
    (signal) => programmesApi.interventions(code, signal),
    [code, session?.account?.id],
  );
  const programme = loaded.status === 'ready' ? loaded.data.programme : null;
  usePageTitle(programme?.name ?? 'National programme', loaded.status === 'error' || error !== null);

  /** Runs a change; on success reloads the programme and says what happened. */
  const run = async (form: FormName, work: () => Promise<unknown>, message: string) => {
    try {
      await work();
      setError(null);
      setDone(message);
      setVersion((v) => v + 1);
      return true;
    } catch (caught) {
      setDone(null);
      setError({ form, error: toApiError(caught) });
      return false;
    }
  };

  if (loaded.status === 'loading' && !programme) return <Loading what="the programme" />;
  if (loaded.status === 'error')
    return (
      <>
        <ApiErrorSummary error={loaded.error} />
        <h1>National programme</h1>
        <p>
          <Link to="/programmes">See every national programme</Link>
        </p>
      </>
    );
  if (!programme) return <Loading what="the programme" />;
  const p = programme;
  const nextReview = p.reviews.find((r) => r.state === 'scheduled') ?? null;
  const overdue = p.milestones.filter((m) => m.overdue);
  const formError = (form: FormName) => (error?.form === form ? error.error : null);

  return (
    <>
      {error ? <ApiErrorSummary error={error.error} fieldIds={fieldIds[error.form]} /> : null}
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to="/programmes">
              National programmes
            </Link>
          </li>
        </ol>
        <Link className="nhsuk-back-link" to="/programmes">
          <span className="nhsuk-u-visually-hidden">Back to </span>National programmes
        </Link>
      </nav>
      <h1>
        <span className="nhsuk-caption-l">National programme</span>
        {p.name}
      </h1>
      <p className="nhsuk-lede-text" data-testid="programme-lede">
        <StageTag stage={p.stage} />{' '}
        {p.stage === 'closed'
          ? 'This programme is closed.'
          : `${
              nextReview
                ? `Next review ${formatLongDate(nextReview.scheduledFor)}${nextReview.overdue ? ' (overdue)' : ''}.`
                : 'No review is scheduled.'
            } ${
              overdue.length === 0
                ? 'No milestone is overdue.'
                : `${overdue.length} ${overdue.length === 1 ? 'milestone is' : 'milestones are'} overdue.`
            }`}
      </p>
      {done ? <DoneNotice message={done} testId="programme-done" /> : null}
      <SummaryList
        rows={[
          { key: 'Stage', value: programmeStageLabels[p.stage] },
          { key: 'Sponsor', value: p.sponsor },
          { key: 'National director', value: p.nationalDirector },
          { key: 'Scope', value: p.scope },
          { key: 'Code', value: p.code },
          { key: 'Last updated', value: formatLongDate(p.updatedAt.slice(0, 10)) },
        ]}
      />

      {p.permissions.manage && p.stage === 'under-review' && nextReview ? (
        <ReviewForm
          programme={p}
          error={formError('review')}
          onSubmit={(reviewId, body) =>
            run(
              'review',
              () => programmesApi.recordReview(p.code, reviewId, body),
              body.decision === 'close'
                ? 'You recorded the review: the programme is closed.'
                : 'You recorded the review: the programme is back in delivery.',
            )
          }
        />
      ) : null}
      {p.permissions.manage && p.permissions.nextStages.length > 0 ? (
        <StageForm
          programme={p}
          error={formError('stage')}
          onSubmit={(body) =>
            run(
              'stage',
              () => programmesApi.move(p.code, body),
              body.to ? `You moved the programme to ${programmeStageLabels[body.to].toLowerCase()}.` : '',
            )
          }
        />
      ) : null}

      <History programme={p} />
      <Metrics programme={p} />
      <Contributions
        programme={p}
        error={formError('contribution')}
        onSubmit={(org, body) =>
          run(
            'contribution',
            () => programmesApi.contribute(p.code, org, body),
            `You recorded the contribution of ${p.permissions.contributeFor.find((a) => a.odsCode === org)?.name ?? org}.`,
          )
        }
      />
      <Milestones
        programme={p}
        error={formError('milestone')}
        onAdd={(body) =>
          run(
            'milestone',
            () => programmesApi.addMilestone(p.code, body),
            `You added the milestone "${body.title}".`,
          )
        }
        onComplete={(id, title) =>
          run(
            'complete',
            () => programmesApi.completeMilestone(p.code, id, today()),
            `You recorded "${title}" as completed today.`,
          )
        }
      />
      <Reviews
        programme={p}
        error={formError('schedule')}
        onSchedule={(date) =>
          run(
            'schedule',
            () => programmesApi.scheduleReview(p.code, date),
            `You scheduled a review on ${date ? formatLongDate(date) : 'that date'}.`,
          )
        }
      />
      <section aria-labelledby="interventions-heading" data-testid="programme-interventions">
        <h2 id="interventions-heading">Interventions that led to this programme</h2>
        {interventions.status === 'loading' ? (
          <Loading what="the interventions" />
        ) : interventions.status === 'error' ? (
          <p className="nhsuk-error-message">
            The interventions could not be read: {interventions.error.message}
          </p>
        ) : interventions.data.length === 0 ? (
          <p className="app-secondary">No intervention you can see has led to this programme.</p>
        ) : (
          <ul className="nhsuk-list">
            {interventions.data.map((i) => (
              <li key={i.id}>
                <Link to={`/interventions/${i.id}`}>{i.title}</Link>: {i.kindLabel} at {i.organisation.name} (
                {i.organisation.odsCode}), opened {formatLongDate(i.openedOn)}, {i.status}.{' '}
                <span className="app-secondary">Signal: {i.signal.summary}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function StageForm({
  programme,
  error,
  onSubmit,
}: {
  programme: ProgrammeBody;
  error: ApiError | null;
  onSubmit: (body: { to: ProgrammeStage | ''; reason: string }) => Promise<boolean>;
}) {
  const [to, setTo] = useState<ProgrammeStage | ''>('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    if (await onSubmit({ to, reason })) {
      setTo('');
      setReason('');
    }
    setBusy(false);
  };
  return (
    <form className="nhsuk-u-margin-top-5" onSubmit={submit} noValidate data-testid="stage-form">
      <h2>Move the programme</h2>
      <RadioField
        id="stage-to"
        legend="Move it to"
        hint={`It is ${programmeStageLabels[programme.stage].toLowerCase()}. A review's outcome can also move it.`}
        error={fieldError(error, 'to')}
        value={to}
        options={programme.permissions.nextStages.map((s) => ({ value: s, text: programmeStageLabels[s] }))}
        onChange={setTo}
      />
      <TextArea
        id="stage-reason"
        label="Reason for the move"
        hint="Recorded in the programme's history for everyone to read."
        error={fieldError(error, 'reason')}
        value={reason}
        onChange={setReason}
      />
      <button className="nhsuk-button" type="submit" disabled={busy}>
        Move the programme
      </button>
    </form>
  );
}

function ReviewForm({
  programme,
  error,
  onSubmit,
}: {
  programme: ProgrammeBody;
  error: ApiError | null;
  onSubmit: (
    reviewId: number,
    body: { heldOn: string; outcome: string; decision: ReviewDecision | ''; nextReview?: string },
  ) => Promise<boolean>;
}) {
  const scheduled = programme.reviews.filter((r) => r.state === 'scheduled');
  const [reviewId, setReviewId] = useState(String(scheduled[0]?.id ?? ''));
  const [heldOn, setHeldOn] = useState(today());
  const [outcome, setOutcome] = useState('');
  const [decision, setDecision] = useState<ReviewDecision | ''>('');
  const [nextReview, setNextReview] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    await onSubmit(Number(reviewId), {
      heldOn,
      outcome,
      decision,
      ...(nextReview.trim() ? { nextReview: nextReview.trim() } : {}),
    });
    setBusy(false);
  };
  return (
    <form className="nhsuk-u-margin-top-5" onSubmit={submit} noValidate data-testid="review-form">
      <h2>Record the review</h2>
      <p>The programme is under review. Its decision moves it back into delivery, or closes it.</p>
      {scheduled.length > 1 ? (
        <SelectField
          id="review-which"
          label="Which review"
          value={reviewId}
          onChange={setReviewId}
          options={scheduled.map((r) => ({
            value: String(r.id),
            text: `Scheduled for ${formatLongDate(r.scheduledFor)}`,
          }))}
        />
      ) : null}
      <TextField
        id="review-held-on"
        label="Date the review was held"
        type="date"
        width={10}
        error={fieldError(error, 'heldOn')}
        value={heldOn}
        onChange={setHeldOn}
      />
      <TextArea
        id="review-outcome"
        label="Outcome of the review"
        hint="What the review found, and what changes if it continues with changes."
        error={fieldError(error, 'outcome')}
        value={outcome}
        onChange={setOutcome}
        rows={4}
      />
      <RadioField
        id="review-decision"
        legend="What did the review decide?"
        error={fieldError(error, 'decision')}
        value={decision}
        options={reviewDecisions.map((d) => ({ value: d, text: reviewDecisionLabels[d] }))}
        onChange={setDecision}
      />
      <TextField
        id="review-next"
        label="Date of the next review (optional)"
        hint="When the programme continues. Leave blank to schedule it later."
        type="date"
        width={10}
        error={fieldError(error, 'nextReview')}
        value={nextReview}
        onChange={setNextReview}
      />
      <button className="nhsuk-button" type="submit" disabled={busy}>
        Record the review
      </button>
    </form>
  );
}

function History({ programme }: { programme: ProgrammeBody }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Lifecycle</h2>
      <TableContainer label="Lifecycle history">
        <table className="nhsuk-table" data-testid="programme-history">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
            Every stage change, oldest first
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Date
              </th>
              <th className="nhsuk-table__header" scope="col">
                Move
              </th>
              <th className="nhsuk-table__header" scope="col">
                Reason
              </th>
              <th className="nhsuk-table__header" scope="col">
                By
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {programme.history.map((h, index) => (
              <tr className="nhsuk-table__row" key={index}>
                <td className="nhsuk-table__cell">{formatLongDate(h.changedAt.slice(0, 10))}</td>
                <td className="nhsuk-table__cell">
                  {h.fromStage ? `${programmeStageLabels[h.fromStage]} to ` : 'Recorded as '}
                  {programmeStageLabels[h.toStage].toLowerCase()}
                </td>
                <td className="nhsuk-table__cell">{h.reason}</td>
                <td className="nhsuk-table__cell">{h.changedBy ?? <Empty>Shown when signed in</Empty>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
    </section>
  );
}

function Metrics({ programme }: { programme: ProgrammeBody }) {
  return (
    <section aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Metrics against trajectory</h2>
      {programme.metrics.length === 0 ? (
        <p className="app-secondary" data-testid="no-metrics">
          No metric from the catalogue is linked to this programme yet.
        </p>
      ) : (
        programme.metrics.map((m) => <MetricFigures key={m.metric.code} programme={programme} figures={m} />)
      )}
    </section>
  );
}

function standingSentence(m: ProgrammeMetricBody): string {
  const e = m.england;
  if (e.standing === 'no-data') return `England has no figures for ${m.metric.name} yet.`;
  const value = `England: ${formatValue(e.value, m.metric.unit)} in ${monthLabel(e.month)}`;
  if (e.trajectory === null) return `${value}; the programme sets no trajectory for that month.`;
  return `${value} against a trajectory of ${formatValue(e.trajectory, m.metric.unit)}: ${trajectoryStandingLabels[
    e.standing
  ].toLowerCase()} (${formatGap(e.gap, m.metric.unit)}).`;
}

function MetricFigures({
  programme,
  figures: m,
}: {
  programme: ProgrammeBody;
  figures: ProgrammeMetricBody;
}) {
  const rows = [{ odsCode: 'X24', name: 'England', ...m.england }, ...m.regions];
  const regionsOff = m.regions.filter((r) => r.standing === 'misses').length;
  const percentage = m.metric.unit === '%';
  return (
    <div data-testid={`metric-${m.metric.code}`}>
      <h3>
        <Link to={`/metrics/${m.metric.code}`}>{m.metric.name}</Link>
      </h3>
      <p className="nhsuk-body-s app-secondary">
        {m.metric.description}{' '}
        {m.metric.polarity === 'higher-is-better'
          ? 'Higher is better.'
          : m.metric.polarity === 'lower-is-better'
            ? 'Lower is better.'
            : 'Neither higher nor lower is better.'}{' '}
        Trajectory:{' '}
        {m.trajectory.length === 0
          ? 'none set'
          : m.trajectory
              .map((t) => `${formatValue(t.value, m.metric.unit)} by ${monthLabel(t.month)}`)
              .join(', then ')}
        .
      </p>
      <p data-testid={`metric-sentence-${m.metric.code}`}>
        {standingSentence(m)}
        {m.trajectory.length > 0
          ? ` ${regionsOff} of ${m.regions.length} regions ${regionsOff === 1 ? 'is' : 'are'} off trajectory.`
          : ''}
      </p>
      <ProgrammeTrajectoryChart
        points={m.series}
        yLabel={m.metric.unit}
        percentage={percentage}
        title={`${m.metric.name}, England, month by month${m.trajectory.length > 0 ? ', with the programme trajectory' : ''}`}
        fileName={`${programme.code}-${m.metric.code}`}
      />
      <TableContainer label={`${m.metric.name} by region`}>
        <table className="nhsuk-table" data-testid={`metric-table-${m.metric.code}`}>
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            England and each region, latest month with figures
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Area
              </th>
              <th className="nhsuk-table__header" scope="col">
                Month
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Value
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Trajectory
              </th>
              <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                Gap
              </th>
              <th className="nhsuk-table__header" scope="col">
                Against trajectory
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {rows.map((r) => (
              <tr className="nhsuk-table__row" key={r.odsCode} data-testid={`metric-row-${r.odsCode}`}>
                <td className="nhsuk-table__cell">
                  {r.odsCode === 'X24' ? 'England' : <Link to={`/organisations/${r.odsCode}`}>{r.name}</Link>}
                </td>
                <td className="nhsuk-table__cell">
                  {r.month ? monthLabel(r.month) : <Empty>No data</Empty>}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {r.value === null ? <Empty>No data</Empty> : formatValue(r.value, m.metric.unit)}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {r.trajectory === null ? (
                    <Empty>Not applicable</Empty>
                  ) : (
                    formatValue(r.trajectory, m.metric.unit)
                  )}
                </td>
                <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                  {r.gap === null ? <Empty>Not applicable</Empty> : formatGap(r.gap, m.metric.unit)}
                </td>
                <td className="nhsuk-table__cell">
                  <Tag colour={standingColours[r.standing]}>{trajectoryStandingLabels[r.standing]}</Tag>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
      <p className="nhsuk-body-s">
        <CsvDownload
          fileName={`${programme.code}-${m.metric.code}-monthly`}
          columns={['month', 'england_value', 'trajectory']}
          rows={m.series.map((s) => [s.month, s.value, s.trajectory])}
        >
          Download England month by month (CSV)
        </CsvDownload>{' '}
        <CsvDownload
          fileName={`${programme.code}-${m.metric.code}-regions`}
          columns={['ods_code', 'area', 'month', 'value', 'trajectory', 'gap', 'standing']}
          rows={rows.map((r) => [r.odsCode, r.name, r.month, r.value, r.trajectory, r.gap, r.standing])}
        >
          Download the regions (CSV)
        </CsvDownload>
      </p>
    </div>
  );
}

function ContributionTable({
  caption,
  testId,
  rows,
  showRegion,
}: {
  caption: string;
  testId: string;
  rows: ContributionBody[];
  showRegion: boolean;
}) {
  return (
    <TableContainer label={caption}>
      <table className="nhsuk-table" data-testid={testId}>
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Organisation
            </th>
            {showRegion ? (
              <th className="nhsuk-table__header" scope="col">
                Region
              </th>
            ) : null}
            <th className="nhsuk-table__header" scope="col">
              Commitment
            </th>
            <th className="nhsuk-table__header" scope="col">
              Status
            </th>
            <th className="nhsuk-table__header" scope="col">
              Updated
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((c) => (
            <tr
              className="nhsuk-table__row"
              key={c.organisation.odsCode}
              data-testid={`contribution-${c.organisation.odsCode}`}
            >
              <td className="nhsuk-table__cell">
                <Link to={`/organisations/${c.organisation.odsCode}`}>{c.organisation.name}</Link>{' '}
                <span className="app-secondary">({c.organisation.odsCode})</span>
                {c.organisation.open ? null : <span className="app-secondary"> (closed)</span>}
              </td>
              {showRegion ? (
                <td className="nhsuk-table__cell">
                  {c.organisation.region?.name ?? <Empty>Not known</Empty>}
                </td>
              ) : null}
              <td className="nhsuk-table__cell">{c.commitment}</td>
              <td className="nhsuk-table__cell">
                <Tag colour={contributionColours[c.status]}>{contributionStatusLabels[c.status]}</Tag>
              </td>
              <td className="nhsuk-table__cell">
                {formatLongDate(c.updatedAt.slice(0, 10))}
                {c.updatedBy ? <span className="app-secondary"> by {c.updatedBy}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function Contributions({
  programme,
  error,
  onSubmit,
}: {
  programme: ProgrammeBody;
  error: ApiError | null;
  onSubmit: (org: string, body: { commitment: string; status: ContributionStatus | '' }) => Promise<boolean>;
}) {
  const regions = programme.contributions.filter((c) => c.organisation.kind === 'region');
  const icbs = programme.contributions.filter((c) => c.organisation.kind === 'icb');
  const areas = programme.permissions.contributeFor;
  const existing = (org: string) => programme.contributions.find((c) => c.organisation.odsCode === org);
  const [org, setOrg] = useState(areas[0]?.odsCode ?? '');
  const [commitment, setCommitment] = useState(existing(org)?.commitment ?? '');
  const [status, setStatus] = useState<ContributionStatus | ''>(existing(org)?.status ?? '');
  const [busy, setBusy] = useState(false);
  const choose = (next: string) => {
    setOrg(next);
    setCommitment(existing(next)?.commitment ?? '');
    setStatus(existing(next)?.status ?? '');
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    await onSubmit(org, { commitment, status });
    setBusy(false);
  };
  return (
    <section aria-labelledby="contributions-heading">
      <h2 id="contributions-heading">Contributions by region and integrated care board (ICB)</h2>
      <p data-testid="contributions-summary">
        {programme.contributions.length === 0
          ? 'No region or ICB has recorded a contribution yet.'
          : `${regions.length} of 7 regions and ${icbs.length} ICBs have recorded a contribution; ${
              programme.contributions.filter((c) => c.status === 'at-risk' || c.status === 'off-track').length
            } are at risk or off track.`}
      </p>
      {regions.length > 0 ? (
        <ContributionTable
          caption="Regions"
          testId="contributions-regions"
          rows={regions}
          showRegion={false}
        />
      ) : null}
      {icbs.length > 0 ? (
        <ContributionTable
          caption="Integrated care boards"
          testId="contributions-icbs"
          rows={icbs}
          showRegion
        />
      ) : null}
      {areas.length > 0 ? (
        <form onSubmit={submit} noValidate data-testid="contribution-form">
          <h3>Record a contribution</h3>
          {areas.length > 1 ? (
            <SelectField
              id="contribution-org"
              label="Region or ICB"
              error={fieldError(error, 'organisation')}
              value={org}
              onChange={choose}
              options={areas.map((a) => ({
                value: a.odsCode,
                text: `${a.name} (${a.kind === 'region' ? 'region' : 'ICB'})`,
              }))}
            />
          ) : (
            <p>
              For <strong>{areas[0]?.name}</strong>
            </p>
          )}
          <TextArea
            id="contribution-commitment"
            label="What it will contribute"
            hint="The commitment, in a sentence or two: what, where and by when."
            error={fieldError(error, 'commitment')}
            value={commitment}
            onChange={setCommitment}
          />
          <RadioField
            id="contribution-status"
            legend="Where it stands"
            error={fieldError(error, 'status')}
            value={status}
            options={contributionStatuses.map((s) => ({ value: s, text: contributionStatusLabels[s] }))}
            onChange={setStatus}
          />
          <button className="nhsuk-button" type="submit" disabled={busy}>
            Save the contribution
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Milestones({
  programme,
  error,
  onAdd,
  onComplete,
}: {
  programme: ProgrammeBody;
  error: ApiError | null;
  onAdd: (body: { title: string; due: string }) => Promise<boolean>;
  onComplete: (id: number, title: string) => Promise<boolean>;
}) {
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [busy, setBusy] = useState(false);
  const manage = programme.permissions.manage && programme.stage !== 'closed';
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    if (await onAdd({ title, due })) {
      setTitle('');
      setDue('');
    }
    setBusy(false);
  };
  return (
    <section aria-labelledby="milestones-heading">
      <h2 id="milestones-heading">Milestones</h2>
      {programme.milestones.length === 0 ? (
        <p className="app-secondary">No milestones are recorded.</p>
      ) : (
        <TableContainer label="Milestones">
          <table className="nhsuk-table" data-testid="programme-milestones">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Milestones by due date</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Milestone
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Due
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                {manage ? (
                  <th className="nhsuk-table__header" scope="col">
                    <span className="nhsuk-u-visually-hidden">Action</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {programme.milestones.map((m) => (
                <tr className="nhsuk-table__row" key={m.id}>
                  <td className="nhsuk-table__cell">{m.title}</td>
                  <td className="nhsuk-table__cell">{formatLongDate(m.due)}</td>
                  <td className="nhsuk-table__cell">
                    {m.completedOn ? (
                      <Tag colour="green">Completed {formatLongDate(m.completedOn)}</Tag>
                    ) : m.overdue ? (
                      <Tag colour="red">Overdue</Tag>
                    ) : (
                      <Tag colour="grey">Open</Tag>
                    )}
                  </td>
                  {manage ? (
                    <td className="nhsuk-table__cell">
                      {m.completedOn ? null : (
                        <button
                          className="app-link-button"
                          type="button"
                          onClick={() => void onComplete(m.id, m.title)}
                        >
                          Mark completed today<span className="nhsuk-u-visually-hidden">: {m.title}</span>
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
      {manage ? (
        <form onSubmit={add} noValidate data-testid="milestone-form">
          <h3>Add a milestone</h3>
          <TextField
            id="milestone-title"
            label="Milestone"
            error={fieldError(error, 'title')}
            value={title}
            onChange={setTitle}
          />
          <TextField
            id="milestone-due"
            label="Due date"
            type="date"
            width={10}
            error={fieldError(error, 'due')}
            value={due}
            onChange={setDue}
          />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
            Add the milestone
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Reviews({
  programme,
  error,
  onSchedule,
}: {
  programme: ProgrammeBody;
  error: ApiError | null;
  onSchedule: (date: string) => Promise<boolean>;
}) {
  const [date, setDate] = useState('');
  const [busy, setBusy] = useState(false);
  const manage = programme.permissions.manage && programme.stage !== 'closed';
  const schedule = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    if (await onSchedule(date)) setDate('');
    setBusy(false);
  };
  return (
    <section aria-labelledby="reviews-heading">
      <h2 id="reviews-heading">Reviews</h2>
      {programme.reviews.length === 0 ? (
        <p className="app-secondary">No review is scheduled.</p>
      ) : (
        <TableContainer label="Reviews">
          <table className="nhsuk-table" data-testid="programme-reviews">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
              Reviews, scheduled and held
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Scheduled for
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Decision
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Outcome
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {programme.reviews.map((r) => (
                <tr className="nhsuk-table__row" key={r.id}>
                  <td className="nhsuk-table__cell">{formatLongDate(r.scheduledFor)}</td>
                  <td className="nhsuk-table__cell">
                    {r.heldOn ? (
                      <Tag colour="blue">Held {formatLongDate(r.heldOn)}</Tag>
                    ) : r.overdue ? (
                      <Tag colour="red">Overdue</Tag>
                    ) : (
                      <Tag colour="grey">Scheduled</Tag>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    {r.decision ? reviewDecisionLabels[r.decision] : <Empty>Not yet held</Empty>}
                  </td>
                  <td className="nhsuk-table__cell">{r.outcome ?? <Empty>Not yet held</Empty>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
      {manage ? (
        <form onSubmit={schedule} noValidate data-testid="schedule-form">
          <h3>Schedule a review</h3>
          <TextField
            id="schedule-date"
            label="Date of the review"
            type="date"
            width={10}
            error={fieldError(error, 'scheduledFor')}
            value={date}
            onChange={setDate}
          />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
            Schedule the review
          </button>
        </form>
      ) : null}
    </section>
  );
}
