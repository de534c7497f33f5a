import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** Events that record a completed course, counted. */
const coursesCompleted = () =>
  sql<number>`sum(case when object_type = 'course' and verb = 'completed' then 1 else 0 end)`;

/** What one person did while belonging to one unit, up to some moment. */
export interface UnitActivity {
  unitId: string | null;
  accountId: string;
  coursesCompleted: number;
  quizzesPassed: number;
}

/**
 * Learning activity up to `before` (exclusive, ISO time), per person and the unit they belonged
 * to when they learned. Reports roll these up into whichever structure they show.
 */
export async function activityByUnit(db: Db, tenantId: string, before: string): Promise<UnitActivity[]> {
  const rows = await db.kysely
    .selectFrom('learningEvents')
    .select(['unitId', 'accountId'])
    .select([
      coursesCompleted().as('coursesCompleted'),
      sql<number>`sum(case when verb = 'passed' then 1 else 0 end)`.as('quizzesPassed'),
    ])
    .where('tenantId', '=', tenantId)
    .where('occurredAt', '<', before)
    .groupBy(['unitId', 'accountId'])
    .execute();
  return rows.map((r) => ({
    ...r,
    coursesCompleted: Number(r.coursesCompleted),
    quizzesPassed: Number(r.quizzesPassed),
  }));
}

/** Per tenant: people with any learning record, and courses completed (the national roll-up). */
export async function learningByTenant(
  db: Db,
): Promise<Map<string, { learners: number; coursesCompleted: number }>> {
  const rows = await db.kysely
    .selectFrom('learningEvents')
    .select('tenantId')
    .select([
      sql<number>`count(distinct account_id)`.as('learners'),
      coursesCompleted().as('coursesCompleted'),
    ])
    .groupBy('tenantId')
    .execute();
  return new Map(
    rows.map((r) => [
      r.tenantId,
      { learners: Number(r.learners), coursesCompleted: Number(r.coursesCompleted) },
    ]),
  );
}
