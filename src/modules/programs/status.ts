import type { AssignmentRow } from './repository.js';

export type AssignmentStatus = 'notStarted' | 'inProgress' | 'completed' | 'overdue' | 'exempt';

export const STATUS_LABELS: Record<AssignmentStatus, string> = {
  notStarted: 'Chưa bắt đầu',
  inProgress: 'Đang học',
  completed: 'Đã hoàn thành',
  overdue: 'Quá hạn',
  exempt: 'Được miễn',
};

/** Where one assignment stands on `today`: done and exempt first, then late, then begun or not. */
export function statusOf(
  assignment: Pick<AssignmentRow, 'completedAt' | 'exemptAt' | 'dueOn'>,
  started: boolean,
  today: string,
): AssignmentStatus {
  if (assignment.completedAt) return 'completed';
  if (assignment.exemptAt) return 'exempt';
  if (assignment.dueOn < today) return 'overdue';
  return started ? 'inProgress' : 'notStarted';
}
