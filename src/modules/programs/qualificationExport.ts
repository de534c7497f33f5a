/**
 * The export of confirmed qualifications for the systems that must receive them (VNeID,
 * officials' personnel records): one column layout, written as .xlsx (streamed) or CSV (UTF-8
 * with BOM). docs/export-qualifications.md documents the layout; change both together.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { vietnamTime } from '../../web/format.js';
import { CSV_BOM, csvLine } from '../audit/csv.js';
import { BLOCKS, isBlock } from '../identity/blocks.js';
import { maskNationalId } from '../identity/rosterNationalId.js';
import { verifyPath } from '../learning/pages.js';
import { auditFilters, filterSummary, type ResolvedFilter } from './qualificationFilters.js';
import { QUALIFICATION_STATUS_LABELS } from './qualificationStatus.js';
import { allQualifications, type QualificationRecord } from './qualifications.js';

export type ExportFormat = 'xlsx' | 'csv' | 'json';

export const EXPORT_TITLE = 'Danh sách xác nhận đạt yêu cầu “Bình dân học vụ số”';
/** Rows above the header in the sheet: title, filter, generation time. */
export const SHEET_HEADER_ROW = 4;

type Cell = string | null;

interface Column {
  header: string;
  /** Width in characters, for the sheet. */
  width: number;
  /** A calendar day `YYYY-MM-DD`: a date cell in the sheet, the ISO text in CSV. */
  day?: boolean;
  value: (r: QualificationRecord, publicUrl: string) => Cell;
}

const revokedDay = (r: QualificationRecord) => (r.revokedAt ? todayInVietnam(new Date(r.revokedAt)) : null);

/** The layout, in order. */
export const EXPORT_COLUMNS: readonly Column[] = [
  { header: 'Số hiệu', width: 22, value: (r) => r.code },
  { header: 'Họ và tên', width: 28, value: (r) => r.holderName },
  { header: 'CCCD (4 số cuối)', width: 16, value: (r) => maskNationalId(r.nationalIdLast4) || null },
  { header: 'Đơn vị', width: 28, value: (r) => r.unit?.fullName ?? null },
  { header: 'Mã đơn vị', width: 11, value: (r) => r.unit?.code ?? null },
  {
    header: 'Đối tượng',
    width: 24,
    value: (r) => (r.targetBlock && isBlock(r.targetBlock) ? BLOCKS[r.targetBlock] : null),
  },
  { header: 'Chương trình', width: 36, value: (r) => r.programName },
  { header: 'Ngày cấp', width: 12, day: true, value: (r) => r.issuedOn },
  { header: 'Hết hiệu lực từ ngày', width: 14, day: true, value: (r) => r.expiresOn },
  { header: 'Mã trạng thái', width: 11, value: (r) => r.status },
  { header: 'Trạng thái', width: 14, value: (r) => QUALIFICATION_STATUS_LABELS[r.status] },
  { header: 'Ngày thu hồi', width: 12, day: true, value: revokedDay },
  { header: 'Lý do thu hồi', width: 30, value: (r) => r.revokedReason },
  { header: 'Địa chỉ kiểm tra', width: 46, value: (r, url) => `${url}${verifyPath(r.code)}` },
];

/** The file name of an export made today. */
export const exportFileName = (format: 'xlsx' | 'csv') => `dat-yeu-cau-${todayInVietnam()}.${format}`;

/** Records an export in the audit log, before the first byte leaves: an aborted download still counts. */
export function auditExport(
  ctx: AppContext,
  actor: Actor,
  resolved: ResolvedFilter,
  format: ExportFormat,
  extra: Record<string, string | number | null> = {},
): Promise<void> {
  return ctx.audit.record(ctx.db, {
    tenantId: resolved.filter.tenantId,
    actor,
    action: 'qualifications.exported',
    subject: {
      type: 'qualification',
      id: resolved.unit?.id ?? resolved.filter.tenantId,
      label: EXPORT_TITLE,
    },
    unitId: resolved.unit?.id ?? null,
    details: { format, filters: filterSummary(resolved), ...auditFilters(resolved), ...extra },
  });
}

/** The CSV file, a line at a time: BOM, header, one line per qualification. */
export async function* exportCsv(ctx: AppContext, resolved: ResolvedFilter): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(EXPORT_COLUMNS.map((c) => c.header));
  for await (const record of allQualifications(ctx.db, ctx.org, resolved.filter)) {
    yield csvLine(EXPORT_COLUMNS.map((c) => c.value(record, ctx.config.publicUrl) ?? ''));
  }
}

/** A calendar day as an Excel date (midnight UTC, so no time zone moves it). */
const excelDay = (day: string) => new Date(`${day}T00:00:00Z`);

/**
 * Writes the .xlsx to `stream` with exceljs's streaming writer: each row is committed as it is
 * written, so a province-wide export never sits in memory. Title, filter and time come first;
 * the header row is frozen and carries an auto-filter.
 */
export async function writeXlsx(
  ctx: AppContext,
  resolved: ResolvedFilter,
  exportedBy: string,
  stream: Writable,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'hocvuso';
  const lastColumn = String.fromCharCode(64 + EXPORT_COLUMNS.length);
  const sheet = workbook.addWorksheet('Đạt yêu cầu', {
    views: [{ state: 'frozen', ySplit: SHEET_HEADER_ROW }],
  });
  sheet.autoFilter = `A${SHEET_HEADER_ROW}:${lastColumn}${SHEET_HEADER_ROW}`;
  sheet.columns = EXPORT_COLUMNS.map((c) => ({
    width: c.width,
    ...(c.day ? { style: { numFmt: 'dd/mm/yyyy' } } : {}),
  }));
  const title = sheet.addRow([EXPORT_TITLE]);
  title.font = { bold: true, size: 14 };
  title.commit();
  sheet.addRow([filterSummary(resolved)]).commit();
  sheet
    .addRow([`Tạo lúc ${vietnamTime(new Date().toISOString())} (giờ Việt Nam), người xuất: ${exportedBy}`])
    .commit();
  const header = sheet.addRow(EXPORT_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  for await (const record of allQualifications(ctx.db, ctx.org, resolved.filter)) {
    sheet
      .addRow(
        EXPORT_COLUMNS.map((c) => {
          const value = c.value(record, ctx.config.publicUrl);
          return c.day && value ? excelDay(value) : value;
        }),
      )
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}
