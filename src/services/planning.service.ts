import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import { findOrganisationByCode, findVersionAt, listOrganisationsAt } from '../db/organisation.repository.js';
import {
  findEnvelope,
  findPlan,
  insertPlan,
  insertPlanVersion,
  insertRound,
  listPlans,
  listPlanVersions,
  listRounds,
  sumActuals,
  updatePlan,
  upsertEnvelope,
  type PlanRecord,
  type RoundRecord,
} from '../db/plan.repository.js';
import type { Principal } from '../domain/access.js';
import type { Actor } from '../domain/audit.js';
import { AppError, conflict, invalidInput, notFound, parseInput, type Problem } from '../domain/errors.js';
import { todayIsoDate, type IsoDate } from '../domain/iso-date.js';
import { versionFor } from '../domain/metric.js';
import { organisationKindLabels, type OrganisationKind } from '../domain/organisation.js';
import {
  compareFlows,
  envelopeSchema,
  partyOf,
  planContentSchema,
  planSurplus,
  revisionImpact,
  roundInputSchema,
  roundMonths,
  systemPosition,
  varianceSeries,
  type Envelope,
  type FlowComparison,
  type MemberPlan,
  type PlanContent,
  type PlanParty,
  type PlanVariance,
  type PlanningRound,
  type RevisionImpact,
  type SystemPosition,
} from '../domain/planning.js';
import {
  describeState,
  isEditable,
  openSteps,
  planStep,
  returnStatuses,
  type ReturnStatus,
  type ReturnStep,
} from '../domain/return-workflow.js';
import { authorise, isAllowed, type RecordFacts } from './access.service.js';
import { actorOf } from './identity.service.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';

/**
 * One financial and operational planning process: rounds, plans submitted through the returns' workflow
 * (an ICB's own plan goes straight to its region: the ICB does not approve itself), each ICB's envelope,
 * the system's plan against it with its drivers, the impact of each revision on its organisation and its
 * system, the services providers and commissioners planned differently, and plan against actual from the
 * accepted returns.
 */

export type RoundStatus = 'upcoming' | 'open' | 'closed';

export interface RoundView extends PlanningRound {
  status: RoundStatus;
}

function presentRound(round: RoundRecord, today: IsoDate): RoundView {
  const { id: _id, ...rest } = round;
  return { ...rest, status: today < round.opens ? 'upcoming' : today > round.closes ? 'closed' : 'open' };
}

export async function listRoundViews(ex: Executor, today: IsoDate): Promise<RoundView[]> {
  return (await listRounds(ex)).map((r) => presentRound(r, today));
}

async function requireRound(ex: Executor, code: string): Promise<RoundRecord> {
  const round = (await listRounds(ex)).find((r) => r.code === code);
  if (!round) throw notFound(`There is no planning round ${code}. See "oversight plan rounds".`);
  return round;
}

export async function getRoundView(ex: Executor, code: string, today: IsoDate): Promise<RoundView> {
  return presentRound(await requireRound(ex, code), today);
}

/** Adds a round (national directors: the caller authorises first); its items are checked against the catalogue. */
export async function createRound(db: Db, actor: Actor, input: unknown, today: IsoDate): Promise<RoundView> {
  const r = parseInput(roundInputSchema, input, 'The planning round is not valid.', { dropEmptyKeys: true });
  return db.transaction().execute(async (trx) => {
    const catalogue = await getMetricCatalogue(trx);
    const problems: Problem[] = [];
    for (const [kind, items] of Object.entries(r.items)) {
      if (!(kind in organisationKindLabels))
        problems.push({ field: `items.${kind}`, message: `"${kind}" is not a kind of organisation` });
      items.forEach((item, i) => {
        if (!catalogue.itemByCode.has(item))
          problems.push({
            field: `items.${kind}.${i}`,
            message: `"${item}" is not a data item in the catalogue`,
          });
      });
    }
    if (problems.length > 0) throw invalidInput('The planning round names unknown kinds or items.', problems);
    if ((await listRounds(trx)).some((other) => other.code === r.code))
      throw conflict(`A planning round ${r.code} already exists. Choose another code.`);
    const round: PlanningRound = { ...r };
    await insertRound(trx, round, actor.label);
    await appendAuditEvents(trx, actor, [
      {
        action: 'planning.round-create',
        recordType: 'planning-round',
        recordId: r.code,
        before: null,
        after: round,
      },
    ]);
    return presentRound({ ...round, id: 0 }, today);
  });
}

const planLabel = (round: string, odsCode: string) => `the ${round} plan of ${odsCode}`;

