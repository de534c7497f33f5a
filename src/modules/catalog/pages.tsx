import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { ChoiceSelect } from '../../web/forms.js';
import { type PrecompressedPart, precompress } from '../../web/gzipParts.js';
import { CsrfField, Layout, partSlot, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { BLOCKS, type Block } from '../identity/blocks.js';
import { learningPolicy } from '../learning/policy.js';
import type { LessonState } from '../learning/progress.js';
import type { CourseProgressView } from '../learning/service.js';
import { AuthoringService } from './authoring.js';
import { sendHandout } from './exportCourse.js';
import { catalogPolicy } from './policy.js';
import type { CourseOutline, CourseSummary, Lesson, LessonSummary } from './service.js';
import { TOPICS } from './topics.js';

export const coursePath = (slug: string) => `/khoa-hoc/${slug}`;
export const lessonPath = (courseSlug: string, lessonSlug: string) => `/khoa-hoc/${courseSlug}/${lessonSlug}`;

const minutesLabel = (minutes: number) =>
  minutes < 60
    ? `${minutes} phút`
    : `${Math.floor(minutes / 60)} giờ ${minutes % 60 ? `${minutes % 60} phút` : ''}`.trim();

export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <p class="progress">
      <span>{label}</span>
      <progress max={100} value={percent}>
        {percent}%
      </progress>
    </p>
  );
}

function CourseCard({ course, percent }: { course: CourseSummary; percent: number | undefined }) {
  return (
    <li class="card">
      <h3>
        <a href={coursePath(course.slug)}>{course.title}</a>
      </h3>
      <p>{course.summary}</p>
      <p class="meta">
        {course.topicLabel} · {course.lessonCount} bài · {minutesLabel(course.minutes)}
      </p>
      <p class="meta">Dành cho: {course.blockLabels.join(', ')}</p>
      {percent !== undefined && (
        <ProgressBar percent={percent} label={percent === 100 ? 'Đã hoàn thành' : `Đã học ${percent}%`} />
      )}
    </li>
  );
}

function CourseList({ courses, progress }: { courses: CourseSummary[]; progress: Map<string, number> }) {
  return (
    <ul class="plain cards">
      {courses.map((course) => (
        <CourseCard key={course.id} course={course} percent={progress.get(course.id)} />
      ))}
    </ul>
  );
}

interface CatalogQuery {
  query: string;
  topic: string;
  block: string;
}

function CatalogPage(props: {
  shell: Shell;
  filters: CatalogQuery;
  mine: CourseSummary[];
  courses: CourseSummary[];
  progress: Map<string, number>;
  myBlock: string | null;
}) {
  const { shell, filters, mine, courses, progress, myBlock } = props;
  const filtered = filters.query !== '' || filters.topic !== '' || filters.block !== '';
  return (
    <Layout shell={shell} title="Khóa học">
      <h1>Khóa học</h1>
      <form method="get" action="/khoa-hoc" class="filters">
        <div class="field">
          <label for="tim">Tìm khóa học</label>
          <input id="tim" name="tim" type="search" value={filters.query} placeholder="Ví dụ: lừa đảo" />
        </div>
        <ChoiceSelect
          name="chu-de"
          label="Chủ đề"
          empty="Tất cả chủ đề"
          choices={TOPICS}
          value={filters.topic}
        />
        <ChoiceSelect name="khoi" label="Dành cho" empty="Mọi người" choices={BLOCKS} value={filters.block} />
        <button type="submit" class="button primary">
          Tìm
        </button>
      </form>
      {!filtered && myBlock && mine.length > 0 && (
        <section>
          <h2>Dành cho bạn ({BLOCKS[myBlock as keyof typeof BLOCKS] ?? myBlock})</h2>
          <CourseList courses={mine} progress={progress} />
        </section>
      )}
      <section aria-live="polite">
        <h2>{filtered ? `Kết quả: ${courses.length} khóa học` : 'Tất cả khóa học'}</h2>
        {courses.length === 0 ? (
          <p class="notice">
            {filtered
              ? 'Không tìm thấy khóa học phù hợp. Hãy thử từ khóa ngắn hơn hoặc bỏ bớt bộ lọc.'
              : 'Chưa có khóa học nào được mở.'}
            {filtered && (
              <>
                {' '}
                <a href="/khoa-hoc">Xem tất cả khóa học</a>
              </>
            )}
          </p>
        ) : (
          <CourseList courses={courses} progress={progress} />
        )}
      </section>
    </Layout>
  );
}

