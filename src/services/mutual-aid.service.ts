import { appendAuditEvents } from '../db/audit.repository.js';
import type { Db, Executor } from '../db/database.js';
import {
  findAidMatch,
  findAidOffer,
  findAidRequest,
  findInterventionFacts,
  insertAidEvents,
  insertAidMatch,
  insertAidOffer,
  insertAidRequest,
  listAidCandidates,
  listAidEvents,
  listAidMatches,
  listAidMatchesGivenBy,
  listAidOffersUnder,
  listAidRequestsByIds,
  listAidRequestsOf,
  listAidRequestsUnder,
  listOpenAidOffers,
  updateAidMatch,
  updateAidRequestStatus,
  withdrawAidOfferRow,
  type AidEventRecord,
  type AidMatchRecord,
  type AidOfferRecord,
  type AidRequestRecord,
} from '../db/mutual-aid.repository.js';
import { findOrganisationByCode, findVersionAt, listPathAt } from '../db/organisation.repository.js';
import { decide, type Principal, type StatutoryFunction } from '../domain/access.js';
import type { Actor } from '../domain/audit.js';
import { AppError, conflict, invalidInput, notFound, parseInput, type Problem } from '../domain/errors.js';
import { addDays, type IsoDate } from '../domain/iso-date.js';
import {
  aidDetailLabel,
  aidKindLabels,
  aidMatchStatusLabels,
  aidOfferInputSchema,
  aidProposalInputSchema,
  aidRequestInputSchema,
  aidRequestStatusLabels,
  aidUnitLabels,
  aidUrgencyLabels,
  checkAidStep,
  describeQuantity,
  rankAidCandidates,
  remainingNeed,
  statusFromMatches,
  type AidKind,
  type AidMatching,
  type AidMatchStatus,
  type AidRequestStatus,
  type AidUrgency,
} from '../domain/mutual-aid.js';
import { addMonths, periodContaining } from '../domain/period.js';
import { isAllowed, type PathCache, type RecordFacts } from './access.service.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';

/**
 * Mutual aid between NHS trusts: raise a request, offer capacity, rank candidates (domain/mutual-aid.ts),
 * propose matches, agree each side, start, record deliveries, complete or withdraw — each a transaction
 * with its audit events and a row of the append-only aid history. Regions see and broker everything in
 * theirs; organisations see their region's requests (local first) and any request they are matched to.
 * The collaboration record (aid given and received over 12 months) is oversight's evidence of the duty to
 * collaborate.
 */

export interface AidCaller {
  principal: Principal;
  actor: Actor;
}

/** The metric matching reads for a candidate's pressure, and how old a figure may be (months). */
export const pressureMetricCode = 'ga_occupancy';
const pressureMonths = 3;

const facts = (organisationId: number, date: IsoDate): RecordFacts => ({
  organisationId,
  date,
  published: false,
  statutoryFunction: null,
  template: null,
});

function requireSignedIn(principal: Principal, what: string): void {
  if (principal.kind !== 'user')
    throw new AppError(
      principal.kind === 'public' ? 'unauthenticated' : 'forbidden',
      `Sign in to ${what}: mutual aid records are not public.`,
    );
}

// ---------------------------------------------------------------------------------------------------
// Who sees what

/** Where a caller can act for mutual aid: everywhere, or the organisations their grants name and those regions. */
interface AidViewer {
  principal: Principal;
  national: boolean;
  regionIds: Set<number>;
  scopeIds: Set<number>;
}

async function regionOf(ex: Executor, organisationId: number, today: IsoDate): Promise<number | null> {
  const path = await listPathAt(ex, organisationId, today);
  return path.find((o) => o.kind === 'region')?.id ?? null;
}

async function aidViewer(ex: Executor, principal: Principal, today: IsoDate): Promise<AidViewer> {
  const viewer: AidViewer = { principal, national: false, regionIds: new Set(), scopeIds: new Set() };
  if (principal.kind !== 'user') return viewer;
  for (const grant of principal.grants) {
    // A grant counts when its role may collaborate: the one policy answers for the grant's own scope.
    const alone: Principal = { ...principal, grants: [grant] };
    const path = grant.scopeOrganisationId === null ? [] : [grant.scopeOrganisationId];
    if (
      !decide(alone, 'collaborate', { path, published: false, statutoryFunction: null, template: null })
        .allowed
    )
      continue;
    if (grant.scopeOrganisationId === null) {
      viewer.national = true;
      continue;
    }
    viewer.scopeIds.add(grant.scopeOrganisationId);
    const region = await regionOf(ex, grant.scopeOrganisationId, today);
    if (region !== null) viewer.regionIds.add(region);
  }
  return viewer;
}

async function canCollaborate(
  ex: Executor,
  principal: Principal,
  organisationId: number,
  today: IsoDate,
  cache: PathCache,
): Promise<boolean> {
  return isAllowed(ex, principal, 'collaborate', facts(organisationId, today), cache);
}

/** A request is seen by those who may act for its requester, anyone acting in its region, and its providers. */
async function canSeeRequest(
  ex: Executor,
  viewer: AidViewer,
  request: AidRequestRecord,
  matches: readonly AidMatchRecord[],
  today: IsoDate,
  cache: PathCache,
): Promise<boolean> {
  if (viewer.principal.kind !== 'user') return false;
  if (viewer.national) return true;
  if (await canCollaborate(ex, viewer.principal, request.organisationId, today, cache)) return true;
  const region = await regionOf(ex, request.organisationId, today);
  if (region !== null && viewer.regionIds.has(region)) return true;
  for (const match of matches)
    if (await canCollaborate(ex, viewer.principal, match.providerId, today, cache)) return true;
  return false;
}

async function requireTrust(ex: Executor, odsCode: string, today: IsoDate, field: string) {
  const code = odsCode.trim().toUpperCase();
  const org = await findOrganisationByCode(ex, code);
  if (!org)
    throw invalidInput(`No organisation has ODS code ${code}.`, [
      { field, message: `No organisation has ODS code ${code}. Check the code, or search by name` },
    ]);
  const version = await findVersionAt(ex, org.id, today);
  if (!version || version.kind !== 'nhs-trust')
    throw invalidInput(`${code} is not an NHS trust open today.`, [
      { field, message: `Mutual aid is between NHS trusts open today; ${code} is not one` },
    ]);
  return { id: org.id, odsCode: code, name: version.name };
}

