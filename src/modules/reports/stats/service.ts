import { sql } from 'kysely';
import { type Db, inTransaction } from '../../../db/database.js';
import { peopleCount, peoplePage, peopleStates } from '../../identity/statPeople.js';
import {
  learnersOfCourses,
  startedCourses,
  statEventsAfter,
  statEventsOf,
} from '../../learning/statEvents.js';
import type { OrgService } from '../../org/service.js';
import {
  assignmentStates,
  hasAssignments,
  programsOfCourses,
  qualificationStates,
} from '../../programs/statSources.js';
import {
  ANY,
  type AssignmentState,
  type Fact,
  LEARNING_METRICS,
  learningFacts,
  PERSON_METRICS,
  type PersonState,
  personFacts,
  type QualificationState,
  type StatEvent,
} from './facts.js';
import { ancestorMap, recount, unitPaths, writePaths } from './rollup.js';
import { insertFacts, StatsStore } from './store.js';
import { Tally, writeCounts } from './tally.js';

/** People handled per statement and per transaction in a recount. */
const PAGE = 2000;
const NONE: ReadonlySet<string> = new Set();

/** The courses of each program, from the programs of each course. */
function programCourses(programsOfCourse: Map<string, string[]>): Map<string, string[]> {
  const courses = new Map<string, string[]>();
  for (const [courseId, programIds] of programsOfCourse)
    for (const programId of programIds) courses.set(programId, [...(courses.get(programId) ?? []), courseId]);
  return courses;
}

function groupBy<T extends { accountId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.accountId);
    if (group) group.push(row);
    else groups.set(row.accountId, [row]);
  }
  return groups;
}

/**
 * Unit statistics, kept as things happen: a learner's facts with each batch of their events (in
 * its transaction), a person's facts after their roster entry, assignments or qualifications
 * change, subtree sums after a reorganisation. `rebuild` computes everything again from the
 * sources; it must give exactly the same numbers.
 */
