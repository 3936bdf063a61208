import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiErrorSummary, Loading, usePageTitle } from '../components/page-parts.js';
import { InterventionsTable } from '../components/intervention-parts.js';
import { interventionsApi } from '../interventions-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

/** Roles that may record interventions (the policy decides for each organisation). */
export const intervenerRoles = ['national-director', 'regional-director', 'regional-team'];

/**
 * Which organisations are under an intervention now, why, and is anything overdue? The register as far as
 * the reader may see it (those of a statutory function need its grant), filtered by area and status.
 */
export function InterventionsPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const organisation = params.get('organisation')?.toUpperCase() ?? '';
  const status = params.get('status') ?? 'open';
  const { session } = useSession();
  const state = useApi(
    (signal) =>
      interventionsApi.list(
        { ...(organisation ? { organisation } : {}), ...(status === 'all' ? {} : { status }) },
        signal,
      ),
    [organisation, status, session?.account?.id],
  );
  const [area, setArea] = useState(organisation);
  usePageTitle('Interventions', state.status === 'error');
  const mayRecord = session?.account?.roles.some((r) => intervenerRoles.includes(r.role)) ?? false;
  const search = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (area.trim()) next.set('organisation', area.trim().toUpperCase());
    next.set('status', status);
    void navigate(`/interventions?${next.toString()}`);
  };
  const statusLink = (value: string, text: string) =>
    value === status ? (
      <strong>{text}</strong>
    ) : (
      <Link
        to={`/interventions?${new URLSearchParams({ ...(organisation ? { organisation } : {}), status: value }).toString()}`}
      >
        {text}
      </Link>
    );

  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__item">
            <Link className="nhsuk-breadcrumb__link" to="/accountability">
              Accountability
            </Link>
          </li>
        </ol>
      </nav>
      <h1>Interventions</h1>
      {state.status === 'error' ? <ApiErrorSummary error={state.error} /> : null}
      {state.status === 'loading' ? <Loading what="the interventions" /> : null}
      {state.status === 'ready' ? (
        <p className="nhsuk-lede-text" data-testid="interventions-lede">
          {state.data.interventions.length === 0
            ? `No ${status === 'all' ? '' : `${status === 'open' ? 'open' : 'ended'} `}interventions you can see${organisation ? ` in ${organisation}` : ''}.`
            : `${state.data.interventions.length} ${status === 'exited' ? 'ended' : status === 'open' ? 'open' : ''} intervention${state.data.interventions.length === 1 ? '' : 's'}${organisation ? ` in ${organisation}` : ''}; ${state.data.interventions.filter((i) => i.reviewOverdue).length} with a review overdue.`}
        </p>
      ) : null}
      <p>
        One register of support and regulatory interventions, each linked to the signal in the data that
        triggered it. Those taken under a statutory function are shown only to people granted it.
      </p>
      {mayRecord ? (
        <p>
          <Link className="nhsuk-button" to="/interventions/new" role="button" draggable="false">
            Record an intervention
          </Link>
        </p>
      ) : null}
      <form className="app-filter" onSubmit={search} noValidate>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="area">
            Organisation or area (ODS code)
          </label>
          <div className="nhsuk-hint" id="area-hint">
            A region, ICB or trust: shows its interventions and those of everything under it.
          </div>
          <input
            className="nhsuk-input nhsuk-input--width-10"
            id="area"
            aria-describedby="area-hint"
            value={area}
            onChange={(e) => setArea(e.target.value)}
          />
        </div>
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Show
        </button>
      </form>
      <p>
        Show: {statusLink('open', 'open')} · {statusLink('exited', 'ended')} · {statusLink('all', 'all')}
      </p>
      {state.status === 'ready' && state.data.interventions.length > 0 ? (
        <InterventionsTable
          interventions={state.data.interventions}
          caption="Interventions, soonest review first"
        />
      ) : null}
    </>
  );
}
