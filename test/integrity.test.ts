import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../src/access/actor.js';
import type { StoredBody } from '../src/modules/assessment/questionBody.js';
import type { QuestionDraft } from '../src/modules/assessment/questionDraft.js';
import type { Answers, Quiz } from '../src/modules/assessment/service.js';
import { readCoursePackage } from '../src/modules/catalog/coursePackage.js';
import { importCourse } from '../src/modules/catalog/importCourse.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { loginAttemptKey } from '../src/modules/identity/loginAttemptKey.js';
import type { AccountRow } from '../src/modules/identity/repository.js';
import type { Unit } from '../src/modules/org/service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, MINI_COURSE } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const MINUTE = 60_000;
/** 992 words (16 a sentence): 2 minutes 29 seconds at the 400 words a minute no reader goes beyond. */
const LONG_TEXT = 'Người dân cần giữ mật khẩu và mã OTP của mình thật an toàn mọi lúc. '.repeat(62);
const SHARED_ADDRESS = '203.0.113.7';

const question = (n: number): QuestionDraft => ({
  key: `cau-${n}`,
  prompt: `Câu hỏi số ${n}: chọn cách làm an toàn.`,
  situation: null,
  explanation: 'Luôn chọn cách làm an toàn.',
  difficulty: null,
  tags: [],
  frameworks: [],
  body: {
    kind: 'single',
    options: [
      { text: 'Cách làm an toàn', correct: true },
      { text: 'Làm theo người lạ', correct: false },
      { text: 'Bỏ qua', correct: false },
    ],
  },
});

/** Each signal on a page, by its key: the section with its summary, evidence and review. */
const signalsOn = (html: string): Map<string, string> =>
  new Map(
    [...html.matchAll(/<section class="panel signal" id="([^"]+)"[^>]*>(.*?)<\/section>/gs)].map((m) => [
      m[1] as string,
      m[2] as string,
    ]),
  );

/** The signals of one kind (by its heading) that name this person. */
const signalsAbout = (html: string, heading: string, person: string) =>
  [...signalsOn(html)].filter(
    ([, body]) => body.includes(`>${heading}</h2>`) && body.includes(`>${person}</a>`),
  );