async function requireOrganisation(ex: Executor, odsCode: string, date: IsoDate) {
  const code = odsCode.trim().toUpperCase();
  const org = await findOrganisationByCode(ex, code);
  if (!org) throw notFound(`No organisation has ODS code ${code}. Check the code, or search by name.`);
  const version = await findVersionAt(ex, org.id, date);
  if (!version)
    throw invalidInput(`${code} is not open on ${date}.`, [
      { field: 'organisation', message: 'Choose an organisation open in the planning year' },
    ]);
  return { id: org.id, odsCode: code, name: version.name, kind: version.kind };
}

const planFacts = (round: RoundRecord, organisationId: number): RecordFacts => ({
  organisationId,
  date: round.yearStart,
  published: false,
  statutoryFunction: null,
  template: `plan-${round.code}`,
});

/** An ICB submits its own plan (the `approve` action of its leads); providers' plans are submitted by their submitters. */
const submitAction = (party: PlanParty) =>
  party === 'commissioner' ? ('approve' as const) : ('submit' as const);

/** Sets the envelope of an ICB for a round: regional teams and directors for their ICBs, national directors. */
export async function setEnvelope(
  db: Db,
  caller: { principal: Principal | null; actor: Actor },
  roundCode: string,
  icbCode: string,
  input: unknown,
): Promise<{ round: string; icb: string; envelope: Envelope }> {
  const envelope = parseInput(envelopeSchema, input, 'The envelope is not valid.', { dropEmptyKeys: true });
  return db.transaction().execute(async (trx) => {
    const round = await requireRound(trx, roundCode);
    const icb = await requireOrganisation(trx, icbCode, round.yearStart);
    if (icb.kind !== 'icb')
      throw invalidInput(`${icb.odsCode} is not an ICB.`, [
        { field: 'icb', message: 'Envelopes are set for ICBs' },
      ]);
    if (caller.principal)
      await authorise(
        trx,
        caller.principal,
        'accept',
        planFacts(round, icb.id),
        `the ${round.code} envelope of ${icb.odsCode}`,
      );
    const catalogue = await getMetricCatalogue(trx);
    const unknown = envelope.activity.filter((a) => !catalogue.itemByCode.has(a.item));
    if (unknown.length > 0)
      throw invalidInput(
        'The envelope names unknown data items.',
        unknown.map((a) => ({
          field: 'activity',
          message: `"${a.item}" is not a data item in the catalogue`,
        })),
      );
    const before = await findEnvelope(trx, round.id, icb.id);
    await upsertEnvelope(trx, {
      roundId: round.id,
      organisationId: icb.id,
      ...envelope,
      setBy: caller.actor.label,
    });
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'planning.envelope-set',
        recordType: 'system-envelope',
        recordId: `${round.code}/${icb.odsCode}`,
        before: before ? { controlTotal: before.controlTotal, activity: before.activity } : null,
        after: envelope,
      },
    ]);
    return { round: round.code, icb: icb.odsCode, envelope };
  });
}

export interface PlanView {
  round: string;
  odsCode: string;
  name: string;
  party: PlanParty;
  status: ReturnStatus;
  state: string;
  statusReason: string | null;
  version: number;
  acceptedVersion: number | null;
  content: PlanContent;
  /** Annual surplus (deficit) of the working plan, £000s. */
  surplus: number;
  steps: ReturnStep[];
  updatedAt: string;
  /** The change the latest submission made to its organisation and system (null for a first submission). */
  impact: RevisionImpact | null;
}

const toStatus = (value: string): ReturnStatus =>
  (returnStatuses as readonly string[]).includes(value) ? (value as ReturnStatus) : 'draft';

function contentOf(value: unknown): PlanContent {
  // Stored plans were validated when written; parsing again types them and fills defaults added since.
  return planContentSchema.parse(value);
}

async function stepsFor(
  ex: Executor,
  principal: Principal,
  record: PlanRecord,
  round: RoundRecord,
): Promise<ReturnStep[]> {
  if (principal.kind !== 'user') return [];
  const steps: ReturnStep[] = [];
  for (const step of openSteps(toStatus(record.status))) {
    const plan = planStep(toStatus(record.status), step);
    if (plan.ok && (await isAllowed(ex, principal, plan.action, planFacts(round, record.organisationId))))
      steps.push(step);
  }
  return steps;
}

export interface PlanInput {
  round: string;
  odsCode: string;
  content: unknown;
  submit: boolean;
  reason?: string | undefined;
  sourceFormat?: 'json' | 'xlsx' | 'web' | undefined;
  /** The date it is submitted (default today): submissions open on the round's opening date. */
  today?: IsoDate | undefined;
}

const todayOf = (input: PlanInput) => input.today ?? todayIsoDate();

/**
 * Saves or submits a plan. Submitting needs every item the round asks of the organisation's kind, for every
 * month; flows must name organisations on the other side (providers name commissioners and the reverse).
 * A resubmission after lock needs a reason. Each submission is a version, with its impact on its system.
 */
