import { sql } from 'kysely';
import type { IsoDate } from '../domain/iso-date.js';
import type { Executor } from './database.js';

/** The ids of ODS codes as they appear in data, adding any not seen before. */
export async function ensureReportingCodes(
  ex: Executor,
  codes: readonly string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(codes)];
  const ids = new Map<string, number>();
  for (let start = 0; start < unique.length; start += 5000) {
    const batch = unique.slice(start, start + 5000);
    await ex
      .insertInto('reporting_code')
      .values(batch.map((ods_code) => ({ ods_code })))
      .onConflict((oc) => oc.column('ods_code').doNothing())
      .execute();
    const rows = await ex
      .selectFrom('reporting_code')
      .select(['id', 'ods_code'])
      .where('ods_code', 'in', batch)
      .execute();
    for (const row of rows) ids.set(row.ods_code, row.id);
  }
  return ids;
}

export async function listReportingCodes(ex: Executor): Promise<Array<{ id: number; odsCode: string }>> {
  const rows = await ex.selectFrom('reporting_code').select(['id', 'ods_code']).orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, odsCode: row.ods_code }));
}

/** Whether any value is stored for these items (decides the import's fast path). */
export async function hasCurrentObservations(
  ex: Executor,
  itemIds: readonly number[],
  periodType: string,
): Promise<boolean> {
  if (itemIds.length === 0) return false;
  const row = await ex
    .selectFrom('observation_extent')
    .select('item_id')
    .where('item_id', 'in', [...itemIds])
    .where('period_type', '=', periodType)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Widens the record of which months each item has figures for. */
export async function extendObservationExtent(
  ex: Executor,
  extents: ReadonlyArray<{ itemId: number; periodType: string; first: IsoDate; last: IsoDate }>,
): Promise<void> {
  // One statement for the lot (a return names hundreds of items); an item listed twice is merged first,
  // since one upsert cannot touch a row twice.
  for (let start = 0; start < extents.length; start += 2000) {
    const batch = extents.slice(start, start + 2000);
    await sql`
      insert into observation_extent (item_id, period_type, first_period, last_period)
      select item_id, period_type, min(first_period), max(last_period)
      from (values ${sql.join(batch.map((e) => sql`(${e.itemId}::int, ${e.periodType}::char(1), ${e.first}::date, ${e.last}::date)`))})
        as v (item_id, period_type, first_period, last_period)
      group by item_id, period_type
      on conflict (item_id, period_type) do update
        set first_period = least(observation_extent.first_period, excluded.first_period),
            last_period = greatest(observation_extent.last_period, excluded.last_period)
    `.execute(ex);
  }
}

export const observationCopyColumns = [
  'code_id',
  'item_id',
  'period_type',
  'period_start',
  'value',
  'source_id',
] as const;

/** A session-private table for rows being imported, merged into the store at the end of the import. */
export async function createObservationStage(ex: Executor): Promise<void> {
  await sql`
    create temporary table if not exists observation_stage (
      code_id integer not null,
      item_id integer not null,
      period_type char(1) not null,
      period_start date not null,
      value double precision not null,
      source_id integer not null
    ) on commit drop
  `.execute(ex);
}

export async function clearObservationStage(ex: Executor): Promise<void> {
  await sql`delete from observation_stage`.execute(ex);
}

/**
 * Merges staged rows into the store: an unchanged value is left alone, a changed value supersedes
 * the current one (which is kept, no longer current), a new key is inserted.
 */
export async function mergeObservationStage(
  ex: Executor,
): Promise<{ inserted: number; superseded: number; unchanged: number }> {
  await sql`create index if not exists observation_stage_key on observation_stage (item_id, period_type, period_start, code_id)`.execute(
    ex,
  );
  await sql`analyze observation_stage`.execute(ex);
  const superseded = await sql`
    update observation o set is_current = false
    from observation_stage s
    where o.is_current and o.item_id = s.item_id and o.period_type = s.period_type
      and o.period_start = s.period_start and o.code_id = s.code_id and o.value <> s.value
  `.execute(ex);
  const inserted = await sql`
    insert into observation (code_id, item_id, period_type, period_start, value, source_id)
    select s.code_id, s.item_id, s.period_type, s.period_start, s.value, s.source_id
    from observation_stage s
    where not exists (
      select 1 from observation o
      where o.is_current and o.item_id = s.item_id and o.period_type = s.period_type
        and o.period_start = s.period_start and o.code_id = s.code_id
    )
  `.execute(ex);
  const staged = await sql<{ count: number }>`select count(*)::int as count from observation_stage`.execute(
    ex,
  );
  const written = Number(inserted.numAffectedRows ?? 0);
  const supersededCount = Number(superseded.numAffectedRows ?? 0);
  // A superseded value's replacement is written too; "inserted" counts keys that had no value before.
  return {
    inserted: written - supersededCount,
    superseded: supersededCount,
    unchanged: Number(staged.rows[0]?.count ?? 0) - written,
  };
}

export interface ImportRunInput {
  source: string;
  fileName: string;
  sha256: string | null;
  url: string | null;
  provenance: 'published' | 'demo' | 'submission' | 'manual';
  startedAt: Date;
}

export async function insertImportRun(ex: Executor, run: ImportRunInput): Promise<number> {
  const row = await ex
    .insertInto('import_run')
    .values({
      source: run.source,
      file_name: run.fileName,
      sha256: run.sha256,
      url: run.url,
      provenance: run.provenance,
      started_at: run.startedAt,
      summary: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The summary and digest are written once the import has read everything (the run row comes first, for its id). */
export async function completeImportRun(
  ex: Executor,
  id: number,
  summary: object,
  sha256: string | null,
): Promise<void> {
  await sql`update import_run set summary = ${JSON.stringify(summary)}::jsonb, sha256 = ${sha256}, finished_at = now() where id = ${id}`.execute(
    ex,
  );
}

export interface ImportRunRecord {
  id: number;
  source: string;
  fileName: string;
  sha256: string | null;
  url: string | null;
  provenance: string;
  startedAt: string;
  finishedAt: string;
  summary: Record<string, unknown>;
}

export async function listImportRuns(ex: Executor, limit: number): Promise<ImportRunRecord[]> {
  const rows = await ex.selectFrom('import_run').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    fileName: row.file_name,
    sha256: row.sha256,
    url: row.url,
    provenance: row.provenance,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at.toISOString(),
    summary: row.summary,
  }));
}

export async function countCurrentObservations(ex: Executor): Promise<number> {
  const row = await sql<{
    count: number;
  }>`select count(*)::bigint as count from observation where is_current`.execute(ex);
  return Number(row.rows[0]?.count ?? 0);
}

export interface ObservationVersion {
  value: number;
  isCurrent: boolean;
  sourceId: number;
  source: string;
  fileName: string;
  recordedAt: string;
}

/** Every value ever stored for one code, item and period, newest first. */
export async function listObservationVersions(
  ex: Executor,
  key: { odsCode: string; itemCode: string; periodType: string; periodStart: IsoDate },
): Promise<ObservationVersion[]> {
  const rows = await ex
    .selectFrom('observation as o')
    .innerJoin('reporting_code as c', 'c.id', 'o.code_id')
    .innerJoin('data_item as i', 'i.id', 'o.item_id')
    .innerJoin('import_run as r', 'r.id', 'o.source_id')
    .select(['o.value', 'o.is_current', 'o.source_id', 'r.source', 'r.file_name', 'r.finished_at'])
    .where('c.ods_code', '=', key.odsCode)
    .where('i.code', '=', key.itemCode)
    .where('o.period_type', '=', key.periodType)
    .where('o.period_start', '=', key.periodStart)
    .orderBy('o.source_id', 'desc')
    .execute();
  return rows.map((row) => ({
    value: row.value,
    isCurrent: row.is_current,
    sourceId: row.source_id,
    source: row.source,
    fileName: row.file_name,
    recordedAt: row.finished_at.toISOString(),
  }));
}

/** Adds rows to the session's stage (for small loads where COPY is not worth it). */
export async function insertIntoObservationStage(
  ex: Executor,
  rows: ReadonlyArray<{
    codeId: number;
    itemId: number;
    periodType: string;
    periodStart: IsoDate;
    value: number;
    sourceId: number;
  }>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += 2000) {
    const batch = rows.slice(start, start + 2000);
    await sql`
      insert into observation_stage (code_id, item_id, period_type, period_start, value, source_id)
      values ${sql.join(batch.map((r) => sql`(${r.codeId}, ${r.itemId}, ${r.periodType}, ${r.periodStart}::date, ${r.value}, ${r.sourceId})`))}
    `.execute(ex);
  }
}

