import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, type SystemResponse } from '../api-client.js';
import { AssuranceIconView, VariationIconView } from '../charts/SpcIcons.js';
import { ApiErrorSummary, Empty, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import {
  formatScore,
  JudgementForm,
  SegmentDetail,
  SegmentTable,
  SegmentTag,
} from '../components/SegmentParts.js';
import { formatValue } from '../format.js';
import { useApi } from '../use-api.js';

/**
 * An organisation's oversight position: for a trust, its segment and what drives it; for an ICB, its own
 * objectives and segment beside every member trust; for a region, its ICBs; for England, its regions.
 */
export function OversightPage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const methodology = params.get('methodology') ?? 'nof-2025-26';
  const period = params.get('period') ?? undefined;
  const [version, setVersion] = useState(0);
  const state = useApi(
    (signal) => api.systemOversight({ org: code, methodology, ...(period ? { period } : {}) }, signal),
    [code, methodology, period, version],
  );
  const title = state.status === 'ready' ? `Oversight: ${state.data.area.name}` : 'Oversight';
  usePageTitle(title, state.status === 'error');
  if (state.status === 'loading') return <Loading what="the oversight view" />;
  if (state.status === 'error')
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>Oversight</h1>
      </>
    );
  const view = state.data;
  const isTrust = view.area.kind === 'nhs-trust';
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link
              className="nhsuk-breadcrumb__link"
              to={`/oversight?methodology=${view.methodology.code}&period=${view.period.start}`}
            >
              Oversight segments
            </Link>
          </li>
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to={`/organisations/${view.area.odsCode}`}>
              {view.area.name}
            </Link>
          </li>
        </ol>
      </nav>
      <h1>
        <span className="nhsuk-caption-l">
          {view.methodology.name}, {view.period.label}
        </span>
        {view.area.name}
      </h1>
      <Lede view={view} />
      {view.periodNote ? <div className="nhsuk-inset-text">{view.periodNote}</div> : null}
      {view.own ? (
        <>
          <SegmentDetail row={view.own} methodology={view.methodology} period={view.period} />
          <JudgementForm
            row={view.own}
            methodology={view.methodology}
            period={view.period}
            mayJudge={view.mayJudge}
            onRecorded={() => setVersion((v) => v + 1)}
          />
        </>
      ) : null}
      {view.offTrajectory.length > 0 ? <OffTrajectory view={view} /> : null}
      {!isTrust && view.objectives.length > 0 ? <Objectives view={view} /> : null}
      {view.areas.length > 0 ? <Areas view={view} /> : null}
      {!isTrust && view.trusts.length > 0 ? <Trusts view={view} /> : null}
      <p>
        <Link to={`/organisations/${view.area.odsCode}/report`}>Integrated performance report</Link> (every
        measure with its SPC icons)
      </p>
      {isTrust ? (
        <p data-testid="collaboration-link">
          <Link to={`/organisations/${view.area.odsCode}/collaboration`}>Collaboration record</Link> (mutual
          aid given and received in the last 12 months: evidence of the duty to collaborate)
        </p>
      ) : null}
    </>
  );
}

/** Planned measures that have missed their trajectory for three months: a driver beside the segment's. */
function OffTrajectory({ view }: { view: SystemResponse }) {
  const round = view.offTrajectory[0]?.round;
  return (
    <div className="nhsuk-warning-callout" data-testid="oversight-off-trajectory">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          Off trajectory against the plan
        </span>
      </h2>
      <p>
        These measures have been on the wrong side of the {round?.name ?? ''} plan for three months running:
      </p>
      <ul>
        {view.offTrajectory.map((m) => (
          <li key={m.metric}>
            {m.name}: {formatNumber(m.actual)} in {formatMonth(m.month)} against a plan of{' '}
            {formatNumber(m.plan)} (
            <Link to={`/planning/${m.round.code}/variance/${view.area.odsCode}`}>plan against actual</Link>)
          </li>
        ))}
      </ul>
    </div>
  );
}

const formatNumber = (n: number) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(n);
const formatMonth = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

