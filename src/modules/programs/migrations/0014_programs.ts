import type { Kysely } from 'kysely';

/**
 * Mandatory training: programs (ordered courses, some elective), assignment rules (an audience
 * by block × unit subtree × position/role, with a due date), the assignments the rules make for
 * each person, and the qualifications a completed program grants.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('programs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('target_block', 'text')
    .addColumn('electives_required', 'integer', (c) => c.notNull())
    .addColumn('validity_months', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .addUniqueConstraint('programs_tenant_slug', ['tenant_id', 'slug'])
    .execute();

  await db.schema
    .createTable('program_courses')
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('course_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('program_courses_pk', ['program_id', 'course_id'])
    .execute();
  await db.schema
    .createIndex('program_courses_course')
    .on('program_courses')
    .columns(['course_id'])
    .execute();

  await db.schema
    .createTable('assignment_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('program_id', 'text')
    .addColumn('course_id', 'text')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('blocks', 'text', (c) => c.notNull())
    .addColumn('position', 'text')
    .addColumn('role', 'text')
    .addColumn('due_on', 'text')
    .addColumn('due_days', 'integer')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .execute();
  await db.schema
    .createIndex('assignment_rules_tenant')
    .on('assignment_rules')
    .columns(['tenant_id'])
    .execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull().references('assignment_rules.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('left_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('exempt_at', 'text')
    .addColumn('exempt_reason', 'text')
    .addColumn('exempt_by', 'text')
    .addUniqueConstraint('assignments_rule_person_cycle', ['rule_id', 'account_id', 'cycle'])
    .execute();
  await db.schema.createIndex('assignments_account').on('assignments').columns(['account_id']).execute();
  await db.schema
    .createIndex('assignments_open_due')
    .on('assignments')
    .columns(['tenant_id', 'due_on'])
    .execute();

  await db.schema
    .createTable('qualifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('program_name', 'text', (c) => c.notNull())
    .addColumn('target_block', 'text')
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .addUniqueConstraint('qualifications_once_a_day', ['account_id', 'program_id', 'issued_on'])
    .execute();
  await db.schema
    .createIndex('qualifications_tenant_issued')
    .on('qualifications')
    .columns(['tenant_id', 'issued_on'])
    .execute();
}
