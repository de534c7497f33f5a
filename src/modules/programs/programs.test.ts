import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passQuiz } from '../../../test/support/answers.js';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import { buildAccount, buildTenant, importMiniCourse, testContext } from '../../../test/support/factories.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { todayInVietnam } from '../../db/time.js';
import { COURSES_FOLDER } from '../../demo/seedDemo.js';
import type { AppContext } from '../../web/context.js';
import type { Quiz } from '../assessment/service.js';
import { importCourse } from '../catalog/importCourse.js';
import { readPackages } from '../catalog/packageArchive.js';
import type { CourseOutline } from '../catalog/service.js';
import { correctProfile } from '../identity/correctProfile.js';
import { exportPersonalData } from '../identity/exportPersonalData.js';
import { programCompletedAt } from './completion.js';
import { addDays, addMonths } from './days.js';

describe('program completion', () => {
  const program = {
    electivesRequired: 2,
    courses: [
      { courseId: 'r', role: 'required' as const },
      { courseId: 'e1', role: 'elective' as const },
      { courseId: 'e2', role: 'elective' as const },
      { courseId: 'e3', role: 'elective' as const },
      { courseId: 'e4', role: 'elective' as const },
    ],
  };
  const done = (entries: [string, string][]) => programCompletedAt(program, new Map(entries));

  it('needs the required course and any 2 of the 4 electives, and dates it by the last one needed', () => {
    assert.equal(done([['r', '2026-01-05']]), null);
    assert.equal(
      done([
        ['r', '2026-01-05'],
        ['e3', '2026-01-02'],
      ]),
      null,
      'one elective is not enough',
    );
    assert.equal(
      done([
        ['r', '2026-01-05'],
        ['e3', '2026-01-02'],
        ['e1', '2026-01-09'],
        ['e4', '2026-01-20'],
      ]),
      '2026-01-09',
      'the second elective completes it; a third changes nothing',
    );
    assert.equal(
      done([
        ['e1', '2026-01-02'],
        ['e2', '2026-01-03'],
      ]),
      null,
      'electives without the required course are not enough',
    );
  });

  it('counts months to the last day of a shorter month', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2024-11-30', 24), '2026-11-30');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  });
});

for (const dialect of testDialects()) {
  describe(`assignment rules and qualification [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;
    let course: CourseOutline;
    let manager: Actor;

    /** Reads every lesson of a course and passes every quiz in it, through the services. */
    const completeCourse = async (accountId: string, outline: CourseOutline) => {
      const account = await ctx.identity.account(fixture.tenant.id, accountId);
      assert.ok(account);
      const actor = await ctx.identity.actorOf(account);
      for (const lesson of outline.lessons) {
        await ctx.learning.finishReading(actor, lesson.id);
        if (lesson.quizId) {
          await passQuiz(ctx, actor, (await ctx.assessment.quiz(fixture.tenant.id, lesson.quizId)) as Quiz);
        }
      }
    };
    const complete = (accountId: string) => completeCourse(accountId, course);
    const statuses = async (accountId: string) =>
      (await ctx.programs.assignmentsOf(accountId)).map((a) => [a.targetType, a.status, a.cycle]);

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      fixture = await buildTenant(ctx);
      course = await importMiniCourse(ctx, fixture.tenant);
      manager = await ctx.identity.actorOf(
        await buildAccount(ctx, fixture.tenant, fixture.communeA, { role: 'unitManager' }),
      );
    });
    after(() => db.close());

    it('assigns "officials in commune X, due in 30 days" to everyone there, and to a person added later', async () => {
      const { tenant, communeA, villageA, communeB } = fixture;
      const official = await buildAccount(ctx, tenant, villageA, { block: 'official' });
      const citizen = await buildAccount(ctx, tenant, villageA, { block: 'citizen' });
      const elsewhere = await buildAccount(ctx, tenant, communeB, { block: 'official' });
      const program = await ctx.programs.createProgram(tenant.id, {
        name: 'Chương trình Bình dân học vụ số dành cho cán bộ',
        targetBlock: 'official',
        validityMonths: 24,
        courses: [{ courseId: course.id, role: 'required' }],
      });
      const rule = await ctx.programs.createRule(manager, tenant.id, {
        programId: program.id,
        unitId: communeA.id,
        blocks: ['official'],
        dueDays: 30,
      });
      const due = addDays(todayInVietnam(), 30);
      assert.deepEqual(
        (await ctx.programs.assignmentsOf(official.id)).map((a) => [a.dueOn, a.status]),
        [[due, 'notStarted']],
      );
      assert.deepEqual(await ctx.programs.assignmentsOf(citizen.id), [], 'not an official');
      assert.deepEqual(await ctx.programs.assignmentsOf(elsewhere.id), [], 'another commune');

      const later = await buildAccount(ctx, tenant, communeA, { block: 'official' });
      assert.deepEqual(
        await statuses(later.id),
        [['program', 'notStarted', 1]],
        'joined later, assigned at once',
      );
      const [counts] = await ctx.programs.ruleCounts([rule.id]);
      assert.equal(Number(counts?.people), 2);
    });

    it('keeps the records of a person who leaves the audience, but no longer counts them overdue', async () => {
      const { tenant, communeA, communeB } = fixture;
      const rule = (await ctx.programs.rules(tenant.id))[0];
      assert.ok(rule);
      const mover = await buildAccount(ctx, tenant, communeA, {
        block: 'official',
        fullName: 'Người Chuyển Đi',
      });
      // Time passes: every assignment of the rule is past its due day.
      await db.kysely
        .updateTable('assignments')
        .set({ dueOn: '2025-01-01' })
        .where('ruleId', '=', rule.id)
        .execute();
      const before = (await ctx.programs.ruleCounts([rule.id]))[0];
      assert.equal(Number(before?.overdue), 3);

      // The person corrects their unit on their profile: they now belong to another commune.
      const moverActor = await ctx.identity.actorOf(mover);
      await correctProfile(ctx, moverActor, {
        fullName: mover.fullName,
        phone: mover.phone ?? '',
        homeUnitId: communeB.id,
      });
      const afterMove = (await ctx.programs.ruleCounts([rule.id]))[0];
      assert.equal(Number(afterMove?.overdue), 2);
      const kept = await db.kysely
        .selectFrom('assignments')
        .selectAll()
        .where('accountId', '=', mover.id)
        .execute();
      assert.equal(kept.length, 1, 'the assignment stays, as history');
      assert.ok(kept[0]?.leftAt);
      assert.deepEqual(await ctx.programs.assignmentsOf(mover.id), [], 'not shown as a current duty');
    });

    it('completes the program, grants the qualification, and its expiry re-assigns by rule', async () => {
      const { tenant, communeA } = fixture;
      const learner = await buildAccount(ctx, tenant, communeA, {
        block: 'official',
        fullName: 'Nguyễn Đạt Yêu Cầu',
      });
      await complete(learner.id);
      assert.deepEqual(await statuses(learner.id), [['program', 'completed', 1]]);
      const [qualification] = await ctx.programs.qualificationsOf(learner.id);
      assert.equal(qualification?.holderName, 'Nguyễn Đạt Yêu Cầu');
      assert.equal(qualification?.issuedOn, todayInVietnam());
      assert.equal(qualification?.expiresOn, addMonths(todayInVietnam(), 24));
      // The person's data export carries the duty and the qualification.
      const exported = await exportPersonalData(ctx, await ctx.identity.actorOf(learner), 'json');
      assert.deepEqual(
        [exported.assignments.map((a) => a.statusLabel), exported.qualifications.map((q) => q.code)],
        [['Đã hoàn thành'], [qualification?.code]],
      );

      // 24 months later the qualification lapses: a new cycle is assigned, once.
      const lapseDay = qualification?.expiresOn as string;
      assert.equal(
        await ctx.programs.expireQualifications(addDays(lapseDay, -1)),
        0,
        'still valid the day before',
      );
      await db.kysely
        .updateTable('qualifications')
        .set({ issuedOn: addMonths(todayInVietnam(), -24), expiresOn: todayInVietnam() })
        .where('accountId', '=', learner.id)
        .execute();
      assert.equal(await ctx.programs.expireQualifications(), 1);
      assert.equal(await ctx.programs.expireQualifications(), 0, 'a second run opens nothing');
      const [current] = await ctx.programs.assignmentsOf(learner.id);
      assert.deepEqual([current?.cycle, current?.completedAt], [2, null]);

      // Passing the quiz again renews it: the new cycle completes and a new qualification is issued.
      const account = await ctx.identity.account(fixture.tenant.id, learner.id);
      assert.ok(account);
      const quizId = course.lessons.find((l) => l.quizId)?.quizId as string;
      await passQuiz(
        ctx,
        await ctx.identity.actorOf(account),
        (await ctx.assessment.quiz(fixture.tenant.id, quizId)) as Quiz,
      );
      assert.deepEqual(await statuses(learner.id), [['program', 'completed', 2]]);
      const held = await ctx.programs.qualificationsOf(learner.id);
      assert.equal(held.length, 2);
      assert.equal(held[0]?.expiresOn, addMonths(todayInVietnam(), 24));
    });

    it('completes "any 2 of 4 electives" with the second elective, and grants one qualification', async () => {
      const { tenant, communeB } = fixture;
      const courses = [course];
      for (const pkg of readPackages(COURSES_FOLDER).courses) {
        const { courseId } = await importCourse(ctx, tenant.id, pkg);
        courses.push((await ctx.catalog.courseById(tenant.id, courseId)) as CourseOutline);
      }
      const program = await ctx.programs.createProgram(tenant.id, {
        name: 'Chương trình tự chọn',
        electivesRequired: 2,
        courses: courses.map((c) => ({ courseId: c.id, role: 'elective' as const })),
      });
      await ctx.programs.createRule(manager, tenant.id, {
        programId: program.id,
        unitId: communeB.id,
        blocks: [],
        dueDays: 30,
      });
      const learner = await buildAccount(ctx, tenant, communeB, { fullName: 'Người Học Tự Chọn' });
      const electiveStatus = async () => (await ctx.programs.assignmentsOf(learner.id)).map((a) => a.status);
      assert.deepEqual(await electiveStatus(), ['notStarted']);

      await completeCourse(learner.id, courses[3] as CourseOutline);
      assert.deepEqual(await electiveStatus(), ['inProgress'], 'one elective of two');
      assert.deepEqual(await ctx.programs.qualificationsOf(learner.id), []);
      await completeCourse(learner.id, courses[1] as CourseOutline);
      assert.deepEqual(await electiveStatus(), ['completed'], 'the second elective completes it');
      await completeCourse(learner.id, courses[0] as CourseOutline);
      // The mini course is also the required course of the officials' program: that one is earned too.
      const held = (await ctx.programs.qualificationsOf(learner.id)).map((q) => q.programName).sort();
      assert.deepEqual(
        held,
        ['Chương trình Bình dân học vụ số dành cho cán bộ', 'Chương trình tự chọn'],
        'a third elective grants nothing more',
      );
    });

    it('audits an exemption with its reason, and refuses one without a reason', async () => {
      const { tenant, communeA } = fixture;
      const person = await buildAccount(ctx, tenant, communeA, {
        block: 'official',
        fullName: 'Lê Được Miễn',
      });
      const [assignment] = await ctx.programs.assignmentsOf(person.id);
      assert.ok(assignment);
      await assert.rejects(ctx.programs.exempt(manager, tenant.id, assignment.id, ' '), /chưa hợp lệ/);
      await ctx.programs.exempt(manager, tenant.id, assignment.id, 'Nghỉ thai sản đến tháng 12');
      assert.deepEqual(await statuses(person.id), [['program', 'exempt', 1]]);
      const audit = await ctx.audit.list(tenant.id, { action: 'assignment.exempted' });
      assert.deepEqual(
        audit.events.map((e) => [e.subjectLabel, e.details.reason]),
        [['Lê Được Miễn', 'Nghỉ thai sản đến tháng 12']],
      );
    });
  });
}
