// The server side of `npm run bench`, in its own process so the load generator does not share
// its CPU: seeds a fresh demo database, adds learners with sessions, listens on a free port and
// prints one JSON line describing what to request. With `exam`, it also publishes a timed
// 20-question exam drawn from a 40-question bank (the exam-rush benchmark).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { type Db, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_TENANT_SLUG, seedDemo } from '../src/demo/seedDemo.js';
import { QuestionBankService } from '../src/modules/assessment/bankService.js';
import type { QuestionDraft } from '../src/modules/assessment/questionDraft.js';
import { DEFAULT_QUIZ_SETTINGS } from '../src/modules/assessment/quizSettings.js';
import { AuthoringService } from '../src/modules/catalog/authoring.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { identityRepository } from '../src/modules/identity/repository.js';
import { buildApp } from '../src/server.js';
import type { AppContext } from '../src/web/context.js';

const [databaseUrl = '', learnerCount = '100', mode = ''] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(tmpdir(), 'hocvuso-bench-files-'));
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HOCVUSO_DATA_DIR: dataDir,
});
const db = openDatabase(databaseUrl);
await migrateToLatest(db);
const ctx = createContext(config, db);
await seedDemo(ctx);
const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
if (!tenant) throw new Error('demo tenant missing');

const summaries = await ctx.catalog.courses(tenant.id);
const courses = (await Promise.all(
  summaries.map((c) => ctx.catalog.courseById(tenant.id, c.id)),
)) as CourseOutline[];

/**
 * Learners with sessions, as returning browsers hold them. One account is made through the
 * service; the rest copy its password hash, since hashing thousands of passwords (memory-hard
 * on purpose) would take minutes and measures nothing the benchmark is about.
 */
async function learners(db: Db, count: number): Promise<string[]> {
  const villages = await db.kysely
    .selectFrom('orgUnits')
    .select('id')
    .where('kind', '=', 'village')
    .limit(50)
    .execute();
  const first = await ctx.identity.createAccount(tenant?.id ?? '', {
    fullName: 'Người học 1',
    phone: '0981000000',
    block: 'citizen',
    homeUnitId: villages[0]?.id ?? '',
    password: 'mat-khau-do-hieu-nang',
  });
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const account =
      i === 0
        ? first
        : {
            ...first,
            id: randomUUID(),
            fullName: `Người học ${i + 1}`,
            phone: `098${String(1_000_000 + i).padStart(7, '0')}`,
            homeUnitId: villages[i % villages.length]?.id ?? '',
          };
    if (i > 0) await identityRepository.insertAccount(db.kysely, account);
    // As a returning browser would: its session, and the CSRF cookie it got on its first visit.
    const csrf = randomBytes(18).toString('base64url');
    cookies.push(`hv_session=${await ctx.identity.startSession(account)}; hv_csrf=${csrf}`);
  }
  return cookies;
}

/** A published course whose one quiz draws 20 of 40 questions, with a 30-minute limit. */
async function publishExam(ctx: AppContext, tenantId: string): Promise<string> {
  const drafts: QuestionDraft[] = Array.from({ length: 40 }, (_, i) => ({
    key: `cau-${i + 1}`,
    prompt: `Câu ${i + 1}: khi nhận tin nhắn lạ kèm đường liên kết, bạn nên làm gì?`,
    situation: null,
    explanation: 'Không bấm vào đường liên kết lạ; kiểm tra qua kênh chính thức.',
    difficulty: i % 2 === 0 ? 'easy' : 'medium',
    tags: ['lua-dao'],
    frameworks: [],
    body:
      i % 4 === 3
        ? {
            kind: 'multiple',
            options: [
              { text: 'Không bấm vào liên kết', correct: true },
              { text: 'Báo cho người thân hoặc công an', correct: true },
              { text: 'Chuyển tiếp cho bạn bè', correct: false },
            ],
          }
        : {
            kind: 'single',
            options: [
              { text: 'Bấm ngay để xem', correct: false },
              { text: 'Xóa tin và kiểm tra qua kênh chính thức', correct: true },
              { text: 'Trả lời tin nhắn', correct: false },
              { text: 'Gửi mã OTP', correct: false },
            ],
          },
  }));
  const { bankId } = await new QuestionBankService(ctx.db).importQuestions(
    tenantId,
    'Đề thi cuối đợt',
    drafts.map((draft) => ({ draft, imageFile: null })),
  );
  const authoring = new AuthoringService(ctx.db);
  const courseId = await authoring.createCourse(tenantId, 'kiem-tra-cuoi-dot', {
    title: 'Kiểm tra cuối đợt',
    summary: 'Bài kiểm tra chung của đợt học, làm cùng lúc.',
    topic: 'an-toan-so',
    blocks: ['citizen'],
    lockLessons: false,
    coverFile: null,
    coverAlt: null,
    frameworks: [],
  });
  const moduleId = (await authoring.draft(tenantId, courseId)).modules[0]?.id ?? '';
  const lessonId = await authoring.addLesson(tenantId, courseId, moduleId, 'de-thi', 'Đề thi');
  const lesson = (await authoring.draft(tenantId, courseId)).modules[0]?.lessons[0];
  if (!lesson) throw new Error('exam lesson missing');
  await authoring.updateLesson(tenantId, courseId, lessonId, {
    ...lesson.fields,
    markdown: 'Làm bài trong 30 phút.',
  });
  await authoring.setQuiz(tenantId, courseId, lessonId, {
    ...DEFAULT_QUIZ_SETTINGS,
    timeLimitMinutes: 30,
    draws: [{ count: 20, tags: [], difficulty: null }],
    source: { bankId, questionIds: null },
  });
  await authoring.publish(tenantId, courseId, null);
  return (await ctx.catalog.courseById(tenantId, courseId))?.lessons[0]?.quizId ?? '';
}

const cookies = await learners(db, Number(learnerCount));
const examQuizId = mode === 'exam' ? await publishExam(ctx, tenant.id) : null;

const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(
  `${JSON.stringify({
    port: (app.server.address() as AddressInfo).port,
    dialect: db.dialect,
    cookies,
    lessonPaths: courses.flatMap((c) => c.lessons.map((l) => `/khoa-hoc/${c.slug}/${l.slug}`)),
    lessonIds: courses.flatMap((c) => c.lessons.map((l) => l.id)),
    quizIds: courses.flatMap((c) => c.lessons.flatMap((l) => (l.quizId ? [l.quizId] : []))),
    examQuizId,
  })}\n`,
);
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
