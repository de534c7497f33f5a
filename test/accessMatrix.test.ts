import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { todayInVietnam } from '../src/db/time.js';
import { QuestionBankService } from '../src/modules/assessment/bankService.js';
import type { Quiz } from '../src/modules/assessment/service.js';
import { AuthoringService } from '../src/modules/catalog/authoring.js';
import { readCoursePackage } from '../src/modules/catalog/coursePackage.js';
import { importCourse } from '../src/modules/catalog/importCourse.js';
import type { AccountRow } from '../src/modules/identity/repository.js';
import { addDays } from '../src/modules/programs/days.js';
import { nominate } from '../src/modules/programs/offeringNominations.js';
import { setQuotas } from '../src/modules/programs/offeringQuotas.js';
import { createOffering } from '../src/modules/programs/offerings.js';
import { runDueSchedules } from '../src/modules/reports/scheduleRunner.js';
import { createSchedule, EMPTY_FORM } from '../src/modules/reports/scheduleService.js';
import { installRequestState, type RouteEntry } from '../src/web/requestState.js';
import {
  ACCESS_MATRIX,
  ACTORS,
  type ActorName,
  type BodyValues,
  expectedOutcome,
  type Rule,
  ruleOf,
} from './support/accessMatrix.js';
import { passQuiz } from './support/answers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import {
  buildAccount,
  buildTenant,
  freshPhone,
  importMiniCourse,
  MINI_COURSE,
  TEST_PASSWORD,
} from './support/factories.js';

/*
 * The safety net for every route: each registered route is sent a request by each actor of
 * test/support/accessMatrix.ts (anonymous, a learner, unit managers in and out of scope, content
 * manager, evaluator, tenant admin, and another tenant's admin), with real objects behind every
 * path parameter, and the outcome (allowed / sign in / 403 / 404) is compared with the table.
 * A new route fails here until it has a rule; a rule for a removed route fails too.
 */

const HOST = 'tinh-thu.hocvuso.test';
const OTHER_HOST = 'tinh-khac.hocvuso.test';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The real objects the routes' path parameters point at, so a 404 never hides a decision. */
interface World {
  courseSlug: string;
  lessonSlug: string;
  lessonId: string;
  quiz: Quiz;
  attemptId: string;
  certificateCode: string;
  storedFile: string;
  /** The rejected rows of a refused roster upload, as the roster pages keep them. */
  rejectedRows: string;
  /** The same for a refused team file. */
  rejectedTeams: string;
  unitId: string;
  memberId: string;
  /** A published course with a draft, for the authoring routes. */
  authoringCourseId: string;
  moduleId: string;
  draftLessonId: string;
  bankId: string;
  questionId: string;
  /** A unit manager grant over communeA, held by a member of it. */
  grantId: string;
  /** A seat-limited offering with a quota for communeA, and the member's nomination in it. */
  offeringId: string;
  /** A program of the mini course, assigned by a rule to the officials of communeA. */
  programSlug: string;
  ruleId: string;
  /** The member's assignment under that rule. */
  assignmentId: string;
  nominationId: string;
  /** The learner's qualification: the mini course is also a program of its own. */
  qualificationCode: string;
  /** A report on communeA scheduled by the evaluator, and its one stored run. */
  scheduleId: string;
  snapshotId: string;
  /** A tenant-wide target of the reports. */
  targetId: string;
  /** An in-person class at villageA scheduled by communeA's unit manager, and a walk-in in it. */
  classSessionId: string;
  walkInId: string;
  /** A team at villageA led by the learner, its second member and an entry the learner logged. */
  teamId: string;
  teamMemberId: string;
  entryId: string;
}

