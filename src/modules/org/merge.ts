import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { type Db, inTransaction } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../db/time.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AuditActor, AuditService } from '../audit/service.js';
import type { UnitMembers } from '../identity/unitMembers.js';
import { effectiveDayProblem } from './effectiveDay.js';
import type { CatalogUnit, MergeLine } from './mergeFile.js';
import { relocate } from './relocate.js';
import { orgRepository as repo, type SuccessionRow, type UnitRow } from './repository.js';
import { buildUnitRow } from './service.js';
import type { LineError } from './unitFile.js';
import { fullUnitName, inferUnitKind, type UnitKind } from './unitKinds.js';

export interface MergeOptions {
  effectiveOn: string;
  /** Official units a mapping may create when its new code is not in the tree yet. */
  catalog: Map<string, CatalogUnit>;
  /** Where new units go: the current unit with this code; the tenant's root when absent. */
  parentCode?: string;
}

/** The unit that receives merged units: one already in the tree, or one the merge creates. */
export type MergeTarget = { existing: UnitRow } | { created: NewUnitSpec };

/** A unit a merge creates below the plan's parent. */
export interface NewUnitSpec {
  code: string | null;
  name: string;
  typeLabel: string;
  kind: UnitKind;
  fullName: string;
}

export interface MergeGroup {
  code: string | null;
  target: MergeTarget;
  sources: UnitRow[];
}

/** What a mapping would change, worked out before anything is written. */
export interface MergePlan {
  effectiveOn: string;
  /** Parent of the units the merge creates. */
  parent: UnitRow | null;
  groups: MergeGroup[];
  /** Mapping lines an earlier run applied already (a re-run changes nothing). */
  alreadyApplied: number;
  /** Units left with no unit below them and nobody in them: closed on the same day. */
  dissolved: UnitRow[];
  /** Units left empty of units but with people or roles: kept, for an administrator to see to. */
  keptWithMembers: { unit: UnitRow; people: number; roles: number }[];
  /** Units below the merged ones (villages…) that move to the receiving units. */
  movedChildren: number;
  /** People and role grants whose unit is merged. */
  members: { people: number; roles: number };
  errors: LineError[];
  /** Once applied: the units that received the merged ones, one per group. */
  receivers: UnitRow[];
}

export const targetName = (target: MergeTarget) =>
  'existing' in target ? fullUnitName(target.existing) : target.created.fullName;

interface Context {
  db: Db;
  members: UnitMembers;
  tenantId: string;
}

async function planIn(ctx: Context, lines: MergeLine[], options: MergeOptions): Promise<MergePlan> {
  const { db, tenantId } = ctx;
  const q = db.kysely;
  const [current, all, successions, root] = await Promise.all([
    repo.currentUnitsWithCodes(q, tenantId),
    repo.allUnits(q, tenantId),
    repo.successions(q, tenantId),
    repo.rootUnit(q, tenantId),
  ]);
  const byCode = new Map(current.map((u) => [u.code as string, u]));
  const byId = new Map(all.map((u) => [u.id, u]));
  const applied = new Set(
    successions.map((s) => `${byId.get(s.fromUnitId)?.code}>${byId.get(s.toUnitId)?.code}@${s.effectiveOn}`),
  );
  const plan = emptyPlan(
    options.effectiveOn,
    options.parentCode ? (byCode.get(options.parentCode) ?? null) : (root ?? null),
  );
  const fail = (line: number, message: string) => plan.errors.push({ line, message });
  if (!plan.parent) fail(0, `Không có đơn vị đang hoạt động mang mã ${options.parentCode} (--parent).`);

  const pending: MergeLine[] = [];
  for (const line of lines) {
    if (applied.has(`${line.oldCode}>${line.newCode}@${options.effectiveOn}`)) plan.alreadyApplied++;
    else pending.push(line);
  }
  const sourceOf = new Map<string, UnitRow>();
  for (const line of pending) {
    const source = byCode.get(line.oldCode);
    if (!source) fail(line.line, `Không có đơn vị đang hoạt động mang mã ${line.oldCode}.`);
    else if (source.parentId === null) fail(line.line, `Không thể sáp nhập đơn vị gốc (${line.oldCode}).`);
    else sourceOf.set(line.oldCode, source);
  }
  const sourceIds = new Set([...sourceOf.values()].map((u) => u.id));

  const byTarget = new Map<string, MergeLine[]>();
  for (const line of pending) byTarget.set(line.newCode, [...(byTarget.get(line.newCode) ?? []), line]);
  for (const [code, group] of byTarget) {
    const sources = group.flatMap((l) => sourceOf.get(l.oldCode) ?? []);
    const first = group[0] as MergeLine;
    const holder = byCode.get(code);
    let target: MergeTarget | null = null;
    if (holder && !sourceIds.has(holder.id)) {
      const inside = sources.find((s) => holder.path.startsWith(s.path));
      if (inside) fail(first.line, `Không thể sáp nhập ${fullUnitName(inside)} vào đơn vị cấp dưới của nó.`);
      else target = { existing: holder };
    } else {
      const official = options.catalog.get(code);
      const kind =
        official && plan.parent ? inferUnitKind(official.typeLabel, plan.parent.kind as UnitKind) : null;
      if (!official) {
        fail(
          first.line,
          `Mã mới ${code} chưa có trong cây đơn vị, cũng không có trong danh mục đơn vị (--units).`,
        );
      } else if (!kind) {
        fail(first.line, `Không xác định được cấp của "${fullUnitName(official)}" (mã ${code}).`);
      } else {
        target = { created: { ...official, kind, fullName: fullUnitName(official) } };
      }
    }
    if (target && sources.length === group.length) plan.groups.push({ code, target, sources });
  }

  return completePlan(ctx, plan, byId);
}

