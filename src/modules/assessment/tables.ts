/** A quiz; it belongs to a lesson of a course (ids kept as references, owned by the catalog). */
export interface QuizTable {
  id: string;
  tenantId: string;
  courseId: string;
  lessonId: string;
  passPercent: number;
  maxAttempts: number | null;
  /** JSON QuizSettings beyond the pass mark and attempt limit; null means the defaults. */
  settings: string | null;
  createdAt: string;
}

/**
 * A question of a quiz, frozen when its course version is published: attempts point at these
 * rows, so a learner's record always shows the exact question they answered. `body` is the
 * JSON StoredBody with the answer key, never sent before grading.
 */
export interface QuizQuestionTable {
  id: string;
  quizId: string;
  position: number;
  key: string;
  kind: string;
  situation: string | null;
  prompt: string;
  explanation: string;
  body: string;
  difficulty: string | null;
  tags: string;
  frameworks: string;
  imageFile: string | null;
  imageAlt: string | null;
  /** The bank question it was copied from, if any. */
  sourceId: string | null;
}

export interface QuestionBankTable {
  id: string;
  tenantId: string;
  name: string;
  createdAt: string;
}

/** The current version of a bank question; earlier versions live in bank_question_versions. */
export interface BankQuestionTable {
  id: string;
  tenantId: string;
  bankId: string;
  key: string;
  version: number;
  kind: string;
  situation: string | null;
  prompt: string;
  explanation: string;
  imageFile: string | null;
  imageAlt: string | null;
  body: string;
  difficulty: string | null;
  tags: string;
  frameworks: string;
  /** Hash of the question's content: importing the same question again changes nothing. */
  digest: string;
  createdAt: string;
  updatedAt: string;
}

export interface BankQuestionVersionTable {
  questionId: string;
  number: number;
  /** JSON QuestionDraft as it was in that version. */
  snapshot: string;
  createdAt: string;
}

/**
 * One attempt by one learner. `layout` is JSON `[{questionId, optionIds}]`: the shuffled order
 * this learner saw, fixed when the attempt starts. Grading fills the rest once.
 */
export interface QuizAttemptTable {
  id: string;
  tenantId: string;
  quizId: string;
  accountId: string;
  number: number;
  layout: string;
  startedAt: string;
  submittedAt: string | null;
  /** JSON `{questionId: optionIds[]}` as submitted. */
  answers: string | null;
  correctCount: number | null;
  questionCount: number;
  scorePercent: number | null;
  passed: number | null;
  /** Set for timed quizzes: after it (plus a short grace) only autosaved answers count. */
  deadlineAt: string | null;
  /** JSON answers saved while the attempt is open, so a dropped connection loses nothing. */
  savedAnswers: string | null;
  savedAt: string | null;
  /** 1 when the submission came after the deadline and grace. */
  late: number | null;
}

export interface AssessmentTables {
  quizzes: QuizTable;
  quizQuestions: QuizQuestionTable;
  quizAttempts: QuizAttemptTable;
  questionBanks: QuestionBankTable;
  bankQuestions: BankQuestionTable;
  bankQuestionVersions: BankQuestionVersionTable;
}
