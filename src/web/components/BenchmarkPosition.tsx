import { Link } from 'react-router';
import { api } from '../api-client.js';
import { formatValue } from '../format.js';
import { useApi } from '../use-api.js';
import { Loading, TableContainer, Tag } from './page-parts.js';

const headline =
  'ae_4h_all,ga_occupancy,rtt_over_18w_all_parts,wf_vacancy_rate,wf_sickness_absence,fin_surplus_deficit';
const bandLabels = ['', 'Top quarter', 'Second quarter', 'Third quarter', 'Bottom quarter'];
const bandColours = ['grey', 'blue', 'white', 'white', 'orange'] as const;

/** Where a trust sits among all trusts in the latest month of each headline metric: rank and quarter. */
export function BenchmarkPosition({ code, asAt }: { code: string; asAt: string }) {
  const state = useApi(
    async (signal) => {
      const dashboard = await api.dashboard({ org: code, until: asAt, metrics: headline }, signal);
      const positions = [];
      for (const series of dashboard.series) {
        const latest = [...series.points].reverse().find((p) => p.value !== null);
        if (!latest) continue;
        const league = await api.league(
          series.metric.code,
          { period: latest.period.start, level: 'nhs-trust' },
          signal,
        );
        const row = league.rows.find((r) => r.odsCode === code);
        if (row)
          positions.push({
            metric: series.metric,
            month: latest.label,
            period: latest.period.start,
            row,
            of: league.rows.length,
            median: league.quartiles.median,
          });
      }
      return positions;
    },
    [code, asAt],
  );
  if (state.status === 'loading') return <Loading what="benchmark positions" />;
  if (state.status === 'error' || state.data.length === 0) return null;
  return (
    <section aria-labelledby="benchmark-heading">
      <h2 id="benchmark-heading">Among all trusts</h2>
      <TableContainer label="Benchmark position">
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
            Rank among all trusts in the latest month of each headline metric
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Metric
              </th>
              <th className="nhsuk-table__header" scope="col">
                Month
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Value
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Median trust
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Rank
              </th>
              <th className="nhsuk-table__header" scope="col">
                Quarter
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {state.data.map(({ metric, month, period, row, of, median }) => (
              <tr className="nhsuk-table__row" key={metric.code}>
                <td className="nhsuk-table__cell">
                  <Link to={`/metrics/${metric.code}?org=${code}`}>{metric.name}</Link>
                </td>
                <td className="nhsuk-table__cell">{month}</td>
                <td className="nhsuk-table__cell app-numeric">{formatValue(row.value, metric.unit)}</td>
                <td className="nhsuk-table__cell app-numeric">{formatValue(median, metric.unit)}</td>
                <td className="nhsuk-table__cell app-numeric">
                  <Link to={`/metrics/${metric.code}/benchmark?org=${code}&period=${period}`}>
                    {row.rank} of {of}
                    <span className="nhsuk-u-visually-hidden">: benchmark {metric.name} against peers</span>
                  </Link>
                </td>
                <td className="nhsuk-table__cell">
                  <Tag colour={bandColours[row.band] ?? 'grey'}>{bandLabels[row.band] ?? 'Not banded'}</Tag>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
      <p>
        Select a rank to compare with peers: the same sector, the same size, a peer group or the most similar
        trusts.
      </p>
    </section>
  );
}
