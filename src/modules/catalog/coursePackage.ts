import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { type FileProblem, SLUG_PATTERN, YamlSource } from '../../content/yamlSource.js';
import { cleanText } from '../../text/vietnamese.js';
import type { QuestionDraft } from '../assessment/questionDraft.js';
import { parseQuizFile, type QuizDefinition, readTextList } from '../assessment/quizFile.js';
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
  '.pdf': 'application/pdf',
};
const IMAGE_EXTENSIONS = ['.svg', '.png', '.jpg', '.jpeg', '.webp'];
const VIDEO_EXTENSIONS = ['.mp4', '.webm'];
const QUIZ_EXTENSIONS = ['.yaml', '.yml'];
/** Files a package can consist of; a folder's other files are not read. */
const PACKAGE_EXTENSIONS = new Set([...Object.keys(MEDIA_TYPES), '.md', ...QUIZ_EXTENSIONS]);

const MB = 1024 * 1024;
const SIZE_LIMITS: { mediaType: string; bytes: number; label: string }[] = [
  { mediaType: 'image/', bytes: 2 * MB, label: '2 MB' },
  { mediaType: 'video/', bytes: 200 * MB, label: '200 MB' },
  { mediaType: 'application/pdf', bytes: 20 * MB, label: '20 MB' },
];
/** No file of a package may be larger than its largest kind (a video). */
const MAX_FILE_BYTES = 200 * MB;

/** A file of the package that is served to learners (an image, a video, captions or a PDF). */
export interface PackageAsset {
  path: string;
  mediaType: string;
  bytes: Buffer;
}

export interface LessonVideo {
  title: string;
  assetPath: string | null;
  captionsPath: string | null;
  /** A smaller encoding of the same video for slow connections; only with `assetPath`. */
  lowBandwidthPath: string | null;
  url: string | null;
}

/** A PDF handed out with a lesson. */
export interface LessonAttachment {
  title: string;
  assetPath: string;
}

export interface LessonPackage {
  slug: string;
  title: string;
  minutes: number;
  /** Package-relative path of the Markdown file; image paths in it are relative to it. */
  bodyPath: string;
  markdown: string;
  quiz: QuizDefinition | null;
  video: LessonVideo | null;
  /** Framework element codes, as written (another module checks them). */
  frameworks: string[];
  attachments: LessonAttachment[];
}

export interface CoursePackage {
  slug: string;
  title: string;
  summary: string;
  topic: Topic;
  blocks: Block[];
  lockLessons: boolean;
  cover: { assetPath: string; alt: string } | null;
  frameworks: string[];
  modules: { title: string; lessons: LessonPackage[] }[];
  /** The final course test; `questions: []` means it draws from every lesson quiz's questions. */
  finalTest: QuizDefinition | null;
  assets: Map<string, PackageAsset>;
  /**
   * SHA-256 of the package's canonical form (its parsed content and each asset's hash): the same
   * digest means nothing changed, however the files were formatted or archived.
   */
  digest: string;
}

export type PackageResult =
  | { course: CoursePackage; problems: [] }
  | { course: null; problems: FileProblem[] };

type PathCheck = { path: string } | { problem: string };

const COURSE_KEYS = [
  'slug',
  'title',
  'summary',
  'topic',
  'blocks',
  'lockLessons',
  'cover',
  'coverAlt',
  'frameworks',
  'finalTest',
  'modules',
] as const;
const LESSON_KEYS = [
  'slug',
  'title',
  'minutes',
  'frameworks',
  'body',
  'quiz',
  'video',
  'attachments',
] as const;

/** Reads and validates a course package folder; nothing is loaded anywhere. */
export function readCoursePackage(folder: string): PackageResult {
  if (!existsSync(posix.join(folder, MANIFEST))) return missingManifest(folder);
  const files = new Map<string, Buffer>();
  const problems: FileProblem[] = [];
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const full = posix.join(entry.parentPath, entry.name);
    const path = posix.relative(folder, full);
    // Hidden files (.git, .DS_Store) and files of other kinds are not part of the package.
    if (!entry.isFile() || path.split('/').some((part) => part.startsWith('.'))) continue;
    if (!PACKAGE_EXTENSIONS.has(posix.extname(path).toLowerCase())) continue;
    if (statSync(full).size > MAX_FILE_BYTES) {
      problems.push({
        file: full,
        line: 1,
        message: 'Tệp lớn hơn 200 MB: gói khóa học không nhận tệp lớn như vậy.',
      });
    } else files.set(path, readFileSync(full));
  }
  return problems.length > 0 ? { course: null, problems } : readCoursePackageFiles(files, folder);
}

