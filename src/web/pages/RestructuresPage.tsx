import { Link, useSearchParams } from 'react-router';
import { hierarchyEventLabels, hierarchyEventTypes } from '../../domain/hierarchy-event.js';
import { api } from '../api-client.js';
import { ApiErrorSummary, Loading, usePageTitle, TableContainer } from '../components/page-parts.js';
import { formatCount, formatLongDate } from '../format.js';
import { useApi } from '../use-api.js';

const pageSize = 100;

/** The timeline of changes to the hierarchy: restructures, mergers, openings and closures. */
export function RestructuresPage() {
  const [params] = useSearchParams();
  const type = params.get('type') ?? '';
  const year = params.get('year') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const state = useApi(
    (signal) =>
      api.timeline(
        {
          type: type || undefined,
          from: year ? `${year}-01-01` : undefined,
          to: year ? `${year}-12-31` : undefined,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        },
        signal,
      ),
    [type, year, page],
  );
  usePageTitle('Restructures and changes', state.status === 'error');
  const years = Array.from({ length: new Date().getFullYear() - 2012 }, (_, i) => String(2013 + i)).reverse();
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    return `/hierarchy/events?${next.toString()}`;
  };

  return (
    <>
      {state.status === 'error' ? <ApiErrorSummary error={state.error} /> : null}
      <h1>Restructures and changes</h1>
      <p className="nhsuk-lede-text">
        Every change to the NHS structure is recorded as a dated event with its reason; nothing is
        overwritten. This is how the service answers what the NHS looked like on any date.
      </p>
      <form action="/hierarchy/events" method="get" noValidate>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-half">
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="event-type">
                Change
              </label>
              <select className="nhsuk-select" id="event-type" name="type" defaultValue={type}>
                <option value="">All changes</option>
                {hierarchyEventTypes.map((t) => (
                  <option value={t} key={t}>
                    {hierarchyEventLabels[t]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="nhsuk-grid-column-one-half">
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="event-year">
                Year
              </label>
              <select className="nhsuk-select" id="event-year" name="year" defaultValue={year}>
                <option value="">All years</option>
                {years.map((y) => (
                  <option value={y} key={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Show changes
        </button>
      </form>

      {state.status === 'loading' ? (
        <Loading what="changes" />
      ) : state.status === 'ready' ? (
        <>
          <TableContainer label="Changes">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--m">
                {formatCount(state.data.total)} {state.data.total === 1 ? 'change' : 'changes'}
                {state.data.total > pageSize
                  ? `, ${formatCount((page - 1) * pageSize + 1)} to ${formatCount(Math.min(page * pageSize, state.data.total))} shown`
                  : ''}
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Date
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Change
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Organisations
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Reason
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {state.data.events.map((event) => (
                  <tr className="nhsuk-table__row" key={event.id}>
                    <td className="nhsuk-table__cell">{formatLongDate(event.effectiveDate)}</td>
                    <td className="nhsuk-table__cell">{event.typeLabel}</td>
                    <td className="nhsuk-table__cell">
                      {event.participants
                        .filter((p) => p.role !== 'moved-child')
                        .map((p, index) => (
                          <span key={`${p.odsCode}-${p.role}`}>
                            {index > 0 ? ', ' : ''}
                            <Link to={`/organisations/${p.odsCode}?asAt=${event.effectiveDate}`}>
                              {p.name}
                            </Link>
                            {p.role === 'subject' ? '' : ` (${p.role.replace('-', ' ')})`}
                          </span>
                        ))}
                    </td>
                    <td className="nhsuk-table__cell">{event.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableContainer>
          <nav className="nhsuk-pagination" role="navigation" aria-label="Pagination">
            <ul className="nhsuk-list nhsuk-pagination__list">
              {page > 1 ? (
                <li className="nhsuk-pagination-item--previous">
                  <Link
                    className="nhsuk-pagination__link nhsuk-pagination__link--prev"
                    to={pageLink(page - 1)}
                  >
                    <span className="nhsuk-pagination__title">Previous</span>
                    <span className="nhsuk-u-visually-hidden">:</span>
                    <span className="nhsuk-pagination__page">Page {page - 1}</span>
                  </Link>
                </li>
              ) : null}
              {page * pageSize < state.data.total ? (
                <li className="nhsuk-pagination-item--next">
                  <Link
                    className="nhsuk-pagination__link nhsuk-pagination__link--next"
                    to={pageLink(page + 1)}
                  >
                    <span className="nhsuk-pagination__title">Next</span>
                    <span className="nhsuk-u-visually-hidden">:</span>
                    <span className="nhsuk-pagination__page">Page {page + 1}</span>
                  </Link>
                </li>
              ) : null}
            </ul>
          </nav>
        </>
      ) : null}
    </>
  );
}
