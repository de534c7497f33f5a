import { vietnamDay } from '../../web/format.js';
import { type MergePlan, targetName } from './merge.js';
import type { UnitRow } from './repository.js';
import { fullUnitName } from './unitKinds.js';

const named = (unit: UnitRow) => `${fullUnitName(unit)}${unit.code ? ` (${unit.code})` : ''}`;

/** The plan in Vietnamese, one line per receiving unit, then the totals: what a dry run prints. */
export function describeMergePlan(plan: MergePlan): string[] {
  const lines: string[] = [];
  for (const group of plan.groups) {
    const status = 'created' in group.target ? 'đơn vị mới' : 'đơn vị hiện có';
    lines.push(
      `  ${targetName(group.target)} (${[group.code, status].filter(Boolean).join(', ')}) ← ${group.sources.map(named).join(', ')}`,
    );
  }
  const merged = plan.groups.reduce((n, g) => n + g.sources.length, 0);
  const created = plan.groups.filter((g) => 'created' in g.target).length;
  if (plan.groups.length > 0) {
    lines.push(
      `Sáp nhập ${merged} đơn vị vào ${plan.groups.length} đơn vị (${created} đơn vị mới) từ ngày ${vietnamDay(plan.effectiveOn)}.`,
      `Chuyển theo: ${plan.movedChildren} đơn vị cấp dưới, ${plan.members.people} người, ${plan.members.roles} vai trò.`,
    );
  }
  if (plan.dissolved.length > 0) {
    lines.push(
      `Giải thể ${plan.dissolved.length} đơn vị không còn đơn vị trực thuộc: ${plan.dissolved.map(named).join(', ')}.`,
    );
  }
  for (const kept of plan.keptWithMembers) {
    lines.push(
      `Giữ lại ${named(kept.unit)}: không còn đơn vị trực thuộc nhưng còn ${kept.people} người, ${kept.roles} vai trò.`,
    );
  }
  if (plan.alreadyApplied > 0) lines.push(`${plan.alreadyApplied} dòng đã được áp dụng từ trước; bỏ qua.`);
  if (plan.groups.length === 0 && plan.errors.length === 0) lines.push('Không có gì cần thay đổi.');
  return lines;
}
