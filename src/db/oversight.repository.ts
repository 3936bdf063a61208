import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { IsoDate } from '../domain/iso-date.js';

/** Oversight methodology versions, segment judgements, and the cached roll-ups segmentation reads. */

export interface MethodologyVersionRow {
  code: string;
  version: number;
  definition: unknown;
  recordedAt: Date;
  recordedBy: string;
}

export async function listMethodologyVersions(ex: Executor): Promise<MethodologyVersionRow[]> {
  const rows = await ex
    .selectFrom('oversight_methodology')
    .select(['code', 'version', 'definition', 'recorded_at', 'recorded_by'])
    .orderBy('code')
    .orderBy('version')
    .execute();
  return rows.map((row) => ({
    code: row.code,
    version: row.version,
    definition: row.definition,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
  }));
}

export async function insertMethodologyVersion(
  ex: Executor,
  row: { code: string; version: number; definition: unknown; recordedBy: string },
): Promise<void> {
  await ex
    .insertInto('oversight_methodology')
    .values({
      code: row.code,
      version: row.version,
      definition: JSON.stringify(row.definition),
      recorded_by: row.recordedBy,
    })
    .execute();
}

export interface SegmentJudgementRow {
  id: number;
  methodologyCode: string;
  periodStart: IsoDate;
  organisationId: number;
  odsCode: string;
  segment: number | null;
  reason: string;
  recordedAt: Date;
  recordedBy: string;
}

function judgementQuery(ex: Executor) {
  return ex
    .selectFrom('segment_judgement as j')
    .innerJoin('organisation as o', 'o.id', 'j.organisation_id')
    .select([
      'j.id',
      'j.methodology_code',
      'j.period_start',
      'j.organisation_id',
      'o.ods_code',
      'j.segment',
      'j.reason',
      'j.recorded_at',
      'j.recorded_by',
    ]);
}

type JudgementSelect = Awaited<ReturnType<ReturnType<typeof judgementQuery>['execute']>>[number];

const judgementRowToJudgement = (row: JudgementSelect): SegmentJudgementRow => ({
  id: row.id,
  methodologyCode: row.methodology_code,
  periodStart: row.period_start,
  organisationId: row.organisation_id,
  odsCode: row.ods_code,
  segment: row.segment,
  reason: row.reason,
  recordedAt: row.recorded_at,
  recordedBy: row.recorded_by,
});

/** Every judgement recorded for a methodology and quarter, oldest first (the last per organisation stands). */
export async function listSegmentJudgements(
  ex: Executor,
  methodologyCode: string,
  periodStarts: readonly IsoDate[],
): Promise<SegmentJudgementRow[]> {
  if (periodStarts.length === 0) return [];
  const rows = await judgementQuery(ex)
    .where('j.methodology_code', '=', methodologyCode)
    .where('j.period_start', 'in', [...periodStarts])
    .orderBy('j.id')
    .execute();
  return rows.map(judgementRowToJudgement);
}

export async function insertSegmentJudgement(
  ex: Executor,
  row: {
    methodologyCode: string;
    periodStart: IsoDate;
    organisationId: number;
    segment: number | null;
    reason: string;
    recordedBy: string;
    recordedByUserId: number | null;
  },
): Promise<number> {
  const inserted = await ex
    .insertInto('segment_judgement')
    .values({
      methodology_code: row.methodologyCode,
      period_start: row.periodStart,
      organisation_id: row.organisationId,
      segment: row.segment,
      reason: row.reason,
      recorded_by: row.recordedBy,
      recorded_by_user_id: row.recordedByUserId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export interface AggregateRollupRow {
  aggregateId: number;
  metricId: number;
  periodStart: IsoDate;
  numerator: number | null;
  denominator: number | null;
}

/** Cached monthly roll-ups of many aggregates at once (every trust, or every ICB), months counted only when reported. */
export async function listRollupsForAggregates(
  ex: Executor,
  aggregateIds: readonly number[],
  metricIds: readonly number[],
  from: IsoDate,
  to: IsoDate,
): Promise<AggregateRollupRow[]> {
  if (aggregateIds.length === 0 || metricIds.length === 0) return [];
  const rows = await ex
    .selectFrom('metric_rollup')
    .select(['aggregate_id', 'metric_id', 'period_start', 'numerator', 'denominator'])
    .where(sql<boolean>`aggregate_id = any(${sql.val([...aggregateIds])}::integer[])`)
    .where(sql<boolean>`metric_id = any(${sql.val([...metricIds])}::integer[])`)
    .where('period_start', '>=', from)
    .where('period_start', '<=', to)
    .where('reported', '>', 0)
    .where('numerator', 'is not', null)
    .execute();
  return rows.map((row) => ({
    aggregateId: row.aggregate_id,
    metricId: row.metric_id,
    periodStart: row.period_start,
    numerator: row.numerator,
    denominator: row.denominator,
  }));
}

/**
 * Organisations that took part in a merger, absorption or split in [from, to): their quarters on either
 * side are not like for like, because each month's figures are rolled up under that month's structure.
 */
export async function listRestructuredOrganisationIds(
  ex: Executor,
  from: IsoDate,
  to: IsoDate,
): Promise<Set<number>> {
  const rows = await ex
    .selectFrom('hierarchy_event_participant as p')
    .innerJoin('hierarchy_event as e', 'e.id', 'p.event_id')
    .select('p.organisation_id')
    .where('e.event_type', 'in', ['merge', 'absorb', 'split'])
    .where('e.effective_date', '>=', from)
    .where('e.effective_date', '<', to)
    .execute();
  return new Set(rows.map((row) => row.organisation_id));
}

/** Serialises judgements on one organisation: the caller's transaction holds its row until it ends. */
export async function lockOrganisationForJudgement(ex: Executor, organisationId: number): Promise<void> {
  await ex.selectFrom('organisation').select('id').where('id', '=', organisationId).forUpdate().execute();
}

/** The id of the judgement standing (or last withdrawn) for an organisation and quarter; null when none. */
export async function findLatestJudgementId(
  ex: Executor,
  methodologyCode: string,
  periodStart: IsoDate,
  organisationId: number,
): Promise<number | null> {
  const row = await ex
    .selectFrom('segment_judgement')
    .select('id')
    .where('methodology_code', '=', methodologyCode)
    .where('period_start', '=', periodStart)
    .where('organisation_id', '=', organisationId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}
