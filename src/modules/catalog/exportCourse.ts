/**
 * A published course version turned back into a course package (the repo's own format, so
 * another tenant can import it) and into a printable handout. Stored file URLs become package
 * files; file names are content hashes, so an import elsewhere gets the very same names.
 */
import type { FastifyReply } from 'fastify';
import { SLUG_PATTERN } from '../../content/yamlSource.js';
import { notFound } from '../../errors.js';
import { MEDIA_TYPE_OF_EXTENSION } from '../../files/fileStore.js';
import type { AppContext } from '../../web/context.js';
import type { QuestionDraft } from '../assessment/questionDraft.js';
import type { QuizDefinition } from '../assessment/quizFile.js';
import { AssessmentService, type QuizQuestionInput } from '../assessment/service.js';
import { AuthoringService } from './authoring.js';
import type { CoursePackage, LessonPackage, PackageAsset } from './coursePackage.js';
import type { DraftLesson, DraftView } from './draftVersions.js';
import { type HandoutCourse, renderHandoutPdf } from './handoutPdf.js';
import { rewriteImageSources } from './lessonMarkdown.js';

const STORED_NAME = /^[0-9a-f]{64}(-w\d+)?\.[a-z0-9]+$/;

/** The published version of a course as the author sees it, or 404. */
export async function publishedView(ctx: Pick<AppContext, 'db'>, tenantId: string, courseId: string) {
  const authoring = new AuthoringService(ctx.db);
  const course = await authoring.course(tenantId, courseId);
  if (!course?.publishedVersionId) throw notFound('Khóa học này chưa có phiên bản đã xuất bản.');
  return authoring.versionView(ctx.db, tenantId, courseId, course.publishedVersionId);
}

/** A package-safe question id: the bank key without its lesson prefix, made unique in the quiz. */
function packageKeys(lessonSlug: string, keys: string[]): string[] {
  const used = new Set<string>();
  return keys.map((key, index) => {
    let base = key.startsWith(`${lessonSlug}--`) ? key.slice(lessonSlug.length + 2) : key;
    if (!SLUG_PATTERN.test(base)) {
      base = base
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    }
    if (base === '' || !SLUG_PATTERN.test(base)) base = `cau-${index + 1}`;
    let unique = base;
    for (let n = 2; used.has(unique); n++) unique = `${base}-${n}`;
    used.add(unique);
    return unique;
  });
}