async function authoriseCollaboration(
  ex: Executor,
  principal: Principal,
  organisation: { id: number; odsCode: string; name: string },
  today: IsoDate,
  what: string,
): Promise<void> {
  requireSignedIn(principal, what);
  if (await canCollaborate(ex, principal, organisation.id, today, new Map())) return;
  const record = { path: (await listPathAt(ex, organisation.id, today)).map((o) => o.id), published: false };
  const decision = decide(principal, 'collaborate', { ...record, statutoryFunction: null, template: null });
  throw new AppError(
    'forbidden',
    `You cannot ${what} for ${organisation.name} (${organisation.odsCode}): ${decision.allowed ? '' : decision.reason}`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Views

export interface AidMatchView {
  id: number;
  offerId: number | null;
  provider: { odsCode: string; name: string };
  quantity: number;
  delivered: number;
  status: AidMatchStatus;
  statusLabel: string;
  requesterAgreed: { at: string; by: string } | null;
  providerAgreed: { at: string; by: string } | null;
  proposedAt: string;
  proposedBy: string;
  /** What the caller may do to this match. */
  youMay: Array<'agree-for-requester' | 'agree-for-provider' | 'withdraw' | 'deliver'>;
}

export interface AidRequestSummary {
  id: number;
  requester: { odsCode: string; name: string };
  kind: AidKind;
  kindLabel: string;
  detail: string;
  detailLabel: string;
  unit: string;
  unitLabel: string;
  quantity: number;
  need: string;
  neededFrom: IsoDate;
  neededTo: IsoDate;
  urgency: AidUrgency;
  urgencyLabel: string;
  status: AidRequestStatus;
  statusLabel: string;
  allocated: number;
  agreed: number;
  delivered: number;
  remaining: number;
  createdAt: string;
}

export interface AidRequestView extends AidRequestSummary {
  reason: string;
  statusReason: string | null;
  intervention: { id: number; title: string } | null;
  signal: { metric: string; metricName: string; period: IsoDate } | null;
  createdBy: string;
  matches: AidMatchView[];
  history: AidEventRecord[];
  /** What the caller may do to the request. */
  youMay: Array<'propose' | 'start' | 'complete' | 'withdraw'>;
}

function summarise(request: AidRequestRecord, matches: readonly AidMatchRecord[]): AidRequestSummary {
  const live = matches.filter((m) => m.status !== 'withdrawn');
  return {
    id: request.id,
    requester: { odsCode: request.odsCode, name: request.name },
    kind: request.kind,
    kindLabel: aidKindLabels[request.kind],
    detail: request.detail,
    detailLabel: aidDetailLabel(request.kind, request.detail),
    unit: request.unit,
    unitLabel: (aidUnitLabels as Record<string, string>)[request.unit] ?? request.unit,
    quantity: request.quantity,
    need: `${describeQuantity(request.quantity, request.unit)}: ${aidDetailLabel(request.kind, request.detail)}`,
    neededFrom: request.neededFrom,
    neededTo: request.neededTo,
    urgency: request.urgency as AidUrgency,
    urgencyLabel: aidUrgencyLabels[request.urgency as AidUrgency] ?? request.urgency,
    status: request.status,
    statusLabel: aidRequestStatusLabels[request.status],
    allocated: live.reduce((sum, m) => sum + m.quantity, 0),
    agreed: live.filter((m) => m.status !== 'proposed').reduce((sum, m) => sum + m.quantity, 0),
    delivered: matches.reduce((sum, m) => sum + m.delivered, 0),
    remaining: ['completed', 'withdrawn'].includes(request.status)
      ? 0
      : remainingNeed(request.quantity, matches),
    createdAt: request.createdAt,
  };
}

async function presentRequest(
  ex: Executor,
  principal: Principal,
  request: AidRequestRecord,
  today: IsoDate,
): Promise<AidRequestView> {
  const cache: PathCache = new Map();
  const matches = await listAidMatches(ex, [request.id], today);
  const forRequester = await canCollaborate(ex, principal, request.organisationId, today, cache);
  const forProvider = new Map<number, boolean>();
  for (const m of matches)
    forProvider.set(m.providerId, await canCollaborate(ex, principal, m.providerId, today, cache));
  const open = ['requested', 'matched', 'agreed', 'in-progress'].includes(request.status);
  const matchViews: AidMatchView[] = matches.map((m) => {
    const provider = forProvider.get(m.providerId) ?? false;
    const youMay: AidMatchView['youMay'] = [];
    if (m.status === 'proposed' && open && request.status !== 'in-progress') {
      if (forRequester && !m.requesterAgreedBy) youMay.push('agree-for-requester');
      if (provider && !m.providerAgreedBy) youMay.push('agree-for-provider');
    }
    if ((m.status === 'proposed' || m.status === 'agreed') && (forRequester || provider))
      youMay.push('withdraw');
    if (m.status === 'in-progress' && (forRequester || provider) && m.delivered < m.quantity)
      youMay.push('deliver');
    return {
      id: m.id,
      offerId: m.offerId,
      provider: { odsCode: m.providerCode, name: m.providerName },
      quantity: m.quantity,
      delivered: m.delivered,
      status: m.status,
      statusLabel: aidMatchStatusLabels[m.status],
      requesterAgreed:
        m.requesterAgreedAt && m.requesterAgreedBy
          ? { at: m.requesterAgreedAt, by: m.requesterAgreedBy }
          : null,
      providerAgreed:
        m.providerAgreedAt && m.providerAgreedBy ? { at: m.providerAgreedAt, by: m.providerAgreedBy } : null,
      proposedAt: m.proposedAt,
      proposedBy: m.proposedBy,
      youMay,
    };
  });
  // The same sides as `startAid` and `completeAid`: the requester, or a provider of a match agreed by both
  // (start) or in progress (complete).
  const sideOf = (status: AidMatchStatus) =>
    forRequester || matches.some((m) => m.status === status && (forProvider.get(m.providerId) ?? false));
  const youMay: AidRequestView['youMay'] = [];
  const viewer = await aidViewer(ex, principal, today);
  const region = await regionOf(ex, request.organisationId, today);
  const broker = viewer.national || (region !== null && viewer.regionIds.has(region));
  if (!checkAidStep(request.status, 'propose') && (forRequester || broker)) youMay.push('propose');
  if (!checkAidStep(request.status, 'start') && sideOf('agreed')) youMay.push('start');
  if (!checkAidStep(request.status, 'complete') && sideOf('in-progress')) youMay.push('complete');
  if (!checkAidStep(request.status, 'withdraw') && forRequester) youMay.push('withdraw');

  let intervention: AidRequestView['intervention'] = null;
  if (request.interventionId !== null) {
    const found = await findInterventionFacts(ex, request.interventionId);
    // Never reveal an intervention the reader may not see (its function, or another organisation's).
    if (
      found &&
      (await isAllowed(ex, principal, 'read', {
        organisationId: found.organisationId,
        date: found.openedOn,
        published: false,
        statutoryFunction: found.statutoryFunction as StatutoryFunction | null,
        template: null,
      }))
    )
      intervention = { id: found.id, title: found.title };
  }
  let signal: AidRequestView['signal'] = null;
  if (request.signal) {
    const metric = (await getMetricCatalogue(ex)).metricByCode.get(request.signal.metric);
    signal = { ...request.signal, metricName: metric?.name ?? request.signal.metric };
  }
  return {
    ...summarise(request, matches),
    reason: request.reason,
    statusReason: request.statusReason,
    intervention,
    signal,
    createdBy: request.createdBy,
    matches: matchViews,
    history: await listAidEvents(ex, request.id),
    youMay,
  };
}

/** The request, if the caller may see it; otherwise "not found", as for any record they cannot see. */
async function requireVisibleRequest(
  ex: Executor,
  principal: Principal,
  id: number,
  today: IsoDate,
  lock = false,
): Promise<AidRequestRecord> {
  requireSignedIn(principal, 'see mutual aid');
  const request = await findAidRequest(ex, id, today, lock);
  const hidden = notFound(`There is no mutual aid request ${id}, or you do not have access to it.`);
  if (!request) throw hidden;
  const viewer = await aidViewer(ex, principal, today);
  const matches = await listAidMatches(ex, [id], today);
  if (!(await canSeeRequest(ex, viewer, request, matches, today, new Map()))) throw hidden;
  return request;
}

export async function getAidRequest(
  db: Db,
  principal: Principal,
  id: number,
  today: IsoDate,
): Promise<AidRequestView> {
  const request = await requireVisibleRequest(db, principal, id, today);
  return presentRequest(db, principal, request, today);
}

// ---------------------------------------------------------------------------------------------------
// Raise, offer

async function record(
  trx: Executor,
  actor: Actor,
  event: Omit<AidEventRecord, 'id' | 'occurredAt' | 'actor'>,
  audit: { action: string; recordType: string; recordId: number; before: unknown; after: unknown },
): Promise<void> {
  await insertAidEvents(trx, [{ ...event, actor: actor.label }]);
  await appendAuditEvents(trx, actor, [{ ...audit, recordId: String(audit.recordId) }]);
}

/** Raises a request for the requester (the `collaborate` action on it); the reason may name an intervention or a signal. */
export async function raiseAidRequest(
  db: Db,
  caller: AidCaller,
  input: unknown,
  today: IsoDate,
): Promise<AidRequestView> {
  const r = parseInput(aidRequestInputSchema, input, 'The mutual aid request is not valid.');
  if (r.neededTo < today)
    throw invalidInput('The request is for dates that have passed.', [
      { field: 'neededTo', message: 'The date it is needed until must be today or later' },
    ]);
  return db.transaction().execute(async (trx) => {
    const requester = await requireTrust(trx, r.requester, today, 'requester');
    await authoriseCollaboration(trx, caller.principal, requester, today, 'raise a mutual aid request');
    if (r.interventionId) {
      const intervention = await findInterventionFacts(trx, r.interventionId);
      const visible =
        intervention &&
        (await isAllowed(trx, caller.principal, 'read', {
          organisationId: intervention.organisationId,
          date: intervention.openedOn,
          published: false,
          statutoryFunction: intervention.statutoryFunction as StatutoryFunction | null,
          template: null,
        }));
      if (!intervention || !visible)
        throw invalidInput(`There is no intervention ${r.interventionId}, or you do not have access to it.`, [
          {
            field: 'interventionId',
            message: 'Enter the number of an intervention you can see, or leave it blank',
          },
        ]);
      if (intervention.organisationId !== requester.id)
        throw invalidInput(`Intervention ${r.interventionId} is about another organisation.`, [
          { field: 'interventionId', message: `Choose an intervention on ${requester.name}` },
        ]);
    }
    if (r.signal) {
      const metric = (await getMetricCatalogue(trx)).metricByCode.get(r.signal.metric);
      const problems: Problem[] = [];
      if (!metric)
        problems.push({
          field: 'signal.metric',
          message: `"${r.signal.metric}" is not a metric in the catalogue; see "oversight metrics list"`,
        });
      if (periodContaining('month', r.signal.period).start !== r.signal.period || r.signal.period > today)
        problems.push({
          field: 'signal.period',
          message: 'Enter the first day of the month the signal was seen, like 2026-01-01, not in the future',
        });
      if (problems.length > 0) throw invalidInput('The signal behind the request is not valid.', problems);
    }
    const id = await insertAidRequest(trx, {
      organisationId: requester.id,
      kind: r.kind,
      detail: r.detail,
      unit: r.unit,
      quantity: r.quantity,
      neededFrom: r.neededFrom,
      neededTo: r.neededTo,
      urgency: r.urgency,
      reason: r.reason,
      interventionId: r.interventionId ?? null,
      signal: r.signal ?? null,
      createdBy: caller.actor.label,
    });
    await record(
      trx,
      caller.actor,
      {
        requestId: id,
        offerId: null,
        matchId: null,
        step: 'raise',
        fromStatus: null,
        toStatus: 'requested',
        quantity: r.quantity,
        note: null,
      },
      { action: 'mutual-aid.request-raise', recordType: 'aid-request', recordId: id, before: null, after: r },
    );
    const stored = await findAidRequest(trx, id, today);
    if (!stored) throw new Error('the request just stored was not found');
    return presentRequest(trx, caller.principal, stored, today);
  });
}

export interface AidOfferView {
  id: number;
  provider: { odsCode: string; name: string };
  kind: AidKind;
  kindLabel: string;
  detail: string;
  detailLabel: string;
  unit: string;
  quantity: number;
  remaining: number;
  offer: string;
  availableFrom: IsoDate;
  availableTo: IsoDate;
  notes: string;
  status: 'open' | 'withdrawn';
  statusReason: string | null;
  createdAt: string;
  createdBy: string;
}

function presentOffer(offer: AidOfferRecord): AidOfferView {
  return {
    id: offer.id,
    provider: { odsCode: offer.odsCode, name: offer.name },
    kind: offer.kind,
    kindLabel: aidKindLabels[offer.kind],
    detail: offer.detail,
    detailLabel: aidDetailLabel(offer.kind, offer.detail),
    unit: offer.unit,
    quantity: offer.quantity,
    remaining: offer.status === 'open' ? offer.remaining : 0,
    offer: `${describeQuantity(offer.quantity, offer.unit)}: ${aidDetailLabel(offer.kind, offer.detail)}`,
    availableFrom: offer.availableFrom,
    availableTo: offer.availableTo,
    notes: offer.notes,
    status: offer.status,
    statusReason: offer.statusReason,
    createdAt: offer.createdAt,
    createdBy: offer.createdBy,
  };
}

/** Offers capacity an organisation can spare (the `collaborate` action on it). */
export async function makeAidOffer(
  db: Db,
  caller: AidCaller,
  input: unknown,
  today: IsoDate,
): Promise<AidOfferView> {
  const o = parseInput(aidOfferInputSchema, input, 'The mutual aid offer is not valid.');
  if (o.availableTo < today)
    throw invalidInput('The offer is for dates that have passed.', [
      { field: 'availableTo', message: 'The date it is available until must be today or later' },
    ]);
  return db.transaction().execute(async (trx) => {
    const provider = await requireTrust(trx, o.provider, today, 'provider');
    await authoriseCollaboration(trx, caller.principal, provider, today, 'offer mutual aid');
    const id = await insertAidOffer(trx, {
      ...o,
      organisationId: provider.id,
      createdBy: caller.actor.label,
    });
    await record(
      trx,
      caller.actor,
      {
        requestId: null,
        offerId: id,
        matchId: null,
        step: 'offer',
        fromStatus: null,
        toStatus: 'open',
        quantity: o.quantity,
        note: o.notes || null,
      },
      { action: 'mutual-aid.offer-make', recordType: 'aid-offer', recordId: id, before: null, after: o },
    );
    const stored = await findAidOffer(trx, id, today);
    if (!stored) throw new Error('the offer just stored was not found');
    return presentOffer(stored);
  });
}

export async function getAidOffer(
  db: Db,
  principal: Principal,
  id: number,
  today: IsoDate,
): Promise<AidOfferView> {
  requireSignedIn(principal, 'see mutual aid');
  const offer = await findAidOffer(db, id, today);
  const hidden = notFound(`There is no mutual aid offer ${id}, or you do not have access to it.`);
  if (!offer) throw hidden;
  const viewer = await aidViewer(db, principal, today);
  const region = await regionOf(db, offer.organisationId, today);
  if (
    !viewer.national &&
    !(region !== null && viewer.regionIds.has(region)) &&
    !(await canCollaborate(db, principal, offer.organisationId, today, new Map()))
  )
    throw hidden;
  return presentOffer(offer);
}

/** Withdraws what is left of an offer; matches already made from it stand. */
export async function withdrawAidOffer(
  db: Db,
  caller: AidCaller,
  id: number,
  reason: string | undefined,
  today: IsoDate,
): Promise<AidOfferView> {
  const why = reason?.trim() ?? '';
  if (!why)
    throw invalidInput('Say why the offer is withdrawn.', [
      { field: 'reason', message: 'Enter why the offer is withdrawn' },
    ]);
  return db.transaction().execute(async (trx) => {
    const offer = await findAidOffer(trx, id, today, true);
    if (!offer) throw notFound(`There is no mutual aid offer ${id}, or you do not have access to it.`);
    await authoriseCollaboration(
      trx,
      caller.principal,
      { id: offer.organisationId, odsCode: offer.odsCode, name: offer.name },
      today,
      'withdraw this offer',
    );
    if (offer.status === 'withdrawn') throw conflict(`Offer ${id} is already withdrawn.`);
    await withdrawAidOfferRow(trx, id, why);
    await record(
      trx,
      caller.actor,
      {
        requestId: null,
        offerId: id,
        matchId: null,
        step: 'withdraw-offer',
        fromStatus: 'open',
        toStatus: 'withdrawn',
        quantity: null,
        note: why,
      },
      {
        action: 'mutual-aid.offer-withdraw',
        recordType: 'aid-offer',
        recordId: id,
        before: { status: 'open' },
        after: { status: 'withdrawn', reason: why },
      },
    );
    const stored = await findAidOffer(trx, id, today);
    if (!stored) throw new Error('the offer just changed was not found');
    return presentOffer(stored);
  });
}

// ---------------------------------------------------------------------------------------------------
// Matching

export interface AidMatchingView {
  request: AidRequestSummary;
  matching: AidMatching;
  /** Sentences for the page and the command line: the thresholds and what was not considered. */
  notes: string[];
  /** ODS codes of candidates the caller may propose (all, for the requester's leaders and brokers). */
  proposable: string[];
}

/** The candidates for a request: one candidate query, one offer query, then the pure ranking. */
export async function loadAidMatching(
  ex: Executor,
  request: AidRequestRecord,
  matches: readonly AidMatchRecord[],
  today: IsoDate,
  limit = 20,
): Promise<AidMatching> {
  const since = addMonths(periodContaining('month', today).start, -pressureMonths);
  const [organisations, offers] = await Promise.all([
    listAidCandidates(ex, today, { metricCode: pressureMetricCode, since }),
    listOpenAidOffers(
      ex,
      {
        kind: request.kind,
        detail: request.detail,
        unit: request.unit,
        from: request.neededFrom,
        to: request.neededTo,
      },
      today,
    ),
  ]);
  const requester = organisations.find((o) => o.id === request.organisationId);
  if (!requester)
    throw conflict(`${request.odsCode} is no longer an open NHS trust, so no candidates can be ranked.`);
  // Organisations already matched to this request are not offered again.
  const matched = new Set(matches.filter((m) => m.status !== 'withdrawn').map((m) => m.providerId));
  return rankAidCandidates(
    {
      organisationId: request.organisationId,
      kind: request.kind,
      detail: request.detail,
      unit: request.unit,
      remaining: remainingNeed(request.quantity, matches),
      neededFrom: request.neededFrom,
      neededTo: request.neededTo,
    },
    organisations.filter((o) => o.id === request.organisationId || !matched.has(o.id)),
    offers,
    { limit },
  );
}

export async function getAidMatching(
  db: Db,
  principal: Principal,
  id: number,
  today: IsoDate,
  limit = 20,
): Promise<AidMatchingView> {
  const request = await requireVisibleRequest(db, principal, id, today);
  const matches = await listAidMatches(db, [id], today);
  const matching = await loadAidMatching(db, request, matches, today, limit);
  const cache: PathCache = new Map();
  const open = !checkAidStep(request.status, 'propose');
  const forRequester = await canCollaborate(db, principal, request.organisationId, today, cache);
  const proposable: string[] = [];
  if (open)
    for (const c of [...matching.offers, ...matching.organisations])
      if (forRequester || (await canCollaborate(db, principal, c.organisation.id, today, cache)))
        proposable.push(c.organisation.odsCode);
  return {
    request: summarise(request, matches),
    matching,
    proposable,
    notes: [
      'Candidates are ranked local first: the same ICB, then the same region, then England; within each, offers that cover the whole need, then the nearest.',
      'Distances are between approximate postcode-area centres (to about 20 km).',
      'Organisations with general and acute bed occupancy at or above 95% in the last 3 months, or a regional judgement placing them in segment 4 or 5, are not asked to give. Occupancy from 92% ranks an organisation after others in its tier.',
      'Computed oversight segments are not used in matching (they are calculated on demand and too slow for it); only segments set by a regional judgement are.',
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// Lifecycle steps

async function stepRequest(
  trx: Executor,
  caller: AidCaller,
  requestId: number,
  today: IsoDate,
  step: 'propose' | 'agree' | 'start' | 'deliver' | 'complete' | 'withdraw',
): Promise<{ request: AidRequestRecord; matches: AidMatchRecord[] }> {
  const request = await requireVisibleRequest(trx, caller.principal, requestId, today, true);
  const problem = checkAidStep(request.status, step);
  if (problem) throw conflict(problem);
  return { request, matches: await listAidMatches(trx, [requestId], today) };
}

/** Moves the request's status with its matches (before the aid starts), recording the change. */
async function settleStatus(trx: Executor, actor: Actor, requestId: number, today: IsoDate): Promise<void> {
  const request = await findAidRequest(trx, requestId, today);
  if (!request) return;
  const next = statusFromMatches(request.status, await listAidMatches(trx, [requestId], today));
  if (next === request.status) return;
  await updateAidRequestStatus(trx, requestId, next, null);
  await insertAidEvents(trx, [
    {
      requestId,
      offerId: null,
      matchId: null,
      step: 'status',
      fromStatus: request.status,
      toStatus: next,
      quantity: null,
      note: null,
      actor: actor.label,
    },
  ]);
}

/**
 * Proposes part of a request from an organisation, through its offer or asked directly. The requester's
 * leaders, the region (brokers) and the provider itself (volunteering) may propose; the quantity may not
 * exceed what the request still needs, nor what is left of the offer.
 */
export async function proposeAidMatch(
  db: Db,
  caller: AidCaller,
  requestId: number,
  input: unknown,
  today: IsoDate,
): Promise<AidRequestView> {
  const p = parseInput(aidProposalInputSchema, input, 'The proposal is not valid.');
  return db.transaction().execute(async (trx) => {
    const { request, matches } = await stepRequest(trx, caller, requestId, today, 'propose');
    let provider: { id: number; odsCode: string; name: string };
    let offerId: number | null = null;
    if (p.offerId) {
      const offer = await findAidOffer(trx, p.offerId, today, true);
      if (!offer || offer.status !== 'open')
        throw invalidInput(`There is no open offer ${p.offerId}.`, [
          { field: 'offerId', message: 'Choose an open offer from the candidates' },
        ]);
      if (offer.kind !== request.kind || offer.detail !== request.detail || offer.unit !== request.unit)
        throw invalidInput(`Offer ${offer.id} is for something else.`, [
          {
            field: 'offerId',
            message: `Offer ${offer.id} is ${presentOffer(offer).offer}; the request needs ${summarise(request, matches).need}`,
          },
        ]);
      // The offer must be available for some of the time still needed: from today or the need's start.
      const needFrom = request.neededFrom > today ? request.neededFrom : today;
      if (offer.availableTo < needFrom || offer.availableFrom > request.neededTo)
        throw invalidInput(`Offer ${offer.id} is not available when the request needs it.`, [
          {
            field: 'offerId',
            message: `Offer ${offer.id} is available from ${offer.availableFrom} to ${offer.availableTo}; the request needs it from ${needFrom} to ${request.neededTo}. Choose an offer available then`,
          },
        ]);
      if (p.provider && p.provider !== offer.odsCode)
        throw invalidInput(`Offer ${offer.id} is from ${offer.odsCode}, not ${p.provider}.`, [
          { field: 'provider', message: 'Leave the organisation blank when choosing an offer' },
        ]);
      if (p.quantity > offer.remaining)
        throw invalidInput(`Offer ${offer.id} has ${offer.remaining} left.`, [
          { field: 'quantity', message: `Propose ${offer.remaining} or fewer from this offer` },
        ]);
      provider = { id: offer.organisationId, odsCode: offer.odsCode, name: offer.name };
      offerId = offer.id;
    } else provider = await requireTrust(trx, p.provider ?? '', today, 'provider');
    if (provider.id === request.organisationId)
      throw invalidInput('An organisation cannot give aid to itself.', [
        { field: 'provider', message: 'Choose another organisation' },
      ]);
    // The requester's leaders and its region (brokers) may propose anyone; an organisation may volunteer itself.
    const cache: PathCache = new Map();
    const allowed =
      (await canCollaborate(trx, caller.principal, request.organisationId, today, cache)) ||
      (await canCollaborate(trx, caller.principal, provider.id, today, cache));
    if (!allowed)
      throw new AppError(
        'forbidden',
        `You cannot propose aid for request ${requestId}: propose for your own organisation's request, volunteer your own organisation, or broker as its region.`,
      );
    const remaining = remainingNeed(request.quantity, matches);
    if (p.quantity > remaining)
      throw invalidInput(`The request needs ${remaining} more.`, [
        { field: 'quantity', message: `Propose ${remaining} or fewer: the rest is already matched` },
      ]);
    if (
      matches.some((m) => m.providerId === provider.id && (m.status === 'proposed' || m.status === 'agreed'))
    )
      throw conflict(
        `${provider.name} (${provider.odsCode}) already has a proposal on this request; withdraw it to change the quantity.`,
      );
    const id = await insertAidMatch(trx, {
      requestId,
      offerId,
      providerId: provider.id,
      quantity: p.quantity,
      proposedBy: caller.actor.label,
    });
    await record(
      trx,
      caller.actor,
      {
        requestId,
        offerId,
        matchId: id,
        step: 'propose',
        fromStatus: null,
        toStatus: 'proposed',
        quantity: p.quantity,
        note: `${provider.name} (${provider.odsCode})`,
      },
      {
        action: 'mutual-aid.match-propose',
        recordType: 'aid-match',
        recordId: id,
        before: null,
        after: { requestId, offerId, provider: provider.odsCode, quantity: p.quantity },
      },
    );
    await settleStatus(trx, caller.actor, requestId, today);
    return presentRequest(
      trx,
      caller.principal,
      (await findAidRequest(trx, requestId, today)) ?? request,
      today,
    );
  });
}

/**
 * Locks are taken in one order everywhere — the request, then its matches — so concurrent steps on the
 * same aid wait for each other instead of deadlocking. A step on a match therefore reads the match without
 * a lock only to learn its request (`requireMatch`), locks the request, then re-reads the match FOR UPDATE
 * (`lockMatch`).
 */
async function requireMatch(trx: Executor, caller: AidCaller, matchId: number, today: IsoDate) {
  const match = await findAidMatch(trx, matchId, today);
  if (!match) throw notFound(`There is no mutual aid match ${matchId}, or you do not have access to it.`);
  return match;
}

/** The match, locked after its request (see `requireMatch`), and still that request's. */
async function lockMatch(trx: Executor, matchId: number, requestId: number, today: IsoDate) {
  const match = await findAidMatch(trx, matchId, today, true);
  if (!match || match.requestId !== requestId)
    throw notFound(`There is no mutual aid match ${matchId}, or you do not have access to it.`);
  return match;
}

/**
 * One side's agreement to a proposed match: `forOds` names the side (the requester or the provider), and
 * the caller must be able to act for that organisation. Both sides agreeing makes the match agreed.
 */
export async function agreeAidMatch(
  db: Db,
  caller: AidCaller,
  matchId: number,
  forOds: string,
  today: IsoDate,
): Promise<AidRequestView> {
  return db.transaction().execute(async (trx) => {
    const { requestId } = await requireMatch(trx, caller, matchId, today);
    const { request } = await stepRequest(trx, caller, requestId, today, 'agree');
    const match = await lockMatch(trx, matchId, request.id, today);
    const code = forOds.trim().toUpperCase();
    const side = code === request.odsCode ? 'requester' : code === match.providerCode ? 'provider' : null;
    if (!side)
      throw invalidInput(`${code} is not a party to match ${matchId}.`, [
        {
          field: 'for',
          message: `Agree for ${request.odsCode} (requesting) or ${match.providerCode} (giving)`,
        },
      ]);
    await authoriseCollaboration(
      trx,
      caller.principal,
      side === 'requester'
        ? { id: request.organisationId, odsCode: request.odsCode, name: request.name }
        : { id: match.providerId, odsCode: match.providerCode, name: match.providerName },
      today,
      'agree this mutual aid',
    );
    if (match.status !== 'proposed')
      throw conflict(
        `Match ${matchId} is ${aidMatchStatusLabels[match.status].toLowerCase()}; only a proposed match can be agreed.`,
      );
    if ((side === 'requester' ? match.requesterAgreedBy : match.providerAgreedBy) !== null)
      throw conflict(`${code} has already agreed match ${matchId}.`);
    const bothAgree =
      side === 'requester' ? match.providerAgreedBy !== null : match.requesterAgreedBy !== null;
    await updateAidMatch(trx, matchId, {
      ...(side === 'requester'
        ? { requesterAgreedBy: caller.actor.label }
        : { providerAgreedBy: caller.actor.label }),
      ...(bothAgree ? { status: 'agreed' as const } : {}),
    });
    await record(
      trx,
      caller.actor,
      {
        requestId: request.id,
        offerId: match.offerId,
        matchId,
        step: `agree-${side}`,
        fromStatus: 'proposed',
        toStatus: bothAgree ? 'agreed' : 'proposed',
        quantity: match.quantity,
        note: code,
      },
      {
        action: 'mutual-aid.match-agree',
        recordType: 'aid-match',
        recordId: matchId,
        before: { status: match.status },
        after: { side, organisation: code, status: bothAgree ? 'agreed' : 'proposed' },
      },
    );
    await settleStatus(trx, caller.actor, request.id, today);
    return presentRequest(
      trx,
      caller.principal,
      (await findAidRequest(trx, request.id, today)) ?? request,
      today,
    );
  });
}

async function authoriseEitherSide(
  trx: Executor,
  caller: AidCaller,
  request: AidRequestRecord,
  providerIds: readonly number[],
  today: IsoDate,
  what: string,
): Promise<void> {
  requireSignedIn(caller.principal, what);
  const cache: PathCache = new Map();
  for (const id of [request.organisationId, ...providerIds])
    if (await canCollaborate(trx, caller.principal, id, today, cache)) return;
  throw new AppError(
    'forbidden',
    `You cannot ${what}: only the organisations giving or receiving it, or their region, can.`,
  );
}

/** Starts agreed aid: agreed matches begin; proposals never agreed by both are withdrawn. */
export async function startAid(
  db: Db,
  caller: AidCaller,
  requestId: number,
  today: IsoDate,
): Promise<AidRequestView> {
  return db.transaction().execute(async (trx) => {
    const { request, matches } = await stepRequest(trx, caller, requestId, today, 'start');
    // The requester, or a provider of a match agreed by both: never one merely proposed, nor withdrawn.
    await authoriseEitherSide(
      trx,
      caller,
      request,
      matches.filter((m) => m.status === 'agreed').map((m) => m.providerId),
      today,
      'start this aid',
    );
    const events: Array<Omit<AidEventRecord, 'id' | 'occurredAt'>> = [];
    for (const m of matches) {
      if (m.status === 'agreed') {
        await updateAidMatch(trx, m.id, { status: 'in-progress' });
        events.push({
          requestId,
          offerId: m.offerId,
          matchId: m.id,
          step: 'start',
          fromStatus: 'agreed',
          toStatus: 'in-progress',
          quantity: m.quantity,
          note: null,
          actor: caller.actor.label,
        });
      } else if (m.status === 'proposed') {
        await updateAidMatch(trx, m.id, { status: 'withdrawn' });
        events.push({
          requestId,
          offerId: m.offerId,
          matchId: m.id,
          step: 'withdraw',
          fromStatus: 'proposed',
          toStatus: 'withdrawn',
          quantity: m.quantity,
          note: 'Not agreed by both before the aid started',
          actor: caller.actor.label,
        });
      }
    }
    await updateAidRequestStatus(trx, requestId, 'in-progress', null);
    events.push({
      requestId,
      offerId: null,
      matchId: null,
      step: 'start',
      fromStatus: request.status,
      toStatus: 'in-progress',
      quantity: null,
      note: null,
      actor: caller.actor.label,
    });
    await insertAidEvents(trx, events);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'mutual-aid.request-start',
        recordType: 'aid-request',
        recordId: String(requestId),
        before: { status: request.status },
        after: { status: 'in-progress' },
      },
    ]);
    return presentRequest(
      trx,
      caller.principal,
      (await findAidRequest(trx, requestId, today)) ?? request,
      today,
    );
  });
}

/** Records a quantity delivered on a match in progress (added to what was delivered before). */
export async function recordAidDelivery(
  db: Db,
  caller: AidCaller,
  matchId: number,
  quantity: number,
  today: IsoDate,
): Promise<AidRequestView> {
  if (!Number.isInteger(quantity) || quantity < 1)
    throw invalidInput('The quantity delivered is not valid.', [
      { field: 'quantity', message: 'Enter the quantity delivered as a whole number, 1 or more' },
    ]);
  return db.transaction().execute(async (trx) => {
    const { requestId } = await requireMatch(trx, caller, matchId, today);
    const { request } = await stepRequest(trx, caller, requestId, today, 'deliver');
    const match = await lockMatch(trx, matchId, request.id, today);
    await authoriseEitherSide(
      trx,
      caller,
      request,
      [match.providerId],
      today,
      'record deliveries of this aid',
    );
    if (match.status !== 'in-progress')
      throw conflict(
        `Match ${matchId} is ${aidMatchStatusLabels[match.status].toLowerCase()}; deliveries are recorded while it is in progress.`,
      );
    const delivered = match.delivered + quantity;
    if (delivered > match.quantity)
      throw invalidInput(`Match ${matchId} agreed ${match.quantity}; ${match.delivered} already delivered.`, [
        {
          field: 'quantity',
          message: `Enter ${match.quantity - match.delivered} or fewer: the rest of what was agreed`,
        },
      ]);
    await updateAidMatch(trx, matchId, { delivered });
    await record(
      trx,
      caller.actor,
      {
        requestId: request.id,
        offerId: match.offerId,
        matchId,
        step: 'deliver',
        fromStatus: 'in-progress',
        toStatus: 'in-progress',
        quantity,
        note: `${delivered} of ${match.quantity} delivered`,
      },
      {
        action: 'mutual-aid.match-deliver',
        recordType: 'aid-match',
        recordId: matchId,
        before: { delivered: match.delivered },
        after: { delivered },
      },
    );
    return presentRequest(
      trx,
      caller.principal,
      (await findAidRequest(trx, request.id, today)) ?? request,
      today,
    );
  });
}

/** Completes aid in progress: its matches complete with what they delivered. */
export async function completeAid(
  db: Db,
  caller: AidCaller,
  requestId: number,
  note: string | undefined,
  today: IsoDate,
): Promise<AidRequestView> {
  return db.transaction().execute(async (trx) => {
    const { request, matches } = await stepRequest(trx, caller, requestId, today, 'complete');
    // The requester, or a provider of a match in progress: never one withdrawn.
    await authoriseEitherSide(
      trx,
      caller,
      request,
      matches.filter((m) => m.status === 'in-progress').map((m) => m.providerId),
      today,
      'complete this aid',
    );
    const events: Array<Omit<AidEventRecord, 'id' | 'occurredAt'>> = [];
    for (const m of matches.filter((x) => x.status === 'in-progress')) {
      await updateAidMatch(trx, m.id, { status: 'completed' });
      events.push({
        requestId,
        offerId: m.offerId,
        matchId: m.id,
        step: 'complete',
        fromStatus: 'in-progress',
        toStatus: 'completed',
        quantity: m.delivered,
        note: `${m.delivered} of ${m.quantity} delivered`,
        actor: caller.actor.label,
      });
    }
    const why = note?.trim() || null;
    await updateAidRequestStatus(trx, requestId, 'completed', why);
    events.push({
      requestId,
      offerId: null,
      matchId: null,
      step: 'complete',
      fromStatus: 'in-progress',
      toStatus: 'completed',
      quantity: matches.reduce((s, m) => s + m.delivered, 0),
      note: why,
      actor: caller.actor.label,
    });
    await insertAidEvents(trx, events);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'mutual-aid.request-complete',
        recordType: 'aid-request',
        recordId: String(requestId),
        before: { status: request.status },
        after: { status: 'completed', note: why },
      },
    ]);
    return presentRequest(
      trx,
      caller.principal,
      (await findAidRequest(trx, requestId, today)) ?? request,
      today,
    );
  });
}

