import type { Db } from '../../db/database.js';

/** For each course of a program, the programs it belongs to (in the caller's transaction). */
export async function programsOfCourses(db: Db, tenantId: string): Promise<Map<string, string[]>> {
  const rows = await db.kysely
    .selectFrom('programCourses')
    .innerJoin('programs', 'programs.id', 'programCourses.programId')
    .select(['programCourses.courseId', 'programCourses.programId'])
    .where('programs.tenantId', '=', tenantId)
    .execute();
  const programs = new Map<string, string[]>();
  for (const r of rows) programs.set(r.courseId, [...(programs.get(r.courseId) ?? []), r.programId]);
  return programs;
}

/** These people's assignments (accounts of one tenant), each with the program or course it is for. */
export async function assignmentStates(db: Db, accountIds: string[]) {
  if (accountIds.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('assignments')
    .innerJoin('assignmentRules', 'assignmentRules.id', 'assignments.ruleId')
    .select([
      'assignments.accountId',
      'assignmentRules.programId',
      'assignmentRules.courseId',
      'assignments.cycle',
      'assignments.dueOn',
      'assignments.completedAt',
      'assignments.exemptAt',
      'assignments.leftAt',
    ])
    // By account alone: with the tenant too, SQLite's planner scans the tenant's whole index.
    .where('assignments.accountId', 'in', accountIds)
    .execute();
  return rows.map((r) => ({
    accountId: r.accountId,
    subject: (r.programId ?? r.courseId) as string,
    cycle: r.cycle,
    dueOn: r.dueOn,
    completedAt: r.completedAt,
    exemptAt: r.exemptAt,
    leftAt: r.leftAt,
  }));
}

/** These people's qualifications (accounts of one tenant), revoked ones included (they count for nothing). */
export function qualificationStates(db: Db, accountIds: string[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return (
    db.kysely
      .selectFrom('qualifications')
      .select(['accountId', 'programId', 'expiresOn', 'revokedAt'])
      // By account alone: with the tenant too, SQLite's planner scans the tenant's whole index.
      .where('accountId', 'in', accountIds)
      .execute()
  );
}

/** Whether this person has ever been assigned anything (most learners never are). */
export async function hasAssignments(db: Db, accountId: string): Promise<boolean> {
  const row = await db.kysely
    .selectFrom('assignments')
    .select('id')
    .where('accountId', '=', accountId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
