import type { FieldErrors } from '../../errors.js';
import { Listing } from '../../web/listing.js';
import { Layout, type Shell } from '../../web/page.js';
import type { ServiceTotal } from './figures.js';
import { describePeriod, periodPresets, periodQuery } from './periodForm.js';
import type { Period } from './periods.js';
import type { TeamRow } from './repository.js';
import { teamStatusLabel } from './teamStatuses.js';

export const TEAMS_PATH = '/to-cong-nghe';
export const IMPORT_PATH = `${TEAMS_PATH}/nhap`;
export const NEW_TEAM_PATH = `${TEAMS_PATH}/moi`;
export const teamPath = (id: string) => `${TEAMS_PATH}/${id}`;
export const unitCommunityPath = (unitId: string) => `${TEAMS_PATH}/don-vi/${unitId}`;
export const newTeamPath = (unitId: string) => `${NEW_TEAM_PATH}?don-vi=${encodeURIComponent(unitId)}`;
export const assistancePath = (teamId: string) => `${teamPath(teamId)}/ho-tro`;

/** What a form shows after a refusal: field messages, the summary, and the values as posted. */
export interface FormState {
  errors: FieldErrors;
  message?: string;
  values: Record<string, string | undefined>;
}

export const emptyForm: FormState = { errors: {}, values: {} };

export const number = (n: number) => n.toLocaleString('vi-VN');

/** The period's days and the one-tap presets, as a form that works without script. */
export function PeriodFilter(props: {
  action: string;
  period: Period;
  errors: Record<string, string>;
  today: string;
  /** Other query fields to keep (a filter of the page). */
  keep?: Record<string, string>;
}) {
  const { action, period, errors, today, keep = {} } = props;
  return (
    <>
      <form method="get" action={action} class="filters">
        {Object.entries(keep).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {(['tu', 'den'] as const).map((name) => (
          <div key={name} class={errors[name] ? 'field has-error' : 'field'}>
            <label for={name}>{name === 'tu' ? 'Từ ngày' : 'Đến ngày'}</label>
            {errors[name] && <p class="error">{errors[name]}</p>}
            <input id={name} name={name} type="date" value={name === 'tu' ? period.from : period.to} />
          </div>
        ))}
        <button type="submit" class="button">
          Xem
        </button>
      </form>
      <p>
        {periodPresets(today).map((preset, i) => (
          <span key={preset.label}>
            {i > 0 && ' · '}
            <a href={`${action}${periodQuery(preset.period, keep)}`}>{preset.label}</a>
          </span>
        ))}
      </p>
    </>
  );
}

/** Help per service in a period, with the total. */
export function ServiceTotals(props: { rows: ServiceTotal[]; period: Period }) {
  const { rows, period } = props;
  const entries = rows.reduce((n, r) => n + r.entries, 0);
  const people = rows.reduce((n, r) => n + r.people, 0);
  return (
    <div class="table-scroll">
      <table class="data">
        <caption>Người dân được hỗ trợ, {describePeriod(period)}</caption>
        <thead>
          <tr>
            <th scope="col">Nội dung hỗ trợ</th>
            <th scope="col">Số lần ghi nhận</th>
            <th scope="col">Số người được hỗ trợ</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.service}>
              <th scope="row">{row.label}</th>
              <td>{number(row.entries)}</td>
              <td>{number(row.people)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Tổng cộng</th>
            <td>{number(entries)}</td>
            <td>{number(people)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export interface MyTeam {
  team: TeamRow;
  unitName: string;
  isLeader: boolean;
}

/** A member's teams and, for those who oversee units, where to see their teams. */
export function MyTeamsPage(props: {
  shell: Shell;
  teams: MyTeam[];
  /** The person's training: a sentence, and whether they are a qualified guide today. */
  training: { sentence: string; qualified: boolean };
  units: { id: string; fullName: string }[];
  mayImport: boolean;
}) {
  const { shell, teams, training, units, mayImport } = props;
  return (
    <Layout shell={shell} title="Tổ công nghệ số cộng đồng">
      <h1>Tổ công nghệ số cộng đồng</h1>
      <p>
        Tổ công nghệ số cộng đồng hướng dẫn người dân sử dụng dịch vụ công trực tuyến, VNeID, thanh toán không
        dùng tiền mặt và phòng tránh lừa đảo. Thành viên cần đạt yêu cầu “Bình dân học vụ số” trước khi hướng
        dẫn người dân.
      </p>
      {teams.length > 0 && (
        <p class={training.qualified ? 'notice' : 'notice bad'}>
          Tình trạng học tập của bạn: {training.sentence}.
          {!training.qualified && ' Bạn cần đạt yêu cầu trước khi ghi nhận hỗ trợ người dân.'}
        </p>
      )}
      {/* Scrolls sideways on a phone rather than breaking words mid-syllable. */}
      <div class="table-scroll">
        <Listing
          caption="Tổ của tôi"
          empty="Bạn chưa là thành viên của tổ công nghệ số nào. Tổ trưởng hoặc cán bộ xã thêm bạn vào tổ bằng số điện thoại bạn dùng để đăng nhập."
          head={['Tổ', 'Đơn vị', 'Trạng thái', 'Thao tác']}
          rows={teams}
          row={({ team, unitName, isLeader }) => (
            <tr key={team.id}>
              <td>
                <a href={teamPath(team.id)}>{team.name}</a>
                {isLeader && ' (tổ trưởng)'}
              </td>
              <td>{unitName}</td>
              <td>{teamStatusLabel(team.status)}</td>
              <td>
                <a class="button small" href={assistancePath(team.id)}>
                  Ghi nhận hỗ trợ
                </a>
              </td>
            </tr>
          )}
        />
      </div>
      {units.length > 0 && (
        <section>
          <h2>Các tổ trong đơn vị bạn theo dõi</h2>
          <ul>
            {units.map((unit) => (
              <li key={unit.id}>
                <a href={unitCommunityPath(unit.id)}>{unit.fullName}</a>
              </li>
            ))}
          </ul>
          {mayImport && (
            <p>
              <a href={IMPORT_PATH}>Nhập danh sách tổ từ tệp Excel</a>
            </p>
          )}
        </section>
      )}
    </Layout>
  );
}
