/** What publishing a draft would change, and what stops it: in words an author can act on. */
import type { QuizSettings } from '../assessment/quizSettings.js';
import type { DraftLesson, DraftView } from './draftVersions.js';

/** What publishing would change, and what must be fixed first. */
export interface PublishCheck {
  changes: string[];
  problems: string[];
}

/** A final course test that draws from the questions of every lesson's quiz. */
export const fromAllLessons = (lesson: DraftLesson): boolean => {
  const source = lesson.quiz?.settings.source;
  return source !== null && source !== undefined && 'allLessons' in source;
};

export type Pools = Map<
  string,
  { key: string; draft: { explanation: string; tags: string[]; difficulty: string | null } }[]
>;

/** Everything that stops a draft from being published, in words an author can act on. */
export function publishProblems(draft: DraftView, pools: Pools): string[] {
  const problems: string[] = [];
  const lessons = draft.modules.flatMap((m) => m.lessons);
  if (lessons.filter((l) => l.kind !== 'final').length === 0) problems.push('Khóa học chưa có bài học nào.');
  for (const module of draft.modules) {
    if (module.lessons.length === 0) problems.push(`Phần "${module.title}" chưa có bài học nào.`);
  }
  for (const lesson of lessons) {
    if (lesson.kind !== 'final' && lesson.fields.markdown.trim() === '') {
      problems.push(`Bài "${lesson.title}" chưa có nội dung.`);
    }
    const quiz = lesson.quiz;
    if (!quiz) continue;
    if (fromAllLessons(lesson)) {
      const total = lessons.reduce(
        (sum, l) => sum + (l.kind === 'final' ? 0 : (pools.get(l.id)?.length ?? 0)),
        0,
      );
      problems.push(...drawProblems(lesson.title, quiz.settings, total, null));
      continue;
    }
    const pool = pools.get(lesson.id) ?? [];
    if (!quiz.settings.source) problems.push(`Bài kiểm tra của bài "${lesson.title}" chưa chọn câu hỏi.`);
    else if (pool.length === 0) problems.push(`Bài kiểm tra của bài "${lesson.title}" chưa có câu hỏi nào.`);
    const unexplained = pool.filter((q) => q.draft.explanation.trim() === '').length;
    if (unexplained > 0) {
      problems.push(
        `Bài kiểm tra của bài "${lesson.title}" có ${unexplained} câu hỏi chưa có lời giải thích.`,
      );
    }
    problems.push(...drawProblems(lesson.title, quiz.settings, pool.length, pool));
  }
  return problems;
}

/**
 * A draw rule is safe when it has enough questions even after every earlier rule that shares
 * questions with it took its own count from them; so every attempt gets all its questions.
 */
function drawProblems(
  title: string,
  settings: QuizSettings,
  total: number,
  pool: { draft: { tags: string[]; difficulty: string | null } }[] | null,
): string[] {
  if (!settings.draws) return [];
  const matches = (rule: { tags: string[]; difficulty: string | null }) =>
    pool
      ? new Set(
          pool.flatMap((q, i) =>
            rule.tags.every((t) => q.draft.tags.includes(t)) &&
            (rule.difficulty === null || rule.difficulty === q.draft.difficulty)
              ? [i]
              : [],
          ),
        )
      : new Set(Array.from({ length: total }, (_, i) => i));
  const problems: string[] = [];
  const sets = settings.draws.map(matches);
  for (const [index, rule] of settings.draws.entries()) {
    const own = sets[index] as Set<number>;
    const taken = settings.draws
      .slice(0, index)
      .reduce(
        (sum, earlier, j) =>
          sum + ([...(sets[j] as Set<number>)].some((q) => own.has(q)) ? earlier.count : 0),
        0,
      );
    if (rule.count > own.size - taken) {
      problems.push(
        `Bài kiểm tra của "${title}": quy tắc rút ${rule.count} câu chỉ chắc chắn có ${Math.max(0, own.size - taken)} câu phù hợp.`,
      );
    }
  }
  return problems;
}

/** The differences between the published version and the draft, one line each. */
export function describeChanges(published: DraftView | null, draft: DraftView, pools: Pools): string[] {
  if (!published) return ['Xuất bản lần đầu.'];
  const changes: string[] = [];
  const a = published.fields;
  const b = draft.fields;
  if (a.title !== b.title) changes.push(`Tên khóa học: "${a.title}" → "${b.title}".`);
  if (a.summary !== b.summary) changes.push('Sửa phần giới thiệu khóa học.');
  if (a.topic !== b.topic) changes.push('Đổi chủ đề.');
  if (a.blocks.join() !== b.blocks.join()) changes.push('Đổi đối tượng học.');
  if (a.lockLessons !== b.lockLessons)
    changes.push(b.lockLessons ? 'Bật học theo thứ tự.' : 'Tắt học theo thứ tự.');
  if (a.coverFile !== b.coverFile) changes.push('Đổi ảnh bìa.');
  if (a.frameworks.join() !== b.frameworks.join()) changes.push('Đổi gắn khung năng lực của khóa học.');
  const before = new Map(published.modules.flatMap((m) => m.lessons).map((l) => [l.slug, l]));
  const after = draft.modules.flatMap((m) => m.lessons);
  for (const lesson of after) {
    const old = before.get(lesson.slug);
    if (!old) {
      changes.push(`Thêm bài "${lesson.title}".`);
      continue;
    }
    if (JSON.stringify(old.fields) !== JSON.stringify(lesson.fields))
      changes.push(`Sửa bài "${lesson.title}".`);
    const { source: oldSource, ...oldSettings } = old.quiz?.settings ?? { source: null };
    const { source: newSource, ...newSettings } = lesson.quiz?.settings ?? { source: null };
    if (!old.quiz && lesson.quiz) changes.push(`Thêm bài kiểm tra cho bài "${lesson.title}".`);
    else if (old.quiz && !lesson.quiz) changes.push(`Bỏ bài kiểm tra của bài "${lesson.title}".`);
    else if (JSON.stringify(oldSettings) !== JSON.stringify(newSettings)) {
      changes.push(`Đổi cài đặt bài kiểm tra của bài "${lesson.title}".`);
    }
    if (lesson.quiz && JSON.stringify(oldSource) !== JSON.stringify(newSource)) {
      changes.push(`Đổi nguồn câu hỏi của bài "${lesson.title}" (${pools.get(lesson.id)?.length ?? 0} câu).`);
    }
  }
  const slugs = new Set(after.map((l) => l.slug));
  for (const [slug, lesson] of before) if (!slugs.has(slug)) changes.push(`Bỏ bài "${lesson.title}".`);
  const order = (view: DraftView) =>
    view.modules
      .flatMap((m) => m.lessons.map((l) => `${m.title}/${l.slug}`))
      .filter((key) => before.has(key.split('/')[1] as string) && slugs.has(key.split('/')[1] as string))
      .join();
  if (order(published) !== order(draft)) changes.push('Đổi thứ tự hoặc cách chia phần của các bài.');
  changes.push('Câu hỏi của các bài kiểm tra được lấy theo nội dung hiện tại của ngân hàng câu hỏi.');
  return changes;
}
