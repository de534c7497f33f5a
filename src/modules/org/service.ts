import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { nowIso, todayInVietnam } from '../../db/time.js';
import { validationFailed } from '../../errors.js';
import { cleanText, compareVietnamese, foldForSearch, searchTokens } from '../../text/vietnamese.js';
import { effectiveDayProblem } from './effectiveDay.js';
import { OrgSnapshot } from './history.js';
import { relocate } from './relocate.js';
import { orgRepository as repo, type TenantRow, type UnitRow } from './repository.js';
import { fullUnitName, type UnitKind } from './unitKinds.js';

/** A unit as other modules and the API see it. */
export interface Unit {
  id: string;
  tenantId: string;
  parentId: string | null;
  path: string;
  depth: number;
  kind: string;
  typeLabel: string;
  name: string;
  fullName: string;
  code: string | null;
}

/** A unit with the names of the units above it, nearest first ("Huyện Đại Lộc", "Tỉnh Quảng Nam"). */
export interface PlacedUnit extends Unit {
  ancestors: string[];
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

/** What an administrator sets on a unit. */
export interface UnitFields {
  name: string;
  typeLabel: string;
  kind: UnitKind;
  code: string | null;
}

export interface NewUnit {
  parentId: string | null;
  kind: UnitKind;
  typeLabel: string;
  name: string;
  code?: string | null;
  validFrom?: string;
}

export const toUnit = (row: UnitRow): Unit => ({
  id: row.id,
  tenantId: row.tenantId,
  parentId: row.parentId,
  path: row.path,
  depth: row.depth,
  kind: row.kind,
  typeLabel: row.typeLabel,
  name: row.name,
  fullName: fullUnitName(row),
  code: row.code,
});

const toTenant = (row: TenantRow): Tenant => ({ id: row.id, slug: row.slug, name: row.name });

/** Builds the stored row of a new unit below `parent` (or as the tenant's root). */
export function buildUnitRow(
  tenantId: string,
  parent: UnitRow | null,
  unit: NewUnit,
  now = nowIso(),
): UnitRow {
  const id = randomUUID();
  const name = cleanText(unit.name);
  const typeLabel = cleanText(unit.typeLabel);
  const searchName = foldForSearch(`${typeLabel} ${name}`);
  return {
    id,
    tenantId,
    parentId: parent?.id ?? null,
    path: `${parent?.path ?? '/'}${id}/`,
    depth: parent ? parent.depth + 1 : 0,
    kind: unit.kind,
    typeLabel,
    name,
    code: unit.code ?? null,
    searchName,
    searchPath: parent ? `${searchName} ${parent.searchPath}` : searchName,
    validFrom: unit.validFrom ?? todayInVietnam(),
    validTo: null,
    createdAt: now,
    updatedAt: now,
  };
}

const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Rank of a search hit: the unit's own name equal to, starting with, containing the query; else an ancestor's. */
function searchRank(row: UnitRow, tokens: string[]): number {
  const query = tokens.join(' ');
  const own = foldForSearch(row.name);
  if (own === query) return 0;
  if (own.startsWith(query)) return 1;
  if (tokens.every((t) => row.searchName.includes(t))) return 2;
  return 3;
}

const TENANT_CACHE_MS = 10_000;
const MAX_CACHED_HOSTS = 100;

export class OrgService {
  private readonly hostAnswers = new Map<string, { tenant: Tenant; until: number }>();

  constructor(private readonly db: Db) {}

  private get q(): Kysely<Database> {
    return this.db.kysely;
  }

  /** Creates a tenant with its root unit (the province, or the nation), in one transaction. */
  async createTenant(input: {
    slug: string;
    name: string;
    root: Omit<NewUnit, 'parentId'>;
  }): Promise<Tenant> {
    const slug = input.slug.trim();
    if (!TENANT_SLUG.test(slug)) {
      throw validationFailed({
        slug: 'Mã đơn vị chủ quản chỉ gồm chữ thường không dấu, số và dấu gạch ngang.',
      });
    }
    if (await repo.tenantBySlug(this.q, slug)) {
      throw validationFailed({ slug: `Đơn vị chủ quản "${slug}" đã tồn tại.` });
    }
    const tenant: TenantRow = { id: randomUUID(), slug, name: cleanText(input.name), createdAt: nowIso() };
    await this.q.transaction().execute(async (trx) => {
      await repo.insertTenant(trx, tenant);
      await repo.insertUnits(trx, [buildUnitRow(tenant.id, null, { ...input.root, parentId: null })]);
    });
    return toTenant(tenant);
  }

