import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, toApiError } from '../api-client.js';
import { GapDriversChart, type DriverBar } from '../charts/GapDriversChart.js';
import { exactFieldError, TextField } from '../components/form-parts.js';
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
  CellInput,
  CellSelect,
  CsvDownload,
  figureText,
  FlaggedTag,
  formatMoney,
  formatMoneyChange,
  formatQuantity,
  Gap,
  parseFigure,
  partyLabels,
  PlanningBreadcrumbs,
  roundItemCodes,
  useCatalogueLookup,
  useReloadable,
} from '../components/planning-parts.js';
import { ReturnStatusTag } from '../components/return-parts.js';
import {
  planningApi,
  type PlanningRoundBody,
  type SystemDriverBody,
  type SystemPlanResponse,
} from '../planning-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

const driverWords: Record<SystemDriverBody['kind'], string> = {
  deficit: 'Deficit',
  'unfunded-income': 'Unfunded income',
  'activity-shortfall': 'Activity short',
};

/** People who set envelopes: regional teams and directors, and national directors standing in for a region. */
const envelopeRoles = new Set(['regional-director', 'regional-team', 'national-director']);

/**
 * Does the system's plan fit its envelope? The gap against the control total first, then what makes it
 * (members' deficits, income providers count that commissioners do not plan to pay, activity the system
 * expects but its members do not plan), each member with its latest revision, the services providers and
 * commissioners planned differently, and the envelope itself for the people who set it.
 */
export function SystemPlanPage() {
  const { round: roundCode = '', icb = '' } = useParams();
  const { session } = useSession();
  const account = session?.account ?? null;
  const [envelopeSaved, setEnvelopeSaved] = useState(false);
  const round = useApi((signal) => planningApi.round(roundCode, signal), [roundCode]);
  const [system, reload] = useReloadable(
    (signal) => planningApi.system(roundCode, icb, signal),
    [roundCode, icb, account?.id],
  );
  const lookup = useCatalogueLookup();
  usePageTitle(
    system.status === 'ready' ? `${system.data.icb.name}: plans against the envelope` : 'System plan',
    system.status === 'error',
  );
  const r = round.status === 'ready' ? round.data.round : undefined;

  if (system.status === 'loading') return <Loading what="the system's plans" />;
  if (system.status === 'error')
    return (
      <>
        <ApiErrorSummary error={system.error} />
        <PlanningBreadcrumbs round={r} />
        <h1>System plan</h1>
        {system.error.status === 401 ? (
          <p>
            <Link to={`/sign-in?returnTo=${encodeURIComponent(`/planning/${roundCode}/systems/${icb}`)}`}>
              Sign in
            </Link>{' '}
            to see the system&apos;s plans.
          </p>
        ) : null}
      </>
    );
  const view = system.data;
  const names = new Map(view.members.map((m) => [m.odsCode, m.name]));
  const mayEnvelope = account?.roles.some((role) => envelopeRoles.has(role.role)) ?? false;
  return (
    <>
      <PlanningBreadcrumbs round={r} />
      <h1>
        <span className="nhsuk-caption-l">{r?.name ?? view.round}: the system&apos;s plans</span>
        {view.icb.name}
      </h1>
      <Headline view={view} />
      <FlaggedRevisions view={view} names={names} />
      <Drivers view={view} itemName={lookup.itemName} />
      <Members view={view} />
      {view.position.activity.length > 0 ? <Activity view={view} itemName={lookup.itemName} /> : null}
      <Mismatches view={view} names={names} />
      <h2>More about this system</h2>
      <ul className="nhsuk-list">
        <li>
          <Link to={`/planning/${view.round}/plans/${view.icb.odsCode}`}>The ICB&apos;s own plan</Link>
        </li>
        <li>
          <Link to={`/planning/${view.round}/variance/${view.icb.odsCode}`}>
            Plan against actual for the system
          </Link>
        </li>
        <li>
          <Link to={`/organisations/${view.icb.odsCode}`}>{view.icb.name}</Link>
        </li>
      </ul>
      {mayEnvelope && r ? (
        <EnvelopeForm
          view={view}
          round={r}
          itemOptions={roundItemCodes(r).map((item) => ({
            value: item,
            text: `${lookup.itemName(item)} (${item})`,
          }))}
          saved={envelopeSaved}
          onSaved={async (saved) => {
            setEnvelopeSaved(saved);
            if (saved) await reload();
          }}
        />
      ) : null}
    </>
  );
}