/** Withdraws a request (its requester, or the region), with a reason: its live matches are withdrawn too. */
export async function withdrawAid(
  db: Db,
  caller: AidCaller,
  requestId: number,
  reason: string | undefined,
  today: IsoDate,
): Promise<AidRequestView> {
  const why = reason?.trim() ?? '';
  if (!why)
    throw invalidInput('Say why the request is withdrawn.', [
      { field: 'reason', message: 'Enter why the request is withdrawn' },
    ]);
  return db.transaction().execute(async (trx) => {
    const { request, matches } = await stepRequest(trx, caller, requestId, today, 'withdraw');
    await authoriseCollaboration(
      trx,
      caller.principal,
      { id: request.organisationId, odsCode: request.odsCode, name: request.name },
      today,
      'withdraw this request',
    );
    const events: Array<Omit<AidEventRecord, 'id' | 'occurredAt'>> = [];
    for (const m of matches.filter((x) => ['proposed', 'agreed', 'in-progress'].includes(x.status))) {
      await updateAidMatch(trx, m.id, { status: 'withdrawn' });
      events.push({
        requestId,
        offerId: m.offerId,
        matchId: m.id,
        step: 'withdraw',
        fromStatus: m.status,
        toStatus: 'withdrawn',
        quantity: m.delivered,
        note: why,
        actor: caller.actor.label,
      });
    }
    await updateAidRequestStatus(trx, requestId, 'withdrawn', why);
    events.push({
      requestId,
      offerId: null,
      matchId: null,
      step: 'withdraw',
      fromStatus: request.status,
      toStatus: 'withdrawn',
      quantity: null,
      note: why,
      actor: caller.actor.label,
    });
    await insertAidEvents(trx, events);
    await appendAuditEvents(trx, caller.actor, [
      {
        action: 'mutual-aid.request-withdraw',
        recordType: 'aid-request',
        recordId: String(requestId),
        before: { status: request.status },
        after: { status: 'withdrawn', reason: why },
      },
    ]);
    return presentRequest(
      trx,
      caller.principal,
      (await findAidRequest(trx, requestId, today)) ?? request,
      today,
    );
  });
}

