import type { ClassFigures } from './classReports.js';
import { MANAGE_PATH } from './paths.js';

const number = (n: number) => n.toLocaleString('vi-VN');

/**
 * The in-person classes' part of a unit's monitoring dashboard: sessions held in its subtree over
 * the dashboard's period, who came (walk-ins apart), paper quizzes passed, per child unit too.
 */
export function ClassSection(props: {
  figures: ClassFigures;
  periodLabel: string;
  children: { unitId: string; name: string; figures: ClassFigures }[];
}) {
  const { figures, periodLabel } = props;
  return (
    <section id="lop-hoc">
      <h2>Lớp học trực tiếp</h2>
      <dl class="figures">
        <div>
          <dt>Buổi học đã tổ chức ({periodLabel})</dt>
          <dd>{number(figures.sessions)}</dd>
        </div>
        <div>
          <dt>Lượt có mặt</dt>
          <dd>{number(figures.attendances)}</dd>
        </div>
        <div>
          <dt>Trong đó khách chưa có tài khoản</dt>
          <dd>{number(figures.walkIns)}</dd>
        </div>
        <div>
          <dt>Đạt bài kiểm tra trên giấy</dt>
          <dd>{number(figures.paperPassed)}</dd>
        </div>
      </dl>
      {props.children.length > 0 && (
        <div class="table-scroll">
          <table class="data">
            <caption>Lớp học trực tiếp theo đơn vị trực thuộc, {periodLabel}</caption>
            <thead>
              <tr>
                <th scope="col">Đơn vị</th>
                <th scope="col">Buổi học</th>
                <th scope="col">Lượt có mặt</th>
                <th scope="col">Đạt bài kiểm tra trên giấy</th>
              </tr>
            </thead>
            <tbody>
              {props.children.map((child) => (
                <tr key={child.unitId}>
                  <th scope="row">{child.name}</th>
                  <td>{number(child.figures.sessions)}</td>
                  <td>{number(child.figures.attendances)}</td>
                  <td>{number(child.figures.paperPassed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="no-print">
        <a href={MANAGE_PATH}>Xem danh sách buổi học</a>
      </p>
    </section>
  );
}