/** An empty plan for a day, to which the groups are added. */
const emptyPlan = (effectiveOn: string, parent: UnitRow | null): MergePlan => ({
  effectiveOn,
  parent,
  groups: [],
  alreadyApplied: 0,
  dissolved: [],
  keptWithMembers: [],
  movedChildren: 0,
  members: { people: 0, roles: 0 },
  errors: [],
  receivers: [],
});

/**
 * Checks the day against the history of every unit involved, then counts what moves and finds
 * the units the merge leaves empty: the part of planning common to files and pages.
 */
async function completePlan(ctx: Context, plan: MergePlan, byId: Map<string, UnitRow>): Promise<MergePlan> {
  const { db, tenantId } = ctx;
  const q = db.kysely;
  const sources = plan.groups.flatMap((g) => g.sources);
  const sourceIds = new Set(sources.map((u) => u.id));
  const touched = [
    ...sources,
    ...plan.groups.flatMap((g) => ('existing' in g.target ? [g.target.existing] : [])),
  ];
  const lastChanges = await Promise.all(touched.map((u) => repo.lastChangeIn(q, tenantId, u.path)));
  const dayProblem = effectiveDayProblem(plan.effectiveOn, [
    ...touched.map((u) => u.validFrom),
    ...lastChanges.filter((d): d is string => d !== null),
  ]);
  if (dayProblem) plan.errors.push({ line: 0, message: dayProblem });
  if (plan.errors.length > 0) return plan;

  plan.members = await ctx.members.countIn(db, tenantId, [...sourceIds]);
  for (const source of sources) {
    const children = await currentChildren(q, tenantId, source.id);
    plan.movedChildren += children.filter((c) => !sourceIds.has(c.id)).length;
  }
  await findEmptied(ctx, plan, sourceIds, byId);
  return plan;
}

const currentChildren = (q: Db['kysely'], tenantId: string, parentId: string) =>
  q
    .selectFrom('orgUnits')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('parentId', '=', parentId)
    .where('validTo', 'is', null)
    .execute();

/**
 * Units above the merged ones that would be left with no unit below them (a district whose
 * communes all merged away) close too, from the bottom up, unless people or roles are still
 * there or new units go below them.
 */
