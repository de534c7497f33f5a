import type { Db } from '../../db/database.js';

/**
 * Read-only facts about lessons for the integrity signals of the reports module
 * (reports/integritySignals.ts): their titles, their course's title, and how many words a
 * learner has to read in them.
 */

export interface LessonFacts {
  id: string;
  title: string;
  /** `lesson`, or `final` (a course's final test: nothing to read). */
  kind: string;
  courseId: string;
  courseTitle: string;
  /** Words of prose in the lesson's text (see `wordsIn`). */
  words: number;
}

/**
 * The words a reader reads in a lesson's Markdown: runs of letters and digits (a Vietnamese
 * syllable counts as one word). Raw HTML, image references and link addresses are not read, so
 * they are dropped first; anything uncertain is left out, so the count never overstates.
 */
export function wordsIn(markdown: string): number {
  const prose = markdown
    .replace(/<[^>]*>/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\]\([^)]*\)/g, '] ');
  return prose.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

const ID_BATCH = 2000;

/** Facts about these lessons of the tenant, by id (unknown ids are left out). */
export async function lessonFacts(
  db: Db,
  tenantId: string,
  lessonIds: string[],
): Promise<Map<string, LessonFacts>> {
  const unique = [...new Set(lessonIds)];
  const out = new Map<string, LessonFacts>();
  for (let at = 0; at < unique.length; at += ID_BATCH) {
    const rows = await db.kysely
      .selectFrom('lessons')
      .innerJoin('courses', 'courses.id', 'lessons.courseId')
      .select([
        'lessons.id',
        'lessons.title',
        'lessons.kind',
        'lessons.courseId',
        'lessons.bodyMarkdown',
        'courses.title as courseTitle',
      ])
      .where('lessons.tenantId', '=', tenantId)
      .where('lessons.id', 'in', unique.slice(at, at + ID_BATCH))
      .execute();
    for (const row of rows) {
      out.set(row.id, {
        id: row.id,
        title: row.title,
        kind: row.kind,
        courseId: row.courseId,
        courseTitle: row.courseTitle,
        words: row.kind === 'final' ? 0 : wordsIn(row.bodyMarkdown),
      });
    }
  }
  return out;
}

/** The titles of these courses of the tenant, by id. */
export async function courseTitles(
  db: Db,
  tenantId: string,
  courseIds: string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(courseIds)];
  if (unique.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('courses')
    .select(['id', 'title'])
    .where('tenantId', '=', tenantId)
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.title]));
}
