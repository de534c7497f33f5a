import { BLOCK_CODES, type Block } from '../../identity/blocks.js';
import { apportion, Prng } from './prng.js';

/** A current unit of the tenant's tree, as the layout needs it. */
export interface TreeUnit {
  id: string;
  parentId: string | null;
  path: string;
  kind: string;
  typeLabel: string;
  name: string;
  code: string | null;
}

/** Shares of people by block (per cent), in `BLOCK_CODES` order. */
const BLOCK_SHARES: Record<Block, number> = {
  official: 5,
  business: 3,
  community: 2,
  citizen: 70,
  student: 20,
};

/** Of the people of a commune, the share registered at the commune itself rather than a village. */
const AT_COMMUNE: Record<Block, number> = {
  official: 1,
  business: 0.6,
  community: 0,
  citizen: 0.15,
  student: 0.3,
};

const byCodeThenName = (a: TreeUnit, b: TreeUnit) => {
  const ca = a.code ?? '';
  const cb = b.code ?? '';
  if (ca !== cb) return ca < cb ? -1 : 1;
  const na = a.name.padStart(8, ' ');
  const nb = b.name.padStart(8, ' ');
  return na < nb ? -1 : na > nb ? 1 : 0;
};

/** Where each person lives, in the order people are made: unit after unit, block after block. */
export function* placements(layout: Layout): Generator<{ unitId: string; unitPath: string; block: Block }> {
  for (const { unit, counts } of layout.units) {
    for (const [b, block] of BLOCK_CODES.entries()) {
      const n = counts[b] as number;
      for (let i = 0; i < n; i++) yield { unitId: unit.id, unitPath: unit.path, block };
    }
  }
}

/** How many people of each block live in each unit, and in which order units are filled. */
export interface Layout {
  /** Units with people, in tree order; `counts` in `BLOCK_CODES` order. */
  units: { unit: TreeUnit; counts: number[] }[];
  communes: number;
  villages: number;
}

/**
 * Spreads `people` over the tree: communes (wards, towns) get people by a skewed size — wards
 * and towns are denser — mostly in their villages; officials sit in communes, districts and the
 * province evenly. Block totals are exact (5% officials, 3% business, 2% community, 70%
 * citizens, 20% students). Deterministic from the seed and the tree.
 */
export function layoutPeople(units: TreeUnit[], people: number, seed: number): Layout {
  const prng = new Prng(seed, 0x7fff_fff0);
  const root = units.find((u) => u.parentId === null);
  if (!root) throw new Error('synth: the tenant has no root unit');
  const children = new Map<string, TreeUnit[]>();
  for (const unit of units) {
    if (!unit.parentId) continue;
    const list = children.get(unit.parentId) ?? [];
    list.push(unit);
    children.set(unit.parentId, list);
  }
  for (const list of children.values()) list.sort(byCodeThenName);
  const ordered: TreeUnit[] = [];
  const visit = (unit: TreeUnit) => {
    ordered.push(unit);
    for (const child of children.get(unit.id) ?? []) visit(child);
  };
  visit(root);

  let communes = ordered.filter((u) => u.kind === 'commune');
  if (communes.length === 0) communes = ordered.filter((u) => u !== root && !children.has(u.id));
  if (communes.length === 0) communes = [root];
  const communeIds = new Set(communes.map((c) => c.id));
  const districts = ordered.filter(
    (u) =>
      u !== root && !communeIds.has(u.id) && (children.get(u.id) ?? []).some((c) => communeIds.has(c.id)),
  );
  const villagesOf = new Map(
    communes.map((c) => [c.id, (children.get(c.id) ?? []).filter((v) => v.kind === 'village')]),
  );

  const counts = new Map<string, number[]>(ordered.map((u) => [u.id, BLOCK_CODES.map(() => 0)]));
  const add = (unit: TreeUnit, block: number, n: number) => {
    const row = counts.get(unit.id) as number[];
    row[block] = (row[block] as number) + n;
  };
  const totals = apportion(
    people,
    BLOCK_CODES.map((b) => BLOCK_SHARES[b]),
  );
  const size = communes.map(
    (c) => prng.logNormal(0.55) * (/^(Phường|Thị trấn)$/.test(c.typeLabel) ? 1.7 : 1),
  );
  const villageWeights = new Map(
    communes.map((c) => [c.id, (villagesOf.get(c.id) ?? []).map(() => prng.logNormal(0.4))]),
  );

  for (const [b, block] of BLOCK_CODES.entries()) {
    const total = totals[b] as number;
    if (block === 'official') {
      // Commune staff are about the same everywhere; then district and provincial staff.
      const seats = [
        ...communes.map((c) => ({ unit: c, weight: (districts.length > 0 ? 0.7 : 0.9) / communes.length })),
        ...districts.map((d) => ({ unit: d, weight: 0.2 / districts.length })),
        ...(communes[0] === root ? [] : [{ unit: root, weight: 0.1 }]),
      ];
      const shares = apportion(
        total,
        seats.map((s) => s.weight),
      );
      for (const [i, seat] of seats.entries()) add(seat.unit, b, shares[i] as number);
      continue;
    }
    const perCommune = apportion(
      total,
      size.map((s) => s * prng.logNormal(0.25)),
    );
    communes.forEach((commune, i) => {
      const n = perCommune[i] as number;
      const villages = villagesOf.get(commune.id) ?? [];
      if (villages.length === 0) {
        add(commune, b, n);
        return;
      }
      const weights = villageWeights.get(commune.id) as number[];
      const sum = weights.reduce((s, w) => s + w, 0);
      const here = AT_COMMUNE[block];
      const split = apportion(n, [here, ...weights.map((w) => ((1 - here) * w) / sum)]);
      add(commune, b, split[0] as number);
      for (const [j, v] of villages.entries()) add(v, b, split[j + 1] as number);
    });
  }

  return {
    units: ordered
      .map((unit) => ({ unit, counts: counts.get(unit.id) as number[] }))
      .filter((u) => u.counts.some((n) => n > 0)),
    communes: communes.length,
    villages: [...villagesOf.values()].reduce((s, v) => s + v.length, 0),
  };
}