/** Withdraws one proposed or agreed match (either side), freeing its quantity for others. */
export async function withdrawAidMatch(
  db: Db,
  caller: AidCaller,
  matchId: number,
  reason: string | undefined,
  today: IsoDate,
): Promise<AidRequestView> {
  const why = reason?.trim() ?? '';
  if (!why)
    throw invalidInput('Say why the match is withdrawn.', [
      { field: 'reason', message: 'Enter why the match is withdrawn' },
    ]);
  return db.transaction().execute(async (trx) => {
    const { requestId } = await requireMatch(trx, caller, matchId, today);
    const request = await requireVisibleRequest(trx, caller.principal, requestId, today, true);
    const match = await lockMatch(trx, matchId, request.id, today);
    await authoriseEitherSide(trx, caller, request, [match.providerId], today, 'withdraw this match');
    if (match.status !== 'proposed' && match.status !== 'agreed')
      throw conflict(
        `Match ${matchId} is ${aidMatchStatusLabels[match.status].toLowerCase()}; only a proposed or agreed match can be withdrawn (withdraw or complete the request instead).`,
      );
    await updateAidMatch(trx, matchId, { status: 'withdrawn' });
    await record(
      trx,
      caller.actor,
      {
        requestId: request.id,
        offerId: match.offerId,
        matchId,
        step: 'withdraw',
        fromStatus: match.status,
        toStatus: 'withdrawn',
        quantity: match.quantity,
        note: why,
      },
      {
        action: 'mutual-aid.match-withdraw',
        recordType: 'aid-match',
        recordId: matchId,
        before: { status: match.status },
        after: { status: 'withdrawn', reason: why },
      },
    );
    await settleStatus(trx, caller.actor, request.id, today);
    return presentRequest(
      trx,
      caller.principal,
      (await findAidRequest(trx, request.id, today)) ?? request,
      today,
    );
  });
}

