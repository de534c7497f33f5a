import type { Db } from '../../../db/database.js';
import { todayInVietnam } from '../../../db/time.js';
import type { CatalogService } from '../../catalog/service.js';
import { BLOCK_CODES } from '../../identity/blocks.js';
import { namesOf } from '../../identity/statPeople.js';
import type { OrgService } from '../../org/service.js';
import type { ProgramService } from '../../programs/service.js';
import { ANY } from '../stats/facts.js';
import {
  addFigures,
  type ChildRow,
  type Count,
  type Dashboard,
  type DashboardFilters,
  percent,
  type RateBase,
  ratesOf,
  type SeriesPoint,
  type TargetProgress,
  ZERO,
} from './figures.js';
import { type Cursor, type Drill, type DrillRow, drillPage, drillTarget } from './people.js';
import { type CountRow, DashboardQueries } from './queries.js';
import { Targets } from './targets.js';

/** Days the time series covers when no period is chosen. */
const SERIES_DAYS = 90;
const DAY_MS = 86_400_000;

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Which subjects' counts make each figure, for the subject the dashboard is about. */
interface SubjectPlan {
  kind: 'any' | 'course' | 'program';
  /** Subjects whose started/completed/qualified/assignment counts are read. */
  own: Set<string>;
  /** Courses whose quiz counts are read. */
  courses: Set<string>;
}

/** Which metric of the counts feeds each figure. */
function countOf(metric: string, plan: SubjectPlan, base: RateBase): Count | null {
  switch (metric) {
    // Against assignments, "started" means the assigned people who began; else anyone who began.
    case 'started':
      return base === 'people' ? 'started' : null;
    case 'begun':
      return base === 'assigned' ? 'started' : null;
    case 'people':
    case 'assigned':
    case 'exempt':
    case 'qualified':
    case 'quizzes':
    case 'passes':
    case 'scores':
      return metric;
    case 'done':
      // A program is completed when its assignment is done; a course by its own completion.
      return plan.kind === 'program' ? 'completed' : 'done';
    case 'completed':
      return plan.kind === 'program' ? null : 'completed';
    case 'open':
      return 'overdue';
    default:
      return null;
  }
}

/** Rates are read against the people assigned when the subject (not "any") is assigned here. */
function rateBaseOf(plan: SubjectPlan, unitRows: CountRow[]): RateBase {
  const assigned = unitRows.some((r) => r.metric === 'assigned' && plan.own.has(r.subject) && r.n > 0);
  return plan.kind !== 'any' && assigned ? 'assigned' : 'people';
}

/** Whether a count row belongs to the dashboard's subject. */
function inPlan(row: Pick<CountRow, 'subject' | 'metric'>, plan: SubjectPlan): boolean {
  if (row.metric === 'people') return row.subject === ANY;
  if (row.metric === 'quizzes' || row.metric === 'passes' || row.metric === 'scores')
    return plan.kind === 'any' || plan.courses.has(row.subject);
  if (plan.kind === 'any') {
    // Assignments are counted per subject; learners started, completed and qualified once.
    const perSubject =
      row.metric === 'assigned' || row.metric === 'done' || row.metric === 'exempt' || row.metric === 'open';
    return perSubject ? row.subject !== ANY : row.subject === ANY;
  }
  return plan.own.has(row.subject);
}

/**
 * A unit's dashboard from the statistics: its subtree's figures, per block, per child unit, a
 * daily series and its targets. Reads only summed counts, a few thousand rows at most.
 */
