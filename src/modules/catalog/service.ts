import type { Db } from '../../db/database.js';
import { decodeList } from '../../text/lists.js';
import { foldForSearch, searchTokens } from '../../text/vietnamese.js';
import { BLOCKS, type Block } from '../identity/blocks.js';
import type { CourseTable, LessonTable } from './tables.js';
import { TOPICS, type Topic } from './topics.js';

export interface CourseSummary {
  id: string;
  tenantId: string;
  slug: string;
  title: string;
  summary: string;
  topic: Topic;
  topicLabel: string;
  blocks: Block[];
  blockLabels: string[];
  minutes: number;
  lessonCount: number;
  lockLessons: boolean;
}

const LESSON_COLUMNS = [
  'id',
  'courseId',
  'versionId',
  'moduleId',
  'position',
  'kind',
  'slug',
  'title',
  'minutes',
  'quizId',
] as const;

export type LessonSummary = Pick<LessonTable, (typeof LESSON_COLUMNS)[number]>;

export interface Attachment {
  title: string;
  file: string;
}

export interface Lesson extends LessonSummary {
  bodyHtml: string;
  digest: string;
  frameworks: string[];
  attachments: Attachment[];
  video: {
    title: string;
    file: string | null;
    captions: string | null;
    url: string | null;
    lowFile: string | null;
  } | null;
}

export interface CourseOutline extends CourseSummary {
  versionId: string;
  versionNumber: number | null;
  publishedAt: string | null;
  coverFile: string | null;
  coverAlt: string | null;
  frameworks: string[];
  modules: { id: string; title: string; lessons: LessonSummary[] }[];
  /** Every lesson in course order. */
  lessons: LessonSummary[];
}

export interface CourseFilters {
  query?: string;
  topic?: string;
  block?: string;
}

const SUMMARY_COLUMNS = [
  'id',
  'tenantId',
  'slug',
  'title',
  'summary',
  'topic',
  'blocks',
  'minutes',
  'lessonCount',
  'lockLessons',
  'searchTitle',
  'searchText',
  'digest',
] as const;

type SummaryRow = Pick<CourseTable, (typeof SUMMARY_COLUMNS)[number]>;

function toSummary(row: Omit<SummaryRow, 'searchTitle' | 'searchText' | 'digest'>): CourseSummary {
  const blocks = decodeList(row.blocks) as Block[];
  return {
    id: row.id,
    tenantId: row.tenantId,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    topic: row.topic as Topic,
    topicLabel: TOPICS[row.topic as Topic] ?? row.topic,
    blocks,
    blockLabels: blocks.map((b) => BLOCKS[b]),
    minutes: row.minutes,
    lessonCount: row.lessonCount,
    lockLessons: row.lockLessons === 1,
  };
}

const toLessonSummary = (row: LessonSummary): LessonSummary => ({
  id: row.id,
  courseId: row.courseId,
  versionId: row.versionId,
  moduleId: row.moduleId,
  position: row.position,
  kind: row.kind,
  slug: row.slug,
  title: row.title,
  minutes: row.minutes,
  quizId: row.quizId,
});

type LessonRow = Omit<LessonTable, 'tenantId' | 'bodyMarkdown'>;

function toLesson(row: LessonRow): Lesson {
  const { bodyHtml, videoTitle, videoFile, videoCaptions, videoUrl, videoLowFile } = row;
  return {
    ...toLessonSummary(row),
    bodyHtml,
    digest: row.digest,
    frameworks: decodeList(row.frameworks),
    attachments: JSON.parse(row.attachments) as Attachment[],
    video: videoTitle
      ? { title: videoTitle, file: videoFile, captions: videoCaptions, url: videoUrl, lowFile: videoLowFile }
      : null,
  };
}

/**
 * How well a course matches the query words: every word must appear somewhere; words in the
 * title weigh most, a title that starts with the query most of all. 0 means no match.
 */
function searchRank(row: SummaryRow, tokens: string[]): number {
  const title = ` ${row.searchTitle} `;
  const text = ` ${row.searchText} `;
  let rank = 0;
  for (const token of tokens) {
    if (title.includes(` ${token} `)) rank += 10;
    else if (title.includes(` ${token}`)) rank += 6;
    else if (text.includes(` ${token} `)) rank += 3;
    else if (text.includes(` ${token}`)) rank += 1;
    else return 0;
  }
  if (row.searchTitle.startsWith(tokens.join(' '))) rank += 5;
  return rank;
}