async function findEmptied(
  ctx: Context,
  plan: MergePlan,
  sourceIds: Set<string>,
  byId: Map<string, UnitRow>,
): Promise<void> {
  const closing = new Set(sourceIds);
  const keep = new Set(plan.groups.flatMap((g) => ('existing' in g.target ? [g.target.existing.id] : [])));
  if (plan.parent) keep.add(plan.parent.id);
  let candidates = new Set([...sourceIds].map((id) => byId.get(id)?.parentId ?? ''));
  while (candidates.size > 0) {
    const next = new Set<string>();
    for (const id of candidates) {
      const unit = byId.get(id);
      if (!unit || unit.parentId === null || keep.has(id) || closing.has(id)) continue;
      const children = await currentChildren(ctx.db.kysely, ctx.tenantId, id);
      if (!children.every((c) => closing.has(c.id))) continue;
      const members = await ctx.members.countIn(ctx.db, ctx.tenantId, [id]);
      if (members.people > 0 || members.roles > 0) {
        plan.keptWithMembers.push({ unit, ...members });
        continue;
      }
      closing.add(id);
      plan.dissolved.push(unit);
      next.add(unit.parentId);
    }
    candidates = next;
  }
}

/** Writes a checked plan: closes, creates, moves and records, in the caller's transaction. */
async function applyIn(ctx: Context, plan: MergePlan): Promise<void> {
  const { tenantId } = ctx;
  const trx = ctx.db.kysely as Transaction<Database>;
  const day = plan.effectiveOn;
  const now = nowIso();
  const moves = new Map<string, string>();
  const successions: SuccessionRow[] = [];
  const sourceIds = new Set(plan.groups.flatMap((g) => g.sources.map((s) => s.id)));
  for (const group of plan.groups) {
    // Closed first: a new unit may take over the code of one it replaces.
    await repo.closeUnits(
      trx,
      tenantId,
      group.sources.map((s) => s.id),
      day,
      now,
    );
    let target: UnitRow;
    if ('existing' in group.target) {
      target = group.target.existing;
    } else {
      const { code, name, typeLabel, kind } = group.target.created;
      target = buildUnitRow(
        tenantId,
        plan.parent,
        { parentId: plan.parent?.id ?? null, kind, typeLabel, name, code, validFrom: day },
        now,
      );
      await repo.insertUnits(trx, [target]);
    }
    plan.receivers.push(target);
    for (const source of group.sources) {
      moves.set(source.id, target.id);
      successions.push({
        id: randomUUID(),
        tenantId,
        fromUnitId: source.id,
        toUnitId: target.id,
        effectiveOn: day,
        createdAt: now,
      });
      for (const child of await currentChildren(trx, tenantId, source.id)) {
        if (!sourceIds.has(child.id)) await relocate(trx, tenantId, child, target, day, now);
      }
    }
  }
  await repo.insertSuccessions(trx, successions);
  await ctx.members.move(ctx.db, tenantId, moves);
  if (plan.dissolved.length > 0)
    await repo.closeUnits(
      trx,
      tenantId,
      plan.dissolved.map((u) => u.id),
      day,
      now,
    );
}

type Deps = { members: UnitMembers; audit: AuditService };
type RunOptions = { dryRun: boolean; actor: AuditActor | null };

/** Plans in a transaction and, unless a dry run or refused, applies the plan and audits it there. */
function run(
  db: Db,
  deps: Deps,
  tenantId: string,
  options: RunOptions,
  makePlan: (ctx: Context) => Promise<MergePlan>,
): Promise<MergePlan> {
  return inTransaction(db, async (tx) => {
    const ctx = { db: tx, members: deps.members, tenantId };
    const plan = await makePlan(ctx);
    if (options.dryRun || plan.errors.length > 0 || plan.groups.length === 0) return plan;
    await applyIn(ctx, plan);
    const merged = plan.groups.reduce((n, g) => n + g.sources.length, 0);
    const first = plan.groups[0] as MergeGroup;
    await deps.audit.record(tx, {
      tenantId,
      actor: options.actor,
      action: 'units.merged',
      subject:
        plan.groups.length === 1
          ? { type: 'unit', id: (plan.receivers[0] as UnitRow).id, label: targetName(first.target) }
          : {
              type: 'unit',
              id: plan.parent?.id ?? '',
              label: `${merged} đơn vị → ${plan.groups.length} đơn vị`,
            },
      unitId: plan.parent?.id ?? null,
      details: {
        effectiveOn: plan.effectiveOn,
        merged,
        into: plan.groups.length,
        created: plan.groups.filter((g) => 'created' in g.target).length,
        dissolved: plan.dissolved.length,
        people: plan.members.people,
      },
    });
    return plan;
  });
}

