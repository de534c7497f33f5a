import { type Kysely, sql } from 'kysely';

/**
 * Courses get versions: a draft that authors edit and immutable published versions that
 * learners' records point at. Modules and lessons now belong to a version, so a lesson slug is
 * unique per version (the lessons table is rebuilt: SQLite cannot drop a unique constraint).
 * Every existing course becomes its own published version 1.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('course_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('number', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('blocks', 'text', (c) => c.notNull())
    .addColumn('lock_lessons', 'integer', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('lesson_count', 'integer', (c) => c.notNull())
    .addColumn('cover_file', 'text')
    .addColumn('cover_alt', 'text')
    .addColumn('frameworks', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .addUniqueConstraint('course_versions_number', ['course_id', 'number'])
    .execute();
  await db.schema
    .createIndex('course_versions_course')
    .on('course_versions')
    .columns(['course_id'])
    .execute();

  await db.schema.alterTable('courses').addColumn('published_version_id', 'text').execute();
  await db.schema.alterTable('course_modules').addColumn('version_id', 'text').execute();

  await db.schema
    .createTable('version_lessons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('course_versions.id').onDelete('cascade'))
    .addColumn('module_id', 'text', (c) => c.notNull().references('course_modules.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('frameworks', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('video_title', 'text')
    .addColumn('video_file', 'text')
    .addColumn('video_url', 'text')
    .addColumn('video_captions', 'text')
    .addColumn('video_low_file', 'text')
    .addColumn('quiz_id', 'text')
    .addUniqueConstraint('lessons_version_slug', ['version_id', 'slug'])
    .execute();

  await sql`insert into course_versions
      (id, tenant_id, course_id, number, status, title, summary, topic, blocks, lock_lessons, minutes,
       lesson_count, cover_file, cover_alt, frameworks, digest, created_at, updated_at, published_at, published_by)
    select 'v1-' || id, tenant_id, id, 1, 'published', title, summary, topic, blocks, lock_lessons, minutes,
       lesson_count, null, null, ',', digest, created_at, updated_at, updated_at, null
    from courses`.execute(db);
  await sql`update courses set published_version_id = 'v1-' || id`.execute(db);
  await sql`update course_modules set version_id = 'v1-' || course_id`.execute(db);
  await sql`insert into version_lessons
      (id, tenant_id, course_id, version_id, module_id, position, kind, slug, title, minutes, body_markdown,
       body_html, digest, frameworks, attachments, video_title, video_file, video_url, video_captions,
       video_low_file, quiz_id)
    select id, tenant_id, course_id, 'v1-' || course_id, module_id, position, 'lesson', slug, title, minutes, '',
       body_html, id, ',', '[]', video_title, video_file, video_url, video_captions, null, quiz_id
    from lessons`.execute(db);
  await db.schema.dropTable('lessons').execute();
  await db.schema.alterTable('version_lessons').renameTo('lessons').execute();
  await db.schema.createIndex('lessons_version').on('lessons').columns(['version_id', 'position']).execute();
  await db.schema
    .createIndex('course_modules_version')
    .on('course_modules')
    .columns(['version_id'])
    .execute();
}
