/**
 * How a tenant's content covers the national digital-skills frameworks: for each element, the
 * published courses that teach it (tagged on the course or on a lesson of its published
 * version) and how many bank questions assess it.
 */
import type { Framework } from '../../content/frameworks.js';
import { loadFrameworks } from '../../content/frameworks.js';
import type { Db } from '../../db/database.js';
import { decodeList } from '../../text/lists.js';

export interface TeachingCourse {
  id: string;
  title: string;
  /** Hidden from the catalog, but its learners' records remain. */
  archived: boolean;
}

export interface ElementCoverage {
  code: string;
  name: string;
  courses: TeachingCourse[];
  questionCount: number;
}

export interface GroupCoverage {
  code: string;
  name: string;
  provisional: boolean;
  elements: ElementCoverage[];
}

export interface CoverageCounts {
  elements: number;
  withCourse: number;
  withQuestion: number;
  withNeither: number;
}

export interface FrameworkCoverage {
  code: string;
  title: string;
  source: string;
  sourceUrl: string;
  groups: GroupCoverage[];
  counts: CoverageCounts;
}

export interface Coverage {
  frameworks: FrameworkCoverage[];
  counts: CoverageCounts;
}

/** A published or archived course with every framework code tagged on it or on its lessons. */
interface TaggedCourse extends TeachingCourse {
  codes: ReadonlySet<string>;
}

function countsOf(elements: ElementCoverage[]): CoverageCounts {
  return {
    elements: elements.length,
    withCourse: elements.filter((e) => e.courses.length > 0).length,
    withQuestion: elements.filter((e) => e.questionCount > 0).length,
    withNeither: elements.filter((e) => e.courses.length === 0 && e.questionCount === 0).length,
  };
}

/** Coverage of the frameworks by these courses and question counts; codes no element has are ignored. */
function coverageOf(
  frameworks: readonly Framework[],
  courses: readonly TaggedCourse[],
  questionCounts: ReadonlyMap<string, number>,
): Coverage {
  const sorted = [...courses].sort((a, b) => a.title.localeCompare(b.title, 'vi'));
  const covered = frameworks.map((framework) => {
    const groups = framework.groups.map((group) => ({
      code: group.code,
      name: group.name,
      provisional: group.provisional,
      elements: group.elements.map((element) => ({
        code: element.code,
        name: element.name,
        courses: sorted
          .filter((c) => c.codes.has(element.code))
          .map(({ id, title, archived }) => ({ id, title, archived })),
        questionCount: questionCounts.get(element.code) ?? 0,
      })),
    }));
    return {
      code: framework.code,
      title: framework.title,
      source: framework.source,
      sourceUrl: framework.sourceUrl,
      groups,
      counts: countsOf(groups.flatMap((g) => g.elements)),
    };
  });
  return {
    frameworks: covered,
    counts: countsOf(covered.flatMap((f) => f.groups.flatMap((g) => g.elements))),
  };
}

const LISTED = ['published', 'archived'];
/** How an empty tag list is stored (encodeList of nothing), or was before lists were encoded. */
const NO_TAGS = [',,', ''];

/** The tenant's coverage, in three queries whatever the number of elements. */
export async function frameworkCoverage(db: Db, tenantId: string): Promise<Coverage> {
  const [courses, lessons, questions] = await Promise.all([
    db.kysely
      .selectFrom('courses')
      .innerJoin('courseVersions', 'courseVersions.id', 'courses.publishedVersionId')
      .select(['courses.id', 'courses.title', 'courses.status', 'courseVersions.frameworks'])
      .where('courses.tenantId', '=', tenantId)
      .where('courses.status', 'in', LISTED)
      .execute(),
    db.kysely
      .selectFrom('lessons')
      .innerJoin('courses', 'courses.publishedVersionId', 'lessons.versionId')
      .select(['lessons.courseId', 'lessons.frameworks'])
      .where('courses.tenantId', '=', tenantId)
      .where('courses.status', 'in', LISTED)
      .where('lessons.frameworks', 'not in', NO_TAGS)
      .execute(),
    // Grouped by the stored list: questions tagged alike come back as one row.
    db.kysely
      .selectFrom('bankQuestions')
      .select((eb) => ['frameworks', eb.fn.countAll<number>().as('count')])
      .where('tenantId', '=', tenantId)
      .where('frameworks', 'not in', NO_TAGS)
      .groupBy('frameworks')
      .execute(),
  ]);
  const lessonCodes = new Map<string, string[]>();
  for (const lesson of lessons) {
    lessonCodes.set(lesson.courseId, [
      ...(lessonCodes.get(lesson.courseId) ?? []),
      ...decodeList(lesson.frameworks),
    ]);
  }
  const tagged = courses.map((c) => ({
    id: c.id,
    title: c.title,
    archived: c.status === 'archived',
    codes: new Set([...decodeList(c.frameworks), ...(lessonCodes.get(c.id) ?? [])]),
  }));
  const questionCounts = new Map<string, number>();
  for (const row of questions) {
    for (const code of new Set(decodeList(row.frameworks))) {
      questionCounts.set(code, (questionCounts.get(code) ?? 0) + Number(row.count));
    }
  }
  return coverageOf(loadFrameworks(), tagged, questionCounts);
}