for (const dialect of testDialects()) {
  describe(`integrity signals for evaluators [${dialect}]`, () => {
    let t: TestApp;
    let course: CourseOutline;
    let quiz: Quiz;
    let evaluator: Browser;
    let managerA: Browser;
    let evaluatorName: string;
    /** The questions of the quiz in their authored order, with their stored bodies. */
    let questions: { id: string; body: StoredBody }[];

    const person = async (home: Unit, fullName: string): Promise<{ account: AccountRow; actor: Actor }> => {
      const account = await buildAccount(t.ctx, t.fixture.tenant, home, { fullName });
      return { account, actor: await t.ctx.identity.actorOf(account) };
    };

    /** Every answer right, except a wrong option for the questions at these positions (from 0). */
    const answersWith = (wrongAt: number[] = []): Answers =>
      Object.fromEntries(
        questions.map((q, i) => {
          const body = q.body as Extract<StoredBody, { options: unknown }>;
          const pick = body.options.find((o) => o.correct === !wrongAt.includes(i));
          return [q.id, [pick?.id ?? '']];
        }),
      );

    /**
     * Takes the quiz through the real services. `thinking`: how long before submitting the
     * attempt was opened (its start time is moved back so), so only the crafted cases are fast.
     */
    const takeQuiz = async (actor: Actor, answers: Answers, thinking = 5 * MINUTE) => {
      const attempt = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
      await t.db.kysely
        .updateTable('quizAttempts')
        .set({ startedAt: new Date(Date.now() - thinking).toISOString() })
        .where('id', '=', attempt.id)
        .execute();
      await t.ctx.learning.submitQuiz(actor, attempt.id, answers);
      return attempt.id;
    };

    /** Moves a submitted attempt (and its learning event) back in time. */
    const backdate = async (attemptId: string, by: number) => {
      const at = new Date(Date.now() - by).toISOString();
      const started = new Date(Date.now() - by - 5 * MINUTE).toISOString();
      await t.db.kysely
        .updateTable('quizAttempts')
        .set({ submittedAt: at, startedAt: started })
        .where('id', '=', attemptId)
        .execute();
      await t.db.kysely
        .updateTable('learningEvents')
        .set({ occurredAt: at })
        .where('id', '=', attemptId)
        .execute();
    };

    /** A successful sign-in from `ip`, as the log-in throttle stores it (the address is never shown). */
    const signInFrom = async (account: AccountRow, ip: string, ago = 10 * MINUTE) => {
      await t.db.kysely
        .insertInto('loginAttempts')
        .values({
          id: randomUUID(),
          tenantId: t.fixture.tenant.id,
          identifier: loginAttemptKey(t.ctx.config.secret, account.phone ?? ''),
          ip,
          succeeded: 1,
          attemptedAt: new Date(Date.now() - ago).toISOString(),
        })
        .execute();
    };

    /** Lesson readings sent with their own times, as the offline app does. */
    const readAt = async (actor: Actor, times: number[]) => {
      await t.ctx.learning.recordEvents(
        actor,
        course.lessons.map((lesson, i) => ({
          id: `doc-${randomUUID()}`,
          verb: 'completed' as const,
          object: { type: 'lesson' as const, id: lesson.id },
          timestamp: new Date(Date.now() - (times[i] ?? 0)).toISOString(),
        })),
      );
    };

    const pageOf = (browser: Browser, unit: Unit, query = '') =>
      browser.get(`/bao-cao/don-vi/${unit.id}/dau-hieu${query}`);

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, province, communeA, villageA, villageB } = t.fixture;
      const mini = readCoursePackage(MINI_COURSE).course;
      assert.ok(mini);
      const [first, second] = mini.modules[0]?.lessons ?? [];
      assert.ok(first?.quiz && second);
      const { courseId } = await importCourse(t.ctx, tenant.id, {
        ...mini,
        slug: 'trung-thuc-hoc-tap',
        digest: 'trung-thuc-hoc-tap',
        modules: [
          {
            title: 'Bắt đầu',
            lessons: [
              {
                ...first,
                markdown: LONG_TEXT,
                quiz: { ...first.quiz, questions: [1, 2, 3, 4, 5, 6].map(question) },
              },
              { ...second, markdown: LONG_TEXT, video: null },
              { ...second, slug: 'goi-dien', title: 'Gọi điện video', markdown: LONG_TEXT, video: null },
            ],
          },
        ],
      });
      course = (await t.ctx.catalog.courseById(tenant.id, courseId)) as CourseOutline;
      quiz = (await t.ctx.assessment.quiz(tenant.id, course.lessons[0]?.quizId ?? '')) as Quiz;
      assert.ok(quiz);
      questions = (
        await t.db.kysely
          .selectFrom('quizQuestions')
          .select(['id', 'body'])
          .where('quizId', '=', quiz.id)
          .orderBy('position')
          .execute()
      ).map((q) => ({ id: q.id, body: JSON.parse(q.body) as StoredBody }));
      assert.equal(questions.length, 6);

      const evaluatorAccount = await buildAccount(t.ctx, tenant, province, {
        role: 'evaluator',
        scope: null,
        fullName: 'Lê Văn Đánh Giá',
      });
      evaluatorName = evaluatorAccount.fullName;
      evaluator = await signedIn(t.app, evaluatorAccount);
      managerA = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, communeA, { role: 'unitManager', fullName: 'Quản Lý Xã A' }),
      );

      // 1. Fast: all six questions answered in well under a second; a normal pace beside it.
      await takeQuiz((await person(villageA, 'Phan Văn Nhanh')).actor, answersWith(), 0);
      await takeQuiz((await person(villageA, 'Đỗ Thị Bình Thường')).actor, answersWith());

      // 2. The same answers, one wrong answer shared, by two people of one village within minutes.
      await takeQuiz((await person(villageA, 'Vũ Thị Chép')).actor, answersWith([0]));
      await takeQuiz((await person(villageA, 'Hồ Văn Chép')).actor, answersWith([0]));
      // The same wrong answers half an hour apart; and across two villages: no signal.
      const early = await takeQuiz((await person(villageA, 'Trịnh Văn Sớm')).actor, answersWith([1]));
      await backdate(early, 30 * MINUTE);
      await takeQuiz((await person(villageA, 'Trịnh Thị Muộn')).actor, answersWith([1]));
      await takeQuiz((await person(villageA, 'Lâm Văn Thôn A')).actor, answersWith([2]));
      await takeQuiz((await person(villageB, 'Lâm Thị Thôn B')).actor, answersWith([2]));

      // 3. Three accounts of communeB signed in from one address, each passing within minutes
      // (all right, the same answers: expected of good learners, no "same answers" signal).
      for (const name of ['Mai Văn Một', 'Mai Văn Hai', 'Mai Văn Ba']) {
        const { account, actor } = await person(villageB, name);
        await signInFrom(account, SHARED_ADDRESS);
        await takeQuiz(actor, answersWith());
      }
      // Two from one address, a third from another: below the threshold.
      for (const [name, ip] of [
        ['Cao Thị Một', '198.51.100.9'],
        ['Cao Thị Hai', '198.51.100.9'],
        ['Cao Thị Ba', '192.0.2.44'],
      ] as const) {
        const { account, actor } = await person(villageB, name);
        await signInFrom(account, ip);
        await takeQuiz(actor, answersWith());
      }

      // 4. Three long lessons marked read in a second; at a reading pace; one lesson rushed only.
      const rusher = (await person(villageA, 'Ngô Văn Lướt')).actor;
      for (const lesson of course.lessons) await t.ctx.learning.finishReading(rusher, lesson.id);
      await readAt((await person(villageA, 'Ngô Thị Đọc Kỹ')).actor, [30 * MINUTE, 20 * MINUTE, 10 * MINUTE]);
      await readAt((await person(villageA, 'Ngô Văn Một Lần')).actor, [
        30 * MINUTE,
        20 * MINUTE,
        20 * MINUTE - 5000,
      ]);
    });
    after(() => t.close());

    it('signals a quiz passed faster than questions can be read, with the numbers, and not a normal pace', async () => {
      const page = await pageOf(evaluator, t.fixture.communeA);
      assert.equal(page.statusCode, 200);
      const fast = signalsAbout(page.body, 'Làm bài kiểm tra quá nhanh', 'Phan Văn Nhanh');
      assert.equal(fast.length, 1);
      const [, body] = fast[0] as [string, string];
      assert.match(
        body,
        /Nộp bài kiểm tra 6 câu sau .+ giây: trung bình .+ giây mỗi câu, dưới ngưỡng 3 giây mỗi câu\./,
      );
      assert.match(body, /6 câu, .+ giây mỗi câu; điểm 100%; lần làm thứ 1/);
      assert.match(body, /Bài kiểm tra: Cài đặt và đăng ký \(Làm quen với Zalo an toàn\)/);
      assert.match(body, /<td>Thôn Phú Hòa<\/td>/);
      const nhanh = await t.db.kysely
        .selectFrom('accounts')
        .select('id')
        .where('fullName', '=', 'Phan Văn Nhanh')
        .executeTakeFirstOrThrow();
      assert.match(body, new RegExp(`<a href="/bao-cao/nguoi/${nhanh.id}">Phan Văn Nhanh</a>`));
      // Five minutes for six questions is a normal pace; everyone else took that long too.
      assert.deepEqual(
        [...signalsOn(page.body).values()].filter((b) => b.includes('>Làm bài kiểm tra quá nhanh</h2>'))
          .length,
        1,
      );
    });

    it('signals the same answers with a shared wrong answer in one unit within minutes, and nothing else', async () => {
      const page = await pageOf(evaluator, t.fixture.district, '?loai=bai-lam-giong-nhau');
      const same = [...signalsOn(page.body).values()];
      assert.equal(same.length, 1, 'only the pair of one village, minutes apart, with a wrong answer');
      const body = same[0] as string;
      assert.match(body, />Vũ Thị Chép<\/a>/);
      assert.match(body, />Hồ Văn Chép<\/a>/);
      assert.match(
        body,
        /2 người cùng đơn vị nộp cùng một bộ câu trả lời cho bài kiểm tra 6 câu, cùng sai 1 câu giống nhau, trong vòng .+ \(ngưỡng: trong vòng 10 phút/,
      );
      assert.match(body, /Đúng 5\/6 câu; điểm 83%/);
      // Not: half an hour apart, two villages, all right (the communeB three).
      for (const name of ['Trịnh Văn Sớm', 'Lâm Văn Thôn A', 'Mai Văn Một'])
        assert.doesNotMatch(body, new RegExp(name));
    });

    it('signals three accounts finishing from one network address, never showing the address', async () => {
      const page = await pageOf(evaluator, t.fixture.communeB, '?loai=chung-mot-mang');
      const shared = [...signalsOn(page.body).values()];
      assert.equal(shared.length, 1, 'the three from one address; not two from one and one from another');
      const body = shared[0] as string;
      for (const name of ['Mai Văn Một', 'Mai Văn Hai', 'Mai Văn Ba'])
        assert.match(body, new RegExp(`>${name}</a>`));
      assert.doesNotMatch(body, /Cao Thị/);
      assert.match(
        body,
        /3 tài khoản khác nhau, đăng nhập từ cùng một mạng \(#[0-9A-F]{6}\), hoàn thành bài trong vòng .+ \(ngưỡng: từ 3 tài khoản trong vòng 30 phút\)/,
      );
      assert.match(body, /Đạt bài kiểm tra: Cài đặt và đăng ký/);
      assert.match(body, /Đăng nhập lúc \d\d:\d\d \d\d\/\d\d\/\d{4} từ mạng #[0-9A-F]{6}/);
      assert.doesNotMatch(page.body, /203\.0\.113/);
    });

    it('signals lessons marked read faster than their words can be read, and not a reading pace', async () => {
      const page = await pageOf(evaluator, t.fixture.communeA, '?loai=doc-bai-qua-nhanh');
      const rushed = [...signalsOn(page.body).values()];
      assert.equal(rushed.length, 1, 'not the careful reader, nor one rushed lesson alone');
      const body = rushed[0] as string;
      assert.match(body, />Ngô Văn Lướt<\/a>/);
      assert.match(
        body,
        /Đánh dấu đã đọc 2 bài của khóa “Làm quen với Zalo an toàn” nhanh hơn thời gian đọc tối thiểu \(ngưỡng: 400 chữ mỗi phút, từ 2 bài trong một khóa\)/,
      );
      assert.match(body, /Bài học: Nhắn tin với người thân/);
      assert.match(body, /Bài học: Gọi điện video/);
      assert.match(
        body,
        /Đánh dấu đã đọc .+ sau bài trước; bài có 992 chữ, cần ít nhất 2 phút 29 giây để đọc/,
      );
    });

    it('marks a signal reviewed with a note: it sticks, is audited, and changes no score', async () => {
      const before = await pageOf(evaluator, t.fixture.communeA, '?loai=lam-bai-qua-nhanh');
      const [key] = [...signalsOn(before.body).keys()];
      assert.ok(key);
      const scores = () =>
        t.db.kysely
          .selectFrom('quizAttempts')
          .select(['id', 'scorePercent', 'passed', 'correctCount'])
          .orderBy('id')
          .execute();
      const progress = () =>
        t.db.kysely.selectFrom('courseProgress').selectAll().orderBy('accountId').execute();
      const [scoresBefore, progressBefore] = [await scores(), await progress()];

      const formPage = `/bao-cao/don-vi/${t.fixture.communeA.id}/dau-hieu?loai=lam-bai-qua-nhanh`;
      const action = `/bao-cao/don-vi/${t.fixture.communeA.id}/dau-hieu/danh-dau`;
      const fields = {
        khoa: key,
        'ghi-chu': 'Đã hỏi: học viên làm lại trên giấy trước.',
        ky: '30',
        loai: 'lam-bai-qua-nhanh',
      };
      const posted = await evaluator.submit(formPage, action, fields);
      assert.equal(posted.statusCode, 303);
      assert.match(String(posted.headers.location), new RegExp(`da-danh-dau=1#${key.replace('.', '\\.')}$`));

      const reviewed = await pageOf(evaluator, t.fixture.communeA, '?loai=lam-bai-qua-nhanh&xem-xet=roi');
      const shown = signalsOn(reviewed.body).get(key);
      assert.ok(shown, 'listed among the reviewed');
      assert.match(
        shown,
        new RegExp(
          `Đã xem xét bởi ${evaluatorName} lúc .+\\. Ghi chú: Đã hỏi: học viên làm lại trên giấy trước\\.`,
        ),
      );
      assert.doesNotMatch(shown, /name="khoa"/);
      const open = await pageOf(evaluator, t.fixture.communeA, '?loai=lam-bai-qua-nhanh&xem-xet=chua');
      assert.equal(signalsOn(open.body).has(key), false);
      // The unit manager sees the same mark.
      const theirs = await pageOf(managerA, t.fixture.communeA, '?loai=lam-bai-qua-nhanh');
      assert.match(signalsOn(theirs.body).get(key) ?? '', /Đã xem xét bởi Lê Văn Đánh Giá/);

      // Marking again changes nothing and is not logged twice.
      assert.equal((await evaluator.submit(formPage, action, fields)).statusCode, 303);
      const audit = await t.ctx.audit.list(t.fixture.tenant.id);
      const marks = audit.events.filter((e) => e.subjectId === key);
      assert.equal(marks.length, 1);
      assert.equal(marks[0]?.action, 'integrity.reviewed');
      assert.equal(marks[0]?.actorName, evaluatorName);
      assert.equal(marks[0]?.subjectLabel, 'Làm bài kiểm tra quá nhanh – Xã Đại Hiệp');
      assert.deepEqual(marks[0]?.details, {
        kind: 'lam-bai-qua-nhanh',
        people: 1,
        note: 'Đã hỏi: học viên làm lại trên giấy trước.',
      });

      assert.deepEqual(await scores(), scoresBefore);
      assert.deepEqual(await progress(), progressBefore);
    });

    it("keeps a unit manager to their own commune: another's signals are neither shown nor markable", async () => {
      const evaluatorView = await pageOf(evaluator, t.fixture.communeB, '?loai=chung-mot-mang');
      const [key] = [...signalsOn(evaluatorView.body).keys()];
      assert.ok(key);
      assert.equal((await pageOf(managerA, t.fixture.communeB)).statusCode, 403);
      const own = await pageOf(managerA, t.fixture.communeA);
      assert.equal(own.statusCode, 200);
      assert.doesNotMatch(own.body, /Mai Văn|Cao Thị|Lâm Thị Thôn B/);
      assert.equal(signalsOn(own.body).has(key), false);

      const formPage = `/bao-cao/don-vi/${t.fixture.communeA.id}/dau-hieu`;
      const fields = { khoa: key, ky: '30' };
      const elsewhere = await managerA.submit(
        formPage,
        `/bao-cao/don-vi/${t.fixture.communeB.id}/dau-hieu/danh-dau`,
        fields,
      );
      assert.equal(elsewhere.statusCode, 403);
      const smuggled = await managerA.submit(
        formPage,
        `/bao-cao/don-vi/${t.fixture.communeA.id}/dau-hieu/danh-dau`,
        fields,
      );
      assert.equal(smuggled.statusCode, 404);
      const stored = await t.db.kysely
        .selectFrom('integrityReviews')
        .select('signalKey')
        .where('signalKey', '=', key)
        .execute();
      assert.deepEqual(stored, []);
    });

    it('refuses a forged mark without the form token, and marks nothing', async () => {
      const page = await pageOf(evaluator, t.fixture.communeA, '?loai=doc-bai-qua-nhanh');
      const [key] = [...signalsOn(page.body).keys()];
      assert.ok(key);
      const forged = await evaluator.post(`/bao-cao/don-vi/${t.fixture.communeA.id}/dau-hieu/danh-dau`, {
        khoa: key,
        ky: '30',
      });
      assert.equal(forged.statusCode, 403);
      assert.match(forged.body, /Biểu mẫu đã hết hạn hoặc không hợp lệ/);
      const again = await pageOf(evaluator, t.fixture.communeA, '?loai=doc-bai-qua-nhanh');
      assert.match(signalsOn(again.body).get(key) ?? '', /Đánh dấu đã xem xét/);
    });
  });
}
