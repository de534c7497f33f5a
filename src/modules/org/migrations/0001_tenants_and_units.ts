import { type Kysely, sql } from 'kysely';
import { byteOrderedText } from '../../../db/migrationTools.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('org_units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('parent_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('path', byteOrderedText(db), (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('type_label', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('search_name', 'text', (c) => c.notNull())
    .addColumn('search_path', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('org_units_tenant_path')
    .on('org_units')
    .columns(['tenant_id', 'path'])
    .execute();
  await db.schema.createIndex('org_units_parent').on('org_units').columns(['parent_id']).execute();
  // An official code names one current unit per tenant; closed units keep theirs for history.
  await db.schema
    .createIndex('org_units_current_code')
    .on('org_units')
    .columns(['tenant_id', 'code'])
    .unique()
    .where(sql.ref('valid_to'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('org_units').execute();
  await db.schema.dropTable('tenants').execute();
}
