/**
 * Authoring forms read into the service's types, with every problem as a Vietnamese message
 * next to its field. Nothing here trusts the browser: lists are checked against known codes.
 */
import { isFrameworkElementCode } from '../../content/frameworks.js';
import { SLUG_PATTERN } from '../../content/yamlSource.js';
import { type FieldErrors, validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import { DIFFICULTIES, type Difficulty } from '../assessment/questionDraft.js';
import {
  DEFAULT_PASS_PERCENT,
  type DrawRule,
  FEEDBACK_TIMINGS,
  type FeedbackTiming,
  type QuizSettings,
  type QuizSource,
} from '../assessment/quizSettings.js';
import { BLOCKS, type Block, isBlock } from '../identity/blocks.js';
import type { CourseFields, LessonFields } from './draftVersions.js';
import { imageReferences } from './lessonMarkdown.js';
import type { Attachment } from './service.js';
import { isTopic } from './topics.js';

export type Form = Record<string, unknown>;

const text = (form: Form, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value : '';
};

export const list = (form: Form, name: string): string[] => {
  const value = form[name];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
};

function lengthProblem(value: string, label: string, min: number, max: number): string | null {
  if (value.length < min) return min === 1 ? `Hãy nhập ${label}.` : `${label} cần ít nhất ${min} ký tự.`;
  if (value.length > max) return `${label} dài quá ${max} ký tự.`;
  return null;
}

function integerIn(form: Form, name: string, min: number, max: number, errors: FieldErrors, label: string) {
  const raw = text(form, name).trim();
  const value = Number(raw);
  if (raw === '' || !Number.isInteger(value) || value < min || value > max) {
    errors[name] = `${label} phải là số nguyên từ ${min} đến ${max}.`;
    return min;
  }
  return value;
}

function frameworksOf(form: Form, errors: FieldErrors): string[] {
  const codes = list(form, 'frameworks');
  const unknown = codes.filter((c) => !isFrameworkElementCode(c));
  if (unknown.length > 0) errors.frameworks = `Mã khung năng lực không có: ${unknown.join(', ')}.`;
  return codes.filter(isFrameworkElementCode);
}

export function slugFromForm(form: Form, name = 'slug'): string {
  const slug = text(form, name).trim();
  if (!SLUG_PATTERN.test(slug) || slug.length > 80) {
    throw validationFailed({
      [name]: 'Địa chỉ chỉ gồm chữ thường không dấu, số và dấu "-", ví dụ: an-toan-zalo.',
    });
  }
  return slug;
}

/** Course fields; the cover is kept from `current` (it changes by upload). */
export function courseFieldsFromForm(form: Form, current?: CourseFields): CourseFields {
  const errors: FieldErrors = {};
  const title = cleanText(text(form, 'title'));
  const summary = cleanText(text(form, 'summary'));
  const topic = text(form, 'topic');
  const blocks = list(form, 'blocks');
  const titleProblem = lengthProblem(title, 'Tên khóa học', 3, 150);
  if (titleProblem) errors.title = titleProblem;
  const summaryProblem = lengthProblem(summary, 'Phần giới thiệu', 10, 600);
  if (summaryProblem) errors.summary = summaryProblem;
  if (!isTopic(topic)) errors.topic = 'Hãy chọn một chủ đề.';
  if (blocks.length === 0 || !blocks.every(isBlock)) errors.blocks = 'Hãy chọn ít nhất một đối tượng học.';
  const coverAlt = cleanText(text(form, 'coverAlt'));
  if (current?.coverFile && coverAlt === '')
    errors.coverAlt = 'Ảnh bìa cần có mô tả cho người dùng trình đọc màn hình.';
  const frameworks = frameworksOf(form, errors);
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return {
    title,
    summary,
    topic: topic as CourseFields['topic'],
    blocks: (Object.keys(BLOCKS) as Block[]).filter((b) => blocks.includes(b)),
    lockLessons: text(form, 'lockLessons') === '1',
    coverFile: current?.coverFile ?? null,
    coverAlt: current?.coverFile ? coverAlt : null,
    frameworks,
  };
}

export const MAX_LESSON_MARKDOWN = 100_000;

/** Lesson fields; uploaded files (video, captions, attachments) are kept from `current`. */
export function lessonFieldsFromForm(form: Form, current: LessonFields): LessonFields {
  const errors: FieldErrors = {};
  const title = cleanText(text(form, 'title'));
  const titleProblem = lengthProblem(title, 'Tên bài', 3, 150);
  if (titleProblem) errors.title = titleProblem;
  const minutes = integerIn(form, 'minutes', 1, 120, errors, 'Thời gian học');
  const markdown = text(form, 'markdown').normalize('NFC').replace(/\r\n/g, '\n');
  if (markdown.length > MAX_LESSON_MARKDOWN)
    errors.markdown = `Nội dung dài quá ${MAX_LESSON_MARKDOWN} ký tự.`;
  const missingAlt = imageReferences(markdown).filter((image) => image.alt === '');
  if (missingAlt.length > 0) {
    errors.markdown = `Ảnh ở dòng ${missingAlt.map((i) => i.line).join(', ')} chưa có mô tả: viết ![mô tả ảnh](địa chỉ ảnh).`;
  }
  const videoUrl = text(form, 'videoUrl').trim();
  if (videoUrl !== '' && !/^https:\/\/[^\s]+$/.test(videoUrl))
    errors.videoUrl = 'Liên kết video phải bắt đầu bằng https://';
  const videoTitle = cleanText(text(form, 'videoTitle'));
  if ((videoUrl !== '' || current.videoFile) && videoTitle === '') errors.videoTitle = 'Video cần có tên.';
  const removed = new Set(list(form, 'removeAttachment'));
  const attachments: Attachment[] = current.attachments.filter((a) => !removed.has(a.file));
  const frameworks = frameworksOf(form, errors);
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const removeVideo = text(form, 'removeVideo') === '1';
  return {
    title,
    minutes,
    markdown,
    videoTitle: videoTitle === '' ? null : videoTitle,
    videoUrl: videoUrl === '' ? null : videoUrl,
    videoFile: removeVideo ? null : current.videoFile,
    videoCaptions: removeVideo ? null : current.videoCaptions,
    videoLowFile: removeVideo ? null : current.videoLowFile,
    attachments,
    frameworks,
  };
}

/** Quiz settings from the quiz form; the source is a bank with chosen questions or draws. */
export function quizSettingsFromForm(form: Form, finalTest: boolean): QuizSettings {
  const errors: FieldErrors = {};
  const passPercent = integerIn(form, 'passPercent', 1, 100, errors, 'Điểm đạt');
  const maxRaw = text(form, 'maxAttempts').trim();
  const maxAttempts = maxRaw === '' ? null : integerIn(form, 'maxAttempts', 1, 100, errors, 'Số lần làm');
  const timeRaw = text(form, 'timeLimitMinutes').trim();
  const timeLimitMinutes =
    timeRaw === '' ? null : integerIn(form, 'timeLimitMinutes', 1, 300, errors, 'Thời gian làm bài');
  const feedback = text(form, 'feedback');
  if (!(FEEDBACK_TIMINGS as readonly string[]).includes(feedback))
    errors.feedback = 'Hãy chọn lúc cho xem đáp án.';
  const draws = drawRulesFromForm(form, errors);
  let source: QuizSource | null = finalTest ? { allLessons: true } : null;
  if (!finalTest) {
    const bankId = text(form, 'bankId');
    if (bankId === '') errors.bankId = 'Hãy chọn ngân hàng câu hỏi.';
    const questionIds = list(form, 'questionIds');
    if (!draws && questionIds.length === 0) {
      errors.questionIds = 'Hãy chọn câu hỏi cố định, hoặc đặt quy tắc rút câu ngẫu nhiên.';
    }
    source = { bankId, questionIds: draws ? null : questionIds };
  } else if (!draws) errors['draws.0.count'] = 'Bài kiểm tra cuối khóa cần ít nhất một quy tắc rút câu.';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return {
    passPercent: passPercent ?? DEFAULT_PASS_PERCENT,
    maxAttempts,
    timeLimitMinutes,
    shuffleQuestions: text(form, 'shuffleQuestions') === '1',
    shuffleOptions: text(form, 'shuffleOptions') === '1',
    feedback: feedback as FeedbackTiming,
    partialCredit: text(form, 'partialCredit') === '1',
    draws,
    source,
  };
}

export const DRAW_ROWS = 3;

/** Up to three draw rules: a count, tags (comma-separated) and a difficulty. */
function drawRulesFromForm(form: Form, errors: FieldErrors): DrawRule[] | null {
  const rules: DrawRule[] = [];
  for (let row = 0; row < DRAW_ROWS; row++) {
    const countRaw = text(form, `draws.${row}.count`).trim();
    if (countRaw === '') continue;
    const count = integerIn(form, `draws.${row}.count`, 1, 200, errors, 'Số câu rút');
    const tags = text(form, `draws.${row}.tags`)
      .split(',')
      .map((t) => cleanText(t))
      .filter(Boolean);
    const difficulty = text(form, `draws.${row}.difficulty`);
    if (difficulty !== '' && !(DIFFICULTIES as readonly string[]).includes(difficulty)) {
      errors[`draws.${row}.difficulty`] = 'Độ khó không hợp lệ.';
    }
    rules.push({ count, tags, difficulty: difficulty === '' ? null : (difficulty as Difficulty) });
  }
  return rules.length > 0 ? rules : null;
}
