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
