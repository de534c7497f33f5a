/** The period a community page shows, read from its address (`tu`, `den`), and its presets. */
import { vietnamDay } from '../../web/format.js';
import { isCalendarDay } from '../org/history.js';
import { lastDayOf, type Period, previousMonth } from './periods.js';

/** The period asked for, with a Vietnamese message for each day refused (and left open). */
export function readPeriod(
  query: Record<string, string | undefined>,
  today: string,
): { period: Period; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const day = (name: 'tu' | 'den') => {
    const text = (query[name] ?? '').trim();
    if (text === '') return '';
    if (!isCalendarDay(text)) {
      errors[name] = 'Ngày không hợp lệ (cần dạng năm-tháng-ngày); đã bỏ qua.';
      return '';
    }
    return text;
  };
  let from = day('tu');
  const to = day('den');
  if (from && to && from > to) {
    errors.tu = 'Ngày bắt đầu sau ngày kết thúc; đã bỏ qua ngày bắt đầu.';
    from = '';
  }
  if (from > today) {
    errors.tu = 'Ngày bắt đầu ở tương lai; đã bỏ qua.';
    from = '';
  }
  return { period: { from, to }, errors };
}

/** The period as an address query (`?tu=…&den=…`), open sides left out, with `extra` added. */
export function periodQuery(period: Period, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (period.from) params.set('tu', period.from);
  if (period.to) params.set('den', period.to);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The periods offered with one tap: this month, last month, this year, all time. */
export function periodPresets(today: string): { label: string; period: Period }[] {
  const month = today.slice(0, 7);
  const last = previousMonth(month);
  return [
    { label: 'Tháng này', period: { from: `${month}-01`, to: '' } },
    { label: 'Tháng trước', period: { from: `${last}-01`, to: lastDayOf(last) } },
    { label: 'Năm nay', period: { from: `${today.slice(0, 4)}-01-01`, to: '' } },
    { label: 'Toàn bộ', period: { from: '', to: '' } },
  ];
}

/** The period in words: "từ 01/06/2025 đến 30/06/2025", "từ 01/06/2025 đến nay", "toàn bộ thời gian". */
export function describePeriod(period: Period): string {
  if (!period.from && !period.to) return 'toàn bộ thời gian';
  const from = period.from ? `từ ${vietnamDay(period.from)} ` : '';
  return `${from}đến ${period.to ? vietnamDay(period.to) : 'nay'}`;
}
