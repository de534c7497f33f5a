import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { isScalar, isSeq, type Node } from 'yaml';
import { type FileProblem, SLUG_PATTERN, YamlSource } from '../../content/yamlSource.js';
import { cleanText } from '../../text/vietnamese.js';
import { parseQuizFile, type QuizDefinition } from '../assessment/quizFile.js';
import { type Block, isBlock } from '../identity/blocks.js';
import { imageReferences } from './lessonMarkdown.js';
import { isTopic, type Topic } from './topics.js';

export const MANIFEST = 'course.yaml';

const MEDIA_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.vtt': 'text/vtt',
};
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const MAX_VIDEO_BYTES = 200 * 1024 * 1024;

/** A file of the package that is served to learners (an image or a video). */
export interface PackageAsset {
  path: string;
  mediaType: string;
  bytes: Buffer;
}

export interface LessonPackage {
  slug: string;
  title: string;
  minutes: number;
  /** Package-relative path of the Markdown file; image paths in it are relative to it. */
  bodyPath: string;
  markdown: string;
  quiz: QuizDefinition | null;
  video: { title: string; assetPath: string | null; captionsPath: string | null; url: string | null } | null;
}

export interface CoursePackage {
  slug: string;
  title: string;
  summary: string;
  topic: Topic;
  blocks: Block[];
  lockLessons: boolean;
  modules: { title: string; lessons: LessonPackage[] }[];
  assets: Map<string, PackageAsset>;
  /** SHA-256 over everything the package consists of: the same digest means nothing changed. */
  digest: string;
}

export type PackageResult =
  | { course: CoursePackage; problems: [] }
  | { course: null; problems: FileProblem[] };

const COURSE_KEYS = ['slug', 'title', 'summary', 'topic', 'blocks', 'lockLessons', 'modules'] as const;
const LESSON_KEYS = ['slug', 'title', 'minutes', 'body', 'quiz', 'video'] as const;

/** Reads and validates a course package folder; nothing is loaded anywhere. */
export function readCoursePackage(folder: string): PackageResult {
  const manifestPath = posix.join(folder, MANIFEST);
  if (!existsSync(manifestPath)) {
    return {
      course: null,
      problems: [{ file: manifestPath, line: 1, message: `Không có tệp ${MANIFEST}.` }],
    };
  }
  return new PackageReader(folder).read(readFileSync(manifestPath, 'utf8'));
}

class PackageReader {
  private readonly problems: FileProblem[] = [];
  private readonly assets = new Map<string, PackageAsset>();
  private readonly digest = createHash('sha256');
  private source!: YamlSource;

  constructor(private readonly folder: string) {}

  read(manifest: string): PackageResult {
    this.source = new YamlSource(posix.join(this.folder, MANIFEST), manifest);
    this.digest.update(manifest);
    const root = this.source.root;
    const course = root ? this.readCourse(root) : null;
    this.problems.unshift(...this.source.problems);
    if (!course || this.problems.length > 0) return { course: null, problems: this.problems };
    return { course: { ...course, assets: this.assets, digest: this.digest.digest('hex') }, problems: [] };
  }

  private readCourse(root: NonNullable<YamlSource['root']>) {
    const s = this.source;
    s.onlyKeys(root, COURSE_KEYS);
    const slug = s.text(root, 'slug');
    if (slug && !SLUG_PATTERN.test(slug)) {
      s.report(s.node(root, 'slug'), `"slug" chỉ được gồm chữ thường không dấu, số và dấu "-": "${slug}".`);
    }
    const title = s.text(root, 'title');
    const summary = s.text(root, 'summary');
    const topic = s.text(root, 'topic');
    if (topic && !isTopic(topic))
      s.report(s.node(root, 'topic'), `Chủ đề "${topic}" không có trong danh sách.`);
    const blocks = this.readBlocks(root);
    const lockLessons = s.boolean(root, 'lockLessons') ?? false;
    const lessonSlugs = new Set<string>();
    const modules = s.list(root, 'modules').flatMap((item) => {
      const map = s.asMap(item, 'Học phần');
      if (!map) return [];
      s.onlyKeys(map, ['title', 'lessons']);
      const moduleTitle = s.text(map, 'title');
      const lessons = s.list(map, 'lessons').flatMap((lessonNode) => {
        const lesson = this.readLesson(lessonNode);
        if (!lesson) return [];
        if (lessonSlugs.has(lesson.slug))
          s.report(lessonNode, `Bài học "${lesson.slug}" bị trùng trong khóa học.`);
        lessonSlugs.add(lesson.slug);
        return [lesson];
      });
      return moduleTitle ? [{ title: cleanText(moduleTitle), lessons }] : [];
    });
    if (!slug || !title || !summary || !topic || !isTopic(topic)) return null;
    return {
      slug,
      title: cleanText(title),
      summary: cleanText(summary),
      topic,
      blocks,
      lockLessons,
      modules,
    };
  }

