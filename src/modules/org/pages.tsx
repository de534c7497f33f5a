import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { type FieldErrors, notFound, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { ErrorSummary, formProblems, readForm } from '../../web/forms.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { orgPolicy } from './policy.js';
import type { PlacedUnit, Unit } from './service.js';
import { isUnitKind, UNIT_KIND_LABELS, type UnitKind } from './unitKinds.js';

export const unitPath = (id: string) => `/quan-tri/don-vi/${id}`;

interface UnitView {
  unit: PlacedUnit;
  trail: Unit[];
  children: { unit: Unit; people: number }[];
  people: number;
}

export function KindSelect({ value }: { value: string }) {
  return (
    <select id="kind" name="kind">
      {Object.entries(UNIT_KIND_LABELS).map(([kind, label]) => (
        <option key={kind} value={kind} selected={kind === value}>
          {label}
        </option>
      ))}
    </select>
  );
}

function UnitFields({ unit, errors }: { unit: Partial<Unit>; errors: FieldErrors }) {
  const field = (name: 'name' | 'typeLabel' | 'code', label: string, hint?: string) => (
    <div class={errors[name] ? 'field has-error' : 'field'}>
      <label for={name}>{label}</label>
      {hint && <p class="hint">{hint}</p>}
      {errors[name] && <p class="error">{errors[name]}</p>}
      <input id={name} name={name} value={(unit[name] as string | null | undefined) ?? ''} />
    </div>
  );
  return (
    <>
      {field('typeLabel', 'Loại đơn vị', 'Như cách gọi chính thức: Xã, Phường, Thôn, Sở…')}
      {field('name', 'Tên đơn vị')}
      {field('code', 'Mã đơn vị (mã thống kê, nếu có)')}
      <div class="field">
        <label for="kind">Cấp</label>
        <KindSelect value={unit.kind ?? 'village'} />
      </div>
    </>
  );
}

function UnitPage(props: {
  shell: Shell;
  view: UnitView;
  errors: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const { shell, view, errors, message, notice } = props;
  const { unit } = view;
  return (
    <Layout shell={shell} title={unit.fullName}>
      <p class="crumbs">
        <a href="/quan-tri/don-vi">Đơn vị</a>
        {view.trail.map((u) => (
          <span key={u.id}>
            {' › '}
            <a href={unitPath(u.id)}>{u.fullName}</a>
          </span>
        ))}
      </p>
      <h1>{unit.fullName}</h1>
      <p class="meta">
        {UNIT_KIND_LABELS[unit.kind as UnitKind] ?? unit.kind}
        {unit.code ? ` · mã ${unit.code}` : ''} · {view.people} người thuộc đơn vị và các đơn vị trực thuộc
      </p>
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      <ErrorSummary errors={errors} message={message} />
      <h2>Đơn vị trực thuộc</h2>
      {view.children.length === 0 ? (
        <p class="notice">Chưa có đơn vị trực thuộc.</p>
      ) : (
        <table class="data">
          <caption class="visually-hidden">Đơn vị trực thuộc {unit.fullName}</caption>
          <thead>
            <tr>
              <th scope="col">Đơn vị</th>
              <th scope="col">Mã</th>
              <th scope="col">Số người</th>
            </tr>
          </thead>
          <tbody>
            {view.children.map(({ unit: child, people }) => (
              <tr key={child.id}>
                <td>
                  <a href={unitPath(child.id)}>{child.fullName}</a>
                </td>
                <td>{child.code ?? '—'}</td>
                <td>{people}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Thêm đơn vị trực thuộc</h2>
      <form method="post" action={`${unitPath(unit.id)}/don-vi-con`} novalidate>
        <CsrfField shell={shell} />
        <UnitFields unit={{ kind: 'village' }} errors={{}} />
        <button type="submit" class="button">
          Thêm đơn vị
        </button>
      </form>
      <h2>Sửa thông tin đơn vị</h2>
      <form method="post" action={unitPath(unit.id)} novalidate>
        <CsrfField shell={shell} />
        <UnitFields unit={unit} errors={errors} />
        <button type="submit" class="button primary">
          Lưu
        </button>
      </form>
      {unit.parentId && (
        <p>
          <a class="button" href={`${unitPath(unit.id)}/chuyen`}>
            Chuyển sang đơn vị cấp trên khác…
          </a>{' '}
          <a class="button" href={`${unitPath(unit.id)}/sap-nhap`}>
            Sáp nhập với đơn vị cùng cấp…
          </a>
        </p>
      )}
    </Layout>
  );
}

function SearchPage(props: { shell: Shell; query: string; results: PlacedUnit[]; start: Unit | null }) {
  const { shell, query, results, start } = props;
  return (
    <Layout shell={shell} title="Đơn vị">
      <h1>Quản trị</h1>
      <ul class="plain actions">
        <li>
          <a href="/quan-tri/danh-sach">Nhập danh sách người học từ tệp</a>
        </li>
        <li>
          <a href="/quan-tri/giao-hoc">Giao việc học bắt buộc</a>
        </li>
        <li>
          <a href="/quan-tri/chuong-trinh">Chương trình học</a>
        </li>
        <li>
          <a href="/quan-tri/suat-hoc">Suất học có giới hạn</a>
        </li>
        <li>
          <a href="/quan-tri/vai-tro">Vai trò và phạm vi</a>
        </li>
      </ul>
      <h2>Cây đơn vị</h2>
      {start && (
        <p>
          <a class="button primary" href={unitPath(start.id)}>
            Mở {start.fullName}
          </a>
        </p>
      )}
      <form method="get" action="/quan-tri/don-vi" class="search">
        <label for="tim">Tìm đơn vị (có dấu hay không dấu đều được)</label>
        <div class="inline">
          <input id="tim" name="tim" type="search" value={query} />
          <button type="submit">Tìm</button>
        </div>
      </form>
      {query && results.length === 0 && <p class="notice">Không tìm thấy đơn vị nào.</p>}
      {results.length > 0 && (
        <ul>
          {results.map((u) => (
            <li key={u.id}>
              <a href={unitPath(u.id)}>{u.fullName}</a> <span class="meta">{u.ancestors.join(', ')}</span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function MovePage(props: {
  shell: Shell;
  unit: PlacedUnit;
  query: string;
  candidates: PlacedUnit[];
  confirm: { parent: PlacedUnit; units: number; people: number; effectiveOn: string } | null;
  errors?: FieldErrors;
}) {
  const { shell, unit, query, candidates, confirm, errors = {} } = props;
  const action = `${unitPath(unit.id)}/chuyen`;
  return (
    <Layout shell={shell} title={`Chuyển ${unit.fullName}`}>
      <p class="crumbs">
        <a href={unitPath(unit.id)}>{unit.fullName}</a>
      </p>
      <h1>Chuyển {unit.fullName}</h1>
      {confirm ? (
        <form method="post" action={action}>
          <CsrfField shell={shell} />
          <input type="hidden" name="parentId" value={confirm.parent.id} />
          <p>
            Chuyển {unit.fullName} cùng {confirm.units - 1} đơn vị trực thuộc và {confirm.people} người vào{' '}
            <strong>{confirm.parent.fullName}</strong> ({confirm.parent.ancestors.join(', ')})?
          </p>
          <ErrorSummary errors={errors} />
          <div class={errors.effectiveOn ? 'field has-error' : 'field'}>
            <label for="effectiveOn">Ngày hiệu lực</label>
            <p class="hint">
              Báo cáo của những ngày trước đó vẫn tính đơn vị ở vị trí cũ. Không chọn ngày trong tương lai.
            </p>
            {errors.effectiveOn && <p class="error">{errors.effectiveOn}</p>}
            <input id="effectiveOn" name="effectiveOn" type="date" value={confirm.effectiveOn} required />
          </div>
          <button type="submit" name="_action" value="xac-nhan" class="button primary">
            Chuyển
          </button>{' '}
          <a class="button" href={unitPath(unit.id)}>
            Không, quay lại
          </a>
        </form>
      ) : (
        <>
          <form method="get" action={action} class="search">
            <label for="tim">Tìm đơn vị cấp trên mới</label>
            <div class="inline">
              <input id="tim" name="tim" type="search" value={query} />
              <button type="submit">Tìm</button>
            </div>
          </form>
          {candidates.length > 0 && (
            <form method="post" action={action}>
              <CsrfField shell={shell} />
              <fieldset class="choices">
                <legend>Chọn đơn vị cấp trên mới</legend>
                {candidates.map((c) => (
                  <label class="choice" key={c.id}>
                    <input type="radio" name="parentId" value={c.id} /> {c.fullName}{' '}
                    <span class="meta">{c.ancestors.join(', ')}</span>
                  </label>
                ))}
              </fieldset>
              <button type="submit" name="_action" value="xem" class="button">
                Tiếp tục
              </button>
            </form>
          )}
          {query && candidates.length === 0 && (
            <p class="notice">Không có đơn vị phù hợp mà bạn được quản lý.</p>
          )}
        </>
      )}
    </Layout>
  );
}

/** Org tree administration: browse with head counts, search, add, edit and move units. */
export const orgPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const may = (actor: Actor | null, unit: Unit) =>
    orgPolicy(actor, 'unit.manage', { tenantId: unit.tenantId, unitPath: unit.path });

  /** The unit in the URL, once the actor may manage it; a unit of another tenant does not exist here. */
  const managedUnit = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const unit = await ctx.org.placeUnit(request.tenant.id, id);
    if (!unit) throw notFound('Không tìm thấy đơn vị này.');
    authorize(may(actorOf(request), unit));
    return unit;
  };

  const view = async (tenantId: string, unit: PlacedUnit): Promise<UnitView> => {
    const [children, subtree] = await Promise.all([
      ctx.org.children(tenantId, unit.id),
      ctx.org.subtreeUnits(tenantId, unit.path),
    ]);
    const counts = await ctx.identity.memberCountsByUnit(
      tenantId,
      subtree.map((u) => u.id),
    );
    const peopleUnder = (path: string) =>
      subtree.filter((u) => u.path.startsWith(path)).reduce((sum, u) => sum + (counts.get(u.id) ?? 0), 0);
    return {
      unit,
      trail: (await ctx.org.lineage(tenantId, unit)).filter((u) => u.id !== unit.id),
      children: children.map((child) => ({ unit: child, people: peopleUnder(child.path) })),
      people: peopleUnder(unit.path),
    };
  };

  const unitPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    unit: PlacedUnit,
    extra: { error?: unknown; notice?: string } = {},
  ) => {
    const problems = formProblems(extra.error);
    return sendPage(
      reply,
      <UnitPage
        shell={shellOf(ctx, request, reply)}
        view={await view(request.tenant.id, unit)}
        errors={problems.fields}
        message={problems.message}
        notice={extra.notice}
      />,
      extra.error ? 400 : 200,
    );
  };

  const fieldsOf = (request: FastifyRequest) => {
    const form = readForm(request.body);
    const kind = form.kind ?? '';
    if (!isUnitKind(kind)) throw validationFailed({ kind: 'Cấp đơn vị không hợp lệ.' });
    const code = (form.code ?? '').trim();
    return { name: form.name ?? '', typeLabel: form.typeLabel ?? '', kind, code: code === '' ? null : code };
  };

  app.get('/quan-tri/don-vi', { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const root = await ctx.org.rootUnit(request.tenant.id);
    // Where this person may start: the whole tree, or the subtree they manage.
    const scopes = actor.grants.filter((g) =>
      orgPolicy(actor, 'unit.manage', { tenantId: request.tenant.id, unitPath: g.unitPath }),
    );
    authorize(scopes.length > 0);
    const scoped = scopes.find((g) => g.unitPath !== null);
    const start = scopes.some((g) => g.unitPath === null)
      ? (root ?? null)
      : scoped?.unitPath
        ? ((await ctx.org.unit(request.tenant.id, scoped.unitPath.split('/').filter(Boolean).pop() ?? '')) ??
          null)
        : null;
    const query = (readForm(request.query).tim ?? '').slice(0, 100);
    const found = query ? await ctx.org.searchUnits(request.tenant.id, query, 50) : [];
    return sendPage(
      reply,
      <SearchPage
        shell={shellOf(ctx, request, reply)}
        query={query}
        results={found.filter((u) => may(actor, u))}
        start={start}
      />,
    );
  });

  app.get('/quan-tri/don-vi/:id', { config: { access: 'signedIn' } }, async (request, reply) => {
    const unit = await managedUnit(request);
    return unitPage(request, reply, unit, { notice: readForm(request.query).xong ? 'Đã lưu.' : undefined });
  });

  app.post('/quan-tri/don-vi/:id', { config: { access: 'signedIn' } }, async (request, reply) => {
    const unit = await managedUnit(request);
    try {
      await ctx.org.updateUnit(request.tenant.id, unit.id, fieldsOf(request));
    } catch (error) {
      return unitPage(request, reply, unit, { error });
    }
    return reply.redirect(`${unitPath(unit.id)}?xong=1`, 303);
  });

  app.post('/quan-tri/don-vi/:id/don-vi-con', { config: { access: 'signedIn' } }, async (request, reply) => {
    const unit = await managedUnit(request);
    let created: Unit;
    try {
      created = await ctx.org.addUnit(request.tenant.id, unit.id, fieldsOf(request));
    } catch (error) {
      return unitPage(request, reply, unit, { error });
    }
    return reply.redirect(unitPath(created.id), 303);
  });

  app.get('/quan-tri/don-vi/:id/chuyen', { config: { access: 'signedIn' } }, async (request, reply) => {
    const unit = await managedUnit(request);
    const actor = actorOf(request);
    const query = (readForm(request.query).tim ?? '').slice(0, 100);
    const candidates = query
      ? (await ctx.org.searchUnits(request.tenant.id, query, 30)).filter(
          (c) => may(actor, c) && !c.path.startsWith(unit.path) && c.id !== unit.parentId,
        )
      : [];
    return sendPage(
      reply,
      <MovePage
        shell={shellOf(ctx, request, reply)}
        unit={unit}
        query={query}
        candidates={candidates}
        confirm={null}
      />,
    );
  });

  /** First post: a summary to confirm (units and people that move); second post: the move. */
  app.post('/quan-tri/don-vi/:id/chuyen', { config: { access: 'signedIn' } }, async (request, reply) => {
    const unit = await managedUnit(request);
    const form = readForm(request.body);
    const parent = await ctx.org.placeUnit(request.tenant.id, form.parentId ?? '');
    if (!parent)
      throw validationFailed({ parentId: 'Hãy chọn đơn vị cấp trên mới.' }, 'Hãy chọn đơn vị cấp trên mới.');
    authorize(may(actorOf(request), parent));
    if (parent.path.startsWith(unit.path)) {
      throw validationFailed(
        { parentId: 'Không thể chuyển một đơn vị vào chính nó hoặc đơn vị con của nó.' },
        'Không thể chuyển một đơn vị vào chính nó hoặc đơn vị con của nó.',
      );
    }
    const effectiveOn = form.effectiveOn ?? todayInVietnam();
    const confirmPage = async (error?: unknown) => {
      const subtree = await ctx.org.subtreeUnits(request.tenant.id, unit.path);
      const counts = await ctx.identity.memberCountsByUnit(
        request.tenant.id,
        subtree.map((u) => u.id),
      );
      const people = [...counts.values()].reduce((sum, n) => sum + n, 0);
      return sendPage(
        reply,
        <MovePage
          shell={shellOf(ctx, request, reply)}
          unit={unit}
          query=""
          candidates={[]}
          confirm={{ parent, units: subtree.length, people, effectiveOn }}
          errors={formProblems(error).fields}
        />,
        error ? 400 : 200,
      );
    };
    if (form._action !== 'xac-nhan') return confirmPage();
    try {
      await ctx.org.moveUnit(request.tenant.id, unit.id, parent.id, effectiveOn);
    } catch (error) {
      return confirmPage(error);
    }
    const actor = actorOf(request) as Actor;
    await ctx.identity.peopleChanged(request.tenant.id, null);
    await ctx.audit.record(ctx.db, {
      tenantId: request.tenant.id,
      actor,
      action: 'unit.moved',
      subject: { type: 'unit', id: unit.id, label: unit.fullName },
      unitId: unit.id,
      details: { from: unit.ancestors[0] ?? '', to: parent.fullName, effectiveOn },
    });
    return reply.redirect(`${unitPath(unit.id)}?xong=1`, 303);
  });
};
