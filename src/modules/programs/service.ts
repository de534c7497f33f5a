import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { type Db, inTransaction } from '../../db/database.js';
import { nowIso, todayInVietnam } from '../../db/time.js';
import { notFound, validationFailed } from '../../errors.js';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import { type AudienceCriteria, audienceQuery, inAudience } from '../identity/audience.js';
import { isBlock } from '../identity/blocks.js';
import type { IdentityService } from '../identity/service.js';
import { type LearningService, newCertificateCode } from '../learning/service.js';
import type { OrgService } from '../org/service.js';
import { programCompletedAt } from './completion.js';
import { addDays, addMonths } from './days.js';
import { checkProgram, checkRule, type ProgramInput, type RuleInput } from './inputs.js';
import { type HeldQualification, heldQualifications } from './qualificationHolders.js';
import {
  type AssignmentRow,
  type ProgramCourseRow,
  type ProgramRow,
  type QualificationRow,
  type RuleRow,
  programsRepository as repo,
} from './repository.js';
import { type AssignmentStatus, statusOf } from './status.js';

export interface Program extends ProgramRow {
  courses: ProgramCourseRow[];
}

/** An assignment as people see it: what, by when, and how far. */
export interface AssignmentView extends AssignmentRow {
  status: AssignmentStatus;
  targetType: 'program' | 'course';
  targetId: string;
}

/** Days before the due date when a rule "N days after joining" has no N (a recertification). */
const RECERTIFY_WITHIN_DAYS = 30;

/**
 * Mandatory training: programs, the rules that assign them (or single courses) to an audience,
 * the assignments that follow, completion, and the qualification a completed program grants.
 */
/** Programs change rarely: which courses they hold is kept this long per tenant. */
const PROGRAM_COURSES_TTL_MS = 10_000;
/** Ids bound in one statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const PEOPLE_PER_QUERY = 5_000;

/** Told which people's assignments or qualifications changed. */
export type AffectedListener = (tenantId: string, accountIds: string[]) => Promise<void>;
/** Told which courses a new program holds. */
export type ProgramsListener = (tenantId: string, courseIds: string[]) => Promise<void>;