function Headline({ view }: { view: SystemPlanResponse }) {
  const p = view.position;
  const gap = Math.round(p.gap);
  const sentence =
    gap < 0
      ? `The members' plans together fall ${formatMoney(-gap)} short of the control total of ${formatMoney(p.controlTotal)}.`
      : gap === 0
        ? `The members' plans together meet the control total of ${formatMoney(p.controlTotal)}.`
        : `The members' plans together beat the control total of ${formatMoney(p.controlTotal)} by ${formatMoney(gap)}.`;
  return (
    <>
      <p className="nhsuk-lede-text" data-testid="system-gap">
        <AffordabilityTag affordable={view.envelope ? p.affordable : null} /> {sentence}
      </p>
      {view.envelope ? null : (
        <div className="nhsuk-inset-text" data-testid="no-envelope">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            The region has not set this system&apos;s envelope yet: the plans are measured against breaking
            even, with no activity expected.
          </p>
        </div>
      )}
      <div className="nhsuk-card">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading">Gap against the control total</h2>
          <p className="nhsuk-card__description">
            <span className="app-headline-figure" data-testid="gap-figure">
              <Gap gap={p.gap} />
            </span>
            {gap < 0
              ? 'The plans fall short: they are not affordable within the envelope.'
              : 'The plans fit the envelope.'}
          </p>
          <SummaryList
            rows={[
              { key: "Members' planned surplus (deficit)", value: formatMoney(p.membersSurplus) },
              {
                key: 'Less income providers count that commissioners do not plan to pay',
                value: formatMoney(-p.unfundedInternalIncome),
              },
              {
                key: 'Less the cost of expected activity members do not plan',
                value: formatMoney(-p.shortfallCost),
              },
              { key: "The system's planned position", value: formatMoney(p.position) },
              { key: 'Control total', value: formatMoney(p.controlTotal) },
            ]}
          />
        </div>
      </div>
    </>
  );
}

