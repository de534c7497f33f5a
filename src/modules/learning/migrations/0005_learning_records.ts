import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('learning_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('verb', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('course_id', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('learning_events_account_course')
    .on('learning_events')
    .columns(['account_id', 'course_id'])
    .execute();

  await db.schema
    .createTable('lesson_states')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('lesson_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('course_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('quiz_passed_at', 'text')
    .addColumn('best_score', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('lesson_states_pk', ['account_id', 'lesson_id'])
    .execute();
  await db.schema
    .createIndex('lesson_states_course')
    .on('lesson_states')
    .columns(['account_id', 'course_id'])
    .execute();

  await db.schema
    .createTable('course_progress')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('course_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('lessons_read', 'integer', (c) => c.notNull())
    .addColumn('quizzes_passed', 'integer', (c) => c.notNull())
    .addColumn('lessons_total', 'integer', (c) => c.notNull())
    .addColumn('quizzes_total', 'integer', (c) => c.notNull())
    .addColumn('percent', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('course_progress_pk', ['account_id', 'course_id'])
    .execute();
  await db.schema
    .createIndex('course_progress_course')
    .on('course_progress')
    .columns(['tenant_id', 'course_id'])
    .execute();

  await db.schema
    .createTable('certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('course_id', 'text', (c) => c.notNull())
    .addColumn('learner_name', 'text', (c) => c.notNull())
    .addColumn('course_title', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .addUniqueConstraint('certificates_account_course', ['account_id', 'course_id'])
    .execute();
}