export class Dashboards {
  private readonly queries: DashboardQueries;
  readonly targets: Targets;

  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly catalog: CatalogService,
    private readonly programs: ProgramService,
  ) {
    this.queries = new DashboardQueries(db);
    this.targets = new Targets(db);
  }

  /** What can be chosen as the subject: every published course and every program. */
  async subjects(tenantId: string): Promise<{ id: string; title: string; kind: 'course' | 'program' }[]> {
    const [courses, programs] = await Promise.all([
      this.catalog.courses(tenantId),
      this.programs.programs(tenantId),
    ]);
    return [
      ...programs
        .filter((p) => !p.archivedAt)
        .map((p) => ({ id: p.id, title: p.name, kind: 'program' as const })),
      ...courses.map((c) => ({ id: c.id, title: c.title, kind: 'course' as const })),
    ];
  }

  private async planOf(
    tenantId: string,
    subject: string,
  ): Promise<{ plan: SubjectPlan; title: string } | null> {
    if (subject === ANY)
      return {
        plan: { kind: 'any', own: new Set([ANY]), courses: new Set() },
        title: 'Mọi khóa học và chương trình',
      };
    const program = await this.programs.program(tenantId, subject);
    if (program)
      return {
        plan: {
          kind: 'program',
          own: new Set([program.id]),
          courses: new Set(program.courses.map((c) => c.courseId)),
        },
        title: program.name,
      };
    const [course] = await this.catalog.coursesByIds(tenantId, [subject]);
    if (course)
      return {
        plan: { kind: 'course', own: new Set([course.id]), courses: new Set([course.id]) },
        title: course.title,
      };
    return null;
  }

  /** The dashboard of a current unit; null when the unit or the subject is not the tenant's. */
  async dashboard(tenantId: string, unitId: string, filters: DashboardFilters): Promise<Dashboard | null> {
    const unit = await this.org.unit(tenantId, unitId);
    const planned = await this.planOf(tenantId, filters.subject);
    if (!unit || !planned) return null;
    const { plan } = planned;
    const today = todayInVietnam();
    const children = await this.org.children(tenantId, unit.id);
    const unitIds = [unit.id, ...children.map((c) => c.id)];
    const periodic = filters.from !== '' || filters.to !== '';
    const [totals, overdue, qualified, inPeriod] = await Promise.all([
      this.queries.totals(tenantId, unitIds),
      this.queries.between(tenantId, unitIds, ['open'], '', addDays(today, -1)),
      this.queries.between(tenantId, unitIds, ['qualified'], today, ''),
      periodic
        ? this.queries.between(tenantId, unitIds, ['started', 'completed', 'done'], filters.from, filters.to)
        : [],
    ]);
    const dated = new Set(periodic ? ['started', 'completed', 'done'] : []);
    const rows: CountRow[] = [
      ...totals.filter((r) => r.metric !== 'open' && r.metric !== 'qualified' && !dated.has(r.metric)),
      ...overdue,
      ...qualified,
      ...inPeriod,
    ].filter((r) => inPlan(r, plan));
    const chosenBlock = filters.block || null;
    const rateBase = rateBaseOf(
      plan,
      rows.filter((r) => r.unitId === unit.id),
    );
    const figuresOf = (id: string, block: string | null) => {
      let figures = ZERO;
      for (const row of rows) {
        if (row.unitId !== id || (block !== null && row.block !== block)) continue;
        const count = countOf(row.metric, plan, rateBase);
        if (count) figures = addFigures(figures, { [count]: row.n });
      }
      return figures;
    };
    const figures = figuresOf(unit.id, chosenBlock);
    const childRows: ChildRow[] = children.map((child) => {
      const f = figuresOf(child.id, chosenBlock);
      return { unitId: child.id, name: child.name, figures: f, rates: ratesOf(f, rateBase) };
    });
    const blocks = new Set([...BLOCK_CODES, ...rows.filter((r) => r.unitId === unit.id).map((r) => r.block)]);
    const byBlock = [...blocks]
      .filter((b) => b !== '')
      .map((block) => {
        const f = figuresOf(unit.id, block);
        return { block, figures: f, rates: ratesOf(f, rateBase) };
      });
    const [series, targets] = await Promise.all([
      this.series(tenantId, unit.id, plan, filters, today),
      this.targetProgress(
        tenantId,
        unit.path,
        Number((filters.to || today).slice(0, 4)),
        totals,
        qualified,
        unit.id,
      ),
    ]);
    return {
      tenantId,
      unit: { id: unit.id, name: unit.name, fullName: unit.fullName, path: unit.path },
      filters,
      subjectTitle: planned.title,
      today,
      figures,
      rateBase,
      rates: ratesOf(figures, rateBase),
      byBlock,
      children: childRows,
      series,
      targets,
    };
  }

  private async series(
    tenantId: string,
    unitId: string,
    plan: SubjectPlan,
    filters: DashboardFilters,
    today: string,
  ): Promise<SeriesPoint[]> {
    const to = filters.to || today;
    const from = filters.from || addDays(to, -(SERIES_DAYS - 1));
    const completion = plan.kind === 'program' ? 'done' : 'completed';
    const rows = await this.queries.daily(
      tenantId,
      unitId,
      [...plan.own],
      ['started', completion],
      filters.block,
      from,
      to,
    );
    const points: SeriesPoint[] = [];
    const byDay = new Map<string, SeriesPoint>();
    for (let day = from; day <= to; day = addDays(day, 1)) {
      const point = { day, started: 0, completed: 0 };
      points.push(point);
      byDay.set(day, point);
      if (points.length > 731) break;
    }
    for (const row of rows) {
      const point = byDay.get(row.day);
      if (!point) continue;
      if (row.metric === 'started') point.started += row.n;
      else point.completed += row.n;
    }
    return points;
  }

  /** Each applying target against the subtree's people of its block, counted for any subject. */
  private async targetProgress(
    tenantId: string,
    path: string,
    year: number,
    totals: CountRow[],
    qualified: CountRow[],
    unitId: string,
  ): Promise<TargetProgress[]> {
    const targets = await this.targets.applying(tenantId, year, path.split('/').filter(Boolean));
    const sum = (rows: CountRow[], metric: string, block: string) =>
      rows
        .filter((r) => r.unitId === unitId && r.subject === ANY && r.metric === metric && r.block === block)
        .reduce((n, r) => n + r.n, 0);
    return targets.map((t) => {
      const people = sum(totals, 'people', t.block);
      const reached =
        t.metric === 'qualified' ? sum(qualified, 'qualified', t.block) : sum(totals, t.metric, t.block);
      const actual = percent(reached, people);
      return {
        year: t.year,
        block: t.block,
        metric: t.metric,
        percent: t.percent,
        setAt: t.unitId,
        people,
        reached,
        actual,
        attained: actual !== null && actual >= t.percent,
      };
    });
  }

  /**
   * A page of the people behind one figure of a unit's dashboard, with their names, units and
   * the subject; `next` continues after the last row, null on the last page.
   */
  async people(
    tenantId: string,
    unitId: string,
    drill: Drill,
    filters: DashboardFilters,
    after: Cursor | null,
    limit: number,
  ): Promise<{ rows: PersonRow[]; next: Cursor | null } | null> {
    const planned = await this.planOf(tenantId, filters.subject);
    if (!planned) return null;
    const subjects = await this.subjects(tenantId);
    const titles = new Map(subjects.map((s) => [s.id, s.title]));
    const assigned = await this.queries.totals(tenantId, [unitId]);
    const against = rateBaseOf(planned.plan, assigned);
    const target = drillTarget(drill, against, {
      id: filters.subject,
      kind: planned.plan.kind,
      courses: [...planned.plan.courses],
      all: subjects.map((s) => s.id),
    });
    const rows = await drillPage(
      this.db,
      {
        tenantId,
        unitId,
        drill,
        ...target,
        block: filters.block,
        from: filters.from,
        to: filters.to,
        today: todayInVietnam(),
      },
      after,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const [names, units] = await Promise.all([
      namesOf(
        this.db,
        tenantId,
        page.map((r) => r.accountId),
      ),
      this.org.unitsByIds(tenantId, [...new Set(page.map((r) => r.unitId))]),
    ]);
    const last = page.at(-1);
    return {
      rows: page.map((r) => ({
        ...r,
        fullName: names.get(r.accountId)?.fullName ?? '',
        position: names.get(r.accountId)?.position ?? null,
        unitName: units.get(r.unitId)?.fullName ?? '',
        subjectTitle: r.subject === ANY ? '' : (titles.get(r.subject) ?? ''),
      })),
      next: rows.length > limit && last ? [last.unitId, last.accountId, last.subject] : null,
    };
  }
}

export interface PersonRow extends DrillRow {
  fullName: string;
  position: string | null;
  unitName: string;
  subjectTitle: string;
}
