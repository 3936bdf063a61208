import { Link, useSearchParams } from 'react-router';
import { organisationKindLabels, organisationKinds } from '../../domain/organisation.js';
import { api } from '../api-client.js';
import { ApiErrorSummary, Loading, ProvenanceTag, usePageTitle } from '../components/page-parts.js';
import { formatCount, formatLongDate, withAsAt } from '../format.js';
import { useApi } from '../use-api.js';

const pageSize = 50;

/** Find an organisation by name (current or former) or ODS code, among those open on a date. */
export function SearchPage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const kind = params.get('kind') ?? '';
  const asAt = params.get('asAt') ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const state = useApi(
    (signal) =>
      q === ''
        ? Promise.resolve(null)
        : api.search(
            { q, asAt, kind: kind || undefined, limit: pageSize, offset: (page - 1) * pageSize },
            signal,
          ),
    [q, kind, asAt, page],
  );
  usePageTitle(q ? `Organisations matching “${q}”` : 'Find an organisation', state.status === 'error');

  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    return `/search?${next.toString()}`;
  };

  return (
    <>
      {state.status === 'error' ? <ApiErrorSummary error={state.error} fieldIds={{ q: 'search-q' }} /> : null}
      <h1>Find an organisation</h1>
      <form action="/search" method="get" noValidate>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="search-q">
            Name or ODS code
          </label>
          <div className="nhsuk-hint" id="search-q-hint">
            Former names are searched too, for example “Poole Hospital” or “RD3”.
          </div>
          <input
            className="nhsuk-input nhsuk-u-width-two-thirds"
            id="search-q"
            name="q"
            type="search"
            defaultValue={q}
            aria-describedby="search-q-hint"
          />
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="search-kind">
            Type of organisation
          </label>
          <select className="nhsuk-select" id="search-kind" name="kind" defaultValue={kind}>
            <option value="">Any type</option>
            {organisationKinds.map((k) => (
              <option value={k} key={k}>
                {organisationKindLabels[k]}
              </option>
            ))}
          </select>
        </div>
        {asAt ? <input type="hidden" name="asAt" value={asAt} /> : null}
        <button className="nhsuk-button" type="submit">
          Search
        </button>
      </form>

      {q === '' ? null : state.status === 'loading' ? (
        <Loading what="results" />
      ) : state.status === 'ready' && state.data ? (
        <>
          <h2 aria-live="polite">
            {formatCount(state.data.total)} {state.data.total === 1 ? 'organisation' : 'organisations'} open
            on {formatLongDate(state.data.asAt)} match “{q}”
          </h2>
          {state.data.organisations.length > 0 ? (
            <table className="nhsuk-table-responsive">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Search results</caption>
              <thead role="rowgroup" className="nhsuk-table__head">
                <tr role="row">
                  <th role="columnheader" scope="col">
                    Name
                  </th>
                  <th role="columnheader" scope="col">
                    ODS code
                  </th>
                  <th role="columnheader" scope="col">
                    Type
                  </th>
                  <th role="columnheader" scope="col">
                    Part of
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {state.data.organisations.map((organisation) => (
                  <tr role="row" className="nhsuk-table__row" key={organisation.odsCode}>
                    <td role="cell" className="nhsuk-table__cell">
                      <span className="nhsuk-table-responsive__heading" aria-hidden="true">
                        Name{' '}
                      </span>
                      <Link to={withAsAt(`/organisations/${organisation.odsCode}`, asAt)}>
                        {organisation.name}
                      </Link>{' '}
                      <ProvenanceTag provenance={organisation.provenance} />
                    </td>
                    <td role="cell" className="nhsuk-table__cell">
                      <span className="nhsuk-table-responsive__heading" aria-hidden="true">
                        ODS code{' '}
                      </span>
                      {organisation.odsCode}
                    </td>
                    <td role="cell" className="nhsuk-table__cell">
                      <span className="nhsuk-table-responsive__heading" aria-hidden="true">
                        Type{' '}
                      </span>
                      {organisation.kindLabel}
                    </td>
                    <td role="cell" className="nhsuk-table__cell">
                      <span className="nhsuk-table-responsive__heading" aria-hidden="true">
                        Part of{' '}
                      </span>
                      {organisation.parentCode ? (
                        <Link to={withAsAt(`/organisations/${organisation.parentCode}`, asAt)}>
                          {organisation.parentCode}
                        </Link>
                      ) : (
                        '–'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>
              Check the spelling, try part of the name, or choose another date: closed organisations only
              appear on dates when they were open.
            </p>
          )}
          {state.data.total > pageSize ? (
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
          ) : null}
        </>
      ) : null}
    </>
  );
}