// ---------------------------------------------------------------------------------------------------
// The regional board, the caller's scope, the collaboration record

export interface AidScopeView {
  /** Regions whose boards the caller may see. */
  regions: Array<{ odsCode: string; name: string }>;
  /** Trusts the caller may raise or offer aid for (national roles: none listed, any may be named). */
  organisations: Array<{ odsCode: string; name: string }>;
  national: boolean;
}

export async function getAidScope(db: Db, principal: Principal, today: IsoDate): Promise<AidScopeView> {
  requireSignedIn(principal, 'see mutual aid');
  const viewer = await aidViewer(db, principal, today);
  const since = addMonths(periodContaining('month', today).start, -pressureMonths);
  const trusts = await listAidCandidates(db, today, { metricCode: pressureMetricCode, since });
  const regionIds = new Set(viewer.national ? trusts.map((t) => t.regionId ?? 0) : viewer.regionIds);
  const regions: AidScopeView['regions'] = [];
  for (const id of regionIds) {
    const path = await listPathAt(db, id, today);
    const region = path[path.length - 1];
    if (region && region.kind === 'region') regions.push({ odsCode: region.odsCode, name: region.name });
  }
  regions.sort((a, b) => a.name.localeCompare(b.name));
  const organisations = viewer.national
    ? []
    : trusts
        .filter(
          (t) =>
            viewer.scopeIds.has(t.id) ||
            (t.icbId !== null && viewer.scopeIds.has(t.icbId)) ||
            (t.regionId !== null && viewer.scopeIds.has(t.regionId)),
        )
        .map((t) => ({ odsCode: t.odsCode, name: t.name }))
        .sort((a, b) => a.name.localeCompare(b.name));
  return { regions, organisations, national: viewer.national };
}

