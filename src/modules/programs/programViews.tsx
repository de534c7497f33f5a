import type { FieldErrors } from '../../errors.js';
import { ChoiceSelect, ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import type { CourseSummary } from '../catalog/service.js';
import { BLOCKS } from '../identity/blocks.js';
import type { Program } from './service.js';
import { programHref } from './targets.js';

export const PROGRAMS_PATH = '/quan-tri/chuong-trinh';
const ROLE_CHOICES = [
  ['', 'Không dùng'],
  ['required', 'Bắt buộc'],
  ['elective', 'Tự chọn'],
  ['final', 'Bài kiểm tra cuối'],
] as const;

export function ProgramListPage(props: { shell: Shell; programs: Program[]; canCreate: boolean }) {
  const { shell, programs, canCreate } = props;
  return (
    <Layout shell={shell} title="Chương trình học">
      <h1>Chương trình học</h1>
      <p>
        Một chương trình gồm các khóa học bắt buộc và tự chọn; hoàn thành chương trình được xác nhận đạt yêu
        cầu Bình dân học vụ số. <a href="/quan-tri/giao-hoc">Giao việc học cho đơn vị</a>
      </p>
      {canCreate && (
        <p>
          <a class="button primary" href={`${PROGRAMS_PATH}/moi`}>
            Tạo chương trình
          </a>
        </p>
      )}
      {programs.length === 0 ? (
        <p class="notice">Chưa có chương trình nào.</p>
      ) : (
        <ul>
          {programs.map((p) => (
            <li key={p.id}>
              <a href={programHref(p.slug)}>{p.name}</a>{' '}
              <span class="meta">
                · {p.courses.length} khóa học
                {p.validityMonths ? ` · hiệu lực ${p.validityMonths} tháng` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface ProgramForm {
  name: string;
  description: string;
  targetBlock: string;
  validityMonths: string;
  electivesRequired: string;
  roles: Record<string, string>;
}

export function ProgramFormPage(props: {
  shell: Shell;
  courses: CourseSummary[];
  form: ProgramForm;
  errors: FieldErrors;
  message?: string;
}) {
  const { shell, courses, form, errors, message } = props;
  return (
    <Layout shell={shell} title="Tạo chương trình">
      <p class="crumbs">
        <a href={PROGRAMS_PATH}>Chương trình học</a>
      </p>
      <h1>Tạo chương trình</h1>
      <ErrorSummary errors={errors} message={message} />
      <form method="post" action={`${PROGRAMS_PATH}/moi`} novalidate>
        <CsrfField shell={shell} />
        <Field name="name" label="Tên chương trình" value={form.name} errors={errors} required />
        <Field name="description" label="Mô tả (không bắt buộc)" value={form.description} errors={errors} />
        <ChoiceSelect
          name="targetBlock"
          label="Đối tượng được xác nhận đạt yêu cầu"
          empty="Mọi đối tượng"
          choices={BLOCKS}
          value={form.targetBlock}
          error={errors.targetBlock}
        />
        <Field
          name="validityMonths"
          label="Hiệu lực của xác nhận (số tháng; để trống nếu không hết hạn)"
          value={form.validityMonths}
          errors={errors}
          inputMode="numeric"
        />
        <fieldset class={errors.courses ? 'choices has-error' : 'choices'} id="courses">
          <legend>Các khóa học</legend>
          {errors.courses && <p class="error">{errors.courses}</p>}
          {courses.length === 0 && <p>Chưa có khóa học nào được xuất bản.</p>}
          {courses.map((c) => (
            <div class="field" key={c.id}>
              <label for={`role-${c.id}`}>{c.title}</label>
              <select id={`role-${c.id}`} name={`role-${c.id}`}>
                {ROLE_CHOICES.map(([value, label]) => (
                  <option key={value} value={value} selected={(form.roles[c.id] ?? '') === value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
        <Field
          name="electivesRequired"
          label="Số khóa tự chọn cần hoàn thành"
          value={form.electivesRequired}
          errors={errors}
          inputMode="numeric"
        />
        <button type="submit" class="button primary">
          Tạo chương trình
        </button>
      </form>
    </Layout>
  );
}
