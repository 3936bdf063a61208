import { Link, useSearchParams } from 'react-router';
import { roleScopeTier } from '../../domain/access.js';
import { api } from '../api-client.js';
import { ApiErrorSummary, Loading, TableContainer, usePageTitle } from '../components/page-parts.js';
import { isCommissionerKind, roundYear, RoundStatusTag } from '../components/planning-parts.js';
import { formatLongDate } from '../format.js';
import { planningApi, type PlanningRoundBody } from '../planning-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

/** An organisation whose plans the reader may want: one they work for, or the one they came from. */
interface PlanOwner {
  odsCode: string;
  name: string;
  /** Providers and commissioners plan; a region or England is an area with systems under it. */
  role: 'provider' | 'commissioner' | 'area';
}

/**
 * Which planning rounds there are, which is open and when its plans are due; then, for the reader's own
 * organisations (or the one they came from), the way to each plan, its system and plan against actual.
 */
export function PlanningRoundsPage() {
  const [params] = useSearchParams();
  const org = params.get('org')?.trim().toUpperCase() ?? '';
  const { session } = useSession();
  const rounds = useApi((signal) => planningApi.rounds(signal), [session?.account?.id]);
  const profile = useApi(
    (signal) => (org ? api.organisation(org, undefined, signal) : Promise.resolve(null)),
    [org],
  );
  usePageTitle('Planning rounds', rounds.status === 'error');

  const owners: PlanOwner[] = [];
  if (profile.status === 'ready' && profile.data)
    owners.push({
      odsCode: profile.data.organisation.odsCode,
      name: profile.data.organisation.name,
      role: isCommissionerKind(profile.data.organisation.kind)
        ? 'commissioner'
        : ['region', 'national-body'].includes(profile.data.organisation.kind)
          ? 'area'
          : 'provider',
    });
  for (const role of session?.account?.roles ?? []) {
    const tier = roleScopeTier[role.role];
    if (!role.scope || (tier !== 'organisation' && tier !== 'icb')) continue;
    if (owners.some((o) => o.odsCode === role.scope?.odsCode)) continue;
    owners.push({
      odsCode: role.scope.odsCode,
      name: role.scope.name,
      role: tier === 'icb' ? 'commissioner' : 'provider',
    });
  }

  if (rounds.status === 'loading') return <Loading what="the planning rounds" />;
  if (rounds.status === 'error')
    return (
      <>
        <ApiErrorSummary error={rounds.error} />
        <h1>Planning rounds</h1>
      </>
    );
  const list = [...rounds.data.rounds].sort((a, b) => b.yearStart.localeCompare(a.yearStart));
  const open = list.filter((r) => r.status === 'open');
  const upcoming = list.filter((r) => r.status === 'upcoming').sort((a, b) => a.opens.localeCompare(b.opens));
  return (
    <>
      <h1>Planning rounds</h1>
      <p className="nhsuk-lede-text" data-testid="rounds-lede">
        {open.length > 0
          ? `${open.length === 1 ? 'One round is' : `${open.length} rounds are`} open: ${open
              .map((r) => `${r.name}, plans due ${formatLongDate(r.deadline)}`)
              .join('; ')}.`
          : upcoming[0]
            ? `No round is open now. ${upcoming[0].name} opens on ${formatLongDate(upcoming[0].opens)}.`
            : list.length > 0
              ? 'No round is open now.'
              : 'There are no planning rounds yet: national directors add them.'}
      </p>
      <p>
        Each organisation plans its activity, performance, workforce and money month by month for a financial
        year, and the services it agrees with other organisations. Each integrated care board (ICB)
        system&apos;s plans together must fit the envelope its region sets.
      </p>
      {list.length > 0 ? <RoundsTable rounds={list} /> : null}
      {owners.length > 0 && list.length > 0 ? <OwnPlans owners={owners} rounds={list} /> : null}
      {profile.status === 'error' ? <ApiErrorSummary error={profile.error} /> : null}
    </>
  );
}

function RoundsTable({ rounds }: { rounds: PlanningRoundBody[] }) {
  return (
    <TableContainer label="Planning rounds">
      <table className="nhsuk-table" data-testid="rounds-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">Rounds, latest year first</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Round
            </th>
            <th className="nhsuk-table__header" scope="col">
              Financial year
            </th>
            <th className="nhsuk-table__header" scope="col">
              Status
            </th>
            <th className="nhsuk-table__header" scope="col">
              Opens
            </th>
            <th className="nhsuk-table__header" scope="col">
              Plans due
            </th>
            <th className="nhsuk-table__header" scope="col">
              Closes
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rounds.map((round) => (
            <tr className="nhsuk-table__row" key={round.code}>
              <td className="nhsuk-table__cell">
                <Link to={`/planning/${round.code}`}>{round.name}</Link>
              </td>
              <td className="nhsuk-table__cell">{roundYear(round)}</td>
              <td className="nhsuk-table__cell">
                <RoundStatusTag status={round.status} />
              </td>
              <td className="nhsuk-table__cell">{formatLongDate(round.opens)}</td>
              <td className="nhsuk-table__cell">{formatLongDate(round.deadline)}</td>
              <td className="nhsuk-table__cell">{formatLongDate(round.closes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function OwnPlans({ owners, rounds }: { owners: PlanOwner[]; rounds: PlanningRoundBody[] }) {
  return (
    <section aria-labelledby="own-plans-heading" data-testid="own-plans">
      <h2 id="own-plans-heading">Plans by organisation</h2>
      {owners.map((owner) => (
        <div key={owner.odsCode}>
          <h3>
            {owner.name} <span className="app-secondary">({owner.odsCode})</span>
          </h3>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {rounds.map((round) => (
              <li key={round.code}>
                {round.name}:{' '}
                {owner.role === 'area' ? (
                  <Link to={`/planning/${round.code}?area=${owner.odsCode}`}>
                    systems against their envelopes
                  </Link>
                ) : (
                  <Link to={`/planning/${round.code}/plans/${owner.odsCode}`}>
                    plan<span className="nhsuk-u-visually-hidden"> of {owner.name}</span>
                  </Link>
                )}
                {owner.role === 'commissioner' ? (
                  <>
                    {', '}
                    <Link to={`/planning/${round.code}/systems/${owner.odsCode}`}>
                      system against its envelope
                    </Link>
                  </>
                ) : null}
                {', '}
                <Link to={`/planning/${round.code}/variance/${owner.odsCode}`}>
                  plan against actual<span className="nhsuk-u-visually-hidden"> for {owner.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
