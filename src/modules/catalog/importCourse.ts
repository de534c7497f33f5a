import { basename } from 'node:path';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { type FileStore, imageVariant } from '../../files/fileStore.js';
import { QuestionBankService } from '../assessment/bankService.js';
import type { QuizSettings } from '../assessment/quizSettings.js';
import { AuthoringService } from './authoring.js';
import { type CoursePackage, packagePathOf } from './coursePackage.js';
import { type CourseFields, FINAL_TEST_SLUG, fileUrl } from './draftVersions.js';
import { rewriteImageSources } from './lessonMarkdown.js';

/**
 * Stores a package file. A picture exported from an authored course keeps its stored name
 * (`<hash>-w960.webp`), and its phone-sized variant is made again, so the lessons that link
 * to it read the same in every tenant.
 */
async function storeAsset(files: FileStore, path: string, bytes: Buffer, mediaType: string): Promise<string> {
  const name = basename(path);
  if (!/^[0-9a-f]{64}-w960\.webp$/.test(name)) return files.put(bytes, mediaType);
  files.putNamed(name, bytes);
  // sharp is loaded only here: most packages carry no such pictures, and it is large.
  const { default: sharp } = await import('sharp');
  const small = await sharp(bytes).resize({ width: 480, withoutEnlargement: true }).webp().toBuffer();
  files.putNamed(imageVariant(name, 480), small);
  return name;
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged';

/** The bank that holds a packaged course's questions; its questions are keyed by lesson. */
export const packageBankName = (courseSlug: string) => `Khóa học ${courseSlug}`;
export const packageQuestionKey = (lessonSlug: string, key: string) => `${lessonSlug}--${key}`;

/**
 * Loads a validated package into a tenant and publishes it as the course's next version, in
 * one transaction. The same package again changes nothing. Learners who started an earlier
 * version keep it: their records point at its lessons and questions.
 */
export async function importCourse(
  deps: { db: Db; files: FileStore },
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
  // Files are content-addressed: storing them before the transaction can leave at most an unused file.
  const stored = new Map<string, string>();
  for (const [path, asset] of course.assets)
    stored.set(path, await storeAsset(deps.files, path, asset.bytes, asset.mediaType));
  const url = (path: string | null | undefined) => {
    const name = path ? stored.get(path) : undefined;
    return name ? fileUrl(name) : null;
  };
  const fields: CourseFields = {
    title: course.title,
    summary: course.summary,
    topic: course.topic,
    blocks: course.blocks,
    lockLessons: course.lockLessons,
    coverFile: course.cover ? (stored.get(course.cover.assetPath) ?? null) : null,
    coverAlt: course.cover?.alt ?? null,
    frameworks: course.frameworks,
  };

  const courseId = await inTransaction(deps.db, async (tx) => {
    const authoring = new AuthoringService(tx);
    const id = existing?.id ?? (await authoring.createCourse(tenantId, course.slug, fields));
    await authoring.replaceDraft(tenantId, id, fields);
    const lessons = course.modules.flatMap((m) => m.lessons);
    const questions = lessons.flatMap((lesson) =>
      (lesson.quiz?.questions ?? []).map((draft) => ({
        draft: { ...draft, key: packageQuestionKey(lesson.slug, draft.key ?? '') },
        imageFile: draft.image ? (stored.get(draft.image.src) ?? null) : null,
      })),
    );
    const banks = new QuestionBankService(tx);
    const bankName = packageBankName(course.slug);
    if (questions.length > 0) await banks.importQuestions(tenantId, bankName, questions);
    const bank = await banks.ensureBank(tenantId, bankName);
    const idOfKey = new Map(
      (await banks.pool(tenantId, bank.id, null, null)).map((q) => [q.key, q.id] as const),
    );
    for (const module of course.modules) {
      const moduleId = await authoring.addModule(tenantId, id, module.title);
      for (const lesson of module.lessons) {
        const lessonId = await authoring.addLesson(tenantId, id, moduleId, lesson.slug, lesson.title);
        const video = lesson.video;
        await authoring.updateLesson(tenantId, id, lessonId, {
          title: lesson.title,
          minutes: lesson.minutes,
          markdown: rewriteImageSources(
            lesson.markdown,
            (src) => url(packagePathOf(lesson.bodyPath, src)) ?? src,
          ),
          videoTitle: video?.title ?? null,
          videoUrl: video?.url ?? null,
          videoFile: url(video?.assetPath),
          videoCaptions: url(video?.captionsPath),
          videoLowFile: url(video?.lowBandwidthPath),
          attachments: lesson.attachments.map((a) => ({ title: a.title, file: url(a.assetPath) ?? '' })),
          frameworks: lesson.frameworks,
        });
        if (lesson.quiz) {
          const settings: QuizSettings = {
            ...lesson.quiz.settings,
            source: {
              bankId: bank.id,
              questionIds: lesson.quiz.questions.map(
                (q) => idOfKey.get(packageQuestionKey(lesson.slug, q.key ?? '')) as string,
              ),
            },
          };
          await authoring.setQuiz(tenantId, id, lessonId, settings);
        }
      }
    }
    if (course.finalTest) {
      const own = course.finalTest.questions;
      if (own.length > 0) {
        await banks.importQuestions(
          tenantId,
          bankName,
          own.map((draft) => ({
            draft: { ...draft, key: packageQuestionKey(FINAL_TEST_SLUG, draft.key ?? '') },
            imageFile: draft.image ? (stored.get(draft.image.src) ?? null) : null,
          })),
        );
        const ids = new Map(
          (await banks.pool(tenantId, bank.id, null, null)).map((q) => [q.key, q.id] as const),
        );
        const questionIds = own.map(
          (q) => ids.get(packageQuestionKey(FINAL_TEST_SLUG, q.key ?? '')) as string,
        );
        await authoring.setFinalTest(tenantId, id, course.finalTest.settings);
        const draft = await authoring.draft(tenantId, id);
        const final = draft.modules.flatMap((m) => m.lessons).find((l) => l.kind === 'final');
        await authoring.setQuiz(tenantId, id, final?.id as string, {
          ...course.finalTest.settings,
          source: { bankId: bank.id, questionIds },
        });
      } else await authoring.setFinalTest(tenantId, id, course.finalTest.settings);
    }
    await authoring.publish(tenantId, id, null, course.digest);
    return id;
  });
  return { outcome: existing ? 'updated' : 'created', courseId };
}