const LESSON_BODY = 'lesson-body';
const compressedBodies = new WeakMap<Lesson, PrecompressedPart>();

/** A lesson's body, compressed once per process (lessons are cached until their course changes). */
function compressedBody(lesson: Lesson): PrecompressedPart {
  let part = compressedBodies.get(lesson);
  if (!part) {
    part = precompress(lesson.bodyHtml);
    compressedBodies.set(lesson, part);
  }
  return part;
}

/** What the learner has done in each lesson of a course, by lesson id. */
type LessonStates = Map<string, LessonState>;
const NO_STATES: LessonStates = new Map();

/** Where "continue" leads: the first lesson not yet done (read, and its quiz passed). */
/** Done: read (a final test has nothing to read) and its quiz passed, if it has one. */
const lessonDone = (lesson: LessonSummary, states: LessonStates) => {
  const state = states.get(lesson.id);
  return (
    (lesson.kind === 'final' || Boolean(state?.readAt)) &&
    (lesson.quizId === null || Boolean(state?.quizPassedAt))
  );
};

export function nextLesson(course: CourseOutline, states: LessonStates): LessonSummary | null {
  return course.lessons.find((lesson) => !lessonDone(lesson, states)) ?? null;
}

/** With a locked course, a lesson opens once every lesson before it is done. */
export function isLocked(course: CourseOutline, lesson: LessonSummary, states: LessonStates): boolean {
  if (!course.lockLessons) return false;
  return course.lessons.some((l) => l.position < lesson.position && !lessonDone(l, states));
}

function LessonStatus({ lesson, states }: { lesson: LessonSummary; states: LessonStates }) {
  const state = states.get(lesson.id);
  const parts = [
    state?.readAt ? 'đã đọc' : null,
    lesson.quizId && state?.quizPassedAt ? `đạt bài kiểm tra (${state.bestScore}%)` : null,
    lesson.quizId && state && !state.quizPassedAt && state.attempts > 0
      ? `chưa đạt (cao nhất ${state.bestScore}%)`
      : null,
  ].filter(Boolean);
  return parts.length > 0 ? <span class="status">{parts.join(', ')}</span> : null;
}

