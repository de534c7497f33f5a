import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { type Cell, type TableColumn, type TableSheet, writeTableXlsx } from '../../files/tableExport.js';
import type { AppContext } from '../../web/context.js';
import { vietnamDay, vietnamTime } from '../../web/format.js';
import type { Dashboard, Figures, Rates } from './dashboard/figures.js';
import { blockLabel } from './scheduleService.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The columns of every row: what the row is, then the dashboard's figures and rates. */
export const SNAPSHOT_COLUMNS: readonly TableColumn[] = [
  { header: 'Phần', width: 18 },
  { header: 'Tên', width: 36 },
  { header: 'Người trong danh sách', width: 12 },
  { header: 'Được giao', width: 11 },
  { header: 'Đã bắt đầu', width: 11 },
  { header: 'Tỉ lệ bắt đầu (%)', width: 11 },
  { header: 'Đã hoàn thành', width: 11 },
  { header: 'Tỉ lệ hoàn thành (%)', width: 11 },
  { header: 'Quá hạn', width: 10 },
  { header: 'Đạt yêu cầu', width: 11 },
  { header: 'Tỉ lệ đạt yêu cầu (%)', width: 11 },
  { header: 'Bài kiểm tra đã làm', width: 11 },
  { header: 'Bài kiểm tra đã đạt', width: 11 },
  { header: 'Điểm TB cao nhất', width: 11 },
  { header: 'Tỉ lệ đạt bài (%)', width: 11 },
];

export const SECTION = {
  total: 'Toàn đơn vị',
  block: 'Theo khối',
  child: 'Đơn vị trực thuộc',
} as const;

const cells = (f: Figures, r: Rates): Cell[] => [
  f.people,
  f.assigned,
  f.started,
  r.started,
  f.completed,
  r.completed,
  f.overdue,
  f.qualified,
  r.qualified,
  f.quizzes,
  f.passes,
  r.averageScore,
  r.passRate,
];

/** The lines above a snapshot's table: title, filters and day, then when and why it was made. */
export function snapshotLines(
  dashboard: Dashboard,
  run: { scheduleName: string; dueAt: string; generatedAt: Date },
): string[] {
  return [
    `${run.scheduleName}: ${dashboard.unit.fullName}`,
    `Lọc: ${dashboard.subjectTitle}; khối: ${blockLabel(dashboard.filters.block).toLowerCase()}; ` +
      `số liệu tính đến ngày ${vietnamDay(dashboard.today)}`,
    `Báo cáo định kỳ, kỳ ${vietnamTime(run.dueAt)}; tạo lúc ${vietnamTime(run.generatedAt.toISOString())} (giờ Việt Nam)`,
  ];
}

/**
 * A snapshot as one sheet: the unit's key figures, then its figures by block, then one row per
 * unit directly below it, so it sorts and filters as one table. Empty rates are empty cells.
 */
export function snapshotTable(
  dashboard: Dashboard,
  run: { scheduleName: string; dueAt: string; generatedAt: Date },
): TableSheet {
  return {
    sheetName: 'Báo cáo định kỳ',
    lines: snapshotLines(dashboard, run),
    columns: SNAPSHOT_COLUMNS,
    rows: [
      [SECTION.total, dashboard.unit.fullName, ...cells(dashboard.figures, dashboard.rates)],
      ...dashboard.byBlock.map((b) => [SECTION.block, blockLabel(b.block), ...cells(b.figures, b.rates)]),
      ...dashboard.children.map((c) => [SECTION.child, c.name, ...cells(c.figures, c.rates)]),
    ],
  };
}

/** A table written to an .xlsx file in memory (a snapshot's table is a few hundred rows at most). */
export async function xlsxBytes(table: TableSheet): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve);
    sink.on('error', reject);
  });
  await writeTableXlsx(table, sink);
  await finished;
  return Buffer.concat(chunks);
}

/**
 * Stores an .xlsx in the file store under its content hash (the store knows no spreadsheet
 * type, so the name is made here), and returns the name.
 */
export function storeXlsx(ctx: AppContext, bytes: Buffer): string {
  const name = `${createHash('sha256').update(bytes).digest('hex')}.xlsx`;
  ctx.files.putNamed(name, bytes);
  return name;
}
