import { isRole, ROLE_LABELS } from '../../access/actor.js';
import { vietnamDay, vietnamTime } from '../../web/format.js';

/** Every kind of audited act, by its stable code, with the label people read. */
export const ACTION_LABELS = {
  'role.granted': 'Cấp vai trò',
  'role.revoked': 'Thu hồi vai trò',
  'certificate.revoked': 'Thu hồi giấy chứng nhận',
  'questions.imported': 'Nhập câu hỏi từ tệp',
  'people.imported': 'Nhập danh sách người học',
  'course.published': 'Xuất bản khóa học',
  'units.merged': 'Sáp nhập đơn vị',
  'assignment.exempted': 'Miễn việc học được giao',
  'unit.moved': 'Chuyển đơn vị sang đơn vị cấp trên khác',
  'personal_data.exported': 'Xuất dữ liệu cá nhân',
  'profile.corrected': 'Sửa thông tin cá nhân',
  'consent.withdrawn': 'Rút lại đồng ý cung cấp dữ liệu',
  'account.deleted': 'Xóa tài khoản theo yêu cầu',
  'record.viewed': 'Xem hồ sơ học tập',
  'audit.exported': 'Tải về nhật ký hoạt động',
  'offering.nominated': 'Đề cử vào suất học',
  'offering.withdrawn': 'Rút đề cử suất học',
  'qualification.revoked': 'Thu hồi xác nhận đạt yêu cầu',
  'qualifications.exported': 'Xuất danh sách đạt yêu cầu',
  'assignment.nudged': 'Nhắc nhở người quá hạn học',
  'report.target_set': 'Đặt chỉ tiêu phổ cập kỹ năng số',
  'report.target_removed': 'Xóa chỉ tiêu phổ cập kỹ năng số',
  'integrity.reviewed': 'Xem xét dấu hiệu bất thường',
  'class.scheduled': 'Lên lịch buổi học trực tiếp',
  'class.updated': 'Sửa buổi học trực tiếp',
  'class.cancelled': 'Hủy buổi học trực tiếp',
  'class.attendance_marked': 'Điểm danh theo danh sách lớp',
  'class.attendee_added': 'Thêm người học tại lớp',
  'class.walk_in_recorded': 'Ghi khách vãng lai tại lớp',
  'class.walk_in_linked': 'Liên kết khách vãng lai với tài khoản',
  'class.result_recorded': 'Nhập điểm bài kiểm tra giấy',
  'community.team_created': 'Tạo tổ công nghệ số cộng đồng',
  'community.team_updated': 'Sửa thông tin tổ công nghệ số cộng đồng',
  'community.team_status': 'Đổi trạng thái tổ công nghệ số cộng đồng',
  'community.team_deleted': 'Xóa tổ công nghệ số cộng đồng',
  'community.member_added': 'Thêm thành viên tổ công nghệ số',
  'community.member_removed': 'Bỏ thành viên khỏi tổ công nghệ số',
  'community.teams_imported': 'Nhập danh sách tổ công nghệ số từ tệp',
  'community.assistance_deleted': 'Xóa ghi nhận hỗ trợ người dân của người khác',
} as const;

export type AuditAction = keyof typeof ACTION_LABELS;

export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS) as AuditAction[];

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(ACTION_LABELS, value);
}

export const actionLabel = (action: string): string =>
  isAuditAction(action) ? ACTION_LABELS[action] : action;

/** What an event's details may hold: a few plain values, never nested data. */
export type AuditDetails = Record<string, string | number | boolean | null>;

const text = (value: AuditDetails[string] | undefined) =>
  value === null || value === undefined ? '' : String(value);

function filtersSummary(details: AuditDetails): string {
  const parts = [
    details.action ? `hành động “${actionLabel(text(details.action))}”` : '',
    details.actorQuery ? `người thực hiện “${text(details.actorQuery)}”` : '',
    details.from ? `từ ngày ${vietnamDay(text(details.from))}` : '',
    details.to ? `đến ngày ${vietnamDay(text(details.to))}` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'Toàn bộ nhật ký' : `Bộ lọc: ${parts.join(', ')}`;
}

/** One line of Vietnamese saying what an event's details mean, for the table and the export. */
export function detailsSummary(action: string, details: AuditDetails): string {
  switch (action) {
    case 'role.granted':
    case 'role.revoked': {
      const role = text(details.role);
      const scope = text(details.scope) || 'toàn đơn vị chủ quản';
      return `Vai trò: ${isRole(role) ? ROLE_LABELS[role] : role}; phạm vi: ${scope}`;
    }
    case 'certificate.revoked':
    case 'qualification.revoked':
      return `Mã ${text(details.code)}; lý do: ${text(details.reason)}`;
    case 'audit.exported':
      return filtersSummary(details);
    case 'qualifications.exported':
      return `Định dạng ${text(details.format)}; ${text(details.filters)}`;
    case 'assignment.nudged':
      return `Đã nhắc ${text(details.people)} người quá hạn`;
    case 'community.team_status':
      return `Từ “${text(details.from)}” sang “${text(details.to)}”`;
    case 'community.teams_imported':
      return `Đã tạo ${text(details.teams)} tổ, ${text(details.members)} lượt thành viên`;
    case 'profile.corrected':
      return `Đã sửa: ${text(details.fields)}`;
    case 'consent.withdrawn':
      return `Đã xóa: ${text(details.data)}`;
    case 'class.scheduled':
    case 'class.updated':
      return `Địa điểm: ${text(details.place)}; bắt đầu: ${vietnamTime(text(details.startsAt))}; số chỗ: ${text(details.capacity)}`;
    case 'class.cancelled':
      return `Buổi học lúc ${vietnamTime(text(details.startsAt))}`;
    case 'class.attendance_marked':
      return `Đánh dấu có mặt ${text(details.present)} người, bỏ đánh dấu ${text(details.absent)} người`;
    case 'class.attendee_added':
    case 'class.walk_in_recorded':
      return `Buổi học: ${text(details.session)}`;
    case 'class.walk_in_linked':
      return `Buổi học: ${text(details.session)}; khách vãng lai: ${text(details.walkIn)}`;
    case 'class.result_recorded':
      return `Buổi học: ${text(details.session)}; điểm: ${text(details.score) || 'xóa'}; trước đó: ${text(details.previous) || 'chưa có'}`;
    default:
      return Object.entries(details)
        .map(([key, value]) => `${key}: ${text(value)}`)
        .join('; ');
  }
}

/** What kinds of things events are about, as people call them. */
const SUBJECT_TYPE_LABELS: Record<string, string> = {
  account: 'Tài khoản',
  certificate: 'Giấy chứng nhận',
  course: 'Khóa học',
  questionBank: 'Ngân hàng câu hỏi',
  auditLog: 'Nhật ký hoạt động',
  qualification: 'Xác nhận đạt yêu cầu',
  assignmentRule: 'Quy tắc giao học',
  integritySignal: 'Dấu hiệu bất thường',
  target: 'Chỉ tiêu',
  unit: 'Đơn vị',
  classSession: 'Buổi học trực tiếp',
  classAttendee: 'Khách vãng lai của lớp học',
  communityTeam: 'Tổ công nghệ số',
  teamFile: 'Tệp danh sách tổ công nghệ số',
};

export const subjectTypeLabel = (type: string): string => SUBJECT_TYPE_LABELS[type] ?? type;
