import { sql, type RawBuilder } from 'kysely';
import type { IsoDate } from '../domain/iso-date.js';
import type { TemporalAggregation } from '../domain/metric.js';
import type { Executor } from './database.js';

/**
 * The roll-up query: sums data items over the organisations placed in an aggregate, per period, as a
 * ratio of sums. An organisation counts in a period only if it reported every item the metric's
 * definition needs (missing is not zero); the codes that did and did not are returned as coverage.
 */

/** One data item of one metric definition version, with its coefficients. */
export interface RollupTerm {
  metricKey: string;
  itemId: number;
  numeratorCoefficient: number;
  denominatorCoefficient: number;
  /** How many distinct items an organisation must report to count (1 when absent items count as zero). */
  required: number;
  /** The version applies to periods starting in [validFrom, validTo). */
  validFrom: IsoDate;
  validTo: IsoDate;
  temporal: TemporalAggregation;
}

export type RollupBucket = 'month' | 'quarter' | 'financial-year';

export type RollupScope =
  | { kind: 'aggregates'; aggregateIds: number[]; groupByAggregate: boolean }
  /** Every aggregate each code is placed in, grouped by aggregate (to fill the roll-up cache). */
  | { kind: 'all-aggregates' }
  | { kind: 'unplaced'; rootId: number };

export interface RollupRequest {
  terms: RollupTerm[];
  scope: RollupScope;
  /** First month included. */
  from: IsoDate;
  /** First month not included. */
  toExclusive: IsoDate;
  bucket: RollupBucket;
  /** Null: each month under the structure in force at its start; a date: everything under that date's structure. */
  structureDate: IsoDate | null;
}

interface RollupQueryRow {
  aggregate_id: number | null;
  metric_key: string;
  bucket: string;
  numerator: number | null;
  denominator: number | null;
  complete_codes: number[] | null;
  incomplete_codes: number[] | null;
}

export interface RollupRow {
  aggregateId: number | null;
  metricKey: string;
  bucket: IsoDate;
  numerator: number | null;
  denominator: number | null;
  completeCodeIds: number[];
  incompleteCodeIds: number[];
}

const monthsIn: Record<RollupBucket, number> = { month: 1, quarter: 3, 'financial-year': 12 };

function bucketExpression(bucket: RollupBucket): RawBuilder<string> {
  switch (bucket) {
    case 'month':
      return sql<string>`o.period_start`;
    case 'quarter':
      // NHS quarters start in April, July, October and January: calendar quarters.
      return sql<string>`date_trunc('quarter', o.period_start)::date`;
    case 'financial-year':
      return sql<string>`make_date(extract(year from o.period_start - interval '3 months')::int, 4, 1)`;
  }
}

