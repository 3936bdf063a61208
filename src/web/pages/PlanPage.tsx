import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { organisationKindLabels } from '../../domain/organisation.js';
import type { PlanContent } from '../../domain/planning.js';
import { returnStatusLabels, type ReturnStep } from '../../domain/return-workflow.js';
import { api, ApiError, toApiError, type Account } from '../api-client.js';
import { exactFieldError, TextArea } from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  SummaryList,
  TableContainer,
  usePageTitle,
} from '../components/page-parts.js';
import {
  CellInput,
  figureText,
  formatItemValue,
  formatMoney,
  formatMoneyChange,
  formatQuantity,
  isCommissionerKind,
  parseFigure,
  partyLabels,
  PlanningBreadcrumbs,
  planMonths,
  useCatalogueLookup,
  useReloadable,
  type PlanMonth,
} from '../components/planning-parts.js';
import { formatWhen, ReturnStatusTag } from '../components/return-parts.js';
import { planningApi, type PlanImpact, type PlanWithVersions } from '../planning-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

const stepDone: Record<ReturnStep, string> = {
  approve: 'You approved the plan: it now waits for its region to accept it.',
  accept: 'You accepted the plan: plan against actual now uses this version.',
  lock: 'You locked the plan: a revision now needs a resubmission with a reason.',
  return: 'You returned the plan for correction: the organisation sees your reason on this page.',
};

interface Organisation {
  odsCode: string;
  name: string;
  kind: string;
  /** The ICB whose system the plan belongs to (itself for an ICB), when known. */
  icb: { odsCode: string; name: string } | null;
}

/**
 * One organisation's plan for a round: is it complete and submitted, and what does it do to its system?
 * Its status and what the reader may do next, the impact of its latest revision, the month-by-month
 * trajectories and the services agreed with other organisations (a form while the organisation may change
 * it), and every version.
 */
