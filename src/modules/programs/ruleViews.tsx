import { ROLE_LABELS } from '../../access/actor.js';
import type { FieldErrors } from '../../errors.js';
import { vietnamDay } from '../../web/format.js';
import { ChoiceSelect, ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import { BLOCKS } from '../identity/blocks.js';
import type { Unit } from '../org/service.js';
import type { RuleRow } from './repository.js';
import type { AssignmentView } from './service.js';
import { STATUS_LABELS } from './status.js';
import type { Target } from './targets.js';

export const RULES_PATH = '/quan-tri/giao-hoc';
/** Roles an audience may be narrowed to (e.g. the unit managers of every commune). */
const ASSIGNABLE_ROLES = Object.fromEntries(
  (['unitManager', 'evaluator', 'contentManager', 'tenantAdmin'] as const).map((role) => [
    role,
    ROLE_LABELS[role],
  ]),
);
export const rulePath = (id: string) => `${RULES_PATH}/${id}`;

export interface RuleSummary {
  rule: RuleRow;
  /** Set when the reader sees only their own subtree of a wider rule. */
  within: string | null;
  unit: Unit | undefined;
  target: Target | undefined;
  people: number;
  completed: number;
  overdue: number;
  exempt: number;
}

const audienceOf = (rule: RuleRow) => {
  const blocks = rule.blocks
    .split(',')
    .filter(Boolean)
    .map((b) => BLOCKS[b as keyof typeof BLOCKS] ?? b);
  return [blocks.length > 0 ? blocks.join(', ') : 'Mọi đối tượng', rule.position].filter(Boolean).join(' · ');
};
const dueText = (rule: RuleRow) =>
  rule.dueOn ? `hạn ${vietnamDay(rule.dueOn)}` : `trong ${rule.dueDays} ngày kể từ khi được giao`;

export function RuleListPage(props: { shell: Shell; rules: RuleSummary[]; canCreate: boolean }) {
  const { shell, rules, canCreate } = props;
  return (
    <Layout shell={shell} title="Giao việc học">
      <h1>Giao việc học</h1>
      <p>
        Mỗi quy tắc giao một chương trình hay một khóa học cho một nhóm người: đối tượng trong một đơn vị và
        các đơn vị trực thuộc. Người mới vào nhóm được giao ngay.{' '}
        <a href="/quan-tri/chuong-trinh">Chương trình học</a>
      </p>
      {canCreate && (
        <p>
          <a class="button primary" href={`${RULES_PATH}/moi`}>
            Giao việc học mới
          </a>
        </p>
      )}
      {rules.length === 0 ? (
        <p class="notice">Chưa có việc học nào được giao trong phạm vi của bạn.</p>
      ) : (
        <table class="data">
          <caption class="visually-hidden">Các việc học đã giao</caption>
          <thead>
            <tr>
              <th scope="col">Việc học</th>
              <th scope="col">Đơn vị · đối tượng</th>
              <th scope="col">Số người</th>
              <th scope="col">Hoàn thành</th>
              <th scope="col">Quá hạn</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.rule.id}>
                <td>
                  <a href={rulePath(r.rule.id)}>{r.target?.title ?? '—'}</a>
                  <br />
                  <span class="meta">{dueText(r.rule)}</span>
                </td>
                <td>
                  {r.unit?.fullName ?? '—'} · {audienceOf(r.rule)}
                </td>
                <td>{r.people}</td>
                <td>{r.completed}</td>
                <td>{r.overdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export interface RuleForm {
  target: string;
  unitId: string;
  blocks: string[];
  position: string;
  role: string;
  dueKind: 'date' | 'days';
  dueOn: string;
  dueDays: string;
}

export function RuleFormPage(props: {
  shell: Shell;
  targets: { value: string; label: string }[];
  units: Unit[];
  form: RuleForm;
  errors: FieldErrors;
  message?: string;
}) {
  const { shell, targets, units, form, errors, message } = props;
  return (
    <Layout shell={shell} title="Giao việc học mới">
      <p class="crumbs">
        <a href={RULES_PATH}>Giao việc học</a>
      </p>
      <h1>Giao việc học mới</h1>
      <ErrorSummary errors={errors} message={message} />
      <form method="post" action={`${RULES_PATH}/moi`} novalidate>
        <CsrfField shell={shell} />
        <div class={errors.target ? 'field has-error' : 'field'}>
          <label for="target">Chương trình hoặc khóa học</label>
          {errors.target && <p class="error">{errors.target}</p>}
          <select id="target" name="target">
            <option value="">Chọn…</option>
            {targets.map((t) => (
              <option key={t.value} value={t.value} selected={form.target === t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        <div class={errors.unitId ? 'field has-error' : 'field'}>
          <label for="unitId">Đơn vị (gồm cả các đơn vị trực thuộc)</label>
          {errors.unitId && <p class="error">{errors.unitId}</p>}
          <select id="unitId" name="unitId">
            {units.map((u) => (
              <option key={u.id} value={u.id} selected={form.unitId === u.id}>
                {`${'— '.repeat(Math.max(0, u.depth - (units[0]?.depth ?? 0)))}${u.fullName}`}
              </option>
            ))}
          </select>
        </div>
        <fieldset class={errors.blocks ? 'choices has-error' : 'choices'} id="blocks">
          <legend>Đối tượng (không chọn: mọi đối tượng)</legend>
          {Object.entries(BLOCKS).map(([code, label]) => (
            <label class="choice" key={code}>
              <input type="checkbox" name="blocks" value={code} checked={form.blocks.includes(code)} />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <Field
          name="position"
          label="Chức vụ (không bắt buộc; đúng như trong danh sách nhân sự)"
          value={form.position}
          errors={errors}
        />
        <ChoiceSelect
          name="role"
          label="Chỉ người giữ vai trò (không bắt buộc)"
          empty="Không giới hạn"
          choices={ASSIGNABLE_ROLES}
          value={form.role}
          error={errors.role}
        />
        <fieldset class={errors.due ? 'choices has-error' : 'choices'} id="due">
          <legend>Hạn hoàn thành</legend>
          {errors.due && <p class="error">{errors.due}</p>}
          <label class="choice">
            <input type="radio" name="dueKind" value="days" checked={form.dueKind === 'days'} /> Trong số ngày
            kể từ khi được giao
          </label>
          <label for="dueDays">Số ngày</label>
          <input id="dueDays" name="dueDays" inputMode="numeric" value={form.dueDays} />
          <label class="choice">
            <input type="radio" name="dueKind" value="date" checked={form.dueKind === 'date'} /> Trước một
            ngày cụ thể
          </label>
          <label for="dueOn">Ngày</label>
          <input id="dueOn" name="dueOn" type="date" value={form.dueOn} />
        </fieldset>
        <button type="submit" class="button primary">
          Giao việc học
        </button>
      </form>
    </Layout>
  );
}

export function RulePage(props: {
  shell: Shell;
  summary: RuleSummary;
  people: { assignment: AssignmentView; name: string; unit: string }[];
  page: number;
  more: boolean;
  canAct: boolean;
  notice?: string;
}) {
  const { shell, summary, people, page, more, canAct, notice } = props;
  const { rule } = summary;
  return (
    <Layout shell={shell} title={summary.target?.title ?? 'Việc học'}>
      <p class="crumbs">
        <a href={RULES_PATH}>Giao việc học</a>
      </p>
      <h1>{summary.target?.title ?? 'Việc học'}</h1>
      <p class="meta">
        {summary.unit?.fullName ?? '—'} · {audienceOf(rule)} · {dueText(rule)}
      </p>
      {summary.within && (
        <p class="notice" role="status">
          Việc học này được giao cho một phạm vi rộng hơn; bạn thấy những người thuộc đơn vị mình quản lý.
        </p>
      )}
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      <dl class="facts">
        <dt>Số người được giao</dt>
        <dd>{summary.people}</dd>
        <dt>Đã hoàn thành</dt>
        <dd>{summary.completed}</dd>
        <dt>Quá hạn</dt>
        <dd>{summary.overdue}</dd>
        <dt>Được miễn</dt>
        <dd>{summary.exempt}</dd>
      </dl>
      {canAct && summary.overdue > 0 && (
        <form method="post" action={`${rulePath(rule.id)}/nhac-nho`}>
          <CsrfField shell={shell} />
          <button type="submit" class="button">
            Nhắc {summary.overdue} người quá hạn
          </button>
        </form>
      )}
      <table class="data">
        <caption>Người được giao · trang {page}</caption>
        <thead>
          <tr>
            <th scope="col">Họ và tên</th>
            <th scope="col">Đơn vị</th>
            <th scope="col">Hạn</th>
            <th scope="col">Tình trạng</th>
            {canAct && <th scope="col">Miễn (kèm lý do)</th>}
          </tr>
        </thead>
        <tbody>
          {people.map(({ assignment: a, name, unit }) => (
            <tr key={a.id}>
              <td>
                <a href={`/bao-cao/nguoi/${a.accountId}`}>{name}</a>
              </td>
              <td>{unit}</td>
              <td>{vietnamDay(a.dueOn)}</td>
              <td>
                {a.leftAt ? 'Không còn thuộc đối tượng' : STATUS_LABELS[a.status]}
                {a.exemptReason ? ` (${a.exemptReason})` : ''}
              </td>
              {canAct && (
                <td>
                  {a.status !== 'completed' && a.status !== 'exempt' && !a.leftAt && (
                    <form method="post" action={`${rulePath(rule.id)}/mien/${encodeURIComponent(a.id)}`}>
                      <CsrfField shell={shell} />
                      <label for={`reason-${a.id}`} class="visually-hidden">
                        Lý do miễn cho {name}
                      </label>
                      <input id={`reason-${a.id}`} name="reason" required minLength={5} />
                      <button type="submit" class="small">
                        Miễn
                      </button>
                    </form>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {people.length === 0 && <p class="notice">Chưa có ai trong nhóm này.</p>}
      <Pager
        page={page}
        hasNext={more}
        href={(n) => `${rulePath(rule.id)}?trang=${n}`}
        label="Các trang người được giao"
      />
    </Layout>
  );
}
