import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshDatabaseUrl, testDialects } from '../../../test/support/db.js';
import { buildAccount, buildTenant, importMiniCourse, testContext } from '../../../test/support/factories.js';
import { refusal } from '../../../test/support/refusal.js';
import type { Actor } from '../../access/actor.js';
import { type Db, openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import type { AccountRow } from '../identity/repository.js';
import { addDays } from './days.js';
import { makeReminders, milestoneWindow } from './reminders.js';
import { nudgeOverdue } from './remindersNudge.js';
import { notificationText } from './remindersText.js';
import type { RuleRow } from './repository.js';
import { nextVietnamTime, runDueJobs } from './scheduler.js';

describe('reminder texts and schedules', () => {
  it('says what a notification is about in Vietnamese, with the due day as people write it', () => {
    const about = { subject: 'An toàn số', dueOn: '2026-03-31', senderName: null };
    assert.equal(
      notificationText({ ...about, kind: 'assigned' }).title,
      'Bạn được giao: An toàn số, hạn 31/03/2026',
    );
    assert.equal(
      notificationText({ ...about, kind: 'overdue' }).title,
      'Đã quá hạn: An toàn số, hạn 31/03/2026',
    );
    assert.match(
      notificationText({ ...about, kind: 'nudge', senderName: 'Trần Văn Bình' }).body,
      /^Trần Văn Bình nhắc bạn hoàn thành “An toàn số” \(hạn 31\/03\/2026\)/,
    );
  });

  it('gives each due day exactly one due milestone on a given day', () => {
    const today = '2026-03-10';
    const dueKinds = ['due7', 'due1', 'overdue'] as const;
    const covering = (dueOn: string) =>
      dueKinds.filter((kind) => {
        const w = milestoneWindow(kind, today);
        return (w.after === null || dueOn > w.after) && (w.until === null || dueOn <= w.until);
      });
    assert.deepEqual(covering('2026-03-18'), [], 'eight days ahead: nothing yet');
    assert.deepEqual(covering('2026-03-17'), ['due7']);
    assert.deepEqual(covering('2026-03-12'), ['due7']);
    assert.deepEqual(covering('2026-03-11'), ['due1'], 'tomorrow');
    assert.deepEqual(covering('2026-03-10'), ['due1'], 'today');
    assert.deepEqual(covering('2026-03-09'), ['overdue']);
  });

  it('runs the daily jobs at the next time the clock in Vietnam reads their hour', () => {
    const now = new Date('2026-03-10T17:30:00Z'); // 00:30 on 11 March in Vietnam
    assert.equal(nextVietnamTime(now, 1, 0).toISOString(), '2026-03-10T18:00:00.000Z');
    assert.equal(nextVietnamTime(now, 0, 15).toISOString(), '2026-03-11T17:15:00.000Z');
  });
});

for (const dialect of testDialects()) {
  describe(`reminders, nudges and the scheduler [${dialect}]`, () => {
    let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;
    let db: Db;
    /** A second connection (pool) to the same database, as another process would have. */
    let otherDb: Db;
    let ctx: AppContext;
    let otherCtx: AppContext;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;
    let admin: Actor;
    let managerA: Actor;
    let managerB: Actor;
    let rule: RuleRow;
    const today = todayInVietnam();
    const people = new Map<string, AccountRow>();

    /** The (person, kind) pairs of every notification, sorted. */
    const made = async () =>
      (
        await db.kysely
          .selectFrom('notifications')
          .innerJoin('accounts', 'accounts.id', 'notifications.accountId')
          .select(['accounts.fullName', 'notifications.kind'])
          .execute()
      )
        .map((n) => `${n.fullName}: ${n.kind}`)
        .sort();

    before(async () => {
      database = await freshDatabaseUrl(dialect);
      db = openDatabase(database.url);
      await migrateToLatest(db);
      otherDb = openDatabase(database.url);
      ctx = testContext(db);
      otherCtx = testContext(otherDb);
      fixture = await buildTenant(ctx);
      const { tenant, province, communeA, communeB, villageA } = fixture;
      const actor = async (account: Promise<AccountRow>) => ctx.identity.actorOf(await account);
      admin = await actor(buildAccount(ctx, tenant, province, { role: 'tenantAdmin', scope: null }));
      managerA = await actor(buildAccount(ctx, tenant, communeA, { role: 'unitManager' }));
      managerB = await actor(buildAccount(ctx, tenant, communeB, { role: 'unitManager' }));
      const course = await importMiniCourse(ctx, tenant);
      const program = await ctx.programs.createProgram(tenant.id, {
        name: 'Kỹ năng số cho cán bộ',
        courses: [{ courseId: course.id, role: 'required' }],
      });
      // Due days as the story needs them; left, completed and exempt people are due tomorrow.
      const story: [string, number][] = [
        ['Xa Hạn', 30],
        ['Một Tuần', 5],
        ['Ngày Mai', 1],
        ['Hôm Nay', 0],
        ['Quá Hạn', -3],
        ['Đã Rời', 1],
        ['Đã Xong', 1],
        ['Được Miễn', 1],
      ];
      for (const [fullName] of story) {
        people.set(fullName, await buildAccount(ctx, tenant, villageA, { fullName, block: 'official' }));
      }
      rule = await ctx.programs.createRule(admin, tenant.id, {
        programId: program.id,
        unitId: communeA.id,
        blocks: ['official'],
        dueDays: 30,
      });
      for (const [fullName, days] of story) {
        const account = people.get(fullName) as AccountRow;
        const marks = {
          'Đã Rời': { leftAt: new Date().toISOString() },
          'Đã Xong': { completedAt: new Date().toISOString() },
          'Được Miễn': { exemptAt: new Date().toISOString(), exemptReason: 'Nghỉ thai sản' },
        }[fullName];
        await db.kysely
          .updateTable('assignments')
          .set({ dueOn: addDays(today, days), ...marks })
          .where('accountId', '=', account.id)
          .execute();
      }
    });
    after(async () => {
      await otherDb?.close();
      await db?.close();
      await database?.drop();
    });

    it('reminds each current person once per milestone that applies, and nobody who left, completed or is exempt', async () => {
      const [first, second] = await Promise.all([makeReminders(ctx, today), makeReminders(otherCtx, today)]);
      const expected = [
        'Hôm Nay: assigned',
        'Hôm Nay: due1',
        'Một Tuần: assigned',
        'Một Tuần: due7',
        'Ngày Mai: assigned',
        'Ngày Mai: due1',
        'Quá Hạn: assigned',
        'Quá Hạn: overdue',
        'Xa Hạn: assigned',
      ];
      assert.deepEqual(await made(), expected);
      assert.equal(first + second, expected.length, 'two runs at once made each notification once');
      assert.equal(await makeReminders(ctx, today), 0, 'a run again changes nothing');
    });

    it('moves people on to the next milestone as the days pass, once each', async () => {
      const inFourDays = addDays(today, 4);
      assert.equal(await makeReminders(ctx, inFourDays), 3);
      const news = (await made()).filter((n) => !n.endsWith('assigned'));
      assert.deepEqual(news, [
        'Hôm Nay: due1',
        'Hôm Nay: overdue',
        'Một Tuần: due1',
        'Một Tuần: due7',
        'Ngày Mai: due1',
        'Ngày Mai: overdue',
        'Quá Hạn: overdue',
      ]);
      assert.equal(await makeReminders(ctx, inFourDays), 0);
    });

    it('lets tenant admins and the unit’s managers nudge the overdue people, once a day, audited', async () => {
      const { tenant } = fixture;
      const forbidden = await refusal(nudgeOverdue(ctx, managerB, tenant.id, rule.id));
      assert.equal(forbidden.status, 403, 'a manager of another commune');
      assert.equal((await refusal(nudgeOverdue(ctx, admin, tenant.id, 'khong-co'))).status, 404);
      assert.equal(await nudgeOverdue(ctx, managerA, tenant.id, rule.id), 1, 'Quá Hạn only');
      assert.equal(await nudgeOverdue(ctx, admin, tenant.id, rule.id), 0, 'already nudged today');
      const nudge = await db.kysely
        .selectFrom('notifications')
        .selectAll()
        .where('kind', '=', 'nudge')
        .executeTakeFirstOrThrow();
      assert.equal(nudge.accountId, people.get('Quá Hạn')?.id);
      assert.equal(nudge.occasion, today);
      assert.equal(nudge.emailStatus, 'off', 'no mail server configured');
      assert.match(notificationText(nudge).body, /nhắc bạn hoàn thành “Kỹ năng số cho cán bộ”/);
      const audited = await ctx.audit.list(tenant.id, { action: 'assignment.nudged' });
      assert.deepEqual(
        audited.events.map((e) => `${e.actorName}: ${e.details.people}`).sort(),
        [`${admin.fullName}: 0`, `${managerA.fullName}: 1`].sort(),
      );
    });

    it('runs each due job once across processes, then each again when its time comes', async () => {
      // Noon tomorrow in Vietnam: six minutes later no daily job (run just after midnight) is due.
      const now = new Date(`${addDays(todayInVietnam(), 1)}T12:00:00+07:00`);
      // SQLite has one writer: two connections of one process, each waiting inside a
      // transaction for the other, would block each other, so there they take turns.
      const runs =
        dialect === 'postgres'
          ? await Promise.all([runDueJobs(ctx, now), runDueJobs(otherCtx, now)])
          : [await runDueJobs(ctx, now), await runDueJobs(otherCtx, now)];
      const ran = runs.flat().map((r) => r.name);
      assert.deepEqual([...ran].sort(), ['qualification-expiry', 'reminders', 'report-schedules', 'rules']);
      assert.ok(
        runs.flat().every((r) => r.ok),
        JSON.stringify(runs),
      );
      assert.deepEqual(await runDueJobs(ctx, now), [], 'nothing is due again at once');
      const later = new Date(now.getTime() + 6 * 60_000);
      assert.deepEqual(
        (await runDueJobs(ctx, later)).map((r) => r.name),
        ['reminders', 'report-schedules'],
      );
      // A claim another process holds (it is running the job) is not taken, even when due.
      await db.kysely
        .updateTable('scheduledJobs')
        .set({ runAfter: later.toISOString(), lockedBy: 'another', lockedUntil: addMinutes(later, 30) })
        .where('name', '=', 'reminders')
        .execute();
      assert.deepEqual(await runDueJobs(ctx, new Date(later.getTime() + 60_000)), []);
      const job = await db.kysely
        .selectFrom('scheduledJobs')
        .selectAll()
        .where('name', '=', 'rules')
        .executeTakeFirstOrThrow();
      assert.match(job.lastResult ?? '', /^Đã xét lại 1 quy tắc giao học của 1 đơn vị chủ quản\.$/);
      assert.equal(job.lockedBy, null);
    });
  });
}

const addMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString();
