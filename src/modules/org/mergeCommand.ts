import { readFileSync } from 'node:fs';
import type { AppContext } from '../../web/context.js';
import { mergeUnits } from './merge.js';
import { readMergeFile, readUnitCatalog } from './mergeFile.js';
import { describeMergePlan } from './mergeReport.js';
import { movedWithUnits } from './movedWithUnits.js';
import type { Tenant } from './service.js';

/** The official 2025 list of communes: where new units of a mapping are found by default. */
export const OFFICIAL_UNITS_2025 = new URL('../../../resources/vn-admin/communes-2025.csv', import.meta.url);

export interface MergeCommand {
  mappingFile: string;
  effectiveOn: string;
  unitsFile: string | URL;
  parentCode?: string;
  dryRun: boolean;
}

/** `hocvuso org apply-merge`: reads the files, prints the plan, applies it unless a dry run. */
export async function applyMergeCommand(
  ctx: AppContext,
  tenant: Tenant,
  command: MergeCommand,
  print: (line: string) => void,
): Promise<number> {
  print(`Đang đọc ${command.mappingFile}…`);
  const mapping = readMergeFile(readFileSync(command.mappingFile, 'utf8'));
  const catalog = readUnitCatalog(readFileSync(command.unitsFile, 'utf8'));
  const fileErrors = [
    ...mapping.errors.map((e) => `  ${command.mappingFile}:${e.line}: ${e.message}`),
    ...catalog.errors.map((e) => `  ${command.unitsFile}:${e.line}: ${e.message}`),
  ];
  if (fileErrors.length > 0) {
    print(`Tệp bị từ chối, không có thay đổi nào. ${fileErrors.length} lỗi:`);
    for (const line of fileErrors) print(line);
    return 1;
  }
  print(`${mapping.lines.length} dòng ghép đơn vị; đang kiểm tra với cây đơn vị của ${tenant.name}…`);
  const plan = await mergeUnits(
    ctx.db,
    { members: movedWithUnits, audit: ctx.audit },
    tenant.id,
    mapping.lines,
    {
      effectiveOn: command.effectiveOn,
      catalog: catalog.units,
      parentCode: command.parentCode,
      dryRun: command.dryRun,
      actor: null,
    },
  );
  if (plan.errors.length > 0) {
    print(`Không áp dụng được, không có thay đổi nào. ${plan.errors.length} lỗi:`);
    for (const e of plan.errors) print(e.line > 0 ? `  Dòng ${e.line}: ${e.message}` : `  ${e.message}`);
    return 1;
  }
  for (const line of describeMergePlan(plan)) print(line);
  if (plan.groups.length === 0) return 0;
  if (!command.dryRun) await ctx.identity.peopleChanged(tenant.id, null);
  print(
    command.dryRun
      ? 'Chạy thử: chưa thay đổi gì. Chạy lại không có --dry-run để áp dụng.'
      : 'Đã áp dụng trong một giao dịch. Hồ sơ học tập vẫn gắn với đơn vị lúc học.',
  );
  return 0;
}
