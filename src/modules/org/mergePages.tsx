import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { readForm, readList } from '../../web/forms.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { type MergePlan, mergeSiblings, type SiblingMerge } from './merge.js';
import { describeMergePlan } from './mergeReport.js';
import { movedWithUnits } from './movedWithUnits.js';
import { KindSelect, unitPath } from './pages.js';
import { orgPolicy } from './policy.js';
import type { Unit } from './service.js';
import { isUnitKind } from './unitKinds.js';

/** What the merge form holds, as posted (or first shown). */
interface MergeForm {
  unitIds: string[];
  receiver: 'keep' | 'new';
  typeLabel: string;
  name: string;
  code: string;
  kind: string;
  effectiveOn: string;
}

function MergeFields({ unit, siblings, form }: { unit: Unit; siblings: Unit[]; form: MergeForm }) {
  return (
    <>
      <fieldset class="choices" id="unitIds">
        <legend>Sáp nhập {unit.fullName} với</legend>
        <input type="hidden" name="unitIds" value={unit.id} />
        {siblings.length === 0 && <p>Không có đơn vị cùng cấp nào để sáp nhập.</p>}
        {siblings.map((s) => (
          <label class="choice" key={s.id}>
            <input type="checkbox" name="unitIds" value={s.id} checked={form.unitIds.includes(s.id)} />{' '}
            {s.fullName}
            {s.code ? ` (${s.code})` : ''}
          </label>
        ))}
      </fieldset>
      <fieldset class="choices" id="receiver">
        <legend>Đơn vị sau sáp nhập</legend>
        <label class="choice">
          <input type="radio" name="receiver" value="keep" checked={form.receiver === 'keep'} /> Giữ{' '}
          {unit.fullName}: các đơn vị kia nhập vào đơn vị này
        </label>
        <label class="choice">
          <input type="radio" name="receiver" value="new" checked={form.receiver === 'new'} /> Lập đơn vị mới
          (điền bên dưới)
        </label>
      </fieldset>
      <div class="field">
        <label for="typeLabel">Loại đơn vị mới</label>
        <input id="typeLabel" name="typeLabel" value={form.typeLabel} />
      </div>
      <div class="field">
        <label for="name">Tên đơn vị mới</label>
        <input id="name" name="name" value={form.name} />
      </div>
      <div class="field">
        <label for="code">Mã đơn vị mới (nếu có; có thể dùng lại mã của một đơn vị được sáp nhập)</label>
        <input id="code" name="code" value={form.code} />
      </div>
      <div class="field">
        <label for="kind">Cấp</label>
        <KindSelect value={form.kind} />
      </div>
      <div class="field">
        <label for="effectiveOn">Ngày hiệu lực</label>
        <p class="hint">Báo cáo của những ngày trước đó vẫn tính theo các đơn vị cũ.</p>
        <input id="effectiveOn" name="effectiveOn" type="date" value={form.effectiveOn} required />
      </div>
    </>
  );
}