export interface AidBoardView {
  region: { odsCode: string; name: string };
  requests: Array<AidRequestSummary & { providers: string[] }>;
  offers: AidOfferView[];
  counts: { open: number; awaitingMatch: number; inProgress: number; offersOpen: number };
}

/**
 * The regional mutual-aid board: the region's requests still needed (and those closed in the last 30 days),
 * and its open offers. Regions see theirs; organisations see their own region's.
 */
export async function getAidBoard(
  db: Db,
  principal: Principal,
  regionCode: string,
  today: IsoDate,
): Promise<AidBoardView> {
  requireSignedIn(principal, 'see the mutual aid board');
  const code = regionCode.trim().toUpperCase();
  const region = await findOrganisationByCode(db, code);
  const version = region ? await findVersionAt(db, region.id, today) : null;
  const hidden = notFound(
    `There is no mutual aid board for ${code}, or you do not have access to it. Choose a region, like Y56.`,
  );
  if (!region || !version || version.kind !== 'region') throw hidden;
  const viewer = await aidViewer(db, principal, today);
  if (!viewer.national && !viewer.regionIds.has(region.id)) throw hidden;
  const requests = (
    await listAidRequestsUnder(db, [region.id], today, { since: addDays(today, -30) })
  ).filter(
    (r) =>
      ['requested', 'matched', 'agreed', 'in-progress'].includes(r.status) ||
      r.updatedAt.slice(0, 10) >= addDays(today, -30),
  );
  const matches = await listAidMatches(
    db,
    requests.map((r) => r.id),
    today,
  );
  const offers = (await listAidOffersUnder(db, [region.id], today, today)).map(presentOffer);
  const urgencyRank: Record<string, number> = { critical: 0, urgent: 1, routine: 2 };
  const statusRank: Record<string, number> = {
    requested: 0,
    matched: 1,
    agreed: 2,
    'in-progress': 3,
    completed: 4,
    withdrawn: 5,
  };
  const summaries = requests
    .map((r) => {
      const own = matches.filter((m) => m.requestId === r.id);
      return {
        ...summarise(r, own),
        providers: own
          .filter((m) => m.status !== 'withdrawn')
          .map((m) => `${m.providerName} (${m.providerCode})`),
      };
    })
    .sort(
      (a, b) =>
        (statusRank[a.status] ?? 9) - (statusRank[b.status] ?? 9) ||
        (urgencyRank[a.urgency] ?? 9) - (urgencyRank[b.urgency] ?? 9) ||
        a.neededFrom.localeCompare(b.neededFrom),
    );
  const open = summaries.filter((s) => ['requested', 'matched', 'agreed', 'in-progress'].includes(s.status));
  const openOffers = offers.filter((o) => o.status === 'open' && o.remaining > 0);
  return {
    region: { odsCode: code, name: version.name },
    requests: summaries,
    offers: openOffers,
    counts: {
      open: open.length,
      awaitingMatch: open.filter(
        (s) => s.status === 'requested' || (s.remaining > 0 && s.status !== 'in-progress'),
      ).length,
      inProgress: open.filter((s) => s.status === 'in-progress').length,
      offersOpen: openOffers.length,
    },
  };
}

