import { vietnamDay } from '../../../web/format.js';
import { Layout, type Shell } from '../../../web/page.js';
import type { DashboardFilters } from './figures.js';
import { filterQuery } from './filterForm.js';
import { DRILLS, type Drill } from './people.js';
import type { PersonRow } from './service.js';
import { blockName, dashboardHref, drillHref } from './views.js';

/** What the day of a listed fact means, per list. */
const DAY_LABELS: Partial<Record<Drill, string>> = {
  'duoc-giao': 'Hạn hoàn thành',
  'bat-dau': 'Ngày bắt đầu',
  'hoan-thanh': 'Ngày hoàn thành',
  'qua-han': 'Hạn hoàn thành',
  'dat-yeu-cau': 'Hiệu lực đến',
};

export const dayText = (day: string) =>
  day === '' ? '' : day.startsWith('9999') ? 'Không thời hạn' : vietnamDay(day);

/** The people behind one figure of a unit's dashboard, a page at a time. */
export function PeoplePage(props: {
  shell: Shell;
  unit: { id: string; fullName: string };
  drill: Drill;
  filters: DashboardFilters;
  subjectTitle: string;
  rows: PersonRow[];
  nextCursor: string | null;
  first: boolean;
}) {
  const { shell, unit, drill, filters, subjectTitle, rows, nextCursor, first } = props;
  const query = filterQuery(filters);
  const dayLabel = DAY_LABELS[drill];
  const counted = drill === 'lam-bai' || drill === 'dat-bai';
  const list = drillHref(unit.id, drill);
  return (
    <Layout shell={shell} title={`${DRILLS[drill].label}: ${unit.fullName}`}>
      <p class="crumbs">
        <a href={`${dashboardHref(unit.id)}${query}`}>← Tổng quan {unit.fullName}</a>
      </p>
      <h1>
        {DRILLS[drill].label}: {unit.fullName}
      </h1>
      <p class="meta">
        {subjectTitle} · {filters.block ? blockName(filters.block) : 'Mọi khối'}
        {(filters.from || filters.to) &&
          ` · ${filters.from ? `từ ${vietnamDay(filters.from)} ` : ''}${filters.to ? `đến ${vietnamDay(filters.to)}` : ''}`}
      </p>
      <p class="no-print">
        Tải danh sách đầy đủ: <a href={`${list}/danh-sach.xlsx${query}`}>Excel (.xlsx)</a> ·{' '}
        <a href={`${list}/danh-sach.csv${query}`}>CSV</a> (việc tải được ghi nhật ký vì có dữ liệu cá nhân)
      </p>
      <div class="table-scroll">
        <table class="data">
          <caption>Xếp theo đơn vị, rồi theo người</caption>
          <thead>
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col">Chức vụ</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Khối</th>
              <th scope="col">Nội dung</th>
              {dayLabel && <th scope="col">{dayLabel}</th>}
              {counted && <th scope="col">Số bài</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.accountId}:${r.subject}`}>
                <th scope="row">
                  <a href={`/bao-cao/nguoi/${r.accountId}`}>{r.fullName || 'Người dùng đã xóa'}</a>
                </th>
                <td>{r.position ?? ''}</td>
                <td>{r.unitName}</td>
                <td>{blockName(r.block)}</td>
                <td>{r.subjectTitle || 'Mọi khóa học'}</td>
                {dayLabel && <td>{dayText(r.day)}</td>}
                {counted && <td>{r.value}</td>}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={7}>Không có ai trong danh sách này.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Trang danh sách">
        {!first && (
          <a class="pager-link" href={`${list}${query}`}>
            ← Về trang đầu
          </a>
        )}
        {nextCursor && (
          <a class="pager-link" rel="next" href={`${list}${filterQuery(filters, { sau: nextCursor })}`}>
            Trang sau →
          </a>
        )}
      </nav>
    </Layout>
  );
}
