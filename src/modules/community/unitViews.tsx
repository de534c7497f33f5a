import { Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import type { Unit } from '../org/service.js';
import type { TeamFigures, UnitCommunity } from './figures.js';
import { describePeriod, periodQuery } from './periodForm.js';
import type { Period } from './periods.js';
import { teamStatusLabel } from './teamStatuses.js';
import {
  IMPORT_PATH,
  newTeamPath,
  number,
  PeriodFilter,
  ServiceTotals,
  teamPath,
  unitCommunityPath,
} from './views.js';

/** The query field that keeps only the teams without a qualified guide. */
export const WITHOUT_GUIDE = 'chua-co-hdv';

export interface UnitPageProps {
  shell: Shell;
  unit: Unit;
  /** The units above, from the highest the reader may see. */
  trail: Unit[];
  children: Unit[];
  view: UnitCommunity;
  period: Period;
  errors: Record<string, string>;
  today: string;
  /** The page of the team list, the teams on it, and whether another page follows. */
  page: number;
  teams: TeamFigures[];
  more: boolean;
  withoutGuideOnly: boolean;
  leaders: Map<string, string>;
  /** The reader may add teams here (and import them). */
  mayCreate: boolean;
}

function TeamTable(props: UnitPageProps) {
  const { teams, leaders, period, page, more, withoutGuideOnly, unit } = props;
  const keep: Record<string, string> = withoutGuideOnly ? { [WITHOUT_GUIDE]: '1' } : {};
  return (
    <section id="cac-to">
      <h2>{withoutGuideOnly ? 'Tổ chưa có hướng dẫn viên đạt yêu cầu' : 'Các tổ'}</h2>
      <p>
        {withoutGuideOnly ? (
          <a href={`${unitCommunityPath(unit.id)}${periodQuery(period)}#cac-to`}>Xem tất cả các tổ</a>
        ) : (
          <a href={`${unitCommunityPath(unit.id)}${periodQuery(period, { [WITHOUT_GUIDE]: '1' })}#cac-to`}>
            Chỉ xem tổ chưa có hướng dẫn viên đạt yêu cầu ({number(props.view.teamsWithoutGuide)})
          </a>
        )}
      </p>
      {teams.length === 0 ? (
        <p>
          {withoutGuideOnly
            ? 'Tổ nào cũng đã có ít nhất một hướng dẫn viên đạt yêu cầu.'
            : 'Đơn vị này chưa có tổ công nghệ số cộng đồng nào.'}
        </p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Tổ</th>
                <th scope="col">Thôn, xã</th>
                <th scope="col">Tổ trưởng</th>
                <th scope="col">Thành viên</th>
                <th scope="col">Hướng dẫn viên đạt yêu cầu</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Người được hỗ trợ</th>
              </tr>
            </thead>
            <tbody>
              {teams.map((f) => (
                <tr key={f.team.id}>
                  <th scope="row">
                    <a href={teamPath(f.team.id)}>{f.team.name}</a>
                  </th>
                  <td>{f.unitName}</td>
                  <td>{(f.team.leaderAccountId && leaders.get(f.team.leaderAccountId)) || 'Chưa có'}</td>
                  <td>{number(f.members)}</td>
                  <td>{number(f.guides)}</td>
                  <td>{teamStatusLabel(f.team.status)}</td>
                  <td>{number(f.people)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={page}
        hasNext={more}
        label="Trang danh sách tổ"
        href={(p) =>
          `${unitCommunityPath(unit.id)}${periodQuery(period, { ...keep, trang: String(p) })}#cac-to`
        }
      />
    </section>
  );
}

function ChildTable({ props }: { props: UnitPageProps }) {
  const { children, view, period } = props;
  const help = new Map(view.children.map((c) => [c.unitId, c]));
  return (
    <div class="table-scroll">
      <table class="data">
        <caption>Theo đơn vị trực thuộc, {describePeriod(period)}</caption>
        <thead>
          <tr>
            <th scope="col">Đơn vị</th>
            <th scope="col">Số tổ</th>
            <th scope="col">Tổ chưa có hướng dẫn viên đạt yêu cầu</th>
            <th scope="col">Số lần ghi nhận</th>
            <th scope="col">Người được hỗ trợ</th>
          </tr>
        </thead>
        <tbody>
          {children.map((child) => {
            const row = help.get(child.id);
            return (
              <tr key={child.id}>
                <th scope="row">
                  <a href={`${unitCommunityPath(child.id)}${periodQuery(period)}`}>{child.fullName}</a>
                </th>
                <td>{number(row?.teams ?? 0)}</td>
                <td>{number(row?.teamsWithoutGuide ?? 0)}</td>
                <td>{number(row?.entries ?? 0)}</td>
                <td>{number(row?.people ?? 0)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A unit's community teams: figures, help per service and child unit, the teams and the guides. */
export function UnitCommunityPage(props: UnitPageProps) {
  const { shell, unit, trail, view, period, errors, today, mayCreate } = props;
  const teamNames = new Map(view.teamFigures.map((f) => [f.team.id, f.team.name]));
  return (
    <Layout shell={shell} title={`Tổ công nghệ số: ${unit.fullName}`}>
      <p class="crumbs">
        {trail.map((u, i) => (
          <span key={u.id}>
            {i > 0 && ' › '}
            <a href={`${unitCommunityPath(u.id)}${periodQuery(period)}`}>{u.fullName}</a>
          </span>
        ))}
      </p>
      <h1>Tổ công nghệ số cộng đồng: {unit.fullName}</h1>
      {mayCreate && (
        <p class="actions no-print">
          {(unit.kind === 'commune' || unit.kind === 'village') && (
            <a class="button primary" href={newTeamPath(unit.id)}>
              Thêm tổ
            </a>
          )}
          <a class="button" href={IMPORT_PATH}>
            Nhập danh sách tổ từ tệp
          </a>
        </p>
      )}
      <dl class="figures">
        <div>
          <dt>Số tổ (chưa giải thể)</dt>
          <dd>{number(view.teams)}</dd>
        </div>
        <div>
          <dt>Tổ chưa có hướng dẫn viên đạt yêu cầu</dt>
          <dd>
            <a href={`${unitCommunityPath(unit.id)}${periodQuery(period, { [WITHOUT_GUIDE]: '1' })}#cac-to`}>
              {number(view.teamsWithoutGuide)}
            </a>
          </dd>
        </div>
        <div>
          <dt>Hướng dẫn viên đạt yêu cầu</dt>
          <dd>{number(view.qualifiedGuides)}</dd>
        </div>
        <div>
          <dt>Số lần ghi nhận hỗ trợ</dt>
          <dd>{number(view.entries)}</dd>
        </div>
        <div>
          <dt>Người dân được hỗ trợ</dt>
          <dd>{number(view.people)}</dd>
        </div>
      </dl>
      <h2>Hỗ trợ người dân theo nội dung</h2>
      <PeriodFilter action={unitCommunityPath(unit.id)} period={period} errors={errors} today={today} />
      <ServiceTotals rows={view.byService} period={period} />
      {props.children.length > 0 && (
        <>
          <h2>Theo đơn vị trực thuộc</h2>
          <ChildTable props={props} />
        </>
      )}
      <TeamTable {...props} />
      <section>
        <h2>Hướng dẫn viên</h2>
        {view.guides.length === 0 ? (
          <p>Chưa có hướng dẫn viên nào ghi nhận hỗ trợ {describePeriod(period)}.</p>
        ) : (
          <div class="table-scroll">
            <table class="data">
              <caption>Hướng dẫn viên hỗ trợ nhiều người nhất, {describePeriod(period)}</caption>
              <thead>
                <tr>
                  <th scope="col">Hướng dẫn viên</th>
                  <th scope="col">Tổ</th>
                  <th scope="col">Số lần ghi nhận</th>
                  <th scope="col">Người được hỗ trợ</th>
                </tr>
              </thead>
              <tbody>
                {view.guides.map((g) => (
                  <tr key={`${g.teamId}:${g.accountId}`}>
                    <th scope="row">{g.fullName}</th>
                    <td>{teamNames.get(g.teamId) ?? ''}</td>
                    <td>{number(g.entries)}</td>
                    <td>{number(g.people)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}
