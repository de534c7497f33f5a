import type { Db } from '../../db/database.js';
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
  'moduleId',
  'position',
  'slug',
  'title',
  'minutes',
  'quizId',
] as const;

export type LessonSummary = Pick<LessonTable, (typeof LESSON_COLUMNS)[number]>;

export interface Lesson extends LessonSummary {
  bodyHtml: string;
  video: { title: string; file: string | null; captions: string | null; url: string | null } | null;
}

export interface CourseOutline extends CourseSummary {
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

export const encodeList = (items: readonly string[]): string => `,${items.join(',')},`;
const decodeList = (stored: string): string[] => stored.split(',').filter(Boolean);

function toSummary(row: SummaryRow): CourseSummary {
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
  moduleId: row.moduleId,
  position: row.position,
  slug: row.slug,
  title: row.title,
  minutes: row.minutes,
  quizId: row.quizId,
});

function toLesson(row: Omit<LessonTable, 'tenantId'>): Lesson {
  const { bodyHtml, videoTitle, videoFile, videoCaptions, videoUrl } = row;
  return {
    ...toLessonSummary(row),
    bodyHtml,
    video: videoTitle ? { title: videoTitle, file: videoFile, captions: videoCaptions, url: videoUrl } : null,
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

/** A course's outline with every lesson body, as imported under one digest. */
interface CourseContent {
  digest: string;
  outline: CourseOutline;
  lessons: Map<string, Lesson>;
}

/** The published courses of a tenant: lists, search, outlines and lessons. */
export class CatalogService {
  /**
   * Course content by course id. An import changes the digest, and every read checks the
   * digest in the course row, so a process never serves content another process replaced.
   */
  private readonly contents = new Map<string, CourseContent>();

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

  async courseBySlug(tenantId: string, slug: string): Promise<CourseOutline | null> {
    return (await this.contentBySlug(tenantId, slug))?.outline ?? null;
  }

  /** A published course and one of its lessons, in one query once the course's content is cached. */
  async courseLesson(tenantId: string, courseSlug: string, lessonSlug: string) {
    const content = await this.contentBySlug(tenantId, courseSlug);
    if (!content) return null;
    return { course: content.outline, lesson: content.lessons.get(lessonSlug) ?? null };
  }

  async courseById(tenantId: string, courseId: string): Promise<CourseOutline | null> {
    const row = await this.db.kysely
      .selectFrom('courses')
      .select(SUMMARY_COLUMNS)
      .where('tenantId', '=', tenantId)
      .where('id', '=', courseId)
      .executeTakeFirst();
    return row ? (await this.contentOf(row)).outline : null;
  }

  private async contentBySlug(tenantId: string, slug: string): Promise<CourseContent | null> {
    const row = await this.db.kysely
      .selectFrom('courses')
      .select(SUMMARY_COLUMNS)
      .where('tenantId', '=', tenantId)
      .where('slug', '=', slug)
      .where('status', '=', 'published')
      .executeTakeFirst();
    return row ? this.contentOf(row) : null;
  }

  private async contentOf(row: SummaryRow): Promise<CourseContent> {
    const cached = this.contents.get(row.id);
    if (cached?.digest === row.digest) return cached;
    const [modules, lessons] = await Promise.all([
      this.db.kysely
        .selectFrom('courseModules')
        .select(['id', 'title'])
        .where('courseId', '=', row.id)
        .orderBy('position')
        .execute(),
      this.db.kysely
        .selectFrom('lessons')
        .select([...LESSON_COLUMNS, 'bodyHtml', 'videoTitle', 'videoFile', 'videoCaptions', 'videoUrl'])
        .where('courseId', '=', row.id)
        .orderBy('position')
        .execute(),
    ]);
    const summaries = lessons.map(toLessonSummary);
    const content: CourseContent = {
      digest: row.digest,
      outline: {
        ...toSummary(row),
        modules: modules.map((m) => ({ ...m, lessons: summaries.filter((l) => l.moduleId === m.id) })),
        lessons: summaries,
      },
      lessons: new Map(lessons.map((l) => [l.slug, toLesson(l)])),
    };
    this.contents.set(row.id, content);
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

  /** Lessons by id within a tenant (for validating learning events), with their course. */
  async lessonsByIds(tenantId: string, ids: string[]): Promise<LessonSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.kysely
      .selectFrom('lessons')
      .select(LESSON_COLUMNS)
      .where('tenantId', '=', tenantId)
      .where('id', 'in', ids)
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
