import { Link } from 'react-router';
import { metricDomainLabels } from '../../domain/metric.js';
import { api } from '../api-client.js';
import { formatValue } from '../format.js';
import { useApi } from '../use-api.js';
import { Empty, Loading, TableContainer } from './page-parts.js';

function monthsBefore(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number);
  const index = (y ?? 0) * 12 + ((m ?? 1) - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** The latest value of every metric an organisation (or its area) has, in the 12 months to its latest figures on or before the date. */
export function LatestFigures({ code, asAt }: { code: string; asAt: string }) {
  // Up to the latest month with figures on or before the date: published data lags behind today.
  const state = useApi((signal) => api.dashboard({ org: code, until: asAt }, signal), [code, asAt]);
  if (state.status === 'loading') return <Loading what="the latest figures" />;
  if (state.status === 'error')
    return <p className="app-secondary">The latest figures could not be loaded: {state.error.message}</p>;
  const from = monthsBefore(state.data.to, 11);
  const rows = state.data.series
    .map((series) => ({
      series,
      latest: [...series.points].reverse().find((p) => p.value !== null && p.period.start >= from),
    }))
    .filter((row) => row.latest !== undefined)
    .map((row) => ({
      ...row,
      // The same month a year before, for the trend a board asks about first.
      yearBefore: row.series.points.find(
        (p) => p.period.start === monthsBefore(row.latest?.period.start ?? '', 12),
      ),
    }));
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="latest-figures">
      <h2 id="latest-figures">Latest figures</h2>
      <TableContainer label="Latest figures">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
            The latest figure of each metric, in the 12 months to the latest month with figures
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Metric
              </th>
              <th className="nhsuk-table__header" scope="col">
                Domain
              </th>
              <th className="nhsuk-table__header" scope="col">
                Month
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Value
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                A year before
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {rows.map(({ series, latest, yearBefore }) => (
              <tr className="nhsuk-table__row" key={series.metric.code}>
                <td className="nhsuk-table__cell">
                  <Link to={`/metrics/${series.metric.code}?org=${code}`}>{series.metric.name}</Link>
                </td>
                <td className="nhsuk-table__cell">{metricDomainLabels[series.metric.domain]}</td>
                <td className="nhsuk-table__cell">{latest?.label}</td>
                <td className="nhsuk-table__cell app-numeric">
                  {formatValue(latest?.value, series.metric.unit)}
                </td>
                <td className="nhsuk-table__cell app-numeric">
                  {yearBefore?.value !== null && yearBefore?.value !== undefined ? (
                    formatValue(yearBefore.value, series.metric.unit)
                  ) : (
                    <Empty>No data</Empty>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
    </section>
  );
}
