import { Document, isNode, isScalar, isSeq, visit } from 'yaml';
import type { QuestionBody, QuestionDraft } from '../assessment/questionDraft.js';
import type { QuizDefinition } from '../assessment/quizFile.js';
import { type CoursePackage, type LessonPackage, MANIFEST } from './coursePackage.js';

const FINAL_TEST_PATH = 'quizzes/cuoi-khoa.yaml';

/**
 * The files of a course package (package-relative path → bytes) that read back as the same
 * package with the same digest. Lesson bodies keep their path, since the image links in them are
 * relative to it; quizzes are named after their lesson's number and slug.
 */
export function writeCoursePackage(pkg: CoursePackage): Map<string, Buffer> {
  const lessons = pkg.modules.flatMap((m) => m.lessons);
  const quizPaths = new Map(
    lessons.map((lesson, index) => [
      lesson,
      `quizzes/${String(index + 1).padStart(2, '0')}-${lesson.slug}.yaml`,
    ]),
  );
  const files = new Map<string, Buffer>([[MANIFEST, yamlFile(manifestOf(pkg, quizPaths))]]);
  for (const lesson of lessons) {
    files.set(lesson.bodyPath, Buffer.from(lesson.markdown, 'utf8'));
    const quizPath = quizPaths.get(lesson);
    if (lesson.quiz && quizPath) files.set(quizPath, yamlFile(quizOf(lesson.quiz)));
  }
  if (pkg.finalTest) files.set(FINAL_TEST_PATH, yamlFile(quizOf(pkg.finalTest)));
  for (const asset of pkg.assets.values()) files.set(asset.path, asset.bytes);
  return files;
}

function manifestOf(pkg: CoursePackage, quizPaths: Map<LessonPackage, string>) {
  return {
    slug: pkg.slug,
    title: pkg.title,
    summary: pkg.summary,
    topic: pkg.topic,
    blocks: pkg.blocks,
    lockLessons: pkg.lockLessons,
    ...(pkg.cover ? { cover: pkg.cover.assetPath, coverAlt: pkg.cover.alt } : {}),
    ...(pkg.frameworks.length > 0 ? { frameworks: pkg.frameworks } : {}),
    ...(pkg.finalTest ? { finalTest: FINAL_TEST_PATH } : {}),
    modules: pkg.modules.map((module) => ({
      title: module.title,
      lessons: module.lessons.map((lesson) =>
        lessonOf(lesson, lesson.quiz ? quizPaths.get(lesson) : undefined),
      ),
    })),
  };
}

function lessonOf(lesson: LessonPackage, quizPath: string | undefined) {
  const video = lesson.video;
  return {
    slug: lesson.slug,
    title: lesson.title,
    minutes: lesson.minutes,
    ...(lesson.frameworks.length > 0 ? { frameworks: lesson.frameworks } : {}),
    body: lesson.bodyPath,
    ...(quizPath ? { quiz: quizPath } : {}),
    ...(video
      ? {
          video: {
            title: video.title,
            ...(video.assetPath ? { file: video.assetPath } : {}),
            ...(video.lowBandwidthPath ? { lowBandwidth: video.lowBandwidthPath } : {}),
            ...(video.captionsPath ? { captions: video.captionsPath } : {}),
            ...(video.url ? { url: video.url } : {}),
          },
        }
      : {}),
    ...(lesson.attachments.length > 0
      ? { attachments: lesson.attachments.map((a) => ({ file: a.assetPath, title: a.title })) }
      : {}),
  };
}

/** Every setting is written, so an exported quiz keeps its meaning if the defaults ever change. */
function quizOf(quiz: QuizDefinition) {
  const s = quiz.settings;
  return {
    passPercent: s.passPercent,
    ...(s.maxAttempts !== null ? { maxAttempts: s.maxAttempts } : {}),
    ...(s.timeLimitMinutes !== null ? { timeLimitMinutes: s.timeLimitMinutes } : {}),
    shuffleQuestions: s.shuffleQuestions,
    shuffleOptions: s.shuffleOptions,
    feedback: s.feedback,
    partialCredit: s.partialCredit,
    ...(s.draws
      ? {
          draws: s.draws.map((rule) => ({
            count: rule.count,
            ...(rule.tags.length > 0 ? { tags: rule.tags } : {}),
            ...(rule.difficulty ? { difficulty: rule.difficulty } : {}),
          })),
        }
      : {}),
    ...(quiz.questions.length > 0 ? { questions: questionsOf(quiz.questions) } : {}),
  };
}

function questionsOf(questions: QuestionDraft[]) {
  const used = new Set(questions.flatMap((q) => (q.key ? [q.key] : [])));
  // Packages need an id on every question; a question made elsewhere may have none.
  const newKey = () => {
    let n = used.size + 1;
    while (used.has(`cau-${n}`)) n += 1;
    used.add(`cau-${n}`);
    return `cau-${n}`;
  };
  return questions.map((q) => ({
    id: q.key ?? newKey(),
    ...(q.difficulty ? { difficulty: q.difficulty } : {}),
    ...(q.tags.length > 0 ? { tags: q.tags } : {}),
    ...(q.frameworks.length > 0 ? { frameworks: q.frameworks } : {}),
    ...(q.situation ? { situation: q.situation } : {}),
    prompt: q.prompt,
    ...(q.image ? { image: q.image.src, imageAlt: q.image.alt } : {}),
    kind: q.body.kind,
    ...bodyOf(q.body),
    explanation: q.explanation,
  }));
}

function bodyOf(body: QuestionBody) {
  switch (body.kind) {
    case 'single':
    case 'multiple':
      return { options: body.options.map((o) => (o.correct ? { text: o.text, correct: true } : o.text)) };
    case 'trueFalse':
      return { answer: body.answer };
    case 'matching':
      return { pairs: body.pairs.map((p) => ({ left: p.left, right: p.right })) };
    case 'ordering':
      return { items: body.items };
    case 'numeric':
      return { answer: body.answer, ...(body.tolerance !== 0 ? { tolerance: body.tolerance } : {}) };
  }
}

/** YAML as an author would write it: short lists on one line, a blank line between questions. */
function yamlFile(value: object): Buffer {
  const doc = new Document(value);
  visit(doc, {
    Seq(_key, seq) {
      const texts = seq.items.map((item) => (isScalar(item) ? String(item.value) : null));
      if (texts.every((t) => t !== null) && texts.join(', ').length <= 60) seq.flow = true;
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === 'questions' && isSeq(pair.value)) {
        for (const item of pair.value.items.slice(1)) {
          if (isNode(item)) item.spaceBefore = true;
        }
      }
    },
  });
  return Buffer.from(doc.toString({ lineWidth: 100, flowCollectionPadding: false }), 'utf8');
}
