/** Row types of the mutual aid tables (migration 0013). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the mutual aid work
export interface MutualAidTables {}
