import type { LessonSummary } from '../catalog/service.js';

/** What is known about one learner and one lesson, whatever order the events came in. */
export interface LessonState {
  lessonId: string;
  readAt: string | null;
  quizPassedAt: string | null;
  bestScore: number | null;
  attempts: number;
}

export interface Progress {
  lessonsRead: number;
  quizzesPassed: number;
  lessonsTotal: number;
  quizzesTotal: number;
  percent: number;
  /** When the last requirement was met, or null while any is missing. */
  completedAt: string | null;
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null || b < a ? a : b);

/**
 * The completion rule: every lesson read and every lesson's quiz passed. A pure function of
 * the lesson states, so the stored progress always equals a recomputation from the events.
 */
export function deriveProgress(lessons: LessonSummary[], states: Map<string, LessonState>): Progress {
  let lessonsRead = 0;
  let quizzesPassed = 0;
  let quizzesTotal = 0;
  let lastMet: string | null = null;
  let missing = false;
  // A final test is a step to pass, not a text to read.
  const readable = lessons.filter((l) => l.kind !== 'final');
  for (const lesson of lessons) {
    const state = states.get(lesson.id);
    if (lesson.kind !== 'final') {
      if (state?.readAt) {
        lessonsRead += 1;
        lastMet = later(lastMet, state.readAt);
      } else missing = true;
    }
    if (lesson.quizId) {
      quizzesTotal += 1;
      if (state?.quizPassedAt) {
        quizzesPassed += 1;
        lastMet = later(lastMet, state.quizPassedAt);
      } else missing = true;
    }
  }
  const required = readable.length + quizzesTotal;
  return {
    lessonsRead,
    quizzesPassed,
    lessonsTotal: readable.length,
    quizzesTotal,
    percent: required === 0 ? 0 : Math.floor(((lessonsRead + quizzesPassed) * 100) / required),
    completedAt: missing || required === 0 ? null : lastMet,
  };
}

const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null || b > a ? a : b);

/** Folds events into lesson states: earliest reading, earliest pass, best score, attempt count. */
export function foldEvents(
  events: {
    verb: string;
    objectType: string;
    objectId: string;
    lessonId: string | null;
    occurredAt: string;
    score: number | null;
  }[],
): Map<string, LessonState> {
  const states = new Map<string, LessonState>();
  for (const event of events) {
    if (!event.lessonId) continue;
    const state = states.get(event.lessonId) ?? {
      lessonId: event.lessonId,
      readAt: null,
      quizPassedAt: null,
      bestScore: null,
      attempts: 0,
    };
    if (event.objectType === 'lesson' && event.verb === 'completed')
      state.readAt = earlier(state.readAt, event.occurredAt);
    if (event.objectType === 'quiz') {
      state.attempts += 1;
      state.bestScore = Math.max(state.bestScore ?? 0, event.score ?? 0);
      if (event.verb === 'passed') state.quizPassedAt = earlier(state.quizPassedAt, event.occurredAt);
    }
    states.set(event.lessonId, state);
  }
  return states;
}
