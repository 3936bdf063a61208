import { api } from '../api-client.js';
import { ApiErrorSummary, Empty, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import { formatCount, formatLongDate } from '../format.js';
import { useApi } from '../use-api.js';

interface StoredSummary {
  rowsRead?: number;
  stored?: { inserted?: number; superseded?: number };
  quarantine?: { rows?: number; codes?: unknown[] };
  layout?: string;
  generated?: number;
}

/** Where the figures came from: every import, what it stored, and what waits in quarantine. */
export function ImportsPage() {
  const state = useApi((signal) => api.imports(signal), []);
  usePageTitle('Imports and quarantine', state.status === 'error');
  return (
    <>
      {state.status === 'error' ? <ApiErrorSummary error={state.error} /> : null}
      <h1>Imports and quarantine</h1>
      <p className="nhsuk-lede-text">
        Every published file imported, what it stored, and the figures held back because their organisation
        code is not known here.
      </p>
      {state.status === 'loading' ? <Loading what="imports" /> : null}
      {state.status === 'ready' ? (
        <>
          <TableContainer label="Imports">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--m">
                Imports ({state.data.imports.length})
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    File
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Imported
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Rows
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    New values
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Revised
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Held
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {state.data.imports.map((run) => {
                  const summary = run.summary as StoredSummary;
                  return (
                    <tr className="nhsuk-table__row" key={run.id}>
                      <td className="nhsuk-table__cell">
                        {run.fileName}
                        <br />
                        <span className="app-secondary">
                          {summary.layout ??
                            (run.provenance === 'demo' ? 'Generated demonstration figures' : run.source)}
                        </span>
                      </td>
                      <td className="nhsuk-table__cell">{formatLongDate(run.finishedAt.slice(0, 10))}</td>
                      <td className="nhsuk-table__cell app-numeric">
                        {summary.rowsRead === undefined ? (
                          <Empty>Not applicable</Empty>
                        ) : (
                          formatCount(summary.rowsRead)
                        )}
                      </td>
                      <td className="nhsuk-table__cell app-numeric">
                        {formatCount(summary.stored?.inserted ?? summary.generated ?? 0)}
                      </td>
                      <td className="nhsuk-table__cell app-numeric">
                        {formatCount(summary.stored?.superseded ?? 0)}
                      </td>
                      <td className="nhsuk-table__cell app-numeric">
                        {formatCount(summary.quarantine?.rows ?? 0)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableContainer>
          <h2>Quarantine</h2>
          {state.data.quarantine.length === 0 ? (
            <p>Nothing is held: every organisation code in the imported files is known.</p>
          ) : (
            <>
              <p>
                Figures for {formatCount(state.data.quarantine.length)} organisation code
                {state.data.quarantine.length === 1 ? '' : 's'} are held until someone says what each code is.
                Resolve them with <code>oversight quarantine resolve</code> (a successor organisation, or an
                independent provider).
              </p>
              <TableContainer label="Quarantine">
                <table className="nhsuk-table">
                  <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                    Codes held in quarantine
                  </caption>
                  <thead className="nhsuk-table__head">
                    <tr className="nhsuk-table__row">
                      <th className="nhsuk-table__header" scope="col">
                        Code
                      </th>
                      <th className="nhsuk-table__header" scope="col">
                        Name in the file
                      </th>
                      <th className="nhsuk-table__header app-numeric" scope="col">
                        Values
                      </th>
                      <th className="nhsuk-table__header" scope="col">
                        Months
                      </th>
                    </tr>
                  </thead>
                  <tbody className="nhsuk-table__body">
                    {state.data.quarantine.slice(0, 200).map((code) => (
                      <tr className="nhsuk-table__row" key={code.odsCode}>
                        <td className="nhsuk-table__cell">{code.odsCode}</td>
                        <td className="nhsuk-table__cell">
                          {code.orgName ?? <Empty>Not in the file</Empty>}
                        </td>
                        <td className="nhsuk-table__cell app-numeric">{formatCount(code.rows)}</td>
                        <td className="nhsuk-table__cell">
                          {formatLongDate(code.firstPeriod)} to {formatLongDate(code.lastPeriod)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableContainer>
            </>
          )}
        </>
      ) : null}
    </>
  );
}