/** The latest month any value exists for these items (null when there is none). */
export async function latestPeriodForItems(
  ex: Executor,
  itemIds: readonly number[],
): Promise<IsoDate | null> {
  if (itemIds.length === 0) return null;
  const row = await ex
    .selectFrom('observation_extent')
    .select((eb) => eb.fn.max('last_period').as('latest'))
    .where('item_id', 'in', [...new Set(itemIds)])
    .where('period_type', '=', 'M')
    .executeTakeFirst();
  return row?.latest ?? null;
}

export async function isObservationStoreEmpty(ex: Executor): Promise<boolean> {
  const row = await ex
    .selectFrom('observation')
    .select(sql<number>`1`.as('one'))
    .limit(1)
    .executeTakeFirst();
  return row === undefined;
}

/**
 * A first load into an empty store builds the key index once at the end rather than row by row
 * (about twice as fast). The index definition is the one in migration 0002.
 */
export async function withKeyIndexBuiltAfterLoad<T>(ex: Executor, load: () => Promise<T>): Promise<T> {
  await sql`drop index observation_current_key`.execute(ex);
  const result = await load();
  await sql`
    create unique index observation_current_key
      on observation (code_id, item_id, period_type, period_start) where is_current
  `.execute(ex);
  return result;
}

/**
 * The latest current values of some items for one code before a period, newest first per item (the
 * organisation's own history, against which a new return's values are checked).
 */
