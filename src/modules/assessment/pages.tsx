import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { AppError, notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { vietnamTime } from '../../web/format.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { courseAndLesson, coursePath, lessonPath } from '../catalog/pages.js';
import { assessmentPolicy } from './policy.js';
import { answersFromForm, GradedQuestionView, QuestionFields } from './questionViews.js';
import { DEADLINE_GRACE_MS, FEEDBACK_LABELS } from './quizSettings.js';
import {
  type Answers,
  type Attempt,
  type AttemptQuestion,
  type AttemptResult,
  feedbackAllowed,
  type Quiz,
} from './service.js';

export const attemptPath = (id: string) => `/bai-lam/${id}`;
const quizPath = (courseSlug: string, lessonSlug: string) => `${lessonPath(courseSlug, lessonSlug)}/kiem-tra`;

/** Questions per page of an attempt: short pages suit small phones, and each page is saved. */
export const QUESTIONS_PER_PAGE = 5;

interface QuizContext {
  courseSlug: string;
  courseTitle: string;
  lessonSlug: string;
  lessonTitle: string;
}

function QuizFacts({ quiz, questionCount }: { quiz: Quiz; questionCount: number }) {
  const s = quiz.settings;
  return (
    <ul class="facts">
      <li>
        {questionCount} câu hỏi
        {s.draws ? ', rút ngẫu nhiên cho mỗi lần làm' : ''}
        {s.shuffleQuestions ? '; thứ tự câu hỏi được xáo trộn' : ''}.
      </li>
      <li>Cần đạt từ {s.passPercent}% trở lên.</li>
      {s.timeLimitMinutes !== null && (
        <li>
          Thời gian làm bài: {s.timeLimitMinutes} phút, tính từ lúc bắt đầu. Câu trả lời được lưu sau mỗi
          trang; hết giờ, bài được chấm theo những gì đã lưu.
        </li>
      )}
      <li>
        {s.maxAttempts === null
          ? 'Được làm lại nhiều lần; lần có điểm cao nhất được tính.'
          : `Được làm tối đa ${s.maxAttempts} lần; lần có điểm cao nhất được tính.`}
      </li>
      <li>Xem đáp án và giải thích: {FEEDBACK_LABELS[s.feedback].toLowerCase()}.</li>
    </ul>
  );
}

function QuizIntroPage(props: {
  shell: Shell;
  quiz: Quiz;
  questionCount: number;
  attempts: Attempt[];
  where: QuizContext;
}) {
  const { shell, quiz, questionCount, attempts, where } = props;
  const submitted = attempts.filter((a) => a.submittedAt);
  const best = Math.max(-1, ...submitted.map((a) => a.scorePercent ?? 0));
  const passed = submitted.some((a) => a.passed);
  const open = attempts.find((a) => !a.submittedAt);
  const max = quiz.settings.maxAttempts;
  const left = max === null ? null : max - attempts.length;
  return (
    <Layout shell={shell} title={`Bài kiểm tra: ${where.lessonTitle}`}>
      <p class="crumbs">
        <a href={coursePath(where.courseSlug)}>{where.courseTitle}</a> ›{' '}
        <a href={lessonPath(where.courseSlug, where.lessonSlug)}>{where.lessonTitle}</a>
      </p>
      <h1>Bài kiểm tra: {where.lessonTitle}</h1>
      <QuizFacts quiz={quiz} questionCount={questionCount} />
      {submitted.length > 0 && (
        <p class={passed ? 'notice ok' : 'notice'}>
          {passed ? 'Bạn đã đạt bài kiểm tra này.' : 'Bạn chưa đạt bài kiểm tra này.'} Điểm cao nhất: {best}%.
        </p>
      )}
      {open ? (
        <p>
          <a class="button primary" href={attemptPath(open.id)}>
            Tiếp tục lượt làm bài đang dở
          </a>
        </p>
      ) : left === 0 ? (
        <p class="notice">Bạn đã dùng hết số lần làm bài.</p>
      ) : (
        <form method="post" action={quizPath(where.courseSlug, where.lessonSlug)}>
          <CsrfField shell={shell} />
          <button type="submit" class="button primary">
            {submitted.length > 0 ? 'Làm lại bài kiểm tra' : 'Bắt đầu làm bài'}
          </button>
          {left !== null && <p class="meta">Còn {left} lượt.</p>}
        </form>
      )}
      {submitted.length > 0 && (
        <section>
          <h2>Các lần đã làm</h2>
          <ol>
            {submitted.map((a) => (
              <li key={a.id}>
                <a href={attemptPath(a.id)}>
                  Lần {a.number}: {a.scorePercent}% – {a.passed ? 'Đạt' : 'Chưa đạt'}
                </a>
              </li>
            ))}
          </ol>
        </section>
      )}
    </Layout>
  );
}

function AttemptPage(props: {
  shell: Shell;
  attempt: Attempt;
  questions: AttemptQuestion[];
  saved: Answers;
  page: number;
  where: QuizContext;
}) {
  const { shell, attempt, questions, saved, page, where } = props;
  const pages = Math.max(1, Math.ceil(questions.length / QUESTIONS_PER_PAGE));
  const first = (page - 1) * QUESTIONS_PER_PAGE;
  const onPage = questions.slice(first, first + QUESTIONS_PER_PAGE);
  const answered = questions.filter((q) => (saved[q.id] ?? []).length > 0).length;
  return (
    <Layout shell={shell} title={`Làm bài: ${where.lessonTitle}`} scripts={['quiz.js']}>
      <p class="crumbs">
        <a href={lessonPath(where.courseSlug, where.lessonSlug)}>{where.lessonTitle}</a>
      </p>
      <h1>Bài kiểm tra: {where.lessonTitle}</h1>
      <p class="meta">
        Lần làm thứ {attempt.number} · {questions.length} câu · trang {page}/{pages} · đã trả lời {answered}/
        {questions.length} câu. Câu bỏ trống được tính là chưa đúng.
      </p>
      {attempt.deadlineAt && (
        <p class="notice" role="timer" data-deadline={attempt.deadlineAt}>
          Hết giờ lúc <strong>{vietnamTime(attempt.deadlineAt)}</strong>. Câu trả lời được lưu mỗi khi bạn
          chuyển trang.
        </p>
      )}
      <form method="post" action={attemptPath(attempt.id)} class="quiz" data-attempt={attempt.id}>
        <CsrfField shell={shell} />
        <input type="hidden" name="trang" value={String(page)} />
        {onPage.map((question, index) => (
          <QuestionFields
            key={question.id}
            question={question}
            number={first + index + 1}
            saved={saved[question.id] ?? []}
          />
        ))}
        <p class="status" aria-live="polite" />
        <div class="actions">
          {page > 1 && (
            <button type="submit" name="_action" value={`trang-${page - 1}`} class="button">
              ← Lưu, về trang trước
            </button>
          )}
          {page < pages && (
            <button type="submit" name="_action" value={`trang-${page + 1}`} class="button primary">
              Lưu, sang trang sau →
            </button>
          )}
          <button
            type="submit"
            name="_action"
            value="nop-bai"
            class={page === pages ? 'button primary' : 'button'}
          >
            Nộp bài
          </button>
        </div>
      </form>
    </Layout>
  );
}

function ResultPage(props: {
  shell: Shell;
  attempt: Attempt;
  result: AttemptResult;
  quiz: Quiz;
  where: QuizContext;
}) {
  const { shell, attempt, result, quiz, where } = props;
  const withKey = result.questions.some((q) => q.feedback);
  return (
    <Layout shell={shell} title={`Kết quả: ${where.lessonTitle}`}>
      <p class="crumbs">
        <a href={coursePath(where.courseSlug)}>{where.courseTitle}</a> ›{' '}
        <a href={lessonPath(where.courseSlug, where.lessonSlug)}>{where.lessonTitle}</a>
      </p>
      <h1>Kết quả lần làm thứ {attempt.number}</h1>
      <p class={result.passed ? 'notice ok' : 'notice bad'} role="status">
        <strong>
          {result.passed ? 'Đạt' : 'Chưa đạt'}: {result.scorePercent}%
        </strong>{' '}
        ({result.correctCount}/{result.questionCount} câu đúng hoàn toàn; cần {quiz.settings.passPercent}% để
        đạt).
      </p>
      {result.late && (
        <p class="notice">
          Bài được nộp sau khi hết giờ: chỉ những câu trả lời đã lưu trước giờ hết hạn được chấm.
        </p>
      )}
      <p class="actions">
        {result.passed ? (
          <a class="button primary" href={coursePath(where.courseSlug)}>
            Về trang khóa học
          </a>
        ) : (
          <a class="button primary" href={quizPath(where.courseSlug, where.lessonSlug)}>
            Xem lại và làm lại
          </a>
        )}
      </p>
      {!withKey && (
        <p class="notice">
          Đáp án và giải thích sẽ hiện{' '}
          {quiz.settings.feedback === 'afterPass' ? 'khi bạn đạt' : 'khi bạn đạt hoặc hết lượt'}.
        </p>
      )}
      <h2>Từng câu hỏi</h2>
      <ol class="plain results">
        {result.questions.map((question, index) => (
          <GradedQuestionView key={question.id} question={question} number={index + 1} />
        ))}
      </ol>
    </Layout>
  );
}

/** Where a quiz sits: the lesson and course of the version the quiz belongs to. */
async function quizContext(ctx: AppContext, tenantId: string, quiz: Quiz): Promise<QuizContext> {
  const [lesson] = await ctx.catalog.lessonsByIds(tenantId, [quiz.lessonId]);
  const course = lesson ? await ctx.catalog.versionOutline(tenantId, lesson.versionId) : null;
  if (!course || !lesson) throw notFound();
  return {
    courseSlug: course.slug,
    courseTitle: course.title,
    lessonSlug: lesson.slug,
    lessonTitle: lesson.title,
  };
}

const isExpired = (attempt: Attempt, now = Date.now()) =>
  attempt.deadlineAt !== null && now > Date.parse(attempt.deadlineAt) + DEADLINE_GRACE_MS;

/** The signed-in learner's own attempt with its quiz; anyone else's attempt is "not found". */
async function ownAttempt(ctx: AppContext, request: FastifyRequest, actor: Actor) {
  const { id } = request.params as { id: string };
  const attempt = await ctx.assessment.attemptOf(request.tenant.id, actor.accountId, id);
  if (!attempt) throw notFound('Không tìm thấy lượt làm bài này.');
  authorize(assessmentPolicy(actor, 'attempt.take', attempt));
  const quiz = await ctx.assessment.quiz(request.tenant.id, attempt.quizId);
  if (!quiz) throw notFound();
  return { attempt, quiz, where: await quizContext(ctx, request.tenant.id, quiz) };
}

const pageNumber = (value: unknown, pages: number) => {
  const page = Number.parseInt(typeof value === 'string' ? value : '1', 10);
  return Number.isNaN(page) ? 1 : Math.min(Math.max(page, 1), pages);
};

/** Quiz pages: the quiz's start page, an attempt answered page by page, and its graded result. */
export const assessmentPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  /** The quiz of the lesson in the URL, once the lesson is open to this learner and the policy agrees. */
  const quizOfLesson = async (request: FastifyRequest) => {
    const params = request.params as { course: string; lesson: string };
    const { lesson, locked } = await courseAndLesson(ctx, request, params.course, params.lesson);
    const quiz = lesson.quizId ? await ctx.assessment.quiz(request.tenant.id, lesson.quizId) : null;
    if (!quiz) throw notFound('Bài học này không có bài kiểm tra.');
    if (locked) throw new AppError(403, 'locked', 'Bài này chưa mở. Hãy hoàn thành các bài trước.');
    const actor = actorOf(request) as Actor;
    authorize(assessmentPolicy(actor, 'attempt.start', quiz));
    return { actor, quiz };
  };

  app.get(
    '/khoa-hoc/:course/:lesson/kiem-tra',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const { actor, quiz } = await quizOfLesson(request);
      let attempts = await ctx.assessment.attemptsOf(actor.accountId, quiz.id);
      const expired = attempts.find((a) => !a.submittedAt && isExpired(a));
      if (expired) {
        // Time ran out while the learner was away: grade what was saved.
        await ctx.learning.submitQuiz(actor, expired.id, {});
        attempts = await ctx.assessment.attemptsOf(actor.accountId, quiz.id);
      }
      const [questionCount, where] = await Promise.all([
        ctx.assessment.questionCount(quiz),
        quizContext(ctx, request.tenant.id, quiz),
      ]);
      return sendPage(
        reply,
        <QuizIntroPage
          shell={shellOf(ctx, request, reply)}
          quiz={quiz}
          questionCount={questionCount}
          attempts={attempts}
          where={where}
        />,
      );
    },
  );

  app.post(
    '/khoa-hoc/:course/:lesson/kiem-tra',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const { actor, quiz } = await quizOfLesson(request);
      const attempt = await ctx.assessment.startAttempt(quiz, actor.accountId);
      return reply.redirect(attemptPath(attempt.id), 303);
    },
  );

  app.get('/bai-lam/:id', { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    let { attempt, quiz, where } = await ownAttempt(ctx, request, actor);
    if (!attempt.submittedAt && isExpired(attempt)) {
      await ctx.learning.submitQuiz(actor, attempt.id, {});
      ({ attempt, quiz, where } = await ownAttempt(ctx, request, actor));
    }
    const shell = shellOf(ctx, request, reply);
    if (attempt.submittedAt) {
      const attempts = await ctx.assessment.attemptsOf(actor.accountId, quiz.id);
      const result = await ctx.assessment.result(attempt, quiz, feedbackAllowed(quiz, attempts));
      if (result) {
        return sendPage(
          reply,
          <ResultPage shell={shell} attempt={attempt} result={result} quiz={quiz} where={where} />,
        );
      }
    }
    const { questions, saved } = await ctx.assessment.attemptQuestions(attempt);
    const pages = Math.max(1, Math.ceil(questions.length / QUESTIONS_PER_PAGE));
    const page = pageNumber((request.query as Record<string, unknown>).trang, pages);
    return sendPage(
      reply,
      <AttemptPage
        shell={shell}
        attempt={attempt}
        questions={questions}
        saved={saved}
        page={page}
        where={where}
      />,
    );
  });

  /** Saves the posted page, then goes to another page or submits. */
  app.post('/bai-lam/:id', { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const { attempt } = await ownAttempt(ctx, request, actor);
    const { questions } = await ctx.assessment.attemptQuestions(attempt);
    const answers = answersFromForm(request.body, questions);
    const action = String((request.body as Record<string, unknown>)._action ?? 'nop-bai');
    if (action === 'luu') {
      // quiz.js autosaves each change in the background; nothing to render.
      await ctx.assessment.saveAnswers(request.tenant.id, actor.accountId, attempt.id, answers);
      return reply.status(204).send();
    }
    const goTo = /^trang-(\d+)$/.exec(action)?.[1];
    if (goTo && !isExpired(attempt)) {
      await ctx.assessment.saveAnswers(request.tenant.id, actor.accountId, attempt.id, answers);
      return reply.redirect(`${attemptPath(attempt.id)}?trang=${goTo}`, 303);
    }
    await ctx.learning.submitQuiz(actor, attempt.id, answers);
    return reply.redirect(attemptPath(attempt.id), 303);
  });
};