  private readBlocks(root: NonNullable<YamlSource['root']>): Block[] {
    const node = this.source.node(root, 'blocks');
    if (!isSeq(node) || node.items.length === 0) {
      this.source.report(node ?? root, '"blocks" phải liệt kê ít nhất một khối người học.');
      return [];
    }
    return (node.items as Node[]).flatMap((item) => {
      const value = isScalar(item) ? String(item.value) : '';
      if (isBlock(value)) return [value];
      this.source.report(
        item,
        `Khối "${value}" không tồn tại (official, business, community, citizen, student).`,
      );
      return [];
    });
  }

  private readLesson(node: Node): LessonPackage | null {
    const s = this.source;
    const map = s.asMap(node, 'Bài học');
    if (!map) return null;
    s.onlyKeys(map, LESSON_KEYS);
    const slug = s.text(map, 'slug');
    if (slug && !SLUG_PATTERN.test(slug))
      s.report(s.node(map, 'slug'), `"slug" của bài học không hợp lệ: "${slug}".`);
    const title = s.text(map, 'title');
    const minutes = s.integer(map, 'minutes', 1, 60);
    if (minutes === undefined && !s.node(map, 'minutes'))
      s.report(map, 'Thiếu "minutes" (thời gian đọc, phút).');
    const bodyPath = this.packageFile(map, 'body', ['.md']);
    const markdown = bodyPath ? this.readText(bodyPath) : null;
    if (bodyPath && markdown !== null) this.checkImages(bodyPath, markdown);
    const quizPath = s.node(map, 'quiz') ? this.packageFile(map, 'quiz', ['.yaml', '.yml']) : null;
    let quiz: QuizDefinition | null = null;
    if (quizPath) {
      const text = this.readText(quizPath);
      const parsed = text === null ? null : parseQuizFile(posix.join(this.folder, quizPath), text);
      if (parsed) this.problems.push(...parsed.problems);
      quiz = parsed?.quiz ?? null;
    }
    const video = this.readVideo(map);
    if (!slug || !title || minutes === undefined || !bodyPath || markdown === null) return null;
    return { slug, title: cleanText(title), minutes, bodyPath, markdown, quiz, video };
  }

  private readVideo(lesson: NonNullable<ReturnType<YamlSource['asMap']>>): LessonPackage['video'] {
    const s = this.source;
    const node = s.node(lesson, 'video');
    if (node === undefined) return null;
    const map = s.asMap(node, '"video"');
    if (!map) return null;
    s.onlyKeys(map, ['file', 'captions', 'url', 'title']);
    const title = s.text(map, 'title');
    const url = s.text(map, 'url', false) ?? null;
    const assetPath = s.node(map, 'file') ? this.packageFile(map, 'file', ['.mp4', '.webm']) : null;
    if (url && !/^https:\/\/[^\s]+$/.test(url))
      s.report(s.node(map, 'url'), 'Đường dẫn video phải bắt đầu bằng https://.');
    if (!url && !s.node(map, 'file')) s.report(map, 'Video cần "file" (tệp trong gói) hoặc "url".');
    const captionsPath = s.node(map, 'captions') ? this.packageFile(map, 'captions', ['.vtt']) : null;
    if (s.node(map, 'file') && !s.node(map, 'captions')) {
      s.report(map, 'Video trong gói cần phụ đề tiếng Việt: thêm "captions" (tệp .vtt).');
    }
    if (assetPath) this.addAsset(assetPath, s.node(map, 'file'));
    if (captionsPath) this.addAsset(captionsPath, s.node(map, 'captions'));
    return title ? { title: cleanText(title), assetPath, captionsPath, url } : null;
  }