export class StatsService {
  private readonly store = new StatsStore();

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
  ) {}

  /**
   * In the transaction that stored a learner's events in some courses: the facts of those
   * courses, of the programs holding them and of "any course", from the events they depend on.
   */
  async learnerChanged(tx: Db, tenantId: string, accountId: string, courseIds: string[]): Promise<void> {
    // Two batches of one learner at once would each miss the other's events.
    if (tx.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtextextended(${accountId}, 0))`.execute(tx.kysely);
    const programs = await programsOfCourses(tx, tenantId);
    const programIds = [...new Set(courseIds.flatMap((c) => programs.get(c) ?? []))];
    const coursesOf = programCourses(programs);
    const events = await statEventsAfter(
      tx,
      accountId,
      courseIds,
      programIds.map((p) => coursesOf.get(p) ?? []),
    );
    const subjects = new Set([...courseIds, ...programIds, ANY]);
    const changed = await this.store.replace(
      tx,
      tenantId,
      LEARNING_METRICS,
      [{ accountId, facts: learningFacts(events, programs).filter((f) => subjects.has(f.subject)) }],
      [...subjects],
    );
    // A first start in a course may begin one of their assignments, if they have any.
    if (changed.has('started') && (await hasAssignments(tx, accountId)))
      await this.recountPeople(tx, tenantId, await peopleStates(tx, tenantId, [accountId]));
  }

  /** After a new program: its learners' program facts. */
  async coursesRegrouped(tenantId: string, courseIds: string[]): Promise<void> {
    const learners = await learnersOfCourses(this.db, tenantId, courseIds);
    for (let i = 0; i < learners.length; i += PAGE)
      await inTransaction(this.db, async (tx) => {
        await this.lockTenant(tx, tenantId, 'learners');
        await this.recountLearners(tx, tenantId, learners.slice(i, i + PAGE));
      });
  }

  /** After people joined, moved, changed block, left, or had assignments or qualifications change (null: everyone). */
  async peopleChanged(tenantId: string, accountIds: string[] | null): Promise<void> {
    if (accountIds !== null) {
      for (let i = 0; i < accountIds.length; i += PAGE)
        await inTransaction(this.db, async (tx) => {
          await this.lockTenant(tx, tenantId, 'people');
          await this.recountPeople(
            tx,
            tenantId,
            await peopleStates(tx, tenantId, accountIds.slice(i, i + PAGE)),
          );
        });
      return;
    }
    let after: string | null = '';
    while (after !== null) {
      const from: string = after;
      after = await inTransaction(this.db, async (tx) => {
        await this.lockTenant(tx, tenantId, 'people');
        const page = await peoplePage(tx, tenantId, from, PAGE);
        await this.recountPeople(tx, tenantId, page.people);
        return page.next;
      });
    }
  }

  /** After units merged or moved: subtree sums follow today's tree (summed again from the facts). */
  async treeChanged(tenantId: string): Promise<void> {
    const paths = await unitPaths(this.org, tenantId);
    await inTransaction(this.db, async (tx) => {
      await this.lockTenant(tx, tenantId, 'people');
      await this.lockTenant(tx, tenantId, 'learners');
      await recount(tx, tenantId, paths);
    });
  }

  /**
   * Everything again from the sources, in one transaction (readers see the old figures until it
   * commits): every person's facts, summed over the units above them as they are computed.
   */
  async rebuild(tenantId: string, progress: (done: number, total: number) => void = () => {}): Promise<void> {
    const paths = await unitPaths(this.org, tenantId);
    const ancestors = ancestorMap(paths);
    const tally = new Tally((unitId) => ancestors.get(unitId));
    await inTransaction(this.db, async (tx) => {
      await this.lockTenant(tx, tenantId, 'people');
      await this.lockTenant(tx, tenantId, 'learners');
      // A bulk load: the index for lists is built once at the end, not row by row.
      await sql`drop index stat_facts_drill`.execute(tx.kysely);
      await tx.kysely.deleteFrom('statFacts').where('tenantId', '=', tenantId).execute();
      const total = await peopleCount(tx, tenantId);
      const programs = await programsOfCourses(tx, tenantId);
      let after: string | null = '';
      let done = 0;
      while (after !== null) {
        const { people, next } = await peoplePage(tx, tenantId, after, PAGE);
        after = next;
        const ids = people.map((p) => p.accountId);
        const events = groupBy(await statEventsOf(tx, ids));
        const facts = (await this.personChanges(tx, tenantId, people)).map((c) => ({
          accountId: c.accountId,
          facts: [...c.facts, ...learningFacts(events.get(c.accountId) ?? [], programs)],
        }));
        await insertFacts(tx, tenantId, facts);
        for (const change of facts) for (const fact of change.facts) tally.add(fact);
        done += people.length;
        progress(done, total);
      }
      // The same index as migration 0018 made.
      await sql`create index stat_facts_drill on stat_facts (tenant_id, subject, metric, unit_id, account_id)`.execute(
        tx.kysely,
      );
      await writePaths(tx, tenantId, paths);
      await writeCounts(tx, tenantId, tally.rows());
    });
  }

  /**
   * Counts, once, the tenants whose people have no statistics yet (a database from before
   * statistics existed); returns their ids.
   */
  async rebuildMissing(tenantIds: string[]): Promise<string[]> {
    const rebuilt: string[] = [];
    for (const tenantId of tenantIds) {
      const counted = await this.db.kysely
        .selectFrom('statFacts')
        .select('accountId')
        .where('tenantId', '=', tenantId)
        .limit(1)
        .executeTakeFirst();
      if (counted || (await peopleCount(this.db, tenantId)) === 0) continue;
      await this.rebuild(tenantId);
      rebuilt.push(tenantId);
    }
    return rebuilt;
  }

  private async recountPeople(tx: Db, tenantId: string, people: PersonState[]): Promise<void> {
    await this.store.replace(tx, tenantId, PERSON_METRICS, await this.personChanges(tx, tenantId, people));
  }

  private async recountLearners(tx: Db, tenantId: string, accountIds: string[]): Promise<Set<string>> {
    const [events, programs] = await Promise.all([
      statEventsOf(tx, accountIds),
      programsOfCourses(tx, tenantId),
    ]);
    const byLearner = groupBy<StatEvent & { accountId: string }>(events);
    return this.store.replace(
      tx,
      tenantId,
      LEARNING_METRICS,
      accountIds.map((accountId) => ({
        accountId,
        facts: learningFacts(byLearner.get(accountId) ?? [], programs),
      })),
    );
  }

  private async personChanges(
    tx: Db,
    tenantId: string,
    people: PersonState[],
  ): Promise<{ accountId: string; facts: Fact[] }[]> {
    const ids = people.map((p) => p.accountId);
    const [assignments, qualifications, started, programs] = await Promise.all([
      assignmentStates(tx, ids),
      qualificationStates(tx, ids),
      startedCourses(tx, ids),
      programsOfCourses(tx, tenantId),
    ]);
    const coursesOfProgram = programCourses(programs);
    const coursesOf = (subject: string) => coursesOfProgram.get(subject) ?? [subject];
    const assignmentsOf = groupBy<AssignmentState & { accountId: string }>(assignments);
    const qualificationsOf = groupBy<QualificationState & { accountId: string }>(qualifications);
    return people.map((person) => ({
      accountId: person.accountId,
      facts: personFacts(
        person,
        assignmentsOf.get(person.accountId) ?? [],
        qualificationsOf.get(person.accountId) ?? [],
        started.get(person.accountId) ?? NONE,
        coursesOf,
      ),
    }));
  }

  /** One recount of a kind at a time per tenant (PostgreSQL; SQLite writes one at a time anyway). */
  private async lockTenant(tx: Db, tenantId: string, kind: string): Promise<void> {
    if (tx.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtextextended(${`stats:${kind}:${tenantId}`}, 0))`.execute(
        tx.kysely,
      );
  }
}
