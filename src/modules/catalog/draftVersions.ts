/**
 * Course versions as rows: the shapes a draft is edited in, and the steps that make, copy,
 * renumber and delete a version's modules and lessons (with their quizzes).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { decodeList, encodeList } from '../../text/lists.js';
import type { QuizSettings } from '../assessment/quizSettings.js';
import { AssessmentService } from '../assessment/service.js';
import type { Block } from '../identity/blocks.js';
import type { Attachment } from './service.js';
import type { LessonTable } from './tables.js';
import type { Topic } from './topics.js';

export interface CourseFields {
  title: string;
  summary: string;
  topic: Topic;
  blocks: Block[];
  lockLessons: boolean;
  coverFile: string | null;
  coverAlt: string | null;
  frameworks: string[];
}

export interface LessonFields {
  title: string;
  minutes: number;
  markdown: string;
  videoTitle: string | null;
  videoUrl: string | null;
  videoFile: string | null;
  videoCaptions: string | null;
  videoLowFile: string | null;
  attachments: Attachment[];
  frameworks: string[];
}

/** A lesson of a draft as the editor shows it: content, and its quiz settings if it has a quiz. */
export interface DraftLesson {
  id: string;
  moduleId: string;
  position: number;
  kind: string;
  slug: string;
  title: string;
  fields: LessonFields;
  quiz: { id: string; settings: QuizSettings } | null;
}

export interface DraftView {
  courseId: string;
  slug: string;
  versionId: string;
  status: string;
  fields: CourseFields;
  modules: { id: string; title: string; lessons: DraftLesson[] }[];
}

export const FINAL_TEST_SLUG = 'kiem-tra-cuoi-khoa';
export const FINAL_TEST_TITLE = 'Bài kiểm tra cuối khóa';

export const fileUrl = (name: string) => `/tep/${name}`;

type LessonRow = Omit<LessonTable, 'tenantId'>;

export function lessonFieldsOf(row: LessonRow): LessonFields {
  return {
    title: row.title,
    minutes: row.minutes,
    markdown: row.bodyMarkdown,
    videoTitle: row.videoTitle,
    videoUrl: row.videoUrl,
    videoFile: row.videoFile,
    videoCaptions: row.videoCaptions,
    videoLowFile: row.videoLowFile,
    attachments: JSON.parse(row.attachments) as Attachment[],
    frameworks: decodeList(row.frameworks),
  };
}

export async function insertDraft(
  tx: Db,
  tenantId: string,
  courseId: string,
  fields: CourseFields,
): Promise<string> {
  const id = randomUUID();
  const now = nowIso();
  await tx.kysely
    .insertInto('courseVersions')
    .values({
      id,
      tenantId,
      courseId,
      number: null,
      status: 'draft',
      title: fields.title,
      summary: fields.summary,
      topic: fields.topic,
      blocks: encodeList(fields.blocks),
      lockLessons: fields.lockLessons ? 1 : 0,
      minutes: 0,
      lessonCount: 0,
      coverFile: fields.coverFile,
      coverAlt: fields.coverAlt,
      frameworks: encodeList(fields.frameworks),
      digest: '',
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
      publishedBy: null,
    })
    .execute();
  return id;
}

export function emptyLesson(tenantId: string, courseId: string, versionId: string, moduleId: string) {
  return {
    tenantId,
    courseId,
    versionId,
    moduleId,
    kind: 'lesson',
    minutes: 10,
    bodyMarkdown: '',
    bodyHtml: '',
    digest: '',
    frameworks: ',',
    attachments: '[]',
    videoTitle: null,
    videoFile: null,
    videoUrl: null,
    videoCaptions: null,
    videoLowFile: null,
    quizId: null,
  };
}

export function lessonsOf(db: Db, versionId: string) {
  return db.kysely
    .selectFrom('lessons')
    .innerJoin('courseModules', 'courseModules.id', 'lessons.moduleId')
    .selectAll('lessons')
    .where('lessons.versionId', '=', versionId)
    .orderBy('courseModules.position')
    .orderBy('lessons.position')
    .execute();
}

/** Numbers lessons 1…n in module order, keeping the final test last. */
export async function renumberLessons(tx: Db, versionId: string): Promise<void> {
  const lessons = await lessonsOf(tx, versionId);
  const ordered = [
    ...lessons.filter((l) => l.kind !== 'final'),
    ...lessons.filter((l) => l.kind === 'final'),
  ];
  for (const [index, lesson] of ordered.entries()) {
    if (lesson.position !== index + 1) {
      await tx.kysely
        .updateTable('lessons')
        .set({ position: index + 1 })
        .where('id', '=', lesson.id)
        .execute();
    }
  }
}

/** A new draft with the same content as a version (new ids; quizzes keep their settings and sources). */
export async function copyVersion(
  tx: Db,
  tenantId: string,
  courseId: string,
  fromId: string,
): Promise<string> {
  const from = await tx.kysely
    .selectFrom('courseVersions')
    .selectAll()
    .where('id', '=', fromId)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const now = nowIso();
  await tx.kysely
    .insertInto('courseVersions')
    .values({
      ...from,
      id,
      number: null,
      status: 'draft',
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
      publishedBy: null,
    })
    .execute();
  const moduleIds = new Map<string, string>();
  const modules = await tx.kysely
    .selectFrom('courseModules')
    .selectAll()
    .where('versionId', '=', fromId)
    .execute();
  for (const module of modules) {
    const moduleId = randomUUID();
    moduleIds.set(module.id, moduleId);
    await tx.kysely
      .insertInto('courseModules')
      .values({ ...module, id: moduleId, versionId: id })
      .execute();
  }
  const assessment = new AssessmentService(tx);
  const lessons = await tx.kysely.selectFrom('lessons').selectAll().where('versionId', '=', fromId).execute();
  for (const lesson of lessons) {
    const lessonId = randomUUID();
    const quiz = lesson.quizId ? await assessment.quiz(tenantId, lesson.quizId) : null;
    const quizId = quiz ? await assessment.createQuiz(tenantId, courseId, lessonId, quiz.settings) : null;
    await tx.kysely
      .insertInto('lessons')
      .values({
        ...lesson,
        id: lessonId,
        versionId: id,
        moduleId: moduleIds.get(lesson.moduleId) as string,
        quizId,
      })
      .execute();
  }
  return id;
}

export async function deleteVersion(tx: Db, versionId: string): Promise<void> {
  const assessment = new AssessmentService(tx);
  const lessons = await tx.kysely
    .selectFrom('lessons')
    .select(['id', 'quizId'])
    .where('versionId', '=', versionId)
    .execute();
  await tx.kysely.deleteFrom('lessons').where('versionId', '=', versionId).execute();
  for (const lesson of lessons) if (lesson.quizId) await assessment.deleteDraftQuiz(lesson.quizId);
  await tx.kysely.deleteFrom('courseModules').where('versionId', '=', versionId).execute();
  await tx.kysely.deleteFrom('courseVersions').where('id', '=', versionId).execute();
}
