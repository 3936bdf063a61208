import { sql } from 'kysely';
import type { Placement, PlacementLink, PlacementOrganisation } from '../domain/placement.js';
import type { Executor } from './database.js';

/** Everything placements are computed from, read in a few plain queries. */
export async function loadPlacementInputs(ex: Executor): Promise<{
  organisations: PlacementOrganisation[];
  links: PlacementLink[];
  successions: Array<{ predecessorCode: string; successorCode: string }>;
  codes: Array<{ id: number; odsCode: string }>;
}> {
  const [organisations, links, successions, codes] = await Promise.all([
    ex.selectFrom('organisation').select(['id', 'ods_code', 'valid_from', 'valid_to']).execute(),
    ex
      .selectFrom('organisation_parent')
      .select(['organisation_id', 'parent_id', 'valid_from', 'valid_to'])
      .execute(),
    ex.selectFrom('organisation_succession').select(['predecessor_code', 'successor_code']).execute(),
    ex.selectFrom('reporting_code').select(['id', 'ods_code']).execute(),
  ]);
  return {
    organisations: organisations.map((o) => ({
      id: o.id,
      odsCode: o.ods_code,
      validFrom: o.valid_from,
      validTo: o.valid_to,
    })),
    links: links.map((l) => ({
      organisationId: l.organisation_id,
      parentId: l.parent_id,
      validFrom: l.valid_from,
      validTo: l.valid_to,
    })),
    successions: successions.map((s) => ({
      predecessorCode: s.predecessor_code,
      successorCode: s.successor_code,
    })),
    codes: codes.map((c) => ({ id: c.id, odsCode: c.ods_code })),
  };
}

/**
 * A fingerprint of what placements depend on: the hierarchy's events, the successions and the
 * reporting codes. Placements are rebuilt only when it changes.
 */
export async function currentPlacementStamp(ex: Executor): Promise<string> {
  const result = await sql<{ events: number; successions: number; codes: number; organisations: number }>`
    select (select coalesce(max(id), 0) from hierarchy_event) as events,
           (select count(*) from organisation_succession) as successions,
           (select coalesce(max(id), 0) from reporting_code) as codes,
           (select count(*) from organisation) as organisations
  `.execute(ex);
  const row = result.rows[0];
  return `${row?.events ?? 0}:${row?.successions ?? 0}:${row?.codes ?? 0}:${row?.organisations ?? 0}`;
}

/** The stamp of the stored placements, locking the row so only one rebuild runs at a time. */
export async function lockPlacementStamp(ex: Executor): Promise<string | null> {
  await sql`insert into placement_state (id, stamp) values (1, '') on conflict (id) do nothing`.execute(ex);
  const result = await sql<{
    stamp: string;
  }>`select stamp from placement_state where id = 1 for update`.execute(ex);
  return result.rows[0]?.stamp ?? null;
}

export async function replacePlacements(
  ex: Executor,
  placements: readonly Placement[],
  stamp: string,
): Promise<void> {
  await sql`delete from code_placement`.execute(ex);
  for (let start = 0; start < placements.length; start += 5000) {
    const batch = placements.slice(start, start + 5000);
    await ex
      .insertInto('code_placement')
      .values(
        batch.map((p) => ({
          code_id: p.codeId,
          aggregate_id: p.aggregateId,
          valid_from: p.validFrom,
          valid_to: p.validTo,
          partial: p.partial,
          via_succession: p.viaSuccession,
        })),
      )
      .execute();
  }
  await sql`update placement_state set stamp = ${stamp}, refreshed_at = now() where id = 1`.execute(ex);
  await sql`analyze code_placement`.execute(ex);
}

export async function readPlacementStamp(ex: Executor): Promise<string | null> {
  const row = await ex.selectFrom('placement_state').select('stamp').where('id', '=', 1).executeTakeFirst();
  return row?.stamp ?? null;
}
