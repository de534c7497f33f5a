/**
 * An append-only learning event, shaped like an xAPI statement: actor (account), verb, object,
 * result, timestamp. The id comes from the client (or is derived by the server), so a replay
 * of the same statement is stored once.
 */
export interface LearningEventTable {
  id: string;
  tenantId: string;
  accountId: string;
  verb: string;
  objectType: string;
  objectId: string;
  courseId: string;
  /**
   * The learner's unit when the event was stored: reports "as of" a date count it there, even
   * after the person or the unit moved or merged.
   */
  unitId: string | null;
  /** The learner's block (khối) when the event was stored. */
  block: string | null;
  /** JSON xAPI result (score, success, completion), or null. */
  result: string | null;
  /** When it happened, as the client says (offline clients send later). */
  occurredAt: string;
  storedAt: string;
  /** Hash of the statement's content: the same id with other content is refused. */
  digest: string;
}

/** Per learner and lesson: the earliest reading and quiz pass, kept by every event in order or not. */
export interface LessonStateTable {
  accountId: string;
  lessonId: string;
  tenantId: string;
  courseId: string;
  readAt: string | null;
  quizPassedAt: string | null;
  bestScore: number | null;
  attempts: number;
}

export interface CourseProgressTable {
  accountId: string;
  courseId: string;
  tenantId: string;
  /** The course version this learner is learning: they keep it until they choose to move. */
  versionId: string;
  lessonsRead: number;
  quizzesPassed: number;
  lessonsTotal: number;
  quizzesTotal: number;
  percent: number;
  startedAt: string;
  completedAt: string | null;
  updatedAt: string;
}

export interface CertificateTable {
  id: string;
  code: string;
  tenantId: string;
  accountId: string;
  courseId: string;
  learnerName: string;
  courseTitle: string;
  issuedOn: string;
  issuedAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
}

export interface LearningTables {
  learningEvents: LearningEventTable;
  lessonStates: LessonStateTable;
  courseProgress: CourseProgressTable;
  certificates: CertificateTable;
}
