import { type Kysely, sql } from 'kysely';

/**
 * Columns for people enrolled from HR rosters. Of the citizen ID (CCCD) only a keyed hash, to
 * match a person again, and the last four digits, to show it masked, are kept: the Personal Data
 * Protection Law asks for the least personal data that serves the purpose, and matching needs
 * no more.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('position', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('national_id_hash', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('national_id_last4', 'text').execute();
  await db.schema
    .createIndex('accounts_national_id')
    .on('accounts')
    .columns(['tenant_id', 'national_id_hash'])
    .unique()
    .where(sql.ref('national_id_hash'), 'is not', null)
    .execute();
}
