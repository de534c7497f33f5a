import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../db/time.js';
import { foldForSearch } from '../../text/vietnamese.js';
import { orgRepository as repo, type UnitRow } from './repository.js';
import { buildUnitRow } from './service.js';
import { type LineError, readUnitFile, type UnitLine } from './unitFile.js';
import { inferUnitKind, isUnitKind, type UnitKind } from './unitKinds.js';

export interface UnitImportReport {
  ok: boolean;
  created: number;
  updated: number;
  unchanged: number;
  /** Every problem found, by line; when there is any, nothing was written. */
  errors: LineError[];
}

const CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;

interface Resolved {
  line: UnitLine;
  kind: UnitKind;
  existing: UnitRow | undefined;
}

/** Checks every line against the file itself and the tenant's current units. */
function resolveLines(
  lines: UnitLine[],
  root: UnitRow,
  existingByCode: Map<string, UnitRow>,
  existingById: Map<string, UnitRow>,
): { resolved: Resolved[]; errors: LineError[] } {
  const errors: LineError[] = [];
  const byCode = new Map<string, UnitLine>();
  for (const line of lines) {
    const fail = (message: string) => errors.push({ line: line.line, message });
    if (!CODE.test(line.code))
      fail(`Mã đơn vị "${line.code}" không hợp lệ (chỉ gồm chữ, số, tối đa 32 ký tự).`);
    if (!line.name) fail('Thiếu tên đơn vị.');
    else if (line.name.length > 200) fail('Tên đơn vị dài quá 200 ký tự.');
    if (!line.typeLabel) fail('Thiếu loại đơn vị (ví dụ: Xã, Phường, Thôn).');
    if (line.kind && !isUnitKind(line.kind)) fail(`Loại "${line.kind}" không được hỗ trợ.`);
    if (line.code === root.code) fail(`Mã ${line.code} là đơn vị gốc của đơn vị chủ quản, không nhập lại.`);
    const earlier = byCode.get(line.code);
    if (earlier) fail(`Mã đơn vị ${line.code} đã có ở dòng ${earlier.line}.`);
    else byCode.set(line.code, line);
  }

  const kinds = new Map<string, UnitKind | null>();
  const visiting = new Set<string>();
  /** The kind of the unit with `code`, resolving parents first; null when it cannot be known. */
  const kindOf = (code: string): UnitKind | null => {
    if (kinds.has(code)) return kinds.get(code) ?? null;
    const line = byCode.get(code);
    if (!line) {
      const existing = existingByCode.get(code);
      return existing && isUnitKind(existing.kind) ? existing.kind : null;
    }
    if (visiting.has(code)) return null;
    visiting.add(code);
    const parentKind = line.parentCode ? kindOf(line.parentCode) : (root.kind as UnitKind);
    const kind = line.kind && isUnitKind(line.kind) ? line.kind : inferUnitKind(line.typeLabel, parentKind);
    visiting.delete(code);
    kinds.set(code, kind);
    return kind;
  };

  const resolved: Resolved[] = [];
  for (const line of byCode.values()) {
    const fail = (message: string) => errors.push({ line: line.line, message });
    if (line.parentCode && !byCode.has(line.parentCode) && !existingByCode.has(line.parentCode)) {
      fail(`Không tìm thấy đơn vị cấp trên có mã ${line.parentCode}.`);
      continue;
    }
    if (hasCycle(line, byCode)) {
      fail(`Mã ${line.code} nằm trong một vòng lặp cấp trên – cấp dưới.`);
      continue;
    }
    const existing = existingByCode.get(line.code);
    const existingParent = existing?.parentId ? existingById.get(existing.parentId) : undefined;
    const wantedParentCode = line.parentCode || (root.code ?? '');
    if (existing && existingParent && (existingParent.code ?? '') !== wantedParentCode) {
      fail(
        `Đơn vị ${line.code} đang thuộc đơn vị mã ${existingParent.code}; chuyển đơn vị phải làm bằng chức năng tổ chức lại.`,
      );
      continue;
    }
    const kind = kindOf(line.code);
    if (!kind) {
      fail(`Không xác định được loại của "${line.typeLabel} ${line.name}"; hãy điền cột kind.`);
      continue;
    }
    resolved.push({ line, kind, existing });
  }
  return { resolved, errors };
}