/**
 * Merges units by a mapping (old code → new code) effective from a day, as one transaction:
 * each group of old units closes, and the unit that receives them (an existing one, or a new
 * one from the official catalogue) takes their people, roles and child units. Their learning
 * records keep naming the old units, which stay in the history (see OrgSnapshot). With `dryRun`,
 * or when any line is wrong, nothing is written and the plan says what would happen.
 */
export function mergeUnits(
  db: Db,
  deps: Deps,
  tenantId: string,
  lines: MergeLine[],
  options: MergeOptions & RunOptions,
): Promise<MergePlan> {
  return run(db, deps, tenantId, options, (ctx) => planIn(ctx, lines, options));
}

/** A merge asked for on the admin pages: units of one parent, into one of them or a new unit. */
export interface SiblingMerge {
  unitIds: string[];
  into:
    | { keepId: string }
    | { newUnit: { name: string; typeLabel: string; code: string | null; kind: UnitKind } };
  effectiveOn: string;
}

const UNIT_CODE = /^[0-9A-Za-z._-]{1,20}$/;

async function planSiblings(ctx: Context, request: SiblingMerge): Promise<MergePlan> {
  const all = await repo.allUnits(ctx.db.kysely, ctx.tenantId);
  const byId = new Map(all.map((u) => [u.id, u]));
  const chosen = [...new Set(request.unitIds)].map((id) => byId.get(id));
  const first = chosen[0];
  const plan = emptyPlan(request.effectiveOn, (first?.parentId && byId.get(first.parentId)) || null);
  const fail = (message: string) => plan.errors.push({ line: 0, message });
  if (chosen.length < 2) fail('Hãy chọn ít nhất hai đơn vị để sáp nhập.');
  const units = chosen.filter((u): u is UnitRow => u !== undefined && u.validTo === null);
  if (units.length !== chosen.length) fail('Có đơn vị đã chọn không còn hoạt động.');
  if (!plan.parent || units.some((u) => u.parentId !== plan.parent?.id)) {
    fail('Chỉ sáp nhập được các đơn vị trực thuộc cùng một đơn vị cấp trên.');
  }
  if (plan.errors.length > 0) return plan;
  if ('keepId' in request.into) {
    const { keepId } = request.into;
    const kept = units.find((u) => u.id === keepId);
    if (!kept) fail('Đơn vị giữ lại phải là một trong các đơn vị đã chọn.');
    else
      plan.groups.push({
        code: kept.code,
        target: { existing: kept },
        sources: units.filter((u) => u !== kept),
      });
  } else {
    const name = cleanText(request.into.newUnit.name);
    const typeLabel = cleanText(request.into.newUnit.typeLabel);
    const code = request.into.newUnit.code ? cleanText(request.into.newUnit.code) : null;
    if (name.length < 2 || name.length > 120) fail('Tên đơn vị mới cần từ 2 đến 120 ký tự.');
    if (typeLabel.length < 2 || typeLabel.length > 40)
      fail('Loại đơn vị mới (ví dụ: Xã, Thôn) cần từ 2 đến 40 ký tự.');
    if (code !== null && !UNIT_CODE.test(code)) fail('Mã đơn vị chỉ gồm chữ, số và . _ -, tối đa 20 ký tự.');
    const holder = code ? all.find((u) => u.code === code && u.validTo === null) : undefined;
    if (holder && !units.includes(holder)) fail(`Mã "${code}" đã là mã của ${fullUnitName(holder)}.`);
    const kind = request.into.newUnit.kind;
    plan.groups.push({
      code,
      target: { created: { code, name, typeLabel, kind, fullName: fullUnitName({ name, typeLabel }) } },
      sources: units,
    });
  }
  return completePlan(ctx, plan, byId);
}

/** Merges units of one parent from a day (see mergeUnits): the admin pages' way in. */
export function mergeSiblings(
  db: Db,
  deps: Deps,
  tenantId: string,
  request: SiblingMerge,
  options: RunOptions,
): Promise<MergePlan> {
  return run(db, deps, tenantId, options, (ctx) => planSiblings(ctx, request));
}
