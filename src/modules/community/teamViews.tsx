import { ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { formatPhone } from '../identity/phone.js';
import type { Unit } from '../org/service.js';
import type { GuideTotal, ServiceTotal } from './figures.js';
import type { MemberView } from './members.js';
import { describePeriod } from './periodForm.js';
import type { Period } from './periods.js';
import type { TeamPlace } from './teamAccess.js';
import { TEAM_STATUSES, teamStatusLabel } from './teamStatuses.js';
import { CONTACT_NOTE_LENGTH } from './teams.js';
import {
  assistancePath,
  type FormState,
  NEW_TEAM_PATH,
  number,
  PeriodFilter,
  ServiceTotals,
  TEAMS_PATH,
  teamPath,
  unitCommunityPath,
} from './views.js';

const NOTICES: Record<string, string> = {
  tao: 'Đã tạo tổ.',
  sua: 'Đã lưu thông tin tổ.',
  'trang-thai': 'Đã đổi trạng thái của tổ.',
  them: 'Đã thêm thành viên.',
  bo: 'Đã bỏ thành viên khỏi tổ.',
};

/** What the viewer may do on a team's page. */
export interface TeamPermissions {
  log: boolean;
  members: boolean;
  manage: boolean;
  /** The viewer reads the unit's community page (managers, evaluators, admins). */
  readUnit: boolean;
  isMember: boolean;
}

function Crumbs({ place, readUnit }: { place: TeamPlace; readUnit: boolean }) {
  return (
    <p class="crumbs">
      <a href={TEAMS_PATH}>Tổ công nghệ số</a>
      {readUnit && (
        <>
          {' › '}
          <a href={unitCommunityPath(place.unit.id)}>{place.unit.fullName}</a>
        </>
      )}
      {' › '}
      <a href={teamPath(place.team.id)}>{place.team.name}</a>
    </p>
  );
}

function Members(props: {
  shell: Shell;
  place: TeamPlace;
  members: MemberView[];
  may: TeamPermissions;
  form: FormState;
}) {
  const { shell, place, members, may, form } = props;
  return (
    <section id="thanh-vien">
      <h2>Thành viên ({members.length})</h2>
      {members.length === 0 ? (
        <p>Tổ chưa có thành viên nào.</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Họ và tên</th>
                <th scope="col">Tình trạng học tập</th>
                {may.members && <th scope="col">Thao tác</th>}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.accountId}>
                  <th scope="row">
                    {m.fullName}
                    {m.isLeader && ' (tổ trưởng)'}
                  </th>
                  <td>
                    {m.training}
                    {m.qualified && ' – hướng dẫn viên'}
                  </td>
                  {may.members && (
                    <td>
                      {!m.isLeader && (
                        <a href={`${teamPath(place.team.id)}/thanh-vien/${m.accountId}/xoa`}>Bỏ khỏi tổ</a>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {may.members && <AddMember shell={shell} place={place} form={form} />}
    </section>
  );
}

function AddMember({ shell, place, form }: { shell: Shell; place: TeamPlace; form: FormState }) {
  return (
    <form method="post" action={`${teamPath(place.team.id)}/thanh-vien`} class="panel" novalidate>
      <CsrfField shell={shell} />
      <h3>Thêm thành viên</h3>
      <ErrorSummary errors={form.errors} message={form.message} />
      <Field
        name="phone"
        label="Số điện thoại của người cần thêm"
        type="tel"
        inputMode="tel"
        autocomplete="off"
        hint="Số điện thoại người đó dùng để đăng nhập hệ thống."
        value={form.values.phone}
        errors={form.errors}
      />
      <button type="submit" class="button primary">
        Thêm vào tổ
      </button>
    </form>
  );
}

function Help(props: {
  place: TeamPlace;
  help: { byService: ServiceTotal[]; guides: GuideTotal[] };
  period: Period;
  errors: Record<string, string>;
  today: string;
}) {
  const { place, help, period, errors, today } = props;
  return (
    <section id="ho-tro">
      <h2>Hỗ trợ người dân</h2>
      <PeriodFilter action={teamPath(place.team.id)} period={period} errors={errors} today={today} />
      <ServiceTotals rows={help.byService} period={period} />
      {help.guides.length > 0 && (
        <div class="table-scroll">
          <table class="data">
            <caption>Theo hướng dẫn viên, {describePeriod(period)}</caption>
            <thead>
              <tr>
                <th scope="col">Hướng dẫn viên</th>
                <th scope="col">Số lần ghi nhận</th>
                <th scope="col">Người được hỗ trợ</th>
              </tr>
            </thead>
            <tbody>
              {help.guides.map((g) => (
                <tr key={g.accountId}>
                  <th scope="row">{g.fullName}</th>
                  <td>{number(g.entries)}</td>
                  <td>{number(g.people)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href={assistancePath(place.team.id)}>Sổ ghi nhận hỗ trợ của tổ</a>
      </p>
    </section>
  );
}

/** A team: its facts, members with their training, what it did, and what the viewer may do. */
export function TeamPage(props: {
  shell: Shell;
  place: TeamPlace;
  members: MemberView[];
  help: { byService: ServiceTotal[]; guides: GuideTotal[] };
  period: Period;
  periodErrors: Record<string, string>;
  today: string;
  may: TeamPermissions;
  form: FormState;
  done?: string;
}) {
  const { shell, place, members, may, done } = props;
  const { team, unit } = place;
  const leader = members.find((m) => m.isLeader);
  const notice = done ? NOTICES[done] : undefined;
  return (
    <Layout shell={shell} title={team.name}>
      <Crumbs place={place} readUnit={may.readUnit} />
      <h1>{team.name}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <dl class="facts">
        <dt>Đơn vị</dt>
        <dd>{unit.fullName}</dd>
        <dt>Trạng thái</dt>
        <dd>{teamStatusLabel(team.status)}</dd>
        <dt>Tổ trưởng</dt>
        <dd>{leader?.fullName ?? 'Chưa có'}</dd>
        <dt>Điện thoại liên hệ</dt>
        <dd>{team.contactPhone ? formatPhone(team.contactPhone) : 'Chưa có'}</dd>
        <dt>Liên hệ khác (nhóm Zalo, nơi sinh hoạt)</dt>
        <dd>{team.contactNote ?? 'Chưa có'}</dd>
      </dl>
      <p class="actions no-print">
        {may.isMember && (
          <a class="button primary" href={assistancePath(team.id)}>
            Ghi nhận hỗ trợ người dân
          </a>
        )}
        {may.members && (
          <a class="button" href={`${teamPath(team.id)}/sua`}>
            Sửa thông tin tổ
          </a>
        )}
        {may.manage && (
          <a class="button danger" href={`${teamPath(team.id)}/xoa`}>
            Xóa tổ
          </a>
        )}
      </p>
      {may.manage && <StatusForm shell={shell} place={place} />}
      <Members shell={shell} place={place} members={members} may={may} form={props.form} />
      <Help
        place={place}
        help={props.help}
        period={props.period}
        errors={props.periodErrors}
        today={props.today}
      />
    </Layout>
  );
}

function StatusForm({ shell, place }: { shell: Shell; place: TeamPlace }) {
  return (
    <form method="post" action={`${teamPath(place.team.id)}/trang-thai`} class="inline no-print">
      <CsrfField shell={shell} />
      <label for="status" class="visually-hidden">
        Trạng thái của tổ
      </label>
      <select id="status" name="status">
        {Object.entries(TEAM_STATUSES).map(([code, label]) => (
          <option key={code} value={code} selected={code === place.team.status}>
            {label}
          </option>
        ))}
      </select>
      <button type="submit" class="button">
        Đổi trạng thái
      </button>
    </form>
  );
}

/** The unit a team belongs to, among a commune and its villages. */
function UnitChoice(props: { places: Unit[]; value: string | undefined; error?: string }) {
  const { places, value, error } = props;
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for="unitId">Thôn, tổ dân phố (hoặc xã, phường) của tổ</label>
      {error && (
        <p class="error" id="unitId-error">
          {error}
        </p>
      )}
      <select id="unitId" name="unitId">
        {places.map((u) => (
          <option key={u.id} value={u.id} selected={u.id === value}>
            {u.fullName}
          </option>
        ))}
      </select>
    </div>
  );
}

function ContactFields({ form }: { form: FormState }) {
  return (
    <>
      <Field
        name="contactPhone"
        label="Điện thoại liên hệ của tổ (không bắt buộc)"
        type="tel"
        inputMode="tel"
        value={form.values.contactPhone}
        errors={form.errors}
      />
      <Field
        name="contactNote"
        label="Liên hệ khác (không bắt buộc)"
        hint={`Ví dụ: nhóm Zalo của tổ, nơi và giờ sinh hoạt. Tối đa ${CONTACT_NOTE_LENGTH} ký tự.`}
        value={form.values.contactNote}
        errors={form.errors}
      />
    </>
  );
}

/** Creating a team in a commune or one of its villages. */
export function NewTeamPage(props: { shell: Shell; commune: Unit; places: Unit[]; form: FormState }) {
  const { shell, commune, places, form } = props;
  return (
    <Layout shell={shell} title="Thêm tổ công nghệ số">
      <p class="crumbs">
        <a href={TEAMS_PATH}>Tổ công nghệ số</a> ›{' '}
        <a href={unitCommunityPath(commune.id)}>{commune.fullName}</a>
      </p>
      <h1>Thêm tổ công nghệ số cộng đồng</h1>
      <ErrorSummary errors={form.errors} message={form.message} />
      <form method="post" action={NEW_TEAM_PATH} novalidate>
        <CsrfField shell={shell} />
        <input type="hidden" name="contextUnitId" value={commune.id} />
        <UnitChoice places={places} value={form.values.unitId} error={form.errors.unitId} />
        <Field name="name" label="Tên tổ" value={form.values.name} errors={form.errors} required />
        <Field
          name="leaderPhone"
          label="Số điện thoại của tổ trưởng (không bắt buộc)"
          type="tel"
          inputMode="tel"
          hint="Người này cần có tài khoản trên hệ thống; tổ trưởng cũng là thành viên của tổ."
          value={form.values.leaderPhone}
          errors={form.errors}
        />
        <ContactFields form={form} />
        <button type="submit" class="button primary">
          Tạo tổ
        </button>{' '}
        <a class="button" href={unitCommunityPath(commune.id)}>
          Hủy
        </a>
      </form>
    </Layout>
  );
}

/** Editing a team: managers change everything, its leader the contacts only. */
export function EditTeamPage(props: {
  shell: Shell;
  place: TeamPlace;
  /** Null when the editor is the leader: contacts only. */
  details: { places: Unit[]; members: MemberView[] } | null;
  form: FormState;
  readUnit: boolean;
}) {
  const { shell, place, details, form, readUnit } = props;
  return (
    <Layout shell={shell} title={`Sửa thông tin: ${place.team.name}`}>
      <Crumbs place={place} readUnit={readUnit} />
      <h1>Sửa thông tin tổ</h1>
      <ErrorSummary errors={form.errors} message={form.message} />
      <form method="post" action={`${teamPath(place.team.id)}/sua`} novalidate>
        <CsrfField shell={shell} />
        {details && (
          <>
            <UnitChoice places={details.places} value={form.values.unitId} error={form.errors.unitId} />
            <Field name="name" label="Tên tổ" value={form.values.name} errors={form.errors} required />
            <div class={form.errors.leaderAccountId ? 'field has-error' : 'field'}>
              <label for="leaderAccountId">Tổ trưởng</label>
              {form.errors.leaderAccountId && (
                <p class="error" id="leaderAccountId-error">
                  {form.errors.leaderAccountId}
                </p>
              )}
              <select id="leaderAccountId" name="leaderAccountId">
                <option value="">Chưa có tổ trưởng</option>
                {details.members.map((m) => (
                  <option
                    key={m.accountId}
                    value={m.accountId}
                    selected={m.accountId === form.values.leaderAccountId}
                  >
                    {m.fullName}
                  </option>
                ))}
              </select>
              <p class="hint">Tổ trưởng là một thành viên của tổ; thêm người đó vào tổ trước nếu cần.</p>
            </div>
          </>
        )}
        <ContactFields form={form} />
        <button type="submit" class="button primary">
          Lưu
        </button>{' '}
        <a class="button" href={teamPath(place.team.id)}>
          Hủy
        </a>
      </form>
    </Layout>
  );
}

/** The confirmation before deleting a team made by mistake. */
export function DeleteTeamPage(props: { shell: Shell; place: TeamPlace; readUnit: boolean }) {
  const { shell, place, readUnit } = props;
  return (
    <Layout shell={shell} title={`Xóa tổ: ${place.team.name}`}>
      <Crumbs place={place} readUnit={readUnit} />
      <h1>Xóa tổ</h1>
      <form method="post" action={`${teamPath(place.team.id)}/xoa`}>
        <CsrfField shell={shell} />
        <p>
          Xóa <strong>{place.team.name}</strong> ({place.unit.fullName}) cùng danh sách thành viên? Chỉ xóa
          được tổ chưa ghi nhận hỗ trợ nào; tổ đã hoạt động thì chuyển sang “Đã giải thể” để giữ số liệu.
        </p>
        <button type="submit" class="button danger">
          Xóa tổ
        </button>{' '}
        <a class="button" href={teamPath(place.team.id)}>
          Không, quay lại
        </a>
      </form>
    </Layout>
  );
}

/** The confirmation before removing a member. */
export function RemoveMemberPage(props: {
  shell: Shell;
  place: TeamPlace;
  member: MemberView;
  readUnit: boolean;
}) {
  const { shell, place, member, readUnit } = props;
  return (
    <Layout shell={shell} title="Bỏ thành viên khỏi tổ">
      <Crumbs place={place} readUnit={readUnit} />
      <h1>Bỏ thành viên khỏi tổ</h1>
      <form method="post" action={`${teamPath(place.team.id)}/thanh-vien/${member.accountId}/xoa`}>
        <CsrfField shell={shell} />
        <p>
          Bỏ <strong>{member.fullName}</strong> khỏi {place.team.name}? Những lần hỗ trợ người đó đã ghi nhận
          vẫn được giữ trong số liệu của tổ.
        </p>
        <button type="submit" class="button danger">
          Bỏ khỏi tổ
        </button>{' '}
        <a class="button" href={teamPath(place.team.id)}>
          Không, quay lại
        </a>
      </form>
    </Layout>
  );
}
