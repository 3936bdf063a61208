import type { Db, DatabaseEngine } from '../db/database.js';
import type { IsoDate } from '../domain/iso-date.js';

/** What every route needs, passed explicitly rather than imported: the database and the clock. */
export interface ApiContext {
  db: Db;
  engine: DatabaseEngine;
  /** Today's date; tests fix it so "as now" answers do not drift. */
  today: () => IsoDate;
}