/** The value of each path parameter; `:id` means a different object under each prefix. */
const PARAMS: Record<string, (w: World, url: string) => string> = {
  course: (w) => w.courseSlug,
  program: (w) => w.programSlug,
  assignmentId: (w) => w.assignmentId,
  slug: (w) => w.courseSlug,
  lesson: (w) => w.lessonSlug,
  lessonId: (w) => w.draftLessonId,
  moduleId: (w) => w.moduleId,
  bankId: (w) => w.bankId,
  questionId: (w) => w.questionId,
  nominationId: (w) => w.nominationId,
  qualification: (w) => w.qualificationCode,
  snapshotId: (w) => w.snapshotId,
  chart: () => 'theo-ngay.svg',
  targetId: (w) => w.targetId,
  drill: () => 'bat-dau',
  attendeeId: (w) => w.walkInId,
  accountId: (w) => w.teamMemberId,
  entryId: (w) => w.entryId,
  unitId: (w) => w.unitId,
  file: (w) => `${w.certificateCode}.pdf`,
  code: (w) => w.certificateCode,
  name: (w, url) => {
    if (url.startsWith('/tep/')) return w.storedFile;
    if (url.startsWith('/quan-tri/danh-sach/loi/')) return w.rejectedRows;
    if (url.startsWith('/to-cong-nghe/nhap/loi/')) return w.rejectedTeams;
    throw new Error(`${url}: no value for :name under this path; add one to PARAMS`);
  },
  '*': () => 'app.css',
  id: (w, url) => {
    const ids: [string, string][] = [
      ['/soan-bai/khoa-hoc/', w.authoringCourseId],
      ['/api/quizzes/', w.quiz.id],
      ['/api/quiz-attempts/', w.attemptId],
      ['/bai-lam/', w.attemptId],
      ['/api/units/', w.unitId],
      ['/api/members/', w.memberId],
      ['/quan-tri/don-vi/', w.unitId],
      ['/quan-tri/vai-tro/', w.grantId],
      ['/bao-cao/don-vi/', w.unitId],
      ['/bao-cao/nguoi/', w.memberId],
      ['/quan-tri/suat-hoc/', w.offeringId],
      ['/quan-tri/giao-hoc/', w.ruleId],
      ['/bao-cao/lich/', w.scheduleId],
      ['/lop-hoc/', w.classSessionId],
      ['/to-cong-nghe/don-vi/', w.unitId],
      ['/to-cong-nghe/', w.teamId],
      ['/quan-tri/lop-hoc/', w.classSessionId],
    ];
    const found = ids.find(([prefix]) => url.startsWith(prefix));
    if (!found) throw new Error(`${url}: no value for :id under this path; add one to PARAMS`);
    return found[1];
  },
};

function fillParams(url: string, world: World): string {
  return url.replace(/:([A-Za-z]+)|\*/g, (match, name: string | undefined) => {
    const key = name ?? match;
    const value = PARAMS[key];
    if (!value) throw new Error(`${url}: no value for the parameter "${key}"; add it to PARAMS`);
    return encodeURIComponent(value(world, url)).replaceAll('%2F', '/');
  });
}

/** How a response answers "did the policy let this actor through?". */
function classify(response: LightMyRequestResponse): string {
  const status = response.statusCode;
  const location = String(response.headers.location ?? '');
  if (status === 403 && /csrf_failed|Biểu mẫu đã hết hạn/.test(response.body)) return 'CSRF refusal';
  if (status === 401 || (status >= 300 && status < 400 && location.startsWith('/dang-nhap'))) return 'signIn';
  if (status < 400 || status === 400 || status === 409 || status === 422) return 'allowed';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  return `status ${status}`;
}

/** A rejected-rows file where the roster pages keep them (they write one when an upload is refused). */
async function rejectedRowsFile(dataDir: string, tenantId: string, prefix = 'ds'): Promise<string> {
  const name = `${prefix}${randomBytes(16).toString('hex')}.xlsx`;
  const dir = path.join(dataDir, 'uploads', tenantId);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, name), 'PK');
  return name;
}

interface Session {
  cookie: string;
  csrf: string;
}

