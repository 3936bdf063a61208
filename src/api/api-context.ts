import type { Db, DatabaseEngine, DatabaseHandle } from '../db/database.js';
import type { FeedFileOpener } from '../domain/feed.js';
import type { IsoDate } from '../domain/iso-date.js';
import type { OidcClient } from '../services/oidc.service.js';

/** What every route needs, passed explicitly rather than imported: the database and the clock. */
export interface ApiContext {
  db: Db;
  engine: DatabaseEngine;
  /** Today's date; tests fix it so "as now" answers do not drift. */
  today: () => IsoDate;
  /** Sign-in through an identity provider, when one is configured. */
  oidc?: OidcClient | null;
  /** Session cookies marked Secure (the service is reached over HTTPS). */
  secureCookies?: boolean;
  /** What running a feed needs: the handle (imports are bulk transactions) and the file opener. */
  feeds?: FeedRuntime | null;
}

export interface FeedRuntime {
  handle: DatabaseHandle;
  open: FeedFileOpener;
}
