import type { Kysely } from 'kysely';

// Placeholder: the roster import's columns land with it (being written now).
export async function up(_db: Kysely<unknown>): Promise<void> {}
