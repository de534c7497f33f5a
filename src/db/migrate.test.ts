import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { freshDatabaseUrl, testDialects } from '../../test/support/db.js';
import { openDatabase } from './database.js';
import { migrateToLatest, migrateUpTo } from './migrate.js';

const NOW = '2026-11-01T00:00:00.000Z';

for (const dialect of testDialects()) {
  describe(`migrations on data from before course versions [${dialect}]`, () => {
    it('turns each course into its published version 1, keeping lessons, questions and progress', async () => {
      const fresh = await freshDatabaseUrl(dialect);
      const db = openDatabase(fresh.url);
      try {
        await migrateUpTo(db, '0005_learning_records');
        await sql`insert into tenants (id, slug, name, created_at) values ('t1', 'tinh', 'Tỉnh', ${NOW})`.execute(
          db.kysely,
        );
        await sql`insert into accounts (id, tenant_id, full_name, block, password_hash, is_demo, created_at, updated_at)
          values ('a1', 't1', 'Lê Thị Mai', 'citizen', 'x', 0, ${NOW}, ${NOW})`.execute(db.kysely);
        await sql`insert into courses (id, tenant_id, slug, title, summary, topic, blocks, lock_lessons, minutes,
            lesson_count, search_title, search_text, digest, status, created_at, updated_at)
          values ('c1', 't1', 'zalo', 'Zalo an toàn', 'Tóm tắt', 'an-toan-so', ',citizen,', 0, 10, 1, 'zalo', 'zalo', 'd1',
            'published', ${NOW}, ${NOW})`.execute(db.kysely);
        await sql`insert into course_modules (id, course_id, position, title) values ('m1', 'c1', 1, 'Phần 1')`.execute(
          db.kysely,
        );
        await sql`insert into lessons (id, tenant_id, course_id, module_id, position, slug, title, minutes, body_html, quiz_id)
          values ('l1', 't1', 'c1', 'm1', 1, 'cai-dat', 'Cài đặt', 10, '<p>Bài</p>', 'q1')`.execute(
          db.kysely,
        );
        await sql`insert into quizzes (id, tenant_id, course_id, lesson_id, pass_percent, max_attempts, created_at)
          values ('q1', 't1', 'c1', 'l1', 80, null, ${NOW})`.execute(db.kysely);
        await sql`insert into quiz_questions (id, quiz_id, position, key, kind, situation, prompt, explanation, options)
          values ('qq1', 'q1', 1, 'otp', 'single', null, 'Có đọc mã OTP không?', 'Không bao giờ.',
            '[{"id":"o1","text":"Có","correct":false},{"id":"o2","text":"Không","correct":true}]')`.execute(
          db.kysely,
        );
        await sql`insert into course_progress (account_id, course_id, tenant_id, lessons_read, quizzes_passed,
            lessons_total, quizzes_total, percent, started_at, completed_at, updated_at)
          values ('a1', 'c1', 't1', 1, 0, 1, 1, 50, ${NOW}, null, ${NOW})`.execute(db.kysely);

        await migrateToLatest(db);

        const course = await db.kysely.selectFrom('courses').selectAll().executeTakeFirstOrThrow();
        assert.equal(course.publishedVersionId, 'v1-c1');
        const version = await db.kysely.selectFrom('courseVersions').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual([version.number, version.status, version.title], [1, 'published', 'Zalo an toàn']);
        const lesson = await db.kysely.selectFrom('lessons').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual(
          [lesson.id, lesson.versionId, lesson.kind, lesson.bodyHtml, lesson.quizId],
          ['l1', 'v1-c1', 'lesson', '<p>Bài</p>', 'q1'],
        );
        const question = await db.kysely.selectFrom('quizQuestions').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(question.body), {
          kind: 'single',
          options: [
            { id: 'o1', text: 'Có', correct: false },
            { id: 'o2', text: 'Không', correct: true },
          ],
        });
        const progress = await db.kysely.selectFrom('courseProgress').selectAll().executeTakeFirstOrThrow();
        assert.equal(progress.versionId, 'v1-c1');
      } finally {
        await db.close();
        await fresh.drop();
      }
    });
  });
}
