import type { PlacementRow, SuccessionRow, UnitRow } from './repository.js';

/** Calendar day `YYYY-MM-DD`, checked strictly (no 2025-02-30). */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

const currentOn = (row: UnitRow, day: string) =>
  row.validFrom <= day && (row.validTo === null || row.validTo > day);

/** A reorganisation is followed through at most this many steps (a guard against bad data). */
const MAX_STEPS = 64;

/**
 * The org tree as it stood on one day: which units were in force, where each sat, and to which
 * of them a unit of any other day belongs (a merged unit to its successor, a dissolved one to
 * its parent).
 */
export class OrgSnapshot {
  /** Units in force on the day, with their place on that day. */
  readonly units = new Map<string, UnitRow>();
  private readonly all: Map<string, UnitRow>;
  private readonly successorOf: Map<string, SuccessionRow>;

  constructor(
    readonly day: string,
    units: UnitRow[],
    placements: PlacementRow[],
    successions: SuccessionRow[],
  ) {
    this.all = new Map(units.map((u) => [u.id, u]));
    this.successorOf = new Map(successions.map((s) => [s.fromUnitId, s]));
    // The place on `day` is the first place the unit left after it; else where it is now.
    const placeOn = new Map<string, PlacementRow>();
    for (const placement of [...placements].sort((a, b) => a.leftOn.localeCompare(b.leftOn))) {
      if (placement.leftOn > day && !placeOn.has(placement.unitId)) placeOn.set(placement.unitId, placement);
    }
    for (const unit of units) {
      if (!currentOn(unit, day)) continue;
      const place = placeOn.get(unit.id);
      this.units.set(
        unit.id,
        place ? { ...unit, parentId: place.parentId, path: place.path, depth: place.depth } : unit,
      );
    }
  }

  /** Every unit ever known, in force on the day or not. */
  everyUnitId(): string[] {
    return [...this.all.keys()];
  }

  /**
   * The unit in force on the day that stands for `unitId`: itself, its successor by a merge that
   * took effect by then, or (for a unit dissolved without one) its parent. Undefined when no
   * unit stood for it that day (it was created later).
   */
  resolve(unitId: string): UnitRow | undefined {
    let id: string | null = unitId;
    for (let step = 0; id && step < MAX_STEPS; step++) {
      const placed = this.units.get(id);
      if (placed) return placed;
      const row = this.all.get(id);
      if (!row || row.validFrom > this.day) return undefined;
      const successor = this.successorOf.get(id);
      id = successor && successor.effectiveOn <= this.day ? successor.toUnitId : row.parentId;
    }
    return undefined;
  }

  /** Units directly below `parentId` on the day. */
  childrenOf(parentId: string): UnitRow[] {
    return [...this.units.values()].filter((u) => u.parentId === parentId);
  }
}
