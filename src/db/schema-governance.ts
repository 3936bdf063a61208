/** Row types of the governance tables (migration 0012). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the governance work
export interface GovernanceTables {}