  async tenantBySlug(slug: string): Promise<Tenant | undefined> {
    const row = await repo.tenantBySlug(this.q, slug);
    return row && toTenant(row);
  }

  /** The tenant a host label names, else the default tenant: one query on every request. */
  /**
   * The tenant a request's host names, else the default. Asked on every request, so answers
   * are kept for a few seconds: tenants are created and renamed rarely.
   */
  async tenantForHost(label: string, defaultSlug: string): Promise<Tenant | undefined> {
    const key = `${label}\n${defaultSlug}`;
    const cached = this.hostAnswers.get(key);
    if (cached && cached.until > Date.now()) return cached.tenant;
    const rows = await repo.tenantsBySlugs(this.q, [label, defaultSlug]);
    const row = rows.find((r) => r.slug === label) ?? rows.find((r) => r.slug === defaultSlug);
    const tenant = row && toTenant(row);
    // Host headers are chosen by clients: the cache stays small whatever they send.
    if (this.hostAnswers.size >= MAX_CACHED_HOSTS) this.hostAnswers.clear();
    if (tenant) this.hostAnswers.set(key, { tenant, until: Date.now() + TENANT_CACHE_MS });
    return tenant;
  }

  async tenantById(id: string): Promise<Tenant | undefined> {
    const row = await repo.tenantById(this.q, id);
    return row && toTenant(row);
  }

  async listTenants(): Promise<Tenant[]> {
    return (await repo.listTenants(this.q)).map(toTenant);
  }

  async unit(tenantId: string, id: string): Promise<Unit | undefined> {
    const row = await repo.unitById(this.q, tenantId, id);
    return row && toUnit(row);
  }

