/**
 * Runs scheduled reports, each due occurrence once, however many processes run the scheduler.
 *
 * How an occurrence is run exactly once:
 * 1. Claim, in one transaction: move the schedule's `next_run_at` on to the first occurrence
 *    after now, on the condition that it still holds the value read (compare-and-set), and
 *    insert the snapshot row for (schedule, due time) — a unique key — with status `running`, a
 *    lease (`locked_until`) and this run's name (`locked_by`). Of two processes racing, the
 *    second's update finds `next_run_at` changed (PostgreSQL re-checks it once the first commits)
 *    and, failing that, its insert meets the unique key: it claims nothing.
 * 2. Compute the dashboard and write its files, outside any transaction.
 * 3. Store figures and file names and mark the row `done`, only while it is still this run's
 *    (`locked_by`): a run that overran its lease and was taken over cannot write a second time.
 *
 * A claimed row is never left empty for ever: a process that dies mid-run leaves it `running`
 * with a lease that passes; a run that fails sets a short lease to retry after. The next tick of
 * any process takes such a row over (compare-and-set on the lease), up to MAX_ATTEMPTS claims,
 * then marks it `failed` with the last error, which the schedule's page shows.
 *
 * Occurrences missed while nothing ran (a week down) make one catch-up run, for the latest one:
 * see `dueOccurrence`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { inTransaction } from '../../db/database.js';
import type { AppContext } from '../../web/context.js';
import type { Dashboard } from './dashboard/figures.js';
import { snapshotTable, storeXlsx, xlsxBytes } from './scheduleExport.js';
import { recurrenceOf, type ScheduleRow } from './scheduleService.js';
import { dueOccurrence, nextOccurrence } from './scheduleTime.js';
import { summaryPdf } from './summaryPdf.js';

const MINUTE = 60_000;
/** How long a claim holds: a run takes seconds, so a lease that passed means its process died. */
export const LEASE_MS = 15 * MINUTE;
/** How long a failed attempt waits before it is tried again. */
export const RETRY_AFTER_MS = 10 * MINUTE;
/** Claims of one occurrence before it is given up as failed. */
export const MAX_ATTEMPTS = 3;
/** Occurrences claimed per call; the rest wait for the next tick. */
const BATCH = 50;

const PROCESS = `${hostname()}:${process.pid}`;

export interface ScheduleRunSummary {
  /** Snapshots stored by this call. */
  done: number;
  /** Runs that failed and will be tried again. */
  retrying: number;
  /** Runs given up for good. */
  failed: number;
}

/** A failure no retry can mend (the unit is gone): given up at once. */
class FinalError extends Error {}

