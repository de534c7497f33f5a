import type { CommunitySummary } from './figures.js';
import { describePeriod, periodQuery } from './periodForm.js';
import { number, ServiceTotals, unitCommunityPath } from './views.js';

/**
 * The community teams' part of a unit's monitoring dashboard: teams and guides, the people helped
 * per service in the dashboard's period, and per child unit, with a link to the teams themselves.
 */
export function CommunitySection(props: {
  summary: CommunitySummary;
  unitId: string;
  children: { unitId: string; name: string }[];
}) {
  const { summary, unitId } = props;
  const query = periodQuery(summary.period);
  const help = new Map(summary.children.map((c) => [c.unitId, c]));
  return (
    <section id="to-cong-nghe">
      <h2>Tổ công nghệ số cộng đồng</h2>
      <dl class="figures">
        <div>
          <dt>Số tổ</dt>
          <dd>{number(summary.teams)}</dd>
        </div>
        <div>
          <dt>Tổ chưa có hướng dẫn viên đạt yêu cầu</dt>
          <dd>{number(summary.teamsWithoutGuide)}</dd>
        </div>
        <div>
          <dt>Hướng dẫn viên đạt yêu cầu</dt>
          <dd>{number(summary.qualifiedGuides)}</dd>
        </div>
        <div>
          <dt>Người dân được hỗ trợ ({describePeriod(summary.period)})</dt>
          <dd>{number(summary.people)}</dd>
        </div>
      </dl>
      <ServiceTotals rows={summary.byService} period={summary.period} />
      {props.children.length > 0 && (
        <div class="table-scroll">
          <table class="data">
            <caption>Tổ công nghệ số theo đơn vị trực thuộc, {describePeriod(summary.period)}</caption>
            <thead>
              <tr>
                <th scope="col">Đơn vị</th>
                <th scope="col">Số tổ</th>
                <th scope="col">Tổ chưa có hướng dẫn viên đạt yêu cầu</th>
                <th scope="col">Người dân được hỗ trợ</th>
              </tr>
            </thead>
            <tbody>
              {props.children.map((child) => {
                const row = help.get(child.unitId);
                return (
                  <tr key={child.unitId}>
                    <th scope="row">{child.name}</th>
                    <td>{number(row?.teams ?? 0)}</td>
                    <td>{number(row?.teamsWithoutGuide ?? 0)}</td>
                    <td>{number(row?.people ?? 0)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p class="no-print">
        <a href={`${unitCommunityPath(unitId)}${query}`}>
          Xem các tổ, hướng dẫn viên và tổ chưa có hướng dẫn viên
        </a>
      </p>
    </section>
  );
}
