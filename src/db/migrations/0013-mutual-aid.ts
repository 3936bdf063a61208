import type { Kysely } from 'kysely';

/** Written by its issue's work; empty until then. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