export async function savePlan(
  db: Db,
  principal: Principal,
  input: PlanInput,
  requestId: string | null,
): Promise<PlanView> {
  const content = parseInput(planContentSchema, input.content, 'The plan is not valid.', {
    prefix: 'content',
    dropEmptyKeys: true,
  });
  const reason = input.reason?.trim() || null;
  const actor = actorOf(principal, requestId);
  return db.transaction().execute(async (trx) => {
    const round = await requireRound(trx, input.round);
    const org = await requireOrganisation(trx, input.odsCode, round.yearStart);
    const party = partyOf(org.kind);
    const label = planLabel(round.code, org.odsCode);
    await authorise(trx, principal, submitAction(party), planFacts(round, org.id), label);
    if (input.submit && round.opens > todayOf(input))
      throw conflict(
        `The ${round.name} round opens on ${round.opens}: plans can be saved as drafts until then.`,
      );
    const asked = round.items[org.kind];
    if (!asked)
      throw invalidInput(
        `The ${round.name} round does not ask ${organisationKindLabels[org.kind as OrganisationKind] ?? org.kind} organisations for a plan.`,
        [{ field: 'organisation', message: `It asks: ${Object.keys(round.items).join(', ')}` }],
      );
    const catalogue = await getMetricCatalogue(trx);
    const problems: Problem[] = [];
    for (const [item, values] of Object.entries(content.values)) {
      if (!asked.includes(item)) {
        problems.push({
          field: `content.values.${item}`,
          message: `"${item}" is not an item of this plan: the round asks for ${asked.join(', ')}`,
        });
        continue;
      }
      const unit = catalogue.itemByCode.get(item)?.unit;
      values.forEach((v, i) => {
        if (v !== null && v < 0 && unit !== 'gbp-thousands')
          problems.push({
            field: `content.values.${item}.${i}`,
            message: `${item} for month ${i + 1} is ${v}: enter a number of 0 or more`,
          });
      });
    }
    if (input.submit)
      for (const item of asked) {
        const values = content.values[item];
        if (!values || values.some((v) => v === null))
          problems.push({
            field: `content.values.${item}`,
            message: `Enter ${item} for every month, April to March`,
          });
      }
    const yearOrgs = await listOrganisationsAt(trx, round.yearStart);
    const byCode = new Map(yearOrgs.map((o) => [o.odsCode, o]));
    content.flows.forEach((flow, i) => {
      const other = byCode.get(flow.counterparty);
      if (!other)
        problems.push({
          field: `content.flows.${i}.counterparty`,
          message: `${flow.counterparty} is not an organisation open in the planning year`,
        });
      else if (partyOf(other.kind) === party)
        problems.push({
          field: `content.flows.${i}.counterparty`,
          message: `${flow.counterparty} is a ${party} too: ${party === 'provider' ? 'a provider plans income from commissioners' : 'a commissioner plans payments to providers'}`,
        });
    });
    if (problems.length > 0)
      throw invalidInput(
        `${label} has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} to correct.`,
        problems,
      );

    const existing = await findPlan(trx, round.id, org.id, true);
    if (existing) {
      const status = toStatus(existing.status);
      if (status === 'locked') {
        if (!input.submit) throw conflict(`${label} is locked: resubmit it with a reason to revise it.`);
        if (!reason)
          throw invalidInput(`${label} is locked: say why it is being revised.`, [
            { field: 'reason', message: 'Enter the reason for the revision' },
          ]);
      } else if (!isEditable(status))
        throw conflict(
          `${label} ${describeState(status)}: it can be changed once it is returned for correction.`,
        );
    }
    // An ICB's own plan goes straight to its region.
    const submittedStatus: ReturnStatus = party === 'commissioner' ? 'approved' : 'submitted';
    const status: ReturnStatus = input.submit
      ? submittedStatus
      : existing && toStatus(existing.status) === 'returned'
        ? 'returned'
        : 'draft';
    const version = input.submit ? (existing?.version ?? 0) + 1 : (existing?.version ?? 0);
    let id: number;
    if (existing) {
      await updatePlan(trx, existing.id, {
        status,
        content,
        version,
        updatedBy: actor.label,
        submittedNow: input.submit,
        ...(input.submit ? { statusReason: reason } : {}),
      });
      id = existing.id;
    } else {
      id = await insertPlan(trx, {
        roundId: round.id,
        organisationId: org.id,
        status,
        content,
        updatedBy: actor.label,
      });
      if (input.submit)
        await updatePlan(trx, id, { status, version, updatedBy: actor.label, submittedNow: true });
    }
    let impact: RevisionImpact | null = null;
    if (input.submit) {
      await insertPlanVersion(trx, {
        planId: id,
        version,
        content,
        reason,
        sourceFormat: input.sourceFormat ?? 'json',
        createdBy: actor.label,
      });
      if (version > 1) impact = (await systemImpacts(trx, round, org.id, yearOrgs)).get(org.id) ?? null;
    }
    await appendAuditEvents(trx, actor, [
      {
        action: input.submit ? (version > 1 ? 'plan.resubmit' : 'plan.submit') : 'plan.save',
        recordType: 'plan',
        recordId: `${round.code}/${org.odsCode}`,
        before: existing ? { status: existing.status, version: existing.version } : null,
        after: {
          status,
          version,
          surplus: planSurplus(content),
          ...(reason ? { reason } : {}),
          ...(impact
            ? {
                impact: {
                  organisation: impact.organisation.change,
                  system: impact.system.change,
                  flagged: impact.flagged,
                },
              }
            : {}),
        },
      },
    ]);
    const saved = await findPlan(trx, round.id, org.id);
    if (!saved) throw new Error('plan vanished');
    return presentPlan(trx, principal, round, saved, { name: org.name, kind: org.kind }, impact);
  });
}