/**
 * Reads and validates a package given as its files (package-relative paths), from a folder or an
 * archive. Problems name files as `label/path`. Never throws.
 */
export function readCoursePackageFiles(files: ReadonlyMap<string, Buffer>, label: string): PackageResult {
  const byPath = new Map([...files].map(([path, bytes]) => [normalizePath(path), bytes]));
  if (!byPath.has(MANIFEST)) return missingManifest(label);
  return new PackageReader(byPath, label).read();
}

const missingManifest = (label: string): PackageResult => ({
  course: null,
  problems: [{ file: posix.join(label, MANIFEST), line: 1, message: `Không có tệp ${MANIFEST}.` }],
});

// Archives made on macOS name files in NFD; manifests are read in NFC.
const normalizePath = (path: string) => posix.normalize(path.normalize('NFC'));

class PackageReader {
  private readonly problems: FileProblem[] = [];
  private readonly assets = new Map<string, PackageAsset>();
  private readonly lessonQuestions: QuestionDraft[] = [];
  private lessonQuizFailed = false;
  private source!: YamlSource;

  constructor(
    private readonly files: Map<string, Buffer>,
    private readonly label: string,
  ) {}

  read(): PackageResult {
    const manifest = this.readText(MANIFEST);
    if (manifest === null) return { course: null, problems: this.problems };
    this.source = new YamlSource(posix.join(this.label, MANIFEST), manifest);
    const root = this.source.root;
    const course = root ? this.readCourse(root) : null;
    this.problems.unshift(...this.source.problems);
    if (!course || this.problems.length > 0) return { course: null, problems: this.problems };
    return {
      course: { ...course, assets: this.assets, digest: packageDigest(course, this.assets) },
      problems: [],
    };
  }

  private readCourse(root: YAMLMap) {
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
    const cover = this.readCover(root);
    const frameworks = readTextList(s, root, 'frameworks');
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
    const finalTest = this.readFinalTest(root);
    if (!slug || !title || !summary || !topic || !isTopic(topic)) return null;
    return {
      slug,
      title: cleanText(title),
      summary: cleanText(summary),
      topic,
      blocks,
      lockLessons,
      cover,
      frameworks,
      modules,
      finalTest,
    };
  }

