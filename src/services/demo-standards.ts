import type { Db } from '../db/database.js';
import type { IsoDate } from '../domain/iso-date.js';

/** The demo's standards records; returns how many were added. (Being written: none yet.) */
export async function loadDemoStandards(_db: Db, _today: IsoDate): Promise<number> {
  return 0;
}