function MergePage(props: {
  shell: Shell;
  unit: Unit;
  siblings: Unit[];
  form: MergeForm;
  plan: MergePlan | null;
}) {
  const { shell, unit, siblings, form, plan } = props;
  const action = `${unitPath(unit.id)}/sap-nhap`;
  const ready = plan !== null && plan.errors.length === 0;
  return (
    <Layout shell={shell} title={`Sáp nhập ${unit.fullName}`}>
      <p class="crumbs">
        <a href={unitPath(unit.id)}>{unit.fullName}</a>
      </p>
      <h1>Sáp nhập {unit.fullName}</h1>
      <p>
        Các đơn vị được sáp nhập thôi hoạt động từ ngày hiệu lực; người, vai trò và đơn vị trực thuộc của
        chúng chuyển sang đơn vị sau sáp nhập. Kết quả học tập vẫn gắn với đơn vị lúc học.
      </p>
      {plan && plan.errors.length > 0 && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>Chưa sáp nhập được</h2>
          <ul>
            {plan.errors.map((e) => (
              <li key={e.message}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      {ready && (
        <section class="notice" role="status">
          <h2>Sẽ thay đổi như sau</h2>
          <ul>
            {describeMergePlan(plan).map((line) => (
              <li key={line}>{line.trim()}</li>
            ))}
          </ul>
        </section>
      )}
      <form method="post" action={action} novalidate>
        <CsrfField shell={shell} />
        <MergeFields unit={unit} siblings={siblings} form={form} />
        <button type="submit" name="_action" value="xem" class="button">
          Xem trước
        </button>{' '}
        {ready && (
          <button type="submit" name="_action" value="xac-nhan" class="button primary">
            Sáp nhập
          </button>
        )}
      </form>
    </Layout>
  );
}

/** The form as posted (siblings only; the unit itself always), or its defaults for an empty body. */
function formOf(unit: Unit, siblings: Unit[], body: unknown): MergeForm {
  const fields = readForm(body);
  return {
    unitIds: [unit.id, ...readList(body, 'unitIds').filter((id) => siblings.some((s) => s.id === id))],
    receiver: fields.receiver === 'new' ? 'new' : 'keep',
    typeLabel: fields.typeLabel ?? unit.typeLabel,
    name: fields.name ?? '',
    code: fields.code ?? '',
    kind: fields.kind ?? unit.kind,
    effectiveOn: fields.effectiveOn ?? todayInVietnam(),
  };
}

const requestOf = (form: MergeForm, unitId: string): SiblingMerge => ({
  unitIds: form.unitIds,
  into:
    form.receiver === 'keep'
      ? { keepId: unitId }
      : {
          newUnit: {
            name: form.name,
            typeLabel: form.typeLabel,
            code: form.code.trim() === '' ? null : form.code,
            kind: isUnitKind(form.kind) ? form.kind : 'village',
          },
        },
  effectiveOn: form.effectiveOn,
});

/** Merging a unit with units of the same parent, previewed before it is done. */
export const mergePages = (ctx: AppContext) => async (app: FastifyInstance) => {
  /** The unit and its current siblings, once the actor may manage their parent. */
  const place = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const unit = await ctx.org.unit(request.tenant.id, id);
    if (!unit) throw notFound('Không tìm thấy đơn vị này.');
    const parent = unit.parentId ? await ctx.org.unit(request.tenant.id, unit.parentId) : undefined;
    authorize(
      parent !== undefined &&
        orgPolicy(actorOf(request), 'unit.manage', { tenantId: parent.tenantId, unitPath: parent.path }),
    );
    const siblings = (await ctx.org.children(request.tenant.id, (parent as Unit).id)).filter(
      (s) => s.id !== unit.id,
    );
    return { unit, siblings };
  };

  app.get('/quan-tri/don-vi/:id/sap-nhap', { config: { access: 'signedIn' } }, async (request, reply) => {
    const { unit, siblings } = await place(request);
    const form = formOf(unit, siblings, {});
    return sendPage(
      reply,
      <MergePage
        shell={shellOf(ctx, request, reply)}
        unit={unit}
        siblings={siblings}
        form={form}
        plan={null}
      />,
    );
  });

  /** `xem` shows what would change; `xac-nhan` merges (checked again in the same transaction). */
  app.post('/quan-tri/don-vi/:id/sap-nhap', { config: { access: 'signedIn' } }, async (request, reply) => {
    const { unit, siblings } = await place(request);
    const fields = readForm(request.body);
    const form = formOf(unit, siblings, request.body);
    const plan = await mergeSiblings(
      ctx.db,
      { members: movedWithUnits, audit: ctx.audit },
      request.tenant.id,
      requestOf(form, unit.id),
      { dryRun: fields._action !== 'xac-nhan', actor: actorOf(request) as Actor },
    );
    const receiver = plan.receivers[0];
    if (receiver) {
      await ctx.identity.peopleChanged(request.tenant.id, null);
      return reply.redirect(`${unitPath(receiver.id)}?xong=1`, 303);
    }
    return sendPage(
      reply,
      <MergePage
        shell={shellOf(ctx, request, reply)}
        unit={unit}
        siblings={siblings}
        form={form}
        plan={plan}
      />,
      plan.errors.length > 0 ? 400 : 200,
    );
  });
};
