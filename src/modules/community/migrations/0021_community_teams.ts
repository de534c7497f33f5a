import type { Kysely } from 'kysely';

/** Placeholder: the community module's tables are created here. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
