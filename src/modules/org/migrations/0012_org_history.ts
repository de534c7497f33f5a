import type { Kysely } from 'kysely';
import { byteOrderedText } from '../../../db/migrationTools.js';

/**
 * Reorganisations keep their history. `org_successions` says which unit took over a closed one
 * from which day; `org_unit_placements` keeps where a unit sat in the tree before each move, so
 * the tree of any past day can be rebuilt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('org_successions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('from_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('to_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // A closed unit has one successor.
  await db.schema
    .createIndex('org_successions_from')
    .on('org_successions')
    .columns(['from_unit_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('org_successions_tenant')
    .on('org_successions')
    .columns(['tenant_id', 'effective_on'])
    .execute();

  await db.schema
    .createTable('org_unit_placements')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('parent_id', 'text')
    .addColumn('path', byteOrderedText(db), (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull())
    /** The day the unit left this place (exclusive): it sat here until the day before. */
    .addColumn('left_on', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_unit_placements_pk', ['unit_id', 'left_on'])
    .execute();
  await db.schema
    .createIndex('org_unit_placements_tenant')
    .on('org_unit_placements')
    .columns(['tenant_id', 'left_on'])
    .execute();
}
