import type { Cell, TableSheet } from '../../../files/tableExport.js';
import { vietnamDay, vietnamTime } from '../../../web/format.js';
import type { ChildRow, Dashboard, DashboardFilters } from './figures.js';
import { DRILLS, type Drill } from './people.js';
import { dayText } from './peopleViews.js';
import type { Dashboards, PersonRow } from './service.js';
import { blockName, CHILD_COLUMNS, type ChildColumn } from './views.js';

/** People are read and written this many at a time: memory stays bounded whatever the list. */
const BATCH = 2000;

const generated = (by: string) =>
  `Tạo lúc ${vietnamTime(new Date().toISOString())} (giờ Việt Nam), người xuất: ${by}`;

export function filterLine(subjectTitle: string, filters: DashboardFilters, today: string): string {
  const period =
    filters.from || filters.to
      ? `bắt đầu/hoàn thành ${filters.from ? `từ ${vietnamDay(filters.from)} ` : ''}đến ${vietnamDay(filters.to || today)}`
      : `đến ngày ${vietnamDay(today)}`;
  return `Bộ lọc: ${subjectTitle}; ${filters.block ? blockName(filters.block) : 'mọi khối'}; ${period}`;
}

const childCells = (row: Pick<ChildRow, 'figures' | 'rates'> & { name: string }): Cell[] => [
  row.name,
  ...(Object.keys(CHILD_COLUMNS) as ChildColumn[]).map((c) => CHILD_COLUMNS[c].value(row as ChildRow)),
];

/** The dashboard's child-unit table (then the unit's own total) as a download. */
export function childTable(d: Dashboard, by: string): TableSheet {
  return {
    sheetName: 'Đơn vị trực thuộc',
    lines: [
      `Tổng quan học tập: ${d.unit.fullName}`,
      filterLine(d.subjectTitle, d.filters, d.today),
      generated(by),
    ],
    columns: [
      { header: 'Đơn vị', width: 36 },
      ...(Object.keys(CHILD_COLUMNS) as ChildColumn[]).map((c) => ({
        header: CHILD_COLUMNS[c].label,
        width: 14,
      })),
    ],
    rows: [
      ...d.children.map(childCells),
      childCells({ name: `Tổng cộng ${d.unit.fullName}`, figures: d.figures, rates: d.rates }),
    ],
  };
}

/** Every person behind one figure, streamed page by page from the statistics. */
export function peopleTable(
  dashboards: Dashboards,
  tenantId: string,
  unit: { id: string; fullName: string },
  drill: Drill,
  filters: DashboardFilters,
  subjectTitle: string,
  today: string,
  by: string,
): TableSheet {
  async function* rows(): AsyncGenerator<Cell[]> {
    let after: PersonRow | null = null;
    for (;;) {
      const page = await dashboards.people(
        tenantId,
        unit.id,
        drill,
        filters,
        after ? [after.unitId, after.accountId, after.subject] : null,
        BATCH,
      );
      if (!page) return;
      for (const r of page.rows)
        yield [
          r.fullName,
          r.position,
          r.unitName,
          blockName(r.block),
          r.subjectTitle || 'Mọi khóa học',
          dayText(r.day),
          r.value,
        ];
      after = page.rows.at(-1) ?? null;
      if (!page.next) return;
    }
  }
  return {
    sheetName: 'Danh sách',
    lines: [
      `${DRILLS[drill].label}: ${unit.fullName}`,
      filterLine(subjectTitle, filters, today),
      generated(by),
    ],
    columns: [
      { header: 'Họ và tên', width: 28 },
      { header: 'Chức vụ', width: 20 },
      { header: 'Đơn vị', width: 30 },
      { header: 'Khối', width: 24 },
      { header: 'Nội dung', width: 30 },
      { header: 'Ngày', width: 14 },
      { header: 'Số', width: 8 },
    ],
    rows: rows(),
  };
}