function FlaggedRevisions({ view, names }: { view: SystemPlanResponse; names: Map<string, string> }) {
  if (view.flaggedRevisions.length === 0) return null;
  return (
    <div className="nhsuk-warning-callout" data-testid="flagged-revisions">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {view.flaggedRevisions.length === 1
            ? 'A revision helps its organisation but worsens the system'
            : `${view.flaggedRevisions.length} revisions help their organisations but worsen the system`}
        </span>
      </h2>
      <ul className="nhsuk-list">
        {view.flaggedRevisions.map((f) => (
          <li key={f.odsCode}>
            <Link to={`/planning/${view.round}/plans/${f.odsCode}`}>
              {names.get(f.odsCode) ?? f.odsCode} ({f.odsCode})
            </Link>
            : {f.explanation}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Drivers({ view, itemName }: { view: SystemPlanResponse; itemName: (code: string) => string }) {
  const drivers = view.position.drivers;
  const subjectLabel = (d: SystemDriverBody) =>
    d.kind === 'activity-shortfall' ? itemName(d.subject) : d.subject.replace('→', ' to ');
  const bars: DriverBar[] = drivers.map((d) => ({
    label: `${driverWords[d.kind]}: ${subjectLabel(d)}`,
    amount: d.amount,
    text: formatMoney(d.amount),
  }));
  const total = drivers.reduce((sum, d) => sum + d.amount, 0);
  return (
    <section aria-labelledby="drivers-heading">
      <h2 id="drivers-heading">What makes the gap</h2>
      <p data-testid="drivers-sentence">
        {drivers.length === 0
          ? 'Nothing takes from the system’s position: no member plans a deficit, commissioners plan to pay for every service providers count on, and members plan all the activity the system expects.'
          : `${drivers.length === 1 ? 'One thing takes' : `${drivers.length} things take`} ${formatMoney(total)} from the system's position. The largest: ${drivers[0]?.description ?? ''}.`}
      </p>
      <GapDriversChart
        bars={bars}
        title={`What takes from the ${view.icb.name} system's planned position`}
        fileName={`gap-drivers-${view.round}-${view.icb.odsCode}`}
      />
      {drivers.length > 0 ? (
        <TableContainer label="What makes the gap">
          <table className="nhsuk-table" data-testid="drivers-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              What makes the gap, largest first
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Driver
                </th>
                <th className="nhsuk-table__header" scope="col">
                  What it is
                </th>
                <th className="nhsuk-table__header app-numeric" scope="col">
                  Takes from the position
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {drivers.map((d) => (
                <tr className="nhsuk-table__row" key={`${d.kind}-${d.subject}`}>
                  <td className="nhsuk-table__cell">{driverWords[d.kind]}</td>
                  <td className="nhsuk-table__cell">{d.description}</td>
                  <td className="nhsuk-table__cell app-numeric">{formatMoney(d.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      ) : null}
      {drivers.length > 0 ? (
        <p>
          <CsvDownload
            fileName={`gap-drivers-${view.round}-${view.icb.odsCode}`}
            columns={['round', 'icb', 'driver', 'subject', 'description', 'amount_gbp_thousands']}
            rows={drivers.map((d) => [
              view.round,
              view.icb.odsCode,
              d.kind,
              d.subject,
              d.description,
              d.amount,
            ])}
          />
        </p>
      ) : null}
    </section>
  );
}

function Members({ view }: { view: SystemPlanResponse }) {
  return (
    <TableContainer label="Members">
      <table className="nhsuk-table" data-testid="system-members">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          Members&apos; plans and their latest revisions
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Organisation
            </th>
            <th className="nhsuk-table__header" scope="col">
              Plans as
            </th>
            <th className="nhsuk-table__header" scope="col">
              Status
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Planned surplus (deficit)
            </th>
            <th className="nhsuk-table__header" scope="col">
              Latest revision
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {view.members.map((m) => (
            <tr className="nhsuk-table__row" key={m.odsCode} data-testid={`member-${m.odsCode}`}>
              <th className="nhsuk-table__header" scope="row">
                <Link to={`/planning/${view.round}/plans/${m.odsCode}`}>{m.name}</Link>{' '}
                <span className="app-secondary">({m.odsCode})</span>
              </th>
              <td className="nhsuk-table__cell">{partyLabels[m.party]}</td>
              <td className="nhsuk-table__cell">
                <ReturnStatusTag status={m.status} />
                {m.version > 0 ? <span className="app-cell-note">Version {m.version}</span> : null}
              </td>
              <td className="nhsuk-table__cell app-numeric">
                {m.surplus === null ? <Empty>Not submitted</Empty> : formatMoney(m.surplus)}
              </td>
              <td className="nhsuk-table__cell">
                {m.impact ? (
                  <>
                    {m.impact.flagged ? (
                      <>
                        <FlaggedTag />{' '}
                      </>
                    ) : null}
                    Organisation {formatMoneyChange(m.impact.organisation.change)}; system{' '}
                    {formatMoneyChange(m.impact.system.change)}
                    {m.impact.flagged ? <span className="app-cell-note">{m.impact.explanation}</span> : null}
                  </>
                ) : (
                  <Empty>No revision</Empty>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function Activity({ view, itemName }: { view: SystemPlanResponse; itemName: (code: string) => string }) {
  return (
    <TableContainer label="Expected activity">
      <table className="nhsuk-table" data-testid="system-activity">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          Activity the system expects against what members plan, for the year
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Data item
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Expected
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Planned
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Short
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Cost of buying it elsewhere
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {view.position.activity.map((a) => (
            <tr className="nhsuk-table__row" key={a.item}>
              <td className="nhsuk-table__cell">
                {itemName(a.item)} <span className="app-secondary">({a.item})</span>
              </td>
              <td className="nhsuk-table__cell app-numeric">{formatQuantity(a.expected)}</td>
              <td className="nhsuk-table__cell app-numeric">{formatQuantity(a.planned)}</td>
              <td className="nhsuk-table__cell app-numeric">{formatQuantity(a.shortfall)}</td>
              <td className="nhsuk-table__cell app-numeric">{formatMoney(a.cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function Mismatches({ view, names }: { view: SystemPlanResponse; names: Map<string, string> }) {
  const who = (code: string) => (
    <>
      {names.get(code) ?? code} <span className="app-secondary">({code})</span>
    </>
  );
  const side = (plan: { activity: number; value: number } | null) =>
    plan ? (
      <>
        {formatMoney(plan.value)}
        <span className="app-cell-note app-secondary">{formatQuantity(plan.activity)} units</span>
      </>
    ) : (
      <Empty>Not planned</Empty>
    );
  return (
    <section aria-labelledby="mismatches-heading">
      <h2 id="mismatches-heading">Services planned differently</h2>
      {view.mismatches.length === 0 ? (
        <p data-testid="no-mismatches">
          Every service a provider plans matches what its commissioner plans to pay for it.
        </p>
      ) : (
        <>
          <p>
            {view.mismatches.length === 1 ? 'One service' : `${view.mismatches.length} services`}: the
            provider and the commissioner plan different activity or value. A positive difference is income
            the provider counts that the commissioner does not plan to pay.
          </p>
          <TableContainer label="Services planned differently">
            <table className="nhsuk-table" data-testid="mismatches">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">
                Provider plans against commissioner plans, largest difference first
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Provider
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Commissioner
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Service line
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Provider plan
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Commissioner plan
                  </th>
                  <th className="nhsuk-table__header app-numeric" scope="col">
                    Difference
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {view.mismatches.map((m) => (
                  <tr className="nhsuk-table__row" key={`${m.provider}-${m.commissioner}-${m.serviceLine}`}>
                    <td className="nhsuk-table__cell">{who(m.provider)}</td>
                    <td className="nhsuk-table__cell">{who(m.commissioner)}</td>
                    <td className="nhsuk-table__cell">{m.serviceLine}</td>
                    <td className="nhsuk-table__cell app-numeric">{side(m.providerPlan)}</td>
                    <td className="nhsuk-table__cell app-numeric">{side(m.commissionerPlan)}</td>
                    <td className="nhsuk-table__cell app-numeric">{formatMoneyChange(m.difference)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableContainer>
        </>
      )}
    </section>
  );
}

interface ActivityRow {
  key: number;
  item: string;
  quantity: string;
  unitCost: string;
}

/** The envelope: a control total and the activity the system expects, for regions (the API decides who). */
function EnvelopeForm({
  view,
  round,
  itemOptions,
  saved,
  onSaved,
}: {
  view: SystemPlanResponse;
  round: PlanningRoundBody;
  itemOptions: Array<{ value: string; text: string }>;
  /** Whether the last save succeeded (the page keeps it while it reads the system again). */
  saved: boolean;
  onSaved: (saved: boolean) => Promise<void>;
}) {
  const [controlTotal, setControlTotal] = useState(figureText(view.envelope?.controlTotal));
  const [rows, setRows] = useState<ActivityRow[]>(
    (view.envelope?.activity ?? []).map((a, key) => ({
      key,
      item: a.item,
      quantity: figureText(a.quantity),
      unitCost: figureText(a.unitCost),
    })),
  );
  const [nextKey, setNextKey] = useState(rows.length);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (key: number, change: Partial<ActivityRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const fieldIds: Record<string, string> = { controlTotal: 'envelope-control-total' };
  rows.forEach((_, i) => {
    fieldIds[`activity.${i}`] = `envelope-activity-${i}-item`;
    fieldIds[`activity.${i}.item`] = `envelope-activity-${i}-item`;
    fieldIds[`activity.${i}.quantity`] = `envelope-activity-${i}-quantity`;
    fieldIds[`activity.${i}.unitCost`] = `envelope-activity-${i}-unit-cost`;
  });
  fieldIds.activity = rows.length > 0 ? 'envelope-activity-0-item' : 'envelope-add-activity';

  const save = async () => {
    if (busy) return;
    const problems: Array<{ field: string; message: string }> = [];
    const total = parseFigure(controlTotal);
    if (total === null || total === 'invalid')
      problems.push({
        field: 'controlTotal',
        message: 'Enter the control total in thousands of pounds, like -2000 for a deficit of £2,000k',
      });
    const activity = rows.map((row, i) => {
      const quantity = parseFigure(row.quantity);
      const unitCost = parseFigure(row.unitCost);
      if (quantity === null || quantity === 'invalid')
        problems.push({
          field: `activity.${i}.quantity`,
          message: `Enter the activity expected in row ${i + 1}`,
        });
      if (unitCost === null || unitCost === 'invalid')
        problems.push({
          field: `activity.${i}.unitCost`,
          message: `Enter the cost of a unit in row ${i + 1}, in thousands of pounds`,
        });
      return {
        item: row.item,
        quantity: typeof quantity === 'number' ? quantity : 0,
        unitCost: typeof unitCost === 'number' ? unitCost : 0,
      };
    });
    if (problems.length > 0 || typeof total !== 'number') {
      void onSaved(false);
      setError(new ApiError('The envelope is not complete.', 400, problems));
      return;
    }
    setBusy(true);
    try {
      await planningApi.setEnvelope(round.code, view.icb.odsCode, { controlTotal: total, activity });
      setError(null);
      await onSaved(true);
    } catch (caught) {
      void onSaved(false);
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="envelope-heading" data-testid="envelope-form">
      <h2 id="envelope-heading">{view.envelope ? 'Change the envelope' : 'Set the envelope'}</h2>
      {error ? <ApiErrorSummary error={error} fieldIds={fieldIds} /> : null}
      {saved ? (
        <div className="nhsuk-inset-text" role="status" data-testid="envelope-saved">
          <p>You set the envelope: the gap above is measured against it now.</p>
        </div>
      ) : null}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <TextField
          id="envelope-control-total"
          label="Control total (£000s)"
          hint="The surplus the system's plans must reach together; a deficit is negative, like -2000"
          value={controlTotal}
          onChange={setControlTotal}
          error={exactFieldError(error, 'controlTotal')}
          inputMode="decimal"
          width={10}
        />
        <TableContainer label="Expected activity">
          <table className="nhsuk-table app-plan-grid">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              Activity the system expects its members to deliver in the year
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Data item
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Units in the year
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Cost of a unit bought elsewhere (£000s)
                </th>
                <th className="nhsuk-table__header" scope="col">
                  <span className="nhsuk-u-visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {rows.length === 0 ? (
                <tr className="nhsuk-table__row">
                  <td className="nhsuk-table__cell" colSpan={4}>
                    <Empty>No activity expected yet</Empty>
                  </td>
                </tr>
              ) : null}
              {rows.map((row, i) => (
                <tr className="nhsuk-table__row" key={row.key}>
                  <td className="nhsuk-table__cell">
                    <CellSelect
                      id={`envelope-activity-${i}-item`}
                      label={`Data item, row ${i + 1}`}
                      value={row.item}
                      onChange={(item) => update(row.key, { item })}
                      options={itemOptions}
                      error={exactFieldError(error, `activity.${i}.item`)}
                    />
                  </td>
                  <td className="nhsuk-table__cell">
                    <CellInput
                      id={`envelope-activity-${i}-quantity`}
                      label={`Units in the year, row ${i + 1}`}
                      value={row.quantity}
                      onChange={(quantity) => update(row.key, { quantity })}
                      error={exactFieldError(error, `activity.${i}.quantity`)}
                    />
                  </td>
                  <td className="nhsuk-table__cell">
                    <CellInput
                      id={`envelope-activity-${i}-unit-cost`}
                      label={`Cost of a unit bought elsewhere in £000s, row ${i + 1}`}
                      value={row.unitCost}
                      onChange={(unitCost) => update(row.key, { unitCost })}
                      error={exactFieldError(error, `activity.${i}.unitCost`)}
                    />
                  </td>
                  <td className="nhsuk-table__cell">
                    <button
                      className="app-link-button"
                      type="button"
                      onClick={() => setRows((current) => current.filter((other) => other.key !== row.key))}
                    >
                      Remove<span className="nhsuk-u-visually-hidden"> expected activity row {i + 1}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
        <p>
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            id="envelope-add-activity"
            onClick={() => {
              setRows((current) => [
                ...current,
                { key: nextKey, item: itemOptions[0]?.value ?? '', quantity: '', unitCost: '' },
              ]);
              setNextKey((n) => n + 1);
            }}
          >
            Add expected activity
          </button>
        </p>
        <button className="nhsuk-button" type="submit" disabled={busy}>
          Save the envelope
        </button>
      </form>
    </section>
  );
}
