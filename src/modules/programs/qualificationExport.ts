/**
 * The export of confirmed qualifications for the systems that must receive them (VNeID,
 * officials' personnel records): one column layout, written as .xlsx (streamed) or CSV (UTF-8
 * with BOM). docs/export-qualifications.md documents the layout; change both together.
 */
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import type { Cell, TableColumn, TableSheet } from '../../files/tableExport.js';
import type { AppContext } from '../../web/context.js';
import { vietnamTime } from '../../web/format.js';
import { BLOCKS, isBlock } from '../identity/blocks.js';
import { maskNationalId } from '../identity/rosterNationalId.js';
import { verifyPath } from '../learning/pages.js';
import { auditFilters, filterSummary, type ResolvedFilter } from './qualificationFilters.js';
import { QUALIFICATION_STATUS_LABELS } from './qualificationStatus.js';
import { allQualifications, type QualificationRecord } from './qualifications.js';

export type ExportFormat = 'xlsx' | 'csv' | 'json';

export const EXPORT_TITLE = 'Danh sách xác nhận đạt yêu cầu “Bình dân học vụ số”';

interface Column extends TableColumn {
  value: (r: QualificationRecord, publicUrl: string) => string | null;
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

/** The file name (without extension) of an export made today. */
export const exportFileName = () => `dat-yeu-cau-${todayInVietnam()}`;

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

/** The qualifications as table rows, in the layout's order, one at a time. */
async function* exportRows(ctx: AppContext, resolved: ResolvedFilter): AsyncGenerator<Cell[]> {
  for await (const record of allQualifications(ctx.db, ctx.org, resolved.filter)) {
    yield EXPORT_COLUMNS.map((c) => c.value(record, ctx.config.publicUrl));
  }
}

/** The export as a table: title, filter and time above the header, one row per qualification. */
export function exportTable(ctx: AppContext, resolved: ResolvedFilter, exportedBy: string): TableSheet {
  return {
    sheetName: 'Đạt yêu cầu',
    lines: [
      EXPORT_TITLE,
      filterSummary(resolved),
      `Tạo lúc ${vietnamTime(new Date().toISOString())} (giờ Việt Nam), người xuất: ${exportedBy}`,
    ],
    columns: EXPORT_COLUMNS,
    rows: exportRows(ctx, resolved),
  };
}