function CoursePage(props: {
  shell: Shell;
  course: CourseOutline;
  progress: CourseProgressView | null;
  certificateCode: string | null;
  /** The current version's number when the learner is on an older one. */
  newerVersion: number | null;
}) {
  const { shell, course, progress, certificateCode, newerVersion } = props;
  const states = progress?.lessons ?? NO_STATES;
  const next = nextLesson(course, states);
  return (
    <Layout shell={shell} title={course.title}>
      <p class="crumbs">
        <a href="/khoa-hoc">Khóa học</a>
      </p>
      <h1>{course.title}</h1>
      <p>{course.summary}</p>
      <p class="meta">
        {course.topicLabel} · {course.lessonCount} bài · khoảng {minutesLabel(course.minutes)}
        <br />
        Dành cho: {course.blockLabels.join(', ')}
      </p>
      {progress && (
        <ProgressBar
          percent={progress.percent}
          label={
            progress.completedAt ? 'Bạn đã hoàn thành khóa học' : `Tiến độ của bạn: ${progress.percent}%`
          }
        />
      )}
      {newerVersion !== null && (
        <form method="post" action={`${coursePath(course.slug)}/phien-ban-moi`} class="notice">
          <CsrfField shell={shell} />
          <p>
            Khóa học đã có phiên bản mới (phiên bản {newerVersion}). Bạn đang học phiên bản{' '}
            {course.versionNumber}; kết quả đã có vẫn được giữ nguyên. Nếu chuyển, các bài không thay đổi vẫn
            được tính là đã xong.
          </p>
          <button type="submit" class="button">
            Chuyển sang phiên bản mới
          </button>
        </form>
      )}
      {certificateCode && (
        <p class="notice ok">
          Bạn đã hoàn thành khóa học.{' '}
          <a href={`/chung-nhan/${certificateCode}.pdf`}>Tải giấy chứng nhận (PDF)</a>
        </p>
      )}
      {next && (
        <p>
          <a class="button primary" href={lessonPath(course.slug, next.slug)}>
            {progress ? `Học tiếp: ${next.title}` : 'Bắt đầu học'}
          </a>
        </p>
      )}
      <p>
        <a href={`${coursePath(course.slug)}/tai-lieu.pdf`}>
          Tải tài liệu để in hoặc đọc khi không có mạng (PDF)
        </a>
      </p>
      {!shell.actor && (
        <p class="notice">
          <a href={`/dang-nhap?next=${encodeURIComponent(coursePath(course.slug))}`}>Đăng nhập</a> hoặc{' '}
          <a href="/dang-ky">đăng ký</a> để lưu tiến độ và nhận giấy chứng nhận.
        </p>
      )}
      {course.lockLessons && <p class="meta">Các bài học mở lần lượt: hoàn thành bài trước để mở bài sau.</p>}
      {course.modules.map((module) => (
        <section key={module.id}>
          <h2>{module.title}</h2>
          <ol class="lessons">
            {module.lessons.map((lesson) => (
              <li key={lesson.id}>
                {isLocked(course, lesson, states) ? (
                  <span>
                    {lesson.title} <span class="status">(chưa mở)</span>
                  </span>
                ) : (
                  <a class="lesson-link" href={lessonPath(course.slug, lesson.slug)}>
                    {lesson.title}
                  </a>
                )}{' '}
                <span class="meta">
                  {lesson.minutes} phút{lesson.quizId ? ' · có bài kiểm tra' : ''}
                </span>{' '}
                <LessonStatus lesson={lesson} states={states} />
              </li>
            ))}
          </ol>
        </section>
      ))}
    </Layout>
  );
}

