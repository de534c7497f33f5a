import { type Kysely, sql } from 'kysely';

/**
 * Seat-limited offerings: an offering of a course with a number of seats, the quotas units get
 * of them, and the nominations that use them up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('offerings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('course_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('seats_total', 'integer', (c) => c.notNull())
    .addColumn('closes_on', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('offerings_tenant').on('offerings').columns(['tenant_id']).execute();

  await db.schema
    .createTable('offering_quotas')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('offering_id', 'text', (c) => c.notNull().references('offerings.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('offering_quotas_pk', ['offering_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('nominations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('offering_id', 'text', (c) => c.notNull().references('offerings.id'))
    .addColumn('quota_unit_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('nominated_by', 'text', (c) => c.notNull())
    .addColumn('nominated_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'text')
    .execute();
  // The backstop for "one active nomination per person per offering", whatever the code does.
  await db.schema
    .createIndex('nominations_one_active')
    .on('nominations')
    .columns(['offering_id', 'account_id'])
    .unique()
    .where(sql.ref('withdrawn_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('nominations_quota')
    .on('nominations')
    .columns(['offering_id', 'quota_unit_id'])
    .execute();
}
