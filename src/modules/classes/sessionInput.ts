import type { FieldErrors } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import { type Block, isBlock } from '../identity/blocks.js';

/** A session form as posted: every field is text. */
export interface SessionForm {
  unitId?: string;
  courseId?: string;
  title?: string;
  place?: string;
  day?: string;
  time?: string;
  durationMinutes?: string;
  capacity?: string;
  audienceBlock?: string;
  audienceNote?: string;
  /** The instructor's phone or email; empty: the person scheduling (or, on an edit, unchanged). */
  instructor?: string;
}

/** The checked fields of a session, before the other modules (course, instructor) are asked. */
export interface SessionFields {
  courseId: string | null;
  /** Empty when not typed: the course's title is used then. */
  title: string;
  place: string;
  startsAt: string;
  durationMinutes: number;
  capacity: number;
  audienceBlock: Block | null;
  audienceNote: string | null;
  instructor: string;
}

export const MAX_CAPACITY = 1000;
const MIN_MINUTES = 15;
const MAX_MINUTES = 12 * 60;
const DAY_MS = 24 * 3600 * 1000;
/** Sessions are entered up to a year late (from a paper sheet) and up to two years ahead. */
const EARLIEST_DAYS = 365;
const LATEST_DAYS = 2 * 365;

/** A whole number as typed ("30", " 30 "), or NaN for anything else ("3,5", "ba mươi", ""). */
export const wholeNumber = (text: string | undefined): number =>
  /^\s*-?\d+\s*$/.test(text ?? '') ? Number(text) : Number.NaN;

/** "2026-12-05" (a date field) or "5/12/2026" (typed where there is no date picker) → "2026-12-05". */
export function parseDay(text: string): string | null {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const typed = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : typed
      ? [typed[3], typed[2]?.padStart(2, '0'), typed[1]?.padStart(2, '0')]
      : [];
  if (!year || !month || !day) return null;
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  // 31/02 rolls over into March: not a day anyone meant.
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === `${year}-${month}-${day}`
    ? `${year}-${month}-${day}`
    : null;
}

/** "08:30" (a time field), "8:30", "8h30" or "8h" → "08:30". */
export function parseTime(text: string): string | null {
  const match = /^(\d{1,2})\s*(?:[:hg.]\s*(\d{2})?)?$/i.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** The instant of a Vietnamese local day and time (Vietnam keeps UTC+7 all year). */
export const vietnamInstant = (day: string, time: string): string =>
  new Date(`${day}T${time}:00+07:00`).toISOString();

/** The day (`YYYY-MM-DD`) and time (`HH:MM`) of an instant in Vietnam, to fill the form again. */
export function vietnamDayAndTime(iso: string): { day: string; time: string } {
  const local = new Date(Date.parse(iso) + 7 * 3600 * 1000).toISOString();
  return { day: local.slice(0, 10), time: local.slice(11, 16) };
}

/**
 * Checks a session form; every problem is reported at once, in Vietnamese, keyed by its field.
 * `now` bounds the day: not more than a year back, nor two years ahead.
 */
export function checkSessionForm(
  form: SessionForm,
  now: Date,
): { value: SessionFields | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const title = cleanText(form.title ?? '');
  const courseId = (form.courseId ?? '').trim() || null;
  if (!title && !courseId) errors.title = 'Hãy nhập tên buổi học, hoặc chọn một khóa học để dùng tên khóa.';
  if (title.length > 200) errors.title = 'Tên buổi học dài quá 200 ký tự.';
  const place = cleanText(form.place ?? '');
  if (place.length < 2) errors.place = 'Hãy nhập địa điểm, ví dụ “Nhà văn hóa thôn Phú Hòa”.';
  else if (place.length > 200) errors.place = 'Địa điểm dài quá 200 ký tự.';

  const day = parseDay(form.day ?? '');
  const time = parseTime(form.time ?? '');
  if (!day) errors.day = 'Hãy nhập ngày học, ví dụ 05/12/2026.';
  if (!time) errors.time = 'Hãy nhập giờ bắt đầu, ví dụ 08:30.';
  const startsAt = day && time ? vietnamInstant(day, time) : null;
  if (startsAt) {
    const at = Date.parse(startsAt);
    if (at < now.getTime() - EARLIEST_DAYS * DAY_MS) errors.day = 'Ngày học đã qua hơn một năm.';
    if (at > now.getTime() + LATEST_DAYS * DAY_MS) errors.day = 'Ngày học quá xa, hơn hai năm nữa.';
  }

  const durationMinutes = wholeNumber(form.durationMinutes);
  if (!(durationMinutes >= MIN_MINUTES && durationMinutes <= MAX_MINUTES)) {
    errors.durationMinutes = `Thời lượng là số phút, từ ${MIN_MINUTES} đến ${MAX_MINUTES}.`;
  }
  const capacity = wholeNumber(form.capacity);
  if (!(capacity >= 1 && capacity <= MAX_CAPACITY)) {
    errors.capacity = `Số chỗ là một số nguyên từ 1 đến ${MAX_CAPACITY}.`;
  }
  const blockText = (form.audienceBlock ?? '').trim();
  if (blockText && !isBlock(blockText)) errors.audienceBlock = 'Đối tượng đã chọn không có trong danh sách.';
  const audienceNote = cleanText(form.audienceNote ?? '');
  if (audienceNote.length > 300) errors.audienceNote = 'Ghi chú đối tượng dài quá 300 ký tự.';

  if (Object.keys(errors).length > 0 || !startsAt) return { value: null, errors };
  return {
    value: {
      courseId,
      title,
      place,
      startsAt,
      durationMinutes,
      capacity,
      audienceBlock: blockText && isBlock(blockText) ? blockText : null,
      audienceNote: audienceNote || null,
      instructor: (form.instructor ?? '').trim(),
    },
    errors,
  };
}
