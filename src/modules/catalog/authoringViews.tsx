/** Form pieces shared by the authoring pages. */
import { allFrameworkElements } from '../../content/frameworks.js';
import type { FieldErrors } from '../../errors.js';
import { CsrfField, type Shell } from '../../web/page.js';
import { DIFFICULTY_LABELS } from '../assessment/questionDraft.js';
import { DEFAULT_QUIZ_SETTINGS, FEEDBACK_LABELS, type QuizSettings } from '../assessment/quizSettings.js';
import { BLOCKS } from '../identity/blocks.js';
import { DRAW_ROWS } from './authoringForms.js';
import type { CourseFields } from './draftVersions.js';
import { TOPICS } from './topics.js';

export const authoringPath = (courseId: string) => `/soan-bai/khoa-hoc/${courseId}`;
export const lessonEditorPath = (courseId: string, lessonId: string) =>
  `${authoringPath(courseId)}/bai/${lessonId}`;

export function FieldError({ errors, name }: { errors: FieldErrors; name: string }) {
  return errors[name] ? (
    <p class="error" id={`${name}-error`}>
      {errors[name]}
    </p>
  ) : null;
}

/** A POST form with one button, for actions such as moving or deleting (works without JavaScript). */
export function ActionButton(props: {
  shell: Shell;
  action: string;
  name?: string;
  value?: string;
  label: string;
  title?: string;
  danger?: boolean;
}) {
  return (
    <form method="post" action={props.action} class="inline-action">
      <CsrfField shell={props.shell} />
      <button
        type="submit"
        name={props.name ?? '_action'}
        value={props.value ?? ''}
        class={props.danger ? 'button danger small' : 'button small'}
        aria-label={props.title ?? props.label}
      >
        {props.label}
      </button>
    </form>
  );
}

/** The framework elements to tag with, grouped by framework group; provisional groups say so. */
export function FrameworkSelect({ selected, errors }: { selected: string[]; errors: FieldErrors }) {
  const rows = allFrameworkElements();
  const groups = [...new Set(rows.map((r) => r.groupCode))];
  return (
    <div class={errors.frameworks ? 'field has-error' : 'field'}>
      <label for="frameworks">Khung năng lực được dạy (giữ Ctrl hoặc chạm để chọn nhiều)</label>
      <FieldError errors={errors} name="frameworks" />
      <select id="frameworks" name="frameworks" multiple size={8}>
        {groups.map((code) => {
          const inGroup = rows.filter((r) => r.groupCode === code);
          const first = inGroup[0];
          return (
            <optgroup
              key={code}
              label={`${code} ${first?.groupName ?? ''}${first?.provisional ? ' (chưa đối chiếu)' : ''}`}
            >
              {inGroup.map((r) => (
                <option key={r.code} value={r.code} selected={selected.includes(r.code)}>
                  {r.code} {r.name}
                </option>
              ))}
            </optgroup>
          );
        })}
      </select>
    </div>
  );
}

