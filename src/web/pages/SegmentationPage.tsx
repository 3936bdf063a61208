import { useSearchParams } from 'react-router';
import { api, type SegmentRow, type SegmentsResponse } from '../api-client.js';
import { SelectField } from '../components/form-parts.js';
import { ApiErrorSummary, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import { SegmentTable, SegmentTag } from '../components/SegmentParts.js';
import { addMonths, formatPeriod, periodContaining } from '../../domain/period.js';
import { useApi } from '../use-api.js';

/** The latest complete quarter and the eleven before it, newest first. */
function quarterOptions(latest: string): Array<{ value: string; text: string }> {
  return Array.from({ length: 12 }, (_, i) => {
    const quarter = periodContaining('quarter', addMonths(latest, -3 * i));
    return { value: quarter.start, text: formatPeriod(quarter) };
  });
}

/** Which organisations need support, and why? Segments for a quarter, by trust type or for ICBs. */
export function SegmentationPage() {
  const [params, setParams] = useSearchParams();
  const methodology = params.get('methodology') ?? 'nof-2025-26';
  const level = params.get('level') === 'icb' ? 'icb' : 'nhs-trust';
  const period = params.get('period') ?? undefined;
  const methodologies = useApi((signal) => api.methodologies(signal), []);
  const state = useApi(
    (signal) => api.segments({ methodology, level, ...(period ? { period } : {}) }, signal),
    [methodology, level, period],
  );
  usePageTitle('Oversight segments', state.status === 'error');
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    if (key === 'methodology') next.delete('level');
    setParams(next);
  };
  const latest = new Map(
    (methodologies.status === 'ready' ? methodologies.data.methodologies : []).map((v) => [
      v.methodology.code,
      v.methodology,
    ]),
  );
  const chosen = latest.get(methodology);
  return (
    <>
      <h1>Oversight segments</h1>
      {state.status === 'error' ? <ApiErrorSummary error={state.error} /> : null}
      {state.status === 'loading' ? <Loading what="the segments" /> : null}
      {state.status === 'ready' ? <Lede result={state.data} /> : null}
      <form className="app-filter-form" onSubmit={(event) => event.preventDefault()}>
        <SelectField
          id="methodology"
          label="Methodology"
          value={methodology}
          onChange={(value) => set('methodology', value)}
          options={[...latest.values()].map((m) => ({
            value: m.code,
            text: `${m.name} (version ${m.version})`,
          }))}
        />
        {chosen?.levels.includes('icb') ? (
          <SelectField
            id="level"
            label="Who is segmented"
            value={level}
            onChange={(value) => set('level', value === 'nhs-trust' ? null : value)}
            options={[
              { value: 'nhs-trust', text: 'Trusts, within their type' },
              { value: 'icb', text: 'Integrated care boards (ICBs)' },
            ]}
          />
        ) : null}
        {state.status === 'ready' ? (
          <SelectField
            id="period"
            label="Quarter"
            value={state.data.period.start}
            onChange={(value) => set('period', value)}
            options={[
              ...quarterOptions(state.data.latestPeriod.start),
              ...(quarterOptions(state.data.latestPeriod.start).some(
                (o) => o.value === state.data.period.start,
              )
                ? []
                : [{ value: state.data.period.start, text: state.data.period.label }]),
            ]}
          />
        ) : null}
      </form>
      {state.status === 'ready' ? <Results result={state.data} /> : null}
    </>
  );
}

function Lede({ result }: { result: SegmentsResponse }) {
  const segmented = result.rows.length - result.summary.notSegmented;
  const who = result.level === 'icb' ? 'ICBs' : 'trusts';
  const four = (result.summary.bySegment['4'] ?? 0) + (result.summary.bySegment['5'] ?? 0);
  return (
    <p className="nhsuk-lede-text" data-testid="segment-lede">
      In {result.period.label}, {four} of {segmented} {who} are in segment 4 or 5 under{' '}
      {result.methodology.name}; {result.summary.changedSegment} changed segment since{' '}
      {result.previousPeriod.label}.
    </p>
  );
}

function Results({ result }: { result: SegmentsResponse }) {
  const groups = new Map<string, SegmentRow[]>();
  for (const row of result.rows) groups.set(row.peerGroup, [...(groups.get(row.peerGroup) ?? []), row]);
  const labels = Object.keys(result.methodology.segmentLabels).sort();
  return (
    <>
      {result.periodNote ? <div className="nhsuk-inset-text">{result.periodNote}</div> : null}
      {result.period.months < 3 ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>A part quarter
            </span>
          </h2>
          <p>
            {result.period.label} has figures for {result.period.months} of its 3 months: scores may change.
          </p>
        </div>
      ) : null}
      <TableContainer label="Segments">
        <table className="nhsuk-table" data-testid="segment-summary">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">How many in each segment</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Segment
              </th>
              <th className="nhsuk-table__header" scope="col">
                Meaning
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Number
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {labels.map((s) => (
              <tr className="nhsuk-table__row" key={s}>
                <td className="nhsuk-table__cell">
                  <SegmentTag segment={Number(s)} />
                </td>
                <td className="nhsuk-table__cell">{result.methodology.segmentLabels[s]}</td>
                <td className="nhsuk-table__cell app-numeric">{result.summary.bySegment[s] ?? 0}</td>
              </tr>
            ))}
            <tr className="nhsuk-table__row">
              <td className="nhsuk-table__cell">Not segmented</td>
              <td className="nhsuk-table__cell">No figures for the methodology’s metrics</td>
              <td className="nhsuk-table__cell app-numeric">{result.summary.notSegmented}</td>
            </tr>
          </tbody>
        </table>
      </TableContainer>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">How {result.methodology.name} works</span>
        </summary>
        <div className="nhsuk-details__text">
          <p>{result.methodology.summary}</p>
          <p>{result.methodology.source}</p>
          <ul>
            {result.methodology.metrics.map((m) => (
              <li key={m.metric}>
                {m.name}
                {m.standsFor ? ` (for ${m.standsFor})` : ''}
                {m.weight !== 1 ? `, weight ${m.weight.toFixed(2)}` : ''}
              </li>
            ))}
          </ul>
        </div>
      </details>
      <p className="app-secondary">
        Positions are within each group. Adjacent positions are often not meaningfully different: read the
        segment and the drivers, not the rank alone.
      </p>
      {[...groups.entries()].map(([group, rows]) => (
        <SegmentTable
          key={group}
          caption={group === 'All ICBs' ? 'Integrated care boards (ICBs)' : group}
          rows={rows}
          methodologyCode={result.methodology.code}
          period={result.period.start}
          previousLabel={result.previousPeriod.label}
          testId="segment-league"
        />
      ))}
    </>
  );
}
