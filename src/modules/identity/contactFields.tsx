import type { FieldErrors } from '../../errors.js';
import { Field } from '../../web/forms.js';

/** Name, phone and email: the same fields, hints and checks at sign-up and on correction. */
export function ContactFields(props: {
  form: { fullName?: string; phone?: string; email?: string };
  errors: FieldErrors;
}) {
  const { form, errors } = props;
  return (
    <>
      <Field
        name="fullName"
        label="Họ và tên"
        value={form.fullName}
        errors={errors}
        autocomplete="name"
        required
      />
      <Field
        name="phone"
        label="Số điện thoại di động"
        type="tel"
        inputMode="tel"
        value={form.phone}
        errors={errors}
        hint="Dùng để đăng nhập. Ví dụ: 0912 345 678."
        autocomplete="tel"
      />
      <Field
        name="email"
        label="Email (không bắt buộc nếu đã có số điện thoại)"
        type="email"
        inputMode="email"
        value={form.email}
        errors={errors}
        autocomplete="email"
      />
    </>
  );
}
