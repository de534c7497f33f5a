/** A quiz; it belongs to a lesson of a course (ids kept as references, owned by the catalog). */
export interface QuizTable {
  id: string;
  tenantId: string;
  courseId: string;
  lessonId: string;
  passPercent: number;
  maxAttempts: number | null;
  createdAt: string;
}

/** A question. `options` is JSON `[{id, text, correct}]`: the answer key, never sent before grading. */
export interface QuizQuestionTable {
  id: string;
  quizId: string;
  position: number;
  key: string;
  kind: string;
  situation: string | null;
  prompt: string;
  explanation: string;
  options: string;
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
}

export interface AssessmentTables {
  quizzes: QuizTable;
  quizQuestions: QuizQuestionTable;
  quizAttempts: QuizAttemptTable;
}
