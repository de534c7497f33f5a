import type { ProgramCourseRow } from './repository.js';

/**
 * When a person completed a program, given when they completed each course: every required
 * course and the final test, and the first `electivesRequired` electives ("any 2 of these 4").
 * The moment is the last of those completions; null while the program is not complete.
 */
export function programCompletedAt(
  program: { electivesRequired: number; courses: Pick<ProgramCourseRow, 'courseId' | 'role'>[] },
  completedAt: Map<string, string>,
): string | null {
  const moments: string[] = [];
  for (const course of program.courses.filter((c) => c.role !== 'elective')) {
    const at = completedAt.get(course.courseId);
    if (!at) return null;
    moments.push(at);
  }
  if (program.electivesRequired > 0) {
    const electives = program.courses
      .filter((c) => c.role === 'elective')
      .flatMap((c) => completedAt.get(c.courseId) ?? [])
      .sort();
    const enough = electives[program.electivesRequired - 1];
    if (!enough) return null;
    moments.push(enough);
  }
  return moments.sort().at(-1) ?? null;
}
