import { Link } from 'react-router';
import { api } from '../api-client.js';
import { organisationKindLabels, type OrganisationKind } from '../../domain/organisation.js';
import { formatLongDate } from '../../domain/iso-date.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { useApi } from '../use-api.js';

const statusColours = { draft: 'grey', active: 'blue', retired: 'white' } as const;
const kinds = (list: readonly string[]) =>
  list.map((k) => organisationKindLabels[k as OrganisationKind] ?? k).join(', ');

/** What is asked of whom, and is every number collected once? Templates, then every item's lineage. */
export function TemplatesPage() {
  const templates = useApi((signal) => api.templates(signal), []);
  const lineage = useApi((signal) => api.lineage(signal), []);
  usePageTitle('Data collections', templates.status === 'error' || lineage.status === 'error');
  const flagged = lineage.status === 'ready' ? lineage.data.items.filter((i) => i.flaggedForRetirement) : [];
  const collected =
    lineage.status === 'ready' ? lineage.data.items.filter((i) => i.templates.length > 0) : [];
  return (
    <>
      <h1>Data collections</h1>
      {templates.status === 'error' ? <ApiErrorSummary error={templates.error} /> : null}
      {templates.status === 'loading' ? <Loading what="the collection templates" /> : null}
      {templates.status === 'ready' ? (
        <>
          <p className="nhsuk-lede-text" data-testid="templates-lede">
            {templates.data.templates.filter((t) => t.status === 'active').length} active collection
            templates;{' '}
            {flagged.length === 0
              ? 'every item they collect is used by a metric.'
              : `${flagged.length} collected item${flagged.length === 1 ? ' is' : 's are'} used by nothing.`}{' '}
            No two active templates collect the same item from the same kind of organisation for the same
            period.
          </p>
          {templates.data.templates.length === 0 ? (
            <p>
              No collection templates yet. National directors add them with the API or `oversight templates
              create`.
            </p>
          ) : (
            <TableContainer label="Collection templates">
              <table className="nhsuk-table" data-testid="templates-table">
                <caption className="nhsuk-table__caption nhsuk-table__caption--m">
                  Collection templates
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th className="nhsuk-table__header" scope="col">
                      Template
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Status
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Asked of
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Every
                    </th>
                    <th className="nhsuk-table__header app-numeric" scope="col">
                      Items
                    </th>
                    <th className="nhsuk-table__header" scope="col">
                      Now collecting
                    </th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {templates.data.templates.map((t) => (
                    <tr className="nhsuk-table__row" key={t.code}>
                      <td className="nhsuk-table__cell">
                        {t.status === 'active' ? <Link to={`/collections/${t.code}`}>{t.name}</Link> : t.name}{' '}
                        <span className="app-secondary">{t.code}</span>
                      </td>
                      <td className="nhsuk-table__cell">
                        <Tag colour={statusColours[t.status]}>
                          {t.status === 'draft' ? 'Draft' : t.status === 'active' ? 'Active' : 'Retired'}
                        </Tag>
                      </td>
                      <td className="nhsuk-table__cell">{kinds(t.organisationKinds)}</td>
                      <td className="nhsuk-table__cell">
                        {t.periodType === 'financial-year' ? 'year' : t.periodType}
                      </td>
                      <td className="nhsuk-table__cell app-numeric">{t.items.length}</td>
                      <td className="nhsuk-table__cell">
                        {t.current ? (
                          <>
                            {t.current.label}: due {formatLongDate(t.current.deadline)}
                            <br />
                            <span className="app-secondary">closes {formatLongDate(t.current.closes)}</span>
                          </>
                        ) : (
                          <Empty>Not collecting</Empty>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableContainer>
          )}
        </>
      ) : null}
      {lineage.status === 'ready' && collected.length > 0 ? (
        <TableContainer label="Lineage">
          <table className="nhsuk-table" data-testid="lineage-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">
              Lineage: who collects each item, and what uses it
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Data item
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Collected by
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Used by metrics
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Oversight methodologies
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {collected.map((i) => (
                <tr className="nhsuk-table__row" key={i.item}>
                  <td className="nhsuk-table__cell">
                    {i.name} <span className="app-secondary">{i.item}</span>
                    {i.flaggedForRetirement ? (
                      <>
                        <br />
                        <Tag colour="orange">Used by nothing: stop collecting?</Tag>
                      </>
                    ) : null}
                  </td>
                  <td className="nhsuk-table__cell">
                    {i.templates.map((t) => `${t.name} (${t.status})`).join('; ')}
                  </td>
                  <td className="nhsuk-table__cell">
                    {i.metrics.length > 0 ? i.metrics.join(', ') : <Empty>None</Empty>}
                  </td>
                  <td className="nhsuk-table__cell">
                    {i.methodologies.length > 0 ? i.methodologies.join(', ') : <Empty>None</Empty>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      ) : null}
    </>
  );
}

/** What is asked of one organisation this financial year, against last year: one line and a table. */
export function BurdenSummary({ code }: { code: string }) {
  const state = useApi((signal) => api.burden(code, undefined, signal), [code]);
  if (state.status !== 'ready' || state.data.returns + state.data.previousYear.returns === 0) return null;
  const b = state.data;
  const sign = b.change.items > 0 ? '+' : '';
  return (
    <p data-testid="burden">
      Asked of it in {b.year.label}: {b.returns} returns, {b.items.toLocaleString('en-GB')} data items (
      {b.previousYear.label}: {b.previousYear.returns} returns, {b.previousYear.items.toLocaleString('en-GB')}{' '}
      items; {sign}
      {b.change.items.toLocaleString('en-GB')} items
      {b.change.itemsPercent === null ? '' : `, ${sign}${b.change.itemsPercent}%`}).
    </p>
  );
}
