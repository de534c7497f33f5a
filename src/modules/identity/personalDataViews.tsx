import { vietnamDay, vietnamTime } from '../../web/format.js';
import { Listing } from '../../web/listing.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import {
  CONSENT_DATA,
  CONSENT_PURPOSES,
  CONSENT_SOURCES,
  type ConsentPurpose,
  type ConsentRow,
  isConsentPurpose,
} from './consents.js';
import type { PersonalDataExport } from './exportPersonalData.js';
import { maskNationalId } from './rosterNationalId.js';

export const PERSONAL_DATA_PATH = '/ho-so/du-lieu';
export const EDIT_PROFILE_PATH = '/ho-so/sua';
export const WITHDRAW_PATH = '/ho-so/rut-dong-y';
export const DELETE_ACCOUNT_PATH = '/ho-so/xoa-tai-khoan';

/** What the profile page says after a change made elsewhere (`?thong-bao=` survives the redirect). */
export const PROFILE_NOTICES = {
  corrected: 'Đã lưu thông tin của bạn.',
  withdrawn: 'Đã rút lại đồng ý và xóa dữ liệu đó.',
} as const;

export const profileWithNotice = (notice: keyof typeof PROFILE_NOTICES) => `/ho-so?thong-bao=${notice}`;

export const profileNotice = (code: unknown): string | undefined =>
  typeof code === 'string' && Object.hasOwn(PROFILE_NOTICES, code)
    ? PROFILE_NOTICES[code as keyof typeof PROFILE_NOTICES]
    : undefined;

const when = (iso: string | null) => (iso ? vietnamTime(iso) : '–');

/** The optional data on the profile page, with its consents and the person's rights. */
export function PersonalDataSection({
  shell,
  account,
  consents,
}: {
  shell: Shell;
  account: { position: string | null; nationalIdLast4: string | null; birthYear: number | null };
  consents: ConsentRow[];
}) {
  const active = consents.filter((c) => c.withdrawnAt === null);
  return (
    <section aria-labelledby="du-lieu-ca-nhan">
      <h2 id="du-lieu-ca-nhan">Dữ liệu cá nhân của bạn</h2>
      <dl class="facts">
        <dt>Chức vụ</dt>
        <dd>{account.position ?? 'Không có'}</dd>
        <dt>Số CCCD</dt>
        <dd>{account.nationalIdLast4 ? maskNationalId(account.nationalIdLast4) : 'Không lưu'}</dd>
        <dt>Năm sinh</dt>
        <dd>{account.birthYear ?? 'Không lưu'}</dd>
      </dl>
      <h3>Đồng ý cung cấp dữ liệu</h3>
      {active.length === 0 ? (
        <p>Bạn chưa cung cấp dữ liệu không bắt buộc nào.</p>
      ) : (
        <ul class="plain consents">
          {active.map((c) => (
            <li key={c.id}>
              <ConsentLine consent={c} />
              {isConsentPurpose(c.purpose) && <WithdrawButton shell={shell} purpose={c.purpose} />}
            </li>
          ))}
        </ul>
      )}
      <p class="actions">
        <a class="button" href={EDIT_PROFILE_PATH}>
          Sửa thông tin
        </a>
        <a class="button" href={PERSONAL_DATA_PATH}>
          Xem toàn bộ dữ liệu của tôi
        </a>
        <a class="button" href={`${PERSONAL_DATA_PATH}.json`} download>
          Tải dữ liệu về (JSON)
        </a>
        <a class="button danger" href={DELETE_ACCOUNT_PATH}>
          Xóa tài khoản
        </a>
      </p>
    </section>
  );
}

function ConsentLine({ consent }: { consent: ConsentRow }) {
  const purpose = isConsentPurpose(consent.purpose) ? CONSENT_PURPOSES[consent.purpose] : consent.purpose;
  return (
    <span>
      <strong>{purpose}</strong>
      <small>
        {CONSENT_SOURCES[consent.source] ?? consent.source} lúc {vietnamTime(consent.grantedAt)}
      </small>
    </span>
  );
}

function WithdrawButton({ shell, purpose }: { shell: Shell; purpose: ConsentPurpose }) {
  return (
    <form method="post" action={WITHDRAW_PATH} class="inline-action">
      <CsrfField shell={shell} />
      <input type="hidden" name="purpose" value={purpose} />
      <button type="submit" class="small">
        Rút lại đồng ý và xóa {CONSENT_DATA[purpose]}
      </button>
    </form>
  );
}

/** Table of rows with a caption; nothing but a sentence when there are none. */
const EVENT_LABELS: Record<string, string> = {
  'completed lesson': 'Đọc xong bài học',
  'passed quiz': 'Đạt bài kiểm tra',
  'failed quiz': 'Chưa đạt bài kiểm tra',
  'completed course': 'Hoàn thành khóa học',
};