async function presentPlan(
  ex: Executor,
  principal: Principal,
  round: RoundRecord,
  record: PlanRecord,
  org: { name: string; kind: string },
  impact: RevisionImpact | null,
): Promise<PlanView> {
  const status = toStatus(record.status);
  const content = contentOf(record.content);
  return {
    round: round.code,
    odsCode: record.odsCode,
    name: org.name,
    party: partyOf(org.kind),
    status,
    state: describeState(status),
    statusReason: record.statusReason,
    version: record.version,
    acceptedVersion: record.acceptedVersion,
    content,
    surplus: planSurplus(content),
    steps: await stepsFor(ex, principal, record, round),
    updatedAt: record.updatedAt,
    impact,
  };
}

/** The ICB an organisation plans within (itself for an ICB), as at the start of the planning year. */
function systemOf(
  orgs: Awaited<ReturnType<typeof listOrganisationsAt>>,
  organisationId: number,
): { id: number; odsCode: string; name: string } | null {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  for (let current = byId.get(organisationId), steps = 0; current && steps < 10; steps += 1) {
    if (current.kind === 'icb') return { id: current.id, odsCode: current.odsCode, name: current.name };
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return null;
}

interface SystemPlans {
  icb: { id: number; odsCode: string; name: string };
  envelope: Envelope | null;
  /** Every member asked for a plan, with its record (null when none has been started). */
  members: Array<{ id: number; odsCode: string; name: string; kind: string; record: PlanRecord | null }>;
  /** The latest submitted version of each member's plan, and the one before (for revisions). */
  latest: Map<number, MemberPlan>;
  previous: Map<number, MemberPlan>;
}

async function loadSystem(
  ex: Executor,
  round: RoundRecord,
  icbId: number,
  orgs: Awaited<ReturnType<typeof listOrganisationsAt>>,
): Promise<SystemPlans> {
  const icbOrg = orgs.find((o) => o.id === icbId);
  if (!icbOrg) throw notFound('The ICB is not open in the planning year.');
  const members = orgs
    .filter((o) => round.items[o.kind] && systemOf(orgs, o.id)?.id === icbId)
    .sort((a, b) => a.odsCode.localeCompare(b.odsCode));
  const records = new Map(
    (
      await listPlans(
        ex,
        round.id,
        members.map((m) => m.id),
      )
    ).map((p) => [p.organisationId, p]),
  );
  const versions = await listPlanVersions(
    ex,
    [...records.values()].map((p) => p.id),
  );
  const latest = new Map<number, MemberPlan>();
  const previous = new Map<number, MemberPlan>();
  for (const member of members) {
    const record = records.get(member.id);
    if (!record) continue;
    const own = versions.filter((v) => v.planId === record.id);
    const asMember = (content: unknown): MemberPlan => ({
      odsCode: member.odsCode,
      name: member.name,
      party: partyOf(member.kind),
      content: contentOf(content),
    });
    const last = own.at(-1);
    const before = own.at(-2);
    if (last) latest.set(member.id, asMember(last.content));
    if (before) previous.set(member.id, asMember(before.content));
  }
  const envelopeRecord = await findEnvelope(ex, round.id, icbId);
  return {
    icb: { id: icbOrg.id, odsCode: icbOrg.odsCode, name: icbOrg.name },
    envelope: envelopeRecord
      ? envelopeSchema.parse({ controlTotal: envelopeRecord.controlTotal, activity: envelopeRecord.activity })
      : null,
    members: members.map((m) => ({
      id: m.id,
      odsCode: m.odsCode,
      name: m.name,
      kind: m.kind,
      record: records.get(m.id) ?? null,
    })),
    latest,
    previous,
  };
}

const noEnvelope: Envelope = { controlTotal: 0, activity: [] };

/** The impact of each member's latest revision on itself and its system (members with two versions or more). */
async function systemImpacts(
  ex: Executor,
  round: RoundRecord,
  organisationId: number,
  orgs: Awaited<ReturnType<typeof listOrganisationsAt>>,
): Promise<Map<number, RevisionImpact>> {
  const icb = systemOf(orgs, organisationId);
  if (!icb) return new Map();
  return revisionImpacts(await loadSystem(ex, round, icb.id, orgs));
}

/** Each member's latest revision against the one before, the other members' latest plans held fixed. */
function revisionImpacts(system: SystemPlans): Map<number, RevisionImpact> {
  const impacts = new Map<number, RevisionImpact>();
  for (const [id, before] of system.previous) {
    const after = system.latest.get(id);
    if (!after) continue;
    const others = [...system.latest.entries()].filter(([other]) => other !== id).map(([, plan]) => plan);
    impacts.set(id, revisionImpact(before, after, others, system.envelope ?? noEnvelope));
  }
  return impacts;
}

/** A test of whether an organisation is an area or lies under it, in the hierarchy as the rows stand. */
function withinTest(
  orgs: Awaited<ReturnType<typeof listOrganisationsAt>>,
): (id: number, areaId: number) => boolean {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  return (id, areaId) => {
    for (let current = byId.get(id), steps = 0; current && steps < 10; steps += 1) {
      if (current.id === areaId) return true;
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    return false;
  };
}

export async function getPlan(
  db: Db,
  principal: Principal,
  roundCode: string,
  odsCode: string,
): Promise<
  PlanView & {
    versions: Array<{
      version: number;
      reason: string | null;
      createdAt: string;
      createdBy: string;
      surplus: number;
    }>;
  }
> {
  const round = await requireRound(db, roundCode);
  const org = await requireOrganisation(db, odsCode, round.yearStart);
  await authorise(db, principal, 'read', planFacts(round, org.id), planLabel(round.code, org.odsCode));
  const record = await findPlan(db, round.id, org.id);
  if (!record) throw notFound(`${org.odsCode} has not started its ${round.code} plan.`);
  const orgs = await listOrganisationsAt(db, round.yearStart);
  const impact = (await systemImpacts(db, round, org.id, orgs)).get(org.id) ?? null;
  const versions = (await listPlanVersions(db, [record.id])).map((v) => ({
    version: v.version,
    reason: v.reason,
    createdAt: v.createdAt,
    createdBy: principal.kind === 'user' ? v.createdBy : '',
    surplus: planSurplus(contentOf(v.content)),
  }));
  return { ...(await presentPlan(db, principal, round, record, org, impact)), versions };
}

/** Moves a plan on through the returns' workflow: approve (ICB), accept and lock (region), return with a reason. */
export async function advancePlan(
  db: Db,
  principal: Principal,
  roundCode: string,
  odsCode: string,
  step: ReturnStep,
  reasonInput: string | null | undefined,
  requestId: string | null,
): Promise<PlanView> {
  const reason = reasonInput?.trim() || null;
  return db.transaction().execute(async (trx) => {
    const round = await requireRound(trx, roundCode);
    const org = await requireOrganisation(trx, odsCode, round.yearStart);
    const label = planLabel(round.code, org.odsCode);
    // Access first, so nobody outside learns whether a plan exists.
    await authorise(trx, principal, 'read', planFacts(round, org.id), label);
    const record = await findPlan(trx, round.id, org.id, true);
    if (!record) throw notFound(`${org.odsCode} has not started its ${round.code} plan.`);
    const status = toStatus(record.status);
    const plan = planStep(status, step);
    if (!plan.ok) throw conflict(`${label}: ${plan.message}`);
    await authorise(trx, principal, plan.action, planFacts(round, org.id), label);
    if (plan.needsReason && !reason)
      throw invalidInput('Say why the plan is being returned.', [
        { field: 'reason', message: 'Enter what the organisation needs to correct' },
      ]);
    const actor = actorOf(principal, requestId);
    await updatePlan(trx, record.id, {
      status: plan.to,
      updatedBy: actor.label,
      statusReason: plan.to === 'returned' ? reason : record.statusReason,
      ...(plan.to === 'accepted' ? { acceptedVersion: record.version } : {}),
    });
    await appendAuditEvents(trx, actor, [
      {
        action: `plan.${step}`,
        recordType: 'plan',
        recordId: `${round.code}/${org.odsCode}`,
        before: { status, version: record.version },
        after: { status: plan.to, version: record.version, ...(reason ? { reason } : {}) },
      },
    ]);
    const saved = await findPlan(trx, round.id, org.id);
    if (!saved) throw new Error('plan vanished');
    return presentPlan(trx, principal, round, saved, org, null);
  });
}

export interface SystemPlanView {
  round: string;
  icb: { odsCode: string; name: string };
  envelope: Envelope | null;
  members: Array<{
    odsCode: string;
    name: string;
    party: PlanParty;
    status: ReturnStatus | 'not-started';
    version: number;
    /** Annual surplus (deficit) of the latest submitted version; null before the first submission. */
    surplus: number | null;
    impact: RevisionImpact | null;
  }>;
  /** The system's plan against its envelope (against breakeven with no activity expectations until one is set). */
  position: SystemPosition;
  mismatches: FlowComparison[];
  /** Revisions that improve their organisation while worsening the system. */
  flaggedRevisions: Array<{ odsCode: string; explanation: string }>;
}

/** An ICB's system plan: its members' plans, the envelope, the gap and what drives it, mismatches and revisions. */
export async function getSystemPlan(
  db: Db,
  principal: Principal,
  roundCode: string,
  icbCode: string,
): Promise<SystemPlanView> {
  const round = await requireRound(db, roundCode);
  const icb = await requireOrganisation(db, icbCode, round.yearStart);
  if (icb.kind !== 'icb')
    throw invalidInput(`${icb.odsCode} is not an ICB.`, [{ field: 'icb', message: 'Choose an ICB' }]);
  await authorise(
    db,
    principal,
    'read',
    planFacts(round, icb.id),
    `the ${round.code} plan of the ${icb.name} system`,
  );
  const orgs = await listOrganisationsAt(db, round.yearStart);
  const system = await loadSystem(db, round, icb.id, orgs);
  const plans = [...system.latest.values()];
  const impacts = revisionImpacts(system);
  const members = system.members.map((m) => {
    const latest = system.latest.get(m.id);
    return {
      odsCode: m.odsCode,
      name: m.name,
      party: partyOf(m.kind),
      status: m.record ? toStatus(m.record.status) : ('not-started' as const),
      version: m.record?.version ?? 0,
      surplus: latest ? planSurplus(latest.content) : null,
      impact: impacts.get(m.id) ?? null,
    };
  });
  return {
    round: round.code,
    icb: { odsCode: icb.odsCode, name: icb.name },
    envelope: system.envelope,
    members,
    position: systemPosition(plans, system.envelope ?? noEnvelope),
    mismatches: compareFlows(plans).filter((f) => !f.matched),
    flaggedRevisions: members.flatMap((m) =>
      m.impact?.flagged ? [{ odsCode: m.odsCode, explanation: m.impact.explanation }] : [],
    ),
  };
}

/**
 * The gap of an ICB's system plan against its envelope, for recording an intervention on it (the caller
 * has authorised the intervention). Null when the round has no envelope for the ICB.
 */
export async function findSystemGap(
  ex: Executor,
  roundCode: string,
  icbId: number,
): Promise<{
  round: string;
  yearStart: IsoDate;
  gap: number;
  controlTotal: number;
  position: number;
} | null> {
  const round = await requireRound(ex, roundCode);
  const system = await loadSystem(ex, round, icbId, await listOrganisationsAt(ex, round.yearStart));
  if (!system.envelope) return null;
  const position = systemPosition([...system.latest.values()], system.envelope);
  return {
    round: round.code,
    yearStart: round.yearStart,
    gap: position.gap,
    controlTotal: position.controlTotal,
    position: position.position,
  };
}

export interface RoundSummaryView {
  round: RoundView;
  area: { odsCode: string; name: string; kind: string };
  systems: Array<{
    icb: { odsCode: string; name: string };
    asked: number;
    byStatus: Record<string, number>;
    envelopeSet: boolean;
    gap: number | null;
    affordable: boolean | null;
    flaggedRevisions: number;
  }>;
}

/** A round across a region (or England): for each ICB, plans by status and its gap against the envelope. */
export async function getRoundSummary(
  db: Db,
  principal: Principal,
  roundCode: string,
  areaCode: string,
  today: IsoDate,
): Promise<RoundSummaryView> {
  const round = await requireRound(db, roundCode);
  const area = await requireOrganisation(db, areaCode, round.yearStart);
  await authorise(
    db,
    principal,
    'read',
    planFacts(round, area.id),
    `the ${round.code} round in ${area.name}`,
  );
  const orgs = await listOrganisationsAt(db, round.yearStart);
  const within = withinTest(orgs);
  const icbs = orgs.filter(
    (o) => o.kind === 'icb' && (area.kind === 'icb' ? o.id === area.id : within(o.id, area.id)),
  );
  const systems: RoundSummaryView['systems'] = [];
  for (const icb of icbs.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!(await isAllowed(db, principal, 'read', planFacts(round, icb.id)))) continue;
    const system = await loadSystem(db, round, icb.id, orgs);
    const byStatus: Record<string, number> = {};
    for (const m of system.members) {
      const status = m.record ? m.record.status : 'not-started';
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
    const position = system.envelope ? systemPosition([...system.latest.values()], system.envelope) : null;
    const flagged = [...revisionImpacts(system).values()].filter((impact) => impact.flagged).length;
    systems.push({
      icb: { odsCode: icb.odsCode, name: icb.name },
      asked: system.members.length,
      byStatus,
      envelopeSet: system.envelope !== null,
      gap: position?.gap ?? null,
      affordable: position?.affordable ?? null,
      flaggedRevisions: flagged,
    });
  }
  return {
    round: presentRound(round, today),
    area: { odsCode: area.odsCode, name: area.name, kind: area.kind },
    systems,
  };
}

export interface PlanVsActualView {
  round: string;
  area: { odsCode: string; name: string; kind: string };
  /** Organisations whose plans are counted (accepted version, else the latest submitted). */
  organisations: string[];
  items: Array<{ item: string; name: string; series: PlanVariance[] }>;
  metrics: Array<{
    metric: string;
    name: string;
    polarity: string;
    series: PlanVariance[];
    /** The last three months with actuals were all on the wrong side of the plan. */
    offTrajectory: boolean;
  }>;
}

/**
 * Plan against actual, month by month, for an organisation or an area (its members' plans and actuals added
 * up, like for like): the actuals are the observation store's current values, which accepted returns write.
 */
export async function getPlanVsActual(
  db: Db,
  principal: Principal,
  roundCode: string,
  areaCode: string,
): Promise<PlanVsActualView> {
  const round = await requireRound(db, roundCode);
  const area = await requireOrganisation(db, areaCode, round.yearStart);
  await authorise(
    db,
    principal,
    'read',
    planFacts(round, area.id),
    `the ${round.code} plans in ${area.name}`,
  );
  return computePlanVsActual(db, round, area);
}

export interface OffTrajectory {
  round: { code: string; name: string };
  metric: string;
  name: string;
  /** The latest month with an actual, and its variance from the plan. */
  month: string;
  plan: number;
  actual: number;
}

/**
 * The planned measures of an area that have been off trajectory for three months, in the round whose year
 * holds the date — for the oversight views, beside the segment drivers. Empty when no round covers the date,
 * or when the viewer may not read the area's plans (the command line, a null viewer, may).
 */
export async function offTrajectoryMeasures(
  db: Db,
  viewer: Principal | null,
  areaCode: string,
  date: IsoDate,
): Promise<OffTrajectory[]> {
  const round = (await listRounds(db)).find((r) => r.yearStart <= date && date < roundMonthsEnd(r.yearStart));
  if (!round) return [];
  const code = areaCode.trim().toUpperCase();
  const org = await findOrganisationByCode(db, code);
  const version = org ? await findVersionAt(db, org.id, round.yearStart) : null;
  if (!org || !version) return [];
  if (viewer && !(await isAllowed(db, viewer, 'read', planFacts(round, org.id)))) return [];
  const view = await computePlanVsActual(db, round, {
    id: org.id,
    odsCode: code,
    name: version.name,
    kind: version.kind,
  });
  return view.metrics.flatMap((m) => {
    const last = m.series.filter((p) => p.variance !== null).at(-1);
    return m.offTrajectory && last && last.plan !== null && last.actual !== null
      ? [
          {
            round: { code: round.code, name: round.name },
            metric: m.metric,
            name: m.name,
            month: last.month,
            plan: last.plan,
            actual: last.actual,
          },
        ]
      : [];
  });
}

const roundMonthsEnd = (yearStart: string) => {
  const [year = 0] = yearStart.split('-').map(Number);
  return `${year + 1}-04-01`;
};

async function computePlanVsActual(
  db: Db,
  round: RoundRecord,
  area: { id: number; odsCode: string; name: string; kind: string },
): Promise<PlanVsActualView> {
  const orgs = await listOrganisationsAt(db, round.yearStart);
  const within = withinTest(orgs);
  const planned = (await listPlans(db, round.id)).filter(
    (p) => within(p.organisationId, area.id) && p.version > 0,
  );
  const versions = await listPlanVersions(
    db,
    planned.map((p) => p.id),
  );
  const months = roundMonths(round.yearStart);
  const totals = new Map<string, Array<number | null>>();
  const planners = new Map<string, number>();
  const plannedItems = new Map<string, string[]>();
  const organisations: string[] = [];
  for (const plan of planned) {
    const wanted = plan.acceptedVersion ?? plan.version;
    const version = versions.find((v) => v.planId === plan.id && v.version === wanted);
    if (!version) continue;
    organisations.push(plan.odsCode);
    plannedItems.set(plan.odsCode, Object.keys(contentOf(version.content).values));
    for (const [item, values] of Object.entries(contentOf(version.content).values)) {
      planners.set(item, (planners.get(item) ?? 0) + 1);
      const sum = totals.get(item) ?? Array.from({ length: months.length }, () => null);
      values.forEach((v, i) => {
        if (v !== null) sum[i] = (sum[i] ?? 0) + v;
      });
      totals.set(item, sum);
    }
  }
  const catalogue = await getMetricCatalogue(db);
  const actualRows = await sumActuals(db, {
    pairs: planned.flatMap((p) =>
      (plannedItems.get(p.odsCode) ?? []).map((item) => ({ odsCode: p.odsCode, item })),
    ),
    from: months[0] ?? round.yearStart,
    to: months.at(-1) ?? round.yearStart,
  });
  const actuals = new Map<string, Map<string, number>>();
  for (const row of actualRows) {
    // Like for like: an area's month counts only when every organisation planning the item reported it.
    if (row.codes < (planners.get(row.item) ?? 0)) continue;
    const byMonth = actuals.get(row.item) ?? new Map<string, number>();
    byMonth.set(row.month, row.value);
    actuals.set(row.item, byMonth);
  }
  const items = [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([item, plan]) => ({
      item,
      name: catalogue.itemByCode.get(item)?.name ?? item,
      series: varianceSeries(months, plan, actuals.get(item) ?? new Map()),
    }));
  // Metrics whose every item is planned: the planned metric from the planned items, the actual from the actuals.
  const metrics: PlanVsActualView['metrics'] = [];
  for (const metric of catalogue.metrics) {
    const definition = versionFor(metric, round.yearStart)?.definition;
    if (!definition) continue;
    const terms = [...definition.numerator, ...(definition.denominator ?? [])];
    if (terms.length === 0 || !terms.every((t) => totals.has(t.item))) continue;
    const side = (
      terms: readonly { item: string; coefficient: number }[],
      value: (item: string) => number | null,
    ) => {
      let sum = 0;
      for (const t of terms) {
        const v = value(t.item);
        if (v === null) return null;
        sum += t.coefficient * v;
      }
      return sum;
    };
    const valueAt = (value: (item: string) => number | null) => {
      const numerator = side(definition.numerator, value);
      if (numerator === null) return null;
      if (definition.denominator === null) return numerator * definition.multiplier;
      const denominator = side(definition.denominator, value);
      return denominator === null || denominator === 0
        ? null
        : (numerator / denominator) * definition.multiplier;
    };
    const planSeries = months.map((_, i) => valueAt((item) => totals.get(item)?.[i] ?? null));
    const actualSeries = new Map<string, number>();
    months.forEach((month) => {
      const v = valueAt((item) => actuals.get(item)?.get(month) ?? null);
      if (v !== null) actualSeries.set(month, v);
    });
    const series = varianceSeries(months, planSeries, actualSeries);
    const recent = series.filter((p) => p.variance !== null).slice(-3);
    const worse = (p: PlanVariance) =>
      metric.polarity === 'higher-is-better'
        ? (p.variance ?? 0) < 0
        : metric.polarity === 'lower-is-better'
          ? (p.variance ?? 0) > 0
          : false;
    metrics.push({
      metric: metric.code,
      name: metric.name,
      polarity: metric.polarity,
      series,
      offTrajectory: recent.length === 3 && recent.every(worse),
    });
  }
  return {
    round: round.code,
    area: { odsCode: area.odsCode, name: area.name, kind: area.kind },
    organisations: organisations.sort(),
    items,
    metrics,
  };
}

/** Refuses callers that are not signed in, for reads that name plans not yet published. */
export function requireSignedIn(principal: Principal): void {
  if (principal.kind === 'public') throw new AppError('unauthenticated', 'Sign in to see plans.');
}

/** What the plan workbook of an organisation needs: the round's items for its kind, with names, and its plan so far. */
export async function getPlanLayout(
  db: Db,
  principal: Principal | null,
  roundCode: string,
  odsCode: string,
): Promise<{
  round: string;
  yearStart: string;
  odsCode: string;
  name: string;
  items: Array<{ code: string; name: string }>;
  content: PlanContent | null;
}> {
  const round = await requireRound(db, roundCode);
  const org = await requireOrganisation(db, odsCode, round.yearStart);
  const asked = round.items[org.kind];
  if (!asked)
    throw invalidInput(`The ${round.name} round does not ask ${org.odsCode} for a plan.`, [
      { field: 'organisation', message: `It asks: ${Object.keys(round.items).join(', ')}` },
    ]);
  const catalogue = await getMetricCatalogue(db);
  // The plan so far is filled in for those who may read it; anyone else gets the blank template.
  let content: PlanContent | null = null;
  if (principal && (await isAllowed(db, principal, 'read', planFacts(round, org.id)))) {
    const record = await findPlan(db, round.id, org.id);
    if (record) content = contentOf(record.content);
  }
  return {
    round: round.code,
    yearStart: round.yearStart,
    odsCode: org.odsCode,
    name: org.name,
    items: asked.map((code) => ({ code, name: catalogue.itemByCode.get(code)?.name ?? code })),
    content,
  };
}
