import { Link } from 'react-router';
import { api, type MemberFiguresResponse } from '../api-client.js';
import { formatValue, withAsAt } from '../format.js';
import { useApi } from '../use-api.js';
import { Empty, Loading, TableContainer } from './page-parts.js';

type Row = MemberFiguresResponse['area'];

/**
 * An area and its members side by side: the latest month of each headline metric, so an organisation is
 * read together with its system. Values come from the pre-computed roll-ups.
 */
export function MemberFigures({
  code,
  asAt,
  asAtParam,
  caption,
}: {
  code: string;
  asAt: string;
  asAtParam?: string | undefined;
  caption: string;
}) {
  const state = useApi((signal) => api.memberFigures({ org: code, asAt }, signal), [code, asAt]);
  if (state.status === 'loading') return <Loading what="figures side by side" />;
  if (state.status === 'error')
    return <p className="app-secondary">Figures side by side could not be loaded: {state.error.message}</p>;
  const { metrics, area, members } = state.data;
  if (metrics.length === 0 || members.length === 0) return null;
  const months = new Set(
    [area, ...members].flatMap((row) => Object.values(row.figures).flatMap((f) => (f ? [f.label] : []))),
  );
  const cell = (row: Row, metricCode: string, unit: string) => {
    const figure = row.figures[metricCode];
    if (!figure) return <Empty>No data</Empty>;
    return (
      <>
        {formatValue(figure.value, unit)}
        {months.size > 1 ? <span className="app-secondary app-cell-note">{figure.label}</span> : null}
      </>
    );
  };
  return (
    <TableContainer label={caption}>
      <table className="nhsuk-table" data-testid="member-figures">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          {caption}
          {months.size === 1 ? (
            <span className="nhsuk-caption-m">{[...months][0]}, the latest month</span>
          ) : null}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Organisation
            </th>
            {metrics.map((metric) => (
              <th className="nhsuk-table__header app-numeric" scope="col" key={metric.code}>
                <Link to={`/metrics/${metric.code}?org=${code}`}>{metric.name}</Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {members.map((row) => (
            <tr className="nhsuk-table__row" key={row.odsCode}>
              <th className="nhsuk-table__header" scope="row">
                <Link to={withAsAt(`/organisations/${row.odsCode}`, asAtParam)}>{row.name}</Link>
              </th>
              {metrics.map((metric) => (
                <td className="nhsuk-table__cell app-numeric" key={metric.code}>
                  {cell(row, metric.code, metric.unit)}
                </td>
              ))}
            </tr>
          ))}
          <tr className="nhsuk-table__row app-total-row">
            <th className="nhsuk-table__header" scope="row">
              {area.odsCode === 'X24' ? 'England' : area.name} (all members)
            </th>
            {metrics.map((metric) => (
              <td className="nhsuk-table__cell app-numeric" key={metric.code}>
                {cell(area, metric.code, metric.unit)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </TableContainer>
  );
}
