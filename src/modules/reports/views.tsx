import { vietnamDay } from '../../web/format.js';
import { Layout, type Shell } from '../../web/page.js';
import type { Unit } from '../org/service.js';
import type { LearningFigures, Structure, UnitLearningReport } from './unitLearning.js';

export const REPORT_HOME = '/bao-cao/don-vi';
const STRUCTURE_PARAM: Record<Structure, string> = { asOf: 'theo-ngay', today: 'hien-tai' };

export const structureOf = (value: string | undefined): Structure =>
  value === STRUCTURE_PARAM.today ? 'today' : 'asOf';

/** The address of a unit's report with the same day and structure. */
export const reportHref = (unitId: string, day: string, structure: Structure) =>
  `${REPORT_HOME}/${unitId}?ngay=${day}&co-cau=${STRUCTURE_PARAM[structure]}`;

export interface ReportForm {
  day: string;
  structure: Structure;
  /** Set when the address asked for a day that could not be read. */
  dayError?: string;
}

function Figures({ figures }: { figures: LearningFigures }) {
  return (
    <>
      <td>{figures.learners.toLocaleString('vi-VN')}</td>
      <td>{figures.coursesCompleted.toLocaleString('vi-VN')}</td>
      <td>{figures.quizzesPassed.toLocaleString('vi-VN')}</td>
    </>
  );
}

function Filters({ unitId, form }: { unitId: string; form: ReportForm }) {
  return (
    <form method="get" action={`${REPORT_HOME}/${unitId}`} class="no-print">
      <div class={form.dayError ? 'field has-error' : 'field'}>
        <label for="ngay">Tính đến hết ngày</label>
        {form.dayError && <p class="error">{form.dayError}</p>}
        <input id="ngay" name="ngay" type="date" value={form.day} />
      </div>
      <fieldset>
        <legend>Cơ cấu đơn vị</legend>
        <label>
          <input
            type="radio"
            name="co-cau"
            value={STRUCTURE_PARAM.asOf}
            checked={form.structure === 'asOf'}
          />{' '}
          Như tại ngày đó (đơn vị cũ trước khi sáp nhập)
        </label>
        <label>
          <input
            type="radio"
            name="co-cau"
            value={STRUCTURE_PARAM.today}
            checked={form.structure === 'today'}
          />{' '}
          Theo cơ cấu hiện nay
        </label>
      </fieldset>
      <button type="submit">Xem báo cáo</button>
    </form>
  );
}

/** Learning per unit below one unit, in the structure of the report's day or of today. */
export function UnitReportPage(props: {
  shell: Shell;
  form: ReportForm;
  report: UnitLearningReport;
  /** The unit asked for, when the report is on the unit that took it over. */
  asked?: Unit;
}) {
  const { shell, form, report, asked } = props;
  const { unit } = report;
  const link = (id: string) => reportHref(id, form.day, form.structure);
  const query = link(unit.id).slice(link(unit.id).indexOf('?'));
  return (
    <Layout shell={shell} title={`Báo cáo học tập: ${unit.fullName}`}>
      <p class="crumbs">
        {report.trail.map((u, i) => (
          <span key={u.id}>
            {i > 0 && ' › '}
            <a href={link(u.id)}>{u.fullName}</a>
          </span>
        ))}
      </p>
      <h1>Tình hình học tập: {unit.fullName}</h1>
      <p class="meta">
        Tính đến hết ngày {vietnamDay(report.day)} ·{' '}
        {report.structure === 'asOf'
          ? `cơ cấu đơn vị tại ngày ${vietnamDay(report.day)}`
          : 'cơ cấu đơn vị hiện nay'}
      </p>
      {asked && (
        <p class="notice" role="status">
          {asked.fullName} không còn trong cơ cấu này; số liệu của đơn vị đó được tính vào {unit.fullName}.
        </p>
      )}
      <Filters unitId={unit.id} form={form} />
      <ul class="plain actions no-print">
        <li>
          <a href={`${REPORT_HOME}/${unit.id}/nguoi`}>Danh sách người trong {unit.fullName}</a>
        </li>
        <li>
          Tải bảng này: <a href={`${REPORT_HOME}/${unit.id}/bao-cao.xlsx${query}`}>Excel (.xlsx)</a> ·{' '}
          <a href={`${REPORT_HOME}/${unit.id}/bao-cao.csv${query}`}>CSV</a>
        </li>
        <li>
          <a href="/quan-tri/giao-hoc">Việc học bắt buộc đã giao</a>
        </li>
        <li>
          <a href="/quan-tri/dat-yeu-cau">Người đạt yêu cầu Bình dân học vụ số</a>
        </li>
      </ul>
      <p>
        Mỗi kết quả học tập được tính cho đơn vị người học thuộc về <em>lúc học</em>. Theo cơ cấu hiện nay,
        đơn vị đã sáp nhập được tính vào đơn vị mới.
      </p>
      <table class="data">
        <caption>Theo đơn vị trực thuộc {unit.fullName}</caption>
        <thead>
          <tr>
            <th scope="col">Đơn vị</th>
            <th scope="col">Người đã học</th>
            <th scope="col">Lượt hoàn thành khóa học</th>
            <th scope="col">Lượt đạt bài kiểm tra</th>
          </tr>
        </thead>
        <tbody>
          {report.children.map((row) => (
            <tr key={row.unit.id}>
              <th scope="row">
                <a href={link(row.unit.id)}>{row.unit.fullName}</a>
              </th>
              <Figures figures={row} />
            </tr>
          ))}
          {report.direct.learners > 0 && (
            <tr>
              <th scope="row">Trực thuộc trực tiếp {unit.fullName}</th>
              <Figures figures={report.direct} />
            </tr>
          )}
          {report.children.length === 0 && report.direct.learners === 0 && (
            <tr>
              <td colSpan={4}>Chưa có đơn vị trực thuộc hay kết quả học tập nào.</td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Tổng cộng</th>
            <Figures figures={report.total} />
          </tr>
        </tfoot>
      </table>
      {report.unplaced > 0 && (
        <p class="notice">
          {report.unplaced} kết quả học tập trong đơn vị chủ quản chưa xác định được đơn vị trong cơ cấu này
          (đơn vị được thành lập sau ngày báo cáo).
        </p>
      )}
    </Layout>
  );
}

/** The unit did not exist on the report's day. */
export function NotYetPage(props: { shell: Shell; unit: Unit; form: ReportForm }) {
  const { shell, unit, form } = props;
  return (
    <Layout shell={shell} title={`Báo cáo học tập: ${unit.fullName}`}>
      <h1>Tình hình học tập: {unit.fullName}</h1>
      <p class="notice">
        {unit.fullName} chưa được thành lập vào ngày {vietnamDay(form.day)}, nên không có trong cơ cấu của
        ngày đó.
      </p>
      <p>
        <a class="button" href={reportHref(unit.id, form.day, 'today')}>
          Xem theo cơ cấu hiện nay
        </a>
      </p>
      <Filters unitId={unit.id} form={form} />
    </Layout>
  );
}
