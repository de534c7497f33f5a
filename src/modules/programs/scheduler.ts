import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ExpressionBuilder } from 'kysely';
import { inTransaction } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { runDueSchedules, summaryText } from '../reports/scheduleRunner.js';
import { makeReminders } from './reminders.js';
import { deliverEmails } from './remindersMail.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Vietnam keeps UTC+7 all year. */
const VIETNAM_OFFSET = 7 * 60 * MINUTE;
/**
 * How long a claim holds a job. A process that dies mid-run frees it after this; a run that
 * takes longer may be started again elsewhere, which every job here tolerates (each is
 * idempotent), so the lease only has to be long enough to make that rare.
 */
const LEASE = 60 * MINUTE;

/** The first moment after `now` at which the clock in Vietnam reads `hour`:`minute`. */
export function nextVietnamTime(now: Date, hour: number, minute: number): Date {
  const local = new Date(now.getTime() + VIETNAM_OFFSET);
  const today =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, minute) - VIETNAM_OFFSET;
  return new Date(today > now.getTime() ? today : today + DAY);
}

interface Job {
  name: string;
  /** When the job is due again after a run that started at `now`. */
  next(ctx: AppContext, now: Date): Date;
  /** Does the work; says what it did, in Vietnamese, for the log and `last_result`. */
  run(ctx: AppContext, now: Date): Promise<string>;
}

/** Every job, in the order one process takes them when several are due: rules first, so reminders see today's assignments. */
export const JOBS: readonly Job[] = [
  {
    name: 'rules',
    next: (_ctx, now) => nextVietnamTime(now, 1, 0),
    async run(ctx) {
      const tenants = await ctx.org.listTenants();
      let rules = 0;
      for (const tenant of tenants) rules += await ctx.programs.evaluateTenant(tenant.id);
      return `Đã xét lại ${rules} quy tắc giao học của ${tenants.length} đơn vị chủ quản.`;
    },
  },
  {
    name: 'qualification-expiry',
    next: (_ctx, now) => nextVietnamTime(now, 0, 15),
    async run(ctx, now) {
      const cycles = await ctx.programs.expireQualifications(todayInVietnam(now));
      return `Mở ${cycles} chu kỳ học lại vì xác nhận đạt yêu cầu hết hạn.`;
    },
  },
  {
    name: 'reminders',
    next: (ctx, now) => new Date(now.getTime() + ctx.config.reminderIntervalMinutes * MINUTE),
    async run(ctx, now) {
      const made = await makeReminders(ctx, todayInVietnam(now));
      const mail = await deliverEmails(ctx);
      return `${made} thông báo mới; email: ${mail.sent} đã gửi, ${mail.none} không có địa chỉ, ${mail.failed} lỗi.`;
    },
  },
  {
    // Scheduled reports: each due occurrence runs once (see reports/scheduleRunner.ts), within
    // about five minutes of its time.
    name: 'report-schedules',
    next: (_ctx, now) => new Date(now.getTime() + 5 * MINUTE),
    run: async (ctx, now) => summaryText(await runDueSchedules(ctx, now)),
  },
];

export interface JobRun {
  name: string;
  ok: boolean;
  result: string;
}

/** This process, as `locked_by` names it. */
const WORKER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Due at `at` and not held by a live claim. */
const dueAt = (name: string, at: string) => (eb: ExpressionBuilder<Database, 'scheduledJobs'>) =>
  eb.and([
    eb('name', '=', name),
    eb('runAfter', '<=', at),
    eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', at)]),
  ]);

/**
 * Claims a job if it is due: moves its next run on and locks it for this process, in one
 * transaction. On PostgreSQL the row is first locked with FOR UPDATE SKIP LOCKED, so a process
 * racing for the same job skips it rather than queueing behind; on both engines the update
 * repeats the due test, so of two claims only one can change the row.
 */
async function claim(ctx: AppContext, job: Job, now: Date): Promise<boolean> {
  const at = now.toISOString();
  return inTransaction(ctx.db, async (tx) => {
    if (tx.dialect === 'postgres') {
      const row = await tx.kysely
        .selectFrom('scheduledJobs')
        .select('name')
        .where(dueAt(job.name, at))
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) return false;
    }
    const claimed = await tx.kysely
      .updateTable('scheduledJobs')
      .set({
        runAfter: job.next(ctx, now).toISOString(),
        lockedBy: WORKER,
        lockedUntil: new Date(now.getTime() + LEASE).toISOString(),
      })
      .where(dueAt(job.name, at))
      .executeTakeFirst();
    return claimed.numUpdatedRows === 1n;
  });
}

/**
 * Runs, once, each job that is due at `now` and that no other process has claimed: what the
 * scheduler does at each tick, and `hocvuso scheduler --once` does once. A new database gets
 * every job due at once. A failing job is recorded and does not stop the others.
 */
export async function runDueJobs(ctx: AppContext, now: Date = new Date()): Promise<JobRun[]> {
  await ctx.db.kysely
    .insertInto('scheduledJobs')
    .values(JOBS.map((job) => ({ name: job.name, runAfter: now.toISOString() })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const runs: JobRun[] = [];
  for (const job of JOBS) {
    if (!(await claim(ctx, job, now))) continue;
    let run: JobRun;
    try {
      run = { name: job.name, ok: true, result: await job.run(ctx, now) };
    } catch (error) {
      run = {
        name: job.name,
        ok: false,
        result: `Lỗi: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    await ctx.db.kysely
      .updateTable('scheduledJobs')
      .set({ lockedBy: null, lockedUntil: null, lastRunAt: now.toISOString(), lastResult: run.result })
      .where('name', '=', job.name)
      .where('lockedBy', '=', WORKER)
      .execute();
    runs.push(run);
  }
  return runs;
}

/**
 * Runs the due jobs now and then every `intervalMs` (after the previous tick ends, so ticks of
 * one process never overlap). Returns a function that stops it, waiting for a running tick.
 */
export function startScheduler(
  ctx: AppContext,
  options: { intervalMs: number; log: (run: JobRun) => void },
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  const tick = () => {
    ticking = runDueJobs(ctx)
      .then((runs) => runs.forEach(options.log))
      .catch((error: unknown) => options.log({ name: 'scheduler', ok: false, result: String(error) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await ticking;
  };
}
