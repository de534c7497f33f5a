import type { Kysely } from 'kysely';

// Placeholder: the audit module's tables land with its service (being written now).
export async function up(_db: Kysely<unknown>): Promise<void> {}
