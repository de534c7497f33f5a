import type { Cell, TableSheet } from '../../files/tableExport.js';
import type { AppContext } from '../../web/context.js';
import { vietnamDay, vietnamTime } from '../../web/format.js';
import type { Unit } from '../org/service.js';
import type { LearningFigures, UnitLearningReport } from './unitLearning.js';

/** People are read and written this many at a time: memory stays bounded on a province. */
const PEOPLE_BATCH = 500;

const generated = (exportedBy: string) =>
  `Tạo lúc ${vietnamTime(new Date().toISOString())} (giờ Việt Nam), người xuất: ${exportedBy}`;

const figures = (f: LearningFigures): Cell[] => [f.learners, f.coursesCompleted, f.quizzesPassed];

/** The unit report's table as a download: one row per unit below, then the unit's own, then the total. */
export function unitReportTable(report: UnitLearningReport, exportedBy: string): TableSheet {
  const structure =
    report.structure === 'asOf'
      ? `cơ cấu đơn vị tại ngày ${vietnamDay(report.day)}`
      : 'cơ cấu đơn vị hiện nay';
  return {
    sheetName: 'Báo cáo học tập',
    lines: [
      `Tình hình học tập: ${report.unit.fullName}`,
      `Tính đến hết ngày ${vietnamDay(report.day)}, ${structure}`,
      generated(exportedBy),
    ],
    columns: [
      { header: 'Đơn vị', width: 36 },
      { header: 'Mã đơn vị', width: 11 },
      { header: 'Người đã học', width: 14 },
      { header: 'Lượt hoàn thành khóa học', width: 16 },
      { header: 'Lượt đạt bài kiểm tra', width: 16 },
    ],
    rows: [
      ...report.children.map((row) => [row.unit.fullName, row.unit.code, ...figures(row)]),
      ...(report.direct.learners > 0
        ? [[`Trực thuộc trực tiếp ${report.unit.fullName}`, report.unit.code, ...figures(report.direct)]]
        : []),
      ['Tổng cộng', null, ...figures(report.total)],
    ],
  };
}

/** Everyone in a unit's subtree with the courses they completed, read a batch at a time. */
async function* peopleRows(ctx: AppContext, unit: Unit): AsyncGenerator<Cell[]> {
  for (let page = 1; ; page++) {
    const accounts = await ctx.identity.membersOfSubtree(unit.tenantId, unit.path, page, PEOPLE_BATCH);
    const [views, completed] = await Promise.all([
      ctx.identity.views(unit.tenantId, accounts),
      ctx.learning.completedCounts(accounts.map((a) => a.id)),
    ]);
    for (const [i, person] of views.entries()) {
      yield [
        person.fullName,
        person.blockLabel,
        person.homeUnit?.fullName ?? null,
        accounts[i]?.position ?? null,
        completed.get(person.id) ?? 0,
      ];
    }
    if (accounts.length < PEOPLE_BATCH) return;
  }
}

/** A unit's people as a download: personal data, so every export is audited by the caller. */
export function peopleTable(ctx: AppContext, unit: Unit, exportedBy: string): TableSheet {
  return {
    sheetName: 'Người học',
    lines: [`Người thuộc ${unit.fullName} và các đơn vị trực thuộc`, generated(exportedBy)],
    columns: [
      { header: 'Họ và tên', width: 28 },
      { header: 'Đối tượng', width: 26 },
      { header: 'Đơn vị', width: 28 },
      { header: 'Chức vụ', width: 28 },
      { header: 'Số khóa học đã hoàn thành', width: 14 },
    ],
    rows: peopleRows(ctx, unit),
  };
}