export interface CollaborationEntry {
  requestId: number;
  counterparty: { odsCode: string; name: string };
  kindLabel: string;
  detailLabel: string;
  unit: string;
  agreed: number;
  delivered: number;
  status: string;
  statusLabel: string;
  neededFrom: IsoDate;
  neededTo: IsoDate;
}

export interface CollaborationRecordView {
  organisation: { odsCode: string; name: string };
  from: IsoDate;
  to: IsoDate;
  given: CollaborationEntry[];
  received: CollaborationEntry[];
  totals: {
    requestsRaised: number;
    timesGiven: number;
    timesReceived: number;
    /** Delivered quantities by unit. */
    deliveredGiven: Record<string, number>;
    deliveredReceived: Record<string, number>;
  };
  summary: string;
}

/**
 * Aid an organisation gave and received over the last 12 months, agreed and delivered: oversight's
 * evidence of the duty to collaborate. Read by those who may read the organisation's records.
 */
export async function getCollaborationRecord(
  db: Db,
  principal: Principal,
  odsCode: string,
  today: IsoDate,
): Promise<CollaborationRecordView> {
  requireSignedIn(principal, 'see a collaboration record');
  const code = odsCode.trim().toUpperCase();
  const org = await findOrganisationByCode(db, code);
  const hidden = notFound(`There is no collaboration record for ${code}, or you do not have access to it.`);
  if (!org || !(await isAllowed(db, principal, 'read', facts(org.id, today)))) throw hidden;
  const version = (await findVersionAt(db, org.id, today)) ?? null;
  const from = addDays(today, -365);
  const raised = await listAidRequestsOf(db, org.id, today, from);
  const receivedMatches = await listAidMatches(
    db,
    raised.map((r) => r.id),
    today,
  );
  const givenMatches = await listAidMatchesGivenBy(db, org.id, today, from);
  const givenRequests = new Map(
    (await listAidRequestsByIds(db, [...new Set(givenMatches.map((m) => m.requestId))], today)).map((r) => [
      r.id,
      r,
    ]),
  );
  const counted = (m: AidMatchRecord) =>
    m.status !== 'proposed' && (m.status !== 'withdrawn' || m.delivered > 0);
  const entry = (
    m: AidMatchRecord,
    request: AidRequestRecord,
    counterparty: { odsCode: string; name: string },
  ): CollaborationEntry => ({
    requestId: request.id,
    counterparty,
    kindLabel: aidKindLabels[request.kind],
    detailLabel: aidDetailLabel(request.kind, request.detail),
    unit: request.unit,
    agreed: m.quantity,
    delivered: m.delivered,
    status: m.status,
    statusLabel: aidMatchStatusLabels[m.status],
    neededFrom: request.neededFrom,
    neededTo: request.neededTo,
  });
  const given: CollaborationEntry[] = [];
  for (const m of givenMatches.filter(counted)) {
    const request = givenRequests.get(m.requestId);
    if (request) given.push(entry(m, request, { odsCode: request.odsCode, name: request.name }));
  }
  const raisedById = new Map(raised.map((r) => [r.id, r]));
  const received: CollaborationEntry[] = [];
  for (const m of receivedMatches.filter(counted)) {
    const request = raisedById.get(m.requestId);
    if (request) received.push(entry(m, request, { odsCode: m.providerCode, name: m.providerName }));
  }
  const byUnit = (entries: CollaborationEntry[]) =>
    entries.reduce<Record<string, number>>(
      (acc, e) => ({ ...acc, [e.unit]: (acc[e.unit] ?? 0) + e.delivered }),
      {},
    );
  const name = version?.name ?? code;
  const deliveredGiven = byUnit(given);
  const describeTotals = (totals: Record<string, number>) =>
    Object.entries(totals)
      .filter(([, n]) => n > 0)
      .map(([unit, n]) => describeQuantity(n, unit))
      .join(', ') || 'nothing delivered yet';
  return {
    organisation: { odsCode: code, name },
    from,
    to: today,
    given,
    received,
    totals: {
      requestsRaised: raised.length,
      timesGiven: given.length,
      timesReceived: received.length,
      deliveredGiven,
      deliveredReceived: byUnit(received),
    },
    summary:
      given.length === 0 && received.length === 0
        ? `${name} neither gave nor received agreed mutual aid in the last 12 months.`
        : `In the last 12 months ${name} agreed to give aid ${given.length} time${given.length === 1 ? '' : 's'} (${describeTotals(deliveredGiven)}) and received it ${received.length} time${received.length === 1 ? '' : 's'} (${describeTotals(byUnit(received))}).`,
  };
}

export type { AidKind };
