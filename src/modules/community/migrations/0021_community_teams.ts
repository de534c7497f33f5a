import type { Kysely } from 'kysely';

/**
 * Community digital technology teams, their members, the help their qualified guides log, and
 * the running totals of that help per team, guide, service and month (see tables.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('community_teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('leader_account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('contact_phone', 'text')
    .addColumn('contact_note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('community_teams_name_once', ['tenant_id', 'unit_id', 'name'])
    .execute();
  // The unique constraint's index, (tenant_id, unit_id, name), also finds a subtree's teams.

  await db.schema
    .createTable('community_team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('community_teams.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addPrimaryKeyConstraint('community_team_members_pk', ['team_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('community_team_members_account')
    .on('community_team_members')
    .columns(['account_id'])
    .execute();

  await db.schema
    .createTable('assistance_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('community_teams.id'))
    .addColumn('guide_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('village_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('helped_on', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('citizen_phone', 'text')
    .addColumn('consent_at', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .execute();
  // A team's log by day; covering what a period's partial months add up (a province's teams read
  // a month of the log without touching the table).
  await db.schema
    .createIndex('assistance_logs_team_day')
    .on('assistance_logs')
    .columns(['team_id', 'helped_on', 'service', 'guide_account_id', 'people'])
    .execute();
  await db.schema
    .createIndex('assistance_logs_guide_day')
    .on('assistance_logs')
    .columns(['guide_account_id', 'helped_on'])
    .execute();

  await db.schema
    .createTable('assistance_totals')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('community_teams.id'))
    .addColumn('guide_account_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    // Period before guide: a summary reads one period (or a range of months) of many teams.
    .addPrimaryKeyConstraint('assistance_totals_pk', ['team_id', 'period', 'guide_account_id', 'service'])
    .execute();
}
