import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { roleScopeTier } from '../../domain/access.js';
import { organisationKindLabels } from '../../domain/organisation.js';
import type { Account } from '../api-client.js';
import { api } from '../api-client.js';
import { SelectField } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  SummaryList,
  TableContainer,
  usePageTitle,
} from '../components/page-parts.js';
import {
  AffordabilityTag,
  FlaggedTag,
  formatMoney,
  Gap,
  PlanningBreadcrumbs,
  roundYear,
  RoundStatusTag,
  useCatalogueLookup,
} from '../components/planning-parts.js';
import { formatLongDate } from '../format.js';
import { planningApi, type PlanningRoundBody, type RoundSummaryResponse } from '../planning-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

const englandCode = 'X24';

/** Plans by status, in the words the returns use. */
const statusWords: Record<string, string> = {
  'not-started': 'not started',
  draft: 'draft',
  submitted: 'submitted',
  approved: 'approved by ICB',
  accepted: 'accepted',
  locked: 'locked',
  returned: 'returned for correction',
};
const statusOrder = Object.keys(statusWords);

/**
 * The area a reader sees first: England for national roles, their region for regional roles, their ICB for
 * ICB leads; none for people who work for one organisation (their plan is elsewhere).
 */
function defaultArea(account: Account | null): string | null {
  const roles = account?.roles ?? [];
  if (roles.some((r) => roleScopeTier[r.role] === 'england')) return englandCode;
  const region = roles.find((r) => roleScopeTier[r.role] === 'region' && r.scope);
  if (region?.scope) return region.scope.odsCode;
  const icb = roles.find((r) => roleScopeTier[r.role] === 'icb' && r.scope);
  return icb?.scope?.odsCode ?? null;
}

/**
 * A round across a region or England: does each ICB system's plan fit its envelope? Each ICB with its plans
 * by status, whether its envelope is set, its gap, and revisions that help one member but worsen the system.
 */
export function PlanningRoundPage() {
  const { round: code = '' } = useParams();
  const [params] = useSearchParams();
  const { session } = useSession();
  const account = session?.account ?? null;
  const area = params.get('area')?.trim().toUpperCase() || defaultArea(account);
  const round = useApi((signal) => planningApi.round(code, signal), [code]);
  const summary = useApi(
    (signal) =>
      area && account
        ? planningApi.summary(code, area, signal)
        : Promise.resolve<RoundSummaryResponse | null>(null),
    [code, area, account?.id],
  );
  const title = round.status === 'ready' ? round.data.round.name : 'Planning round';
  usePageTitle(title, round.status === 'error' || summary.status === 'error');

  if (round.status === 'loading') return <Loading what="the planning round" />;
  if (round.status === 'error')
    return (
      <>
        <ApiErrorSummary error={round.error} />
        <PlanningBreadcrumbs />
        <h1>Planning round</h1>
      </>
    );
  const r = round.data.round;
  return (
    <>
      {summary.status === 'error' ? <ApiErrorSummary error={summary.error} /> : null}
      <PlanningBreadcrumbs />
      <h1>
        <span className="nhsuk-caption-l">
          Planning {roundYear(r)} <RoundStatusTag status={r.status} />
        </span>
        {r.name}
      </h1>
      {session === null ? <Loading what="who you are" /> : null}
      {session !== null && !account ? (
        <p className="nhsuk-lede-text">
          <Link to={`/sign-in?returnTo=${encodeURIComponent(`/planning/${r.code}`)}`}>Sign in</Link> to see
          the plans: they are not published.
        </p>
      ) : null}
      {account && !area ? <OwnOrganisations account={account} round={r} /> : null}
      {summary.status === 'loading' && area && account ? <Loading what="the systems' plans" /> : null}
      {summary.status === 'ready' && summary.data ? <Systems summary={summary.data} /> : null}
      {account ? <AreaPicker round={r} area={area} /> : null}
      <RoundDetails round={r} />
    </>
  );
}