for (const dialect of testDialects()) {
  describe(`access-control matrix: every route × every actor [${dialect}]`, () => {
    let t: TestApp;
    let world: World;
    let spare: AccountRow;
    const accounts = new Map<ActorName, AccountRow>();
    const sessions = new Map<ActorName, Session>();
    const authoring = () => new AuthoringService(t.db);
    let copies = 0;
    let teams = 0;

    const hostOf = (actor: ActorName) => (actor === 'other tenant, own host' ? OTHER_HOST : HOST);

    /** A new session for the actor (none for anonymous), with a CSRF cookie and its token. */
    const openSession = async (actor: ActorName): Promise<Session> => {
      const account = accounts.get(actor);
      const token = account ? await t.ctx.identity.startSession(account) : null;
      const session = token ? `hv_session=${token}` : '';
      const host = actor.startsWith('other tenant') ? OTHER_HOST : HOST;
      const page = await t.app.inject({
        method: 'GET',
        url: token ? '/ho-so' : '/dang-nhap',
        headers: { host, cookie: session },
      });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const cookie = page.cookies.find((c) => c.name === 'hv_csrf')?.value;
      if (!csrf || !cookie) throw new Error(`${actor}: no CSRF token (${page.statusCode})`);
      return { cookie: [session, `hv_csrf=${cookie}`].filter(Boolean).join('; '), csrf };
    };

    /** A published copy of the mini course with a draft: what the authoring routes work on. */
    /** A new unit-manager grant over communeA, held by a member of it (revoking ones use it up). */
    const freshGrant = async (): Promise<string> => {
      const holder = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      await t.ctx.identity.grantRole(
        t.fixture.tenant.id,
        holder.id,
        'unitManager',
        t.fixture.communeA.id,
        null,
      );
      const grant = (await t.ctx.identity.grants(t.fixture.tenant.id)).find((g) => g.accountId === holder.id);
      assert.ok(grant);
      return grant.id;
    };

    /** A program of the course assigned to communeA's officials; the member is one of them. */
    const assignedProgram = async (courseId: string, member: AccountRow) => {
      const admin = await t.ctx.identity.actorOf(accounts.get('tenantAdmin') as AccountRow);
      const program = await t.ctx.programs.createProgram(t.fixture.tenant.id, {
        name: 'Chương trình cho cán bộ',
        courses: [{ courseId, role: 'required' }],
      });
      const rule = await t.ctx.programs.createRule(admin, t.fixture.tenant.id, {
        programId: program.id,
        unitId: t.fixture.communeA.id,
        blocks: ['official'],
        dueDays: 30,
      });
      const [assignment] = await t.ctx.programs.assignmentsOf(member.id);
      assert.ok(assignment, 'the member is assigned');
      return { programSlug: program.slug, ruleId: rule.id, assignmentId: assignment.id };
    };

    /** An offering of the course with seats for communeA, where the member is nominated. */
    const seatOffering = async (courseId: string, member: AccountRow) => {
      const admin = await t.ctx.identity.actorOf(accounts.get('tenantAdmin') as AccountRow);
      const offering = await createOffering(t.ctx, admin, {
        courseId,
        name: 'Học bổng Luyện AI',
        seatsTotal: 10,
        closesOn: null,
      });
      await setQuotas(t.ctx, admin, offering.id, [{ unitId: t.fixture.communeA.id, seats: 5 }]);
      const nomination = await nominate(t.ctx, admin, offering.id, member.id);
      return { offeringId: offering.id, nominationId: nomination.id };
    };

    /** A weekly report on communeA scheduled by the evaluator, run once (its first occurrence). */
    const scheduledReport = async (): Promise<Pick<World, 'scheduleId' | 'snapshotId'>> => {
      const evaluator = await t.ctx.identity.actorOf(accounts.get('evaluator') as AccountRow);
      const schedule = await createSchedule(t.ctx, evaluator, t.fixture.tenant.id, {
        ...EMPTY_FORM,
        ten: 'Báo cáo tuần',
        'don-vi': t.fixture.communeA.id,
      });
      const ran = await runDueSchedules(t.ctx, new Date(Date.parse(schedule.nextRunAt) + 60_000));
      assert.equal(ran.done, 1, 'the scheduled report ran');
      const snapshot = await t.db.kysely
        .selectFrom('reportSnapshots')
        .select('id')
        .where('scheduleId', '=', schedule.id)
        .executeTakeFirstOrThrow();
      return { scheduleId: schedule.id, snapshotId: snapshot.id };
    };

    /** A class next week at villageA, run by communeA's unit manager, with one walk-in. */
    const classSession = async (courseId: string): Promise<Pick<World, 'classSessionId' | 'walkInId'>> => {
      const manager = await t.ctx.identity.actorOf(accounts.get('unitManager (own)') as AccountRow);
      const session = await t.ctx.classes.createSession(manager, {
        unitId: t.fixture.villageA.id,
        courseId,
        place: 'Nhà văn hóa thôn',
        day: addDays(todayInVietnam(), 7),
        time: '08:00',
        durationMinutes: '90',
        capacity: '30',
      });
      const walkIn = await t.ctx.classes.recordWalkIn(manager, session.id, {
        name: 'Khách Vãng Lai',
        phone: '',
      });
      return { classSessionId: session.id, walkInId: walkIn.id };
    };

    /** A team at villageA led by the learner (a qualified guide), with a second member and one entry. */
    const communityTeam = async (): Promise<Pick<World, 'teamId' | 'teamMemberId' | 'entryId'>> => {
      const admin = await t.ctx.identity.actorOf(accounts.get('tenantAdmin') as AccountRow);
      const learner = accounts.get('learner') as AccountRow;
      teams += 1;
      const created = await t.ctx.community.createTeam(admin, {
        unitId: t.fixture.villageA.id,
        name: `Tổ công nghệ số ${teams}`,
        leaderPhone: learner.phone ?? '',
        contactPhone: '',
        contactNote: '',
      });
      const place = await t.ctx.community.team(t.fixture.tenant.id, created.id);
      const member = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      await t.ctx.community.addMember(admin, place, member.phone ?? '');
      const entry = await t.ctx.community.logAssistance(await t.ctx.identity.actorOf(learner), place, {
        id: '',
        helpedOn: todayInVietnam(),
        villageUnitId: t.fixture.villageA.id,
        service: 'vneid',
        people: '2',
        citizenPhone: '',
        consent: false,
        note: '',
      });
      return { teamId: created.id, teamMemberId: member.id, entryId: entry.id };
    };

    const authoringCourse = async (): Promise<
      Pick<World, 'authoringCourseId' | 'moduleId' | 'draftLessonId'>
    > => {
      const { course } = readCoursePackage(MINI_COURSE);
      if (!course) throw new Error('the mini course does not read');
      copies += 1;
      const { courseId } = await importCourse(t.ctx, t.fixture.tenant.id, {
        ...course,
        slug: `ban-sao-${copies}`,
        digest: `ban-sao-${copies}`,
      });
      await authoring().draftId(t.fixture.tenant.id, courseId);
      const draft = await authoring().draft(t.fixture.tenant.id, courseId);
      const module = draft.modules[0];
      const lesson = module?.lessons[0];
      assert.ok(module && lesson);
      return { authoringCourseId: courseId, moduleId: module.id, draftLessonId: lesson.id };
    };

    before(async () => {
      t = await startTestApp(dialect);
      const { ctx, fixture } = t;
      const tenant = fixture.tenant;
      const official = { block: 'official' as const };
      accounts.set('learner', await buildAccount(ctx, tenant, fixture.villageA, { fullName: 'Học Viên' }));
      accounts.set(
        'unitManager (own)',
        await buildAccount(ctx, tenant, fixture.communeA, { ...official, role: 'unitManager' }),
      );
      accounts.set(
        'unitManager (other)',
        await buildAccount(ctx, tenant, fixture.communeB, { ...official, role: 'unitManager' }),
      );
      for (const role of ['contentManager', 'evaluator', 'tenantAdmin'] as const) {
        accounts.set(
          role,
          await buildAccount(ctx, tenant, fixture.province, { ...official, role, scope: null }),
        );
      }
      const other = await buildTenant(ctx, 'tinh-khac');
      const outsider = await ctx.identity.createAccount(other.tenant.id, {
        fullName: 'Người Tỉnh Khác',
        phone: freshPhone(),
        block: 'official',
        homeUnitId: other.province.id,
        password: TEST_PASSWORD,
        roles: [
          { role: 'contentManager', unitId: null },
          { role: 'tenantAdmin', unitId: null },
        ],
      });
      accounts.set('other tenant', outsider);
      accounts.set('other tenant, own host', outsider);
      const member = await buildAccount(ctx, tenant, fixture.villageA, {
        fullName: 'Thành Viên Xã',
        block: 'official',
      });
      spare = await buildAccount(ctx, tenant, fixture.villageB, { fullName: 'Người Đăng Nhập' });

      // The learner finishes the mini course (a certificate) and opens a second attempt.
      const course = await importMiniCourse(ctx, tenant);
      await ctx.programs.createProgram(tenant.id, {
        name: 'Kỹ năng số cơ bản',
        courses: [{ courseId: course.id, role: 'required' }],
        validityMonths: 24,
      });
      const [first, second] = course.lessons;
      assert.ok(first?.quizId && second);
      const quiz = await ctx.assessment.quiz(tenant.id, first.quizId);
      assert.ok(quiz);
      const learner = await ctx.identity.actorOf(accounts.get('learner') as AccountRow);
      await passQuiz(ctx, learner, quiz);
      for (const lesson of course.lessons) await ctx.learning.finishReading(learner, lesson.id);
      const [certificate] = await ctx.learning.certificatesOf(learner.accountId);
      assert.ok(certificate, 'the learner holds a certificate');
      const [qualification] = await ctx.programs.qualificationsOf(learner.accountId);
      assert.ok(qualification, 'the learner holds a qualification');
      const attempt = await ctx.assessment.startAttempt(quiz, learner.accountId);
      // Everyone else has started the course, so "move to the new version" has a course to move.
      for (const name of [
        'unitManager (own)',
        'unitManager (other)',
        'contentManager',
        'evaluator',
        'tenantAdmin',
      ] as const) {
        await ctx.learning.finishReading(
          await ctx.identity.actorOf(accounts.get(name) as AccountRow),
          first.id,
        );
      }

      const banks = new QuestionBankService(t.db);
      const bank = await banks.importQuestions(tenant.id, 'Ngân hàng thử', [
        {
          draft: {
            key: null,
            prompt: 'Ai được hỏi mã OTP của bạn?',
            situation: null,
            explanation: 'Không ai cả.',
            difficulty: 'easy',
            tags: ['otp'],
            frameworks: [],
            body: {
              kind: 'single',
              options: [
                { text: 'Không ai cả', correct: true },
                { text: 'Nhân viên ngân hàng', correct: false },
              ],
            },
          },
          imageFile: null,
        },
      ]);
      const [question] = await banks.pool(tenant.id, bank.bankId, null, null);
      assert.ok(question);

      const admin = accounts.get('tenantAdmin') as AccountRow;
      await ctx.dashboards.targets.set(
        tenant.id,
        { year: 2026, block: 'official', unitId: '', metric: 'qualified', percent: 80 },
        admin.id,
      );
      const [target] = await ctx.dashboards.targets.list(tenant.id);
      assert.ok(target);

      world = {
        targetId: target.id,
        courseSlug: course.slug,
        lessonSlug: first.slug,
        lessonId: first.id,
        quiz,
        attemptId: attempt.id,
        certificateCode: certificate.code,
        rejectedRows: await rejectedRowsFile(ctx.config.dataDir, tenant.id),
        rejectedTeams: await rejectedRowsFile(ctx.config.dataDir, tenant.id, 'to'),
        storedFile: ctx.files.put(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'),
        unitId: fixture.communeA.id,
        memberId: member.id,
        ...(await authoringCourse()),
        bankId: bank.bankId,
        questionId: question.id,
        grantId: await freshGrant(),
        ...(await seatOffering(course.id, member)),
        ...(await assignedProgram(course.id, member)),
        qualificationCode: qualification.code,
        ...(await scheduledReport()),
        ...(await classSession(course.id)),
        ...(await communityTeam()),
      };
      for (const actor of ACTORS) sessions.set(actor, await openSession(actor));
    });
    after(() => t?.close());

    it('has a rule for every registered route, and no rule for a route that is gone', () => {
      const routes = t.app.registeredRoutes;
      const missing = routes
        .filter((r) => !ruleOf(r.method, r.url))
        .map((r) => `route ${r.method} ${r.url} has no expected access rule: add it to the access matrix`);
      const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
      const gone = Object.keys(ACCESS_MATRIX)
        .filter((key) => !registered.has(key))
        .map((key) => `the access matrix has a rule for ${key}, which is no longer registered: remove it`);
      const gates = routes.flatMap((r) => {
        const rule = ruleOf(r.method, r.url);
        return rule && rule.access !== r.access
          ? [`${r.method} ${r.url} declares access '${r.access}' but the matrix expects '${rule.access}'`]
          : [];
      });
      const problems = [...missing, ...gone, ...gates];
      assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
    });

    it('gives every actor on every route what the module policies say', async () => {
      const mismatches: string[] = [];
      let checked = 0;
      const request = async (route: RouteEntry, rule: Rule, actor: ActorName) => {
        let target = world;
        let session = sessions.get(actor) as Session;
        if (rule.fresh === 'course') target = { ...world, ...(await authoringCourse()) };
        if (rule.fresh === 'session') session = await openSession(actor);
        if (rule.fresh === 'grant') target = { ...world, grantId: await freshGrant() };
        if (rule.fresh === 'team') target = { ...world, ...(await communityTeam()) };
        if (rule.fresh === 'attempt') {
          const learner = accounts.get('learner') as AccountRow;
          target = { ...world, attemptId: (await t.ctx.assessment.startAttempt(world.quiz, learner.id)).id };
        }
        const url = fillParams(route.url + (rule.query ? `?${rule.query}` : ''), target);
        const headers: Record<string, string> = { cookie: session.cookie };
        let payload: string | undefined;
        if (STATE_CHANGING.has(route.method)) {
          const values: BodyValues = {
            lessonId: world.lessonId,
            spareIdentifier: spare.phone ?? '',
            password: TEST_PASSWORD,
            unique: `${actor.replace(/\W/g, '')}-${checked}`,
            unitId: world.unitId,
          };
          const body = rule.body?.(values) ?? {};
          headers['x-csrf-token'] = session.csrf;
          if (route.url.startsWith('/api/')) {
            headers['content-type'] = 'application/json';
            payload = JSON.stringify(body);
          } else {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            const fields = Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]);
            payload = new URLSearchParams([...fields, ['_csrf', session.csrf]]).toString();
          }
        }
        headers.host = hostOf(actor);
        const response = await t.app.inject({ method: route.method as 'GET', url, headers, payload });
        const got = classify(response);
        const expected = expectedOutcome(rule, actor, route.url);
        checked += 1;
        if (got !== expected) {
          const where = response.headers.location ? ` → ${response.headers.location}` : '';
          mismatches.push(
            `${route.method} ${route.url} as ${actor}: expected ${expected} (${rule.why}), ` +
              `got ${got} (${response.statusCode}${where})`,
          );
        }
      };

      // Requests that end a session or change the shared objects use fresh ones, so order does not matter.
      for (const route of t.app.registeredRoutes) {
        const rule = ruleOf(route.method, route.url);
        if (!rule) continue; // reported by the test above
        for (const actor of ACTORS) await request(route, rule, actor);
      }
      assert.deepEqual(
        mismatches,
        [],
        `\n${mismatches.length} of ${checked} requests:\n${mismatches.join('\n')}`,
      );
      const ruled = t.app.registeredRoutes.filter((r) => ruleOf(r.method, r.url)).length;
      assert.equal(checked, ruled * ACTORS.length);
    });

    it('refuses to register a route that declares no access decision', async () => {
      const bare = Fastify();
      installRequestState(bare, t.ctx);
      assert.throws(() => bare.get('/x', async () => 'x'), /declares no access decision/);
      assert.throws(
        () => bare.post('/y', { config: { access: 'everyone' as never } }, async () => 'y'),
        /declares no access decision/,
      );
      bare.get('/z', { config: { access: 'public' } }, async () => 'z');
      assert.deepEqual(
        bare.registeredRoutes.map((r) => `${r.method} ${r.url} ${r.access}`),
        ['GET /z public', 'HEAD /z public'],
      );
      // Inside a plugin, the refusal stops the app from starting.
      const withPlugin = Fastify();
      installRequestState(withPlugin, t.ctx);
      await assert.rejects(async () => {
        await withPlugin.register(async (plugin) => {
          plugin.get('/unguarded', async () => 'x');
        });
        await withPlugin.ready();
      }, /declares no access decision/);
      await bare.close();
    });
  });
}
