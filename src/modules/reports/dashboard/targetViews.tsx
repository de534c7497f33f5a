import type { FieldErrors } from '../../../errors.js';
import { ChoiceSelect, ErrorSummary, Field } from '../../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../../web/page.js';
import { BLOCKS } from '../../identity/blocks.js';
import { TARGET_METRICS } from './figures.js';
import type { Target } from './targets.js';
import { blockName, TARGET_LABELS } from './views.js';

export const TARGETS_HREF = '/bao-cao/chi-tieu';

export interface TargetForm {
  year: string;
  block: string;
  unitId: string;
  metric: string;
  percent: string;
}

/** The tenant's targets, and (for those who may) a form to set one. */
export function TargetsPage(props: {
  shell: Shell;
  targets: Target[];
  unitNames: Map<string, string>;
  units: { id: string; fullName: string }[];
  canManage: boolean;
  form: TargetForm;
  errors: FieldErrors;
  saved: boolean;
}) {
  const { shell, targets, unitNames, units, canManage, form, errors, saved } = props;
  return (
    <Layout shell={shell} title="Chỉ tiêu phổ cập kỹ năng số">
      <h1>Chỉ tiêu phổ cập kỹ năng số</h1>
      <p>
        Mỗi chỉ tiêu là tỉ lệ người của một khối cần đạt trong năm. Chỉ tiêu đặt cho một đơn vị áp dụng cho
        đơn vị đó và các đơn vị trực thuộc, thay cho chỉ tiêu chung của toàn tỉnh.
      </p>
      {saved && (
        <p class="notice" role="status">
          Đã lưu chỉ tiêu.
        </p>
      )}
      <table class="data">
        <caption>Các chỉ tiêu đã đặt</caption>
        <thead>
          <tr>
            <th scope="col">Năm</th>
            <th scope="col">Phạm vi</th>
            <th scope="col">Khối</th>
            <th scope="col">Nội dung</th>
            <th scope="col">Cần đạt</th>
            {canManage && <th scope="col">Thao tác</th>}
          </tr>
        </thead>
        <tbody>
          {targets.map((t) => (
            <tr key={t.id}>
              <td>{t.year}</td>
              <td>{t.unitId === '' ? 'Toàn đơn vị chủ quản' : (unitNames.get(t.unitId) ?? '')}</td>
              <td>{blockName(t.block)}</td>
              <td>{TARGET_LABELS[t.metric]}</td>
              <td>{t.percent}%</td>
              {canManage && (
                <td>
                  <a href={`${TARGETS_HREF}/${t.id}/xoa`}>Xóa</a>
                </td>
              )}
            </tr>
          ))}
          {targets.length === 0 && (
            <tr>
              <td colSpan={6}>Chưa có chỉ tiêu nào.</td>
            </tr>
          )}
        </tbody>
      </table>
      {canManage && (
        <form method="post" action={TARGETS_HREF}>
          <h2>Đặt chỉ tiêu</h2>
          <ErrorSummary errors={errors} />
          <CsrfField shell={shell} />
          <Field
            name="year"
            label="Năm"
            type="number"
            inputMode="numeric"
            value={form.year}
            errors={errors}
            required
          />
          <ChoiceSelect
            name="unitId"
            label="Phạm vi"
            empty="Toàn đơn vị chủ quản"
            choices={Object.fromEntries(units.map((u) => [u.id, u.fullName]))}
            value={form.unitId}
            error={errors.unitId}
          />
          <ChoiceSelect
            name="block"
            label="Khối"
            empty="— Chọn khối —"
            choices={BLOCKS}
            value={form.block}
            error={errors.block}
          />
          <ChoiceSelect
            name="metric"
            label="Nội dung"
            empty="— Chọn nội dung —"
            choices={Object.fromEntries(TARGET_METRICS.map((m) => [m, TARGET_LABELS[m]]))}
            value={form.metric}
            error={errors.metric}
          />
          <Field
            name="percent"
            label="Tỉ lệ cần đạt (%)"
            type="number"
            inputMode="numeric"
            value={form.percent}
            errors={errors}
            required
          />
          <button type="submit">Lưu chỉ tiêu</button>
        </form>
      )}
    </Layout>
  );
}

/** Asks before a target is removed. */
export function RemoveTargetPage(props: { shell: Shell; target: Target; scope: string }) {
  const { shell, target, scope } = props;
  return (
    <Layout shell={shell} title="Xóa chỉ tiêu">
      <h1>Xóa chỉ tiêu?</h1>
      <p>
        Năm {target.year}, {scope}: {blockName(target.block)} {TARGET_LABELS[target.metric]} {target.percent}
        %. Bảng tổng quan sẽ không còn so sánh với chỉ tiêu này.
      </p>
      <form method="post" action={`${TARGETS_HREF}/${target.id}/xoa`}>
        <CsrfField shell={shell} />
        <button type="submit">Xóa chỉ tiêu</button> <a href={TARGETS_HREF}>Không, quay lại</a>
      </form>
    </Layout>
  );
}
