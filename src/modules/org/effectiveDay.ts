import { todayInVietnam } from '../../db/time.js';
import { vietnamDay } from '../../web/format.js';
import { isCalendarDay } from './history.js';

/**
 * Why a reorganisation cannot take effect on `day`, or null. It cannot be in the future (run it
 * on the day), nor before `notBefore` days (units created then, or changed later already), so the
 * history stays in order.
 */
export function effectiveDayProblem(day: string, notBefore: string[]): string | null {
  if (!isCalendarDay(day)) return 'Ngày hiệu lực không hợp lệ (cần dạng NNNN-TT-NN, ví dụ 2025-07-01).';
  if (day > todayInVietnam()) return 'Ngày hiệu lực không được ở tương lai: hãy thực hiện vào đúng ngày đó.';
  const latest = [...notBefore].sort().at(-1);
  if (latest && day < latest) {
    return `Ngày hiệu lực không được sớm hơn ${vietnamDay(latest)}: đơn vị đã có thay đổi vào ngày đó.`;
  }
  return null;
}
