/** A published course of a tenant. Lists are stored as `,a,b,` so one LIKE finds a member. */
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
  /** The imported package's digest: re-importing the same package changes nothing. */
  digest: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface CourseModuleTable {
  id: string;
  courseId: string;
  position: number;
  title: string;
}

export interface LessonTable {
  id: string;
  tenantId: string;
  courseId: string;
  moduleId: string;
  /** Order within the whole course, from 1. */
  position: number;
  slug: string;
  title: string;
  minutes: number;
  /** Rendered once at import from the lesson's Markdown; raw HTML in it was escaped. */
  bodyHtml: string;
  videoTitle: string | null;
  videoFile: string | null;
  videoUrl: string | null;
  /** WebVTT captions of a video file: a video without them shuts out deaf learners. */
  videoCaptions: string | null;
  quizId: string | null;
}

export interface CatalogTables {
  courses: CourseTable;
  courseModules: CourseModuleTable;
  lessons: LessonTable;
}
