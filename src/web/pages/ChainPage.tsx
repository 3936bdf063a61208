import { Link, useSearchParams } from 'react-router';
import { ChainSteps } from '../components/intervention-parts.js';
import { ApiErrorSummary, Loading, usePageTitle } from '../components/page-parts.js';
import { interventionsApi } from '../interventions-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { intervenerRoles } from './InterventionsPage.js';

/**
 * What did this signal lead to? From an organisation's SPC point for a metric in a month: the segment that
 * quarter, the interventions recorded from it, and the programmes and mutual aid they led to.
 */
export function ChainPage() {
  const [params] = useSearchParams();
  const organisation = params.get('organisation')?.toUpperCase() ?? '';
  const metric = params.get('metric') ?? '';
  const period = params.get('period') ?? '';
  const methodology = params.get('methodology') ?? undefined;
  const { session } = useSession();
  const state = useApi(
    (signal) =>
      interventionsApi.chain(
        { organisation, metric, period, ...(methodology ? { methodology } : {}) },
        signal,
      ),
    [organisation, metric, period, methodology, session?.account?.id],
  );
  usePageTitle('What a signal led to', state.status === 'error');
  const mayRecord = session?.account?.roles.some((r) => intervenerRoles.includes(r.role)) ?? false;
  if (state.status === 'loading') return <Loading what="the chain from this signal" />;
  if (state.status === 'error')
    return (
      <>
        <ApiErrorSummary error={state.error} />
        <h1>What a signal led to</h1>
      </>
    );
  const { chain } = state.data;
  const signal = chain.signals[0];
  const concern = signal?.pointType === 'special_cause_concern';
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__item">
            <Link className="nhsuk-breadcrumb__link" to="/interventions">
              Interventions
            </Link>
          </li>
          <li className="nhsuk-breadcrumb__item">
            <Link className="nhsuk-breadcrumb__link" to={`/organisations/${chain.organisation.odsCode}`}>
              {chain.organisation.name}
            </Link>
          </li>
        </ol>
      </nav>
      <h1>
        What this signal led to: {signal?.metric.name ?? metric}, {signal?.label ?? period}
      </h1>
      <p className="nhsuk-lede-text" data-testid="chain-lede">
        {chain.interventions.length === 0
          ? `${chain.organisation.name}: no intervention you can see was recorded from this signal.`
          : `${chain.organisation.name}: ${chain.interventions.length} intervention${chain.interventions.length === 1 ? '' : 's'} recorded from this signal or the segment change it fed, leading to ${chain.programmes.length} programme${chain.programmes.length === 1 ? '' : 's'}.`}
      </p>
      <ChainSteps chain={chain} />
      {mayRecord && concern ? (
        <p>
          <Link
            className="nhsuk-button nhsuk-button--secondary"
            role="button"
            draggable="false"
            to={`/interventions/new?${new URLSearchParams({ organisation, metric, period }).toString()}`}
          >
            Record an intervention from this signal
          </Link>
        </p>
      ) : null}
    </>
  );
}
