import { sql } from 'kysely';
import {
  aidDetailLabel,
  aidKindLabels,
  isAidKind,
  liveMatchStatuses,
  type AidCandidateOrganisation,
  type AidKind,
  type AidMatchStatus,
  type AidOpenOffer,
  type AidRequestStatus,
} from '../domain/mutual-aid.js';
import type { IsoDate } from '../domain/iso-date.js';
import { approximateLocation } from '../domain/postcode-areas.js';
import type { Executor } from './database.js';

/** Mutual aid: requests, offers, matches and their append-only history; the candidates for matching. */

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
const kindOf = (value: string): AidKind => {
  if (!isAidKind(value)) throw new Error(`stored mutual aid kind ${value} is not known`);
  return value;
};

/** The organisation's name: the version in force today, else its last. */
function organisationName(alias: string, today: IsoDate) {
  return sql<string>`(select v.name from organisation_version v where v.organisation_id = ${sql.ref(`${alias}.id`)}
    order by (v.valid_from <= ${today}::date and (v.valid_to is null or v.valid_to > ${today}::date)) desc,
      v.valid_from desc limit 1)`;
}

export interface AidRequestRecord {
  id: number;
  organisationId: number;
  odsCode: string;
  name: string;
  kind: AidKind;
  detail: string;
  unit: string;
  quantity: number;
  neededFrom: IsoDate;
  neededTo: IsoDate;
  urgency: string;
  reason: string;
  interventionId: number | null;
  signal: { metric: string; period: IsoDate } | null;
  status: AidRequestStatus;
  statusReason: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

function requestQuery(ex: Executor, today: IsoDate) {
  return ex
    .selectFrom('aid_request as r')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .selectAll('r')
    .select(['o.ods_code', organisationName('o', today).as('name')]);
}
type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['executeTakeFirstOrThrow']>>;

function toRequest(r: RequestRow): AidRequestRecord {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    name: r.name,
    kind: kindOf(r.kind),
    detail: r.detail,
    unit: r.unit,
    quantity: r.quantity,
    neededFrom: r.needed_from,
    neededTo: r.needed_to,
    urgency: r.urgency,
    reason: r.reason,
    interventionId: r.intervention_id,
    signal: r.signal_metric && r.signal_period ? { metric: r.signal_metric, period: r.signal_period } : null,
    status: r.status as AidRequestStatus,
    statusReason: r.status_reason,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function findAidRequest(
  ex: Executor,
  id: number,
  today: IsoDate,
  lock = false,
): Promise<AidRequestRecord | null> {
  const query = requestQuery(ex, today).where('r.id', '=', id);
  const row = await (lock ? query.forUpdate('r') : query).executeTakeFirst();
  return row ? toRequest(row) : null;
}

/** Requests of organisations under any of the given areas (regions, ICBs) or raised by the given organisations. */
export async function listAidRequestsUnder(
  ex: Executor,
  areaIds: readonly number[],
  today: IsoDate,
  options: { since?: IsoDate } = {},
): Promise<Array<AidRequestRecord & { icbId: number | null; regionId: number | null }>> {
  if (areaIds.length === 0) return [];
  let query = requestQuery(ex, today)
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('organisation_parent as p')
          .leftJoin('organisation_parent as gp', (join) =>
            join
              .onRef('gp.organisation_id', '=', 'p.parent_id')
              .on('gp.valid_from', '<=', today)
              .on((eb2) => eb2.or([eb2('gp.valid_to', 'is', null), eb2('gp.valid_to', '>', today)])),
          )
          .where('p.valid_from', '<=', today)
          .where((eb2) => eb2.or([eb2('p.valid_to', 'is', null), eb2('p.valid_to', '>', today)]))
          .select(['p.organisation_id', 'p.parent_id as icb_id', 'gp.parent_id as region_id'])
          .as('place'),
      (join) => join.onRef('place.organisation_id', '=', 'r.organisation_id'),
    )
    .select(['place.icb_id', 'place.region_id'])
    .where((eb) =>
      eb.or([
        eb('place.region_id', 'in', [...areaIds]),
        eb('place.icb_id', 'in', [...areaIds]),
        eb('r.organisation_id', 'in', [...areaIds]),
      ]),
    );
  if (options.since) query = query.where('r.needed_to', '>=', options.since);
  const rows = await query.orderBy('r.needed_from').orderBy('r.id').execute();
  return rows.map((row) => ({ ...toRequest(row), icbId: row.icb_id, regionId: row.region_id }));
}

export async function listAidRequestsOf(
  ex: Executor,
  organisationId: number,
  today: IsoDate,
  since: IsoDate,
): Promise<AidRequestRecord[]> {
  const rows = await requestQuery(ex, today)
    .where('r.organisation_id', '=', organisationId)
    .where('r.needed_to', '>=', since)
    .orderBy('r.needed_from', 'desc')
    .execute();
  return rows.map(toRequest);
}

export async function listAidRequestsByIds(
  ex: Executor,
  ids: readonly number[],
  today: IsoDate,
): Promise<AidRequestRecord[]> {
  if (ids.length === 0) return [];
  return (
    await requestQuery(ex, today)
      .where('r.id', 'in', [...ids])
      .execute()
  ).map(toRequest);
}

export interface NewAidRequest {
  organisationId: number;
  kind: AidKind;
  detail: string;
  unit: string;
  quantity: number;
  neededFrom: IsoDate;
  neededTo: IsoDate;
  urgency: string;
  reason: string;
  interventionId: number | null;
  signal: { metric: string; period: IsoDate } | null;
  createdBy: string;
}

export async function insertAidRequest(ex: Executor, request: NewAidRequest): Promise<number> {
  const row = await ex
    .insertInto('aid_request')
    .values({
      organisation_id: request.organisationId,
      kind: request.kind,
      detail: request.detail,
      unit: request.unit,
      quantity: request.quantity,
      needed_from: request.neededFrom,
      needed_to: request.neededTo,
      urgency: request.urgency,
      reason: request.reason,
      intervention_id: request.interventionId,
      signal_metric: request.signal?.metric ?? null,
      signal_period: request.signal?.period ?? null,
      status: 'requested',
      created_by: request.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAidRequestStatus(
  ex: Executor,
  id: number,
  status: AidRequestStatus,
  reason: string | null,
): Promise<void> {
  await ex
    .updateTable('aid_request')
    .set({ status, status_reason: reason, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export interface AidOfferRecord extends AidOpenOffer {
  odsCode: string;
  name: string;
  quantity: number;
  notes: string;
  status: 'open' | 'withdrawn';
  statusReason: string | null;
  createdAt: string;
  createdBy: string;
}

/** Offers with what is left of each after its live matches. */
function offerQuery(ex: Executor, today: IsoDate) {
  return ex
    .selectFrom('aid_offer as f')
    .innerJoin('organisation as o', 'o.id', 'f.organisation_id')
    .selectAll('f')
    .select([
      'o.ods_code',
      organisationName('o', today).as('name'),
      sql<number>`f.quantity - coalesce((select sum(m.quantity) from aid_match m
        where m.offer_id = f.id and m.status in (${sql.join([...liveMatchStatuses])})), 0)`.as('remaining'),
    ]);
}
type OfferRow = Awaited<ReturnType<ReturnType<typeof offerQuery>['executeTakeFirstOrThrow']>>;

function toOffer(r: OfferRow): AidOfferRecord {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    name: r.name,
    kind: kindOf(r.kind),
    detail: r.detail,
    unit: r.unit,
    quantity: r.quantity,
    remaining: Number(r.remaining),
    availableFrom: r.available_from,
    availableTo: r.available_to,
    notes: r.notes,
    status: r.status === 'withdrawn' ? 'withdrawn' : 'open',
    statusReason: r.status_reason,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
  };
}

export async function findAidOffer(
  ex: Executor,
  id: number,
  today: IsoDate,
  lock = false,
): Promise<AidOfferRecord | null> {
  if (lock) await ex.selectFrom('aid_offer').select('id').where('id', '=', id).forUpdate().execute();
  const row = await offerQuery(ex, today).where('f.id', '=', id).executeTakeFirst();
  return row ? toOffer(row) : null;
}

/** Open offers of one kind, detail and unit that overlap the dates, with something left: matching's second query. */
export async function listOpenAidOffers(
  ex: Executor,
  need: { kind: AidKind; detail: string; unit: string; from: IsoDate; to: IsoDate },
  today: IsoDate,
): Promise<AidOfferRecord[]> {
  const rows = await offerQuery(ex, today)
    .where('f.status', '=', 'open')
    .where('f.kind', '=', need.kind)
    .where('f.detail', '=', need.detail)
    .where('f.unit', '=', need.unit)
    .where('f.available_from', '<=', need.to)
    .where('f.available_to', '>=', need.from)
    .execute();
  return rows.map(toOffer).filter((o) => o.remaining > 0);
}

/** Offers of organisations under the areas (regions, ICBs, organisations), still available on or after a date. */
export async function listAidOffersUnder(
  ex: Executor,
  areaIds: readonly number[],
  today: IsoDate,
  since: IsoDate,
): Promise<AidOfferRecord[]> {
  if (areaIds.length === 0) return [];
  const rows = await offerQuery(ex, today)
    .where('f.available_to', '>=', since)
    .where((eb) =>
      eb.or([
        eb('f.organisation_id', 'in', [...areaIds]),
        eb.exists(
          eb
            .selectFrom('organisation_parent as p')
            .leftJoin('organisation_parent as gp', (join) =>
              join
                .onRef('gp.organisation_id', '=', 'p.parent_id')
                .on('gp.valid_from', '<=', today)
                .on((eb2) => eb2.or([eb2('gp.valid_to', 'is', null), eb2('gp.valid_to', '>', today)])),
            )
            .whereRef('p.organisation_id', '=', 'f.organisation_id')
            .where('p.valid_from', '<=', today)
            .where((eb2) => eb2.or([eb2('p.valid_to', 'is', null), eb2('p.valid_to', '>', today)]))
            .where((eb2) =>
              eb2.or([eb2('p.parent_id', 'in', [...areaIds]), eb2('gp.parent_id', 'in', [...areaIds])]),
            )
            .select('p.id'),
        ),
      ]),
    )
    .orderBy('f.available_from')
    .orderBy('f.id')
    .execute();
  return rows.map(toOffer);
}

export async function insertAidOffer(
  ex: Executor,
  offer: {
    organisationId: number;
    kind: AidKind;
    detail: string;
    unit: string;
    quantity: number;
    availableFrom: IsoDate;
    availableTo: IsoDate;
    notes: string;
    createdBy: string;
  },
): Promise<number> {
  const row = await ex
    .insertInto('aid_offer')
    .values({
      organisation_id: offer.organisationId,
      kind: offer.kind,
      detail: offer.detail,
      unit: offer.unit,
      quantity: offer.quantity,
      available_from: offer.availableFrom,
      available_to: offer.availableTo,
      notes: offer.notes,
      status: 'open',
      created_by: offer.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function withdrawAidOfferRow(ex: Executor, id: number, reason: string): Promise<void> {
  await ex
    .updateTable('aid_offer')
    .set({ status: 'withdrawn', status_reason: reason })
    .where('id', '=', id)
    .execute();
}

export interface AidMatchRecord {
  id: number;
  requestId: number;
  offerId: number | null;
  providerId: number;
  providerCode: string;
  providerName: string;
  quantity: number;
  delivered: number;
  status: AidMatchStatus;
  requesterAgreedAt: string | null;
  requesterAgreedBy: string | null;
  providerAgreedAt: string | null;
  providerAgreedBy: string | null;
  proposedAt: string;
  proposedBy: string;
}

function matchQuery(ex: Executor, today: IsoDate) {
  return ex
    .selectFrom('aid_match as m')
    .innerJoin('organisation as o', 'o.id', 'm.provider_id')
    .selectAll('m')
    .select(['o.ods_code', organisationName('o', today).as('name')]);
}
type MatchRow = Awaited<ReturnType<ReturnType<typeof matchQuery>['executeTakeFirstOrThrow']>>;

function toMatch(r: MatchRow): AidMatchRecord {
  return {
    id: r.id,
    requestId: r.request_id,
    offerId: r.offer_id,
    providerId: r.provider_id,
    providerCode: r.ods_code,
    providerName: r.name,
    quantity: r.quantity,
    delivered: r.delivered,
    status: r.status as AidMatchStatus,
    requesterAgreedAt: iso(r.requester_agreed_at),
    requesterAgreedBy: r.requester_agreed_by,
    providerAgreedAt: iso(r.provider_agreed_at),
    providerAgreedBy: r.provider_agreed_by,
    proposedAt: new Date(r.proposed_at).toISOString(),
    proposedBy: r.proposed_by,
  };
}

export async function listAidMatches(
  ex: Executor,
  requestIds: readonly number[],
  today: IsoDate,
): Promise<AidMatchRecord[]> {
  if (requestIds.length === 0) return [];
  const rows = await matchQuery(ex, today)
    .where('m.request_id', 'in', [...requestIds])
    .orderBy('m.id')
    .execute();
  return rows.map(toMatch);
}

/** Matches in which the organisation gives aid, for requests still needed on or after a date. */
export async function listAidMatchesGivenBy(
  ex: Executor,
  organisationId: number,
  today: IsoDate,
  since: IsoDate,
): Promise<AidMatchRecord[]> {
  const rows = await matchQuery(ex, today)
    .innerJoin('aid_request as r', 'r.id', 'm.request_id')
    .where('m.provider_id', '=', organisationId)
    .where('r.needed_to', '>=', since)
    .orderBy('m.id')
    .execute();
  return rows.map(toMatch);
}

export async function findAidMatch(
  ex: Executor,
  id: number,
  today: IsoDate,
  lock = false,
): Promise<AidMatchRecord | null> {
  const query = matchQuery(ex, today).where('m.id', '=', id);
  const row = await (lock ? query.forUpdate('m') : query).executeTakeFirst();
  return row ? toMatch(row) : null;
}

export async function insertAidMatch(
  ex: Executor,
  match: {
    requestId: number;
    offerId: number | null;
    providerId: number;
    quantity: number;
    proposedBy: string;
  },
): Promise<number> {
  const row = await ex
    .insertInto('aid_match')
    .values({
      request_id: match.requestId,
      offer_id: match.offerId,
      provider_id: match.providerId,
      quantity: match.quantity,
      status: 'proposed',
      proposed_by: match.proposedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAidMatch(
  ex: Executor,
  id: number,
  change: {
    status?: AidMatchStatus;
    delivered?: number;
    requesterAgreedBy?: string;
    providerAgreedBy?: string;
  },
): Promise<void> {
  const now = new Date();
  await ex
    .updateTable('aid_match')
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.delivered !== undefined ? { delivered: change.delivered } : {}),
      ...(change.requesterAgreedBy
        ? { requester_agreed_by: change.requesterAgreedBy, requester_agreed_at: now }
        : {}),
      ...(change.providerAgreedBy
        ? { provider_agreed_by: change.providerAgreedBy, provider_agreed_at: now }
        : {}),
    })
    .where('id', '=', id)
    .execute();
}

export interface AidEventRecord {
  id: number;
  requestId: number | null;
  offerId: number | null;
  matchId: number | null;
  step: string;
  fromStatus: string | null;
  toStatus: string | null;
  quantity: number | null;
  note: string | null;
  occurredAt: string;
  actor: string;
}

export async function insertAidEvents(
  ex: Executor,
  events: Array<Omit<AidEventRecord, 'id' | 'occurredAt'>>,
): Promise<void> {
  if (events.length === 0) return;
  await ex
    .insertInto('aid_event')
    .values(
      events.map((e) => ({
        request_id: e.requestId,
        offer_id: e.offerId,
        match_id: e.matchId,
        step: e.step,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        quantity: e.quantity,
        note: e.note,
        actor_label: e.actor,
      })),
    )
    .execute();
}

export async function listAidEvents(ex: Executor, requestId: number): Promise<AidEventRecord[]> {
  const rows = await ex
    .selectFrom('aid_event')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    requestId: r.request_id,
    offerId: r.offer_id,
    matchId: r.match_id,
    step: r.step,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    quantity: r.quantity,
    note: r.note,
    occurredAt: new Date(r.occurred_at).toISOString(),
    actor: r.actor_label,
  }));
}

interface CandidateRow {
  id: number;
  ods_code: string;
  name: string;
  sector: string | null;
  postcode: string | null;
  icb_id: number | null;
  region_id: number | null;
  occupancy_numerator: number | null;
  occupancy_denominator: number | null;
  occupancy_period: string | null;
  segment: number | null;
}

/**
 * Every NHS trust open on the date with its ICB and region, postcode, latest general and acute bed
 * occupancy (from the roll-up cache, no older than `occupancySince`) and standing regional segment
 * judgement: matching's one candidate query.
 */
export async function listAidCandidates(
  ex: Executor,
  today: IsoDate,
  occupancy: { metricCode: string; since: IsoDate },
): Promise<AidCandidateOrganisation[]> {
  const result = await sql<CandidateRow>`
    with metric_id as (select id from metric where code = ${occupancy.metricCode})
    select o.id, o.ods_code, v.name, v.sector, v.postcode, p.parent_id as icb_id, gp.parent_id as region_id,
           occ.numerator as occupancy_numerator, occ.denominator as occupancy_denominator,
           occ.period_start as occupancy_period, judged.segment
    from organisation_version v
    join organisation o on o.id = v.organisation_id
    left join organisation_parent p on p.organisation_id = o.id
      and p.valid_from <= ${today}::date and (p.valid_to is null or p.valid_to > ${today}::date)
    left join organisation_parent gp on gp.organisation_id = p.parent_id
      and gp.valid_from <= ${today}::date and (gp.valid_to is null or gp.valid_to > ${today}::date)
    left join lateral (
      select r.numerator, r.denominator, r.period_start from metric_rollup r
      where r.aggregate_id = o.id and r.metric_id = (select id from metric_id)
        and r.period_start >= ${occupancy.since}::date and r.period_start <= ${today}::date
        and r.reported > 0 and r.denominator > 0 and r.numerator is not null
      order by r.period_start desc limit 1
    ) occ on true
    left join lateral (
      select j.segment from segment_judgement j where j.organisation_id = o.id
      order by j.period_start desc, j.id desc limit 1
    ) judged on true
    where v.kind = 'nhs-trust'
      and v.valid_from <= ${today}::date and (v.valid_to is null or v.valid_to > ${today}::date)
  `.execute(ex);
  return result.rows.map((r) => ({
    id: r.id,
    odsCode: r.ods_code,
    name: r.name,
    sector: r.sector,
    icbId: r.icb_id,
    regionId: r.region_id,
    location: approximateLocation(r.postcode),
    occupancy:
      r.occupancy_numerator !== null && r.occupancy_denominator && r.occupancy_period
        ? {
            value: (100 * Number(r.occupancy_numerator)) / Number(r.occupancy_denominator),
            period: r.occupancy_period,
          }
        : null,
    segment: r.segment,
  }));
}

/** An intervention's facts for the access check before it is shown beside a request. */
export async function findInterventionFacts(
  ex: Executor,
  id: number,
): Promise<{
  id: number;
  organisationId: number;
  openedOn: IsoDate;
  statutoryFunction: string | null;
  title: string;
} | null> {
  const row = await ex
    .selectFrom('intervention')
    .select(['id', 'organisation_id', 'opened_on', 'statutory_function', 'title'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        organisationId: row.organisation_id,
        openedOn: row.opened_on,
        statutoryFunction: row.statutory_function,
        title: row.title,
      }
    : null;
}

/**
 * The aid raised for interventions, for the chain view (signal → segment → intervention → mutual aid).
 * The caller checks the reader may see each intervention; the quantity is the request's.
 */
export async function listAidForInterventions(
  ex: Executor,
  interventionIds: number[],
): Promise<
  Array<{
    id: number;
    interventionId: number;
    requester: { odsCode: string; name: string };
    kind: string;
    kindLabel: string;
    quantity: number;
    unit: string;
    status: string;
  }>
> {
  if (interventionIds.length === 0) return [];
  const today = new Date().toISOString().slice(0, 10);
  const rows = await requestQuery(ex, today)
    .where('r.intervention_id', 'in', interventionIds)
    .orderBy('r.id')
    .execute();
  return rows.map((row) => {
    const request = toRequest(row);
    return {
      id: request.id,
      interventionId: row.intervention_id ?? 0,
      requester: { odsCode: request.odsCode, name: request.name },
      kind: request.kind,
      kindLabel: `${aidKindLabels[request.kind]}: ${aidDetailLabel(request.kind, request.detail)}`,
      quantity: request.quantity,
      unit: request.unit,
      status: request.status,
    };
  });
}

/** Open interventions on any of the organisations, newest first: the demo links some requests to them. */
export async function listOpenInterventionsOf(
  ex: Executor,
  organisationIds: readonly number[],
): Promise<Array<{ id: number; organisationId: number }>> {
  if (organisationIds.length === 0) return [];
  const rows = await ex
    .selectFrom('intervention')
    .select(['id', 'organisation_id'])
    .where('organisation_id', 'in', [...organisationIds])
    .where('status', '=', 'open')
    .where('statutory_function', 'is', null)
    .orderBy('opened_on', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id }));
}
