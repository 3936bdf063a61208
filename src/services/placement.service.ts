import type { Db, Executor } from '../db/database.js';
import {
  currentPlacementStamp,
  loadPlacementInputs,
  lockPlacementStamp,
  readPlacementStamp,
  replacePlacements,
} from '../db/placement.repository.js';
import { computePlacements } from '../domain/placement.js';

/** Placements cover periods from April 2010 (the NHS Constitution standards); earlier changes are folded in. */
export const placementsFrom = '2010-04-01';

/**
 * Rebuilds code placements if the hierarchy, the successions or the reporting codes changed since
 * they were last built. Call it in the transaction that made the change, or before reading roll-ups.
 */
export async function refreshPlacements(ex: Executor): Promise<{ rebuilt: boolean; placements: number }> {
  const stored = await lockPlacementStamp(ex);
  const stamp = await currentPlacementStamp(ex);
  if (stored === stamp) return { rebuilt: false, placements: 0 };
  const inputs = await loadPlacementInputs(ex);
  const successors = new Map<string, string[]>();
  for (const s of inputs.successions)
    successors.set(s.predecessorCode, [...(successors.get(s.predecessorCode) ?? []), s.successorCode]);
  const placements = computePlacements({
    organisations: inputs.organisations,
    links: inputs.links,
    successors,
    codes: inputs.codes,
    from: placementsFrom,
  });
  await replacePlacements(ex, placements, stamp);
  return { rebuilt: true, placements: placements.length };
}

/** Makes sure placements are current before a read, in a transaction of its own. */
export async function ensurePlacements(db: Db): Promise<void> {
  const stamp = await currentPlacementStamp(db);
  if ((await readPlacementStamp(db)) === stamp) return;
  await db.transaction().execute((trx) => refreshPlacements(trx));
}