  /** A path written in the manifest, checked to stay inside the package and to exist. */
  private packageFile(map: NonNullable<ReturnType<YamlSource['asMap']>>, key: string, extensions: string[]) {
    const s = this.source;
    const value = s.text(map, key);
    if (!value) return null;
    const path = posix.normalize(value);
    const node = s.node(map, key);
    if (path.startsWith('..') || posix.isAbsolute(path)) {
      s.report(node, `"${value}" nằm ngoài thư mục khóa học.`);
      return null;
    }
    if (!extensions.includes(posix.extname(path).toLowerCase())) {
      s.report(node, `"${value}" phải là tệp ${extensions.join(' hoặc ')}.`);
      return null;
    }
    if (!existsSync(posix.join(this.folder, path))) {
      s.report(node, `Không tìm thấy tệp "${value}".`);
      return null;
    }
    return path;
  }

  private readText(path: string): string | null {
    const bytes = readFileSync(posix.join(this.folder, path));
    this.digest.update(path).update(bytes);
    const text = bytes.toString('utf8');
    if (text.includes('\uFFFD')) {
      this.problems.push({ file: posix.join(this.folder, path), line: 1, message: 'Tệp không phải UTF-8.' });
      return null;
    }
    return text;
  }

  private checkImages(bodyPath: string, markdown: string): void {
    const file = posix.join(this.folder, bodyPath);
    for (const image of imageReferences(markdown)) {
      const problem = (message: string) => this.problems.push({ file, line: image.line, message });
      if (image.alt === '')
        problem(`Ảnh "${image.src}" thiếu mô tả (alt) cho người dùng trình đọc màn hình.`);
      if (/^[a-z]+:/i.test(image.src)) {
        problem(`Ảnh "${image.src}" phải là tệp trong gói khóa học, không phải đường dẫn ngoài.`);
        continue;
      }
      const path = packagePathOf(bodyPath, image.src);
      const mediaType = MEDIA_TYPES[posix.extname(path).toLowerCase()];
      if (path.startsWith('..')) problem(`Ảnh "${image.src}" nằm ngoài thư mục khóa học.`);
      else if (!mediaType?.startsWith('image/'))
        problem(`Ảnh "${image.src}" phải là .svg, .png, .jpg hoặc .webp.`);
      else if (!existsSync(posix.join(this.folder, path))) problem(`Không tìm thấy ảnh "${image.src}".`);
      else if (statSync(posix.join(this.folder, path)).size > MAX_IMAGE_BYTES)
        problem(`Ảnh "${image.src}" lớn hơn 2 MB.`);
      else this.addAsset(path, null);
    }
  }

  private addAsset(path: string, node: Node | null | undefined): void {
    if (this.assets.has(path)) return;
    const full = posix.join(this.folder, path);
    const mediaType = MEDIA_TYPES[posix.extname(path).toLowerCase()] ?? 'application/octet-stream';
    if (mediaType.startsWith('video/') && statSync(full).size > MAX_VIDEO_BYTES) {
      this.source.report(node, `Video "${path}" lớn hơn 200 MB.`);
      return;
    }
    const bytes = readFileSync(full);
    this.digest.update(path).update(bytes);
    this.assets.set(path, { path, mediaType, bytes });
  }
}

/** The package path of a file referenced from a lesson (paths in Markdown are relative to it). */
export function packagePathOf(bodyPath: string, src: string): string {
  return posix.normalize(posix.join(posix.dirname(bodyPath), decodeURI(src)));
}

/** A folder holding one package, or a folder of package folders. */
export function packageFolders(path: string): string[] {
  if (existsSync(posix.join(path, MANIFEST))) return [path];
  return readdirSync(path)
    .map((name) => posix.join(path, name))
    .filter((dir) => existsSync(posix.join(dir, MANIFEST)))
    .sort();
}