export function CourseFieldsInputs({
  fields,
  errors,
  withSlug,
}: {
  fields: Partial<CourseFields> & { slug?: string };
  errors: FieldErrors;
  withSlug?: boolean;
}) {
  return (
    <>
      {withSlug && (
        <div class={errors.slug ? 'field has-error' : 'field'}>
          <label for="slug">Địa chỉ của khóa học</label>
          <p class="hint" id="slug-hint">
            Chữ thường không dấu, số và dấu "-", ví dụ: an-toan-zalo. Không đổi được sau khi tạo.
          </p>
          <FieldError errors={errors} name="slug" />
          <input id="slug" name="slug" value={fields.slug ?? ''} required aria-describedby="slug-hint" />
        </div>
      )}
      <div class={errors.title ? 'field has-error' : 'field'}>
        <label for="title">Tên khóa học</label>
        <FieldError errors={errors} name="title" />
        <input id="title" name="title" value={fields.title ?? ''} required />
      </div>
      <div class={errors.summary ? 'field has-error' : 'field'}>
        <label for="summary">Giới thiệu ngắn (hiện trong danh mục)</label>
        <FieldError errors={errors} name="summary" />
        <textarea id="summary" name="summary" rows={3}>
          {fields.summary ?? ''}
        </textarea>
      </div>
      <div class={errors.topic ? 'field has-error' : 'field'}>
        <label for="topic">Chủ đề</label>
        <FieldError errors={errors} name="topic" />
        <select id="topic" name="topic">
          <option value="">— chọn —</option>
          {Object.entries(TOPICS).map(([code, label]) => (
            <option key={code} value={code} selected={fields.topic === code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <fieldset class={errors.blocks ? 'choices has-error' : 'choices'} id="blocks">
        <legend>Dành cho</legend>
        <FieldError errors={errors} name="blocks" />
        {Object.entries(BLOCKS).map(([code, label]) => (
          <label class="choice" key={code}>
            <input
              type="checkbox"
              name="blocks"
              value={code}
              checked={fields.blocks?.includes(code as never)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      {!withSlug && (
        <>
          <label class="choice">
            <input type="checkbox" name="lockLessons" value="1" checked={fields.lockLessons} /> Học theo thứ
            tự: bài sau chỉ mở khi đã xong bài trước
          </label>
          {fields.coverFile && (
            <div class={errors.coverAlt ? 'field has-error' : 'field'}>
              <label for="coverAlt">Mô tả ảnh bìa</label>
              <FieldError errors={errors} name="coverAlt" />
              <input id="coverAlt" name="coverAlt" value={fields.coverAlt ?? ''} />
            </div>
          )}
          <FrameworkSelect selected={fields.frameworks ?? []} errors={errors} />
        </>
      )}
    </>
  );
}

/** A short whole-number field with its label and error; null shows as empty. */
function NumberField(props: { name: string; label: string; value: number | null; errors: FieldErrors }) {
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <FieldError errors={props.errors} name={props.name} />
      <input
        id={props.name}
        name={props.name}
        inputMode="numeric"
        value={props.value?.toString() ?? ''}
        size={4}
      />
    </div>
  );
}

/** Settings of a quiz; the question source is chosen in `children` (banks, or all lessons for a final test). */
export function QuizSettingsInputs({
  settings,
  errors,
}: {
  settings: QuizSettings | null;
  errors: FieldErrors;
}) {
  const s = settings ?? DEFAULT_QUIZ_SETTINGS;
  const draws = s.draws ?? [];
  return (
    <>
      <NumberField name="passPercent" label="Điểm đạt (%)" value={s.passPercent} errors={errors} />
      <NumberField
        name="maxAttempts"
        label="Số lần làm tối đa (để trống: không giới hạn)"
        value={s.maxAttempts}
        errors={errors}
      />
      <NumberField
        name="timeLimitMinutes"
        label="Thời gian làm bài, phút (để trống: không giới hạn)"
        value={s.timeLimitMinutes}
        errors={errors}
      />
      <div class="field">
        <label for="feedback">Cho xem đáp án và giải thích</label>
        <select id="feedback" name="feedback">
          {Object.entries(FEEDBACK_LABELS).map(([code, label]) => (
            <option key={code} value={code} selected={s.feedback === code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <label class="choice">
        <input type="checkbox" name="shuffleQuestions" value="1" checked={s.shuffleQuestions} /> Xáo trộn thứ
        tự câu hỏi
      </label>
      <label class="choice">
        <input type="checkbox" name="shuffleOptions" value="1" checked={s.shuffleOptions} /> Xáo trộn phương
        án
      </label>
      <label class="choice">
        <input type="checkbox" name="partialCredit" value="1" checked={s.partialCredit} /> Tính điểm một phần
        (câu nhiều đáp án, ghép nối, sắp xếp)
      </label>
      <fieldset>
        <legend>Rút câu ngẫu nhiên (để trống: dùng mọi câu đã chọn)</legend>
        <p class="hint">
          Mỗi dòng rút một số câu theo thẻ (cách nhau bằng dấu phẩy) và độ khó; câu đã rút không rút lại.
        </p>
        {Array.from({ length: DRAW_ROWS }, (_, row) => {
          const rule = draws[row];
          return (
            <div class="draw-row" key={String(row)}>
              <label>
                Số câu{' '}
                <input
                  name={`draws.${row}.count`}
                  inputMode="numeric"
                  size={3}
                  value={rule?.count.toString() ?? ''}
                />
              </label>{' '}
              <label>
                Thẻ <input name={`draws.${row}.tags`} size={16} value={rule?.tags.join(', ') ?? ''} />
              </label>{' '}
              <label>
                Độ khó{' '}
                <select name={`draws.${row}.difficulty`}>
                  <option value="">mọi mức</option>
                  {Object.entries(DIFFICULTY_LABELS).map(([code, label]) => (
                    <option key={code} value={code} selected={rule?.difficulty === code}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              <FieldError errors={errors} name={`draws.${row}.count`} />
            </div>
          );
        })}
      </fieldset>
    </>
  );
}
