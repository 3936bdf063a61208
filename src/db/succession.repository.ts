import { sql } from 'kysely';
import type { Succession, SuccessionType } from '../domain/hierarchy-event.js';
import type { Executor } from './database.js';

interface SuccessionRow {
  predecessor_code: string;
  successor_code: string;
  effective_date: string;
  succession_type: string;
  is_split: boolean;
  source: string;
}

function successionRowToSuccession(row: SuccessionRow): Succession {
  return {
    predecessorCode: row.predecessor_code,
    successorCode: row.successor_code,
    effectiveDate: row.effective_date,
    type: row.succession_type as SuccessionType,
    isSplit: row.is_split,
    source: row.source,
  };
}

const successionColumns = [
  'predecessor_code',
  'successor_code',
  'effective_date',
  'succession_type',
  'is_split',
  'source',
] as const;

export async function findSuccession(
  ex: Executor,
  key: { predecessorCode: string; successorCode: string; effectiveDate: string },
): Promise<Succession | null> {
  const row = await ex
    .selectFrom('organisation_succession')
    .select(successionColumns)
    .where('predecessor_code', '=', key.predecessorCode)
    .where('successor_code', '=', key.successorCode)
    .where('effective_date', '=', key.effectiveDate)
    .executeTakeFirst();
  return row ? successionRowToSuccession(row) : null;
}

export async function insertSuccession(
  ex: Executor,
  succession: Succession,
  eventId: number | null,
): Promise<void> {
  await ex
    .insertInto('organisation_succession')
    .values({
      predecessor_code: succession.predecessorCode,
      successor_code: succession.successorCode,
      effective_date: succession.effectiveDate,
      succession_type: succession.type,
      is_split: succession.isSplit,
      source: succession.source,
      event_id: eventId,
    })
    .execute();
}

/**
 * Inserts successions in batches, skipping any already stored (same predecessor, successor and date),
 * and returns how many were new. Used for the ODS file's many rows about codes that are not organisations here.
 */
export async function insertSuccessionsIfAbsent(ex: Executor, successions: Succession[]): Promise<number> {
  let inserted = 0;
  const batchSize = 2000;
  for (let start = 0; start < successions.length; start += batchSize) {
    const batch = successions.slice(start, start + batchSize);
    const result = await ex
      .insertInto('organisation_succession')
      .values(
        batch.map((s) => ({
          predecessor_code: s.predecessorCode,
          successor_code: s.successorCode,
          effective_date: s.effectiveDate,
          succession_type: s.type,
          is_split: s.isSplit,
          source: s.source,
          event_id: null,
        })),
      )
      .onConflict((oc) => oc.columns(['predecessor_code', 'successor_code', 'effective_date']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/** Every succession reachable forwards from the code (its successors, theirs, and so on). */
export async function listSuccessionsForwardFrom(ex: Executor, odsCode: string): Promise<Succession[]> {
  const result = await sql<SuccessionRow>`
    with recursive chain (code, depth) as (
      select ${odsCode}::text, 0
      union
      select s.successor_code, c.depth + 1
      from organisation_succession s join chain c on s.predecessor_code = c.code
      where c.depth < 50
    )
    select distinct s.predecessor_code, s.successor_code, s.effective_date, s.succession_type, s.is_split, s.source
    from organisation_succession s
    where s.predecessor_code in (select code from chain)
    order by s.effective_date, s.predecessor_code, s.successor_code
  `.execute(ex);
  return result.rows.map(successionRowToSuccession);
}

/** Every succession reachable backwards from the code (its predecessors, theirs, and so on). */
export async function listSuccessionsBackwardFrom(ex: Executor, odsCode: string): Promise<Succession[]> {
  const result = await sql<SuccessionRow>`
    with recursive chain (code, depth) as (
      select ${odsCode}::text, 0
      union
      select s.predecessor_code, c.depth + 1
      from organisation_succession s join chain c on s.successor_code = c.code
      where c.depth < 50
    )
    select distinct s.predecessor_code, s.successor_code, s.effective_date, s.succession_type, s.is_split, s.source
    from organisation_succession s
    where s.successor_code in (select code from chain)
    order by s.effective_date desc, s.predecessor_code, s.successor_code
  `.execute(ex);
  return result.rows.map(successionRowToSuccession);
}

export async function listAllSuccessions(ex: Executor): Promise<Succession[]> {
  const rows = await ex
    .selectFrom('organisation_succession')
    .select(successionColumns)
    .orderBy('effective_date')
    .execute();
  return rows.map(successionRowToSuccession);
}

export async function countSuccessions(ex: Executor): Promise<number> {
  const row = await ex
    .selectFrom('organisation_succession')
    .select(ex.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
