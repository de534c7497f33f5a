import type { Kysely } from 'kysely';

/** Placeholder for personal-data rights (issue 5); filled in before it lands. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
