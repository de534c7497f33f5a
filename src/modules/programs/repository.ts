import { type Kysely, type Selectable, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type {
  AssignmentRuleTable,
  AssignmentTable,
  ProgramCourseTable,
  ProgramTable,
  QualificationTable,
} from './tables.js';

export type ProgramRow = Selectable<ProgramTable>;
export type ProgramCourseRow = Selectable<ProgramCourseTable>;
export type RuleRow = Selectable<AssignmentRuleTable>;
export type AssignmentRow = Selectable<AssignmentTable>;
export type QualificationRow = Selectable<QualificationTable>;
type Q = Kysely<Database> | Transaction<Database>;
/** A query of account ids (see identity's audienceQuery) that narrows counts and lists. */
type PeopleQuery = SelectQueryBuilder<Database, 'accounts' | 'orgUnits', { accountId: string }>;

/** The latest cycle of each (rule, person): what status and counts are about. */
const latestCycle = sql<boolean>`assignments.cycle = (select max(c.cycle) from assignments c
  where c.rule_id = assignments.rule_id and c.account_id = assignments.account_id)`;

export const programsRepository = {
  insertProgram: (q: Q, program: ProgramRow, courses: ProgramCourseRow[]) =>
    q
      .insertInto('programs')
      .values(program)
      .execute()
      .then(() =>
        courses.length > 0 ? q.insertInto('programCourses').values(courses).execute() : undefined,
      ),

  programs: (q: Q, tenantId: string) =>
    q
      .selectFrom('programs')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('archivedAt', 'is', null)
      .orderBy('name')
      .execute(),

  programById: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('programs')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  programBySlug: (q: Q, tenantId: string, slug: string) =>
    q
      .selectFrom('programs')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('slug', '=', slug)
      .executeTakeFirst(),

  coursesOfPrograms: (q: Q, programIds: string[]) =>
    programIds.length === 0
      ? Promise.resolve([])
      : q
          .selectFrom('programCourses')
          .selectAll()
          .where('programId', 'in', programIds)
          .orderBy('position')
          .execute(),

  programsWithCourse: (q: Q, tenantId: string, courseId: string) =>
    q
      .selectFrom('programs')
      .innerJoin('programCourses', 'programCourses.programId', 'programs.id')
      .selectAll('programs')
      .where('programs.tenantId', '=', tenantId)
      .where('programCourses.courseId', '=', courseId)
      .execute(),

  insertRule: (q: Q, rule: RuleRow) => q.insertInto('assignmentRules').values(rule).execute(),
  holdersOfRule: async (q: Q, ruleId: string) =>
    (
      await q.selectFrom('assignments').select('accountId').distinct().where('ruleId', '=', ruleId).execute()
    ).map((r) => r.accountId),

  rules: (q: Q, tenantId: string) =>
    q
      .selectFrom('assignmentRules')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('archivedAt', 'is', null)
      .orderBy('createdAt')
      .execute(),

  ruleById: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('assignmentRules')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  /** Latest-cycle assignments of one person, with their rules. */
  assignmentsOf: (q: Q, accountId: string) =>
    q
      .selectFrom('assignments')
      .innerJoin('assignmentRules', 'assignmentRules.id', 'assignments.ruleId')
      .selectAll('assignments')
      .select(['assignmentRules.programId', 'assignmentRules.courseId'])
      .where('assignments.accountId', '=', accountId)
      .where(latestCycle)
      .orderBy('assignments.dueOn')
      .execute(),

  /** Latest-cycle assignments under one rule (of some people only, if given), a page at a time. */
  assignmentsUnder: (q: Q, ruleId: string, limit: number, offset: number, people?: PeopleQuery) => {
    let query = q.selectFrom('assignments').selectAll().where('ruleId', '=', ruleId).where(latestCycle);
    if (people) query = query.where('accountId', 'in', people);
    return query.orderBy('dueOn').orderBy('accountId').limit(limit).offset(offset).execute();
  },

  /** Per rule: people in the audience (of some people only, if given), completed, exempt, overdue on `today`. */
  ruleCounts: (q: Q, ruleIds: string[], today: string, people?: PeopleQuery) =>
    ruleIds.length === 0
      ? Promise.resolve([])
      : q
          .selectFrom('assignments')
          .select('ruleId')
          .select([
            sql<number>`count(*)`.as('people'),
            sql<number>`sum(case when completed_at is not null then 1 else 0 end)`.as('completed'),
            sql<number>`sum(case when exempt_at is not null and completed_at is null then 1 else 0 end)`.as(
              'exempt',
            ),
            sql<number>`sum(case when completed_at is null and exempt_at is null and due_on < ${today}
              then 1 else 0 end)`.as('overdue'),
          ])
          .where('ruleId', 'in', ruleIds)
          .where('leftAt', 'is', null)
          .where(latestCycle)
          .$if(people !== undefined, (query) => query.where('accountId', 'in', people as PeopleQuery))
          .groupBy('ruleId')
          .execute(),

  assignmentById: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('assignments')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  /** Open assignments under a rule for some people (those with completions to check). */
  openAssignmentsOf: (q: Q, ruleId: string, accountIds: string[]) =>
    accountIds.length === 0
      ? Promise.resolve([])
      : q
          .selectFrom('assignments')
          .selectAll()
          .where('ruleId', '=', ruleId)
          .where('accountId', 'in', accountIds)
          .where('completedAt', 'is', null)
          .where(latestCycle)
          .execute(),

  /** Whether a person has a renewal open (a later cycle not completed): most never do. */
  hasOpenRenewal: async (q: Q, accountId: string) =>
    (await q
      .selectFrom('assignments')
      .select('id')
      .where('accountId', '=', accountId)
      .where('cycle', '>', 1)
      .where('completedAt', 'is', null)
      .limit(1)
      .executeTakeFirst()) !== undefined,

  complete: (q: Q, ids: string[], completedAt: string) =>
    q.updateTable('assignments').set({ completedAt }).where('id', 'in', ids).execute(),

  qualificationsOf: (q: Q, accountId: string) =>
    q
      .selectFrom('qualifications')
      .selectAll()
      .where('accountId', '=', accountId)
      .orderBy('issuedOn', 'desc')
      .execute(),

  insertQualification: (q: Q, row: QualificationRow) =>
    q
      .insertInto('qualifications')
      .values(row)
      .onConflict((oc) => oc.columns(['accountId', 'programId', 'issuedOn']).doNothing())
      .execute(),

  /** Qualifications whose validity ended by `today` and that no later one replaced. */
  lapsed: (q: Q, today: string) =>
    q
      .selectFrom('qualifications')
      .selectAll()
      .where('expiresOn', '<=', today)
      .where('revokedAt', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('qualifications as later')
              .select('later.id')
              .whereRef('later.accountId', '=', 'qualifications.accountId')
              .whereRef('later.programId', '=', 'qualifications.programId')
              .whereRef('later.issuedOn', '>', 'qualifications.issuedOn'),
          ),
        ),
      )
      .execute(),
};