function hasCycle(line: UnitLine, byCode: Map<string, UnitLine>): boolean {
  const seen = new Set([line.code]);
  for (let parent = byCode.get(line.parentCode); parent; parent = byCode.get(parent.parentCode)) {
    if (seen.has(parent.code)) return true;
    seen.add(parent.code);
  }
  return false;
}

/**
 * Loads a unit list (CSV, see unitFile.ts) into a tenant. Units are matched by official code:
 * new codes are created below their parent, renamed ones updated, the rest left alone, so
 * importing the same file twice changes nothing. A file with any bad line is refused whole,
 * with every problem listed by line number.
 */
export async function importUnits(
  db: Db,
  tenantId: string,
  content: string,
  options: { validFrom?: string } = {},
): Promise<UnitImportReport> {
  const report: UnitImportReport = { ok: false, created: 0, updated: 0, unchanged: 0, errors: [] };
  const { units, errors: fileErrors } = readUnitFile(content);
  const root = await repo.rootUnit(db.kysely, tenantId);
  if (!root) {
    report.errors = [{ line: 0, message: 'Đơn vị chủ quản chưa có đơn vị gốc (tỉnh/thành phố).' }];
    return report;
  }

  return db.kysely.transaction().execute(async (trx) => {
    const current = await repo.currentUnitsWithCodes(trx, tenantId);
    const existingByCode = new Map(current.filter((u) => u.code !== null).map((u) => [u.code as string, u]));
    const existingById = new Map(current.map((u) => [u.id, u]));
    const { resolved, errors } = resolveLines(units, root, existingByCode, existingById);
    report.errors = [...fileErrors, ...errors].sort((a, b) => a.line - b.line);
    if (report.errors.length > 0) return report;

    const now = nowIso();
    const placed = new Map<string, UnitRow>(existingByCode);
    placed.set(root.code ?? '', root);
    const toInsert: UnitRow[] = [];
    const pending = [...resolved];
    // Parents come before their children: repeat until every unit has found its placed parent.
    while (pending.length > 0) {
      const before = pending.length;
      for (let i = pending.length - 1; i >= 0; i--) {
        const item = pending[i] as Resolved;
        const parent = placed.get(item.line.parentCode || (root.code ?? ''));
        if (!parent) continue;
        pending.splice(i, 1);
        const { line, kind, existing } = item;
        if (!existing) {
          const row = buildUnitRow(
            tenantId,
            parent,
            {
              parentId: parent.id,
              kind,
              typeLabel: line.typeLabel,
              name: line.name,
              code: line.code,
              ...(options.validFrom ? { validFrom: options.validFrom } : {}),
            },
            now,
          );
          placed.set(line.code, row);
          toInsert.push(row);
          report.created++;
        } else if (
          existing.name !== line.name ||
          existing.typeLabel !== line.typeLabel ||
          existing.kind !== kind
        ) {
          await renameUnit(trx, existing, { name: line.name, typeLabel: line.typeLabel, kind }, now);
          report.updated++;
        } else {
          report.unchanged++;
        }
      }
      if (pending.length === before) throw new Error('unit import: unresolved parents after validation');
    }
    toInsert.sort((a, b) => a.depth - b.depth);
    await repo.insertUnits(trx, toInsert);
    report.ok = true;
    return report;
  });
}

/** Renames a unit in place and refreshes the search text of its whole subtree. */
async function renameUnit(
  trx: Transaction<Database>,
  unit: UnitRow,
  changes: { name: string; typeLabel: string; kind: string },
  now: string,
): Promise<void> {
  const searchName = foldForSearch(`${changes.typeLabel} ${changes.name}`);
  const parentSearchPath = unit.searchPath.slice(unit.searchName.length);
  await repo.updateUnit(trx, unit.id, {
    ...changes,
    searchName,
    searchPath: `${searchName}${parentSearchPath}`,
    updatedAt: now,
  });
  const searchPaths = new Map([[unit.id, `${searchName}${parentSearchPath}`]]);
  for (const child of await repo.subtree(trx, unit.tenantId, unit.path)) {
    if (child.id === unit.id || !child.parentId) continue;
    const searchPath = `${child.searchName} ${searchPaths.get(child.parentId) ?? ''}`;
    searchPaths.set(child.id, searchPath);
    await repo.updateUnit(trx, child.id, { searchPath });
  }
}
