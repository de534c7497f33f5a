import { isRole } from '../../access/actor.js';
import { validationFailed } from '../../errors.js';
import { cleanText, foldForSearch } from '../../text/vietnamese.js';
import { isBlock } from '../identity/blocks.js';
import { isCalendarDay } from '../org/history.js';
import type { ProgramCourseRole } from './tables.js';

export interface ProgramInput {
  name: string;
  description?: string;
  targetBlock?: string | null;
  validityMonths?: number | null;
  electivesRequired?: number;
  courses: { courseId: string; role: ProgramCourseRole }[];
}

export interface RuleInput {
  programId?: string | null;
  courseId?: string | null;
  unitId: string;
  blocks: string[];
  position?: string | null;
  role?: string | null;
  dueOn?: string | null;
  dueDays?: number | null;
}

const ROLES: readonly ProgramCourseRole[] = ['required', 'elective', 'final'];
const slugOf = (name: string) => foldForSearch(name).replace(/\s+/g, '-').slice(0, 60);

/** A program's fields cleaned, or every problem with them in Vietnamese. */
export function checkProgram(input: ProgramInput, publishedCourseIds: Set<string>) {
  const errors: Record<string, string> = {};
  const name = cleanText(input.name ?? '');
  const description = cleanText(input.description ?? '');
  const courses = input.courses.filter((c) => ROLES.includes(c.role));
  const electives = courses.filter((c) => c.role === 'elective').length;
  const electivesRequired = input.electivesRequired ?? 0;
  if (name.length < 3 || name.length > 200) errors.name = 'Tên chương trình cần từ 3 đến 200 ký tự.';
  if (description.length > 2000) errors.description = 'Mô tả dài quá 2.000 ký tự.';
  if (input.targetBlock && !isBlock(input.targetBlock)) errors.targetBlock = 'Đối tượng không hợp lệ.';
  if (input.validityMonths !== null && input.validityMonths !== undefined) {
    if (!Number.isInteger(input.validityMonths) || input.validityMonths < 1 || input.validityMonths > 120) {
      errors.validityMonths = 'Thời hạn hiệu lực là số tháng từ 1 đến 120 (để trống nếu không hết hạn).';
    }
  }
  if (courses.length === 0) errors.courses = 'Hãy chọn ít nhất một khóa học cho chương trình.';
  else if (courses.some((c) => !publishedCourseIds.has(c.courseId))) {
    errors.courses = 'Chỉ chọn được khóa học đã xuất bản của đơn vị chủ quản.';
  } else if (courses.filter((c) => c.role === 'final').length > 1) {
    errors.courses = 'Chương trình chỉ có một bài kiểm tra cuối.';
  } else if (courses.every((c) => c.role === 'elective') && electivesRequired === 0) {
    errors.electivesRequired = 'Hãy cho biết cần hoàn thành bao nhiêu khóa tự chọn.';
  }
  if (!Number.isInteger(electivesRequired) || electivesRequired < 0 || electivesRequired > electives) {
    errors.electivesRequired = `Số khóa tự chọn cần hoàn thành phải từ 0 đến ${electives}.`;
  }
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return {
    slug: slugOf(name),
    name,
    description,
    targetBlock: input.targetBlock || null,
    validityMonths: input.validityMonths ?? null,
    electivesRequired,
    courses,
  };
}

/** A rule's fields cleaned, or every problem with them in Vietnamese. */
export function checkRule(input: RuleInput, today: string) {
  const errors: Record<string, string> = {};
  const programId = input.programId || null;
  const courseId = input.courseId || null;
  if ((programId === null) === (courseId === null))
    errors.target = 'Hãy chọn một chương trình hoặc một khóa học.';
  if (!input.unitId) errors.unitId = 'Hãy chọn đơn vị.';
  if (input.blocks.some((b) => !isBlock(b))) errors.blocks = 'Đối tượng không hợp lệ.';
  const position = input.position ? cleanText(input.position) : null;
  if (position && position.length > 120) errors.position = 'Chức vụ dài quá 120 ký tự.';
  const role = input.role || null;
  if (role && (!isRole(role) || role === 'learner')) errors.role = 'Vai trò không hợp lệ.';
  const dueOn = input.dueOn || null;
  const dueDays = input.dueDays ?? null;
  if ((dueOn === null) === (dueDays === null)) {
    errors.due = 'Hãy đặt hạn: một ngày cụ thể, hoặc số ngày kể từ khi được giao.';
  } else if (dueOn !== null && (!isCalendarDay(dueOn) || dueOn < today)) {
    errors.due = 'Hạn hoàn thành phải là một ngày hợp lệ, từ hôm nay trở đi.';
  } else if (dueDays !== null && (!Number.isInteger(dueDays) || dueDays < 1 || dueDays > 3650)) {
    errors.due = 'Số ngày phải từ 1 đến 3.650.';
  }
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return {
    programId,
    courseId,
    unitId: input.unitId,
    blocks: input.blocks.join(','),
    position,
    role,
    dueOn,
    dueDays,
  };
}