/** The roll-up as one SQL query: rows of aggregate, metric key, bucket, sums and the codes that did and did not count. */
function rollupQuery(request: RollupRequest): { query: RawBuilder<RollupQueryRow>; groupAggregate: boolean } {
  const itemIds = [...new Set(request.terms.map((t) => t.itemId))];
  const termRows = sql.join(
    request.terms.map(
      (t) =>
        sql`(${t.metricKey}::text, ${t.itemId}::integer, ${t.numeratorCoefficient}::float8, ${t.denominatorCoefficient}::float8, ${t.required}::integer, ${t.validFrom}::date, ${t.validTo}::date, ${t.temporal}::text)`,
    ),
  );
  const structureDate =
    request.structureDate === null ? sql`o.period_start` : sql`${request.structureDate}::date`;
  const placed = sql`p.valid_from <= ${structureDate} and (p.valid_to is null or p.valid_to > ${structureDate}) and not p.partial`;
  const bucket = bucketExpression(request.bucket);
  const observationFilter = sql`o.is_current and o.period_type = 'M' and o.item_id = any(${itemIds}::integer[])
    and o.period_start >= ${request.from}::date and o.period_start < ${request.toExclusive}::date`;

  let source: RawBuilder<unknown>;
  let groupAggregate: boolean;
  if (request.scope.kind === 'all-aggregates') {
    groupAggregate = true;
    source = sql`
      select p.aggregate_id, o.code_id, o.item_id, o.period_start, o.value, ${bucket} as bucket
      from code_placement p
      join observation o on o.code_id = p.code_id and ${observationFilter}
      where ${placed}`;
  } else if (request.scope.kind === 'aggregates') {
    groupAggregate = request.scope.groupByAggregate;
    const aggregateColumn = groupAggregate ? sql`p.aggregate_id` : sql`null::integer`;
    const rows = sql`
      select ${aggregateColumn} as aggregate_id, o.code_id, o.item_id, o.period_start, o.value, ${bucket} as bucket
      from code_placement p
      join observation o on o.code_id = p.code_id and ${observationFilter}
      where p.aggregate_id = any(${request.scope.aggregateIds}::integer[]) and ${placed}`;
    // A code placed in two of the requested aggregates counts once when they are summed together.
    source =
      !groupAggregate && request.scope.aggregateIds.length > 1
        ? sql`select distinct on (code_id, item_id, period_start) * from (${rows}) d`
        : rows;
  } else {
    groupAggregate = false;
    source = sql`
      select null::integer as aggregate_id, o.code_id, o.item_id, o.period_start, o.value, ${bucket} as bucket
            from observation o
      where ${observationFilter}
        -- Only codes not placed under the root for the whole range need the row-by-row check.
        and o.code_id in (
          select rc.id from reporting_code rc
          where not exists (
            select 1 from code_placement p
            where p.code_id = rc.id and p.aggregate_id = ${request.scope.rootId} and not p.partial
              and p.valid_from <= ${request.from}::date
              and (p.valid_to is null or p.valid_to >= ${request.toExclusive}::date)
          )
        )
        and not exists (
          select 1 from code_placement p
          where p.code_id = o.code_id and p.aggregate_id = ${request.scope.rootId} and ${placed}
        )`;
  }

  const query = sql<RollupQueryRow>`
    with terms (metric_key, item_id, num_coef, den_coef, required, valid_from, valid_to, rule) as (values ${termRows}),
    obs as (${source}),
    per_item as (
      select obs.aggregate_id, t.metric_key, obs.bucket, obs.code_id, obs.item_id, t.num_coef, t.den_coef, t.required,
             case t.rule
               when 'sum' then sum(obs.value)
               when 'mean' then avg(obs.value)
               else (array_agg(obs.value order by obs.period_start desc))[1]
             end as value,
             count(*) as months
      from obs
      join terms t on t.item_id = obs.item_id and obs.bucket >= t.valid_from and obs.bucket < t.valid_to
      group by obs.aggregate_id, t.metric_key, obs.bucket, obs.code_id, obs.item_id, t.num_coef, t.den_coef, t.required, t.rule
    ),
    per_code as (
      select aggregate_id, metric_key, bucket, code_id,
             sum(value * num_coef) as num, sum(value * den_coef) as den,
             count(*) filter (where months = ${monthsIn[request.bucket]}) as complete_items,
             max(required) as required
      from per_item
      group by aggregate_id, metric_key, bucket, code_id
    )
    select aggregate_id, metric_key, bucket,
           sum(num) filter (where complete_items >= required) as numerator,
           sum(den) filter (where complete_items >= required) as denominator,
           array_agg(code_id order by code_id) filter (where complete_items >= required) as complete_codes,
           array_agg(code_id order by code_id) filter (where complete_items < required) as incomplete_codes
    from per_code
    group by aggregate_id, metric_key, bucket
  `;
  return { query, groupAggregate };
}

export async function aggregateObservations(ex: Executor, request: RollupRequest): Promise<RollupRow[]> {
  if (request.terms.length === 0) return [];
  const { query, groupAggregate } = rollupQuery(request);
  const result = await sql<RollupQueryRow>`${query} order by aggregate_id, metric_key, bucket`.execute(ex);

  return result.rows.map((row) => ({
    aggregateId: groupAggregate ? row.aggregate_id : null,
    metricKey: row.metric_key,
    bucket: row.bucket,
    numerator: row.numerator === null ? null : Number(row.numerator),
    denominator: row.denominator === null ? null : Number(row.denominator),
    completeCodeIds: row.complete_codes ?? [],
    incompleteCodeIds: row.incomplete_codes ?? [],
  }));
}