/** The first occurrence due: claims it for `worker`, or says another process has it. */
async function claimOccurrence(
  ctx: AppContext,
  schedule: ScheduleRow,
  now: Date,
  worker: string,
): Promise<string | null> {
  const rule = recurrenceOf(schedule);
  const dueAt = dueOccurrence(rule, new Date(schedule.nextRunAt), now).toISOString();
  const id = randomUUID();
  return inTransaction(ctx.db, async (tx) => {
    const moved = await tx.kysely
      .updateTable('reportSchedules')
      .set({ nextRunAt: nextOccurrence(rule, now).toISOString() })
      .where('id', '=', schedule.id)
      .where('nextRunAt', '=', schedule.nextRunAt)
      .where('pausedAt', 'is', null)
      .where('removedAt', 'is', null)
      .executeTakeFirst();
    if (moved.numUpdatedRows !== 1n) return null;
    const inserted = await tx.kysely
      .insertInto('reportSnapshots')
      .values({
        id,
        tenantId: schedule.tenantId,
        scheduleId: schedule.id,
        dueAt,
        status: 'running',
        attempts: 1,
        lockedBy: worker,
        lockedUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
        claimedAt: now.toISOString(),
        finishedAt: null,
        figures: null,
        xlsxFile: null,
        pdfFile: null,
        error: null,
      })
      .onConflict((oc) => oc.columns(['scheduleId', 'dueAt']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted ? id : null;
  });
}

/**
 * Runs left behind whose lease has passed (their process died, or they failed and wait for a
 * retry): claims each for `worker`, or gives it up once it has had MAX_ATTEMPTS claims.
 */
async function takeOver(
  ctx: AppContext,
  now: Date,
  worker: string,
): Promise<{ ids: string[]; failed: number }> {
  const at = now.toISOString();
  const stale = await ctx.db.kysely
    .selectFrom('reportSnapshots')
    .select(['id', 'attempts'])
    .where('status', '=', 'running')
    .where('lockedUntil', '<', at)
    .orderBy('lockedUntil')
    .limit(BATCH)
    .execute();
  const ids: string[] = [];
  let failed = 0;
  for (const row of stale) {
    const givingUp = row.attempts >= MAX_ATTEMPTS;
    const result = await ctx.db.kysely
      .updateTable('reportSnapshots')
      .set(
        givingUp
          ? { status: 'failed', lockedBy: null, lockedUntil: null }
          : {
              lockedBy: worker,
              lockedUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
              attempts: row.attempts + 1,
            },
      )
      .where('id', '=', row.id)
      .where('status', '=', 'running')
      .where('attempts', '=', row.attempts)
      .where('lockedUntil', '<', at)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) continue;
    if (givingUp) {
      await ctx.db.kysely
        .updateTable('reportSnapshots')
        .set({ error: 'Đã thử nhiều lần mà không lập được báo cáo.' })
        .where('id', '=', row.id)
        .where('error', 'is', null)
        .execute();
      failed += 1;
    } else ids.push(row.id);
  }
  return { ids, failed };
}

/** The files of a snapshot, from the figures it stores: the table (.xlsx) and the summary (PDF). */
async function snapshotFiles(
  ctx: AppContext,
  dashboard: Dashboard,
  run: { scheduleName: string; dueAt: string; generatedAt: Date; createdBy: string },
): Promise<{ xlsxFile: string; pdfFile: string }> {
  const xlsxFile = storeXlsx(ctx, await xlsxBytes(snapshotTable(dashboard, run)));
  const [tenant, author] = await Promise.all([
    ctx.org.tenantById(dashboard.tenantId),
    ctx.identity.account(dashboard.tenantId, run.createdBy),
  ]);
  const pdf = await summaryPdf(dashboard, {
    tenantName: tenant?.name ?? '',
    generatedAt: run.generatedAt,
    ...(author ? { author: author.fullName } : {}),
  });
  return { xlsxFile, pdfFile: ctx.files.put(pdf, 'application/pdf') };
}

/** Reads the figures, writes the files and stores them on the claimed row, if it is still ours. */
async function runSnapshot(
  ctx: AppContext,
  snapshotId: string,
  now: Date,
  worker: string,
): Promise<'done' | 'retrying' | 'failed' | 'lost'> {
  const row = await ctx.db.kysely
    .selectFrom('reportSnapshots')
    .innerJoin('reportSchedules', 'reportSchedules.id', 'reportSnapshots.scheduleId')
    .select([
      'reportSnapshots.dueAt',
      'reportSnapshots.attempts',
      'reportSchedules.tenantId',
      'reportSchedules.unitId',
      'reportSchedules.name',
      'reportSchedules.subject',
      'reportSchedules.block',
      'reportSchedules.createdBy',
    ])
    .where('reportSnapshots.id', '=', snapshotId)
    .executeTakeFirstOrThrow();
  try {
    const dashboard = await ctx.dashboards.dashboard(row.tenantId, row.unitId, {
      subject: row.subject,
      block: row.block,
      from: '',
      to: '',
    });
    if (!dashboard)
      throw new FinalError(
        'Không lập được báo cáo: đơn vị, khóa học hoặc chương trình của lịch này không còn.',
      );
    const generatedAt = new Date();
    const files = await snapshotFiles(ctx, dashboard, {
      scheduleName: row.name,
      dueAt: row.dueAt,
      generatedAt,
      createdBy: row.createdBy,
    });
    const stored = await ctx.db.kysely
      .updateTable('reportSnapshots')
      .set({
        status: 'done',
        figures: JSON.stringify(dashboard),
        ...files,
        finishedAt: generatedAt.toISOString(),
        lockedBy: null,
        lockedUntil: null,
        error: null,
      })
      .where('id', '=', snapshotId)
      .where('status', '=', 'running')
      .where('lockedBy', '=', worker)
      .executeTakeFirst();
    return stored.numUpdatedRows === 1n ? 'done' : 'lost';
  } catch (error) {
    const final = error instanceof FinalError || row.attempts >= MAX_ATTEMPTS;
    const message = error instanceof Error ? error.message : String(error);
    const marked = await ctx.db.kysely
      .updateTable('reportSnapshots')
      .set({
        status: final ? 'failed' : 'running',
        lockedBy: null,
        lockedUntil: final ? null : new Date(now.getTime() + RETRY_AFTER_MS).toISOString(),
        error: message.slice(0, 500),
      })
      .where('id', '=', snapshotId)
      .where('status', '=', 'running')
      .where('lockedBy', '=', worker)
      .executeTakeFirst();
    if (marked.numUpdatedRows !== 1n) return 'lost';
    return final ? 'failed' : 'retrying';
  }
}

/**
 * Runs what is due at `now`: runs left behind first, then each schedule's due occurrence (one,
 * however many were missed). What the scheduler's `report-schedules` job does at each turn.
 */
export async function runDueSchedules(ctx: AppContext, now: Date = new Date()): Promise<ScheduleRunSummary> {
  const worker = `${PROCESS}:${randomUUID().slice(0, 8)}`;
  const summary: ScheduleRunSummary = { done: 0, retrying: 0, failed: 0 };
  const left = await takeOver(ctx, now, worker);
  summary.failed += left.failed;
  const claimed = [...left.ids];
  const due = await ctx.db.kysely
    .selectFrom('reportSchedules')
    .selectAll()
    .where('nextRunAt', '<=', now.toISOString())
    .where('pausedAt', 'is', null)
    .where('removedAt', 'is', null)
    .orderBy('nextRunAt')
    .limit(BATCH)
    .execute();
  for (const schedule of due) {
    const id = await claimOccurrence(ctx, schedule, now, worker);
    if (id) claimed.push(id);
  }
  for (const id of claimed) {
    const outcome = await runSnapshot(ctx, id, now, worker);
    if (outcome !== 'lost') summary[outcome] += 1;
  }
  return summary;
}

/** The job's line for the log and `last_result`. */
export const summaryText = (s: ScheduleRunSummary): string =>
  `${s.done} bản chụp báo cáo định kỳ mới; ${s.retrying} chờ thử lại; ${s.failed} lỗi.`;
