/** What one person adds to one figure: for a subject (course, program or `*`), one metric. */
export interface StatFactTable {
  tenantId: string;
  accountId: string;
  /** A course id, a program id, or `*` (anything). */
  subject: string;
  metric: string;
  /** Where the fact counts: the unit of the event behind it, or the person's unit now. */
  unitId: string;
  block: string;
  /** The day it happened (or is due, or expires), `YYYY-MM-DD`; '' when it has none. */
  day: string;
  value: number;
}

/** The sum of facts over one unit's subtree, for one subject, metric, block and day. */
export interface StatCountTable {
  tenantId: string;
  unitId: string;
  subject: string;
  metric: string;
  block: string;
  /** '' holds the total over all days. */
  day: string;
  n: number | string | bigint;
}

export interface StatUnitPathTable {
  tenantId: string;
  unitId: string;
  ancestorId: string;
}

/** "By the end of `year`, `percent`% of `block` has `metric`" — tenant-wide when `unitId` is ''. */
export interface ReportTargetTable {
  id: string;
  tenantId: string;
  year: number;
  block: string;
  unitId: string;
  metric: string;
  percent: number;
  updatedBy: string | null;
  updatedAt: string;
}

export interface ReportsTables {
  statFacts: StatFactTable;
  statCounts: StatCountTable;
  statUnitPaths: StatUnitPathTable;
  reportTargets: ReportTargetTable;
}
