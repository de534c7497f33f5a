import { type Kysely, sql } from 'kysely';

/**
 * Question banks with versioned questions of six kinds; quiz questions become immutable
 * snapshots (a published quiz keeps the exact questions learners saw) whose `body` holds the
 * kind's key; quizzes get settings; attempts get a deadline and autosaved answers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('question_banks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('question_banks_name', ['tenant_id', 'name'])
    .execute();

  await db.schema
    .createTable('bank_questions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('bank_id', 'text', (c) => c.notNull().references('question_banks.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('situation', 'text')
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('image_file', 'text')
    .addColumn('image_alt', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('difficulty', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('frameworks', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('bank_questions_key', ['bank_id', 'key'])
    .execute();

  await db.schema
    .createTable('bank_question_versions')
    .addColumn('question_id', 'text', (c) => c.notNull().references('bank_questions.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bank_question_versions_pk', ['question_id', 'number'])
    .execute();

  for (const column of ['body', 'difficulty', 'tags', 'frameworks', 'image_file', 'image_alt', 'source_id']) {
    await db.schema.alterTable('quiz_questions').addColumn(column, 'text').execute();
  }
  await sql`update quiz_questions set body = '{"kind":"' || kind || '","options":' || options || '}',
    tags = ',', frameworks = ','`.execute(db);
  await db.schema.alterTable('quiz_questions').dropColumn('options').execute();

  await db.schema.alterTable('quizzes').addColumn('settings', 'text').execute();

  await db.schema.alterTable('quiz_attempts').addColumn('deadline_at', 'text').execute();
  await db.schema.alterTable('quiz_attempts').addColumn('saved_answers', 'text').execute();
  await db.schema.alterTable('quiz_attempts').addColumn('saved_at', 'text').execute();
  await db.schema.alterTable('quiz_attempts').addColumn('late', 'integer').execute();
}