function LessonPage(props: {
  shell: Shell;
  course: CourseOutline;
  lesson: Lesson;
  states: LessonStates;
  locked: boolean;
}) {
  const { shell, course, lesson, states, locked } = props;
  const index = course.lessons.findIndex((l) => l.id === lesson.id);
  const previous = course.lessons[index - 1];
  const next = course.lessons[index + 1];
  const state = states.get(lesson.id);
  const here = lessonPath(course.slug, lesson.slug);
  return (
    <Layout shell={shell} title={lesson.title}>
      <p class="crumbs">
        <a href={coursePath(course.slug)}>{course.title}</a>
      </p>
      <h1>{lesson.title}</h1>
      <p class="meta">
        Bài {lesson.position}/{course.lessons.length} · đọc khoảng {lesson.minutes} phút
      </p>
      {locked ? (
        <p class="notice">
          Bài này chưa mở. Hãy hoàn thành các bài trước (đọc xong và đạt bài kiểm tra).{' '}
          <a href={coursePath(course.slug)}>Về trang khóa học</a>
        </p>
      ) : (
        <>
          {lesson.video && (
            <figure class="video">
              {lesson.video.file ? (
                <video controls preload="none" src={lesson.video.file}>
                  <track
                    kind="captions"
                    srclang="vi"
                    label="Tiếng Việt"
                    src={lesson.video.captions ?? undefined}
                    default
                  />
                  <a href={lesson.video.file}>Tải video: {lesson.video.title}</a>
                </video>
              ) : null}
              <figcaption>
                {lesson.video.lowFile && (
                  <>
                    <a href={lesson.video.lowFile}>Xem bản nhẹ (cho mạng yếu)</a>
                    <br />
                  </>
                )}
                {lesson.video.url ? (
                  <a href={lesson.video.url} rel="noopener noreferrer external">
                    Xem video: {lesson.video.title}
                  </a>
                ) : (
                  lesson.video.title
                )}
              </figcaption>
            </figure>
          )}
          {/* Rendered from Markdown at import with raw HTML disabled, so it holds no markup the author typed;
              sendPage puts it in the slot, precompressed. */}
          <article class="lesson" dangerouslySetInnerHTML={{ __html: partSlot(LESSON_BODY) }} />
          {lesson.attachments.length > 0 && (
            <section aria-label="Tài liệu kèm theo">
              <h2>Tài liệu kèm theo</h2>
              <ul>
                {lesson.attachments.map((a) => (
                  <li key={a.file}>
                    <a href={a.file}>{a.title} (PDF)</a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section class="finish" id="hoan-thanh" aria-label="Hoàn thành bài học">
            {lesson.kind === 'final' ? (
              <p>
                Bài kiểm tra cuối khóa gồm câu hỏi rút từ các bài học. Đạt bài này để hoàn thành khóa học.
              </p>
            ) : state?.readAt ? (
              <p class="notice ok">Bạn đã đọc xong bài này.</p>
            ) : shell.actor ? (
              <form method="post" action={`${here}/da-doc`}>
                <CsrfField shell={shell} />
                <button type="submit" class="button primary">
                  Tôi đã đọc xong bài này
                </button>
              </form>
            ) : (
              <p class="notice">
                <a href={`/dang-nhap?next=${encodeURIComponent(here)}`}>Đăng nhập</a> để lưu tiến độ học.
              </p>
            )}
            {lesson.quizId && (
              <p>
                <a class={state?.readAt ? 'button primary' : 'button'} href={`${here}/kiem-tra`}>
                  {state?.quizPassedAt ? 'Xem lại bài kiểm tra' : 'Làm bài kiểm tra'}
                </a>
              </p>
            )}
          </section>
        </>
      )}
      <nav class="pager" aria-label="Bài trước, bài sau">
        {previous && (
          <a class="pager-link" rel="prev" href={lessonPath(course.slug, previous.slug)}>
            ← {previous.title}
          </a>
        )}
        {next && (
          <a class="pager-link" rel="next" href={lessonPath(course.slug, next.slug)}>
            {next.title} →
          </a>
        )}
      </nav>
    </Layout>
  );
}

/** Which version a visitor learns: a signed-in learner's own, once started. */
const versionOfVisitor = (ctx: AppContext, actor: Actor | null) =>
  actor ? (courseId: string) => ctx.learning.versionOf(actor.accountId, courseId) : undefined;

const one = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Loads a published course and one of its lessons for the current visitor, or 404. */
export async function courseAndLesson(
  ctx: AppContext,
  request: FastifyRequest,
  courseSlug: string,
  lessonSlug: string,
) {
  const actor = actorOf(request);
  const found = await ctx.catalog.courseLesson(
    request.tenant.id,
    courseSlug,
    lessonSlug,
    versionOfVisitor(ctx, actor),
  );
  if (!found) throw notFound('Không tìm thấy khóa học này.');
  authorize(catalogPolicy(actorOf(request), 'course.read', { status: 'published' }));
  const { course, lesson } = found;
  if (!lesson) throw notFound('Không tìm thấy bài học này.');
  authorize(catalogPolicy(actor, 'lesson.read', { status: 'published' }));
  const states = actor ? await ctx.learning.lessonStates(actor.accountId, course.id) : NO_STATES;
  return { course, lesson, states, locked: isLocked(course, lesson, states) };
}

/** Catalog, course and lesson pages; "finished reading" is recorded from the lesson page. */
export const catalogPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get('/khoa-hoc', { config: { access: 'public' } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const filters = { query: one(q.tim).slice(0, 100), topic: one(q['chu-de']), block: one(q.khoi) };
    const actor = actorOf(request);
    const courses = await ctx.catalog.courses(request.tenant.id, filters);
    const mine = actor ? courses.filter((c) => c.blocks.includes(actor.block as Block)) : [];
    const progress = new Map(
      actor ? (await ctx.learning.coursesOf(actor.accountId)).map((p) => [p.courseId, p.percent]) : [],
    );
    return sendPage(
      reply,
      <CatalogPage
        shell={shellOf(ctx, request, reply)}
        filters={filters}
        mine={mine}
        courses={courses}
        progress={progress}
        myBlock={actor?.block ?? null}
      />,
    );
  });

  app.get('/khoa-hoc/:course', { config: { access: 'public' } }, async (request, reply) => {
    const { course: slug } = request.params as { course: string };
    const actor = actorOf(request);
    const course = await ctx.catalog.courseBySlug(request.tenant.id, slug, versionOfVisitor(ctx, actor));
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    authorize(catalogPolicy(actor, 'course.read', { status: 'published' }));
    const progress = actor ? await ctx.learning.progress(actor.accountId, course.id) : null;
    const current = progress ? await ctx.catalog.courseById(request.tenant.id, course.id) : null;
    const newerVersion =
      current && !progress?.completedAt && current.versionId !== course.versionId
        ? current.versionNumber
        : null;
    const certificate = progress?.completedAt
      ? (await ctx.learning.certificatesOf(actor?.accountId ?? '')).find((c) => c.courseId === course.id)
      : undefined;
    return sendPage(
      reply,
      <CoursePage
        shell={shellOf(ctx, request, reply)}
        course={course}
        progress={progress}
        certificateCode={certificate?.code ?? null}
        newerVersion={newerVersion}
      />,
    );
  });

  app.get('/khoa-hoc/:course/tai-lieu.pdf', { config: { access: 'public' } }, async (request, reply) => {
    const { course: slug } = request.params as { course: string };
    const actor = actorOf(request);
    const course = await ctx.catalog.courseBySlug(request.tenant.id, slug, versionOfVisitor(ctx, actor));
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    authorize(catalogPolicy(actor, 'course.read', { status: 'published' }));
    const view = await new AuthoringService(ctx.db).versionView(
      ctx.db,
      request.tenant.id,
      course.id,
      course.versionId,
    );
    return sendHandout(ctx, reply, view, request.tenant.name, `Phiên bản ${course.versionNumber}`);
  });

  app.post('/khoa-hoc/:course/phien-ban-moi', { config: { access: 'signedIn' } }, async (request, reply) => {
    const { course: slug } = request.params as { course: string };
    const actor = actorOf(request) as Actor;
    const course = await ctx.catalog.courseBySlug(request.tenant.id, slug);
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    authorize(
      catalogPolicy(actor, 'course.read', { status: 'published' }) &&
        learningPolicy(actor, 'progress.record', { tenantId: request.tenant.id, accountId: actor.accountId }),
    );
    await ctx.learning.moveToVersion(actor, course.id);
    return reply.redirect(coursePath(slug), 303);
  });

  app.get('/khoa-hoc/:course/:lesson', { config: { access: 'public' } }, async (request, reply) => {
    const params = request.params as { course: string; lesson: string };
    const found = await courseAndLesson(ctx, request, params.course, params.lesson);
    const page = <LessonPage shell={shellOf(ctx, request, reply)} {...found} />;
    return sendPage(reply, page, 200, found.locked ? {} : { [LESSON_BODY]: compressedBody(found.lesson) });
  });

  app.post('/khoa-hoc/:course/:lesson/da-doc', { config: { access: 'signedIn' } }, async (request, reply) => {
    const params = request.params as { course: string; lesson: string };
    const { course, lesson, locked } = await courseAndLesson(ctx, request, params.course, params.lesson);
    const actor = actorOf(request);
    authorize(
      !locked &&
        learningPolicy(actor, 'progress.record', {
          tenantId: request.tenant.id,
          accountId: actor?.accountId ?? '',
        }),
    );
    if (actor) await ctx.learning.finishReading(actor, lesson.id);
    const target = lessonPath(course.slug, lesson.slug);
    return reply.redirect(lesson.quizId ? `${target}/kiem-tra` : `${target}#hoan-thanh`, 303);
  });
};
