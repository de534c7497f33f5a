import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import { buildAccount, buildTenant, importMiniCourse, testContext } from '../../../test/support/factories.js';
import { refusal } from '../../../test/support/refusal.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import type { AccountRow } from '../identity/repository.js';
import { nominate, withdraw } from './offeringNominations.js';
import { seatsField, setQuotas } from './offeringQuotas.js';
import { createOffering, offeringView } from './offerings.js';

for (const dialect of testDialects()) {
  describe(`seat-limited offerings [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;
    let admin: Actor;
    let managerA: Actor;
    let courseId: string;

    const actorOf = async (account: AccountRow) => ctx.identity.actorOf(account);
    const person = (home = fixture.villageA) => buildAccount(ctx, fixture.tenant, home);
    const newOffering = (seatsTotal: number) =>
      createOffering(ctx, admin, { courseId, name: 'Học bổng Luyện AI', seatsTotal, closesOn: null });
    const activeCount = async (offeringId: string) =>
      (
        await db.kysely
          .selectFrom('nominations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('offeringId', '=', offeringId)
          .where('withdrawnAt', 'is', null)
          .executeTakeFirstOrThrow()
      ).n;

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      fixture = await buildTenant(ctx);
      const { tenant, province, communeA } = fixture;
      admin = await actorOf(await buildAccount(ctx, tenant, province, { role: 'tenantAdmin', scope: null }));
      managerA = await actorOf(await buildAccount(ctx, tenant, communeA, { role: 'unitManager' }));
      courseId = (await importMiniCourse(ctx, tenant)).id;
    });
    after(() => db.close());

    it('refuses an offering without a name, course or seats, in Vietnamese per field', async () => {
      const error = await refusal(
        createOffering(ctx, admin, {
          courseId: 'khong-co',
          name: ' ',
          seatsTotal: 0,
          closesOn: '2025-13-45',
        }),
      );
      assert.equal(error.status, 400);
      assert.deepEqual(Object.keys(error.fields).sort(), ['closesOn', 'courseId', 'name', 'seatsTotal']);
      assert.equal(error.fields.seatsTotal, 'Số suất phải lớn hơn 0.');
      const byManager = createOffering(ctx, managerA, {
        courseId,
        name: 'Đợt thử',
        seatsTotal: 5,
        closesOn: null,
      });
      assert.equal((await refusal(byManager)).status, 403);
    });

    it('keeps quotas within the seats, apart from each other, and above what is nominated', async () => {
      const offering = await newOffering(10);
      const { district, communeA, communeB, villageA } = fixture;
      await setQuotas(ctx, admin, offering.id, [
        { unitId: communeA.id, seats: 6 },
        { unitId: communeB.id, seats: 4 },
      ]);

      const over = await refusal(setQuotas(ctx, admin, offering.id, [{ unitId: communeB.id, seats: 5 }]));
      assert.equal(over.message, 'Tổng chỉ tiêu các đơn vị (11) vượt quá số suất của đợt (10).');

      const nested = await refusal(setQuotas(ctx, admin, offering.id, [{ unitId: villageA.id, seats: 1 }]));
      assert.match(nested.fields[seatsField(villageA.id)] ?? '', /trực thuộc nhau/);
      const above = await refusal(setQuotas(ctx, admin, offering.id, [{ unitId: district.id, seats: 1 }]));
      assert.match(above.fields[seatsField(district.id)] ?? '', /trực thuộc nhau/);

      const negative = await refusal(
        setQuotas(ctx, admin, offering.id, [{ unitId: communeA.id, seats: -1 }]),
      );
      assert.equal(negative.fields[seatsField(communeA.id)], 'Số suất không được âm.');
      const unknown = await refusal(setQuotas(ctx, admin, offering.id, [{ unitId: 'khong-co', seats: 1 }]));
      assert.equal(unknown.fields[seatsField('khong-co')], 'Không tìm thấy đơn vị này.');
      assert.equal((await refusal(setQuotas(ctx, managerA, offering.id, []))).status, 403);

      await nominate(ctx, managerA, offering.id, (await person()).id);
      await nominate(ctx, managerA, offering.id, (await person()).id);
      const below = await refusal(setQuotas(ctx, admin, offering.id, [{ unitId: communeA.id, seats: 1 }]));
      assert.match(
        below.fields[seatsField(communeA.id)] ?? '',
        /đã đề cử 2 người; chỉ tiêu không thể ít hơn 2/,
      );

      // Taking communeB's quota away frees its seats for a quota elsewhere.
      await setQuotas(ctx, admin, offering.id, [
        { unitId: communeB.id, seats: 0 },
        { unitId: communeA.id, seats: 10 },
      ]);
      const view = await offeringView(ctx, admin, offering);
      assert.deepEqual(
        view.quotas.map((q) => [q.unit.id, q.seats, q.used, q.free]),
        [[communeA.id, 10, 2, 8]],
      );
      assert.equal(view.unallocated, 0);
    });

    it('nominates only within the manager’s subtree, once per person, up to the quota', async () => {
      const offering = await newOffering(3);
      const { communeA, communeB, villageB } = fixture;
      await setQuotas(ctx, admin, offering.id, [
        { unitId: communeA.id, seats: 1 },
        { unitId: communeB.id, seats: 2 },
      ]);
      const first = await person();
      await nominate(ctx, managerA, offering.id, first.id);

      const again = await refusal(nominate(ctx, admin, offering.id, first.id));
      assert.equal(again.status, 409);
      assert.equal(again.message, 'Nguyễn Thị Thử đã được đề cử trong đợt này.');

      const full = await refusal(nominate(ctx, managerA, offering.id, (await person()).id));
      assert.equal(full.status, 409);
      assert.match(full.message, /^Đơn vị đã dùng hết suất: Xã Đại Hiệp đã đề cử đủ 1 người/);

      const outside = await refusal(nominate(ctx, managerA, offering.id, (await person(villageB)).id));
      assert.equal(outside.status, 403);
      assert.match(outside.message, /Bạn không quản lý Xã Đại Thạnh/);

      const nowhere = await refusal(nominate(ctx, admin, offering.id, (await person(fixture.province)).id));
      assert.equal(nowhere.status, 400);
      assert.match(nowhere.message, /không thuộc đơn vị nào được phân suất/);

      const learner = await actorOf(await person());
      assert.equal((await refusal(nominate(ctx, learner, offering.id, first.id))).status, 403);
    });

    it('gives a withdrawn nomination’s seat back to the unit, and withdraws only once', async () => {
      const offering = await newOffering(1);
      await setQuotas(ctx, admin, offering.id, [{ unitId: fixture.communeA.id, seats: 1 }]);
      const first = await nominate(ctx, managerA, offering.id, (await person()).id);
      const waiting = await person();
      assert.equal((await refusal(nominate(ctx, managerA, offering.id, waiting.id))).status, 409);

      const managerB = await actorOf(
        await buildAccount(ctx, fixture.tenant, fixture.communeB, { role: 'unitManager' }),
      );
      assert.equal((await refusal(withdraw(ctx, managerB, offering.id, first.id))).status, 403);
      await withdraw(ctx, managerA, offering.id, first.id);
      assert.equal((await refusal(withdraw(ctx, managerA, offering.id, first.id))).status, 409);

      await nominate(ctx, managerA, offering.id, waiting.id);
      assert.equal(await activeCount(offering.id), 1);
      const audit = await ctx.audit.list(fixture.tenant.id, { action: 'offering.withdrawn' });
      assert.equal(audit.total, 1);
    });

    it('allocates exactly the last 10 seats to 50 simultaneous nominations', async () => {
      const offering = await newOffering(500);
      await setQuotas(ctx, admin, offering.id, [{ unitId: fixture.communeA.id, seats: 12 }]);
      for (let i = 0; i < 2; i++) await nominate(ctx, managerA, offering.id, (await person()).id);
      const people: AccountRow[] = [];
      for (let i = 0; i < 50; i++) people.push(await person());

      const results = await Promise.allSettled(people.map((p) => nominate(ctx, managerA, offering.id, p.id)));

      const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      assert.equal(results.length - refusals.length, 10);
      assert.equal(refusals.length, 40);
      for (const reason of refusals) {
        assert.ok(reason instanceof AppError, String(reason));
        assert.equal(reason.status, 409);
        assert.match(reason.message, /^Đơn vị đã dùng hết suất/);
      }
      assert.equal(await activeCount(offering.id), 12);
    });
  });
}