function Lede({ view }: { view: SystemResponse }) {
  if (view.area.kind === 'nhs-trust') {
    const own = view.own;
    return (
      <p className="nhsuk-lede-text" data-testid="oversight-lede">
        {own?.segment
          ? `Segment ${own.segment}: ${own.segmentLabel ?? ''}. Average metric score ${formatScore(own.averageScore)}, position ${own.leaguePosition} of ${own.leagueOf} ${own.peerGroup} trusts.`
          : `Not segmented in ${view.period.label}: ${own?.notSegmented ?? 'it is not a trust this methodology segments'}`}
      </p>
    );
  }
  const fourOrFive = view.trusts.filter((t) => (t.segment ?? 0) >= 4).length;
  return (
    <p className="nhsuk-lede-text" data-testid="oversight-lede">
      {view.trusts.length} trusts; {fourOrFive} in segment 4 or 5
      {view.own?.segment ? `. The ICB itself is in segment ${view.own.segment}` : ''}.
    </p>
  );
}

function Objectives({ view }: { view: SystemResponse }) {
  return (
    <TableContainer label="Objectives">
      <table className="nhsuk-table" data-testid="oversight-objectives">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          {view.area.name}: measures with a target
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Measure
            </th>
            <th className="nhsuk-table__header" scope="col">
              Month
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Value
            </th>
            <th className="nhsuk-table__header" scope="col">
              Target
            </th>
            <th className="nhsuk-table__header" scope="col">
              Variation
            </th>
            <th className="nhsuk-table__header" scope="col">
              Assurance
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {view.objectives.map((o) => (
            <tr className="nhsuk-table__row" key={o.metric}>
              <td className="nhsuk-table__cell">
                <Link to={`/metrics/${o.metric}?org=${view.area.odsCode}`}>{o.name}</Link>
              </td>
              <td className="nhsuk-table__cell">{o.label}</td>
              <td className="nhsuk-table__cell app-numeric">{formatValue(o.value, o.unit)}</td>
              <td className="nhsuk-table__cell">{o.target.label}</td>
              <td className="nhsuk-table__cell">
                {o.variation ? (
                  <VariationIconView icon={o.variation} size={32} />
                ) : (
                  <Empty>Too few points</Empty>
                )}
              </td>
              <td className="nhsuk-table__cell">
                {o.assurance ? (
                  <AssuranceIconView icon={o.assurance} size={32} />
                ) : (
                  <Empty>Too few points</Empty>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function Areas({ view }: { view: SystemResponse }) {
  const segments = ['1', '2', '3', '4', '5'].filter((s) => view.methodology.segmentLabels[s]);
  const child = view.area.kind === 'region' ? 'ICB' : 'Region';
  return (
    <TableContainer label={`${child}s`}>
      <table className="nhsuk-table" data-testid="oversight-areas">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          {child === 'ICB' ? 'Integrated care boards (ICBs) and their trusts' : 'Regions and their trusts'}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              {child}
            </th>
            {child === 'ICB' ? (
              <th className="nhsuk-table__header" scope="col">
                Own segment
              </th>
            ) : null}
            {segments.map((s) => (
              <th className="nhsuk-table__header app-numeric" scope="col" key={s}>
                Trusts in segment {s}
              </th>
            ))}
            <th className="nhsuk-table__header app-numeric" scope="col">
              Mean score
            </th>
            <th className="nhsuk-table__header" scope="col">
              Most common drivers
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {view.areas.map((a) => (
            <tr className="nhsuk-table__row" key={a.odsCode}>
              <td className="nhsuk-table__cell">
                <Link
                  to={`/organisations/${a.odsCode}/oversight?methodology=${view.methodology.code}&period=${view.period.start}`}
                >
                  {a.name}
                </Link>
              </td>
              {child === 'ICB' ? (
                <td className="nhsuk-table__cell">
                  {a.own ? <SegmentTag segment={a.own.segment} /> : <Empty>Not applicable</Empty>}
                </td>
              ) : null}
              {segments.map((s) => (
                <td className="nhsuk-table__cell app-numeric" key={s}>
                  {a.bySegment[s] ?? 0}
                </td>
              ))}
              <td className="nhsuk-table__cell app-numeric">{formatScore(a.meanAverageScore)}</td>
              <td className="nhsuk-table__cell">
                {a.commonDrivers.length === 0 ? (
                  <Empty>None</Empty>
                ) : (
                  a.commonDrivers.map((d) => `${d.name} (${d.trusts})`).join('; ')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function Trusts({ view }: { view: SystemResponse }) {
  const sorted = [...view.trusts].sort(
    (a, b) => (b.segment ?? 0) - (a.segment ?? 0) || (b.averageScore ?? 0) - (a.averageScore ?? 0),
  );
  return (
    <SegmentTable
      caption="Trusts, most support needed first"
      rows={sorted}
      methodologyCode={view.methodology.code}
      period={view.period.start}
      previousLabel={view.previousPeriod.label}
      testId="oversight-trusts"
    />
  );
}
