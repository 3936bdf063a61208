import { Link } from 'react-router';
import { api } from '../api-client.js';
import { ReturnStatusTag, returnPeriodLabel, useTemplatesByCode } from './return-parts.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { Loading, TableContainer } from './page-parts.js';

/** The returns of one organisation the reader may see: published ones, and the rest within their roles. */
export function OrganisationReturns({ code }: { code: string }) {
  const { session } = useSession();
  const state = useApi((signal) => api.submissions({ org: code }, signal), [code, session?.account?.id]);
  const templates = useTemplatesByCode();
  if (state.status === 'loading') return <Loading what="returns" />;
  if (state.status === 'error') return null;
  const returns = state.data.submissions.slice(0, 12);
  return (
    <section aria-labelledby="returns-heading">
      <h2 id="returns-heading">Returns</h2>
      {returns.length === 0 ? (
        <p>
          No returns you can see.{' '}
          {session && !session.account ? (
            <Link to={`/sign-in?returnTo=/organisations/${code}`}>Sign in</Link>
          ) : null}
        </p>
      ) : (
        <TableContainer label="Returns">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Latest returns</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Return
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Period
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {returns.map((s) => (
                <tr className="nhsuk-table__row" key={s.id}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/returns/${s.id}`}>{templates.get(s.template)?.name ?? s.template}</Link>
                  </td>
                  <td className="nhsuk-table__cell">
                    {returnPeriodLabel(templates.get(s.template)?.periodType, s.periodStart)}
                  </td>
                  <td className="nhsuk-table__cell">
                    <ReturnStatusTag status={s.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
      <p>
        <Link to={`/returns?org=${code}`}>All returns of {code}</Link>
      </p>
    </section>
  );
}