export async function exportCoursePackage(
  ctx: Pick<AppContext, 'db' | 'files'>,
  tenantId: string,
  courseId: string,
): Promise<CoursePackage> {
  const view = await publishedView(ctx, tenantId, courseId);
  const assessment = new AssessmentService(ctx.db);
  const assets = new Map<string, PackageAsset>();
  /** The package path of a stored file, added to the package; null for anything else. */
  const asset = (url: string | null | undefined, folder: string): string | null => {
    // Lesson fields hold file URLs (/tep/<name>), covers and question images bare names.
    const name = url?.replace(/^\/tep\//, '');
    if (!name || !STORED_NAME.test(name)) return null;
    const bytes = ctx.files.get(name);
    if (!bytes) return null;
    const path = `${folder}/${name}`;
    const mediaType = MEDIA_TYPE_OF_EXTENSION[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    assets.set(path, { path, mediaType, bytes });
    return path;
  };
  const quizOf = async (lesson: DraftLesson): Promise<QuizDefinition | null> => {
    if (!lesson.quiz) return null;
    const settings = { ...lesson.quiz.settings, source: null };
    const source = lesson.quiz.settings.source;
    if (source && 'allLessons' in source) return { settings: { ...settings, source }, questions: [] };
    const frozen = await assessment.frozenQuestions(lesson.quiz.id);
    const keys = packageKeys(
      lesson.slug,
      frozen.map((q) => q.key),
    );
    return { settings, questions: frozen.map((q, i) => packageQuestion(q, keys[i] as string, asset)) };
  };

  const lessons = view.modules.flatMap((m) => m.lessons);
  const modules: CoursePackage['modules'] = [];
  for (const module of view.modules) {
    const packaged: LessonPackage[] = [];
    for (const lesson of module.lessons.filter((l) => l.kind !== 'final')) {
      const f = lesson.fields;
      const number = String(lessons.indexOf(lesson) + 1).padStart(2, '0');
      const videoFile = asset(f.videoFile, 'videos');
      packaged.push({
        slug: lesson.slug,
        title: lesson.title,
        minutes: f.minutes,
        bodyPath: `lessons/${number}-${lesson.slug}.md`,
        markdown: rewriteImageSources(f.markdown, (src) => {
          const path = asset(src, 'images');
          return path ? `../${path}` : src;
        }),
        quiz: await quizOf(lesson),
        video: f.videoTitle
          ? {
              title: f.videoTitle,
              assetPath: videoFile,
              captionsPath: asset(f.videoCaptions, 'videos'),
              lowBandwidthPath: videoFile ? asset(f.videoLowFile, 'videos') : null,
              url: f.videoUrl,
            }
          : null,
        frameworks: f.frameworks,
        attachments: f.attachments.flatMap((a) => {
          const path = asset(a.file, 'files');
          return path ? [{ title: a.title, assetPath: path }] : [];
        }),
      });
    }
    if (packaged.length > 0) modules.push({ title: module.title, lessons: packaged });
  }
  const final = lessons.find((l) => l.kind === 'final');
  const cover = asset(view.fields.coverFile, 'images');
  return {
    slug: view.slug,
    title: view.fields.title,
    summary: view.fields.summary,
    topic: view.fields.topic,
    blocks: view.fields.blocks,
    lockLessons: view.fields.lockLessons,
    cover: cover ? { assetPath: cover, alt: view.fields.coverAlt ?? '' } : null,
    frameworks: view.fields.frameworks,
    modules,
    finalTest: final ? await quizOf(final) : null,
    assets,
    digest: '',
  };
}

function packageQuestion(
  question: QuizQuestionInput,
  key: string,
  asset: (url: string | null, folder: string) => string | null,
): QuestionDraft {
  const { image: _image, ...draft } = question.draft;
  const path = asset(question.imageFile, 'images');
  return {
    ...draft,
    key,
    ...(path && question.draft.image ? { image: { src: path, alt: question.draft.image.alt } } : {}),
  };
}

/** The course as a printable handout: lessons, then their quiz questions without answers. */
export async function handoutOf(
  ctx: Pick<AppContext, 'db'>,
  view: DraftView,
  tenantName: string,
  versionLabel: string,
): Promise<HandoutCourse> {
  const assessment = new AssessmentService(ctx.db);
  const modules: HandoutCourse['modules'] = [];
  for (const module of view.modules) {
    const lessons: HandoutCourse['modules'][number]['lessons'] = [];
    for (const lesson of module.lessons.filter((l) => l.kind !== 'final')) {
      const questions = lesson.quiz ? await assessment.frozenQuestions(lesson.quiz.id) : [];
      lessons.push({
        title: lesson.title,
        minutes: lesson.fields.minutes,
        markdown: lesson.fields.markdown,
        questions: questions.map((q) => ({
          prompt: q.draft.prompt,
          situation: q.draft.situation,
          body: q.draft.body,
        })),
      });
    }
    if (lessons.length > 0) modules.push({ title: module.title, lessons });
  }
  return { title: view.fields.title, summary: view.fields.summary, tenantName, versionLabel, modules };
}

/** Sends a version's handout PDF; pictures come from the file store. */
export async function sendHandout(
  ctx: Pick<AppContext, 'db' | 'files'>,
  reply: FastifyReply,
  view: DraftView,
  tenantName: string,
  versionLabel: string,
) {
  const handout = await handoutOf(ctx, view, tenantName, versionLabel);
  const pdf = await renderHandoutPdf(handout, async (src) => ctx.files.get(src.replace(/^\/tep\//, '')));
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${view.slug}.pdf"`)
    .send(pdf);
}
