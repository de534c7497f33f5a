import type { Db } from '../../../db/database.js';
import { ANY } from '../stats/facts.js';
import type { RateBase } from './figures.js';

/** The figures a reader can open as a list of people, by their name in the address. */
export const DRILLS = {
  'nguoi-hoc': { metric: 'people', label: 'Người trong danh sách' },
  'duoc-giao': { metric: 'assigned', label: 'Được giao' },
  'bat-dau': { metric: 'started', label: 'Đã bắt đầu học' },
  'hoan-thanh': { metric: 'completed', label: 'Đã hoàn thành' },
  'qua-han': { metric: 'open', label: 'Quá hạn' },
  mien: { metric: 'exempt', label: 'Được miễn' },
  'dat-yeu-cau': { metric: 'qualified', label: 'Đạt yêu cầu (còn hiệu lực)' },
  'lam-bai': { metric: 'quizzes', label: 'Đã làm bài kiểm tra' },
  'dat-bai': { metric: 'passes', label: 'Đã đạt bài kiểm tra' },
} as const;

export type Drill = keyof typeof DRILLS;

export const isDrill = (value: string): value is Drill => value in DRILLS;

export interface DrillQuery {
  tenantId: string;
  /** The unit whose subtree is listed. */
  unitId: string;
  drill: Drill;
  /** The subjects whose facts are listed, and the metric actually read (a program's completion is its assignment). */
  subjects: string[];
  metric: string;
  block: string;
  from: string;
  to: string;
  today: string;
}

export interface DrillRow {
  accountId: string;
  unitId: string;
  subject: string;
  block: string;
  day: string;
  value: number;
}

/** Where a page starts: after this (unit, person, subject), in that order. */
export type Cursor = [string, string, string];

/**
 * The people behind a number: their facts in the subtree, by unit then person, a page at a time
 * from a cursor (never an offset, so a deep page costs what the first does).
 */
export async function drillPage(
  db: Db,
  query: DrillQuery,
  after: Cursor | null,
  limit: number,
): Promise<DrillRow[]> {
  const units = db.kysely
    .selectFrom('statUnitPaths')
    .select('unitId')
    .where('tenantId', '=', query.tenantId)
    .where('ancestorId', '=', query.unitId);
  let q = db.kysely
    .selectFrom('statFacts')
    .select(['accountId', 'unitId', 'subject', 'block', 'day', 'value'])
    .where('tenantId', '=', query.tenantId)
    .where('metric', '=', query.metric)
    .where('subject', 'in', query.subjects)
    .where('unitId', 'in', units);
  if (query.block) q = q.where('block', '=', query.block);
  if (query.metric === 'open') q = q.where('day', '<', query.today);
  else if (query.metric === 'qualified') q = q.where('day', '>=', query.today);
  else if (query.from || query.to) {
    if (query.from) q = q.where('day', '>=', query.from);
    if (query.to) q = q.where('day', '<=', query.to);
  }
  if (after) {
    const [unitId, accountId, subject] = after;
    q = q.where((eb) =>
      eb.or([
        eb('unitId', '>', unitId),
        eb.and([eb('unitId', '=', unitId), eb('accountId', '>', accountId)]),
        eb.and([eb('unitId', '=', unitId), eb('accountId', '=', accountId), eb('subject', '>', subject)]),
      ]),
    );
  }
  const rows = await q.orderBy('unitId').orderBy('accountId').orderBy('subject').limit(limit).execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

/** Which subjects and metric a list reads for the dashboard's subject. */
export function drillTarget(
  drill: Drill,
  base: RateBase,
  subject: { id: string; kind: 'any' | 'course' | 'program'; courses: string[]; all: string[] },
): { subjects: string[]; metric: string } {
  const metric: string = DRILLS[drill].metric;
  if (metric === 'people') return { subjects: [ANY], metric };
  if (metric === 'started' && base === 'assigned') return { subjects: [subject.id], metric: 'begun' };
  if (metric === 'quizzes' || metric === 'passes')
    return { subjects: subject.kind === 'any' ? subject.all : subject.courses, metric };
  if (subject.kind === 'program' && metric === 'completed') return { subjects: [subject.id], metric: 'done' };
  if (subject.kind === 'any' && ['assigned', 'open', 'exempt'].includes(metric))
    return { subjects: subject.all, metric };
  return { subjects: [subject.id], metric };
}