function OwnOrganisations({ account, round }: { account: Account; round: PlanningRoundBody }) {
  const own = account.roles.flatMap((r) => (r.scope ? [r.scope] : []));
  return (
    <>
      <p className="nhsuk-lede-text">
        Regions and ICBs see their systems here. Your plans for {roundYear(round)}:
      </p>
      <ul className="nhsuk-list nhsuk-list--bullet">
        {own.map((scope) => (
          <li key={scope.odsCode}>
            <Link to={`/planning/${round.code}/plans/${scope.odsCode}`}>
              {scope.name} ({scope.odsCode})
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

function Systems({ summary }: { summary: RoundSummaryResponse }) {
  const { round, area, systems } = summary;
  const withEnvelope = systems.filter((s) => s.envelopeSet);
  const short = withEnvelope.filter((s) => s.affordable === false);
  const flagged = systems.reduce((sum, s) => sum + s.flaggedRevisions, 0);
  const totalGap = withEnvelope.reduce((sum, s) => sum + (s.gap ?? 0), 0);
  const areaName = area.odsCode === englandCode ? 'England' : area.name;
  return (
    <>
      <p className="nhsuk-lede-text" data-testid="round-lede">
        {systems.length === 0
          ? `No ICB in ${areaName} is asked for plans that you can see.`
          : `In ${areaName}, ${short.length} of ${withEnvelope.length} ${withEnvelope.length === 1 ? 'system' : 'systems'} with an envelope ${short.length === 1 ? 'does' : 'do'} not fit it (together ${formatMoney(totalGap)} against their control totals)${
              systems.length > withEnvelope.length
                ? `; ${systems.length - withEnvelope.length} ${systems.length - withEnvelope.length === 1 ? 'has' : 'have'} no envelope yet`
                : ''
            }. ${flagged === 0 ? 'No revision' : flagged === 1 ? 'One revision' : `${flagged} revisions`} ${flagged === 1 ? 'worsens its' : 'worsen their'} system.`}
      </p>
      {systems.length > 0 ? (
        <TableContainer label="Systems">
          <table className="nhsuk-table" data-testid="round-systems">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">
              Integrated care boards (ICBs) in {areaName}: plans against envelopes, {round.name}
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  ICB
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Plans by status
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Envelope
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Gap against control total
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Affordable
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Flagged revisions
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {systems.map((s) => (
                <tr className="nhsuk-table__row" key={s.icb.odsCode} data-testid={`system-${s.icb.odsCode}`}>
                  <th className="nhsuk-table__header" scope="row">
                    <Link to={`/planning/${round.code}/systems/${s.icb.odsCode}`}>{s.icb.name}</Link>{' '}
                    <span className="app-secondary">({s.icb.odsCode})</span>
                  </th>
                  <td className="nhsuk-table__cell">
                    {statusOrder
                      .filter((status) => (s.byStatus[status] ?? 0) > 0)
                      .map((status) => `${s.byStatus[status]} ${statusWords[status]}`)
                      .join(', ') || <Empty>No organisation asked</Empty>}
                    <span className="app-cell-note app-secondary">of {s.asked} asked</span>
                  </td>
                  <td className="nhsuk-table__cell">{s.envelopeSet ? 'Set' : <Empty>Not set</Empty>}</td>
                  <td className="nhsuk-table__cell app-numeric">
                    {s.gap === null ? <Empty>Not applicable</Empty> : <Gap gap={s.gap} />}
                  </td>
                  <td className="nhsuk-table__cell">
                    <AffordabilityTag affordable={s.affordable} />
                  </td>
                  <td className="nhsuk-table__cell app-numeric">
                    {s.flaggedRevisions > 0 ? (
                      <>
                        {s.flaggedRevisions} <FlaggedTag />
                      </>
                    ) : (
                      0
                    )}
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

function AreaPicker({ round, area }: { round: PlanningRoundBody; area: string | null }) {
  const navigate = useNavigate();
  const tree = useApi((signal) => api.tree({ asAt: round.yearStart, depth: 1 }, signal), [round.yearStart]);
  const [choice, setChoice] = useState<string | null>(null);
  const regions = tree.status === 'ready' ? tree.data.root.children.filter((c) => c.kind === 'region') : [];
  const options = [
    { value: englandCode, text: 'England' },
    ...regions
      .map((region) => ({ value: region.odsCode, text: region.name }))
      .sort((a, b) => a.text.localeCompare(b.text)),
  ];
  if (area && !options.some((o) => o.value === area)) options.push({ value: area, text: area });
  const value = choice ?? area ?? englandCode;
  return (
    <form
      className="app-as-at"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void navigate(`/planning/${round.code}?area=${encodeURIComponent(value)}`);
      }}
    >
      <SelectField
        id="area"
        label="Show the systems of"
        hint="England or one region"
        value={value}
        onChange={setChoice}
        options={options}
      />
      <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
        Show
      </button>
    </form>
  );
}

function RoundDetails({ round }: { round: PlanningRoundBody }) {
  const { itemName } = useCatalogueLookup();
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">What this round asks for, and when</span>
      </summary>
      <div className="nhsuk-details__text">
        <SummaryList
          rows={[
            { key: 'Financial year', value: roundYear(round) },
            { key: 'Opens', value: formatLongDate(round.opens) },
            { key: 'Plans due', value: formatLongDate(round.deadline) },
            { key: 'Closes', value: formatLongDate(round.closes) },
            ...Object.entries(round.items).map(([kind, items]) => ({
              key: `Planned by each ${(organisationKindLabels as Record<string, string | undefined>)[kind] ?? kind}`,
              value: (
                <ul className="nhsuk-list">
                  {items.map((item) => (
                    <li key={item}>
                      {itemName(item)} <span className="app-secondary">({item})</span>
                    </li>
                  ))}
                </ul>
              ),
            })),
          ]}
        />
        {round.guidance ? <p>{round.guidance}</p> : null}
      </div>
    </details>
  );
}