export async function listItemHistory(
  ex: Executor,
  key: { odsCode: string; itemCodes: readonly string[]; periodType: string; since: IsoDate; before: IsoDate },
): Promise<Record<string, Array<{ periodStart: IsoDate; value: number }>>> {
  const history: Record<string, Array<{ periodStart: IsoDate; value: number }>> = {};
  if (key.itemCodes.length === 0) return history;
  // One row per item with its values in date order: hundreds of items × two years is thousands of rows
  // otherwise, and handing rows back is most of the cost on PGlite (docs/benchmarks.md, returns).
  const rows = await sql<{ item: string; periods: string[]; values: number[] }>`
    select i.code as item, array_agg(o.period_start::text order by o.period_start) as periods,
      array_agg(o.value order by o.period_start) as values
    from observation o
    join reporting_code c on c.id = o.code_id
    join data_item i on i.id = o.item_id
    where o.is_current and c.ods_code = ${key.odsCode} and o.period_type = ${key.periodType}
      and o.period_start >= ${key.since}::date and o.period_start < ${key.before}::date
      and i.code in (${sql.join([...key.itemCodes])})
    group by i.code
  `.execute(ex);
  for (const row of rows.rows)
    history[row.item] = row.periods.map((periodStart, i) => ({ periodStart, value: Number(row.values[i]) }));
  return history;
}

/** Takes the current values of items out of reporting (an accepted correction left them blank). */
export async function withdrawObservations(
  ex: Executor,
  key: { codeId: number; itemIds: readonly number[]; periodType: string; periodStart: string },
): Promise<number> {
  if (key.itemIds.length === 0) return 0;
  const result = await ex
    .updateTable('observation')
    .set({ is_current: false })
    .where('code_id', '=', key.codeId)
    .where('item_id', 'in', [...key.itemIds])
    .where('period_type', '=', key.periodType)
    .where('period_start', '=', key.periodStart)
    .where('is_current', '=', true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