/** A version's outline with every lesson body. */
interface CourseContent {
  outline: CourseOutline;
  lessons: Map<string, Lesson>;
}

const VERSION_COLUMNS = [
  'id',
  'courseId',
  'number',
  'status',
  'title',
  'summary',
  'topic',
  'blocks',
  'lockLessons',
  'minutes',
  'lessonCount',
  'coverFile',
  'coverAlt',
  'frameworks',
  'publishedAt',
] as const;

const LESSON_CONTENT_COLUMNS = [
  ...LESSON_COLUMNS,
  'bodyHtml',
  'digest',
  'frameworks',
  'attachments',
  'videoTitle',
  'videoFile',
  'videoCaptions',
  'videoUrl',
  'videoLowFile',
] as const;

/** Finds which version of a course a visitor learns: theirs if they started one, else null. */
export type VersionOfCourse = (courseId: string) => Promise<string | null>;

/** The courses of a tenant as learners see them: lists, search, outlines and lessons of versions. */
export class CatalogService {
  /**
   * Content of published versions by version id. A published version never changes, so a
   * cached one is always right; drafts are never cached.
   */
  private readonly contents = new Map<string, CourseContent>();
  /** Lessons of the published versions loaded so far, by id: they never change either. */
  private readonly publishedLessons = new Map<string, { tenantId: string; lesson: LessonSummary }>();

  constructor(private readonly db: Db) {}

  /**
   * Published courses matching the filters; with a query, ranked by relevance (title
   * matches first), otherwise in Vietnamese alphabetical order of title.
   */
  async courses(tenantId: string, filters: CourseFilters = {}): Promise<CourseSummary[]> {
    let query = this.db.kysely
      .selectFrom('courses')
      .select(SUMMARY_COLUMNS)
      .where('tenantId', '=', tenantId)
      .where('status', '=', 'published');
    if (filters.topic) query = query.where('topic', '=', filters.topic);
    if (filters.block) query = query.where('blocks', 'like', `%,${filters.block},%`);
    const rows = await query.execute();
    const tokens = searchTokens(filters.query ?? '');
    if (tokens.length === 0) {
      return rows.map(toSummary).sort((a, b) => a.title.localeCompare(b.title, 'vi'));
    }
    return rows
      .map((row) => ({ row, rank: searchRank(row, tokens) }))
      .filter((r) => r.rank > 0)
      .sort((a, b) => b.rank - a.rank || a.row.title.localeCompare(b.row.title, 'vi'))
      .map((r) => toSummary(r.row));
  }

  /**
   * A published course as this visitor learns it: the version they started (even if a newer
   * one is out), otherwise the current one. An archived course only for those who started it.
   */
  async courseBySlug(
    tenantId: string,
    slug: string,
    versionOf?: VersionOfCourse,
  ): Promise<CourseOutline | null> {
    return (await this.contentBySlug(tenantId, slug, versionOf))?.outline ?? null;
  }

  /** A published course and one of its lessons, for this visitor's version. */
  async courseLesson(tenantId: string, courseSlug: string, lessonSlug: string, versionOf?: VersionOfCourse) {
    const content = await this.contentBySlug(tenantId, courseSlug, versionOf);
    if (!content) return null;
    return { course: content.outline, lesson: content.lessons.get(lessonSlug) ?? null };
  }

  /** The current published version of a course. */
  async courseById(tenantId: string, courseId: string): Promise<CourseOutline | null> {
    const row = await this.db.kysely
      .selectFrom('courses')
      .select('publishedVersionId')
      .where('tenantId', '=', tenantId)
      .where('id', '=', courseId)
      .executeTakeFirst();
    return row?.publishedVersionId ? this.versionOutline(tenantId, row.publishedVersionId) : null;
  }

  async versionOutline(tenantId: string, versionId: string): Promise<CourseOutline | null> {
    return (await this.versionContent(tenantId, versionId))?.outline ?? null;
  }

