import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passQuiz } from '../../../test/support/answers.js';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import { buildAccount, importMiniCourse, testContext } from '../../../test/support/factories.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import type { Quiz } from '../assessment/service.js';
import type { CourseOutline } from '../catalog/service.js';
import type { AccountRow } from '../identity/repository.js';
import { unitMembers } from '../identity/unitMembers.js';
import { mergeUnits } from './merge.js';
import type { MergeLine } from './mergeFile.js';
import type { Tenant, Unit } from './service.js';

const SINCE = '2024-01-01';
const MERGE_DAY = '2025-07-01';
const NEW_COMMUNE = { code: '20999', name: 'Đại Lộc Mới', typeLabel: 'Xã' };

const lines = (pairs: [string, string][]): MergeLine[] =>
  pairs.map(([oldCode, newCode], i) => ({ line: i + 2, oldCode, newCode }));

for (const dialect of testDialects()) {
  describe(`reorganisation with history [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let tenant: Tenant;
    let province: Unit;
    let district: Unit;
    let communes: Unit[];
    let villageOfA: Unit;
    let people: AccountRow[];
    let course: CourseOutline;

    const merge = (pairs: [string, string][], options: { dryRun?: boolean; effectiveOn?: string } = {}) =>
      mergeUnits(db, { members: unitMembers, audit: ctx.audit }, tenant.id, lines(pairs), {
        effectiveOn: options.effectiveOn ?? MERGE_DAY,
        catalog: new Map([[NEW_COMMUNE.code, NEW_COMMUNE]]),
        dryRun: options.dryRun ?? false,
        actor: null,
      });
    const THREE_INTO_ONE: [string, string][] = [
      ['20524', NEW_COMMUNE.code],
      ['20527', NEW_COMMUNE.code],
      ['20530', NEW_COMMUNE.code],
    ];
    const tableCounts = async () => ({
      units: await ctx.org.countUnits(tenant.id),
      events: (await db.kysely.selectFrom('learningEvents').select('unitId').orderBy('id').execute()).map(
        (e) => e.unitId,
      ),
      homes: (await db.kysely.selectFrom('accounts').select('homeUnitId').orderBy('id').execute()).map(
        (a) => a.homeUnitId,
      ),
    });

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      tenant = await ctx.org.createTenant({
        slug: 'tinh-thu',
        name: 'Tỉnh Quảng Nam',
        root: { kind: 'province', typeLabel: 'Tỉnh', name: 'Quảng Nam', code: '49', validFrom: SINCE },
      });
      province = (await ctx.org.rootUnit(tenant.id)) as Unit;
      [district] = (await ctx.org.addUnits(tenant.id, [
        {
          parentId: province.id,
          kind: 'district',
          typeLabel: 'Huyện',
          name: 'Đại Lộc',
          code: '506',
          validFrom: SINCE,
        },
      ])) as [Unit];
      communes = await ctx.org.addUnits(
        tenant.id,
        [
          ['20524', 'Đại Hiệp'],
          ['20527', 'Đại Thạnh'],
          ['20530', 'Đại Chánh'],
        ].map(([code, name]) => ({
          parentId: district.id,
          kind: 'commune' as const,
          typeLabel: 'Xã',
          name: name as string,
          code: code as string,
          validFrom: SINCE,
        })),
      );
      [villageOfA] = (await ctx.org.addUnits(tenant.id, [
        {
          parentId: communes[0]?.id ?? null,
          kind: 'village',
          typeLabel: 'Thôn',
          name: 'Phú Hòa',
          validFrom: SINCE,
        },
      ])) as [Unit];
      course = await importMiniCourse(ctx, tenant);
      // One learner in a village of the first commune, one directly in each of the others.
      people = [
        await buildAccount(ctx, tenant, villageOfA, { fullName: 'Lê Thị Hà' }),
        await buildAccount(ctx, tenant, communes[1] as Unit, { fullName: 'Trần Văn Bình' }),
        await buildAccount(ctx, tenant, communes[2] as Unit, {
          fullName: 'Phạm Thị Cúc',
          role: 'unitManager',
        }),
      ];
      for (const person of people) {
        const actor = await ctx.identity.actorOf(person);
        await ctx.learning.recordEvents(
          actor,
          course.lessons.map((lesson, i) => ({
            id: `june-${person.id}-${i}`,
            verb: 'completed' as const,
            object: { type: 'lesson' as const, id: lesson.id },
            timestamp: '2025-06-15T03:00:00.000Z',
          })),
        );
      }
    });
    after(() => db.close());

    it('dry-runs a merge of three communes without changing anything', async () => {
      const before = await tableCounts();
      const plan = await merge(THREE_INTO_ONE, { dryRun: true });
      assert.deepEqual(plan.errors, []);
      assert.equal(plan.groups.length, 1);
      assert.deepEqual(
        plan.groups[0]?.sources.map((s) => s.code),
        ['20524', '20527', '20530'],
      );
      assert.deepEqual(
        plan.dissolved.map((u) => u.code),
        ['506'],
        'the district is left with nothing below it',
      );
      assert.equal(plan.movedChildren, 1);
      assert.deepEqual(plan.members, { people: 2, roles: 1 });
      assert.deepEqual(await tableCounts(), before);
    });

    it('refuses a whole mapping with an unknown unit, naming its line, and changes nothing', async () => {
      const before = await tableCounts();
      const plan = await merge([...THREE_INTO_ONE, ['11111', NEW_COMMUNE.code], ['506', '30000']]);
      assert.deepEqual(
        plan.errors.map((e) => [e.line, e.message]),
        [
          [5, 'Không có đơn vị đang hoạt động mang mã 11111.'],
          [6, 'Mã mới 30000 chưa có trong cây đơn vị, cũng không có trong danh mục đơn vị (--units).'],
        ],
      );
      assert.deepEqual(await tableCounts(), before);
    });

    it('refuses an effective day in the future or before the units existed', async () => {
      const future = await merge(THREE_INTO_ONE, { effectiveOn: '2999-01-01' });
      assert.match(future.errors[0]?.message ?? '', /không được ở tương lai/);
      const early = await merge(THREE_INTO_ONE, { effectiveOn: '2023-12-31' });
      assert.match(early.errors[0]?.message ?? '', /không được sớm hơn 01\/01\/2024/);
      const nonsense = await merge(THREE_INTO_ONE, { effectiveOn: '2025-02-30' });
      assert.match(nonsense.errors[0]?.message ?? '', /không hợp lệ/);
    });

    it('merges: people and villages move, every record keeps the unit it was made in', async () => {
      const before = await tableCounts();
      const plan = await merge(THREE_INTO_ONE);
      assert.deepEqual(plan.errors, []);
      const merged = (await ctx.org.currentUnitByCode(tenant.id, NEW_COMMUNE.code)) as Unit;
      assert.equal(merged.fullName, 'Xã Đại Lộc Mới');
      assert.equal(merged.parentId, province.id, 'new units go below the root');
      for (const code of ['20524', '20527', '20530', '506'])
        assert.equal(await ctx.org.currentUnitByCode(tenant.id, code), undefined, `${code} is closed`);

      const after = await tableCounts();
      assert.equal(after.units, before.units + 1, 'closed units stay, one unit is new');
      assert.deepEqual(after.events, before.events, 'no learning event changed its unit');
      const homes = await Promise.all(people.map((p) => ctx.identity.account(tenant.id, p.id)));
      assert.deepEqual(
        homes.map((a) => a?.homeUnitId),
        [villageOfA.id, merged.id, merged.id],
      );
      assert.equal((await ctx.org.unit(tenant.id, villageOfA.id))?.parentId, merged.id);
      const manager = await ctx.identity.actorOf(people[2] as AccountRow);
      assert.deepEqual(
        manager.grants.map((g) => g.unitPath),
        [merged.path],
        'a role over a merged commune covers the new one',
      );
      const audit = await ctx.audit.list(tenant.id, { action: 'units.merged' });
      assert.equal(audit.total, 1);
    });

    it('reports as of the day before the merge in the old units, and today in the new one', async () => {
      // After the merge the first learner finishes the course: today, in the village that moved.
      const learner: Actor = await ctx.identity.actorOf(people[0] as AccountRow);
      await passQuiz(ctx, learner, (await ctx.assessment.quiz(tenant.id, quizIdOf(course))) as Quiz);

      const old = await ctx.reports.report(tenant.id, district.id, '2025-06-30', 'asOf');
      assert.deepEqual(
        old?.children.map((r) => [r.unit.fullName, r.learners, r.coursesCompleted]),
        [
          ['Xã Đại Chánh', 1, 0],
          ['Xã Đại Hiệp', 1, 0],
          ['Xã Đại Thạnh', 1, 0],
        ],
      );
      const provinceThen = await ctx.reports.report(tenant.id, province.id, '2025-06-30', 'asOf');
      assert.deepEqual(
        provinceThen?.children.map((r) => [r.unit.fullName, r.learners]),
        [['Huyện Đại Lộc', 3]],
      );

      const today = await ctx.reports.report(tenant.id, province.id, todayInVietnam(), 'today');
      assert.deepEqual(
        today?.children.map((r) => [r.unit.fullName, r.learners, r.coursesCompleted]),
        [['Xã Đại Lộc Mới', 3, 1]],
      );
      assert.equal(today?.unplaced, 0);
      // Asking for a merged commune in today's structure reports on its successor.
      const successor = await ctx.reports.report(tenant.id, communes[0]?.id ?? '', todayInVietnam(), 'today');
      assert.equal(successor?.unit.code, NEW_COMMUNE.code);
      assert.deepEqual(
        successor?.children.map((r) => [r.unit.fullName, r.learners]),
        [['Thôn Phú Hòa', 1]],
      );
      // The June records of the old communes count in the new one's structure too.
      const julyOld = await ctx.reports.report(tenant.id, province.id, '2025-07-02', 'asOf');
      assert.deepEqual(
        julyOld?.children.map((r) => [r.unit.fullName, r.learners, r.coursesCompleted]),
        [['Xã Đại Lộc Mới', 3, 0]],
      );
      // The new commune did not exist on the day before the merge.
      assert.equal(
        await ctx.reports.report(
          tenant.id,
          (await ctx.org.currentUnitByCode(tenant.id, NEW_COMMUNE.code))?.id ?? '',
          '2025-06-30',
          'asOf',
        ),
        undefined,
      );
    });

    it('a second run of the same mapping changes nothing', async () => {
      const before = await tableCounts();
      const plan = await merge(THREE_INTO_ONE);
      assert.deepEqual(plan.errors, []);
      assert.equal(plan.alreadyApplied, 3);
      assert.equal(plan.groups.length, 0);
      assert.deepEqual(await tableCounts(), before);
      assert.equal((await ctx.audit.list(tenant.id, { action: 'units.merged' })).total, 1);
    });

    it('moves a unit from a day and keeps where it was before', async () => {
      const [other] = await ctx.org.addUnits(tenant.id, [
        {
          parentId: province.id,
          kind: 'district',
          typeLabel: 'Huyện',
          name: 'Duy Xuyên',
          code: '507',
          validFrom: SINCE,
        },
      ]);
      await ctx.org.moveUnit(tenant.id, villageOfA.id, (other as Unit).id, '2025-09-01');
      const august = await ctx.org.snapshotOn(tenant.id, '2025-08-31');
      const september = await ctx.org.snapshotOn(tenant.id, '2025-09-01');
      const merged = (await ctx.org.currentUnitByCode(tenant.id, NEW_COMMUNE.code)) as Unit;
      assert.equal(august.units.get(villageOfA.id)?.parentId, merged.id);
      assert.equal(september.units.get(villageOfA.id)?.parentId, other?.id);
      await assert.rejects(
        ctx.org.moveUnit(tenant.id, villageOfA.id, merged.id, '2025-08-15'),
        (error: { fields?: Record<string, string> }) =>
          /không được sớm hơn 01\/09\/2025/.test(error.fields?.effectiveOn ?? ''),
      );
    });
  });
}

const quizIdOf = (course: CourseOutline) => course.lessons.find((l) => l.quizId)?.quizId as string;
