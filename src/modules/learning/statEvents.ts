import type { Db } from '../../db/database.js';

/** What unit statistics read of learning events: everything that decides a figure, nothing more. */
const STAT_COLUMNS = [
  'id',
  'accountId',
  'verb',
  'objectType',
  'objectId',
  'courseId',
  'unitId',
  'block',
  'occurredAt',
  'result',
] as const;

/** Every event of these learners (in the caller's transaction when it passes one). */
export function statEventsOf(db: Db, accountIds: string[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return db.kysely
    .selectFrom('learningEvents')
    .select(STAT_COLUMNS)
    .where('accountId', 'in', accountIds)
    .execute();
}

/** The learners who have any event in these courses. */
export async function learnersOfCourses(db: Db, tenantId: string, courseIds: string[]) {
  if (courseIds.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('learningEvents')
    .select('accountId')
    .distinct()
    .where('tenantId', '=', tenantId)
    .where('courseId', 'in', courseIds)
    .execute();
  return rows.map((r) => r.accountId);
}

/** The courses each of these people has started. */
export async function startedCourses(db: Db, accountIds: string[]): Promise<Map<string, Set<string>>> {
  const started = new Map<string, Set<string>>();
  if (accountIds.length === 0) return started;
  const rows = await db.kysely
    .selectFrom('courseProgress')
    .select(['accountId', 'courseId'])
    .where('accountId', 'in', accountIds)
    .execute();
  for (const r of rows) started.set(r.accountId, (started.get(r.accountId) ?? new Set()).add(r.courseId));
  return started;
}

/**
 * What a learner's figures need after events in some courses: every event of those courses, and
 * the first event overall, in each group of `courseGroups` (a program's courses) and of a course
 * completion — the earliest of each is all that the wider figures depend on.
 */
export async function statEventsAfter(
  db: Db,
  accountId: string,
  courseIds: string[],
  courseGroups: string[][],
) {
  const first = (courses: string[] | null, completions: boolean) => {
    let query = db.kysely
      .selectFrom('learningEvents')
      .select(STAT_COLUMNS)
      .where('accountId', '=', accountId);
    if (courses) query = query.where('courseId', 'in', courses);
    if (completions) query = query.where('objectType', '=', 'course').where('verb', '=', 'completed');
    return query.orderBy('occurredAt').orderBy('id').limit(1).execute();
  };
  const batches = await Promise.all([
    courseIds.length > 0
      ? db.kysely
          .selectFrom('learningEvents')
          .select(STAT_COLUMNS)
          .where('accountId', '=', accountId)
          .where('courseId', 'in', courseIds)
          .execute()
      : [],
    first(null, false),
    first(null, true),
    ...courseGroups.filter((g) => g.length > 0).map((group) => first(group, false)),
  ]);
  const byId = new Map(batches.flat().map((e) => [e.id, e]));
  return [...byId.values()];
}