  private readBlocks(root: YAMLMap): Block[] {
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

  private readCover(root: YAMLMap): CoursePackage['cover'] {
    const s = this.source;
    const coverNode = s.node(root, 'cover');
    const altNode = s.node(root, 'coverAlt');
    if (coverNode === undefined) {
      if (altNode !== undefined) s.report(altNode, '"coverAlt" chỉ dùng kèm "cover".');
      return null;
    }
    if (altNode === undefined) {
      s.report(coverNode, 'Ảnh bìa cần "coverAlt": mô tả ảnh cho người dùng trình đọc màn hình.');
    }
    const alt = altNode === undefined ? undefined : s.text(root, 'coverAlt');
    const assetPath = this.packageFile(root, 'cover', IMAGE_EXTENSIONS);
    return assetPath && alt ? { assetPath, alt: cleanText(alt) } : null;
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
    const frameworks = readTextList(s, map, 'frameworks');
    const bodyPath = this.packageFile(map, 'body', ['.md'], false);
    const markdown = bodyPath ? this.readText(bodyPath) : null;
    if (bodyPath && markdown !== null) this.checkImages(bodyPath, markdown);
    const quiz = s.node(map, 'quiz') ? this.readLessonQuiz(map) : null;
    const video = this.readVideo(map);
    const attachments = this.readAttachments(map);
    if (!slug || !title || minutes === undefined || !bodyPath || markdown === null) return null;
    return {
      slug,
      title: cleanText(title),
      minutes,
      bodyPath,
      markdown,
      quiz,
      video,
      frameworks,
      attachments,
    };
  }

  private readLessonQuiz(lesson: YAMLMap): QuizDefinition | null {
    const path = this.packageFile(lesson, 'quiz', QUIZ_EXTENSIONS, false);
    const quiz = path ? this.readQuiz(path) : null;
    if (quiz) this.lessonQuestions.push(...quiz.questions);
    else this.lessonQuizFailed = true;
    return quiz;
  }

  private readFinalTest(root: YAMLMap): QuizDefinition | null {
    if (this.source.node(root, 'finalTest') === undefined) return null;
    const path = this.packageFile(root, 'finalTest', QUIZ_EXTENSIONS, false);
    return path ? this.readQuiz(path, this.lessonQuizFailed ? null : this.lessonQuestions) : null;
  }

  private readQuiz(path: string, lessonQuestions?: QuestionDraft[] | null): QuizDefinition | null {
    const text = this.readText(path);
    if (text === null) return null;
    const { quiz, problems } = parseQuizFile(posix.join(this.label, path), text, {
      resolveImage: (value) => this.check(normalizePath(value), value, IMAGE_EXTENSIONS, 'Ảnh'),
      lessonQuestions,
    });
    this.problems.push(...problems);
    for (const question of quiz?.questions ?? []) {
      if (question.image) this.addAsset(question.image.src);
    }
    return quiz;
  }

  private readVideo(lesson: YAMLMap): LessonVideo | null {
    const s = this.source;
    const node = s.node(lesson, 'video');
    if (node === undefined) return null;
    const map = s.asMap(node, '"video"');
    if (!map) return null;
    s.onlyKeys(map, ['title', 'file', 'lowBandwidth', 'captions', 'url']);
    const title = s.text(map, 'title');
    const url = s.text(map, 'url', false) ?? null;
    const hasFile = s.node(map, 'file') !== undefined;
    const assetPath = hasFile ? this.packageFile(map, 'file', VIDEO_EXTENSIONS) : null;
    if (url && !/^https:\/\/[^\s]+$/.test(url))
      s.report(s.node(map, 'url'), 'Đường dẫn video phải bắt đầu bằng https://.');
    if (!url && !hasFile) s.report(map, 'Video cần "file" (tệp trong gói) hoặc "url".');
    const captionsPath = s.node(map, 'captions') ? this.packageFile(map, 'captions', ['.vtt']) : null;
    if (hasFile && !s.node(map, 'captions')) {
      s.report(map, 'Video trong gói cần phụ đề tiếng Việt: thêm "captions" (tệp .vtt).');
    }
    const lowNode = s.node(map, 'lowBandwidth');
    if (lowNode !== undefined && !hasFile) {
      s.report(lowNode, '"lowBandwidth" chỉ dùng kèm "file": đó là bản nhẹ hơn của chính video trong gói.');
    }
    const lowBandwidthPath =
      lowNode !== undefined && hasFile ? this.packageFile(map, 'lowBandwidth', VIDEO_EXTENSIONS) : null;
    if (assetPath && lowBandwidthPath && this.size(lowBandwidthPath) >= this.size(assetPath)) {
      s.report(lowNode, 'Bản "lowBandwidth" phải nhỏ hơn tệp video chính.');
    }
    return title ? { title: cleanText(title), assetPath, captionsPath, lowBandwidthPath, url } : null;
  }

  private readAttachments(lesson: YAMLMap): LessonAttachment[] {
    const s = this.source;
    const node = s.node(lesson, 'attachments');
    if (node === undefined) return [];
    if (!isSeq(node)) {
      s.report(node, '"attachments" phải là một danh sách tài liệu, mỗi mục có "file" và "title".');
      return [];
    }
    return (node.items as Node[]).flatMap((item) => {
      const map = s.asMap(item, 'Tài liệu đính kèm');
      if (!map) return [];
      s.onlyKeys(map, ['file', 'title']);
      const title = s.text(map, 'title');
      const assetPath = this.packageFile(map, 'file', ['.pdf']);
      return assetPath && title ? [{ title: cleanText(title), assetPath }] : [];
    });
  }

  /**
   * A path written in the manifest, checked to stay inside the package and to exist; an asset
   * (anything but a lesson body or a quiz) is kept to be served.
   */
  private packageFile(map: YAMLMap, key: string, extensions: string[], asset = true): string | null {
    const value = this.source.text(map, key);
    if (!value) return null;
    const checked = this.check(normalizePath(value), value, extensions, 'Tệp');
    if ('problem' in checked) {
      this.source.report(this.source.node(map, key), checked.problem);
      return null;
    }
    if (asset) this.addAsset(checked.path);
    return checked.path;
  }

  /** Whether a file can be used: inside the package, of the right kind, present, small enough. */
  private check(path: string, written: string, extensions: string[], noun: 'Tệp' | 'Ảnh'): PathCheck {
    const name = `${noun} "${written}"`;
    if (path === '..' || path.startsWith('../') || posix.isAbsolute(path)) {
      return { problem: `${name} nằm ngoài thư mục khóa học.` };
    }
    const extension = posix.extname(path).toLowerCase();
    if (!extensions.includes(extension)) {
      const last = extensions.at(-1);
      const kinds = extensions.length > 1 ? `${extensions.slice(0, -1).join(', ')} hoặc ${last}` : last;
      return { problem: `${name} phải có đuôi ${kinds}.` };
    }
    const bytes = this.files.get(path);
    if (!bytes) return { problem: `Không tìm thấy ${noun.toLowerCase()} "${written}".` };
    const mediaType = MEDIA_TYPES[extension] ?? '';
    const limit = SIZE_LIMITS.find((l) => mediaType.startsWith(l.mediaType));
    if (limit && bytes.length > limit.bytes) return { problem: `${name} lớn hơn ${limit.label}.` };
    if (mediaType === 'application/pdf' && !bytes.subarray(0, 5).equals(Buffer.from('%PDF-'))) {
      return { problem: `${name} không phải là tệp PDF.` };
    }
    return { path };
  }

  private size(path: string): number {
    return this.files.get(path)?.length ?? 0;
  }

  private readText(path: string): string | null {
    const text = (this.files.get(path) ?? Buffer.alloc(0)).toString('utf8');
    if (text.includes('\uFFFD')) {
      this.problems.push({ file: posix.join(this.label, path), line: 1, message: 'Tệp không phải UTF-8.' });
      return null;
    }
    return text;
  }

  private checkImages(bodyPath: string, markdown: string): void {
    const file = posix.join(this.label, bodyPath);
    for (const image of imageReferences(markdown)) {
      const problem = (message: string) => this.problems.push({ file, line: image.line, message });
      if (image.alt === '')
        problem(`Ảnh "${image.src}" thiếu mô tả (alt) cho người dùng trình đọc màn hình.`);
      if (/^[a-z]+:/i.test(image.src)) {
        problem(`Ảnh "${image.src}" phải là tệp trong gói khóa học, không phải đường dẫn ngoài.`);
        continue;
      }
      const checked = this.check(packagePathOf(bodyPath, image.src), image.src, IMAGE_EXTENSIONS, 'Ảnh');
      if ('problem' in checked) problem(checked.problem);
      else this.addAsset(checked.path);
    }
  }

  private addAsset(path: string): void {
    const bytes = this.files.get(path);
    if (this.assets.has(path) || !bytes) return;
    const mediaType = MEDIA_TYPES[posix.extname(path).toLowerCase()] ?? 'application/octet-stream';
    this.assets.set(path, { path, mediaType, bytes });
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function packageDigest(content: object, assets: Map<string, PackageAsset>): string {
  const files = [...assets.values()]
    .map((a) => [a.path, a.mediaType, sha256(a.bytes)])
    .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(canonicalJson({ content, files }));
}

/** JSON with every object's keys sorted, so the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1)))
      : item,
  );
}

/** The package path of a file referenced from a lesson (paths in Markdown are relative to it). */
export function packagePathOf(bodyPath: string, src: string): string {
  return normalizePath(posix.join(posix.dirname(bodyPath), decodedUri(src)));
}

/** A malformed %-escape is left as written: it then names a file that does not exist. */
function decodedUri(src: string): string {
  try {
    return decodeURI(src);
  } catch {
    return src;
  }
}

/** A folder holding one package, or a folder of package folders. */
export function packageFolders(path: string): string[] {
  if (existsSync(posix.join(path, MANIFEST))) return [path];
  return readdirSync(path)
    .map((name) => posix.join(path, name))
    .filter((dir) => existsSync(posix.join(dir, MANIFEST)))
    .sort();
}
