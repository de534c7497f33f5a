import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Actor } from '../../access/actor.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { assessmentPolicy } from './policy.js';
import { feedbackAllowed, withoutKey } from './service.js';

const PartSchema = Type.Object({ id: Type.String(), text: Type.String() });
const ShownSchema = Type.Object({
  kind: Type.String(),
  options: Type.Optional(Type.Array(PartSchema)),
  lefts: Type.Optional(Type.Array(PartSchema)),
  rights: Type.Optional(Type.Array(PartSchema)),
  items: Type.Optional(Type.Array(PartSchema)),
});
const QuestionSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  situation: Type.Union([Type.String(), Type.Null()]),
  prompt: Type.String(),
  image: Type.Union([Type.Object({ file: Type.String(), alt: Type.String() }), Type.Null()]),
  shown: ShownSchema,
});

const AnswersSchema = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Array(Type.String({ maxLength: 80 }), { maxItems: 10 }),
);

const AttemptSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  deadlineAt: Type.Union([Type.String(), Type.Null()]),
  questions: Type.Array(QuestionSchema),
  saved: AnswersSchema,
});

const AnswersBody = Type.Object({ answers: AnswersSchema }, { additionalProperties: false });

const ResultSchema = Type.Object({
  scorePercent: Type.Integer(),
  correctCount: Type.Integer(),
  questionCount: Type.Integer(),
  passed: Type.Boolean(),
  late: Type.Boolean(),
  questions: Type.Array(
    Type.Intersect([
      QuestionSchema,
      Type.Object({
        given: Type.Array(Type.String()),
        credit: Type.Number(),
        correct: Type.Boolean(),
        feedback: Type.Union([
          Type.Object({ key: Type.Array(Type.String()), explanation: Type.String() }),
          Type.Null(),
        ]),
      }),
    ]),
  ),
});

/** JSON API: start a quiz attempt (questions without answers) and submit it for grading. */
export const assessmentApi = (ctx: AppContext) => async (app: FastifyInstance) => {
  const tags = ['assessment'];

  /** The signed-in learner's own attempt in the URL; anyone else's is "not found". */
  const ownAttempt = async (request: FastifyRequest) => {
    const actor = actorOf(request) as Actor;
    const { id } = request.params as { id: string };
    const attempt = await ctx.assessment.attemptOf(request.tenant.id, actor.accountId, id);
    if (!attempt) throw notFound('Không tìm thấy lượt làm bài này.');
    authorize(assessmentPolicy(actor, 'attempt.take', attempt));
    return { actor, attempt };
  };

  app.post(
    '/api/quizzes/:id/attempts',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Start an attempt (or get the open one): shuffled questions, no answer key',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 201: AttemptSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request) as Actor;
      const { id } = request.params as { id: string };
      const quiz = await ctx.assessment.quiz(request.tenant.id, id);
      if (!quiz) throw notFound('Không tìm thấy bài kiểm tra này.');
      authorize(assessmentPolicy(actor, 'attempt.start', quiz));
      const { attempt, questions, saved } = await ctx.assessment.beginAttempt(quiz, actor.accountId);
      return reply
        .status(201)
        .send({ id: attempt.id, number: attempt.number, deadlineAt: attempt.deadlineAt, questions, saved });
    },
  );

  app.put(
    '/api/quiz-attempts/:id/answers',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Autosave answers of an open attempt (merged per question); refused after the deadline',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: AnswersBody,
        response: { 200: Type.Object({ savedAt: Type.String() }) },
      },
    },
    async (request) => {
      // The hottest route of an exam: the service finds only the actor's own attempt, so the
      // policy is asked about that ownership without a separate lookup first.
      const actor = actorOf(request) as Actor;
      authorize(
        assessmentPolicy(actor, 'attempt.take', { tenantId: request.tenant.id, accountId: actor.accountId }),
      );
      const { id } = request.params as { id: string };
      const { answers } = request.body as Static<typeof AnswersBody>;
      return ctx.assessment.saveAnswers(request.tenant.id, actor.accountId, id, answers);
    },
  );

  app.post(
    '/api/quiz-attempts/:id/submission',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Submit an attempt once; graded on the server; key and explanations as the quiz allows',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: AnswersBody,
        response: { 200: ResultSchema },
      },
    },
    async (request) => {
      const { actor, attempt } = await ownAttempt(request);
      const { answers } = request.body as Static<typeof AnswersBody>;
      const result = await ctx.learning.submitQuiz(actor, attempt.id, answers);
      const quiz = await ctx.assessment.quiz(request.tenant.id, attempt.quizId);
      if (quiz?.settings.feedback === 'afterEach') return result;
      const attempts = await ctx.assessment.attemptsOf(actor.accountId, attempt.quizId);
      return quiz && feedbackAllowed(quiz, attempts) ? result : withoutKey(result);
    },
  );
};
