import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passQuiz } from '../../../test/support/answers.js';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import {
  buildAccount,
  buildLearner,
  buildTenant,
  importMiniCourse,
  testContext,
} from '../../../test/support/factories.js';
import { type Db, inTransaction } from '../../db/database.js';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import type { Tenant } from '../org/service.js';
import { detailsSummary } from './actions.js';
import { csvLine } from './csv.js';
import { AUDIT_PAGE_SIZE, AuditService, SYSTEM_ACTOR_NAME } from './service.js';

const DAY_MS = 24 * 3600 * 1000;

for (const dialect of testDialects()) {
  describe(`audit log [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      fixture = await buildTenant(ctx);
    });
    after(() => db.close());

    /** A tenant of its own, so counts and pages see only what the test recorded. */
    let tenants = 0;
    async function freshTenant(): Promise<Tenant> {
      tenants += 1;
      return (await buildTenant(ctx, `tinh-nhat-ky-${tenants}`)).tenant;
    }

    it('records a role grant with the grantor, the person and the scope', async () => {
      const admin = await buildAccount(ctx, fixture.tenant, fixture.province, {
        role: 'tenantAdmin',
        scope: null,
        fullName: 'Trần Quản Trị',
      });
      const person = await buildAccount(ctx, fixture.tenant, fixture.villageA, { fullName: 'Võ Thị Hạnh' });
      await ctx.identity.grantRole(
        fixture.tenant.id,
        person.id,
        'unitManager',
        fixture.communeA.id,
        admin.id,
      );

      const { events } = await ctx.audit.list(fixture.tenant.id, { action: 'role.granted' });
      const event = events.find((e) => e.subjectId === person.id);
      assert.ok(event);
      assert.equal(event.tenantId, fixture.tenant.id);
      assert.equal(event.actorAccountId, admin.id);
      assert.equal(event.actorName, 'Trần Quản Trị');
      assert.equal(event.subjectType, 'account');
      assert.equal(event.subjectLabel, 'Võ Thị Hạnh');
      assert.equal(event.unitId, fixture.communeA.id);
      assert.deepEqual(event.details, {
        role: 'unitManager',
        unitId: fixture.communeA.id,
        scope: fixture.communeA.fullName,
      });
      assert.ok(Math.abs(Date.parse(event.occurredAt) - Date.now()) < 60_000);
      assert.equal(
        detailsSummary(event.action, event.details),
        `Vai trò: Quản lý đơn vị; phạm vi: ${fixture.communeA.fullName}`,
      );

      // Roles given with a new account (command line, seed) name no person as the grantor.
      const bySystem = events.find((e) => e.subjectId === admin.id);
      assert.equal(bySystem?.actorAccountId, null);
      assert.equal(bySystem?.actorName, SYSTEM_ACTOR_NAME);
      assert.deepEqual(bySystem?.details, { role: 'tenantAdmin', unitId: null, scope: null });
    });

    it('records a certificate revocation with its code and reason', async () => {
      const course = await importMiniCourse(ctx, fixture.tenant);
      const learner = await buildLearner(ctx, fixture.tenant, fixture.villageA, 'Lê Thị Mai');
      for (const lesson of course.lessons) await ctx.learning.finishReading(learner, lesson.id);
      const quizId = course.lessons.find((l) => l.quizId)?.quizId as string;
      const quiz = await ctx.assessment.quiz(fixture.tenant.id, quizId);
      assert.ok(quiz);
      await passQuiz(ctx, learner, quiz);
      const [certificate] = await ctx.learning.certificatesOf(learner.accountId);
      assert.ok(certificate);

      assert.equal(await ctx.learning.revokeCertificate(certificate.code.toLowerCase(), ' Cấp  nhầm '), true);
      assert.equal(await ctx.learning.revokeCertificate('KHÔNG-CÓ-MÃ', 'Cấp nhầm'), false);

      const { events } = await ctx.audit.list(fixture.tenant.id, { action: 'certificate.revoked' });
      assert.equal(events.length, 1);
      const [event] = events;
      assert.equal(event?.actorAccountId, null);
      assert.equal(event?.actorName, SYSTEM_ACTOR_NAME);
      assert.equal(event?.subjectType, 'certificate');
      assert.equal(event?.subjectId, certificate.id);
      assert.equal(event?.subjectLabel, 'Lê Thị Mai – Làm quen với Zalo an toàn');
      assert.deepEqual(event?.details, { code: certificate.code, reason: 'Cấp nhầm' });
      assert.equal((await ctx.learning.certificateByCode(certificate.code))?.revokedReason, 'Cấp nhầm');
    });

    it('commits an event with its change or not at all', async () => {
      const tenant = await freshTenant();
      await assert.rejects(
        inTransaction(db, async (tx) => {
          await ctx.audit.record(tx, {
            tenantId: tenant.id,
            actor: null,
            action: 'course.published',
            subject: { type: 'course', id: 'khoa-hoc', label: 'Khóa học thử' },
          });
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      assert.equal((await ctx.audit.list(tenant.id)).total, 0);
    });

    it('filters by action, by actor name typed without diacritics, and by Vietnamese calendar day', async () => {
      const tenant = await freshTenant();
      const record = (action: 'course.published' | 'record.viewed', fullName: string) =>
        ctx.audit.record(db, {
          tenantId: tenant.id,
          actor: { accountId: `id-${fullName}`, fullName },
          action,
          subject: { type: 'course', id: 'k1', label: 'Khóa học' },
        });
      await record('course.published', 'Đặng Thị Ánh');
      await record('record.viewed', 'Phan Văn Tùng');
      await record('record.viewed', 'Đặng Văn Lâm');

      const names = async (filters: Parameters<AuditService['list']>[1]) =>
        (await ctx.audit.list(tenant.id, filters)).events.map((e) => e.actorName).sort();
      assert.deepEqual(await names({ action: 'record.viewed' }), ['Phan Văn Tùng', 'Đặng Văn Lâm']);
      assert.deepEqual(await names({ actorQuery: 'dang' }), ['Đặng Thị Ánh', 'Đặng Văn Lâm']);
      assert.deepEqual(await names({ actorQuery: 'TUNG' }), ['Phan Văn Tùng']);
      assert.deepEqual(await names({ actorQuery: 'dang lam', action: 'record.viewed' }), ['Đặng Văn Lâm']);
      assert.deepEqual(await names({ actorQuery: '%' }), await names({}));

      const today = todayInVietnam();
      const yesterday = todayInVietnam(new Date(Date.now() - DAY_MS));
      const tomorrow = todayInVietnam(new Date(Date.now() + DAY_MS));
      assert.equal((await ctx.audit.list(tenant.id, { from: today, to: today })).total, 3);
      assert.equal((await ctx.audit.list(tenant.id, { to: yesterday })).total, 0);
      assert.equal((await ctx.audit.list(tenant.id, { from: tomorrow })).total, 0);
      assert.equal((await ctx.audit.list(tenant.id, { from: 'hôm qua' })).total, 3);
      // Another tenant's log holds none of these.
      assert.equal((await ctx.audit.list(fixture.tenant.id, { actorQuery: 'dang van lam' })).total, 0);
    });

    it('pages by 50, newest first', async () => {
      const tenant = await freshTenant();
      for (let n = 1; n <= AUDIT_PAGE_SIZE + 2; n += 1) {
        await ctx.audit.record(db, {
          tenantId: tenant.id,
          actor: null,
          action: 'record.viewed',
          subject: { type: 'account', id: `a${n}`, label: `Người số ${n}` },
        });
        // Distinct moments, so "newest first" has one answer.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const first = await ctx.audit.list(tenant.id);
      assert.equal(first.total, AUDIT_PAGE_SIZE + 2);
      assert.equal(first.pages, 2);
      assert.equal(first.events.length, AUDIT_PAGE_SIZE);
      assert.equal(first.events[0]?.subjectLabel, `Người số ${AUDIT_PAGE_SIZE + 2}`);
      const last = await ctx.audit.list(tenant.id, { page: 99 });
      assert.equal(last.page, 2);
      assert.deepEqual(
        last.events.map((e) => e.subjectLabel),
        ['Người số 2', 'Người số 1'],
      );
    });

    it('refuses details that are not small', async () => {
      const tenant = await freshTenant();
      await assert.rejects(
        ctx.audit.record(db, {
          tenantId: tenant.id,
          actor: null,
          action: 'record.viewed',
          subject: { type: 'account', id: 'a', label: 'A' },
          details: { note: 'x'.repeat(5000) },
        }),
        /too long/,
      );
    });
  });
}

describe('audit service', () => {
  it('writes CSV fields Excel reads as text, quoted when needed', () => {
    assert.equal(
      csvLine(['Hà Nội, Việt Nam', 'nói "xin chào"', '=HYPERLINK("x")', 'dòng 1\ndòng 2', '-5']),
      `"Hà Nội, Việt Nam","nói ""xin chào""","'=HYPERLINK(""x"")","dòng 1\ndòng 2",'-5\r\n`,
    );
  });

  it('offers no way to change or delete an event, only to mask the name of a deleted person', () => {
    const methods = Object.getOwnPropertyNames(AuditService.prototype);
    assert.deepEqual(methods.sort(), [
      'constructor',
      'csvRows',
      'eventsAbout',
      'exportCsv',
      'forgetPerson',
      'list',
      'matching',
      'record',
    ]);
    // The law's right to erasure: names go, the acts stay (see personalData.test.ts).
    for (const name of methods.filter((m) => m !== 'forgetPerson')) {
      assert.doesNotMatch(name, /update|delete|remove|edit|change|set|clear|purge|erase|replace/i);
    }
  });
});
