/**
 * A course of a tenant: its identity (slug) and the catalog card of its published version.
 * Status: draft (never published), published, or archived (hidden, records kept).
 * Lists are stored as `,a,b,` so one LIKE finds a member.
 */
export interface CourseTable {
  id: string;
  tenantId: string;
  slug: string;
  title: string;
  summary: string;
  topic: string;
  blocks: string;
  lockLessons: number;
  minutes: number;
  lessonCount: number;
  /** Folded (no diacritics, lower case) title, and title + summary + lesson titles, for search. */
  searchTitle: string;
  searchText: string;
  /** The published version's digest: re-importing the same package changes nothing. */
  digest: string;
  status: string;
  publishedVersionId: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * One version of a course. The draft (number null) is what authors edit; publishing gives it
 * the next number and freezes it together with its modules, lessons and quizzes.
 */
export interface CourseVersionTable {
  id: string;
  tenantId: string;
  courseId: string;
  number: number | null;
  status: string;
  title: string;
  summary: string;
  topic: string;
  blocks: string;
  lockLessons: number;
  minutes: number;
  lessonCount: number;
  coverFile: string | null;
  coverAlt: string | null;
  frameworks: string;
  digest: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
}

export interface CourseModuleTable {
  id: string;
  courseId: string;
  versionId: string;
  position: number;
  title: string;
}

export interface LessonTable {
  id: string;
  tenantId: string;
  courseId: string;
  versionId: string;
  moduleId: string;
  /** Order within the whole course, from 1. */
  position: number;
  /** `lesson`, or `final`: the course's final test, which has a quiz and nothing to read. */
  kind: string;
  slug: string;
  title: string;
  minutes: number;
  bodyMarkdown: string;
  /** Rendered from the Markdown when saved; raw HTML in it was escaped. */
  bodyHtml: string;
  /** Hash of the lesson's content: a learner moving to a new version keeps unchanged lessons done. */
  digest: string;
  frameworks: string;
  /** JSON `[{title, file}]`: PDF handouts. */
  attachments: string;
  videoTitle: string | null;
  videoFile: string | null;
  videoUrl: string | null;
  /** WebVTT captions of a video file: a video without them shuts out deaf learners. */
  videoCaptions: string | null;
  /** A smaller encoding of the video for slow connections. */
  videoLowFile: string | null;
  quizId: string | null;
}

export interface CatalogTables {
  courses: CourseTable;
  courseVersions: CourseVersionTable;
  courseModules: CourseModuleTable;
  lessons: LessonTable;
}
