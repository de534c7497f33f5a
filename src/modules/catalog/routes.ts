import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { catalogPolicy } from './policy.js';
import type { CourseSummary } from './service.js';

const CourseSchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  topic: Type.String(),
  topicLabel: Type.String(),
  blocks: Type.Array(Type.String()),
  minutes: Type.Integer(),
  lessonCount: Type.Integer(),
  lockLessons: Type.Boolean(),
});

const LessonSchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: Type.String(),
  minutes: Type.Integer(),
  position: Type.Integer(),
  quizId: Type.Union([Type.String(), Type.Null()]),
});

const CourseOutlineSchema = Type.Intersect([
  CourseSchema,
  Type.Object({
    modules: Type.Array(
      Type.Object({ id: Type.String(), title: Type.String(), lessons: Type.Array(LessonSchema) }),
    ),
  }),
]);

const CourseQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  topic: Type.Optional(Type.String({ maxLength: 40 })),
  block: Type.Optional(Type.String({ maxLength: 40 })),
});

const presentCourse = (c: CourseSummary) => ({
  id: c.id,
  slug: c.slug,
  title: c.title,
  summary: c.summary,
  topic: c.topic,
  topicLabel: c.topicLabel,
  blocks: c.blocks,
  minutes: c.minutes,
  lessonCount: c.lessonCount,
  lockLessons: c.lockLessons,
});

/** JSON API: the published courses of the tenant and their outlines. */
export const catalogApi = (ctx: AppContext) => async (app: FastifyInstance) => {
  const tags = ['catalog'];

  app.get(
    '/api/courses',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Published courses; `q` searches ignoring diacritics, title matches first',
        querystring: CourseQuery,
        response: { 200: Type.Object({ items: Type.Array(CourseSchema) }) },
      },
    },
    async (request) => {
      authorize(catalogPolicy(actorOf(request), 'course.read', { status: 'published' }));
      const { q, topic, block } = request.query as Static<typeof CourseQuery>;
      const courses = await ctx.catalog.courses(request.tenant.id, { query: q, topic, block });
      return { items: courses.map(presentCourse) };
    },
  );

  app.get(
    '/api/courses/:slug',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A course with its modules and lessons',
        params: Type.Object({ slug: Type.String({ maxLength: 100 }) }),
        response: { 200: CourseOutlineSchema },
      },
    },
    async (request) => {
      const { slug } = request.params as { slug: string };
      const course = await ctx.catalog.courseBySlug(request.tenant.id, slug);
      if (!course) throw notFound('Không tìm thấy khóa học này.');
      authorize(catalogPolicy(actorOf(request), 'course.read', { status: 'published' }));
      return {
        ...presentCourse(course),
        modules: course.modules.map((m) => ({
          id: m.id,
          title: m.title,
          lessons: m.lessons.map(({ id, slug, title, minutes, position, quizId }) => ({
            id,
            slug,
            title,
            minutes,
            position,
            quizId,
          })),
        })),
      };
    },
  );
};
