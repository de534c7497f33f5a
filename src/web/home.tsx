import type { FastifyInstance } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { CourseSummary } from '../modules/catalog/service.js';
import { BLOCKS, type Block } from '../modules/identity/blocks.js';
import { RequiredLearning } from '../modules/programs/learnerViews.js';
import { targetsOf } from '../modules/programs/targets.js';
import type { AppContext } from './context.js';
import { Layout, type Shell, sendPage, shellOf } from './page.js';
import { actorOf } from './requestState.js';

const HOME_COURSES = 5;

function HomePage({
  shell,
  courses,
  duties,
}: {
  shell: Shell;
  courses: CourseSummary[];
  duties?: ComponentChildren;
}) {
  return (
    <Layout shell={shell} title="Trang chủ">
      <section class="hero">
        <h1>Học kỹ năng số, mọi lúc, mọi nơi</h1>
        <p>
          Bài học ngắn 10–15 phút, lời lẽ dễ hiểu, có bài trắc nghiệm sau mỗi bài. Học trên điện thoại hay máy
          tính đều được.
        </p>
        {shell.actor ? (
          <p>
            Xin chào, <strong>{shell.actor.fullName}</strong>.
          </p>
        ) : (
          <p class="actions">
            <a class="button primary" href="/dang-ky">
              Đăng ký học miễn phí
            </a>
            <a class="button" href="/dang-nhap">
              Đăng nhập
            </a>
          </p>
        )}
      </section>
      {duties}
      <section>
        <h2>Khóa học</h2>
        {courses.length === 0 ? (
          <p class="notice">
            Chưa có khóa học nào được mở. Các khóa học sẽ xuất hiện ở đây khi được công bố.
          </p>
        ) : (
          <>
            <ul>
              {courses.map((course) => (
                <li key={course.id}>
                  <a href={`/khoa-hoc/${course.slug}`}>{course.title}</a> ({course.lessonCount} bài,{' '}
                  {course.minutes} phút)
                </li>
              ))}
            </ul>
            <p>
              <a class="button" href="/khoa-hoc">
                Xem tất cả khóa học
              </a>
            </p>
          </>
        )}
      </section>
      <section>
        <h2>Dành cho mọi người</h2>
        <ul class="plain blocks">
          {Object.entries(BLOCKS).map(([code, label]) => (
            <li key={code}>{label}</li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export const homePage = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    const actor = actorOf(request);
    const all = await ctx.catalog.courses(request.tenant.id);
    // A signed-in learner sees the courses for their block first.
    const courses = actor
      ? [...all].sort(
          (a, b) =>
            Number(b.blocks.includes(actor.block as Block)) - Number(a.blocks.includes(actor.block as Block)),
        )
      : all;
    const assignments = actor ? await ctx.programs.assignmentsOf(actor.accountId) : [];
    const duties =
      actor && assignments.length > 0 ? (
        <RequiredLearning
          assignments={assignments}
          targets={await targetsOf(ctx, actor.tenantId, assignments)}
        />
      ) : undefined;
    return sendPage(
      reply,
      <HomePage
        shell={shellOf(ctx, request, reply)}
        courses={courses.slice(0, HOME_COURSES)}
        duties={duties}
      />,
    );
  });
};
