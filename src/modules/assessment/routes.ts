import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Actor } from '../../access/actor.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { assessmentPolicy } from './policy.js';

const OptionSchema = Type.Object({ id: Type.String(), text: Type.String() });
const QuestionSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  situation: Type.Union([Type.String(), Type.Null()]),
  prompt: Type.String(),
  options: Type.Array(OptionSchema),
});

const AttemptSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  questions: Type.Array(QuestionSchema),
});

const SubmissionBody = Type.Object(
  {
    answers: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 }),
    ),
  },
  { additionalProperties: false },
);

const ResultSchema = Type.Object({
  scorePercent: Type.Integer(),
  correctCount: Type.Integer(),
  questionCount: Type.Integer(),
  passed: Type.Boolean(),
  questions: Type.Array(
    Type.Intersect([
      QuestionSchema,
      Type.Object({
        chosen: Type.Array(Type.String()),
        correctOptionIds: Type.Array(Type.String()),
        correct: Type.Boolean(),
        explanation: Type.String(),
      }),
    ]),
  ),
});

/** JSON API: start a quiz attempt (questions without answers) and submit it for grading. */
export const assessmentApi = (ctx: AppContext) => async (app: FastifyInstance) => {
  const tags = ['assessment'];

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
      const attempt = await ctx.assessment.startAttempt(quiz, actor.accountId);
      const questions = await ctx.assessment.attemptQuestions(attempt);
      return reply.status(201).send({ id: attempt.id, number: attempt.number, questions });
    },
  );

  app.post(
    '/api/quiz-attempts/:id/submission',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Submit an attempt once; graded on the server, with explanations',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: SubmissionBody,
        response: { 200: ResultSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request) as Actor;
      const { id } = request.params as { id: string };
      const attempt = await ctx.assessment.attemptOf(request.tenant.id, actor.accountId, id);
      if (!attempt) throw notFound('Không tìm thấy lượt làm bài này.');
      authorize(assessmentPolicy(actor, 'attempt.take', attempt));
      const { answers } = request.body as Static<typeof SubmissionBody>;
      return ctx.learning.submitQuiz(actor, id, answers);
    },
  );
};
