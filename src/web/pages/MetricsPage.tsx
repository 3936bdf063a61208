import { todayIsoDate } from '../../domain/iso-date.js';
import { Link } from 'react-router';
import { metricDomains, metricDomainLabels } from '../../domain/metric.js';
import { api, type MetricBody } from '../api-client.js';
import { ApiErrorSummary, Loading, TableContainer, Tag, usePageTitle } from '../components/page-parts.js';
import { formatLongDate } from '../format.js';
import { useApi } from '../use-api.js';

function currentTargets(metric: MetricBody): string {
  const today = todayIsoDate();
  const targets = metric.targets.filter(
    (t) => t.validFrom <= today && (t.validTo === null || t.validTo > today),
  );
  return targets.length > 0 ? targets.map((t) => t.label).join('; ') : 'None';
}

/** What can be measured: every metric, by domain, with what it means and how it is computed. */
export function MetricsPage() {
  const state = useApi((signal) => api.metrics(signal), []);
  usePageTitle('Metrics', state.status === 'error');
  return (
    <>
      {state.status === 'error' ? <ApiErrorSummary error={state.error} /> : null}
      <h1>Metrics</h1>
      <p className="nhsuk-lede-text">
        What the service can measure, for any organisation, integrated care board (ICB), region or England.
        Every metric is computed from the collected data items as a ratio of sums.
      </p>
      {state.status === 'loading' ? <Loading what="the metrics" /> : null}
      {state.status === 'ready'
        ? metricDomains
            .filter((domain) => state.data.metrics.some((m) => m.domain === domain))
            .map((domain) => (
              <TableContainer label={metricDomainLabels[domain]} key={domain}>
                <table className="nhsuk-table">
                  <caption className="nhsuk-table__caption nhsuk-table__caption--m">
                    {metricDomainLabels[domain]}
                  </caption>
                  <thead className="nhsuk-table__head">
                    <tr className="nhsuk-table__row">
                      <th className="nhsuk-table__header" scope="col">
                        Metric
                      </th>
                      <th className="nhsuk-table__header" scope="col">
                        What it measures
                      </th>
                      <th className="nhsuk-table__header" scope="col">
                        Direction
                      </th>
                      <th className="nhsuk-table__header" scope="col">
                        Current standard or target
                      </th>
                    </tr>
                  </thead>
                  <tbody className="nhsuk-table__body">
                    {state.data.metrics
                      .filter((m) => m.domain === domain)
                      .map((metric) => (
                        <tr className="nhsuk-table__row" key={metric.code}>
                          <td className="nhsuk-table__cell">
                            <Link to={`/metrics/${metric.code}`}>{metric.name}</Link>
                            {metric.caveat ? (
                              <>
                                {' '}
                                <Tag colour="yellow">Read the caveat</Tag>
                              </>
                            ) : null}
                          </td>
                          <td className="nhsuk-table__cell">
                            {metric.description}
                            {metric.versions.length > 1 ? (
                              <span className="app-secondary">
                                {' '}
                                Definition changed on{' '}
                                {formatLongDate(
                                  metric.versions[metric.versions.length - 1]?.effectiveFrom ?? '',
                                )}
                                .
                              </span>
                            ) : null}
                          </td>
                          <td className="nhsuk-table__cell">{metric.polarityLabel}</td>
                          <td className="nhsuk-table__cell">{currentTargets(metric)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </TableContainer>
            ))
        : null}
    </>
  );
}