const yesNo = (value: boolean | null) => (value === null ? '–' : value ? 'Có' : 'Không');

/** Everything held about the person, readable and printable (the browser saves it as PDF). */
export function PersonalDataPage({ shell, data }: { shell: Shell; data: PersonalDataExport }) {
  const { account } = data;
  return (
    <Layout shell={shell} title="Dữ liệu của tôi">
      <h1>Toàn bộ dữ liệu về bạn</h1>
      <p>
        Lập lúc {vietnamTime(data.exportedAt)}. Để lưu thành tệp PDF, hãy dùng chức năng In của trình duyệt và
        chọn “Lưu dưới dạng PDF”.
      </p>
      <p class="actions no-print">
        <a class="button" href={`${PERSONAL_DATA_PATH}.json`} download>
          Tải về dạng JSON
        </a>
        <a class="button" href="/ho-so">
          Về hồ sơ
        </a>
      </p>
      <section>
        <h2>Thông tin cá nhân</h2>
        <dl class="facts">
          <dt>Họ và tên</dt>
          <dd>{account.fullName}</dd>
          <dt>Số điện thoại</dt>
          <dd>{account.phone ?? 'Không có'}</dd>
          <dt>Email</dt>
          <dd>{account.email ?? 'Không có'}</dd>
          <dt>Đối tượng</dt>
          <dd>{account.blockLabel}</dd>
          <dt>Đơn vị</dt>
          <dd>{account.homeUnit ?? 'Chưa chọn'}</dd>
          <dt>Chức vụ</dt>
          <dd>{account.position ?? 'Không có'}</dd>
          <dt>Số CCCD (chỉ lưu 4 số cuối)</dt>
          <dd>{account.nationalId ?? 'Không lưu'}</dd>
          <dt>Năm sinh</dt>
          <dd>{account.birthYear ?? 'Không lưu'}</dd>
          <dt>Tạo tài khoản lúc</dt>
          <dd>{vietnamTime(account.createdAt)}</dd>
        </dl>
      </section>
      <Listing
        caption="Vai trò"
        empty="Bạn là học viên, không có vai trò nào khác."
        head={['Vai trò', 'Phạm vi']}
        rows={data.roles}
        row={(r) => (
          <tr key={`${r.role}-${r.unit}`}>
            <td>{r.roleLabel}</td>
            <td>{r.unit ?? 'Toàn đơn vị chủ quản'}</td>
          </tr>
        )}
      />
      <Listing
        caption="Đồng ý cung cấp dữ liệu"
        empty="Chưa có."
        head={['Dữ liệu', 'Cơ sở', 'Từ lúc', 'Rút lại lúc']}
        rows={data.consents}
        row={(c) => (
          <tr key={`${c.purpose}-${c.grantedAt}`}>
            <td>{c.purposeLabel}</td>
            <td>{c.sourceLabel}</td>
            <td>{vietnamTime(c.grantedAt)}</td>
            <td>{when(c.withdrawnAt)}</td>
          </tr>
        )}
      />
      <Listing
        caption="Khóa học"
        empty="Bạn chưa bắt đầu khóa học nào."
        head={['Khóa học', 'Tiến độ', 'Bắt đầu', 'Hoàn thành']}
        rows={data.courses}
        row={(c) => (
          <tr key={c.courseId}>
            <td>{c.courseTitle ?? c.courseId}</td>
            <td>{c.percent}%</td>
            <td>{vietnamTime(c.startedAt)}</td>
            <td>{when(c.completedAt)}</td>
          </tr>
        )}
      />
      <Listing
        caption="Bài kiểm tra"
        empty="Bạn chưa làm bài kiểm tra nào."
        head={['Khóa học', 'Lần', 'Nộp lúc', 'Điểm', 'Đạt']}
        rows={data.quizAttempts}
        row={(a) => (
          <tr key={a.id}>
            <td>{a.courseTitle ?? a.courseId}</td>
            <td>{a.number}</td>
            <td>{when(a.submittedAt)}</td>
            <td>{a.scorePercent === null ? '–' : `${a.scorePercent}%`}</td>
            <td>{yesNo(a.passed)}</td>
          </tr>
        )}
      />
      <Listing
        caption="Giấy chứng nhận"
        empty="Bạn chưa có giấy chứng nhận nào."
        head={['Khóa học', 'Người được cấp', 'Ngày cấp', 'Số hiệu']}
        rows={data.certificates}
        row={(c) => (
          <tr key={c.code}>
            <td>{c.courseTitle}</td>
            <td>{c.learnerName}</td>
            <td>{vietnamDay(c.issuedOn)}</td>
            <td>{c.code}</td>
          </tr>
        )}
      />
      <Listing
        caption="Hoạt động học tập"
        empty="Chưa có."
        head={['Lúc', 'Hoạt động', 'Khóa học']}
        rows={data.learningEvents}
        row={(e) => (
          <tr key={e.id}>
            <td>{vietnamTime(e.occurredAt)}</td>
            <td>{EVENT_LABELS[`${e.verb} ${e.objectType}`] ?? `${e.verb} ${e.objectType}`}</td>
            <td>{e.courseTitle ?? e.courseId}</td>
          </tr>
        )}
      />
      <Listing
        caption="Phiên đăng nhập đang mở"
        empty="Không có."
        head={['Mở lúc', 'Hết hạn lúc']}
        rows={data.sessions}
        row={(s) => (
          <tr key={s.createdAt}>
            <td>{vietnamTime(s.createdAt)}</td>
            <td>{vietnamTime(s.expiresAt)}</td>
          </tr>
        )}
      />
      <Listing
        caption="Các lần đăng nhập gần đây (lưu tối đa một ngày)"
        empty="Không có."
        head={['Lúc', 'Địa chỉ IP', 'Thành công']}
        rows={data.loginAttempts}
        row={(a) => (
          <tr key={a.attemptedAt}>
            <td>{vietnamTime(a.attemptedAt)}</td>
            <td>{a.ip}</td>
            <td>{yesNo(a.succeeded)}</td>
          </tr>
        )}
      />
      <Listing
        caption="Việc học được giao"
        empty="Bạn không có việc học bắt buộc nào."
        head={['Giao lúc', 'Hạn', 'Tình trạng']}
        rows={data.assignments}
        row={(a) => (
          <tr key={`${a.targetId}-${a.assignedAt}`}>
            <td>{vietnamTime(a.assignedAt)}</td>
            <td>{vietnamDay(a.dueOn)}</td>
            <td>{a.statusLabel}</td>
          </tr>
        )}
      />
      <Listing
        caption="Xác nhận đạt yêu cầu"
        empty="Bạn chưa được xác nhận đạt yêu cầu."
        head={['Chương trình', 'Ngày cấp', 'Hết hiệu lực từ', 'Số hiệu']}
        rows={data.qualifications}
        row={(q) => (
          <tr key={q.code}>
            <td>{q.programName}</td>
            <td>{vietnamDay(q.issuedOn)}</td>
            <td>{q.expiresOn ? vietnamDay(q.expiresOn) : '–'}</td>
            <td>{q.revokedAt ? `${q.code} (đã thu hồi)` : q.code}</td>
          </tr>
        )}
      />
      <Listing
        caption="Tổ công nghệ số cộng đồng"
        empty="Bạn không ở tổ công nghệ số nào."
        head={['Tổ', 'Vai trò', 'Tình trạng']}
        rows={data.communityTeams}
        row={(t) => (
          <tr key={t.name}>
            <td>{t.name}</td>
            <td>{t.leader ? 'Tổ trưởng' : 'Thành viên'}</td>
            <td>{t.statusLabel}</td>
          </tr>
        )}
      />
      <Listing
        caption="Lớp học trực tiếp"
        empty="Bạn chưa đăng ký hay tham dự lớp học trực tiếp nào."
        head={['Buổi học', 'Thời gian, địa điểm', 'Điểm danh', 'Kết quả bài kiểm tra trên giấy']}
        rows={data.inPersonClasses}
        row={(c) => (
          <tr key={`${c.title}-${c.startsAt}`}>
            <td>{c.courseTitle ? `${c.title} (${c.courseTitle})` : c.title}</td>
            <td>
              {vietnamTime(c.startsAt)}, {c.place}
            </td>
            <td>{c.attendanceLabel}</td>
            <td>{c.paperResult ?? '–'}</td>
          </tr>
        )}
      />
      <Listing
        caption="Thông báo đã nhận"
        empty="Không có."
        head={['Lúc', 'Nội dung', 'Đã đọc']}
        rows={data.notifications}
        row={(n) => (
          <tr key={`${n.createdAt}-${n.title}`}>
            <td>{vietnamTime(n.createdAt)}</td>
            <td>{n.title}</td>
            <td>{n.readAt ? vietnamTime(n.readAt) : 'Chưa'}</td>
          </tr>
        )}
      />
      <Listing
        caption="Nhật ký hoạt động liên quan đến bạn"
        empty="Không có."
        head={['Lúc', 'Người thực hiện', 'Hành động', 'Chi tiết']}
        rows={data.auditEvents}
        row={(e) => (
          <tr key={`${e.occurredAt}-${e.action}`}>
            <td>{vietnamTime(e.occurredAt)}</td>
            <td>{e.actorName}</td>
            <td>{e.actionLabel}</td>
            <td>{e.summary}</td>
          </tr>
        )}
      />
    </Layout>
  );
}
