import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api, ApiError, toApiError, type SegmentRow, type SegmentsResponse } from '../api-client.js';
import { VariationIconView } from '../charts/SpcIcons.js';
import { formatLongDate } from '../../domain/iso-date.js';
import { formatValue } from '../format.js';
import { useApi } from '../use-api.js';
import { fieldError, SelectField } from './form-parts.js';
import { ApiErrorSummary, Empty, SummaryList, TableContainer, Tag } from './page-parts.js';

/** Oversight segments shown the same way everywhere: a tag with the word, the change, the drivers. */

/** One colour for every segment: segments are categories, not a red-amber-green verdict (DESIGN §1–2, §6). */
export function SegmentTag({ segment }: { segment: number | null }) {
  if (segment === null) return <Empty>Not segmented</Empty>;
  return <Tag colour="blue">Segment {segment}</Tag>;
}

export const formatScore = (score: number | null) => (score === null ? 'No data' : score.toFixed(2));

export function ChangeText({ row }: { row: SegmentRow }) {
  const change = row.change;
  if (!change || change.direction === 'none') return <Empty>Not applicable</Empty>;
  if (change.direction === 'new') return <>New this quarter</>;
  if (change.direction === 'not-comparable') return <>Not comparable: restructured</>;
  const was = `was ${change.previousSegment}`;
  const significant = change.significant ? ', significant change in score' : '';
  if (change.direction === 'better')
    return (
      <>
        Better ({was}){significant}
      </>
    );
  if (change.direction === 'worse')
    return (
      <>
        Worse ({was}){significant}
      </>
    );
  return (
    <>
      Same segment
      {change.significant ? <span className="app-secondary">, significant change in score</span> : null}
    </>
  );
}

/** The drivers as a compact list: each metric with its SPC variation icon and score. */
export function DriverList({ row }: { row: SegmentRow }) {
  if (row.drivers.length === 0) return <Empty>None</Empty>;
  return (
    <ul className="nhsuk-list app-driver-list">
      {row.drivers.map((d) => (
        <li key={d.metric}>
          {d.variation ? <VariationIconView icon={d.variation} size={24} /> : null} {d.name}{' '}
          <span className="app-secondary">(score {d.score.toFixed(2)})</span>
        </li>
      ))}
    </ul>
  );
}

