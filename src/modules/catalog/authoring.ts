import { createHash, randomUUID } from 'node:crypto';
import { type Db, inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { AppError, notFound, validationFailed } from '../../errors.js';
import { decodeList, encodeList } from '../../text/lists.js';
import { cleanText } from '../../text/vietnamese.js';
import { QuestionBankService } from '../assessment/bankService.js';
import type { QuizSettings } from '../assessment/quizSettings.js';
import {
  AssessmentService as Assessment,
  type AssessmentService,
  quizSettingsOf,
} from '../assessment/service.js';
import type { Block } from '../identity/blocks.js';
import {
  type CourseFields,
  copyVersion,
  type DraftLesson,
  type DraftView,
  deleteVersion,
  emptyLesson,
  FINAL_TEST_SLUG,
  FINAL_TEST_TITLE,
  insertDraft,
  type LessonFields,
  lessonFieldsOf,
  lessonsOf,
  renumberLessons,
} from './draftVersions.js';
import { renderLessonMarkdown } from './lessonMarkdown.js';
import { describeChanges, fromAllLessons, type PublishCheck, publishProblems } from './publishCheck.js';
import { courseSearchKeys } from './service.js';
import type { Topic } from './topics.js';

export interface AuthoredCourse {
  id: string;
  slug: string;
  status: string;
  title: string;
  publishedVersionId: string | null;
  publishedNumber: number | null;
  draftId: string | null;
  updatedAt: string;
}

const digestOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Drafts, publishing and archiving of courses (content managers). Every change lands on the
 * course's draft version; publishing freezes the draft, with its quizzes' questions copied
 * from the banks, into an immutable version that learners' records point at.
 */
export class AuthoringService {
  constructor(private readonly db: Db) {}

  async courses(tenantId: string): Promise<AuthoredCourse[]> {
    const rows = await this.authoredQuery(tenantId).execute();
    return rows.map(toAuthored).sort((a, b) => a.title.localeCompare(b.title, 'vi'));
  }

  async course(tenantId: string, courseId: string): Promise<AuthoredCourse | null> {
    const row = await this.authoredQuery(tenantId).where('courses.id', '=', courseId).executeTakeFirst();
    return row ? toAuthored(row) : null;
  }

  private authoredQuery(tenantId: string) {
    return this.db.kysely
      .selectFrom('courses')
      .leftJoin('courseVersions as published', 'published.id', 'courses.publishedVersionId')
      .leftJoin('courseVersions as draft', (join) =>
        join.onRef('draft.courseId', '=', 'courses.id').on('draft.status', '=', 'draft'),
      )
      .select([
        'courses.id',
        'courses.slug',
        'courses.status',
        'courses.updatedAt',
        'courses.publishedVersionId',
        'published.number as publishedNumber',
        'draft.id as draftId',
        'draft.title as draftTitle',
        'courses.title',
      ])
      .where('courses.tenantId', '=', tenantId);
  }

  async courseIdBySlug(tenantId: string, slug: string): Promise<string | null> {
    const row = await this.db.kysely
      .selectFrom('courses')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** A new course: an empty draft with one module, not in the catalog until published. */
  async createCourse(tenantId: string, slug: string, fields: CourseFields): Promise<string> {
    if (await this.courseIdBySlug(tenantId, slug)) {
      throw validationFailed({ slug: `Đã có khóa học với địa chỉ "${slug}".` });
    }
    const courseId = randomUUID();
    const now = nowIso();
    await inTransaction(this.db, async (tx) => {
      await tx.kysely
        .insertInto('courses')
        .values({
          id: courseId,
          tenantId,
          slug,
          ...cardOf(fields, [], 0),
          digest: '',
          status: 'draft',
          publishedVersionId: null,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      const versionId = await insertDraft(tx, tenantId, courseId, fields);
      await tx.kysely
        .insertInto('courseModules')
        .values({ id: randomUUID(), courseId, versionId, position: 1, title: 'Phần 1' })
        .execute();
    });
    return courseId;
  }

  /** The course's draft, made from its published version the first time someone edits it. */
  async draftId(tenantId: string, courseId: string): Promise<string> {
    const course = await this.course(tenantId, courseId);
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    if (course.draftId) return course.draftId;
    if (!course.publishedVersionId) throw notFound('Khóa học này không có phiên bản nào.');
    const from = course.publishedVersionId;
    return inTransaction(this.db, async (tx) => copyVersion(tx, tenantId, courseId, from));
  }

  /** The draft if someone has started one; never makes one. */
  async existingDraft(tenantId: string, courseId: string): Promise<DraftView | null> {
    const course = await this.course(tenantId, courseId);
    return course?.draftId ? this.versionView(this.db, tenantId, courseId, course.draftId) : null;
  }

  async draft(tenantId: string, courseId: string): Promise<DraftView> {
    const versionId = await this.draftId(tenantId, courseId);
    return this.versionView(this.db, tenantId, courseId, versionId);
  }

  async updateCourse(tenantId: string, courseId: string, fields: CourseFields): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    await this.db.kysely
      .updateTable('courseVersions')
      .set({
        title: fields.title,
        summary: fields.summary,
        topic: fields.topic,
        blocks: encodeList(fields.blocks),
        lockLessons: fields.lockLessons ? 1 : 0,
        coverFile: fields.coverFile,
        coverAlt: fields.coverAlt,
        frameworks: encodeList(fields.frameworks),
        updatedAt: nowIso(),
      })
      .where('id', '=', versionId)
      .execute();
  }

  async addModule(tenantId: string, courseId: string, title: string): Promise<string> {
    const versionId = await this.draftId(tenantId, courseId);
    const modules = await this.modulesOf(this.db, versionId);
    const id = randomUUID();
    await this.db.kysely
      .insertInto('courseModules')
      .values({ id, courseId, versionId, position: modules.length + 1, title: cleanText(title) })
      .execute();
    return id;
  }

  async renameModule(tenantId: string, courseId: string, moduleId: string, title: string): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    await this.moduleOf(versionId, moduleId);
    await this.db.kysely
      .updateTable('courseModules')
      .set({ title: cleanText(title) })
      .where('id', '=', moduleId)
      .execute();
  }

  /** Moves a module one place up (-1) or down (+1). */
  async moveModule(tenantId: string, courseId: string, moduleId: string, delta: -1 | 1): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    await inTransaction(this.db, async (tx) => {
      const ids = (await this.modulesOf(tx, versionId)).map((m) => m.id);
      const from = ids.indexOf(moduleId);
      if (from < 0) throw notFound('Không tìm thấy phần này.');
      const to = from + delta;
      if (to < 0 || to >= ids.length) return;
      [ids[from], ids[to]] = [ids[to] as string, ids[from] as string];
      for (const [index, id] of ids.entries()) {
        await tx.kysely
          .updateTable('courseModules')
          .set({ position: index + 1 })
          .where('id', '=', id)
          .execute();
      }
      await renumberLessons(tx, versionId);
    });
  }

  async deleteModule(tenantId: string, courseId: string, moduleId: string): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    await this.moduleOf(versionId, moduleId);
    const lesson = await this.db.kysely
      .selectFrom('lessons')
      .select('id')
      .where('moduleId', '=', moduleId)
      .executeTakeFirst();
    if (lesson)
      throw new AppError(409, 'module_not_empty', 'Phần này còn bài học: hãy chuyển hoặc xóa các bài trước.');
    await inTransaction(this.db, async (tx) => {
      await tx.kysely.deleteFrom('courseModules').where('id', '=', moduleId).execute();
      const rest = await this.modulesOf(tx, versionId);
      for (const [index, m] of rest.entries()) {
        await tx.kysely
          .updateTable('courseModules')
          .set({ position: index + 1 })
          .where('id', '=', m.id)
          .execute();
      }
    });
  }

  async addLesson(
    tenantId: string,
    courseId: string,
    moduleId: string,
    slug: string,
    title: string,
  ): Promise<string> {
    const versionId = await this.draftId(tenantId, courseId);
    await this.moduleOf(versionId, moduleId);
    await this.ensureFreeSlug(versionId, slug);
    const id = randomUUID();
    await inTransaction(this.db, async (tx) => {
      await tx.kysely
        .insertInto('lessons')
        .values({
          ...emptyLesson(tenantId, courseId, versionId, moduleId),
          id,
          slug,
          title: cleanText(title),
          // Placed after everything: renumbering puts it at the end of its module.
          position: 100_000,
        })
        .execute();
      await renumberLessons(tx, versionId);
    });
    return id;
  }

  async updateLesson(
    tenantId: string,
    courseId: string,
    lessonId: string,
    fields: LessonFields,
  ): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    await this.lessonOf(versionId, lessonId);
    await this.db.kysely
      .updateTable('lessons')
      .set({
        title: cleanText(fields.title),
        minutes: fields.minutes,
        bodyMarkdown: fields.markdown,
        bodyHtml: renderLessonMarkdown(fields.markdown, (src) => src),
        videoTitle: fields.videoTitle,
        videoUrl: fields.videoUrl,
        videoFile: fields.videoFile,
        videoCaptions: fields.videoCaptions,
        videoLowFile: fields.videoLowFile,
        attachments: JSON.stringify(fields.attachments),
        frameworks: encodeList(fields.frameworks),
      })
      .where('id', '=', lessonId)
      .execute();
  }

  /** Moves a lesson one place up or down in the course; past its module's edge it changes module. */
  async moveLesson(tenantId: string, courseId: string, lessonId: string, delta: -1 | 1): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    await inTransaction(this.db, async (tx) => {
      const modules = await this.modulesOf(tx, versionId);
      const lessons = await lessonsOf(tx, versionId);
      const lesson = lessons.find((l) => l.id === lessonId);
      if (!lesson) throw notFound('Không tìm thấy bài học này.');
      const siblings = lessons.filter((l) => l.moduleId === lesson.moduleId);
      const index = siblings.indexOf(lesson);
      const neighbour = siblings[index + delta];
      if (neighbour) {
        await tx.kysely
          .updateTable('lessons')
          .set({ position: neighbour.position })
          .where('id', '=', lesson.id)
          .execute();
        await tx.kysely
          .updateTable('lessons')
          .set({ position: lesson.position })
          .where('id', '=', neighbour.id)
          .execute();
      } else {
        const moduleIndex = modules.findIndex((m) => m.id === lesson.moduleId);
        const target = modules[moduleIndex + delta];
        if (!target) return;
        // Into the neighbouring module: at its end when moving up, at its start when moving down.
        await tx.kysely
          .updateTable('lessons')
          .set({ moduleId: target.id, position: delta < 0 ? 100_000 : -1 })
          .where('id', '=', lesson.id)
          .execute();
      }
      await renumberLessons(tx, versionId);
    });
  }

  /** Puts the draft's lessons in the given order (drag and drop); every lesson must be listed once. */
  async reorderLessons(
    tenantId: string,
    courseId: string,
    order: { lessonId: string; moduleId: string }[],
  ): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    await inTransaction(this.db, async (tx) => {
      const modules = new Set((await this.modulesOf(tx, versionId)).map((m) => m.id));
      const lessons = new Set((await lessonsOf(tx, versionId)).map((l) => l.id));
      const listed = new Set(order.map((o) => o.lessonId));
      if (
        listed.size !== order.length ||
        listed.size !== lessons.size ||
        order.some((o) => !lessons.has(o.lessonId) || !modules.has(o.moduleId))
      ) {
        throw validationFailed({
          order: 'Thứ tự gửi lên phải liệt kê đúng mỗi bài học của bản nháp một lần.',
        });
      }
      for (const [index, item] of order.entries()) {
        await tx.kysely
          .updateTable('lessons')
          .set({ moduleId: item.moduleId, position: index + 1 })
          .where('id', '=', item.lessonId)
          .execute();
      }
      await renumberLessons(tx, versionId);
    });
  }

  async deleteLesson(tenantId: string, courseId: string, lessonId: string): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    const lesson = await this.lessonOf(versionId, lessonId);
    await inTransaction(this.db, async (tx) => {
      if (lesson.quizId) await new Assessment(tx).deleteDraftQuiz(lesson.quizId);
      await tx.kysely.deleteFrom('lessons').where('id', '=', lessonId).execute();
      await renumberLessons(tx, versionId);
    });
  }

  /** Gives a draft lesson a quiz with these settings, or changes its settings. */
  async setQuiz(tenantId: string, courseId: string, lessonId: string, settings: QuizSettings): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    const lesson = await this.lessonOf(versionId, lessonId);
    await inTransaction(this.db, async (tx) => {
      const assessment = new Assessment(tx);
      if (lesson.quizId) await assessment.updateSettings(lesson.quizId, settings);
      else {
        const quizId = await assessment.createQuiz(tenantId, courseId, lessonId, settings);
        await tx.kysely.updateTable('lessons').set({ quizId }).where('id', '=', lessonId).execute();
      }
    });
  }

  async removeQuiz(tenantId: string, courseId: string, lessonId: string): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    const lesson = await this.lessonOf(versionId, lessonId);
    if (!lesson.quizId) return;
    const quizId = lesson.quizId;
    await inTransaction(this.db, async (tx) => {
      await tx.kysely.updateTable('lessons').set({ quizId: null }).where('id', '=', lessonId).execute();
      await new Assessment(tx).deleteDraftQuiz(quizId);
      if (lesson.kind === 'final') {
        await tx.kysely.deleteFrom('lessons').where('id', '=', lessonId).execute();
        await renumberLessons(tx, versionId);
      }
    });
  }

  /** Adds (or changes) the final course test: the last step, drawing from all lessons' quizzes. */
  async setFinalTest(tenantId: string, courseId: string, settings: QuizSettings): Promise<void> {
    const versionId = await this.draftId(tenantId, courseId);
    const existing = (await lessonsOf(this.db, versionId)).find((l) => l.kind === 'final');
    const withSource: QuizSettings = { ...settings, source: { allLessons: true } };
    if (existing) return this.setQuiz(tenantId, courseId, existing.id, withSource);
    const modules = await this.modulesOf(this.db, versionId);
    const last = modules.at(-1);
    if (!last) throw validationFailed({ modules: 'Khóa học cần ít nhất một phần.' });
    await this.ensureFreeSlug(versionId, FINAL_TEST_SLUG);
    await inTransaction(this.db, async (tx) => {
      const id = randomUUID();
      const quizId = await new Assessment(tx).createQuiz(tenantId, courseId, id, withSource);
      await tx.kysely
        .insertInto('lessons')
        .values({
          ...emptyLesson(tenantId, courseId, versionId, last.id),
          id,
          kind: 'final',
          slug: FINAL_TEST_SLUG,
          title: FINAL_TEST_TITLE,
          minutes: 15,
          position: 1_000_000,
          quizId,
        })
        .execute();
      await renumberLessons(tx, versionId);
    });
  }

  /** Replaces the course's draft (if any) by an empty one with these fields, without modules. */
  async replaceDraft(tenantId: string, courseId: string, fields: CourseFields): Promise<void> {
    const course = await this.course(tenantId, courseId);
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    const draftId = course.draftId;
    await inTransaction(this.db, async (tx) => {
      if (draftId) await deleteVersion(tx, draftId);
      await insertDraft(tx, tenantId, courseId, fields);
    });
  }

  /** Throws away the draft; the published version stays as it is. */
  async discardDraft(tenantId: string, courseId: string): Promise<void> {
    const course = await this.course(tenantId, courseId);
    if (!course?.draftId) throw notFound('Khóa học này không có bản nháp.');
    if (!course.publishedVersionId) {
      throw new AppError(
        409,
        'never_published',
        'Khóa học chưa xuất bản lần nào: bản nháp là tất cả nội dung của nó.',
      );
    }
    const draftId = course.draftId;
    await inTransaction(this.db, (tx) => deleteVersion(tx, draftId));
  }

  /** Hides a course from the catalog (archived) or shows it again; nothing is deleted. */
  async setArchived(tenantId: string, courseId: string, archived: boolean): Promise<void> {
    const course = await this.course(tenantId, courseId);
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    if (!course.publishedVersionId) {
      throw new AppError(409, 'never_published', 'Khóa học chưa xuất bản nên chưa có trong danh mục.');
    }
    await this.db.kysely
      .updateTable('courses')
      .set({ status: archived ? 'archived' : 'published', updatedAt: nowIso() })
      .where('id', '=', courseId)
      .execute();
  }

  /** What publishing the draft would change compared with the published version, and what blocks it. */
  async publishCheck(tenantId: string, courseId: string): Promise<PublishCheck> {
    const course = await this.course(tenantId, courseId);
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    const draft = await this.draft(tenantId, courseId);
    const published = course.publishedVersionId
      ? await this.versionView(this.db, tenantId, courseId, course.publishedVersionId)
      : null;
    const pools = await this.poolsOf(tenantId, draft);
    return { changes: describeChanges(published, draft, pools), problems: publishProblems(draft, pools) };
  }

  /**
   * Publishes the draft as the next version: its quizzes' questions are frozen from the banks
   * and it becomes what new learners get. Learners on an earlier version stay on it.
   */
  async publish(
    tenantId: string,
    courseId: string,
    accountId: string | null,
    digest?: string,
  ): Promise<number> {
    const draft = await this.draft(tenantId, courseId);
    const pools = await this.poolsOf(tenantId, draft);
    const problems = publishProblems(draft, pools);
    if (problems.length > 0) {
      throw new AppError(409, 'draft_not_ready', 'Bản nháp chưa thể xuất bản.', {
        problems: problems.join(' | '),
      });
    }
    return inTransaction(this.db, async (tx) => {
      const assessment = new Assessment(tx);
      const lessons = draft.modules.flatMap((m) => m.lessons);
      const frozen = new Map<string, string>();
      for (const lesson of lessons.filter((l) => !fromAllLessons(l))) {
        if (!lesson.quiz) continue;
        const questions = pools.get(lesson.id) ?? [];
        await assessment.freezeQuestions(lesson.quiz.id, questions);
        frozen.set(lesson.id, digestOf(questions.map((q) => [q.key, q.draft])));
      }
      for (const lesson of lessons.filter(fromAllLessons)) {
        const all: Awaited<ReturnType<AssessmentService['frozenQuestions']>> = [];
        for (const other of lessons) {
          if (other.quiz && other.kind !== 'final')
            all.push(...(await assessment.frozenQuestions(other.quiz.id)));
        }
        await assessment.freezeQuestions(lesson.quiz?.id as string, all);
        frozen.set(lesson.id, digestOf(all.map((q) => q.key)));
      }
      for (const lesson of lessons) {
        const { source: _source, ...settings } = lesson.quiz?.settings ?? { source: null };
        const content = digestOf([
          lesson.slug,
          lesson.kind,
          lesson.fields,
          settings,
          frozen.get(lesson.id) ?? null,
        ]);
        await tx.kysely.updateTable('lessons').set({ digest: content }).where('id', '=', lesson.id).execute();
      }
      const previous = await tx.kysely
        .selectFrom('courseVersions')
        .select((eb) => eb.fn.max('number').as('last'))
        .where('courseId', '=', courseId)
        .executeTakeFirst();
      const number = Number(previous?.last ?? 0) + 1;
      const now = nowIso();
      const versionDigest = digest ?? digestOf([draft.fields, lessons.map((l) => l.id)]);
      await tx.kysely
        .updateTable('courseVersions')
        .set({
          number,
          status: 'published',
          minutes: lessons.reduce((sum, l) => sum + l.fields.minutes, 0),
          lessonCount: lessons.length,
          digest: versionDigest,
          publishedAt: now,
          publishedBy: accountId,
          updatedAt: now,
        })
        .where('id', '=', draft.versionId)
        .execute();
      const current = await tx.kysely
        .selectFrom('courses')
        .select('status')
        .where('id', '=', courseId)
        .executeTakeFirstOrThrow();
      await tx.kysely
        .updateTable('courses')
        .set({
          ...cardOf(
            draft.fields,
            lessons.map((l) => l.title),
            lessons.reduce((sum, l) => sum + l.fields.minutes, 0),
          ),
          lessonCount: lessons.length,
          digest: versionDigest,
          status: current.status === 'archived' ? 'archived' : 'published',
          publishedVersionId: draft.versionId,
          updatedAt: now,
        })
        .where('id', '=', courseId)
        .execute();
      return number;
    });
  }

  /** The questions each quiz of the draft would freeze, by lesson id (final tests: filled at publish). */
  private async poolsOf(tenantId: string, draft: DraftView) {
    const banks = new QuestionBankService(this.db);
    const pools = new Map<string, Awaited<ReturnType<AssessmentService['frozenQuestions']>>>();
    for (const lesson of draft.modules.flatMap((m) => m.lessons)) {
      const source = lesson.quiz?.settings.source;
      if (!source || 'allLessons' in source) continue;
      const questions = await banks.pool(
        tenantId,
        source.bankId,
        source.questionIds,
        lesson.quiz?.settings.draws ?? null,
      );
      pools.set(
        lesson.id,
        questions.map((q) => ({ draft: q.draft, key: q.key, imageFile: q.imageFile, sourceId: q.id })),
      );
    }
    return pools;
  }

  async versionView(db: Db, tenantId: string, courseId: string, versionId: string): Promise<DraftView> {
    const version = await db.kysely
      .selectFrom('courseVersions')
      .innerJoin('courses', 'courses.id', 'courseVersions.courseId')
      .selectAll('courseVersions')
      .select('courses.slug')
      .where('courseVersions.id', '=', versionId)
      .where('courseVersions.tenantId', '=', tenantId)
      .where('courseVersions.courseId', '=', courseId)
      .executeTakeFirst();
    if (!version) throw notFound('Không tìm thấy phiên bản này.');
    const [modules, lessons] = await Promise.all([this.modulesOf(db, versionId), lessonsOf(db, versionId)]);
    const quizIds = lessons.flatMap((l) => (l.quizId ? [l.quizId] : []));
    const quizzes = new Map(
      quizIds.length === 0
        ? []
        : (
            await db.kysely
              .selectFrom('quizzes')
              .select(['id', 'passPercent', 'maxAttempts', 'settings'])
              .where('id', 'in', quizIds)
              .execute()
          ).map((q) => [
            q.id,
            { id: q.id, settings: quizSettingsOf(q.settings, q.passPercent, q.maxAttempts) },
          ]),
    );
    const draftLessons: DraftLesson[] = lessons.map((l) => ({
      id: l.id,
      moduleId: l.moduleId,
      position: l.position,
      kind: l.kind,
      slug: l.slug,
      title: l.title,
      fields: lessonFieldsOf(l),
      quiz: l.quizId ? (quizzes.get(l.quizId) ?? null) : null,
    }));
    return {
      courseId,
      slug: version.slug,
      versionId,
      status: version.status,
      fields: {
        title: version.title,
        summary: version.summary,
        topic: version.topic as Topic,
        blocks: decodeList(version.blocks) as Block[],
        lockLessons: version.lockLessons === 1,
        coverFile: version.coverFile,
        coverAlt: version.coverAlt,
        frameworks: decodeList(version.frameworks),
      },
      modules: modules.map((m) => ({
        id: m.id,
        title: m.title,
        lessons: draftLessons.filter((l) => l.moduleId === m.id),
      })),
    };
  }

  private modulesOf(db: Db, versionId: string) {
    return db.kysely
      .selectFrom('courseModules')
      .select(['id', 'title', 'position'])
      .where('versionId', '=', versionId)
      .orderBy('position')
      .execute();
  }

  private async moduleOf(versionId: string, moduleId: string) {
    const module = (await this.modulesOf(this.db, versionId)).find((m) => m.id === moduleId);
    if (!module) throw notFound('Không tìm thấy phần này trong bản nháp.');
    return module;
  }

  private async lessonOf(versionId: string, lessonId: string) {
    const lesson = (await lessonsOf(this.db, versionId)).find((l) => l.id === lessonId);
    if (!lesson) throw notFound('Không tìm thấy bài học này trong bản nháp.');
    return lesson;
  }

  private async ensureFreeSlug(versionId: string, slug: string): Promise<void> {
    if ((await lessonsOf(this.db, versionId)).some((l) => l.slug === slug)) {
      throw validationFailed({ slug: `Khóa học đã có bài với địa chỉ "${slug}".` });
    }
  }
}

function toAuthored(r: {
  id: string;
  slug: string;
  status: string;
  title: string;
  updatedAt: string;
  publishedVersionId: string | null;
  publishedNumber: number | null;
  draftId: string | null;
  draftTitle: string | null;
}): AuthoredCourse {
  return {
    id: r.id,
    slug: r.slug,
    status: r.status,
    title: r.draftTitle ?? r.title,
    publishedVersionId: r.publishedVersionId,
    publishedNumber: r.publishedNumber ?? null,
    draftId: r.draftId ?? null,
    updatedAt: r.updatedAt,
  };
}

function cardOf(fields: CourseFields, lessonTitles: string[], minutes: number) {
  return {
    title: fields.title,
    summary: fields.summary,
    topic: fields.topic,
    blocks: encodeList(fields.blocks),
    lockLessons: fields.lockLessons ? 1 : 0,
    minutes,
    lessonCount: lessonTitles.length,
    ...courseSearchKeys(fields.title, fields.summary, lessonTitles),
  };
}
