import type { Db } from '../../db/database.js';

/** A lesson one person finished reading: the first time, the last, and how many times. */
export interface LessonFinished {
  lessonId: string;
  courseId: string;
  firstAt: string;
  lastAt: string;
  times: number;
}

/** One person's course progress, as stored: what a learning record lists per course. */
export interface CourseLearned {
  courseId: string;
  lessonsRead: number;
  lessonsTotal: number;
  quizzesPassed: number;
  quizzesTotal: number;
  percent: number;
  startedAt: string;
  completedAt: string | null;
}

/**
 * Every "finished reading" of one person, read from the append-only events (oldest first), and
 * the same folded per lesson. A lesson read in two versions of a course is two lessons.
 */
export async function lessonHistory(
  db: Db,
  tenantId: string,
  accountId: string,
): Promise<{
  readings: { lessonId: string; courseId: string; occurredAt: string }[];
  lessons: LessonFinished[];
}> {
  const readings = await db.kysely
    .selectFrom('learningEvents')
    .select(['objectId as lessonId', 'courseId', 'occurredAt'])
    .where('tenantId', '=', tenantId)
    .where('accountId', '=', accountId)
    .where('verb', '=', 'completed')
    .where('objectType', '=', 'lesson')
    .orderBy('occurredAt')
    .orderBy('id')
    .execute();
  const lessons = new Map<string, LessonFinished>();
  for (const r of readings) {
    const known = lessons.get(r.lessonId);
    if (known) {
      known.lastAt = r.occurredAt;
      known.times += 1;
    } else {
      lessons.set(r.lessonId, {
        lessonId: r.lessonId,
        courseId: r.courseId,
        firstAt: r.occurredAt,
        lastAt: r.occurredAt,
        times: 1,
      });
    }
  }
  return { readings, lessons: [...lessons.values()] };
}

/** The courses one person has begun, in the order they began them. */
export async function coursesLearned(db: Db, tenantId: string, accountId: string): Promise<CourseLearned[]> {
  return db.kysely
    .selectFrom('courseProgress')
    .select([
      'courseId',
      'lessonsRead',
      'lessonsTotal',
      'quizzesPassed',
      'quizzesTotal',
      'percent',
      'startedAt',
      'completedAt',
    ])
    .where('tenantId', '=', tenantId)
    .where('accountId', '=', accountId)
    .orderBy('startedAt')
    .orderBy('courseId')
    .execute();
}
