import type { Db } from '../../db/database.js';
import { todayInVietnam } from '../../db/time.js';
import { compareVietnamese } from '../../text/vietnamese.js';
import { activityByUnit } from '../learning/unitActivity.js';
import type { OrgSnapshot } from '../org/history.js';
import type { UnitRow } from '../org/repository.js';
import { type OrgService, toUnit, type Unit } from '../org/service.js';

/**
 * `asOf`: the units as they stood on the report's day, each counting what its people learned
 * there. `today`: the same records counted in today's units (a merged unit's in its successor).
 */
export type Structure = 'asOf' | 'today';

export interface LearningFigures {
  /** People with any learning record. */
  learners: number;
  coursesCompleted: number;
  quizzesPassed: number;
}

export interface UnitLearningRow extends LearningFigures {
  unit: Unit;
}

export interface UnitLearningReport {
  day: string;
  structure: Structure;
  unit: Unit;
  /** The units above it in the chosen structure, from the root down. */
  trail: Unit[];
  /** One row per unit directly below, in force in the chosen structure. */
  children: UnitLearningRow[];
  /** People placed in the unit itself rather than below it (e.g. a province's own staff). */
  direct: LearningFigures;
  total: LearningFigures;
  /** Records whose unit had no counterpart in the chosen structure (none is expected). */
  unplaced: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** The first moment after `day` ends in Vietnam (UTC+7), as stored ISO time. */
export const endOfVietnamDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00+07:00`) + DAY_MS).toISOString();

class Tally {
  readonly people = new Set<string>();
  coursesCompleted = 0;
  quizzesPassed = 0;

  add(accountId: string, coursesCompleted: number, quizzesPassed: number) {
    this.people.add(accountId);
    this.coursesCompleted += coursesCompleted;
    this.quizzesPassed += quizzesPassed;
  }

  figures(): LearningFigures {
    return {
      learners: this.people.size,
      coursesCompleted: this.coursesCompleted,
      quizzesPassed: this.quizzesPassed,
    };
  }
}

/** The unit directly below `parent` on the way to `unit` (both as placed in one snapshot). */
const childOnPath = (parent: UnitRow, unit: UnitRow): string | undefined =>
  unit.path.slice(parent.path.length).split('/')[0];

/**
 * Learning in a unit and in each unit directly below it, up to the end of `day`, counted in the
 * structure of that day or in today's. Records stay with the unit the person learned in, so
 * a merge or a move changes where today's view counts them but never the past's.
 */
export class UnitLearningReports {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
  ) {}

  /** The structure a report uses: the day's, or today's. */
  snapshot(tenantId: string, day: string, structure: Structure): Promise<OrgSnapshot> {
    return this.org.snapshotOn(tenantId, structure === 'today' ? todayInVietnam() : day);
  }

  /**
   * The report on the unit that stands for `unitId` in the chosen structure (itself, or the
   * unit it merged into); undefined when none stood for it (it did not exist yet).
   */
  async report(
    tenantId: string,
    unitId: string,
    day: string,
    structure: Structure,
  ): Promise<UnitLearningReport | undefined> {
    const snapshot = await this.snapshot(tenantId, day, structure);
    const unit = snapshot.resolve(unitId);
    if (!unit) return undefined;
    const direct = new Tally();
    const total = new Tally();
    const below = new Map<string, Tally>(snapshot.childrenOf(unit.id).map((c) => [c.id, new Tally()]));
    let unplaced = 0;
    for (const activity of await activityByUnit(this.db, tenantId, endOfVietnamDay(day))) {
      const place = activity.unitId ? snapshot.resolve(activity.unitId) : undefined;
      if (!place) {
        unplaced++;
        continue;
      }
      if (!place.path.startsWith(unit.path)) continue;
      const counts = [activity.accountId, activity.coursesCompleted, activity.quizzesPassed] as const;
      total.add(...counts);
      const tally = place.id === unit.id ? direct : below.get(childOnPath(unit, place) ?? '');
      tally?.add(...counts);
    }
    const children = snapshot
      .childrenOf(unit.id)
      .map((row) => ({ unit: toUnit(row), ...(below.get(row.id) as Tally).figures() }))
      .sort((a, b) => compareVietnamese(a.unit.fullName, b.unit.fullName));
    return {
      day,
      structure,
      unit: toUnit(unit),
      trail: unit.path
        .split('/')
        .filter((id) => id && id !== unit.id)
        .flatMap((id) => {
          const above = snapshot.units.get(id);
          return above ? [toUnit(above)] : [];
        }),
      children,
      direct: direct.figures(),
      total: total.figures(),
      unplaced,
    };
  }
}