  private async contentBySlug(
    tenantId: string,
    slug: string,
    versionOf?: VersionOfCourse,
  ): Promise<CourseContent | null> {
    const row = await this.db.kysely
      .selectFrom('courses')
      .select(['id', 'publishedVersionId', 'status'])
      .where('tenantId', '=', tenantId)
      .where('slug', '=', slug)
      .where('status', 'in', ['published', 'archived'])
      .executeTakeFirst();
    if (!row?.publishedVersionId) return null;
    const own = versionOf ? await versionOf(row.id) : null;
    // An archived course is gone from the catalog, but whoever started it can still reach it.
    if (row.status === 'archived' && !own) return null;
    return this.versionContent(tenantId, own ?? row.publishedVersionId);
  }

  private async versionContent(tenantId: string, versionId: string): Promise<CourseContent | null> {
    const cached = this.contents.get(versionId);
    if (cached) return cached.outline.tenantId === tenantId ? cached : null;
    const version = await this.db.kysely
      .selectFrom('courseVersions')
      .innerJoin('courses', 'courses.id', 'courseVersions.courseId')
      .select(VERSION_COLUMNS.map((c) => `courseVersions.${c}` as const))
      .select(['courses.slug', 'courses.tenantId'])
      .where('courseVersions.id', '=', versionId)
      .where('courseVersions.tenantId', '=', tenantId)
      .executeTakeFirst();
    if (!version) return null;
    const [modules, lessons] = await Promise.all([
      this.db.kysely
        .selectFrom('courseModules')
        .select(['id', 'title'])
        .where('versionId', '=', versionId)
        .orderBy('position')
        .execute(),
      this.db.kysely
        .selectFrom('lessons')
        .select(LESSON_CONTENT_COLUMNS)
        .where('versionId', '=', versionId)
        .orderBy('position')
        .execute(),
    ]);
    const summaries = lessons.map(toLessonSummary);
    const content: CourseContent = {
      outline: {
        ...toSummary({ ...version, id: version.courseId }),
        versionId,
        versionNumber: version.number,
        publishedAt: version.publishedAt,
        coverFile: version.coverFile,
        coverAlt: version.coverAlt,
        frameworks: decodeList(version.frameworks),
        modules: modules.map((m) => ({ ...m, lessons: summaries.filter((l) => l.moduleId === m.id) })),
        lessons: summaries,
      },
      lessons: new Map(lessons.map((l) => [l.slug, toLesson(l)])),
    };
    if (version.status === 'published') {
      this.contents.set(versionId, content);
      for (const lesson of summaries) this.publishedLessons.set(lesson.id, { tenantId, lesson });
    }
    return content;
  }

  /** Summaries of the given courses (for a learner's own list), in no particular order. */
  async coursesByIds(tenantId: string, ids: string[]): Promise<CourseSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.kysely
      .selectFrom('courses')
      .select(SUMMARY_COLUMNS)
      .where('tenantId', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    return rows.map(toSummary);
  }

  /** Content hashes of lessons: equal hashes mean a learner's work on one counts for the other. */
  async lessonDigests(tenantId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.kysely
      .selectFrom('lessons')
      .select(['id', 'digest'])
      .where('tenantId', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, r.digest]));
  }

  /** Lessons of published versions by id within a tenant (for validating learning events). */
  async lessonsByIds(tenantId: string, ids: string[]): Promise<LessonSummary[]> {
    const known = ids.flatMap((id) => {
      const entry = this.publishedLessons.get(id);
      return entry?.tenantId === tenantId ? [entry.lesson] : [];
    });
    if (known.length === ids.length) return known;
    const rows = await this.db.kysely
      .selectFrom('lessons')
      .innerJoin('courseVersions', 'courseVersions.id', 'lessons.versionId')
      .select(LESSON_COLUMNS.map((c) => `lessons.${c}` as const))
      .where('lessons.tenantId', '=', tenantId)
      .where('courseVersions.status', '=', 'published')
      .where('lessons.id', 'in', ids)
      .execute();
    return rows.map(toLessonSummary);
  }
}

/** The search keys stored with a course. */
export function courseSearchKeys(title: string, summary: string, lessonTitles: string[]) {
  return {
    searchTitle: foldForSearch(title),
    searchText: foldForSearch([title, summary, ...lessonTitles].join(' ')),
  };
}
