import type { FieldErrors } from '../../errors.js';
import { ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import type { PlacedUnit } from '../org/service.js';
import { CONSENT_PURPOSES } from './consents.js';
import { ContactFields } from './contactFields.js';
import { DELETE_ACCOUNT_PATH, EDIT_PROFILE_PATH, PERSONAL_DATA_PATH } from './personalDataViews.js';
import { UnitChoices } from './unitChoices.js';

export type Form = Record<string, string | undefined>;

/** A consent checkbox with its error, linked for screen readers; ticked, it sends "yes". */
function ConsentBox({
  name,
  label,
  form,
  errors,
}: {
  name: string;
  label: string;
  form: Form;
  errors: FieldErrors;
}) {
  const error = errors[name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      {error && (
        <p class="error" id={`${name}-error`}>
          {error}
        </p>
      )}
      <label class="choice" for={name}>
        <input
          type="checkbox"
          id={name}
          name={name}
          value="yes"
          checked={form[name] === 'yes'}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${name}-error` : undefined}
        />
        <span>{label}</span>
      </label>
    </div>
  );
}

interface EditProfileView {
  shell: Shell;
  form: Form;
  units: PlacedUnit[];
  /** The last four digits of the stored CCCD, if one is stored. */
  nationalIdLast4: string | null;
  errors: FieldErrors;
  message?: string;
}

export function EditProfilePage({ shell, form, units, nationalIdLast4, errors, message }: EditProfileView) {
  return (
    <Layout shell={shell} title="Sửa thông tin cá nhân">
      <h1>Sửa thông tin cá nhân</h1>
      <p>
        Nếu thông tin về bạn chưa đúng, hãy sửa ở đây. Chỉ họ tên, đơn vị và số điện thoại hoặc email là bắt
        buộc.
      </p>
      <ErrorSummary errors={errors} message={message} />
      <form method="get" action={EDIT_PROFILE_PATH} class="search">
        <label for="tim">Tìm đơn vị khác (nếu bạn đã chuyển nơi sống hoặc làm việc)</label>
        <div class="inline">
          <input id="tim" name="tim" type="search" value={form.unitQuery ?? ''} />
          <button type="submit">Tìm</button>
        </div>
      </form>
      <form method="post" action={EDIT_PROFILE_PATH} novalidate>
        <CsrfField shell={shell} />
        <input type="hidden" name="unitQuery" value={form.unitQuery ?? ''} />
        <UnitChoices units={units} selectedId={form.homeUnitId} error={errors.homeUnitId} />
        <ContactFields form={form} errors={errors} />
        <h2>Thông tin không bắt buộc</h2>
        <p class="hint">
          Chỉ lưu khi bạn đánh dấu ô đồng ý. Bạn có thể rút lại đồng ý bất cứ lúc nào trên trang hồ sơ; khi đó
          dữ liệu bị xóa.
        </p>
        <Field
          name="birthYear"
          label="Năm sinh"
          inputMode="numeric"
          value={form.birthYear}
          errors={errors}
          hint="Ví dụ: 1965. Để trống nếu không muốn cung cấp; để trống sẽ xóa năm sinh đã lưu."
          autocomplete="bday-year"
        />
        <ConsentBox
          name="birthYearConsent"
          label={`Tôi đồng ý cho lưu: ${CONSENT_PURPOSES.birth_year.toLowerCase()}.`}
          form={form}
          errors={errors}
        />
        <Field
          name="nationalId"
          label="Số căn cước công dân (CCCD)"
          inputMode="numeric"
          errors={errors}
          hint={
            nationalIdLast4
              ? `Đang lưu số có 4 số cuối ${nationalIdLast4}. Để trống nếu không đổi.`
              : 'Gồm 12 chữ số. Hệ thống chỉ lưu 4 số cuối và một mã không thể đọc ngược.'
          }
          autocomplete="off"
        />
        <ConsentBox
          name="nationalIdConsent"
          label={`Tôi đồng ý cho lưu: ${CONSENT_PURPOSES.national_id.toLowerCase()}.`}
          form={form}
          errors={errors}
        />
        <p class="actions">
          <button type="submit" class="primary">
            Lưu thay đổi
          </button>
          <a class="button" href="/ho-so">
            Hủy
          </a>
        </p>
      </form>
    </Layout>
  );
}

export function DeleteAccountPage({
  shell,
  errors,
  message,
}: {
  shell: Shell;
  errors: FieldErrors;
  message?: string;
}) {
  return (
    <Layout shell={shell} title="Xóa tài khoản">
      <h1>Xóa tài khoản</h1>
      <ErrorSummary errors={errors} message={message} />
      <p>Khi bạn xóa tài khoản:</p>
      <ul>
        <li>Họ tên, số điện thoại, email, số CCCD, năm sinh và chức vụ của bạn bị xóa vĩnh viễn.</li>
        <li>Giấy chứng nhận của bạn bị xóa; mã tra cứu của giấy sẽ không còn hiệu lực.</li>
        <li>
          Kết quả học tập được giữ lại nhưng không còn gắn với tên bạn, để số liệu thống kê của đơn vị vẫn
          đúng.
        </li>
        <li>Bạn bị đăng xuất và không thể đăng nhập lại bằng tài khoản này.</li>
      </ul>
      <p>
        Nên <a href={`${PERSONAL_DATA_PATH}.json`}>tải dữ liệu của bạn về</a> trước khi xóa. Việc xóa không
        thể hoàn tác.
      </p>
      <form method="post" action={DELETE_ACCOUNT_PATH} novalidate>
        <CsrfField shell={shell} />
        <Field
          name="password"
          label="Nhập mật khẩu để xác nhận"
          type="password"
          errors={errors}
          autocomplete="current-password"
          required
        />
        <p class="actions">
          <button type="submit" class="danger">
            Xóa vĩnh viễn tài khoản của tôi
          </button>
          <a class="button" href="/ho-so">
            Không xóa, quay lại
          </a>
        </p>
      </form>
    </Layout>
  );
}

export function AccountDeletedPage({ shell }: { shell: Shell }) {
  return (
    <Layout shell={shell} title="Đã xóa tài khoản">
      <h1>Đã xóa tài khoản</h1>
      <p class="notice" role="status">
        Tài khoản và dữ liệu cá nhân của bạn đã được xóa. Cảm ơn bạn đã tham gia học.
      </p>
      <p>
        <a href="/">Về trang chủ</a>
      </p>
    </Layout>
  );
}