export class ProgramService {
  private readonly programCourses = new Map<string, { courses: Set<string>; until: number }>();
  private readonly affectedListeners: AffectedListener[] = [];
  private readonly programsListeners: ProgramsListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly identity: IdentityService,
    private readonly catalog: CatalogService,
    private readonly learning: LearningService,
    private readonly audit: AuditService,
  ) {}

  private get q() {
    return this.db.kysely;
  }

  /** Lets another module follow changes of people's assignments and qualifications (unit statistics). */
  onPeopleAffected(listener: AffectedListener): void {
    this.affectedListeners.push(listener);
  }

  /** Lets another module follow new programs (statistics count a program started with its courses). */
  onProgramsChanged(listener: ProgramsListener): void {
    this.programsListeners.push(listener);
  }

  /** Tells the listeners these people's assignments or qualifications changed. */
  async peopleAffected(tenantId: string, accountIds: string[]): Promise<void> {
    if (accountIds.length === 0) return;
    for (const listener of this.affectedListeners) await listener(tenantId, accountIds);
  }

  // Programs

  async createProgram(tenantId: string, input: ProgramInput): Promise<Program> {
    const published = new Set((await this.catalog.courses(tenantId)).map((c) => c.id));
    const value = checkProgram(input, published);
    if (await repo.programBySlug(this.q, tenantId, value.slug)) {
      throw validationFailed({ name: `Đã có chương trình tên "${value.name}".` });
    }
    const now = nowIso();
    const program: ProgramRow = {
      id: randomUUID(),
      tenantId,
      slug: value.slug,
      name: value.name,
      description: value.description,
      targetBlock: value.targetBlock,
      electivesRequired: value.electivesRequired,
      validityMonths: value.validityMonths,
      createdAt: now,
      updatedAt: now,
      archivedAt: null,
    };
    const courses = value.courses.map((c, position) => ({ programId: program.id, position, ...c }));
    await inTransaction(this.db, (tx) => repo.insertProgram(tx.kysely, program, courses));
    this.programCourses.delete(tenantId);
    for (const listener of this.programsListeners)
      await listener(
        tenantId,
        courses.map((c) => c.courseId),
      );
    return { ...program, courses };
  }

  /** The courses of every program of a tenant, kept a few seconds (this process's programs drop it at once). */
  private async coursesInPrograms(tenantId: string): Promise<Set<string>> {
    const kept = this.programCourses.get(tenantId);
    if (kept && kept.until > Date.now()) return kept.courses;
    const courses = new Set((await this.programs(tenantId)).flatMap((p) => p.courses.map((c) => c.courseId)));
    this.programCourses.set(tenantId, { courses, until: Date.now() + PROGRAM_COURSES_TTL_MS });
    return courses;
  }

  async programs(tenantId: string): Promise<Program[]> {
    return this.withCourses(await repo.programs(this.q, tenantId));
  }

  async program(tenantId: string, id: string): Promise<Program | undefined> {
    const row = await repo.programById(this.q, tenantId, id);
    return row && (await this.withCourses([row]))[0];
  }

  private async withCourses(rows: ProgramRow[]): Promise<Program[]> {
    const courses = await repo.coursesOfPrograms(
      this.q,
      rows.map((r) => r.id),
    );
    return rows.map((row) => ({ ...row, courses: courses.filter((c) => c.programId === row.id) }));
  }

  // Rules

  /** Creates a rule and assigns its audience at once. */
  async createRule(actor: Actor, tenantId: string, input: RuleInput): Promise<RuleRow> {
    const value = checkRule(input, todayInVietnam());
    const unit = await this.org.unit(tenantId, value.unitId);
    if (!unit) throw validationFailed({ unitId: 'Hãy chọn đơn vị.' });
    const target = value.programId
      ? await repo.programById(this.q, tenantId, value.programId)
      : await this.catalog.courseById(tenantId, value.courseId ?? '');
    if (!target) throw validationFailed({ target: 'Hãy chọn chương trình hoặc khóa học.' });
    const rule: RuleRow = {
      id: randomUUID(),
      tenantId,
      ...value,
      createdBy: actor.accountId,
      createdAt: nowIso(),
      archivedAt: null,
    };
    await repo.insertRule(this.q, rule);
    await this.evaluateRule(rule);
    return rule;
  }

  rules(tenantId: string): Promise<RuleRow[]> {
    return repo.rules(this.q, tenantId);
  }

  rule(tenantId: string, id: string): Promise<RuleRow | undefined> {
    return repo.ruleById(this.q, tenantId, id);
  }

  /** The audience of each rule today; a rule over a merged unit follows it into its successor. */
  private async audiencesOf(rules: RuleRow[]): Promise<Map<string, AudienceCriteria>> {
    const tenantId = rules[0]?.tenantId ?? '';
    const units = await this.org.inForceMany(
      tenantId,
      rules.map((r) => r.unitId),
    );
    const audiences = new Map<string, AudienceCriteria>();
    for (const rule of rules) {
      const unit = units.get(rule.unitId);
      if (!unit) continue;
      audiences.set(rule.id, {
        tenantId: rule.tenantId,
        unitPath: unit.path,
        blocks: rule.blocks.split(',').filter(isBlock),
        position: rule.position,
        role: rule.role,
      });
    }
    return audiences;
  }

  /** The due day of an assignment made today under a rule. */
  private dueOf(rule: RuleRow, today: string): string {
    return rule.dueOn ?? addDays(today, rule.dueDays ?? RECERTIFY_WITHIN_DAYS);
  }

  /**
   * Brings one rule's assignments in line with its audience, set-based: newcomers are assigned,
   * people who left are marked (their history stays), people who came back are counted again,
   * and those who already completed the target are marked completed.
   */
  async evaluateRule(rule: RuleRow): Promise<void> {
    const criteria = (await this.audiencesOf([rule])).get(rule.id);
    if (!criteria) return;
    const now = nowIso();
    const today = todayInVietnam();
    await inTransaction(this.db, async (tx) => {
      const q = tx.kysely;
      const audience = () => audienceQuery(q, criteria);
      await q
        .insertInto('assignments')
        .columns(['id', 'tenantId', 'ruleId', 'accountId', 'cycle', 'assignedAt', 'dueOn'])
        .expression(
          audience()
            .clearSelect()
            .select([
              sql<string>`${`${rule.id}:`} || accounts.id || ':1'`.as('id'),
              sql<string>`${rule.tenantId}`.as('tenantId'),
              sql<string>`${rule.id}`.as('ruleId'),
              'accounts.id as accountId',
              sql<number>`1`.as('cycle'),
              sql<string>`${now}`.as('assignedAt'),
              sql<string>`${this.dueOf(rule, today)}`.as('dueOn'),
            ]),
        )
        .onConflict((oc) => oc.columns(['ruleId', 'accountId', 'cycle']).doNothing())
        .execute();
      await q
        .updateTable('assignments')
        .set({ leftAt: now })
        .where('ruleId', '=', rule.id)
        .where('leftAt', 'is', null)
        .where('accountId', 'not in', audience())
        .execute();
      await q
        .updateTable('assignments')
        .set({ leftAt: null })
        .where('ruleId', '=', rule.id)
        .where('leftAt', 'is not', null)
        .where('accountId', 'in', audience())
        .execute();
    });
    await this.syncCompletions(rule);
    await this.peopleAffected(rule.tenantId, await repo.holdersOfRule(this.q, rule.id));
  }

  /** Full re-evaluation of every rule of a tenant (after an import, a merge, or nightly). */
  async evaluateTenant(tenantId: string): Promise<number> {
    const rules = await repo.rules(this.q, tenantId);
    for (const rule of rules) await this.evaluateRule(rule);
    return rules.length;
  }

  /**
   * Incremental: the rules of a tenant against some people who joined or changed (null: anyone,
   * which is a full re-evaluation).
   */
  async evaluatePeople(tenantId: string, accountIds: string[] | null): Promise<void> {
    if (accountIds === null) {
      await this.evaluateTenant(tenantId);
      return;
    }
    const rules = await repo.rules(this.q, tenantId);
    if (rules.length === 0) return;
    const audiences = await this.audiencesOf(rules);
    const today = todayInVietnam();
    for (const accountId of accountIds) {
      const person = await this.identity.account(tenantId, accountId);
      if (!person) continue;
      const [homes, roles] = await Promise.all([
        this.org.unitsByIds(tenantId, person.homeUnitId ? [person.homeUnitId] : []),
        this.identity.rolesOf(accountId),
      ]);
      const homePath = person.homeUnitId ? (homes.get(person.homeUnitId)?.path ?? null) : null;
      const inside = rules.filter((rule) => {
        const audience = audiences.get(rule.id);
        return audience !== undefined && inAudience(person, homePath, roles, audience);
      });
      const outside = rules.filter((rule) => !inside.includes(rule)).map((r) => r.id);
      const now = nowIso();
      if (inside.length > 0) {
        await this.q
          .insertInto('assignments')
          .values(
            inside.map((rule) => ({
              id: `${rule.id}:${accountId}:1`,
              tenantId,
              ruleId: rule.id,
              accountId,
              cycle: 1,
              assignedAt: now,
              dueOn: this.dueOf(rule, today),
              leftAt: null,
              completedAt: null,
              exemptAt: null,
              exemptReason: null,
              exemptBy: null,
            })),
          )
          .onConflict((oc) => oc.columns(['ruleId', 'accountId', 'cycle']).doNothing())
          .execute();
        await this.markLeft(
          accountId,
          inside.map((r) => r.id),
          null,
        );
        await this.syncPersonCompletions(tenantId, accountId, inside);
      }
      if (outside.length > 0) await this.markLeft(accountId, outside, now);
    }
  }

  /** Marks a person out of (a time) or back in (null) the audiences of these rules. */
  private markLeft(accountId: string, ruleIds: string[], leftAt: string | null) {
    return this.q
      .updateTable('assignments')
      .set({ leftAt })
      .where('accountId', '=', accountId)
      .where('ruleId', 'in', ruleIds)
      .where('leftAt', leftAt === null ? 'is not' : 'is', null)
      .execute();
  }

  /** One person's completions against the rules they fall under: one query when they have none. */
  private async syncPersonCompletions(tenantId: string, accountId: string, rules: RuleRow[]): Promise<void> {
    const programs = await this.withCourses(
      (await repo.programs(this.q, tenantId)).filter((p) => rules.some((r) => r.programId === p.id)),
    );
    const courseIds = [
      ...rules.flatMap((r) => (r.courseId ? [r.courseId] : [])),
      ...programs.flatMap((p) => p.courses.map((c) => c.courseId)),
    ];
    if ((await this.learning.completions(tenantId, courseIds, [accountId])).length === 0) return;
    for (const rule of rules) await this.syncCompletions(rule, [accountId]);
  }

  // Completion

  /** The course ids a rule's target needs, and how to tell when a person completed it. */
  private async targetOf(rule: Pick<RuleRow, 'tenantId' | 'programId' | 'courseId'>) {
    if (rule.courseId) {
      const courseId = rule.courseId;
      return {
        courseIds: [courseId],
        completedAt: (done: Map<string, string>) => done.get(courseId) ?? null,
        program: undefined,
      };
    }
    const program = await this.program(rule.tenantId, rule.programId ?? '');
    return {
      courseIds: program?.courses.map((c) => c.courseId) ?? [],
      completedAt: (done: Map<string, string>) => (program ? programCompletedAt(program, done) : null),
      program,
    };
  }

  /**
   * Marks completed the open assignments of a rule whose people completed its target. A first
   * cycle counts course completions; a recertification counts quizzes passed since it opened.
   */
  private async syncCompletions(rule: RuleRow, accountIds?: string[]): Promise<void> {
    const target = await this.targetOf(rule);
    const completions = await this.learning.completions(rule.tenantId, target.courseIds, accountIds);
    const byPerson = new Map<string, Map<string, string>>();
    for (const c of completions) {
      const done = byPerson.get(c.accountId) ?? new Map<string, string>();
      done.set(c.courseId, c.completedAt);
      byPerson.set(c.accountId, done);
    }
    // A province has more people than one statement may bind: they are looked up in slices.
    const people = [...byPerson.keys()];
    for (let i = 0; i < people.length; i += PEOPLE_PER_QUERY) {
      const open = await repo.openAssignmentsOf(this.q, rule.id, people.slice(i, i + PEOPLE_PER_QUERY));
      for (const assignment of open) {
        const done =
          assignment.cycle === 1
            ? (byPerson.get(assignment.accountId) as Map<string, string>)
            : await this.learning.quizPassesSince(
                assignment.accountId,
                target.courseIds,
                assignment.assignedAt,
              );
        const at = target.completedAt(done);
        if (at) await repo.complete(this.q, [assignment.id], at);
      }
    }
  }

  /**
   * After a learner passes a quiz: a recertification (an assignment of a later cycle) may now be
   * complete, and with it the program's qualification renewed.
   */
  async quizPassed(tenantId: string, accountId: string, courseId: string): Promise<void> {
    // Every passed quiz comes here (an exam rush: hundreds a second), so the common answers cost
    // no query: a course in no program, then one indexed look-up for a renewal.
    if (!(await this.coursesInPrograms(tenantId)).has(courseId)) return;
    if (!(await repo.hasOpenRenewal(this.q, accountId))) return;
    const renewals = (await repo.assignmentsOf(this.q, accountId)).filter(
      (a) => a.cycle > 1 && a.completedAt === null && a.leftAt === null,
    );
    let renewed = false;
    for (const assignment of renewals) {
      const rule = await this.rule(tenantId, assignment.ruleId);
      if (!rule) continue;
      const target = await this.targetOf(rule);
      if (!target.courseIds.includes(courseId)) continue;
      const passes = await this.learning.quizPassesSince(accountId, target.courseIds, assignment.assignedAt);
      const at = target.completedAt(passes);
      if (!at) continue;
      await repo.complete(this.q, [assignment.id], at);
      if (target.program) await this.qualify(tenantId, accountId, target.program, at);
      renewed = true;
    }
    if (renewed) await this.peopleAffected(tenantId, [accountId]);
  }

  /**
   * After a learner completes a course: their assignments of that course, and of programs that
   * contain it, are checked; a program now complete grants its qualification.
   */
  async courseCompleted(tenantId: string, accountId: string, courseId: string): Promise<void> {
    const programs = await this.withCourses(await repo.programsWithCourse(this.q, tenantId, courseId));
    const rules = (await repo.rules(this.q, tenantId)).filter(
      (r) => r.courseId === courseId || programs.some((p) => p.id === r.programId),
    );
    for (const rule of rules) await this.syncCompletions(rule, [accountId]);
    // A first qualification only: renewing one needs quizzes passed again (see quizPassed).
    const held = new Set((await repo.qualificationsOf(this.q, accountId)).map((q) => q.programId));
    for (const program of programs.filter((p) => !held.has(p.id))) {
      const done = new Map(
        (
          await this.learning.completions(
            tenantId,
            program.courses.map((c) => c.courseId),
            [accountId],
          )
        ).map((c) => [c.courseId, c.completedAt]),
      );
      const at = programCompletedAt(program, done);
      if (at) await this.qualify(tenantId, accountId, program, at);
    }
    await this.peopleAffected(tenantId, [accountId]);
  }

  /** Grants the program's qualification unless one is still valid. */
  private async qualify(
    tenantId: string,
    accountId: string,
    program: Program,
    completedAt: string,
  ): Promise<void> {
    const today = todayInVietnam();
    const held = await repo.qualificationsOf(this.q, accountId);
    const valid = held.some(
      (h) =>
        h.programId === program.id && h.revokedAt === null && (h.expiresOn === null || h.expiresOn > today),
    );
    if (valid) return;
    const person = await this.identity.account(tenantId, accountId);
    if (!person) return;
    const issuedOn = todayInVietnam(new Date(completedAt));
    const row: QualificationRow = {
      id: randomUUID(),
      code: newCertificateCode(),
      tenantId,
      accountId,
      programId: program.id,
      holderName: person.fullName,
      programName: program.name,
      targetBlock: program.targetBlock,
      issuedOn,
      expiresOn: program.validityMonths ? addMonths(issuedOn, program.validityMonths) : null,
      issuedAt: nowIso(),
      revokedAt: null,
      revokedReason: null,
    };
    await repo.insertQualification(this.q, row);
  }

  qualificationsOf(accountId: string): Promise<QualificationRow[]> {
    return repo.qualificationsOf(this.q, accountId);
  }

  /**
   * Where each of these people stands on `today`: their most telling qualification (a valid one
   * first), absent for people who never held one. See `heldQualifications`.
   */
  qualificationsOfPeople(
    tenantId: string,
    accountIds: readonly string[],
    today: string = todayInVietnam(),
  ): Promise<Map<string, HeldQualification>> {
    return heldQualifications(this.db, tenantId, accountIds, today);
  }

  /**
   * Qualifications that lapsed by `today` open a new cycle of every program assignment the
   * person still falls under: the status turns to "needs recertification" and the rule assigns
   * the program again. Idempotent: a cycle is opened once.
   */
  async expireQualifications(today: string = todayInVietnam()): Promise<number> {
    let reassigned = 0;
    const affected = new Map<string, string[]>();
    for (const lapsed of await repo.lapsed(this.q, today)) {
      const rules = (await repo.rules(this.q, lapsed.tenantId)).filter(
        (r) => r.programId === lapsed.programId,
      );
      const current = await repo.assignmentsOf(this.q, lapsed.accountId);
      for (const rule of rules) {
        const latest = current.find((a) => a.ruleId === rule.id);
        if (!latest || latest.leftAt !== null || latest.completedAt === null) continue;
        const cycle = latest.cycle + 1;
        const result = await this.q
          .insertInto('assignments')
          .values({
            id: `${rule.id}:${lapsed.accountId}:${cycle}`,
            tenantId: lapsed.tenantId,
            ruleId: rule.id,
            accountId: lapsed.accountId,
            cycle,
            assignedAt: nowIso(),
            dueOn: addDays(today, rule.dueDays ?? RECERTIFY_WITHIN_DAYS),
            leftAt: null,
            completedAt: null,
            exemptAt: null,
            exemptReason: null,
            exemptBy: null,
          })
          .onConflict((oc) => oc.columns(['ruleId', 'accountId', 'cycle']).doNothing())
          .executeTakeFirst();
        reassigned += Number(result.numInsertedOrUpdatedRows ?? 0);
        affected.set(lapsed.tenantId, [...(affected.get(lapsed.tenantId) ?? []), lapsed.accountId]);
      }
    }
    for (const [tenantId, accountIds] of affected) await this.peopleAffected(tenantId, accountIds);
    return reassigned;
  }

  // Status

  /** A person's current assignments (latest cycle), with status, soonest due first. */
  async assignmentsOf(accountId: string): Promise<AssignmentView[]> {
    const rows = (await repo.assignmentsOf(this.q, accountId)).filter((r) => r.leftAt === null);
    if (rows.length === 0) return [];
    // One look at the courses the person has begun serves every assignment's status.
    const begun = new Set((await this.learning.coursesOf(accountId)).map((c) => c.courseId));
    const today = todayInVietnam();
    const views: AssignmentView[] = [];
    for (const row of rows) {
      const target = await this.targetOf(row);
      views.push({
        ...row,
        status: statusOf(
          row,
          target.courseIds.some((id) => begun.has(id)),
          today,
        ),
        targetType: row.programId ? 'program' : 'course',
        targetId: (row.programId ?? row.courseId) as string,
      });
    }
    return views;
  }

  /** Counts per rule: people in the audience, completed, exempt, overdue today; only those within a subtree if given. */
  ruleCounts(ruleIds: string[], within?: { tenantId: string; path: string }) {
    return repo.ruleCounts(this.q, ruleIds, todayInVietnam(), within && this.peopleWithin(within));
  }

  /** Everyone whose unit lies in a subtree: how a manager's view of a wider rule is narrowed. */
  private peopleWithin(within: { tenantId: string; path: string }) {
    return audienceQuery(this.q, {
      tenantId: within.tenantId,
      unitPath: within.path,
      blocks: [],
      position: null,
      role: null,
    });
  }

  /** The people of a rule with their status, a page at a time. */
  async ruleAssignments(
    rule: RuleRow,
    page: number,
    pageSize: number,
    within?: { tenantId: string; path: string },
  ): Promise<AssignmentView[]> {
    const rows = await repo.assignmentsUnder(
      this.q,
      rule.id,
      pageSize,
      (page - 1) * pageSize,
      within && this.peopleWithin(within),
    );
    const target = await this.targetOf(rule);
    const started = await this.learning.startedAmong(
      rows.map((r) => r.accountId),
      target.courseIds,
    );
    const today = todayInVietnam();
    return rows.map((row) => ({
      ...row,
      status: statusOf(row, started.has(row.accountId), today),
      targetType: rule.programId ? 'program' : 'course',
      targetId: (rule.programId ?? rule.courseId) as string,
    }));
  }

  /** Exempts one person from one assignment, with a reason; audited. */
  async exempt(actor: Actor, tenantId: string, assignmentId: string, reason: string): Promise<void> {
    const assignment = await repo.assignmentById(this.q, tenantId, assignmentId);
    if (!assignment) throw notFound('Không tìm thấy việc được giao này.');
    const why = reason.trim();
    if (why.length < 5 || why.length > 500)
      throw validationFailed({ reason: 'Lý do miễn cần từ 5 đến 500 ký tự.' });
    const person = await this.identity.account(tenantId, assignment.accountId);
    await inTransaction(this.db, async (tx) => {
      await tx.kysely
        .updateTable('assignments')
        .set({ exemptAt: nowIso(), exemptReason: why, exemptBy: actor.accountId })
        .where('id', '=', assignment.id)
        .execute();
      await this.audit.record(tx, {
        tenantId,
        actor,
        action: 'assignment.exempted',
        subject: { type: 'account', id: assignment.accountId, label: person?.fullName ?? '' },
        unitId: person?.homeUnitId ?? null,
        details: { assignmentId: assignment.id, reason: why },
      });
    });
    await this.peopleAffected(tenantId, [assignment.accountId]);
  }
}
