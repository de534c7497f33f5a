import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { type FieldErrors, validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { BLOCKS, isBlock } from '../identity/blocks.js';
import type { Unit } from '../org/service.js';
import type { Dashboard } from './dashboard/figures.js';
import { mayScheduleOn } from './schedulePolicy.js';
import type { ReportScheduleTable, ReportSnapshotTable, ScheduleFrequency } from './scheduleTables.js';
import { nextOccurrence, parseTimeOfDay, type Recurrence, WEEKDAYS } from './scheduleTime.js';
import { ANY } from './stats/facts.js';

export type ScheduleRow = Selectable<ReportScheduleTable>;
export type SnapshotRow = Selectable<ReportSnapshotTable>;
/** A snapshot's row without its figures (the list of runs does not need them). */
export type SnapshotSummary = Omit<SnapshotRow, 'figures'>;

export const NAME_MAX = 120;

/** The frequencies as the form posts them. */
export const FREQUENCY_PARAM: Record<ScheduleFrequency, string> = {
  daily: 'hang-ngay',
  weekly: 'hang-tuan',
  monthly: 'hang-thang',
};
export const FREQUENCY_LABEL: Record<ScheduleFrequency, string> = {
  daily: 'Hằng ngày',
  weekly: 'Hằng tuần',
  monthly: 'Hằng tháng',
};

/** The new-schedule form as posted: plain strings, named like the fields (`mon`, `khoi`…). */
export type ScheduleForm = {
  ten: string;
  'don-vi': string;
  /** `*` (or empty): anything; else a course or program id. */
  mon: string;
  /** A block code, or '' for every block. */
  khoi: string;
  'tan-suat': string;
  /** ISO weekday 1–7, weekly only. */
  thu: string;
  /** 1–31, monthly only. */
  'ngay-trong-thang': string;
  /** `HH:MM`, Vietnam time. */
  gio: string;
};

export const EMPTY_FORM: ScheduleForm = {
  ten: '',
  'don-vi': '',
  mon: ANY,
  khoi: '',
  'tan-suat': FREQUENCY_PARAM.weekly,
  thu: '1',
  'ngay-trong-thang': '1',
  gio: '07:00',
};

/** What a schedule's subject filter can be: anything, a program, a course. */
export interface SubjectChoice {
  value: string;
  label: string;
}

/** The subjects to choose from, as the dashboard offers them: anything, programs, published courses. */
export async function subjectChoices(ctx: AppContext, tenantId: string): Promise<SubjectChoice[]> {
  const subjects = await ctx.dashboards.subjects(tenantId);
  return [
    { value: ANY, label: 'Mọi khóa học và chương trình' },
    ...subjects.map((s) => ({
      value: s.id,
      label: s.kind === 'program' ? `Chương trình: ${s.title}` : `Khóa học: ${s.title}`,
    })),
  ];
}

/** What a schedule's subject is called now; the snapshots keep the name it had when they ran. */
export async function subjectTitle(ctx: AppContext, tenantId: string, subject: string): Promise<string> {
  if (subject === ANY) return 'Mọi khóa học và chương trình';
  const program = await ctx.programs.program(tenantId, subject);
  if (program) return `Chương trình: ${program.name}`;
  const [course] = await ctx.catalog.coursesByIds(tenantId, [subject]);
  return course ? `Khóa học: ${course.title}` : 'Khóa học hoặc chương trình không còn';
}

export const blockLabel = (block: string): string =>
  block === '' ? 'Mọi khối' : isBlock(block) ? BLOCKS[block] : block;

export const recurrenceOf = (row: ScheduleRow): Recurrence => ({
  frequency: row.frequency,
  weekday: row.weekday,
  monthDay: row.monthDay,
  timeOfDay: row.timeOfDay,
});

const frequencyOf = (param: string): ScheduleFrequency | undefined =>
  (Object.keys(FREQUENCY_PARAM) as ScheduleFrequency[]).find((f) => FREQUENCY_PARAM[f] === param);

const wholeNumber = (text: string): number | null => (/^\d{1,2}$/.test(text.trim()) ? Number(text) : null);

/**
 * Schedules a report, refusing with a message per field (in Vietnamese) when the form is wrong:
 * an empty or long name, a unit that is unknown, merged away or not the actor's to report on, an
 * unknown subject or block, a bad frequency, weekday, day of month or time. Nothing is stored then.
 */
export async function createSchedule(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  form: ScheduleForm,
  now: Date = new Date(),
): Promise<ScheduleRow> {
  const errors: FieldErrors = {};
  const name = cleanText(form.ten);
  if (name === '') errors.ten = 'Hãy đặt tên cho báo cáo định kỳ.';
  else if (name.length > NAME_MAX) errors.ten = `Tên báo cáo dài quá ${NAME_MAX} ký tự.`;

  const unitId = form['don-vi'].trim();
  const unit = unitId === '' ? undefined : await ctx.org.unit(tenantId, unitId);
  if (unitId === '') errors['don-vi'] = 'Hãy chọn đơn vị cần báo cáo.';
  else if (!unit || (await ctx.org.inForce(tenantId, unit.id))?.id !== unit.id)
    errors['don-vi'] = 'Không tìm thấy đơn vị này, hoặc đơn vị đã sáp nhập vào đơn vị khác.';
  else if (!mayScheduleOn(actor, unit))
    errors['don-vi'] = 'Đơn vị này nằm ngoài phạm vi bạn được xem báo cáo, nên không lập lịch được.';

  const subject = form.mon.trim() === '' ? ANY : form.mon.trim();
  if (subject !== ANY && !(await subjectChoices(ctx, tenantId)).some((c) => c.value === subject))
    errors.mon = 'Khóa học hoặc chương trình đã chọn không có trong danh sách.';

  const block = form.khoi.trim();
  if (block !== '' && !isBlock(block)) errors.khoi = 'Khối đã chọn không có trong danh sách.';

  const frequency = frequencyOf(form['tan-suat'].trim());
  if (!frequency) errors['tan-suat'] = 'Hãy chọn tần suất: hằng ngày, hằng tuần hoặc hằng tháng.';
  const weekday = wholeNumber(form.thu);
  if (frequency === 'weekly' && (weekday === null || !WEEKDAYS[weekday]))
    errors.thu = 'Hãy chọn một ngày trong tuần, từ Thứ Hai đến Chủ Nhật.';
  const monthDay = wholeNumber(form['ngay-trong-thang']);
  if (frequency === 'monthly' && (monthDay === null || monthDay < 1 || monthDay > 31))
    errors['ngay-trong-thang'] = 'Ngày trong tháng phải là một số từ 1 đến 31.';
  const time = parseTimeOfDay(form.gio);
  if (!time) errors.gio = 'Giờ lập phải có dạng giờ:phút, từ 00:00 đến 23:59, ví dụ 07:00.';

  if (Object.keys(errors).length > 0 || !unit || !frequency || !time) {
    throw validationFailed(errors, 'Chưa lập được lịch báo cáo, vui lòng kiểm tra lại.');
  }
  const rule: Recurrence = {
    frequency,
    weekday: frequency === 'weekly' ? weekday : null,
    monthDay: frequency === 'monthly' ? monthDay : null,
    timeOfDay: `${String(time[0]).padStart(2, '0')}:${String(time[1]).padStart(2, '0')}`,
  };
  const row: ScheduleRow = {
    id: randomUUID(),
    tenantId,
    unitId: unit.id,
    name,
    subject,
    block,
    ...rule,
    nextRunAt: nextOccurrence(rule, now).toISOString(),
    createdBy: actor.accountId,
    createdAt: now.toISOString(),
    pausedAt: null,
    removedAt: null,
    removedBy: null,
  };
  await ctx.db.kysely.insertInto('reportSchedules').values(row).execute();
  return row;
}

export async function scheduleById(
  ctx: AppContext,
  tenantId: string,
  id: string,
): Promise<ScheduleRow | undefined> {
  return ctx.db.kysely
    .selectFrom('reportSchedules')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A schedule with its unit and how many runs it has stored. */
export interface ScheduleListItem {
  schedule: ScheduleRow;
  unit: Unit;
  snapshots: number;
}

/** The tenant's schedules (newest first) whose unit the `visible` test lets through. */
export async function listSchedules(
  ctx: AppContext,
  tenantId: string,
  visible: (unit: Unit) => boolean,
): Promise<ScheduleListItem[]> {
  const rows = await ctx.db.kysely
    .selectFrom('reportSchedules')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .execute();
  const units = await ctx.org.unitsByIds(
    tenantId,
    rows.map((r) => r.unitId),
  );
  const shown = rows.flatMap((schedule) => {
    const unit = units.get(schedule.unitId);
    return unit && visible(unit) ? [{ schedule, unit }] : [];
  });
  const counts =
    shown.length === 0
      ? []
      : await ctx.db.kysely
          .selectFrom('reportSnapshots')
          .select(['scheduleId', (eb) => eb.fn.countAll<number>().as('n')])
          .where(
            'scheduleId',
            'in',
            shown.map((s) => s.schedule.id),
          )
          .where('status', '=', 'done')
          .groupBy('scheduleId')
          .execute();
  const countOf = new Map(counts.map((c) => [c.scheduleId, Number(c.n)]));
  return shown.map((s) => ({ ...s, snapshots: countOf.get(s.schedule.id) ?? 0 }));
}

/**
 * Pauses or resumes a schedule. Resuming starts from the next occurrence after now: what was
 * due while paused is not run afterwards.
 */
export async function setPaused(
  ctx: AppContext,
  schedule: ScheduleRow,
  paused: boolean,
  now: Date = new Date(),
): Promise<void> {
  await ctx.db.kysely
    .updateTable('reportSchedules')
    .set(
      paused
        ? { pausedAt: now.toISOString() }
        : { pausedAt: null, nextRunAt: nextOccurrence(recurrenceOf(schedule), now).toISOString() },
    )
    .where('id', '=', schedule.id)
    .where('removedAt', 'is', null)
    .where('pausedAt', paused ? 'is' : 'is not', null)
    .execute();
}

/**
 * Removes a schedule: it never runs again and cannot be resumed. Its snapshots (figures and
 * files) are kept, and stay readable on its page by those who may read reports on its unit.
 */
export async function removeSchedule(
  ctx: AppContext,
  schedule: ScheduleRow,
  actor: Actor,
  now: Date = new Date(),
): Promise<void> {
  await ctx.db.kysely
    .updateTable('reportSchedules')
    .set({ removedAt: now.toISOString(), removedBy: actor.accountId })
    .where('id', '=', schedule.id)
    .where('removedAt', 'is', null)
    .execute();
}

export async function snapshotCount(ctx: AppContext, scheduleId: string): Promise<number> {
  const row = await ctx.db.kysely
    .selectFrom('reportSnapshots')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scheduleId', '=', scheduleId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One page of a schedule's runs, newest occurrence first. */
export async function snapshotPage(
  ctx: AppContext,
  scheduleId: string,
  limit: number,
  offset: number,
): Promise<SnapshotSummary[]> {
  return ctx.db.kysely
    .selectFrom('reportSnapshots')
    .select([
      'id',
      'tenantId',
      'scheduleId',
      'dueAt',
      'status',
      'attempts',
      'lockedBy',
      'lockedUntil',
      'claimedAt',
      'finishedAt',
      'xlsxFile',
      'pdfFile',
      'error',
    ])
    .where('scheduleId', '=', scheduleId)
    .orderBy('dueAt', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function snapshotById(
  ctx: AppContext,
  scheduleId: string,
  id: string,
): Promise<SnapshotRow | undefined> {
  return ctx.db.kysely
    .selectFrom('reportSnapshots')
    .selectAll()
    .where('scheduleId', '=', scheduleId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The figures a finished snapshot stored, as they were when it ran. */
export const storedDashboard = (snapshot: SnapshotRow): Dashboard | null =>
  snapshot.status === 'done' && snapshot.figures ? (JSON.parse(snapshot.figures) as Dashboard) : null;
