import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api-client.js';
import { TextField } from '../components/form-parts.js';
import { ApiErrorSummary, Loading, TableContainer, Tag, usePageTitle } from '../components/page-parts.js';
import { ReturnStatusTag, returnPeriodLabel, useTemplatesByCode } from '../components/return-parts.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

/** Which returns can I see? Published ones, and unpublished ones within my roles' scope. */
export function ReturnsPage() {
  const [params, setParams] = useSearchParams();
  const org = params.get('org') ?? '';
  const [orgInput, setOrgInput] = useState(org);
  const { session } = useSession();
  const returns = useApi(
    (signal) => api.submissions(org ? { org } : {}, signal),
    [org, session?.account?.id],
  );
  const templates = useTemplatesByCode();
  usePageTitle('Returns', returns.status === 'error');
  const canSubmit = session?.account?.roles.some((r) => r.role === 'trust-data-submitter') ?? false;

  const filter = (event: FormEvent) => {
    event.preventDefault();
    setParams(orgInput.trim() ? { org: orgInput.trim().toUpperCase() } : {});
  };

  return (
    <>
      {returns.status === 'error' ? <ApiErrorSummary error={returns.error} /> : null}
      <h1>Returns</h1>
      <p className="nhsuk-lede-text">
        Figures organisations submit. Each is approved by its integrated care board (ICB), then accepted and
        locked by its region; reporting uses the accepted version. Published returns are open to everyone;
        others only to the organisation and those above it, as the hierarchy stood in the return&apos;s
        period.
        {session && !session.account ? (
          <>
            {' '}
            <Link to="/sign-in?returnTo=/returns">Sign in</Link> to see returns that are not published.
          </>
        ) : null}
      </p>
      <p>
        <Link to="/collections">Data collections</Link>: what is asked of whom and when, and where each item
        is used.
      </p>
      {canSubmit ? (
        <Link className="nhsuk-button" to="/returns/new">
          Submit a return
        </Link>
      ) : null}
      <form onSubmit={filter} noValidate>
        <TextField
          id="org"
          label="Organisation (ODS code)"
          width={10}
          value={orgInput}
          onChange={setOrgInput}
        />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Show returns
        </button>
      </form>
      {returns.status === 'loading' ? <Loading what="returns" /> : null}
      {returns.status === 'ready' ? (
        returns.data.submissions.length === 0 ? (
          <p>There are no returns you can see{org ? ` for ${org}` : ''}.</p>
        ) : (
          <TableContainer label="Returns">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--m">
                Returns ({returns.data.submissions.length})
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Return
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Organisation
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Period
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Status
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Version
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {returns.data.submissions.map((s) => (
                  <tr className="nhsuk-table__row" key={s.id}>
                    <td className="nhsuk-table__cell">
                      <Link to={`/returns/${s.id}`}>{templates.get(s.template)?.name ?? s.template}</Link>{' '}
                      <span className="app-secondary">{s.template}</span>
                      {s.statutoryFunction ? (
                        <>
                          {' '}
                          <Tag colour="purple">{s.statutoryFunction.toUpperCase()}</Tag>
                        </>
                      ) : null}
                    </td>
                    <td className="nhsuk-table__cell">
                      <Link to={`/organisations/${s.odsCode}`}>{s.odsCode}</Link>
                    </td>
                    <td className="nhsuk-table__cell">
                      {returnPeriodLabel(templates.get(s.template)?.periodType, s.periodStart)}
                    </td>
                    <td className="nhsuk-table__cell">
                      <ReturnStatusTag status={s.status} />
                      {s.published ? (
                        <>
                          {' '}
                          <Tag colour="purple">Published</Tag>
                        </>
                      ) : null}
                    </td>
                    <td className="nhsuk-table__cell app-numeric">
                      {s.version === 0 ? <span className="app-secondary">Not submitted</span> : s.version}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableContainer>
        )
      ) : null}
    </>
  );
}
