import { Link, useParams, useSearchParams } from 'react-router';
import { api, type ReportResponse } from '../api-client.js';
import { SpcChart } from '../charts/SpcChart.js';
import { AssuranceIconView, VariationIconView } from '../charts/SpcIcons.js';
import { ApiErrorSummary, Empty, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import { SegmentTag } from '../components/SegmentParts.js';
import { formatValue } from '../format.js';
import { useApi } from '../use-api.js';

type Row = ReportResponse['sections'][number]['rows'][number];

const bandLabels = ['', 'Best quarter', 'Second quarter', 'Third quarter', 'Worst quarter'];

/** A tiny line of the last 24 values: the shape at a glance; the SPC chart is a click away. */
function Sparkline({ values }: { values: Array<number | null> }) {
  const present = values.filter((v): v is number => v !== null);
  if (present.length < 2) return <Empty>No data</Empty>;
  const min = Math.min(...present);
  const max = Math.max(...present);
  const span = max - min || 1;
  const step = 100 / Math.max(1, values.length - 1);
  const path = values
    .map((v, i) => (v === null ? null : `${i * step},${28 - ((v - min) / span) * 24}`))
    .filter(Boolean)
    .join(' ');
  return (
    <svg width="100" height="30" viewBox="0 0 100 30" aria-hidden="true" focusable="false">
      <polyline points={path} fill="none" stroke="#425563" strokeWidth="1.5" />
    </svg>
  );
}

const matrixColumns = [
  { key: 'pass', label: 'Passes' },
  { key: 'inconsistent', label: 'Hit and miss' },
  { key: 'fail', label: 'Fails' },
  { key: 'none', label: 'No target' },
] as const;
const matrixRows = [
  { key: 'concern', label: 'Special cause concern' },
  { key: 'common', label: 'Common cause' },
  { key: 'improvement', label: 'Special cause improvement' },
  { key: 'neutral', label: 'Special cause, neither better nor worse' },
] as const;

/** The board's question: what must we be assured about or act on this month? */
export function ReportPage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const until = params.get('until') ?? undefined;
  const state = useApi(
    (signal) => api.report({ org: code, ...(until ? { until } : {}) }, signal),
    [code, until],
  );
  const title =
    state.status === 'ready'
      ? `Integrated performance report: ${state.data.organisation.name}`
      : 'Integrated performance report';
  usePageTitle(title, state.status === 'error');
  if (state.status === 'loading') return <Loading what="the report" />;
  if (state.status === 'error')
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>Integrated performance report</h1>
      </>
    );
  const report = state.data;
  const month = report.sections[0]?.rows[0]?.label;
  const cell = (row: Row, value: number | null) =>
    value === null ? <Empty>No data</Empty> : formatValue(value, row.metric.unit);
  return (
    <>
      <nav className="nhsuk-breadcrumb app-no-print" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to={`/organisations/${report.organisation.code}`}>
              {report.organisation.name}
            </Link>
          </li>
        </ol>
      </nav>
      <h1>
        <span className="nhsuk-caption-l">
          Integrated performance report{month ? `, figures to ${month}` : ''}
        </span>
        {report.organisation.name}
      </h1>
      <p className="nhsuk-lede-text">
        Every measure with figures, read as statistical process control (Making Data Count): has it changed,
        and can we rely on meeting the target? Concerns and fails come first in each section.
      </p>
      <div className="nhsuk-button-group app-no-print">
        <a
          className="nhsuk-button"
          href={api.reportPdfUrl({ org: report.organisation.code, ...(until ? { until } : {}) })}
          download
          draggable="false"
        >
          Download PDF
        </a>
        <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={() => window.print()}>
          Print this page
        </button>
      </div>
      <TableContainer label="Summary">
        <table className="nhsuk-table" data-testid="report-matrix">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">
            Summary: measures by variation and assurance
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Variation
              </th>
              {matrixColumns.map((c) => (
                <th className="nhsuk-table__header app-numeric" scope="col" key={c.key}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {matrixRows.map((r) => (
              <tr className="nhsuk-table__row" key={r.key}>
                <th className="nhsuk-table__header" scope="row">
                  {r.label}
                </th>
                {matrixColumns.map((c) => (
                  <td className="nhsuk-table__cell app-numeric" key={c.key}>
                    {report.matrix[r.key][c.key]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
      {report.segment ? <ReportSegment segment={report.segment} code={report.organisation.code} /> : null}
      {report.sections.map((section) => (
        <TableContainer label={section.label} key={section.domain}>
          <table className="nhsuk-table app-report-table" data-testid="report-section">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">{section.label}</caption>
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
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Target
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Mean
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Limits
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Variation
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Assurance
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Last 24 months
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Rank
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {section.rows.map((row) => (
                <tr className="nhsuk-table__row" key={row.metric.code}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/metrics/${row.metric.code}?org=${report.organisation.code}`}>
                      {row.metric.name}
                    </Link>
                  </td>
                  <td className="nhsuk-table__cell">{row.label}</td>
                  <td className="nhsuk-table__cell app-numeric">{formatValue(row.value, row.metric.unit)}</td>
                  <td className="nhsuk-table__cell app-numeric">
                    {row.target ? formatValue(row.target.value, row.metric.unit) : <Empty>None</Empty>}
                  </td>
                  <td className="nhsuk-table__cell app-numeric">{cell(row, row.mean)}</td>
                  <td className="nhsuk-table__cell app-numeric">
                    {row.lpl === null || row.upl === null ? (
                      <Empty>No data</Empty>
                    ) : (
                      `${formatValue(row.lpl, row.metric.unit)} to ${formatValue(row.upl, row.metric.unit)}`
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    {row.variation ? (
                      <VariationIconView icon={row.variation} size={36} />
                    ) : (
                      <Empty>Too few points</Empty>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    {row.assurance ? (
                      <AssuranceIconView icon={row.assurance} size={36} />
                    ) : (
                      <Empty>{row.target ? 'Too few points' : 'No target'}</Empty>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    <Sparkline values={row.recent} />
                  </td>
                  <td className="nhsuk-table__cell">
                    {row.benchmark ? (
                      <>
                        {row.benchmark.rank} of {row.benchmark.of} {row.benchmark.among}
                        <br />
                        <span className="app-secondary">{bandLabels[row.benchmark.band] ?? ''}</span>
                      </>
                    ) : (
                      <Empty>Not applicable</Empty>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      ))}
      <ReportCharts report={report} />
    </>
  );
}

/** The oversight segment and the metrics driving it, between the summary and the measures. */
function ReportSegment({ segment, code }: { segment: NonNullable<ReportResponse['segment']>; code: string }) {
  return (
    <section aria-labelledby="report-segment-heading" data-testid="report-segment">
      <h2 id="report-segment-heading">
        Oversight segment: {segment.methodology}, {segment.quarter}
      </h2>
      <p>
        <SegmentTag segment={segment.segment} /> {segment.segmentLabel}
        {segment.segment !== null
          ? `. Average metric score ${segment.averageScore?.toFixed(2) ?? 'not known'}; position ${segment.leaguePosition} of ${segment.leagueOf} ${segment.peerGroup} organisations.`
          : null}
      </p>
      {segment.overridesApplied.length > 0 ? (
        <p>Overrides applied: {segment.overridesApplied.join('; ')}.</p>
      ) : null}
      {segment.judgement ? (
        <p>
          Regional judgement: segment {segment.judgement.segment}.{' '}
          {segment.judgement.reason ?? 'The reason is shown to people whose roles cover this organisation.'}
        </p>
      ) : null}
      {segment.drivers.length > 0 ? (
        <>
          <h3>What drives it</h3>
          <p className="app-secondary">
            Icons from each measure’s monthly SPC to the end of {segment.quarter}, the quarter segmented.
          </p>
          <ul className="nhsuk-list app-driver-list">
            {segment.drivers.map((d) => (
              <li key={d.metric}>
                {d.variation ? <VariationIconView icon={d.variation} size={28} /> : null}{' '}
                <Link to={`/metrics/${d.metric}?org=${code}`}>{d.name}</Link>: {formatValue(d.value, d.unit)},
                score {d.score.toFixed(2)}. <span className="app-secondary">{d.sentence}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {segment.change.length > 0 ? <p>Since the previous quarter: {segment.change.join(' ')}</p> : null}
      <p className="app-no-print">
        <Link
          to={`/organisations/${code}/oversight?methodology=${segment.methodologyCode}&period=${segment.quarterStart}`}
        >
          How the segment was reached
        </Link>
      </p>
    </section>
  );
}

/** One measure's SPC chart, as the metric page draws it, for the chart section of the report. */
function ReportChart({ row, code }: { row: Row; code: string }) {
  const state = useApi(
    (signal) => api.spc(row.metric.code, { org: code, to: row.month }, signal),
    [row.metric.code, code, row.month],
  );
  if (state.status === 'loading') return <Loading what={`the chart of ${row.metric.name}`} />;
  if (state.status === 'error') return <p className="app-secondary">{state.error.message}</p>;
  return (
    <div className="app-report-chart">
      <h3>{row.metric.name}</h3>
      <p>{state.data.sentence}</p>
      <SpcChart
        spc={state.data}
        title={`${row.metric.name}, ${code}`}
        fileName={`${row.metric.code}-${code}`}
      />
    </div>
  );
}

/** DESIGN §3.4: each measure of concern, or failing its target, with its SPC chart and what it shows. */
function ReportCharts({ report }: { report: ReportResponse }) {
  const rows = report.sections.flatMap((section) =>
    section.rows.filter((row) => row.variation?.startsWith('concern') || row.assurance === 'fail'),
  );
  return (
    <section aria-labelledby="report-charts-heading" data-testid="report-charts">
      <h2 id="report-charts-heading">Charts: measures of concern or failing their target</h2>
      {rows.length === 0 ? (
        <p>No measure shows special cause concern or consistently fails its target.</p>
      ) : (
        rows.map((row) => <ReportChart key={row.metric.code} row={row} code={report.organisation.code} />)
      )}
    </section>
  );
}