/** One organisation's segment in full: how it was reached, what drives it, and what changed. */
export function SegmentDetail({
  row,
  methodology,
  period,
}: {
  row: SegmentRow;
  methodology: SegmentsResponse['methodology'];
  period: SegmentsResponse['period'];
}) {
  const how: Array<{ key: string; value: ReactNode }> = [
    {
      key: 'Segment',
      value: (
        <>
          <SegmentTag segment={row.segment} /> {row.segmentLabel ?? row.notSegmented}
        </>
      ),
    },
    { key: 'Average metric score', value: `${formatScore(row.averageScore)} (1.00 is best, 4.00 worst)` },
    {
      key: 'League position',
      value:
        row.leaguePosition === null ? (
          <Empty>Not ranked</Empty>
        ) : (
          `${row.leaguePosition} of ${row.leagueOf} (${row.peerGroup})`
        ),
    },
    { key: 'Provisional segment', value: row.provisionalSegment ?? <Empty>Not segmented</Empty> },
    {
      key: 'Overrides applied',
      value: row.overridesApplied.length > 0 ? row.overridesApplied.join('; ') : <Empty>None</Empty>,
    },
    {
      key: 'Regional judgement',
      value: row.judgement ? (
        <>
          Segment {row.judgement.segment}
          {row.judgement.lapsed
            ? ` — lapsed: the method now places it in segment ${row.computedSegment}, so the judgement no longer applies`
            : ` (computed ${row.computedSegment})`}
          {row.judgement.reason ? `: ${row.judgement.reason}` : ''}
          <br />
          <span className="app-secondary">
            {row.judgement.recordedBy ? `Recorded by ${row.judgement.recordedBy} on ` : 'Recorded on '}
            {formatLongDate(row.judgement.recordedAt.slice(0, 10))}
            {row.judgement.reason ? null : '. Sign in with a role covering this organisation to see why.'}
          </span>
        </>
      ) : (
        <Empty>None</Empty>
      ),
    },
    ...(row.restructured
      ? [
          {
            key: 'Restructure',
            value:
              'A merger, absorption or split in this or the previous quarter: the figures before and after cover different services.',
          },
        ]
      : []),
  ];
  return (
    <>
      <SummaryList rows={how} />
      <h2>What drives the score</h2>
      {row.drivers.length === 0 ? (
        <p>No metric scores 2.50 or worse this quarter.</p>
      ) : (
        <TableContainer label="Drivers">
          <table className="nhsuk-table" data-testid="segment-drivers">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
              The metrics pulling the average score down most, with their SPC variation
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Metric
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Value
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Score
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Share of the gap
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Variation (monthly, SPC)
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {row.drivers.map((d) => (
                <tr className="nhsuk-table__row" key={d.metric}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/metrics/${d.metric}?org=${row.odsCode}`}>{d.name}</Link>
                    <br />
                    <span className="app-secondary">{d.sentence}</span>
                  </td>
                  <td className="nhsuk-table__cell app-numeric">{formatValue(d.value, d.unit)}</td>
                  <td className="nhsuk-table__cell app-numeric">{d.score.toFixed(2)}</td>
                  <td className="nhsuk-table__cell app-numeric">{d.pull.toFixed(2)}</td>
                  <td className="nhsuk-table__cell">
                    {d.variation ? (
                      <VariationIconView icon={d.variation} size={36} />
                    ) : (
                      <Empty>Too few points</Empty>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
      <h2>Since the previous quarter</h2>
      {row.change && row.change.reasons.length > 0 ? (
        <>
          <p>
            <ChangeText row={row} />
          </p>
          <ul>
            {row.change.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>No change to explain.</p>
      )}
      <TableContainer label="Metric scores">
        <table className="nhsuk-table" data-testid="segment-metrics">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">
            Metric scores, {period.label}
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Metric
              </th>
              <th className="nhsuk-table__header" scope="col">
                Domain
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Quarter value
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Score
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {row.metrics.map((m) => (
              <tr className="nhsuk-table__row" key={m.code}>
                <td className="nhsuk-table__cell">
                  {m.name}
                  {m.standsFor ? <span className="app-secondary"> — for {m.standsFor}</span> : null}
                </td>
                <td className="nhsuk-table__cell">
                  {methodology.domains.find((d) => d.key === m.domain)?.label ?? m.domain}
                </td>
                <td className="nhsuk-table__cell app-numeric">
                  {m.value === null ? <Empty>No data</Empty> : formatValue(m.value, m.unit)}
                </td>
                <td className="nhsuk-table__cell app-numeric">
                  {m.score === null ? <Empty>{m.note ?? 'Not scored'}</Empty> : m.score.toFixed(2)}
                </td>
              </tr>
            ))}
            {row.domainScores.map((d) => (
              <tr className="nhsuk-table__row" key={d.key}>
                <th className="nhsuk-table__header" scope="row" colSpan={3}>
                  Domain score: {d.label}
                </th>
                <td className="nhsuk-table__cell app-numeric">
                  {d.score === null ? <Empty>No metrics with data</Empty> : d.score.toFixed(2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
    </>
  );
}

/**
 * The regional judgement form, for people whose roles may record one (the server decides; the form is
 * offered to regional and national directors).
 */
export function JudgementForm({
  row,
  methodology,
  period,
  mayJudge,
  onRecorded,
}: {
  row: SegmentRow;
  methodology: SegmentsResponse['methodology'];
  period: SegmentsResponse['period'];
  /** From the server: whether this person's roles let them judge this organisation. */
  mayJudge: boolean;
  onRecorded: () => void;
}) {
  const [segment, setSegment] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  if (!mayJudge || row.computedSegment === null) return null;
  const allowed = methodology.judgementSegments.filter(
    (s) =>
      s !== 5 ||
      methodology.segment5Requires === null ||
      row.computedSegment === methodology.segment5Requires,
  );
  if (allowed.length === 0 && !row.judgement) return null;
  const options = [
    { value: '', text: 'Choose a segment' },
    ...allowed.map((s) => ({
      value: String(s),
      text: `Segment ${s}${methodology.segmentLabels[String(s)] ? `: ${methodology.segmentLabels[String(s)]}` : ''}`,
    })),
    ...(row.judgement
      ? [{ value: 'none', text: 'Withdraw the judgement (the computed segment stands)' }]
      : []),
  ];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (segment === '') {
      setError(new ApiError('Choose a segment.', 400, [{ field: 'segment', message: 'Choose a segment' }]));
      return;
    }
    setSaving(true);
    try {
      await api.recordJudgement({
        methodology: methodology.code,
        period: period.start,
        org: row.odsCode,
        segment: segment === 'none' ? null : Number(segment),
        reason,
      });
      setError(null);
      setSegment('');
      setReason('');
      onRecorded();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  const reasonError = fieldError(error, 'reason');
  return (
    <section aria-labelledby="judgement-heading">
      <h2 id="judgement-heading">Record a regional judgement</h2>
      <p>
        Overrides the computed segment (segment {row.computedSegment}) for {period.label}, with your name and
        reason in the audit trail. Segment 5 is only for an organisation the method places in segment 4.
      </p>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{ segment: 'judgement-segment', reason: 'judgement-reason' }}
        />
      ) : null}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <SelectField
          id="judgement-segment"
          label="Segment"
          value={segment}
          onChange={setSegment}
          options={options}
          error={fieldError(error, 'segment')}
        />
        <div className={`nhsuk-form-group${reasonError ? ' nhsuk-form-group--error' : ''}`}>
          <label className="nhsuk-label" htmlFor="judgement-reason">
            Reason
          </label>
          <div className="nhsuk-hint" id="judgement-reason-hint">
            What the region decided and why, for example the outcome of a capability review.
          </div>
          {reasonError ? (
            <span className="nhsuk-error-message" id="judgement-reason-error">
              <span className="nhsuk-u-visually-hidden">Error:</span> {reasonError}
            </span>
          ) : null}
          <textarea
            className={`nhsuk-textarea${reasonError ? ' nhsuk-textarea--error' : ''}`}
            id="judgement-reason"
            name="reason"
            rows={3}
            value={reason}
            aria-describedby={`judgement-reason-hint${reasonError ? ' judgement-reason-error' : ''}`}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <button className="nhsuk-button" type="submit" disabled={saving}>
          Record judgement
        </button>
      </form>
    </section>
  );
}

/** A trust's segment in one line, under its summary, linking to what drives it. */
export function OversightPosition({ code }: { code: string }) {
  const state = useApi((signal) => api.segments({ org: code }, signal), [code]);
  if (state.status !== 'ready') return null;
  const row = state.data.rows[0];
  if (!row) return null;
  return (
    <p data-testid="oversight-position">
      {state.data.methodology.name}, {state.data.period.label}: <SegmentTag segment={row.segment} />{' '}
      {row.segment !== null
        ? `average metric score ${formatScore(row.averageScore)}, position ${row.leaguePosition} of ${row.leagueOf} ${row.peerGroup} trusts. `
        : null}
      <Link to={`/organisations/${code}/oversight`}>What drives the segment</Link>
    </p>
  );
}

/**
 * Organisations with their segments, as a league table: position, average score, segment (and whether an
 * override or a judgement set it), the change since the previous quarter and the drivers.
 */
export function SegmentTable({
  caption,
  rows,
  methodologyCode,
  period,
  previousLabel,
  testId,
}: {
  caption: string;
  rows: readonly SegmentRow[];
  methodologyCode: string;
  period: string;
  previousLabel: string;
  testId: string;
}) {
  return (
    <TableContainer label={caption}>
      <table className="nhsuk-table" data-testid={testId}>
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header app-numeric" scope="col">
              Position in type
            </th>
            <th className="nhsuk-table__header" scope="col">
              Organisation
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Average score
            </th>
            <th className="nhsuk-table__header" scope="col">
              Segment
            </th>
            <th className="nhsuk-table__header" scope="col">
              Since {previousLabel}
            </th>
            <th className="nhsuk-table__header" scope="col">
              Drivers
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((row) => (
            <tr className="nhsuk-table__row" key={row.odsCode}>
              <td className="nhsuk-table__cell app-numeric">
                {row.leaguePosition ?? <Empty>Not ranked</Empty>}
              </td>
              <td className="nhsuk-table__cell">
                <Link
                  to={`/organisations/${row.odsCode}/oversight?methodology=${methodologyCode}&period=${period}`}
                >
                  {row.name}
                </Link>{' '}
                <span className="app-secondary">{row.odsCode}</span>
              </td>
              <td className="nhsuk-table__cell app-numeric">{formatScore(row.averageScore)}</td>
              <td className="nhsuk-table__cell">
                <SegmentTag segment={row.segment} />
                {row.judgement && !row.judgement.lapsed ? (
                  <span className="app-secondary"> by judgement</span>
                ) : row.overridesApplied.length > 0 ? (
                  <span className="app-secondary"> after override</span>
                ) : null}
              </td>
              <td className="nhsuk-table__cell">
                <ChangeText row={row} />
              </td>
              <td className="nhsuk-table__cell">
                <DriverList row={row} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}