  async unitsByIds(tenantId: string, ids: string[]): Promise<Map<string, Unit>> {
    const rows = await repo.unitsByIds(this.q, tenantId, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, toUnit(r)]));
  }

  /** The units on a unit's path, the root first and the unit itself last. */
  async lineage(tenantId: string, unit: Pick<Unit, 'path'>): Promise<Unit[]> {
    const ids = unit.path.split('/').filter(Boolean);
    const units = await this.unitsByIds(tenantId, ids);
    return ids.flatMap((id) => units.get(id) ?? []);
  }

  async currentUnitByCode(tenantId: string, code: string): Promise<Unit | undefined> {
    const row = await repo.currentUnitByCode(this.q, tenantId, code);
    return row && toUnit(row);
  }

  async rootUnit(tenantId: string): Promise<Unit | undefined> {
    const row = await repo.rootUnit(this.q, tenantId);
    return row && toUnit(row);
  }

  /** Adds units in order (a parent before its children), in the caller's transaction if given. */
  async addUnits(tenantId: string, units: NewUnit[], trx?: Transaction<Database>): Promise<Unit[]> {
    const q = trx ?? this.q;
    const known = new Map<string, UnitRow>();
    const rows: UnitRow[] = [];
    for (const unit of units) {
      let parent: UnitRow | null = null;
      if (unit.parentId) {
        parent = known.get(unit.parentId) ?? (await repo.unitById(q, tenantId, unit.parentId)) ?? null;
        if (!parent) throw validationFailed({ parentId: 'Không tìm thấy đơn vị cấp trên.' });
      }
      const row = buildUnitRow(tenantId, parent, unit);
      known.set(row.id, row);
      rows.push(row);
    }
    await repo.insertUnits(q, rows);
    return rows.map(toUnit);
  }

  /** Current child units, in Vietnamese alphabetical order. */
  async children(tenantId: string, parentId: string): Promise<Unit[]> {
    const rows = await repo.children(this.q, tenantId, parentId, todayInVietnam());
    return rows.map(toUnit).sort((a, b) => compareVietnamese(a.name, b.name));
  }

  /**
   * Finds current units by name, ignoring diacritics and case ("dai loc" finds "Đại Lộc"),
   * matching the names of their parents too, so "dai hiep dai loc" finds Xã Đại Hiệp in Đại Lộc.
   * Best matches first: exact name, name prefix, own name, then matches through a parent.
   */
  async searchUnits(tenantId: string, query: string, limit = 20): Promise<PlacedUnit[]> {
    const tokens = searchTokens(query);
    if (tokens.length === 0) return [];
    const rows = await repo.search(this.q, tenantId, tokens, todayInVietnam(), Math.max(limit * 10, 200));
    const ranked = rows
      .map((row) => ({ row, rank: searchRank(row, tokens) }))
      .sort(
        (a, b) => a.rank - b.rank || a.row.depth - b.row.depth || compareVietnamese(a.row.name, b.row.name),
      )
      .slice(0, limit)
      .map((r) => r.row);
    return this.placeUnits(tenantId, ranked);
  }

  /** Adds to each unit the full names of its ancestors, nearest first. */
  async placeUnits(tenantId: string, rows: UnitRow[]): Promise<PlacedUnit[]> {
    const ancestorIds = rows.flatMap((r) => r.path.split('/').filter((id) => id && id !== r.id));
    const ancestors = await this.unitsByIds(tenantId, ancestorIds);
    return rows.map((row) => ({
      ...toUnit(row),
      ancestors: row.path
        .split('/')
        .filter((id) => id && id !== row.id)
        .reverse()
        .map((id) => ancestors.get(id)?.fullName ?? '')
        .filter(Boolean),
    }));
  }

  async placeUnitsByIds(tenantId: string, ids: string[]): Promise<Map<string, PlacedUnit>> {
    const rows = await repo.unitsByIds(this.q, tenantId, [...new Set(ids)]);
    return new Map((await this.placeUnits(tenantId, rows)).map((u) => [u.id, u]));
  }

  async placeUnit(tenantId: string, id: string): Promise<PlacedUnit | undefined> {
    const row = await repo.unitById(this.q, tenantId, id);
    return row && (await this.placeUnits(tenantId, [row]))[0];
  }

  /** Ids of the unit at `path` and of every unit below it, closed ones included (history stays in scope). */
  async subtreeIds(tenantId: string, path: string): Promise<string[]> {
    return (await repo.subtree(this.q, tenantId, path)).map((u) => u.id);
  }

  /** Renames a unit or changes its type, kind or official code; a code is unique among current units. */
  async updateUnit(tenantId: string, id: string, changes: UnitFields): Promise<Unit> {
    const row = await repo.unitById(this.q, tenantId, id);
    if (!row) throw validationFailed({ id: 'Không tìm thấy đơn vị này.' });
    const clean = await this.checkedFields(tenantId, changes, id);
    const now = nowIso();
    const searchName = foldForSearch(`${clean.typeLabel} ${clean.name}`);
    await repo.updateUnit(this.q, id, { ...clean, searchName, updatedAt: now });
    return toUnit({ ...row, ...clean, searchName, updatedAt: now });
  }

  /** Adds one unit below `parentId`, checked like an edit. */
  async addUnit(tenantId: string, parentId: string, fields: UnitFields): Promise<Unit> {
    const clean = await this.checkedFields(tenantId, fields, null);
    const [unit] = await this.addUnits(tenantId, [{ parentId, ...clean }]);
    return unit as Unit;
  }

  /** The fields cleaned, or every problem with them in Vietnamese. */
  private async checkedFields(
    tenantId: string,
    fields: UnitFields,
    ownId: string | null,
  ): Promise<UnitFields> {
    const name = cleanText(fields.name);
    const typeLabel = cleanText(fields.typeLabel);
    const code = fields.code === null ? null : cleanText(fields.code);
    const errors: Record<string, string> = {};
    if (name.length < 2 || name.length > 120) errors.name = 'Tên đơn vị cần từ 2 đến 120 ký tự.';
    if (typeLabel.length < 2 || typeLabel.length > 40) {
      errors.typeLabel = 'Loại đơn vị (ví dụ: Xã, Thôn) cần từ 2 đến 40 ký tự.';
    }
    if (code !== null && !/^[0-9A-Za-z._-]{1,20}$/.test(code)) {
      errors.code = 'Mã đơn vị chỉ gồm chữ, số và . _ -, tối đa 20 ký tự.';
    }
    if (code !== null && !errors.code) {
      const holder = await repo.currentUnitByCode(this.q, tenantId, code);
      if (holder && holder.id !== ownId) errors.code = `Mã "${code}" đã là mã của ${fullUnitName(holder)}.`;
    }
    if (Object.keys(errors).length > 0) throw validationFailed(errors);
    return { name, typeLabel, kind: fields.kind, code };
  }

  /** The unit at `path` and every unit below it, closed ones included. */
  async subtreeUnits(tenantId: string, path: string): Promise<Unit[]> {
    return (await repo.subtree(this.q, tenantId, path)).map(toUnit);
  }

  /**
   * Moves a unit, with everything below it, under another parent from `effectiveOn` (a day not
   * in the future, and not before the last change at or below the unit). People keep their unit
   * (and so move along); a unit cannot go under itself or its own descendants.
   */
  async moveUnit(
    tenantId: string,
    id: string,
    newParentId: string,
    effectiveOn: string = todayInVietnam(),
  ): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const unit = await repo.unitById(trx, tenantId, id);
      const parent = await repo.unitById(trx, tenantId, newParentId);
      if (!unit || !parent) throw validationFailed({ parentId: 'Không tìm thấy đơn vị.' });
      if (!unit.parentId) throw validationFailed({ parentId: 'Không thể chuyển đơn vị gốc.' });
      if (parent.path.startsWith(unit.path)) {
        throw validationFailed({
          parentId: 'Không thể chuyển một đơn vị vào chính nó hoặc đơn vị con của nó.',
        });
      }
      if (unit.validTo !== null || parent.validTo !== null) {
        throw validationFailed({ parentId: 'Đơn vị đã giải thể không thể chuyển hay nhận đơn vị con.' });
      }
      const problem = effectiveDayProblem(
        effectiveOn,
        [unit.validFrom, parent.validFrom, await repo.lastChangeIn(trx, tenantId, unit.path)].filter(
          (d): d is string => d !== null,
        ),
      );
      if (problem) throw validationFailed({ effectiveOn: problem });
      await relocate(trx, tenantId, unit, parent, effectiveOn, nowIso());
    });
  }

  /** The unit in force today that stands for `id`: itself, or the unit it merged into. */
  async inForce(tenantId: string, id: string): Promise<Unit | undefined> {
    return (await this.inForceMany(tenantId, [id])).get(id);
  }

  /** `inForce` for many units at once: one query unless some of them merged away. */
  async inForceMany(tenantId: string, ids: string[]): Promise<Map<string, Unit>> {
    const rows = await repo.unitsByIds(this.q, tenantId, [...new Set(ids)]);
    const found = new Map(rows.filter((r) => r.validTo === null).map((r) => [r.id, toUnit(r)]));
    const closed = rows.filter((r) => r.validTo !== null);
    if (closed.length > 0) {
      const snapshot = await this.snapshotOn(tenantId, todayInVietnam());
      for (const row of closed) {
        const successor = snapshot.resolve(row.id);
        if (successor) found.set(row.id, toUnit(successor));
      }
    }
    return found;
  }

  /** The tree as it stood on `day` (see OrgSnapshot); today's tree when `day` is today. */
  async snapshotOn(tenantId: string, day: string): Promise<OrgSnapshot> {
    const [units, placements, successions] = await Promise.all([
      repo.allUnits(this.q, tenantId),
      repo.placements(this.q, tenantId),
      repo.successions(this.q, tenantId),
    ]);
    return new OrgSnapshot(day, units, placements, successions);
  }

  /** How many units are in force in each tenant. */
  async currentUnitsByTenant(): Promise<Map<string, number>> {
    return new Map((await repo.currentUnitsByTenant(this.q)).map((r) => [r.tenantId, Number(r.n)]));
  }

  countUnits(tenantId: string): Promise<number> {
    return repo.countUnits(this.q, tenantId);
  }
}
