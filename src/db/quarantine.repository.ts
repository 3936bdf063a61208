import { sql } from 'kysely';
import type { IsoDate } from '../domain/iso-date.js';
import type { Executor } from './database.js';

export interface QuarantinedRow {
  odsCode: string;
  orgName: string | null;
  itemId: number;
  periodType: string;
  periodStart: IsoDate;
  value: number;
  sourceId: number;
}

/** Holds rows for unknown codes; returns how many were new or changed. */
export async function insertQuarantinedRows(ex: Executor, rows: readonly QuarantinedRow[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += 2000) {
    const batch = rows.slice(start, start + 2000);
    const result = await ex
      .insertInto('quarantined_observation')
      .values(
        batch.map((row) => ({
          ods_code: row.odsCode,
          org_name: row.orgName,
          item_id: row.itemId,
          period_type: row.periodType,
          period_start: row.periodStart,
          value: row.value,
          source_id: row.sourceId,
        })),
      )
      // A later file's value replaces a held one; an identical value changes nothing.
      .onConflict((oc) =>
        oc
          .columns(['ods_code', 'item_id', 'period_type', 'period_start'])
          .doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            source_id: eb.ref('excluded.source_id'),
            org_name: eb.ref('excluded.org_name'),
          }))
          .where('quarantined_observation.value', '<>', (eb) => eb.ref('excluded.value')),
      )
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export interface QuarantinedCode {
  odsCode: string;
  orgName: string | null;
  rows: number;
  items: string[];
  firstPeriod: IsoDate;
  lastPeriod: IsoDate;
  sources: string[];
}

/** Codes waiting in quarantine, with what they hold. */
export async function listQuarantinedCodes(ex: Executor): Promise<QuarantinedCode[]> {
  const result = await sql<{
    ods_code: string;
    org_name: string | null;
    rows: number;
    items: string[];
    first_period: string;
    last_period: string;
    sources: string[];
  }>`
    select q.ods_code, max(q.org_name) as org_name, count(*)::int as rows,
           array_agg(distinct i.code order by i.code) as items,
           min(q.period_start) as first_period, max(q.period_start) as last_period,
           array_agg(distinct r.file_name order by r.file_name) as sources
    from quarantined_observation q
    join data_item i on i.id = q.item_id
    join import_run r on r.id = q.source_id
    group by q.ods_code
    order by count(*) desc, q.ods_code
  `.execute(ex);
  return result.rows.map((row) => ({
    odsCode: row.ods_code,
    orgName: row.org_name,
    rows: Number(row.rows),
    items: row.items,
    firstPeriod: row.first_period,
    lastPeriod: row.last_period,
    sources: row.sources,
  }));
}

export async function listQuarantinedRowsForCode(ex: Executor, odsCode: string): Promise<QuarantinedRow[]> {
  const rows = await ex
    .selectFrom('quarantined_observation')
    .selectAll()
    .where('ods_code', '=', odsCode)
    .execute();
  return rows.map((row) => ({
    odsCode: row.ods_code,
    orgName: row.org_name,
    itemId: row.item_id,
    periodType: row.period_type,
    periodStart: row.period_start,
    value: row.value,
    sourceId: row.source_id,
  }));
}

/** Quarantine is a holding area: released rows leave it (the resolution is recorded separately). */
export async function deleteQuarantinedRowsForCode(ex: Executor, odsCode: string): Promise<void> {
  await ex.deleteFrom('quarantined_observation').where('ods_code', '=', odsCode).execute();
}

export async function insertQuarantineResolution(
  ex: Executor,
  resolution: {
    odsCode: string;
    resolution: string;
    targetCode: string;
    rowsReleased: number;
    reason: string;
  },
): Promise<void> {
  await ex
    .insertInto('quarantine_resolution')
    .values({
      ods_code: resolution.odsCode,
      resolution: resolution.resolution,
      target_code: resolution.targetCode,
      rows_released: resolution.rowsReleased,
      reason: resolution.reason,
    })
    .execute();
}
