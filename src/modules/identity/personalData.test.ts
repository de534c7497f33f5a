import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { passQuiz } from '../../../test/support/answers.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { testDialects } from '../../../test/support/db.js';
import { buildAccount, importMiniCourse, TEST_PASSWORD } from '../../../test/support/factories.js';
import { Browser, signedIn } from '../../../test/support/http.js';
import { todayInVietnam } from '../../db/time.js';
import type { CourseOutline } from '../catalog/service.js';
import type { Unit } from '../org/service.js';
import { addDays } from '../programs/days.js';
import { DELETED_NAME } from './deleteAccount.js';
import { normalizePhone } from './phone.js';
import type { AccountRow } from './repository.js';
import { importRoster } from './rosterImport.js';

/** Tables that hold rows about people, scanned whole for any trace of a deleted person. */
const PEOPLE_TABLES = [
  'accounts',
  'sessions',
  'roleGrants',
  'loginAttempts',
  'consents',
  'certificates',
  'auditEvents',
  'learningEvents',
  'lessonStates',
  'courseProgress',
  'quizAttempts',
] as const;

const NATIONAL_ID = '049085001234';

for (const dialect of testDialects()) {
  describe(`personal-data rights [${dialect}]`, () => {
    let t: TestApp;
    let course: CourseOutline;
    before(async () => {
      t = await startTestApp(dialect);
      course = await importMiniCourse(t.ctx, t.fixture.tenant);
    });
    after(() => t.close());

    const accountRow = (id: string) =>
      t.db.kysely.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    /** A learner who finishes the mini course: events, an attempt, progress and a certificate. */
    async function graduate(home: Unit, fullName: string): Promise<AccountRow> {
      const account = await buildAccount(t.ctx, t.fixture.tenant, home, { fullName });
      const actor = await t.ctx.identity.actorOf(account);
      const lessons = course.lessons;
      const quizId = lessons.find((l) => l.quizId)?.quizId;
      assert.ok(quizId);
      await passQuiz(
        t.ctx,
        actor,
        (await t.ctx.assessment.quiz(t.fixture.tenant.id, quizId)) ?? assert.fail(),
      );
      for (const lesson of lessons) await t.ctx.learning.finishReading(actor, lesson.id);
      return account;
    }

    /** Learning events and course completions per unit: what unit reports are counted from. */
    async function unitTotals() {
      const rows = await t.db.kysely
        .selectFrom('learningEvents')
        .select(['unitId', 'verb', 'objectType'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenantId', '=', t.fixture.tenant.id)
        .groupBy(['unitId', 'verb', 'objectType'])
        .orderBy('unitId')
        .orderBy('verb')
        .orderBy('objectType')
        .execute();
      // The unit report (learners, completions, quiz passes per commune) must not move either.
      const report = await t.ctx.reports.report(
        t.fixture.tenant.id,
        t.fixture.district.id,
        todayInVietnam(),
        'asOf',
      );
      return { events: rows.map((r) => ({ ...r, n: Number(r.n) })), report };
    }

    /** Every row of the people tables as text, to search for a trace of someone. */
    async function everything(): Promise<string> {
      const dumps = await Promise.all(
        PEOPLE_TABLES.map(async (table) =>
          JSON.stringify(await t.db.kysely.selectFrom(table).selectAll().execute()),
        ),
      );
      return dumps.join('\n');
    }

    it('exports everything held about the person, as JSON and a printable page, and nothing about others', async () => {
      const learner = await graduate(t.fixture.villageA, 'Lê Thị Xuất');
      const other = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        fullName: 'Đỗ Văn Khác',
      });
      const browser = await signedIn(t.app, learner);
      const saved = await browser.submit('/ho-so/sua', '/ho-so/sua', {
        fullName: 'Lê Thị Xuất',
        phone: learner.phone ?? '',
        homeUnitId: t.fixture.villageA.id,
        birthYear: '1962',
        birthYearConsent: 'yes',
      });
      assert.equal(saved.statusCode, 303);
      const admin = await t.ctx.identity.actorOf(
        await buildAccount(t.ctx, t.fixture.tenant, t.fixture.province, { role: 'tenantAdmin', scope: null }),
      );
      await t.ctx.community.createTeam(admin, {
        unitId: t.fixture.villageA.id,
        name: 'Tổ công nghệ số thôn Phú Hòa',
        leaderPhone: learner.phone ?? '',
        contactPhone: '',
        contactNote: '',
      });
      const session = await t.ctx.classes.createSession(admin, {
        unitId: t.fixture.villageA.id,
        title: 'Dùng VNeID an toàn',
        place: 'Nhà văn hóa thôn',
        day: addDays(todayInVietnam(), 5),
        time: '08:00',
        durationMinutes: '60',
        capacity: '20',
      });
      await t.ctx.classes.register(await t.ctx.identity.actorOf(learner), session.id);

      const download = await browser.get('/ho-so/du-lieu.json');
      assert.equal(download.statusCode, 200);
      assert.match(String(download.headers['content-disposition']), /^attachment; filename="[^"]+\.json"$/);
      const data = download.json();
      assert.equal(data.account.fullName, 'Lê Thị Xuất');
      assert.equal(data.account.birthYear, 1962);
      assert.equal(
        data.account.homeUnit,
        `${t.fixture.villageA.fullName}, Xã Đại Hiệp, Huyện Đại Lộc, Tỉnh Quảng Nam`,
      );
      assert.deepEqual(
        data.consents.map((c: { purpose: string; source: string }) => [c.purpose, c.source]),
        [['birth_year', 'self']],
      );
      assert.ok(Date.parse(data.consents[0].grantedAt) > 0, 'the consent carries its time');
      assert.equal(data.courses.length, 1);
      assert.equal(data.courses[0].courseTitle, course.title);
      assert.equal(data.courses[0].percent, 100);
      assert.ok(data.lessons.length >= course.lessons.length);
      assert.ok(data.quizAttempts.length >= 1);
      assert.equal(data.quizAttempts[0].passed, true);
      assert.equal(data.certificates.length, 1);
      assert.equal(data.certificates[0].learnerName, 'Lê Thị Xuất');
      assert.ok(
        data.learningEvents.some((e: { verb: string; objectType: string }) => e.objectType === 'course'),
      );
      assert.ok(data.sessions.length >= 1);
      assert.ok(data.loginAttempts.some((a: { succeeded: boolean }) => a.succeeded));
      assert.ok(data.auditEvents.some((e: { action: string }) => e.action === 'profile.corrected'));
      assert.deepEqual(
        data.communityTeams.map((team: { name: string; leader: boolean }) => [team.name, team.leader]),
        [['Tổ công nghệ số thôn Phú Hòa', true]],
      );
      assert.deepEqual(
        data.inPersonClasses.map((c: { title: string; attendanceLabel: string }) => [
          c.title,
          c.attendanceLabel,
        ]),
        [['Dùng VNeID an toàn', 'Đã đăng ký']],
      );
      assert.ok(!download.body.includes('Đỗ Văn Khác'), 'another person is not in the export');
      assert.ok(!download.body.includes(normalizePhone(other.phone ?? '') ?? '?'));

      const page = await browser.get('/ho-so/du-lieu');
      assert.equal(page.statusCode, 200);
      for (const text of [
        'Lê Thị Xuất',
        course.title,
        'Giấy chứng nhận',
        '1962',
        'Bạn đồng ý',
        'Tổ công nghệ số thôn Phú Hòa',
        'Dùng VNeID an toàn',
      ])
        assert.ok(page.body.includes(text), text);
      assert.ok(!page.body.includes('Đỗ Văn Khác'));

      const exports = await t.db.kysely
        .selectFrom('auditEvents')
        .select(['details', 'actorAccountId'])
        .where('action', '=', 'personal_data.exported')
        .where('subjectId', '=', learner.id)
        .execute();
      assert.deepEqual(exports.map((e) => JSON.parse(e.details).format).sort(), ['html', 'json']);
      assert.ok(exports.every((e) => e.actorAccountId === learner.id));
    });

    it('corrects the profile, with clear messages, and refuses a phone someone else has without changing anything', async () => {
      const person = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        fullName: 'Hồ Văn Sửa',
      });
      const neighbour = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const browser = await signedIn(t.app, person);
      const form = {
        fullName: 'Hồ Văn Sửa',
        phone: person.phone ?? '',
        email: '',
        homeUnitId: t.fixture.villageA.id,
      };
      const before = await accountRow(person.id);

      const refusals: [Record<string, string>, string, RegExp][] = [
        [{ fullName: '  ' }, 'fullName', /Vui lòng nhập họ và tên/],
        [{ phone: '12345', email: '' }, 'phone', /Số điện thoại di động không hợp lệ/],
        [{ phone: '', email: '' }, 'phone', /Vui lòng nhập số điện thoại hoặc email/],
        [{ email: 'khong-phai-email' }, 'email', /Địa chỉ email không hợp lệ/],
        [{ birthYear: '1850', birthYearConsent: 'yes' }, 'birthYear', /Năm sinh cần là 4 chữ số, từ 1900/],
        [{ birthYear: '1970' }, 'birthYearConsent', /Hãy đánh dấu ô đồng ý/],
        [{ nationalId: '1234', nationalIdConsent: 'yes' }, 'nationalId', /cần đủ 12 chữ số/],
        [{ nationalId: NATIONAL_ID }, 'nationalIdConsent', /Hãy đánh dấu ô đồng ý/],
        [{ homeUnitId: 'khong-co' }, 'homeUnitId', /Đơn vị đã chọn không tồn tại/],
      ];
      for (const [change, field, message] of refusals) {
        const response = await browser.submit('/ho-so/sua', '/ho-so/sua', { ...form, ...change });
        assert.equal(response.statusCode, 400, field);
        assert.match(response.body, message, field);
        assert.ok(response.body.includes(`href="#${field}"`), `the summary links to ${field}`);
      }

      const taken = await browser.submit('/ho-so/sua', '/ho-so/sua', {
        ...form,
        fullName: 'Tên Mới Không Lưu',
        phone: neighbour.phone ?? '',
      });
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, /Số điện thoại này đã thuộc về một tài khoản khác/);
      assert.deepEqual(await accountRow(person.id), before, 'a refused correction changes nothing');

      const saved = await browser.submit('/ho-so/sua', '/ho-so/sua', {
        ...form,
        fullName: 'Hồ Văn Sửa Đúng',
        email: 'Sua.Dung@Example.vn',
        homeUnitId: t.fixture.villageB.id,
        nationalId: '049 085 001 234',
        nationalIdConsent: 'yes',
      });
      assert.equal(saved.statusCode, 303);
      const after = await accountRow(person.id);
      assert.equal(after.fullName, 'Hồ Văn Sửa Đúng');
      assert.equal(after.email, 'sua.dung@example.vn');
      assert.equal(after.homeUnitId, t.fixture.villageB.id);
      assert.equal(after.nationalIdLast4, '1234');
      assert.ok(after.nationalIdHash && !after.nationalIdHash.includes(NATIONAL_ID), 'only a keyed hash');
      const profile = await browser.get(String(saved.headers.location));
      assert.match(profile.body, /Đã lưu thông tin của bạn/);
      assert.match(profile.body, /\*{8}1234/);
      assert.match(profile.body, /Bạn đồng ý lúc \d\d:\d\d \d\d\/\d\d\/\d{4}/);

      const { events } = await t.ctx.audit.list(t.fixture.tenant.id, { action: 'profile.corrected' });
      const corrected = events.find((e) => e.subjectId === person.id);
      assert.equal(corrected?.details.fields, 'họ và tên, email, đơn vị, số CCCD');
      assert.ok(!JSON.stringify(corrected).includes('sua.dung'), 'the audit event names fields, not values');
    });

    it('withdrawing a consent removes the data and records when', async () => {
      const person = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const browser = await signedIn(t.app, person);
      const form = {
        fullName: person.fullName,
        phone: person.phone ?? '',
        homeUnitId: t.fixture.villageA.id,
      };
      await browser.submit('/ho-so/sua', '/ho-so/sua', {
        ...form,
        birthYear: '1958',
        birthYearConsent: 'yes',
      });
      assert.equal((await accountRow(person.id)).birthYear, 1958);

      const withdrawn = await browser.submit('/ho-so', '/ho-so/rut-dong-y', { purpose: 'birth_year' });
      assert.equal(withdrawn.statusCode, 303);
      assert.equal((await accountRow(person.id)).birthYear, null);
      const consents = await t.db.kysely
        .selectFrom('consents')
        .selectAll()
        .where('accountId', '=', person.id)
        .execute();
      assert.equal(consents.length, 1);
      assert.ok(consents[0]?.withdrawnAt && consents[0].withdrawnAt >= consents[0].grantedAt);
      const profile = await browser.get(String(withdrawn.headers.location));
      assert.match(profile.body, /Đã rút lại đồng ý/);
      assert.match(profile.body, /Bạn chưa cung cấp dữ liệu không bắt buộc nào/);
    });

    it('records a CCCD from an HR roster with the roster as its basis', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-consent-'));
      const file = path.join(dir, 'roster.csv');
      writeFileSync(
        file,
        'Họ và tên,Số điện thoại,Email,Số CCCD,Khối,Chức vụ,Mã đơn vị\nPhan Văn Danh Sách,0912 300 777,,049085007777,,Công chức,20524\n',
      );
      const result = await importRoster(t.ctx, t.fixture.tenant.id, null, file);
      assert.ok(result.ok);
      const rows = await t.db.kysely
        .selectFrom('consents')
        .innerJoin('accounts', 'accounts.id', 'consents.accountId')
        .select(['consents.purpose', 'consents.source', 'consents.withdrawnAt'])
        .where('accounts.fullName', '=', 'Phan Văn Danh Sách')
        .execute();
      assert.deepEqual(rows, [{ purpose: 'national_id', source: 'roster', withdrawnAt: null }]);
    });

    it('deletes an account: no trace of the person in any table, log-in impossible, unit totals unchanged', async () => {
      const admin = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.province, {
        role: 'tenantAdmin',
        scope: null,
        fullName: 'Quản Trị Viên Ở Lại',
      });
      const person = await graduate(t.fixture.villageA, 'Phạm Thị Xóa Bỏ');
      const stays = await graduate(t.fixture.villageA, 'Vũ Văn Ở Lại');
      await t.ctx.identity.grantRole(
        t.fixture.tenant.id,
        person.id,
        'unitManager',
        t.fixture.communeA.id,
        admin.id,
      );
      const phone = person.phone ?? '';
      const stored = normalizePhone(phone) ?? '';
      const browser = await signedIn(t.app, person);
      await browser.submit('/ho-so/sua', '/ho-so/sua', {
        fullName: person.fullName,
        phone,
        email: 'pham.xoa@example.vn',
        homeUnitId: t.fixture.villageA.id,
        birthYear: '1980',
        birthYearConsent: 'yes',
        nationalId: '049185009876',
        nationalIdConsent: 'yes',
      });
      await browser.get('/ho-so/du-lieu.json');
      assert.equal((await new Browser(t.app).login(phone, 'mat-khau-sai-roi')).statusCode, 401);
      const [certificate] = await t.ctx.learning.certificatesOf(person.id);
      assert.ok(certificate);
      await t.ctx.learning.revokeCertificate(certificate.code, 'Thử thu hồi');
      const withName = await everything();
      for (const trace of ['Phạm Thị Xóa Bỏ', stored, 'pham.xoa@example.vn'])
        assert.ok(withName.includes(trace), trace);
      const totalsBefore = await unitTotals();

      const page = await browser.submit('/ho-so/xoa-tai-khoan', '/ho-so/xoa-tai-khoan', {
        password: TEST_PASSWORD,
      });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Tài khoản và dữ liệu cá nhân của bạn đã được xóa/);
      assert.ok(
        page.cookies.some((c) => c.name === 'hv_session' && c.value === ''),
        'the session cookie is cleared',
      );

      // No trace of the name, phone, email or CCCD anywhere, in any spelling.
      const left = await everything();
      for (const trace of [
        'Phạm Thị Xóa Bỏ',
        'pham thi xoa bo',
        stored,
        phone,
        'pham.xoa@example.vn',
        '049185009876',
      ]) {
        assert.ok(!left.includes(trace), `no trace of ${trace}`);
      }
      const row = await accountRow(person.id);
      assert.equal(row.fullName, DELETED_NAME);
      for (const field of [
        'phone',
        'email',
        'nationalIdHash',
        'nationalIdLast4',
        'position',
        'birthYear',
      ] as const)
        assert.equal(row[field], null, field);
      assert.ok(row.deletedAt);
      assert.equal(row.homeUnitId, t.fixture.villageA.id, 'the unit statistics dimension stays');
      assert.equal(row.block, person.block);
      const countOf = async (table: 'sessions' | 'roleGrants' | 'consents' | 'certificates') =>
        Number(
          (
            await t.db.kysely
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .where('accountId', '=', person.id)
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (const table of ['sessions', 'roleGrants', 'consents', 'certificates'] as const)
        assert.equal(await countOf(table), 0, table);

      // What was done stays in the log, without the name.
      const log = await t.db.kysely
        .selectFrom('auditEvents')
        .select(['action', 'actorName', 'subjectLabel'])
        .where((eb) =>
          eb.or([
            eb('subjectId', '=', person.id),
            eb('actorAccountId', '=', person.id),
            eb('subjectId', '=', certificate.id),
          ]),
        )
        .execute();
      const actions = log.map((e) => e.action);
      for (const action of [
        'role.granted',
        'profile.corrected',
        'personal_data.exported',
        'certificate.revoked',
        'account.deleted',
      ])
        assert.ok(actions.includes(action), action);
      assert.ok(
        log.some((e) => e.subjectLabel === `${DELETED_NAME} – ${course.title}`),
        'the course stays in the label',
      );
      const deletion = log.find((e) => e.action === 'account.deleted');
      assert.deepEqual([deletion?.actorName, deletion?.subjectLabel], [DELETED_NAME, DELETED_NAME]);

      // The person who stays is untouched, and the unit figures are what they were.
      assert.equal((await t.ctx.learning.certificatesOf(stays.id)).length, 1);
      assert.ok(left.includes('Vũ Văn Ở Lại'));
      assert.deepEqual(await unitTotals(), totalsBefore);

      // The account is closed for good; its phone number is free again.
      const closed = await browser.get('/ho-so');
      assert.equal(closed.statusCode, 303);
      assert.match(String(closed.headers.location), /^\/dang-nhap/);
      assert.equal((await new Browser(t.app).login(phone, TEST_PASSWORD)).statusCode, 401);
      const again = await new Browser(t.app).json('POST', '/api/auth/signup', {
        fullName: 'Người Mới',
        phone,
        block: 'citizen',
        homeUnitId: t.fixture.villageB.id,
        password: 'mat-khau-moi-dai',
      });
      assert.equal(again.statusCode, 201);
    });

    it('refuses a wrong password, an administrator, and a form without its CSRF token, deleting nothing', async () => {
      const person = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageB, {
        fullName: 'Người Giữ Lại',
      });
      const admin = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.province, {
        role: 'tenantAdmin',
        scope: null,
        fullName: 'Quản Trị Duy Nhất',
      });
      const browser = await signedIn(t.app, person);
      const before = await accountRow(person.id);

      const wrong = await browser.submit('/ho-so/xoa-tai-khoan', '/ho-so/xoa-tai-khoan', {
        password: 'khong-dung-dau',
      });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Mật khẩu không đúng. Tài khoản của bạn chưa bị xóa/);
      const forged = await browser.post('/ho-so/xoa-tai-khoan', { password: TEST_PASSWORD });
      assert.equal(forged.statusCode, 403);
      assert.deepEqual(await accountRow(person.id), before);
      assert.equal((await browser.get('/ho-so')).statusCode, 200, 'still signed in');

      const asAdmin = await signedIn(t.app, admin);
      const refused = await asAdmin.submit('/ho-so/xoa-tai-khoan', '/ho-so/xoa-tai-khoan', {
        password: TEST_PASSWORD,
      });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /Bạn đang giữ vai trò quản trị/);
      assert.equal((await accountRow(admin.id)).deletedAt, null);
    });
  });
}