/** ODS codes for reporting-code ids, for coverage lists. */
export async function listCodesByIds(ex: Executor, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex
    .selectFrom('reporting_code')
    .select(['id', 'ods_code'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.ods_code]));
}

/** Organisations of given kinds on a date (for league tables: every trust, or every ICB). */
export async function listOrganisationIdsOfKindsAt(
  ex: Executor,
  kinds: readonly string[],
  date: IsoDate,
): Promise<Array<{ id: number; odsCode: string; name: string; kind: string; sector: string | null }>> {
  const rows = await ex
    .selectFrom('organisation as o')
    .innerJoin('organisation_version as v', 'v.organisation_id', 'o.id')
    .select(['o.id', 'o.ods_code', 'v.name', 'v.kind', 'v.sector'])
    .where('v.kind', 'in', [...kinds])
    .where('v.valid_from', '<=', date)
    .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', date)]))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    odsCode: row.ods_code,
    name: row.name,
    kind: row.kind,
    sector: row.sector,
  }));
}

function termValues(terms: RollupTerm[]) {
  return sql.join(
    terms.map(
      (t) =>
        sql`(${Number(t.metricKey)}::integer, ${t.itemId}::integer, ${t.numeratorCoefficient}::float8, ${t.denominatorCoefficient}::float8, ${t.required}::integer, ${t.validFrom}::date, ${t.validTo}::date)`,
    ),
  );
}

const placedOn = (p: string, date: string) =>
  sql.raw(
    `not ${p}.partial and ${p}.valid_from <= ${date} and (${p}.valid_to is null or ${p}.valid_to > ${date})`,
  );

/**
 * Inserts cached roll-ups computed from the given observations (rows of code_id, item_id, period_start,
 * value). Months under their own structure: a code sits in one place for a whole month, so each code's
 * figures are combined once and then summed into every aggregate it is placed in (a general roll-up
 * cannot do this, as a quarter may straddle a move). Each current observation is one month of one
 * item, so every term counts once. `cells` limits the aggregates and months written.
 */
