import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { FileProblem } from '../../content/yamlSource.js';
import { inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { AppError } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { AssessmentService } from '../assessment/service.js';
import {
  type CoursePackage,
  MANIFEST,
  packageFolders,
  packagePathOf,
  readCoursePackage,
} from './coursePackage.js';
import { renderLessonMarkdown } from './lessonMarkdown.js';
import { courseSearchKeys, encodeList } from './service.js';

export type ImportOutcome = 'created' | 'updated' | 'unchanged';

export const fileUrl = (name: string) => `/tep/${name}`;

/**
 * Loads a validated package into a tenant as a published course, in one transaction.
 * The same package again changes nothing. A changed package replaces the course's content
 * only while nobody has learned it; after that a change needs a new version (authoring).
 */
export async function importCourse(
  deps: Pick<AppContext, 'db' | 'files' | 'learning'>,
  tenantId: string,
  course: CoursePackage,
): Promise<{ outcome: ImportOutcome; courseId: string }> {
  const existing = await deps.db.kysely
    .selectFrom('courses')
    .select(['id', 'digest'])
    .where('tenantId', '=', tenantId)
    .where('slug', '=', course.slug)
    .executeTakeFirst();
  if (existing?.digest === course.digest) return { outcome: 'unchanged', courseId: existing.id };
  if (existing && (await deps.learning.hasLearners(existing.id))) {
    throw new AppError(
      409,
      'course_has_learners',
      `Khóa học "${course.slug}" đã có người học: không thể thay nội dung bằng cách nhập lại gói. Hãy xuất bản phiên bản mới.`,
    );
  }
  // Files are content-addressed: storing them before the transaction can leave at most an unused file.
  const stored = new Map(
    [...course.assets].map(([path, asset]) => [path, deps.files.put(asset.bytes, asset.mediaType)]),
  );
  const courseId = existing?.id ?? randomUUID();
  const lessons = course.modules.flatMap((m) => m.lessons);
  const now = nowIso();
  const row = {
    title: course.title,
    summary: course.summary,
    topic: course.topic,
    blocks: encodeList(course.blocks),
    lockLessons: course.lockLessons ? 1 : 0,
    minutes: lessons.reduce((sum, l) => sum + l.minutes, 0),
    lessonCount: lessons.length,
    ...courseSearchKeys(
      course.title,
      course.summary,
      lessons.map((l) => l.title),
    ),
    digest: course.digest,
    status: 'published',
    updatedAt: now,
  };

  await inTransaction(deps.db, async (tx) => {
    const assessment = new AssessmentService(tx);
    if (existing) {
      await tx.kysely.deleteFrom('lessons').where('courseId', '=', courseId).execute();
      await tx.kysely.deleteFrom('courseModules').where('courseId', '=', courseId).execute();
      await assessment.deleteQuizzesOfCourse(courseId);
      await tx.kysely.updateTable('courses').set(row).where('id', '=', courseId).execute();
    } else {
      await tx.kysely
        .insertInto('courses')
        .values({ id: courseId, tenantId, slug: course.slug, createdAt: now, ...row })
        .execute();
    }
    let position = 0;
    for (const [moduleIndex, module] of course.modules.entries()) {
      const moduleId = randomUUID();
      await tx.kysely
        .insertInto('courseModules')
        .values({ id: moduleId, courseId, position: moduleIndex + 1, title: module.title })
        .execute();
      for (const lesson of module.lessons) {
        position += 1;
        const lessonId = randomUUID();
        const quizId = lesson.quiz
          ? await assessment.createQuiz(tenantId, courseId, lessonId, lesson.quiz)
          : null;
        const imageUrl = (src: string) => {
          const name = stored.get(packagePathOf(lesson.bodyPath, src));
          return name ? fileUrl(name) : '';
        };
        const videoFile = lesson.video?.assetPath ? stored.get(lesson.video.assetPath) : undefined;
        const captions = lesson.video?.captionsPath ? stored.get(lesson.video.captionsPath) : undefined;
        await tx.kysely
          .insertInto('lessons')
          .values({
            id: lessonId,
            tenantId,
            courseId,
            moduleId,
            position,
            slug: lesson.slug,
            title: lesson.title,
            minutes: lesson.minutes,
            bodyHtml: renderLessonMarkdown(lesson.markdown, imageUrl),
            videoTitle: lesson.video?.title ?? null,
            videoFile: videoFile ? fileUrl(videoFile) : null,
            videoUrl: lesson.video?.url ?? null,
            videoCaptions: captions ? fileUrl(captions) : null,
            quizId,
          })
          .execute();
      }
    }
  });
  return { outcome: existing ? 'updated' : 'created', courseId };
}

/** Every package under a path (one package folder, or a folder of them), all validated. */
export function readPackages(path: string): { courses: CoursePackage[]; problems: FileProblem[] } {
  if (!existsSync(path))
    return { courses: [], problems: [{ file: path, line: 1, message: 'Không tìm thấy thư mục.' }] };
  const folders = packageFolders(path);
  if (folders.length === 0) {
    return {
      courses: [],
      problems: [{ file: path, line: 1, message: `Không có gói khóa học nào (thiếu ${MANIFEST}).` }],
    };
  }
  const courses: CoursePackage[] = [];
  const problems: FileProblem[] = [];
  for (const folder of folders) {
    const result = readCoursePackage(folder);
    if (result.course) courses.push(result.course);
    problems.push(...result.problems);
  }
  return { courses, problems };
}
