import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, type SeriesParams, type SeriesPoint } from '../api-client.js';
import {
  ApiErrorSummary,
  Breadcrumbs,
  Empty,
  Loading,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatCount, formatValue } from '../format.js';
import { SpcChart } from '../charts/SpcChart.js';
import { TimeSeriesChart } from '../charts/TimeSeriesChart.js';
import { useApi } from '../use-api.js';

function targetVerdict(point: SeriesPoint): { label: string; met: boolean } | null {
  const target = point.targets.find((t) => t.kind !== 'standard') ?? point.targets[0];
  if (!target || point.value === null) return null;
  const met = target.operator === '>=' ? point.value >= target.value : point.value <= target.value;
  return { label: target.label, met };
}

const levels = [
  { value: 'nhs-trust', label: 'NHS trusts' },
  { value: 'icb', label: 'Integrated care boards' },
  { value: 'region', label: 'Regions' },
] as const;

function LeagueTable({
  code,
  period,
  level,
  periodType,
  unit,
}: {
  code: string;
  period: string;
  level: string;
  periodType: string;
  unit: string;
}) {
  const [params] = useSearchParams();
  const state = useApi(
    (signal) => api.league(code, { period, level, periodType }, signal),
    [code, period, level, periodType],
  );
  const linkFor = (value: string) => {
    const next = new URLSearchParams(params);
    next.set('level', value);
    return `?${next.toString()}`;
  };
  return (
    <section aria-labelledby="league-heading">
      <h2 id="league-heading">League table</h2>
      <ul className="app-quick-dates">
        {levels.map((l) => (
          <li key={l.value}>
            {l.value === level ? <strong>{l.label}</strong> : <Link to={linkFor(l.value)}>{l.label}</Link>}
          </li>
        ))}
      </ul>
      {state.status === 'loading' ? <Loading what="the league table" /> : null}
      {state.status === 'error' ? <ApiErrorSummary error={state.error} /> : null}
      {state.status === 'ready' ? (
        state.data.rows.length === 0 ? (
          <p>No organisation at this level has a value for {state.data.label}.</p>
        ) : (
          <>
            <p>
              {state.data.label}: England {formatValue(state.data.england, unit)}; median{' '}
              {formatValue(state.data.quartiles.median, unit)}, middle half from{' '}
              {formatValue(state.data.quartiles.lower, unit)} to{' '}
              {formatValue(state.data.quartiles.upper, unit)}.
            </p>
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>
                  Do not over-read small differences
                </span>
              </h3>
              <p>
                Neighbouring ranks are often within ordinary month-to-month variation. The quarter bands group
                organisations; one rank apart is rarely a real difference.
              </p>
            </div>
            <p>
              <a href={api.leagueCsvUrl(code, { period, level, periodType })} download>
                Download the league table (CSV)
              </a>
            </p>
            <TableContainer label="League table">
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                  League table, {state.data.label}
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th className="nhsuk-table__header app-numeric" scope="col">
                      Rank
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Organisation
                    </th>
                    <th className="nhsuk-table__header app-numeric" scope="col">
                      Value
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Quarter of the table
                    </th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {state.data.rows.map((row) => (
                    <tr className="nhsuk-table__row" key={row.odsCode}>
                      <td className="nhsuk-table__cell app-numeric">{row.rank}</td>
                      <td className="nhsuk-table__cell">
                        <Link to={`/metrics/${code}?org=${row.odsCode}`}>{row.name}</Link>{' '}
                        <span className="app-code">{row.odsCode}</span>
                      </td>
                      <td className="nhsuk-table__cell app-numeric">{formatValue(row.value, unit)}</td>
                      <td className="nhsuk-table__cell">
                        <Tag colour={row.band === 1 ? 'blue' : row.band === 4 ? 'white' : 'grey'}>
                          {['Top quarter', 'Second quarter', 'Third quarter', 'Bottom quarter'][row.band - 1]}
                        </Tag>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableContainer>
            {state.data.noValue.length > 0 ? (
              <p className="app-secondary">
                No value for {state.data.label}: {state.data.noValue.length} organisation
                {state.data.noValue.length === 1 ? '' : 's'} (
                {state.data.noValue
                  .slice(0, 10)
                  .map((o) => o.odsCode)
                  .join(', ')}
                {state.data.noValue.length > 10 ? ' …' : ''}).
              </p>
            ) : null}
          </>
        )
      ) : null}
    </section>
  );
}

/**
 * The months the SPC flags as a special cause of concern, each linking to what it led to: the segment that
 * quarter, interventions, programmes and mutual aid (the chain of accountability).
 */
function SignalLinks({
  org,
  metric,
  points,
}: {
  org: string;
  metric: string;
  points: Array<{ date: string; label: string }>;
}) {
  if (points.length === 0 || org === 'X24') return null;
  const latest = points.slice(-6).reverse();
  return (
    <section aria-labelledby="signals-heading" data-testid="signal-links">
      <h2 id="signals-heading" className="nhsuk-heading-s">
        Special causes of concern, and what they led to
      </h2>
      <ul className="nhsuk-list">
        {latest.map((p) => (
          <li key={p.date}>
            <Link to={`/chain?organisation=${org}&metric=${metric}&period=${p.date}`}>
              {p.label}: what this signal led to
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One metric for one organisation or aggregate: the series, who reported, the target, and a league table. */
export function MetricPage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const org = (params.get('org') ?? 'X24').toUpperCase();
  // Without a range in the address, the server shows the 24 months up to the latest figures.
  const to = params.get('to') ?? undefined;
  const from = params.get('from') ?? undefined;
  const period = (params.get('period') ?? 'month') as NonNullable<SeriesParams['period']>;
  const structure = (params.get('structure') ?? 'as-at-period') as NonNullable<SeriesParams['structure']>;
  const level = params.get('level') ?? 'nhs-trust';
  const request: SeriesParams = { org, period, structure, ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const state = useApi(
    (signal) => api.series(code, request, signal),
    [code, org, from, to, period, structure],
  );
  // SPC for the same figures; a rebase date in the address recalculates the limits from it.
  const rebase = params.get('rebase') ?? undefined;
  const spcState = useApi(
    (signal) => api.spc(code, { ...request, ...(rebase ? { rebase } : {}) }, signal),
    [code, org, from, to, period, structure, rebase],
  );
  const shownFrom = from ?? (state.status === 'ready' ? state.data.from : '');
  const shownTo = to ?? (state.status === 'ready' ? state.data.to : '');
  const [fields, setFields] = useState({ org, from: shownFrom.slice(0, 7), to: shownTo.slice(0, 7) });
  const [fieldsFor, setFieldsFor] = useState(`${org}|${shownFrom}|${shownTo}`);
  // When the page moves to other figures, the form follows (React's "adjust state on prop change").
  if (fieldsFor !== `${org}|${shownFrom}|${shownTo}`) {
    setFieldsFor(`${org}|${shownFrom}|${shownTo}`);
    setFields({ org, from: shownFrom.slice(0, 7), to: shownTo.slice(0, 7) });
  }
  const [formError, setFormError] = useState<{ field: string; message: string } | null>(null);
  const series = state.status === 'ready' ? state.data.series[0] : undefined;
  usePageTitle(
    series ? `${series.metric.name}: ${state.status === 'ready' ? state.data.aggregate.name : ''}` : 'Metric',
    state.status === 'error' || formError !== null,
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const month = /^(\d{4})-(0[1-9]|1[0-2])$/;
    if (!/^[A-Za-z0-9]{2,10}$/.test(fields.org.trim()))
      return setFormError({ field: 'metric-org', message: 'Enter an ODS code, for example RJZ, QE1 or Y56' });
    if (!month.test(fields.from.trim()))
      return setFormError({
        field: 'metric-from',
        message: 'Enter the first month as year and month, for example 2023-04',
      });
    if (!month.test(fields.to.trim()))
      return setFormError({
        field: 'metric-to',
        message: 'Enter the last month as year and month, for example 2025-03',
      });
    if (fields.from > fields.to)
      return setFormError({
        field: 'metric-from',
        message: 'The first month must be on or before the last month',
      });
    setFormError(null);
    const next = new URLSearchParams(params);
    next.set('org', fields.org.trim().toUpperCase());
    next.set('from', `${fields.from.trim()}-01`);
    next.set('to', `${fields.to.trim()}-01`);
    void navigate(`?${next.toString()}`);
  }
  const choose = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    return `?${next.toString()}`;
  };

  const latest = series ? [...series.points].reverse().find((p) => p.value !== null) : undefined;
  const verdict = latest ? targetVerdict(latest) : null;

  return (
    <>
      <Breadcrumbs items={[{ odsCode: 'X24', name: 'England' }]} />
      {formError ? (
        <div
          className="nhsuk-error-summary"
          tabIndex={-1}
          aria-labelledby="metric-error-title"
          ref={(el) => el?.focus()}
        >
          <div role="alert">
            <h2 className="nhsuk-error-summary__heading" id="metric-error-title">
              There is a problem
            </h2>
            <div className="nhsuk-error-summary__body">
              <ul className="nhsuk-list nhsuk-error-summary__list">
                <li>
                  <a href={`#${formError.field}`}>{formError.message}</a>
                </li>
              </ul>
            </div>
          </div>
        </div>
      ) : null}
      {state.status === 'error' ? (
        <ApiErrorSummary
          error={state.error}
          fieldIds={{ org: 'metric-org', from: 'metric-from', to: 'metric-to' }}
        />
      ) : null}
      <span className="nhsuk-caption-l">
        <Link to="/metrics">Metrics</Link>
      </span>
      <h1>{series ? `${series.metric.name}` : code}</h1>
      {state.status === 'loading' ? <Loading what="the figures" /> : null}
      {state.status === 'ready' && series ? (
        <>
          <p className="nhsuk-lede-text">
            {state.data.aggregate.name}
            {latest
              ? `: ${formatValue(latest.value, series.metric.unit)} in ${latest.label}, from ${formatCount(latest.coverage.reported)} of ${formatCount(latest.coverage.expected)} organisations expected to report.`
              : ': no figures in this range.'}{' '}
            {series.metric.polarityLabel}.
          </p>
          {['nhs-trust', 'icb', 'stp', 'region'].includes(state.data.aggregate.organisationKind ?? '') ? (
            <p>
              <Link
                to={`/metrics/${code}/benchmark?org=${state.data.aggregate.code}${latest ? `&period=${latest.period.start}` : ''}`}
              >
                Benchmark {state.data.aggregate.name} against peers
              </Link>
            </p>
          ) : null}
          {verdict ? (
            <p>
              <Tag colour={verdict.met ? 'blue' : 'orange'}>{verdict.met ? 'Met' : 'Not met'}</Tag>{' '}
              {verdict.label}
            </p>
          ) : null}
          {series.metric.caveat ? (
            <div className="nhsuk-warning-callout">
              <h2 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>
                  What this figure is not
                </span>
              </h2>
              <p>{series.metric.caveat}</p>
            </div>
          ) : null}
          {state.data.notes.map((note) => (
            <div className="nhsuk-inset-text" key={note}>
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>{note}</p>
            </div>
          ))}
          <p>{series.metric.description}</p>
        </>
      ) : null}

      <form onSubmit={submit} noValidate className="app-as-at">
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-third">
            <div
              className={`nhsuk-form-group${formError?.field === 'metric-org' ? ' nhsuk-form-group--error' : ''}`}
            >
              <label className="nhsuk-label" htmlFor="metric-org">
                Organisation or area (ODS code)
              </label>
              <div className="nhsuk-hint" id="metric-org-hint">
                X24 is England; Y56 London; QE1 an ICB
              </div>
              <input
                className="nhsuk-input nhsuk-input--width-10"
                id="metric-org"
                aria-describedby="metric-org-hint"
                value={fields.org}
                onChange={(e) => setFields({ ...fields, org: e.target.value })}
              />
            </div>
          </div>
          <div className="nhsuk-grid-column-one-third">
            <div
              className={`nhsuk-form-group${formError?.field === 'metric-from' ? ' nhsuk-form-group--error' : ''}`}
            >
              <label className="nhsuk-label" htmlFor="metric-from">
                First month
              </label>
              <div className="nhsuk-hint" id="metric-from-hint">
                Year and month, for example 2023-04
              </div>
              <input
                className="nhsuk-input nhsuk-input--width-10"
                id="metric-from"
                aria-describedby="metric-from-hint"
                value={fields.from}
                onChange={(e) => setFields({ ...fields, from: e.target.value })}
              />
            </div>
          </div>
          <div className="nhsuk-grid-column-one-third">
            <div
              className={`nhsuk-form-group${formError?.field === 'metric-to' ? ' nhsuk-form-group--error' : ''}`}
            >
              <label className="nhsuk-label" htmlFor="metric-to">
                Last month
              </label>
              <div className="nhsuk-hint" id="metric-to-hint">
                Year and month, for example 2025-03
              </div>
              <input
                className="nhsuk-input nhsuk-input--width-10"
                id="metric-to"
                aria-describedby="metric-to-hint"
                value={fields.to}
                onChange={(e) => setFields({ ...fields, to: e.target.value })}
              />
            </div>
          </div>
        </div>
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-2" type="submit">
          Show figures
        </button>
        <ul className="app-quick-dates nhsuk-body-s nhsuk-u-margin-bottom-0">
          <li>
            {period === 'month' ? (
              <strong>Months</strong>
            ) : (
              <Link to={choose('period', 'month')}>Months</Link>
            )}
          </li>
          <li>
            {period === 'quarter' ? (
              <strong>Quarters</strong>
            ) : (
              <Link to={choose('period', 'quarter')}>Quarters</Link>
            )}
          </li>
          <li>
            {period === 'financial-year' ? (
              <strong>Financial years</strong>
            ) : (
              <Link to={choose('period', 'financial-year')}>Financial years</Link>
            )}
          </li>
          <li>
            {structure === 'as-at-period' ? (
              <strong>Structure of each period</strong>
            ) : (
              <Link to={choose('structure', 'as-at-period')}>Structure of each period</Link>
            )}
          </li>
          <li>
            {structure === 'as-now' ? (
              <strong>Today's structure</strong>
            ) : (
              <Link to={choose('structure', 'as-now')}>Today's structure</Link>
            )}
          </li>
        </ul>
      </form>

      {state.status === 'ready' && series ? (
        <>
          {spcState.status === 'ready' && spcState.data.points.length > 0 ? (
            <SpcChart
              spc={spcState.data}
              title={`${series.metric.name}, ${state.data.aggregate.name}`}
              fileName={`${series.metric.code}-${state.data.aggregate.code}`}
            />
          ) : (
            <TimeSeriesChart
              points={series.points}
              unit={series.metric.unit}
              title={`${series.metric.name}, ${state.data.aggregate.name}`}
              fileName={`${series.metric.code}-${state.data.aggregate.code}`}
            />
          )}
          <p>
            <a href={api.seriesCsvUrl(code, request)} download>
              Download these figures (CSV)
            </a>
          </p>
          {spcState.status === 'ready' && period === 'month' && !params.get('peerGroup') ? (
            <SignalLinks
              org={org}
              metric={code}
              points={spcState.data.points.filter((p) => p.pointType === 'special_cause_concern')}
            />
          ) : null}
          <TableContainer label="Figures by period">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--m">
                {series.metric.name}, {state.data.aggregate.name}
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Period
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Value
                  </th>
                  {series.metric.versions.some((v) => v.definition.denominator) ? (
                    <>
                      <th className="nhsuk-table__header app-numeric" scope="col">
                        Numerator
                      </th>
                      <th className="nhsuk-table__header app-numeric" scope="col">
                        Denominator
                      </th>
                    </>
                  ) : null}
                  <th className="nhsuk-table__header" scope="col">
                    Organisations reporting
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {series.points.map((point) => (
                  <tr className="nhsuk-table__row" key={point.period.start}>
                    <td className="nhsuk-table__cell">{point.label}</td>
                    <td className="nhsuk-table__cell app-numeric">
                      {point.value === null ? (
                        <Empty>No data</Empty>
                      ) : (
                        formatValue(point.value, series.metric.unit)
                      )}
                    </td>
                    {series.metric.versions.some((v) => v.definition.denominator) ? (
                      <>
                        <td className="nhsuk-table__cell app-numeric">
                          {point.numerator === null ? (
                            <Empty>No data</Empty>
                          ) : (
                            formatCount(Math.round(point.numerator))
                          )}
                        </td>
                        <td className="nhsuk-table__cell app-numeric">
                          {point.denominator === null ? (
                            <Empty>No data</Empty>
                          ) : (
                            formatCount(Math.round(point.denominator))
                          )}
                        </td>
                      </>
                    ) : null}
                    <td className="nhsuk-table__cell">
                      {point.coverage.expected === 0 ? (
                        <Empty>None expected</Empty>
                      ) : (
                        <>
                          {formatCount(point.coverage.reported)} of {formatCount(point.coverage.expected)}
                          {point.coverage.notReported.length > 0 ? (
                            <span className="app-secondary">
                              {' '}
                              (not reported: {point.coverage.notReported.slice(0, 5).join(', ')}
                              {point.coverage.notReported.length > 5
                                ? ` and ${point.coverage.notReported.length - 5} more`
                                : ''}
                              )
                            </span>
                          ) : null}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableContainer>
          {latest ? (
            <LeagueTable
              code={code}
              period={latest.period.start}
              level={level}
              periodType={period}
              unit={series.metric.unit}
            />
          ) : null}
        </>
      ) : null}
    </>
  );
}