async function insertRollups(
  ex: Executor,
  terms: RollupTerm[],
  observations: RawBuilder<unknown>,
  cells: 'all' | 'rollup_cells',
): Promise<number> {
  const cellJoin =
    cells === 'all'
      ? sql``
      : sql`join rollup_cells cell on cell.aggregate_id = p.aggregate_id and cell.period_start = c.period_start`;
  const result = await sql`
    insert into metric_rollup (aggregate_id, metric_id, period_start, numerator, denominator, reported, partial)
    with terms (metric_id, item_id, num_coef, den_coef, required, valid_from, valid_to) as (values ${termValues(terms)}),
    per_code as (
      select o.code_id, t.metric_id, o.period_start,
             sum(o.value * t.num_coef) as num, sum(o.value * t.den_coef) as den,
             count(*) >= max(t.required) as complete
      from (${observations}) o
      join terms t on t.item_id = o.item_id and o.period_start >= t.valid_from and o.period_start < t.valid_to
      group by o.code_id, t.metric_id, o.period_start
    )
    select p.aggregate_id, c.metric_id, c.period_start,
           sum(c.num) filter (where c.complete), sum(c.den) filter (where c.complete),
           count(*) filter (where c.complete), count(*) filter (where not c.complete)
    from per_code c
    join code_placement p on p.code_id = c.code_id and ${placedOn('p', 'c.period_start')}
    ${cellJoin}
    group by p.aggregate_id, c.metric_id, c.period_start
  `.execute(ex);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Recomputes the cached monthly roll-ups of the given metrics (terms keyed by metric id) for every
 * aggregate, in a range of months, under each month's structure.
 */
export async function refreshMetricRollups(
  ex: Executor,
  terms: RollupTerm[],
  from: IsoDate,
  toExclusive: IsoDate,
): Promise<number> {
  const metricIds = [...new Set(terms.map((t) => Number(t.metricKey)))];
  if (metricIds.length === 0) return 0;
  await sql`
    delete from metric_rollup
    where metric_id = any(${metricIds}::integer[]) and period_start >= ${from}::date and period_start < ${toExclusive}::date
  `.execute(ex);
  const itemIds = [...new Set(terms.map((t) => t.itemId))];
  return insertRollups(
    ex,
    terms,
    sql`select code_id, item_id, period_start, value from observation
        where is_current and period_type = 'M' and item_id = any(${itemIds}::integer[])
          and period_start >= ${from}::date and period_start < ${toExclusive}::date`,
    'all',
  );
}

/**
 * The aggregates and months whose cached figures a change of placements affects: for every placement
 * added, removed or changed since the cache last looked, the months in which that code has figures.
 * Kept in a temporary table for this transaction; returns how many cells there are.
 */
export async function collectChangedPlacementCells(ex: Executor): Promise<number> {
  await sql`
    create temporary table if not exists rollup_cells (aggregate_id integer not null, period_start date not null)
    on commit drop
  `.execute(ex);
  await sql`delete from rollup_cells`.execute(ex);
  const result = await sql`
    insert into rollup_cells (aggregate_id, period_start)
    with changed as (
      (select code_id, aggregate_id, valid_from, valid_to, partial from code_placement
       except
       select code_id, aggregate_id, valid_from, valid_to, partial from rollup_placement)
      union all
      (select code_id, aggregate_id, valid_from, valid_to, partial from rollup_placement
       except
       select code_id, aggregate_id, valid_from, valid_to, partial from code_placement)
    ),
        months as (
      select distinct o.code_id, o.period_start
      from observation o
      where o.is_current and o.period_type = 'M' and o.code_id in (select code_id from changed)
    ),
    candidates as (
      select distinct ch.code_id, ch.aggregate_id, m.period_start
      from changed ch
      join months m on m.code_id = ch.code_id and ch.valid_from <= m.period_start
        and (ch.valid_to is null or ch.valid_to > m.period_start)
    )
    -- A changed row may only have been cut in two at a move: a cell counts only if whether the code
    -- counts there that month differs.
    select distinct c.aggregate_id, c.period_start
    from candidates c
    where exists (
        select 1 from code_placement p
        where p.code_id = c.code_id and p.aggregate_id = c.aggregate_id and ${placedOn('p', 'c.period_start')}
      ) is distinct from exists (
        select 1 from rollup_placement p
        where p.code_id = c.code_id and p.aggregate_id = c.aggregate_id and ${placedOn('p', 'c.period_start')}
      )
  `.execute(ex);
  return Number(result.numAffectedRows ?? 0);
}

/** Recomputes every metric in the cells collected by collectChangedPlacementCells. */
export async function refreshRollupCells(ex: Executor, terms: RollupTerm[]): Promise<number> {
  await sql`
    delete from metric_rollup m using rollup_cells c
    where m.aggregate_id = c.aggregate_id and m.period_start = c.period_start
  `.execute(ex);
  if (terms.length === 0) return 0;
  const itemIds = [...new Set(terms.map((t) => t.itemId))];
  return insertRollups(
    ex,
    terms,
    sql`select o.code_id, o.item_id, o.period_start, o.value
        from (select distinct p.code_id, c.period_start
              from rollup_cells c
              join code_placement p on p.aggregate_id = c.aggregate_id and ${placedOn('p', 'c.period_start')}) k
        join observation o on o.code_id = k.code_id and o.period_start = k.period_start
        where o.is_current and o.period_type = 'M' and o.item_id = any(${itemIds}::integer[])`,
    'rollup_cells',
  );
}

/** Records the placements the cache now reflects. */
export async function snapshotRollupPlacements(ex: Executor): Promise<void> {
  await sql`delete from rollup_placement`.execute(ex);
  await sql`
    insert into rollup_placement (code_id, aggregate_id, valid_from, valid_to, partial)
    select code_id, aggregate_id, valid_from, valid_to, partial from code_placement
  `.execute(ex);
}

export interface CachedRollupRow {
  metricId: number;
  periodStart: IsoDate;
  numerator: number | null;
  denominator: number | null;
  reported: number;
  partial: number;
}

export async function listCachedRollups(
  ex: Executor,
  aggregateId: number,
  metricIds: readonly number[],
  from: IsoDate,
  to: IsoDate,
): Promise<CachedRollupRow[]> {
  if (metricIds.length === 0) return [];
  const rows = await ex
    .selectFrom('metric_rollup')
    .select(['metric_id', 'period_start', 'numerator', 'denominator', 'reported', 'partial'])
    .where('aggregate_id', '=', aggregateId)
    .where('metric_id', 'in', [...metricIds])
    .where('period_start', '>=', from)
    .where('period_start', '<=', to)
    .orderBy('metric_id')
    .orderBy('period_start')
    .execute();
  return rows.map((row) => ({
    metricId: row.metric_id,
    periodStart: row.period_start,
    numerator: row.numerator,
    denominator: row.denominator,
    reported: row.reported,
    partial: row.partial,
  }));
}

export async function addPendingRollups(
  ex: Executor,
  ranges: ReadonlyArray<{ metricId: number; from: IsoDate; to: IsoDate }>,
): Promise<void> {
  if (ranges.length === 0) return;
  await ex
    .insertInto('rollup_pending')
    .values(ranges.map((r) => ({ metric_id: r.metricId, period_from: r.from, period_to: r.to })))
    .execute();
}

/** Pending refreshes, locked for this transaction (a second refresher waits rather than repeats the work). */
export async function takePendingRollups(
  ex: Executor,
): Promise<Array<{ metricId: number; from: IsoDate; to: IsoDate }>> {
  const result = await sql<{ metric_id: number; period_from: string; period_to: string }>`
    delete from rollup_pending returning metric_id, period_from, period_to
  `.execute(ex);
  return result.rows.map((row) => ({ metricId: row.metric_id, from: row.period_from, to: row.period_to }));
}

export async function hasPendingRollups(ex: Executor): Promise<boolean> {
  const row = await ex.selectFrom('rollup_pending').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface RollupState {
  /** Digest of the metric definitions the cache was built with. */
  digest: string;
  /** The placement stamp at which the cache last took account of placements. */
  placementStamp: string;
}

/** The cache's state, locking its row while a refresh works; null when another refresh holds it and `wait` is false. */
export async function lockRollupState(ex: Executor, wait: boolean): Promise<RollupState | null> {
  const result = await sql<{ definitions_digest: string; placement_stamp: string }>`
    select definitions_digest, placement_stamp from rollup_state where id = 1 for update ${wait ? sql`` : sql`skip locked`}
  `.execute(ex);
  const row = result.rows[0];
  return row ? { digest: row.definitions_digest, placementStamp: row.placement_stamp } : null;
}

export async function readRollupState(ex: Executor): Promise<RollupState | null> {
  const row = await ex
    .selectFrom('rollup_state')
    .select(['definitions_digest', 'placement_stamp'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return row ? { digest: row.definitions_digest, placementStamp: row.placement_stamp } : null;
}

export async function saveRollupState(ex: Executor, state: RollupState): Promise<void> {
  await sql`
    update rollup_state set definitions_digest = ${state.digest}, placement_stamp = ${state.placementStamp}, refreshed_at = now()
    where id = 1
  `.execute(ex);
}

/** Fresh planner statistics for the tables roll-ups read, after a large load. */
export async function analyseObservationStore(ex: Executor): Promise<void> {
  await sql`analyze observation`.execute(ex);
  await sql`analyze code_placement`.execute(ex);
}

export async function clearMetricRollups(ex: Executor): Promise<void> {
  await sql`delete from metric_rollup`.execute(ex);
}
