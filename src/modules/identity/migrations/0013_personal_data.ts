import type { Kysely } from 'kysely';

/**
 * Personal-data rights (Personal Data Protection Law): optional data a person chose to give
 * (birth year) and the record of each consent or other legal basis for optional data, with
 * its time; `deleted_at` marks an account whose personal data was erased on request. The row
 * itself stays, without anything naming the person, because learning events point at it and
 * unit statistics count it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('birth_year', 'integer').execute();
  await db.schema.alterTable('accounts').addColumn('deleted_at', 'text').execute();
  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .execute();
  await db.schema.createIndex('consents_account').on('consents').columns(['account_id', 'purpose']).execute();
}