export function PlanPage() {
  const { round: roundCode = '', org: orgParam = '' } = useParams();
  const org = orgParam.toUpperCase();
  const { session } = useSession();
  const account = session?.account ?? null;
  const round = useApi((signal) => planningApi.round(roundCode, signal), [roundCode]);
  const yearStart = round.status === 'ready' ? round.data.round.yearStart : null;
  const profile = useApi(
    async (signal): Promise<Organisation | null> => {
      if (!yearStart) return null;
      const found = await api.organisation(org, yearStart, signal);
      const icb = [...found.path, found.organisation].find((o) => o.kind === 'icb');
      return {
        odsCode: found.organisation.odsCode,
        name: found.organisation.name,
        kind: found.organisation.kind,
        icb: icb ? { odsCode: icb.odsCode, name: icb.name } : null,
      };
    },
    [org, yearStart],
  );
  const [plan, reloadPlan] = useReloadable(
    (signal) => planningApi.plan(roundCode, org, signal),
    [roundCode, org, account?.id],
  );
  const lookup = useCatalogueLookup();
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const organisation = profile.status === 'ready' ? profile.data : null;
  const r = round.status === 'ready' ? round.data.round : undefined;
  // The API answers 404 both for a plan not started and for one the reader may not see.
  const notStarted = plan.status === 'error' && plan.error.status === 404 && organisation !== null;
  const missing = plan.status === 'error' ? plan.error.message : null;
  const loadError =
    round.status === 'error'
      ? round.error
      : profile.status === 'error'
        ? profile.error
        : plan.status === 'error' &&
            !notStarted &&
            !(plan.error.status === 404 && profile.status === 'loading')
          ? plan.error
          : null;
  usePageTitle(organisation ? `Plan of ${organisation.name}` : 'Plan', loadError !== null || error !== null);

  if (loadError)
    return (
      <>
        <ApiErrorSummary error={loadError} />
        <PlanningBreadcrumbs round={r} />
        <h1>Plan</h1>
        {loadError.status === 401 ? (
          <p>
            <Link to={`/sign-in?returnTo=${encodeURIComponent(`/planning/${roundCode}/plans/${org}`)}`}>
              Sign in
            </Link>{' '}
            to see this plan.
          </p>
        ) : null}
      </>
    );
  // Item names label the boxes: wait for the catalogue too.
  if (!r || !organisation || !lookup.ready || (plan.status !== 'ready' && !notStarted))
    return <Loading what="the plan" />;

  const data = plan.status === 'ready' ? plan.data.plan : null;
  const commissioner = isCommissionerKind(organisation.kind);
  const party = commissioner ? 'commissioner' : 'provider';
  const mayEdit = canEdit(account, org, commissioner);
  const status = data?.status ?? 'not-started';
  const editable =
    status === 'not-started' || status === 'draft' || status === 'returned' || status === 'locked';
  const asked = r.items[organisation.kind] ?? [];
  const items = [
    ...asked,
    ...Object.keys(data?.content.values ?? {}).filter((item) => !asked.includes(item)),
  ];
  const months = planMonths(r.yearStart);

  const act = async (step: ReturnStep, reason: string) => {
    if (busy) return;
    if (step === 'return' && reason.trim() === '') {
      setError(
        new ApiError('Say why the plan is being returned.', 400, [
          { field: 'reason', message: 'Enter what the organisation needs to correct' },
        ]),
      );
      return;
    }
    setBusy(true);
    try {
      await planningApi.advancePlan(r.code, org, step, step === 'return' ? reason.trim() : undefined);
      setError(null);
      await reloadPlan();
      setDone(stepDone[step]);
    } catch (caught) {
      setDone(null);
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const save = async (content: PlanContent, submit: boolean, reason: string) => {
    if (busy) return;
    setBusy(true);
    try {
      const saved = await planningApi.savePlan(r.code, org, {
        content,
        submit,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setError(null);
      await reloadPlan();
      setDone(
        !submit
          ? 'You saved the plan as a draft. It is not submitted yet.'
          : commissioner
            ? `You submitted version ${saved.plan.version}: it goes straight to the region to accept.`
            : `You submitted version ${saved.plan.version}: it now waits for its ICB to approve it.`,
      );
    } catch (caught) {
      setDone(null);
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={fieldIdsFor(error, data?.steps.includes('return') ? 'return-reason' : 'plan-reason')}
        />
      ) : null}
      <PlanningBreadcrumbs
        round={r}
        items={
          organisation.icb
            ? [{ to: `/planning/${r.code}/systems/${organisation.icb.odsCode}`, text: organisation.icb.name }]
            : []
        }
      />
      <h1>
        <span className="nhsuk-caption-l">{r.name}: plan</span>
        {organisation.name}
      </h1>
      <p className="nhsuk-lede-text" data-testid="plan-status">
        {data ? (
          <>
            <ReturnStatusTag status={status} /> This plan {data.state}. It plans a{' '}
            {data.surplus < 0 ? 'deficit' : 'surplus'} of {formatMoney(Math.abs(data.surplus))} for the year.
          </>
        ) : mayEdit ? (
          <>
            <ReturnStatusTag status="not-started" /> No plan has been saved yet.
          </>
        ) : (
          // Not started, or not the reader's to see: the API's answer says which it may.
          missing
        )}
      </p>
      {done ? (
        <div className="nhsuk-inset-text" role="status" tabIndex={-1} ref={doneRef} data-testid="plan-done">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{done}</p>
        </div>
      ) : null}
      {data?.impact ? <RevisionImpact impact={data.impact} /> : null}
      {data?.status === 'returned' && data.statusReason ? (
        <div className="nhsuk-warning-callout" data-testid="plan-returned-reason">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Why it was returned
            </span>
          </h2>
          <p>{data.statusReason}</p>
        </div>
      ) : null}
      <SummaryList
        rows={[
          {
            key: 'Organisation',
            value: (
              <Link to={`/organisations/${organisation.odsCode}`}>
                {organisation.name} ({organisation.odsCode})
              </Link>
            ),
          },
          {
            key: 'Plans as',
            value: `${partyLabels[party]}: ${commissioner ? 'plans what it pays providers' : 'plans the income it expects from commissioners'}`,
          },
          {
            key: 'System',
            value: organisation.icb ? (
              <Link to={`/planning/${r.code}/systems/${organisation.icb.odsCode}`}>
                {organisation.icb.name} against its envelope
              </Link>
            ) : (
              <Empty>Not known</Empty>
            ),
          },
          {
            key: 'Status',
            value: data ? (
              returnStatusLabels[data.status]
            ) : mayEdit ? (
              'Not started'
            ) : (
              <Empty>Not known</Empty>
            ),
          },
          {
            key: 'Version',
            value:
              !data || data.version === 0
                ? 'Not submitted yet'
                : `Version ${data.version}${
                    data.acceptedVersion === null
                      ? ', none accepted yet'
                      : data.acceptedVersion === data.version
                        ? ', accepted'
                        : `; version ${data.acceptedVersion} is the accepted one`
                  }`,
          },
          { key: 'Last changed', value: data ? formatWhen(data.updatedAt) : <Empty>Never</Empty> },
        ]}
      />
      {data && data.steps.length > 0 ? (
        <PlanSteps
          steps={data.steps}
          busy={busy}
          error={error}
          act={(step, reason) => void act(step, reason)}
        />
      ) : null}
      {asked.length === 0 ? (
        <p>
          The {r.name} round does not ask{' '}
          {(organisationKindLabels as Record<string, string | undefined>)[organisation.kind] ??
            organisation.kind}{' '}
          organisations for a plan.
        </p>
      ) : mayEdit && editable ? (
        <PlanForm
          key={data ? `${data.version}-${data.updatedAt}` : 'new'}
          plan={data}
          items={items}
          months={months}
          commissioner={commissioner}
          itemName={lookup.itemName}
          itemUnit={lookup.itemUnit}
          error={error}
          setError={setError}
          busy={busy}
          save={(content, submit, reason) => void save(content, submit, reason)}
        />
      ) : data ? (
        <PlanFigures
          plan={data}
          items={items}
          months={months}
          itemName={lookup.itemName}
          itemUnit={lookup.itemUnit}
        />
      ) : null}
      {data && data.versions.length > 0 ? <Versions plan={data} /> : null}
      <h2>More about this plan</h2>
      <ul className="nhsuk-list">
        <li>
          <Link to={`/planning/${r.code}/variance/${organisation.odsCode}`}>
            Plan against actual, month by month
          </Link>
        </li>
        {organisation.icb ? (
          <li>
            <Link to={`/planning/${r.code}/systems/${organisation.icb.odsCode}`}>
              The {organisation.icb.name} system against its envelope
            </Link>
          </li>
        ) : null}
      </ul>
    </>
  );
}

/** Providers' plans are changed by their data submitters; an ICB's by its leads (the API decides in the end). */
function canEdit(account: Account | null, org: string, commissioner: boolean): boolean {
  const role = commissioner ? 'icb-lead' : 'trust-data-submitter';
  return account?.roles.some((r) => r.role === role && r.scope?.odsCode === org) ?? false;
}

/**
 * Where each problem the API (or the form) finds links to: the box it is about. A reason is the return's
 * while the plan is with the ICB or region, else the revision's (the two boxes never show together).
 */
function fieldIdsFor(error: ApiError, reasonId: string): Record<string, string> {
  const ids: Record<string, string> = { reason: reasonId };
  for (const problem of error.problems) {
    const field = problem.field ?? '';
    const parts = field.split('.');
    if (parts[0] === 'content' && parts[1] === 'values' && parts[2])
      ids[field] = `value-${parts[2]}-${parts[3] ?? '0'}`;
    else if (parts[0] === 'content' && parts[1] === 'flows')
      ids[field] = parts[2] ? `flow-${parts[2]}-${parts[3] ?? 'counterparty'}` : 'add-flow';
  }
  return ids;
}

function RevisionImpact({ impact }: { impact: PlanImpact }) {
  const figures = (
    <SummaryList
      rows={[
        {
          key: 'The organisation’s surplus (deficit)',
          value: `${formatMoney(impact.organisation.before)} to ${formatMoney(impact.organisation.after)} (${formatMoneyChange(impact.organisation.change)})`,
        },
        {
          key: 'The system’s planned position',
          value: `${formatMoney(impact.system.before)} to ${formatMoney(impact.system.after)} (${formatMoneyChange(impact.system.change)})`,
        },
      ]}
    />
  );
  if (impact.flagged)
    return (
      <div className="nhsuk-warning-callout" data-testid="revision-impact">
        <h2 className="nhsuk-warning-callout__label">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>
            The latest revision worsens the system
          </span>
        </h2>
        <p>{impact.explanation}</p>
        {figures}
      </div>
    );
  return (
    <section className="nhsuk-inset-text" aria-labelledby="impact-heading" data-testid="revision-impact">
      <h2 className="nhsuk-heading-s" id="impact-heading">
        What the latest revision changed
      </h2>
      <p>{impact.explanation}</p>
      {figures}
    </section>
  );
}

function PlanSteps({
  steps,
  busy,
  error,
  act,
}: {
  steps: ReturnStep[];
  busy: boolean;
  error: ApiError | null;
  act: (step: ReturnStep, reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <section aria-labelledby="actions-heading" data-testid="plan-actions">
      <h2 id="actions-heading">What you can do</h2>
      {steps.some((s) => s !== 'return') ? (
        <div className="nhsuk-button-group">
          {steps.includes('approve') ? (
            <button className="nhsuk-button" type="button" disabled={busy} onClick={() => act('approve', '')}>
              Approve
            </button>
          ) : null}
          {steps.includes('accept') ? (
            <button className="nhsuk-button" type="button" disabled={busy} onClick={() => act('accept', '')}>
              Accept
            </button>
          ) : null}
          {steps.includes('lock') ? (
            <button
              className="nhsuk-button nhsuk-button--secondary"
              type="button"
              disabled={busy}
              onClick={() => act('lock', '')}
            >
              Lock
            </button>
          ) : null}
        </div>
      ) : null}
      {steps.includes('return') ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            act('return', reason);
          }}
        >
          <TextArea
            id="return-reason"
            label="Reason for returning it"
            hint="Say what needs correcting and why. The organisation sees this."
            value={reason}
            onChange={setReason}
            error={exactFieldError(error, 'reason')}
          />
          <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={busy}>
            Return for correction
          </button>
        </form>
      ) : null}
    </section>
  );
}

interface FlowRow {
  key: number;
  counterparty: string;
  serviceLine: string;
  activity: string;
  price: string;
}

/** The plan as a form: items by month, the services agreed with other organisations, save or submit. */
function PlanForm({
  plan,
  items,
  months,
  commissioner,
  itemName,
  itemUnit,
  error,
  setError,
  busy,
  save,
}: {
  plan: PlanWithVersions | null;
  items: string[];
  months: PlanMonth[];
  commissioner: boolean;
  itemName: (code: string) => string;
  itemUnit: (code: string) => string | undefined;
  error: ApiError | null;
  setError: (error: ApiError | null) => void;
  busy: boolean;
  save: (content: PlanContent, submit: boolean, reason: string) => void;
}) {
  const [values, setValues] = useState<Record<string, string[]>>(() =>
    Object.fromEntries(
      items.map((item) => [item, months.map((_, i) => figureText(plan?.content.values[item]?.[i]))]),
    ),
  );
  const [flows, setFlows] = useState<FlowRow[]>(() =>
    (plan?.content.flows ?? []).map((f, key) => ({
      key,
      counterparty: f.counterparty,
      serviceLine: f.serviceLine,
      activity: figureText(f.activity),
      price: figureText(f.price),
    })),
  );
  const [nextKey, setNextKey] = useState(flows.length);
  const [reason, setReason] = useState('');
  const locked = plan?.status === 'locked';
  const revision = (plan?.version ?? 0) > 0;

  const setValue = (item: string, month: number, text: string) =>
    setValues((current) => ({
      ...current,
      [item]: (current[item] ?? []).map((v, i) => (i === month ? text : v)),
    }));
  const copyAcross = (item: string) =>
    setValues((current) => ({ ...current, [item]: months.map(() => current[item]?.[0] ?? '') }));
  const updateFlow = (key: number, change: Partial<FlowRow>) =>
    setFlows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  /** The form as the API takes it, or the boxes that do not hold a number. */
  const read = (): PlanContent | ApiError => {
    const problems: Array<{ field: string; message: string }> = [];
    const content: PlanContent = { values: {}, flows: [] };
    for (const item of items) {
      content.values[item] = (values[item] ?? []).map((text, i) => {
        const value = parseFigure(text);
        if (value === 'invalid') {
          problems.push({
            field: `content.values.${item}.${i}`,
            message: `Enter ${itemName(item)} for ${months[i]?.label ?? `month ${i + 1}`} as a number, like 1200`,
          });
          return null;
        }
        return value;
      });
    }
    flows.forEach((row, i) => {
      const activity = parseFigure(row.activity);
      const price = parseFigure(row.price);
      if (typeof activity !== 'number')
        problems.push({
          field: `content.flows.${i}.activity`,
          message: `Enter the activity in service row ${i + 1} as a number of units a year`,
        });
      if (typeof price !== 'number')
        problems.push({
          field: `content.flows.${i}.price`,
          message: `Enter the price in service row ${i + 1} in thousands of pounds a unit`,
        });
      content.flows.push({
        counterparty: row.counterparty.trim().toUpperCase(),
        serviceLine: row.serviceLine.trim(),
        activity: typeof activity === 'number' ? activity : 0,
        price: typeof price === 'number' ? price : 0,
      });
    });
    return problems.length > 0
      ? new ApiError(
          `The plan has ${problems.length} ${problems.length === 1 ? 'box' : 'boxes'} to correct.`,
          400,
          problems,
        )
      : content;
  };
  const send = (submit: boolean) => {
    const content = read();
    if (content instanceof ApiError) setError(content);
    else save(content, submit, reason);
  };

  const problemFor = (field: string) => exactFieldError(error, field);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        send(true);
      }}
      data-testid="plan-form"
    >
      <h2>Monthly plan</h2>
      <p className="nhsuk-hint">
        Enter each item for every month, April to March. Money is in thousands of pounds (£000s). Leave a
        month blank while you work on it: a plan can only be submitted with every month filled in.
      </p>
      <TableContainer label="Monthly plan">
        <table className="nhsuk-table app-plan-grid" data-testid="plan-grid">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Items by month</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Data item
              </th>
              {months.map((m) => (
                <th className="nhsuk-table__header" scope="col" key={m.start}>
                  {m.label}
                </th>
              ))}
              <th className="nhsuk-table__header app-numeric" scope="col">
                Year
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {items.map((item) => {
              const rowError = problemFor(`content.values.${item}`);
              const total = (values[item] ?? []).reduce((sum, text) => {
                const v = parseFigure(text);
                return typeof v === 'number' ? sum + v : sum;
              }, 0);
              return (
                <tr className="nhsuk-table__row" key={item}>
                  <th className="nhsuk-table__header" scope="row">
                    <div className={rowError ? 'nhsuk-form-group--error' : undefined}>
                      {itemName(item)} <span className="app-secondary">({item})</span>
                      {itemUnit(item) === 'gbp-thousands' ? (
                        <span className="app-cell-note app-secondary">£000s</span>
                      ) : null}
                      {rowError ? (
                        <span className="nhsuk-error-message" id={`value-${item}-error`}>
                          <span className="nhsuk-u-visually-hidden">Error:</span> {rowError}
                        </span>
                      ) : null}
                      <button
                        className="app-link-button app-cell-note"
                        type="button"
                        onClick={() => copyAcross(item)}
                      >
                        Copy April to every month
                        <span className="nhsuk-u-visually-hidden"> for {itemName(item)}</span>
                      </button>
                    </div>
                  </th>
                  {months.map((m, i) => (
                    <td className="nhsuk-table__cell" key={m.start}>
                      <CellInput
                        id={`value-${item}-${i}`}
                        label={`${itemName(item)}, ${m.label}`}
                        value={values[item]?.[i] ?? ''}
                        onChange={(text) => setValue(item, i, text)}
                        error={problemFor(`content.values.${item}.${i}`)}
                      />
                    </td>
                  ))}
                  <td className="nhsuk-table__cell app-numeric" data-testid={`year-${item}`}>
                    {formatItemValue(total, itemUnit(item))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableContainer>

      <h2>Services agreed with other organisations</h2>
      <p className="nhsuk-hint">
        {commissioner
          ? 'For each provider and service line, the activity you plan to pay for and its price. Name the provider by its ODS code.'
          : 'For each commissioner and service line, the activity you plan to deliver for it and its price. Name the commissioner (usually the ICB) by its ODS code.'}{' '}
        Prices are in thousands of pounds (£000s) a unit.
      </p>
      <TableContainer label="Services agreed with other organisations">
        <table className="nhsuk-table app-plan-grid" data-testid="plan-flows">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Services</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                {commissioner ? 'Provider' : 'Commissioner'} (ODS code)
              </th>
              <th className="nhsuk-table__header" scope="col">
                Service line
              </th>
              <th className="nhsuk-table__header" scope="col">
                Activity (units a year)
              </th>
              <th className="nhsuk-table__header" scope="col">
                Price (£000s a unit)
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Value
              </th>
              <th className="nhsuk-table__header" scope="col">
                <span className="nhsuk-u-visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {flows.length === 0 ? (
              <tr className="nhsuk-table__row">
                <td className="nhsuk-table__cell" colSpan={6}>
                  <Empty>No services yet</Empty>
                </td>
              </tr>
            ) : null}
            {flows.map((row, i) => {
              const activity = parseFigure(row.activity);
              const price = parseFigure(row.price);
              return (
                <tr className="nhsuk-table__row" key={row.key} data-testid="plan-flow">
                  <td className="nhsuk-table__cell">
                    <CellInput
                      id={`flow-${i}-counterparty`}
                      label={`${commissioner ? 'Provider' : 'Commissioner'} ODS code, service ${i + 1}`}
                      value={row.counterparty}
                      numeric={false}
                      onChange={(counterparty) => updateFlow(row.key, { counterparty })}
                      error={problemFor(`content.flows.${i}.counterparty`)}
                    />
                  </td>
                  <td className="nhsuk-table__cell">
                    <CellInput
                      id={`flow-${i}-serviceLine`}
                      label={`Service line, service ${i + 1}`}
                      value={row.serviceLine}
                      numeric={false}
                      onChange={(serviceLine) => updateFlow(row.key, { serviceLine })}
                      error={problemFor(`content.flows.${i}.serviceLine`)}
                    />
                  </td>
                  <td className="nhsuk-table__cell">
                    <CellInput
                      id={`flow-${i}-activity`}
                      label={`Activity in units a year, service ${i + 1}`}
                      value={row.activity}
                      onChange={(text) => updateFlow(row.key, { activity: text })}
                      error={problemFor(`content.flows.${i}.activity`)}
                    />
                  </td>
                  <td className="nhsuk-table__cell">
                    <CellInput
                      id={`flow-${i}-price`}
                      label={`Price in £000s a unit, service ${i + 1}`}
                      value={row.price}
                      onChange={(text) => updateFlow(row.key, { price: text })}
                      error={problemFor(`content.flows.${i}.price`)}
                    />
                  </td>
                  <td className="nhsuk-table__cell app-numeric">
                    {typeof activity === 'number' && typeof price === 'number' ? (
                      formatMoney(activity * price)
                    ) : (
                      <Empty>Not known</Empty>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    <button
                      className="app-link-button"
                      type="button"
                      onClick={() => setFlows((current) => current.filter((other) => other.key !== row.key))}
                    >
                      Remove<span className="nhsuk-u-visually-hidden"> service {i + 1}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableContainer>
      <p>
        <button
          className="nhsuk-button nhsuk-button--secondary"
          type="button"
          id="add-flow"
          onClick={() => {
            setFlows((current) => [
              ...current,
              { key: nextKey, counterparty: '', serviceLine: '', activity: '', price: '' },
            ]);
            setNextKey((n) => n + 1);
          }}
        >
          Add a service
        </button>
      </p>
      {revision ? (
        <TextArea
          id="plan-reason"
          label={locked ? 'Reason for revising the locked plan' : 'Reason for the revision (optional)'}
          hint={
            locked
              ? 'The plan is locked: say why it changes. The ICB and region see this.'
              : 'Say what changed since the last version. The ICB and region see this.'
          }
          value={reason}
          onChange={setReason}
          error={problemFor('reason')}
        />
      ) : null}
      <div className="nhsuk-button-group">
        <button className="nhsuk-button" type="submit" disabled={busy}>
          Submit plan
        </button>
        {locked ? null : (
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            disabled={busy}
            onClick={() => send(false)}
          >
            Save as draft
          </button>
        )}
      </div>
      <p className="nhsuk-hint">
        {commissioner
          ? 'An ICB’s own plan goes straight to its region to accept.'
          : 'A submitted plan goes to its ICB to approve, then to its region to accept.'}
      </p>
    </form>
  );
}

/** The plan's figures as tables, for people who read it (and while it is with the ICB or region). */
function PlanFigures({
  plan,
  items,
  months,
  itemName,
  itemUnit,
}: {
  plan: PlanWithVersions;
  items: string[];
  months: PlanMonth[];
  itemName: (code: string) => string;
  itemUnit: (code: string) => string | undefined;
}) {
  return (
    <>
      <TableContainer label="Monthly plan">
        <table className="nhsuk-table" data-testid="plan-grid">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">Monthly plan</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Data item
              </th>
              {months.map((m) => (
                <th className="nhsuk-table__header app-numeric" scope="col" key={m.start}>
                  {m.label}
                </th>
              ))}
              <th className="nhsuk-table__header app-numeric" scope="col">
                Year
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {items.map((item) => {
              const row = plan.content.values[item] ?? [];
              return (
                <tr className="nhsuk-table__row" key={item}>
                  <th className="nhsuk-table__header" scope="row">
                    {itemName(item)} <span className="app-secondary">({item})</span>
                  </th>
                  {months.map((m, i) => (
                    <td className="nhsuk-table__cell app-numeric" key={m.start}>
                      {row[i] === null || row[i] === undefined ? (
                        <Empty>Not given</Empty>
                      ) : (
                        formatItemValue(row[i], itemUnit(item))
                      )}
                    </td>
                  ))}
                  <td className="nhsuk-table__cell app-numeric">
                    {formatItemValue(
                      row.reduce<number>((sum, v) => sum + (v ?? 0), 0),
                      itemUnit(item),
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableContainer>
      <TableContainer label="Services agreed with other organisations">
        <table className="nhsuk-table" data-testid="plan-flows">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">
            Services agreed with other organisations
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                {plan.party === 'commissioner' ? 'Provider' : 'Commissioner'}
              </th>
              <th className="nhsuk-table__header" scope="col">
                Service line
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Activity (units a year)
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Price a unit
              </th>
              <th className="nhsuk-table__header app-numeric" scope="col">
                Value
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {plan.content.flows.length === 0 ? (
              <tr className="nhsuk-table__row">
                <td className="nhsuk-table__cell" colSpan={5}>
                  <Empty>None planned</Empty>
                </td>
              </tr>
            ) : null}
            {plan.content.flows.map((f, i) => (
              <tr className="nhsuk-table__row" key={i}>
                <td className="nhsuk-table__cell">
                  <Link to={`/organisations/${f.counterparty}`}>{f.counterparty}</Link>
                </td>
                <td className="nhsuk-table__cell">{f.serviceLine}</td>
                <td className="nhsuk-table__cell app-numeric">{formatQuantity(f.activity)}</td>
                <td className="nhsuk-table__cell app-numeric">£{figureText(f.price)}k</td>
                <td className="nhsuk-table__cell app-numeric">{formatMoney(f.activity * f.price)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableContainer>
    </>
  );
}

function Versions({ plan }: { plan: PlanWithVersions }) {
  const versions = [...plan.versions].sort((a, b) => b.version - a.version);
  return (
    <TableContainer label="Versions">
      <table className="nhsuk-table" data-testid="plan-versions">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">Versions, latest first</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Version
            </th>
            <th className="nhsuk-table__header" scope="col">
              Submitted
            </th>
            <th className="nhsuk-table__header app-numeric" scope="col">
              Planned surplus (deficit)
            </th>
            <th className="nhsuk-table__header" scope="col">
              Reason
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {versions.map((v) => (
            <tr className="nhsuk-table__row" key={v.version}>
              <td className="nhsuk-table__cell">
                Version {v.version}
                {plan.acceptedVersion === v.version ? <span className="app-cell-note">Accepted</span> : null}
              </td>
              <td className="nhsuk-table__cell">
                {formatWhen(v.createdAt)}
                {v.createdBy ? <span className="app-cell-note app-secondary">by {v.createdBy}</span> : null}
              </td>
              <td className="nhsuk-table__cell app-numeric">{formatMoney(v.surplus)}</td>
              <td className="nhsuk-table__cell">{v.reason ?? <Empty>None given</Empty>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}
