import { isBlock } from '../../identity/blocks.js';
import { isCalendarDay } from '../../org/history.js';
import { ANY } from '../stats/facts.js';
import type { DashboardFilters } from './figures.js';

/** The dashboard's filters read from its address, with a Vietnamese message for each one refused. */
export function readFilters(
  query: Record<string, string | undefined>,
  subjects: { id: string }[],
  today: string,
): { filters: DashboardFilters; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let subject = (query.mon ?? '').trim() || ANY;
  if (subject !== ANY && !subjects.some((s) => s.id === subject)) {
    errors.mon = 'Không có khóa học hay chương trình này; đang xem mọi khóa học.';
    subject = ANY;
  }
  let block = (query.khoi ?? '').trim();
  if (block && !isBlock(block)) {
    errors.khoi = 'Khối không hợp lệ; đang xem mọi khối.';
    block = '';
  }
  const day = (name: 'tu' | 'den') => {
    const text = (query[name] ?? '').trim();
    if (text === '') return '';
    if (!isCalendarDay(text)) {
      errors[name] = 'Ngày không hợp lệ (cần dạng năm-tháng-ngày); đã bỏ qua.';
      return '';
    }
    if (text > today) {
      errors[name] = 'Ngày ở tương lai; đã bỏ qua.';
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
  return { filters: { subject, block, from, to }, errors };
}

/** The filters as an address query (`?mon=…`), empty ones left out. */
export function filterQuery(filters: DashboardFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filters.subject !== ANY) params.set('mon', filters.subject);
  if (filters.block) params.set('khoi', filters.block);
  if (filters.from) params.set('tu', filters.from);
  if (filters.to) params.set('den', filters.to);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}
