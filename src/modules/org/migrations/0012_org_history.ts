import type { Kysely } from 'kysely';

/** Placeholder for reorganisation history (issue 5); filled in before it lands. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
