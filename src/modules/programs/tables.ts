/** A learning path: ordered courses, some required, some elective ("any N of these"). */
export interface ProgramTable {
  id: string;
  tenantId: string;
  slug: string;
  name: string;
  description: string;
  /** The target group whose "đạt yêu cầu" the program confirms (a block code), if any. */
  targetBlock: string | null;
  /** How many of the elective courses complete the program (0 when it has none). */
  electivesRequired: number;
  /** Months a qualification stays valid; null: it never expires. */
  validityMonths: number | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export type ProgramCourseRole = 'required' | 'elective' | 'final';

export interface ProgramCourseTable {
  programId: string;
  courseId: string;
  position: number;
  /** `final`: the final test, a course taken after the others. */
  role: ProgramCourseRole;
}

/**
 * Who must learn what by when: people of `blocks` (comma-separated; empty: every block) whose
 * unit is in the subtree of `unitId`, optionally with a position or role. Exactly one of
 * `programId` and `courseId` is set, and one of `dueOn` (a day) and `dueDays` (after joining).
 */
export interface AssignmentRuleTable {
  id: string;
  tenantId: string;
  programId: string | null;
  courseId: string | null;
  unitId: string;
  blocks: string;
  position: string | null;
  role: string | null;
  dueOn: string | null;
  dueDays: number | null;
  createdBy: string | null;
  createdAt: string;
  archivedAt: string | null;
}

/**
 * One person's duty under one rule. A person who leaves the audience keeps it with `leftAt`
 * (history stays, overdue counts skip it); after a qualification expires, a new `cycle` starts.
 */
export interface AssignmentTable {
  id: string;
  tenantId: string;
  ruleId: string;
  accountId: string;
  cycle: number;
  assignedAt: string;
  dueOn: string;
  leftAt: string | null;
  completedAt: string | null;
  exemptAt: string | null;
  exemptReason: string | null;
  exemptBy: string | null;
}

/** "Đạt yêu cầu Bình dân học vụ số": granted by completing a program; verifiable by its code. */
export interface QualificationTable {
  id: string;
  code: string;
  tenantId: string;
  accountId: string;
  programId: string;
  holderName: string;
  programName: string;
  targetBlock: string | null;
  issuedOn: string;
  expiresOn: string | null;
  issuedAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
}

export interface ProgramsTables {
  programs: ProgramTable;
  programCourses: ProgramCourseTable;
  assignmentRules: AssignmentRuleTable;
  assignments: AssignmentTable;
  qualifications: QualificationTable;
}
