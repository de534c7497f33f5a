import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { AppError, notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { courseAndLesson, coursePath, lessonPath } from '../catalog/pages.js';
import { assessmentPolicy } from './policy.js';
import type { Answers, Attempt, AttemptQuestion, AttemptResult, Quiz } from './service.js';

const attemptPath = (id: string) => `/bai-lam/${id}`;
const quizPath = (courseSlug: string, lessonSlug: string) => `${lessonPath(courseSlug, lessonSlug)}/kiem-tra`;

interface QuizContext {
  courseSlug: string;
  courseTitle: string;
  lessonSlug: string;
  lessonTitle: string;
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
  const left = quiz.maxAttempts === null ? null : quiz.maxAttempts - attempts.length;
  return (
    <Layout shell={shell} title={`Bài kiểm tra: ${where.lessonTitle}`}>
      <p class="crumbs">
        <a href={coursePath(where.courseSlug)}>{where.courseTitle}</a> ›{' '}
        <a href={lessonPath(where.courseSlug, where.lessonSlug)}>{where.lessonTitle}</a>
      </p>
      <h1>Bài kiểm tra: {where.lessonTitle}</h1>
      <ul class="facts">
        <li>{questionCount} câu hỏi; thứ tự câu hỏi và phương án được xáo trộn mỗi lần làm.</li>
        <li>Cần đúng từ {quiz.passPercent}% trở lên để đạt.</li>
        <li>
          {quiz.maxAttempts === null
            ? 'Được làm lại nhiều lần; lần có điểm cao nhất được tính.'
            : `Được làm tối đa ${quiz.maxAttempts} lần; lần có điểm cao nhất được tính.`}
        </li>
      </ul>
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

function QuestionText({ question, index }: { question: AttemptQuestion; index: number }) {
  return (
    <legend>
      <span class="qnum">Câu {index + 1}.</span>{' '}
      {question.situation && <span class="situation">{question.situation} </span>}
      <strong>{question.prompt}</strong>
      {question.kind === 'multiple' && <span class="meta"> (chọn tất cả phương án đúng)</span>}
    </legend>
  );
}

function AttemptPage(props: {
  shell: Shell;
  attempt: Attempt;
  questions: AttemptQuestion[];
  where: QuizContext;
}) {
  const { shell, attempt, questions, where } = props;
  return (
    <Layout shell={shell} title={`Làm bài: ${where.lessonTitle}`}>
      <p class="crumbs">
        <a href={lessonPath(where.courseSlug, where.lessonSlug)}>{where.lessonTitle}</a>
      </p>
      <h1>Bài kiểm tra: {where.lessonTitle}</h1>
      <p class="meta">
        Lần làm thứ {attempt.number} · {questions.length} câu. Câu bỏ trống được tính là chưa đúng.
      </p>
      <form method="post" action={attemptPath(attempt.id)} class="quiz">
        <CsrfField shell={shell} />
        {questions.map((question, index) => (
          <fieldset key={question.id} class="question">
            <QuestionText question={question} index={index} />
            {question.options.map((option) => (
              <label key={option.id} class="choice">
                <input
                  type={question.kind === 'multiple' ? 'checkbox' : 'radio'}
                  name={`q.${question.id}`}
                  value={option.id}
                />{' '}
                {option.text}
              </label>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="button primary">
          Nộp bài
        </button>
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
        ({result.correctCount}/{result.questionCount} câu đúng; cần {quiz.passPercent}% để đạt).
      </p>
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
      <h2>Từng câu hỏi</h2>
      <ol class="plain results">
        {result.questions.map((question, index) => (
          <li key={question.id} class={question.correct ? 'question right' : 'question wrong'}>
            <p>
              <span class="qnum">Câu {index + 1}.</span>{' '}
              {question.situation && <span class="situation">{question.situation} </span>}
              <strong>{question.prompt}</strong>
            </p>
            <p class="verdict">{question.correct ? '✓ Đúng' : '✗ Chưa đúng'}</p>
            <ul>
              {question.options.map((option) => {
                const chosen = question.chosen.includes(option.id);
                const right = question.correctOptionIds.includes(option.id);
                return (
                  <li key={option.id} class={right ? 'option-right' : chosen ? 'option-wrong' : undefined}>
                    {option.text}
                    {chosen && ' — bạn chọn'}
                    {right && ' — đáp án đúng'}
                  </li>
                );
              })}
            </ul>
            <p class="explanation">
              <strong>Giải thích:</strong> {question.explanation}
            </p>
          </li>
        ))}
      </ol>
    </Layout>
  );
}

/** Turns posted `q.<questionId>` fields (one value or several) into answers; other fields are ignored. */
export function answersFromForm(body: unknown): Answers {
  const answers: Answers = {};
  if (typeof body !== 'object' || body === null) return answers;
  for (const [field, value] of Object.entries(body)) {
    if (!field.startsWith('q.')) continue;
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    answers[field.slice(2)] = values;
  }
  return answers;
}

async function quizContext(ctx: AppContext, tenantId: string, quiz: Quiz): Promise<QuizContext> {
  const course = await ctx.catalog.courseById(tenantId, quiz.courseId);
  const lesson = course?.lessons.find((l) => l.id === quiz.lessonId);
  if (!course || !lesson) throw notFound();
  return {
    courseSlug: course.slug,
    courseTitle: course.title,
    lessonSlug: lesson.slug,
    lessonTitle: lesson.title,
  };
}

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

/** Quiz pages: the quiz's start page, an attempt to answer, and its graded result. */
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
      const [questionCount, attempts, where] = await Promise.all([
        ctx.assessment.questionCount(quiz.id),
        ctx.assessment.attemptsOf(actor.accountId, quiz.id),
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
    const { attempt, quiz, where } = await ownAttempt(ctx, request, actor);
    const shell = shellOf(ctx, request, reply);
    const result = await ctx.assessment.result(attempt);
    if (result)
      return sendPage(
        reply,
        <ResultPage shell={shell} attempt={attempt} result={result} quiz={quiz} where={where} />,
      );
    const questions = await ctx.assessment.attemptQuestions(attempt);
    return sendPage(
      reply,
      <AttemptPage shell={shell} attempt={attempt} questions={questions} where={where} />,
    );
  });

  app.post('/bai-lam/:id', { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const { attempt } = await ownAttempt(ctx, request, actor);
    await ctx.learning.submitQuiz(actor, attempt.id, answersFromForm(request.body));
    return reply.redirect(attemptPath(attempt.id), 303);
  });
};
