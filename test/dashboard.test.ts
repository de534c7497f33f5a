import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Actor } from '../src/access/actor.js';
import { todayInVietnam } from '../src/db/time.js';
import { ClassService } from '../src/modules/classes/service.js';
import type { Dashboard } from '../src/modules/reports/dashboard/figures.js';
import { NO_FILTERS } from '../src/modules/reports/dashboard/figures.js';
import { passQuiz } from './support/answers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** The cells of the table row headed by `name`, as text. */
function rowOf(html: string, name: string): string[] | undefined {
  for (const row of html.matchAll(/<tr>(.*?)<\/tr>/gs)) {
    const cells = [...(row[1] ?? '').matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) =>
      (c[1] ?? '').replace(/<[^>]+>/g, '').trim(),
    );
    if (cells[0] === name) return cells;
  }
  return undefined;
}

for (const dialect of testDialects()) {
  describe(`monitoring dashboard [${dialect}]`, () => {
    let t: TestApp;
    let evaluator: Browser;
    let managerB: Browser;
    let admin: Actor;
    let programId: string;
    const names = {
      done: 'Nguyễn Văn Xong',
      trying: 'Trần Thị Đang',
      idle: 'Lê Văn Chưa',
      citizen: 'Phạm Thị Dân',
    };

    before(async () => {
      t = await startTestApp(dialect);
      const { ctx, fixture } = t;
      const { tenant, province, communeA, communeB, villageA, villageB } = fixture;
      const course = await importMiniCourse(ctx, tenant);
      const quizLesson = course.lessons.find((l) => l.quizId);
      const quiz = await ctx.assessment.quiz(tenant.id, quizLesson?.quizId as string);
      assert.ok(quiz);
      admin = await ctx.identity.actorOf(
        await buildAccount(ctx, tenant, province, { role: 'tenantAdmin', scope: null, block: 'citizen' }),
      );
      evaluator = await signedIn(
        t.app,
        await buildAccount(ctx, tenant, province, { role: 'evaluator', scope: null, block: 'citizen' }),
      );
      managerB = await signedIn(
        t.app,
        await buildAccount(ctx, tenant, communeB, { role: 'unitManager', block: 'citizen' }),
      );
      const program = await ctx.programs.createProgram(tenant.id, {
        name: 'Kỹ năng số cho cán bộ',
        targetBlock: 'official',
        validityMonths: 24,
        courses: [{ courseId: course.id, role: 'required' }],
      });
      programId = program.id;
      await ctx.programs.createRule(admin, tenant.id, {
        programId: program.id,
        unitId: province.id,
        blocks: ['official'],
        dueDays: 30,
      });
      const learner = async (
        fullName: string,
        home: typeof villageA,
        block: 'official' | 'citizen' | 'student',
      ) => ctx.identity.actorOf(await buildAccount(ctx, tenant, home, { fullName, block }));
      const done = await learner(names.done, villageA, 'official');
      const trying = await learner(names.trying, villageA, 'official');
      const idle = await learner(names.idle, communeB, 'official');
      const citizen = await learner(names.citizen, villageB, 'citizen');
      await learner('Võ Thị Học Sinh', communeA, 'student');
      // Completes the course (and with it the program): started, completed, qualified.
      await passQuiz(ctx, done, quiz);
      for (const lesson of course.lessons) await ctx.learning.finishReading(done, lesson.id);
      // Reads one lesson and fails the quiz once: started, one quiz attempted, none passed.
      await ctx.learning.finishReading(trying, course.lessons[0]?.id as string);
      const attempt = await ctx.assessment.startAttempt(quiz, trying.accountId);
      await ctx.learning.submitQuiz(trying, attempt.id, {});
      await passQuiz(ctx, citizen, quiz);
      // The officials' due day passes: those not done are overdue.
      await ctx.db.kysely.updateTable('assignments').set({ dueOn: yesterday() }).execute();
      await ctx.programs.peopleAffected(tenant.id, [done.accountId, trying.accountId, idle.accountId]);
      await ctx.dashboards.targets.set(
        tenant.id,
        {
          year: Number(todayInVietnam().slice(0, 4)),
          block: 'official',
          unitId: '',
          metric: 'qualified',
          percent: 80,
        },
        admin.accountId,
      );
      await ctx.dashboards.targets.set(
        tenant.id,
        {
          year: Number(todayInVietnam().slice(0, 4)),
          block: 'official',
          unitId: communeA.id,
          metric: 'qualified',
          percent: 50,
        },
        admin.accountId,
      );
    });
    after(() => t.close());

    const dashboardOf = async (unitId: string, filters = NO_FILTERS) =>
      (await t.ctx.dashboards.dashboard(t.fixture.tenant.id, unitId, filters)) as Dashboard;

    it('counts the province by hand: roster, started, completed, overdue, qualified, scores and targets', async () => {
      const d = await dashboardOf(t.fixture.province.id);
      // Seven people: five learners, the admin, the evaluator and commune B's manager... minus none.
      assert.equal(d.figures.people, 8);
      assert.equal(d.figures.assigned, 3);
      assert.equal(d.figures.done, 1);
      assert.equal(d.figures.overdue, 2);
      assert.equal(d.figures.started, 3);
      assert.equal(d.figures.completed, 1);
      assert.equal(d.figures.qualified, 1);
      assert.equal(d.figures.quizzes, 3);
      assert.equal(d.figures.passes, 2);
      assert.equal(d.rateBase, 'people');
      assert.equal(d.rates.started, 37.5);
      assert.equal(d.rates.passRate, 66.7);
      const failed = d.figures.scores - 200;
      assert.ok(failed >= 0 && failed < 100, 'two full marks and one failed attempt');
      assert.equal(d.rates.averageScore, Math.round(((200 + failed) / 3) * 10) / 10);
      const officials = d.byBlock.find((b) => b.block === 'official');
      assert.equal(officials?.figures.people, 3);
      const [target] = d.targets;
      assert.deepEqual(
        target && {
          people: target.people,
          reached: target.reached,
          actual: target.actual,
          attained: target.attained,
          setAt: target.setAt,
        },
        { people: 3, reached: 1, actual: 33.3, attained: false, setAt: '' },
      );
    });

    it("reads a commune's own targets and figures, and a program's completion from its assignments", async () => {
      const a = await dashboardOf(t.fixture.communeA.id);
      assert.deepEqual(
        [a.figures.people, a.figures.assigned, a.figures.overdue, a.figures.started, a.figures.completed],
        [3, 2, 1, 2, 1],
      );
      assert.deepEqual(
        a.targets.map((x) => [x.percent, x.actual, x.attained]),
        [[50, 50, true]],
      );
      const p = await dashboardOf(t.fixture.province.id, { ...NO_FILTERS, subject: programId });
      assert.equal(p.rateBase, 'assigned');
      assert.deepEqual(
        [p.figures.assigned, p.figures.started, p.figures.completed, p.figures.overdue, p.figures.qualified],
        [3, 2, 1, 2, 1],
      );
      assert.equal(p.rates.completed, 33.3);
      const officials = await dashboardOf(t.fixture.province.id, { ...NO_FILTERS, block: 'citizen' });
      assert.equal(officials.figures.started, 1, 'the block filter keeps the citizen only');
    });

    it('shows the child units sortable, every figure linking to its people, and drills to a person', async () => {
      const page = await evaluator.get(
        `/bao-cao/don-vi/${t.fixture.district.id}/tong-quan?sap-xep=qua-han&chieu=giam`,
      );
      assert.equal(page.statusCode, 200);
      const rowA = rowOf(page.body, 'Đại Hiệp');
      const rowB = rowOf(page.body, 'Đại Thạnh');
      assert.deepEqual(rowA?.slice(1, 9), ['3', '2', '2', '66,7%', '1', '33,3%', '1', '1']);
      assert.equal(rowB?.[7], '1', 'one overdue official in commune B');
      assert.ok(
        page.body.indexOf('Đại Hiệp') < page.body.indexOf('Đại Thạnh'),
        'sorted by overdue, most first',
      );
      const list = `/bao-cao/don-vi/${t.fixture.communeA.id}/danh-sach/bat-dau`;
      assert.match(page.body, new RegExp(list));
      const people = await evaluator.get(list);
      assert.equal(people.statusCode, 200);
      assert.match(people.body, new RegExp(names.done));
      assert.match(people.body, new RegExp(names.trying));
      assert.doesNotMatch(people.body, new RegExp(names.idle));
      const overdue = await evaluator.get(`/bao-cao/don-vi/${t.fixture.province.id}/danh-sach/qua-han`);
      assert.match(overdue.body, new RegExp(names.idle));
      assert.match(overdue.body, new RegExp(names.trying));
      assert.doesNotMatch(overdue.body, new RegExp(names.done));
    });

    it('exports the people behind a figure to .xlsx with the same rows, audited', async () => {
      const url = `/bao-cao/don-vi/${t.fixture.province.id}/danh-sach/bat-dau/danh-sach.xlsx`;
      const response = await evaluator.get(url);
      assert.equal(response.statusCode, 200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      assert.ok(sheet);
      const values: string[] = [];
      sheet.eachRow((row) => values.push(String(row.getCell(1).value ?? '')));
      assert.match(values[0] ?? '', /Đã bắt đầu học/);
      const listed = values.filter((v) => Object.values(names).includes(v)).sort();
      assert.deepEqual(listed, [names.citizen, names.done, names.trying].sort());
      const events = await t.ctx.db.kysely
        .selectFrom('auditEvents')
        .select('action')
        .where('action', '=', 'personal_data.exported')
        .execute();
      assert.equal(events.length, 1);
    });

    it("keeps a unit manager inside their subtree: another commune's dashboard, list and export are refused", async () => {
      const a = t.fixture.communeA.id;
      for (const url of [
        `/bao-cao/don-vi/${a}/tong-quan`,
        `/bao-cao/don-vi/${a}/danh-sach/bat-dau`,
        `/bao-cao/don-vi/${a}/danh-sach/bat-dau/danh-sach.xlsx`,
        `/bao-cao/don-vi/${a}/tong-quan/don-vi-con.csv`,
        `/bao-cao/don-vi/${t.fixture.province.id}/tong-quan`,
      ])
        assert.equal((await managerB.get(url)).statusCode, 403, url);
      const own = await managerB.get(`/bao-cao/don-vi/${t.fixture.communeB.id}/tong-quan`);
      assert.equal(own.statusCode, 200);
      assert.doesNotMatch(own.body, new RegExp(names.done));
    });

    it('lets only a tenant admin set targets: an evaluator is refused and nothing changes', async () => {
      const before = await t.ctx.dashboards.targets.list(t.fixture.tenant.id);
      const refused = await evaluator.submit('/bao-cao/chi-tieu', '/bao-cao/chi-tieu', {
        year: '2026',
        block: 'student',
        unitId: '',
        metric: 'started',
        percent: '100',
      });
      assert.equal(refused.statusCode, 403);
      assert.deepEqual(await t.ctx.dashboards.targets.list(t.fixture.tenant.id), before);
    });

    it("shows the community teams' help by service type for the dashboard's period, per child unit", async () => {
      const { ctx, fixture } = t;
      const { tenant, villageA, communeA, district } = fixture;
      const guide = await ctx.db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('fullName', '=', names.done)
        .executeTakeFirstOrThrow();
      const created = await ctx.community.createTeam(admin, {
        unitId: villageA.id,
        name: 'Tổ công nghệ số thôn Phú Hòa',
        leaderPhone: guide.phone ?? '',
        contactPhone: '',
        contactNote: '',
      });
      const team = await ctx.community.team(tenant.id, created.id);
      const leader = await ctx.identity.actorOf(guide);
      const today = todayInVietnam();
      const earlier = new Date(Date.parse(`${today}T00:00:00Z`) - 40 * 86_400_000).toISOString().slice(0, 10);
      const log = (helpedOn: string, service: string, people: string) =>
        ctx.community.logAssistance(leader, team, {
          id: '',
          helpedOn,
          villageUnitId: villageA.id,
          service,
          people,
          citizenPhone: '',
          consent: false,
          note: '',
        });
      await log(today, 'vneid', '3');
      await log(earlier, 'vneid', '4');
      await log(earlier, 'cashless', '2');
      const section = async (url: string) => {
        const page = await evaluator.get(url);
        assert.equal(page.statusCode, 200);
        return page.body.slice(page.body.indexOf('id="to-cong-nghe"'));
      };
      const all = await section(`/bao-cao/don-vi/${communeA.id}/tong-quan`);
      assert.deepEqual(rowOf(all, 'Kích hoạt, sử dụng VNeID')?.slice(1), ['2', '7']);
      assert.deepEqual(rowOf(all, 'Thanh toán không dùng tiền mặt')?.slice(1), ['1', '2']);
      assert.deepEqual(rowOf(all, 'Tổng cộng')?.slice(1), ['3', '9']);
      assert.match(all, /Hướng dẫn viên đạt yêu cầu<\/dt><dd>1</);
      assert.match(all, new RegExp(`href="/to-cong-nghe/don-vi/${communeA.id}"`));
      const recent = await section(`/bao-cao/don-vi/${communeA.id}/tong-quan?tu=${today}&den=${today}`);
      assert.deepEqual(rowOf(recent, 'Kích hoạt, sử dụng VNeID')?.slice(1), ['1', '3']);
      assert.deepEqual(rowOf(recent, 'Thanh toán không dùng tiền mặt')?.slice(1), ['0', '0']);
      const before = await section(`/bao-cao/don-vi/${district.id}/tong-quan?den=${earlier}`);
      assert.deepEqual(rowOf(before, 'Đại Hiệp')?.slice(1), ['1', '0', '6']);
      assert.deepEqual(rowOf(before, 'Đại Thạnh')?.slice(1), ['0', '0', '0']);
    });

    it('shows the in-person classes held in the period: sessions, attendances, walk-ins, paper passes', async () => {
      const { ctx, fixture } = t;
      const { tenant, villageA, communeA, district, communeB } = fixture;
      const day = new Date(Date.now() - 3 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
      let now = new Date(`${day}T07:30:00+07:00`);
      const classes = new ClassService(ctx.db, ctx.org, ctx.identity, ctx.catalog, ctx.audit, {
        now: () => now,
      });
      const manager = await ctx.identity.actorOf(
        await buildAccount(ctx, tenant, communeA, { role: 'unitManager', block: 'official' }),
      );
      const session = await classes.createSession(manager, {
        unitId: villageA.id,
        title: 'Cài đặt VNeID mức 2',
        place: 'Nhà văn hóa thôn',
        day,
        time: '08:00',
        durationMinutes: '90',
        capacity: '10',
      });
      const visitor = await ctx.identity.actorOf(
        await buildAccount(ctx, tenant, villageA, { block: 'citizen' }),
      );
      now = new Date(`${day}T08:10:00+07:00`);
      await classes.checkIn(visitor, session.id, classes.checkinCode(session));
      await classes.recordWalkIn(manager, session.id, { name: 'Bà Năm', phone: '' });
      const present = (await classes.roster(session)).people.find(
        (p) => p.attendee.accountId === visitor.accountId,
      );
      assert.ok(present);
      await classes.saveResults(manager, session.id, {
        passPercent: '50',
        maxScore: '10',
        scores: new Map([[present.attendee.id, '8']]),
      });
      const section = async (url: string) => {
        const page = await evaluator.get(url);
        assert.equal(page.statusCode, 200);
        return page.body.slice(page.body.indexOf('id="lop-hoc"'));
      };
      const figure = (html: string, label: string) =>
        new RegExp(`${label}[^<]*</dt><dd>([^<]*)<`).exec(html)?.[1];
      const commune = await section(`/bao-cao/don-vi/${communeA.id}/tong-quan`);
      assert.equal(figure(commune, 'Buổi học đã tổ chức'), '1');
      assert.equal(figure(commune, 'Lượt có mặt'), '2');
      assert.equal(figure(commune, 'Trong đó khách chưa có tài khoản'), '1');
      assert.equal(figure(commune, 'Đạt bài kiểm tra trên giấy'), '1');
      const other = await section(`/bao-cao/don-vi/${communeB.id}/tong-quan`);
      assert.equal(figure(other, 'Lượt có mặt'), '0', "another commune's dashboard counts none of it");
      const districtPage = await section(`/bao-cao/don-vi/${district.id}/tong-quan?tu=${day}&den=${day}`);
      assert.deepEqual(rowOf(districtPage, 'Đại Hiệp')?.slice(1), ['1', '2', '1']);
      const later = await section(`/bao-cao/don-vi/${communeA.id}/tong-quan?tu=${todayInVietnam()}`);
      assert.equal(figure(later, 'Buổi học đã tổ chức'), '0', 'a period after the session counts none');
    });

    it('refuses bad filters with a message and shows the unfiltered figures', async () => {
      const page = await evaluator.get(
        `/bao-cao/don-vi/${t.fixture.province.id}/tong-quan?khoi=khong-co&tu=2026-02-30&mon=khong-co`,
      );
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Khối không hợp lệ/);
      assert.match(page.body, /Ngày không hợp lệ/);
      assert.match(page.body, /Không có khóa học hay chương trình này/);
    });
  });
}
