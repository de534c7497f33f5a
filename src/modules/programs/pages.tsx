import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm, readList } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { toUnit, type Unit } from '../org/service.js';
import { ProgramPage } from './learnerViews.js';
import { programsPolicy, ruleView } from './policy.js';
import { PROGRAMS_PATH, type ProgramForm, ProgramFormPage, ProgramListPage } from './programViews.js';
import type { RuleRow } from './repository.js';
import {
  RULES_PATH,
  type RuleForm,
  RuleFormPage,
  RuleListPage,
  RulePage,
  type RuleSummary,
  rulePath,
} from './ruleViews.js';
import type { ProgramCourseRole } from './tables.js';
import { targetsOf } from './targets.js';

const PAGE = { config: { access: 'signedIn' as const } };
const PEOPLE_PER_PAGE = 50;
/** How far below a scope the unit picker of a rule goes (a province: districts and communes). */
const PICKER_LEVELS = 2;

const number = (text: string | undefined) => (text?.trim() ? Number(text.trim()) : null);

/** Programs, assignment rules and their progress; a program's page for learners. */
export const programPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const tenantOf = (request: FastifyRequest) => ({ tenantId: request.tenant.id, unitPath: null });

  /** Units an actor may assign to: their scopes and a few levels below, as in force today. */
  const assignableUnits = async (request: FastifyRequest): Promise<Unit[]> => {
    const actor = actorOf(request) as Actor;
    const snapshot = await ctx.org.snapshotOn(request.tenant.id, todayInVietnam());
    const root = await ctx.org.rootUnit(request.tenant.id);
    const scopes = actor.grants
      .filter((g) =>
        programsPolicy(actor, 'rule.create', { tenantId: request.tenant.id, unitPath: g.unitPath }),
      )
      .map((g) => g.unitPath ?? root?.path ?? '');
    const units = [...snapshot.units.values()].filter((u) =>
      scopes.some((path) => {
        const depth = path.split('/').filter(Boolean).length - 1;
        return u.path.startsWith(path) && u.depth <= depth + PICKER_LEVELS;
      }),
    );
    return units.sort((a, b) => a.path.localeCompare(b.path)).map(toUnit);
  };

  /** Rules with their counts; a rule seen `within` a subtree counts only the people there. */
  const summaries = async (
    tenantId: string,
    rules: { rule: RuleRow; within: string | null }[],
  ): Promise<RuleSummary[]> => {
    const whole = rules.filter((r) => r.within === null).map((r) => r.rule.id);
    const [counts, units, targets] = await Promise.all([
      Promise.all([
        ctx.programs.ruleCounts(whole),
        ...rules
          .filter((r) => r.within !== null)
          .map((r) => ctx.programs.ruleCounts([r.rule.id], { tenantId, path: r.within as string })),
      ]).then((parts) => parts.flat()),
      ctx.org.unitsByIds(
        tenantId,
        rules.map((r) => r.rule.unitId),
      ),
      targetsOf(
        ctx,
        tenantId,
        rules.map(({ rule: r }) => ({
          targetType: r.programId ? ('program' as const) : ('course' as const),
          targetId: (r.programId ?? r.courseId) as string,
        })),
      ),
    ]);
    return rules.map(({ rule, within }) => {
      const c = counts.find((x) => x.ruleId === rule.id);
      return {
        rule,
        within,
        unit: units.get(rule.unitId),
        target: targets.get((rule.programId ?? rule.courseId) as string),
        people: Number(c?.people ?? 0),
        completed: Number(c?.completed ?? 0),
        overdue: Number(c?.overdue ?? 0),
        exempt: Number(c?.exempt ?? 0),
      };
    });
  };

  /**
   * The rule in the URL and how much of it the actor sees; another tenant's rule does not exist
   * here, and a rule they see nothing of is refused.
   */
  const visibleRule = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const rule = await ctx.programs.rule(request.tenant.id, id);
    const unit = rule && (await ctx.org.unit(request.tenant.id, rule.unitId));
    if (!rule || !unit) throw notFound('Không tìm thấy việc học được giao này.');
    const view = ruleView(actorOf(request), { tenantId: unit.tenantId, unitPath: unit.path });
    authorize(view !== null);
    return { rule, unit, within: view?.within ?? null };
  };

  // Programs

  app.get(PROGRAMS_PATH, PAGE, async (request, reply) => {
    const actor = actorOf(request);
    authorize(programsPolicy(actor, 'program.read', tenantOf(request)));
    return sendPage(
      reply,
      <ProgramListPage
        shell={shellOf(ctx, request, reply)}
        programs={await ctx.programs.programs(request.tenant.id)}
        canCreate={programsPolicy(actor, 'program.manage', tenantOf(request))}
      />,
    );
  });

  const programForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: ProgramForm,
    error?: unknown,
  ) => {
    const problems = formProblems(error);
    return (
      <ProgramFormPage
        shell={shellOf(ctx, request, reply)}
        courses={await ctx.catalog.courses(request.tenant.id)}
        form={form}
        errors={problems.fields}
        message={problems.message}
      />
    );
  };

  app.get(`${PROGRAMS_PATH}/moi`, PAGE, async (request, reply) => {
    authorize(programsPolicy(actorOf(request), 'program.manage', tenantOf(request)));
    const empty = {
      name: '',
      description: '',
      targetBlock: '',
      validityMonths: '24',
      electivesRequired: '0',
      roles: {},
    };
    return sendPage(reply, await programForm(request, reply, empty));
  });

  app.post(`${PROGRAMS_PATH}/moi`, PAGE, async (request, reply) => {
    authorize(programsPolicy(actorOf(request), 'program.manage', tenantOf(request)));
    const fields = readForm(request.body);
    const roles = Object.fromEntries(
      Object.entries(fields).flatMap(([key, value]) =>
        key.startsWith('role-') && value ? [[key.slice(5), value]] : [],
      ),
    );
    const form: ProgramForm = {
      name: fields.name ?? '',
      description: fields.description ?? '',
      targetBlock: fields.targetBlock ?? '',
      validityMonths: fields.validityMonths ?? '',
      electivesRequired: fields.electivesRequired ?? '0',
      roles,
    };
    try {
      const program = await ctx.programs.createProgram(request.tenant.id, {
        name: form.name,
        description: form.description,
        targetBlock: form.targetBlock || null,
        validityMonths: number(form.validityMonths),
        electivesRequired: number(form.electivesRequired) ?? 0,
        courses: Object.entries(roles).map(([courseId, role]) => ({
          courseId,
          role: role as ProgramCourseRole,
        })),
      });
      return reply.redirect(`/chuong-trinh/${program.slug}`, 303);
    } catch (error) {
      return sendPage(reply, await programForm(request, reply, form, error), formProblems(error).status);
    }
  });

  /** A program as a learner reads it; any signed-in person of the tenant. */
  app.get('/chuong-trinh/:program', PAGE, async (request, reply) => {
    const { program: slug } = request.params as { program: string };
    const actor = actorOf(request) as Actor;
    const program = (await ctx.programs.programs(request.tenant.id)).find((p) => p.slug === slug);
    if (!program) throw notFound('Không tìm thấy chương trình này.');
    const ids = program.courses.map((c) => c.courseId);
    const [courses, done] = await Promise.all([
      ctx.catalog.coursesByIds(request.tenant.id, ids),
      ctx.learning.completions(request.tenant.id, ids, [actor.accountId]),
    ]);
    const views = program.courses.flatMap((c) => {
      const course = courses.find((x) => x.id === c.courseId);
      return course ? [{ course, role: c.role, completed: done.some((d) => d.courseId === c.courseId) }] : [];
    });
    return sendPage(
      reply,
      <ProgramPage shell={shellOf(ctx, request, reply)} program={program} courses={views} />,
    );
  });

  // Assignment rules

  app.get(RULES_PATH, PAGE, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    authorize(programsPolicy(actor, 'program.read', tenantOf(request)));
    const rules = await ctx.programs.rules(request.tenant.id);
    const units = await ctx.org.unitsByIds(
      request.tenant.id,
      rules.map((r) => r.unitId),
    );
    const visible = rules.flatMap((rule) => {
      const unit = units.get(rule.unitId);
      const view = unit && ruleView(actor, { tenantId: unit.tenantId, unitPath: unit.path });
      return view ? [{ rule, within: view.within }] : [];
    });
    const canCreate = actor.grants.some((g) =>
      programsPolicy(actor, 'rule.create', { tenantId: request.tenant.id, unitPath: g.unitPath }),
    );
    return sendPage(
      reply,
      <RuleListPage
        shell={shellOf(ctx, request, reply)}
        rules={await summaries(request.tenant.id, visible)}
        canCreate={canCreate}
      />,
    );
  });

  const ruleForm = async (request: FastifyRequest, reply: FastifyReply, form: RuleForm, error?: unknown) => {
    const [programs, courses, units] = await Promise.all([
      ctx.programs.programs(request.tenant.id),
      ctx.catalog.courses(request.tenant.id),
      assignableUnits(request),
    ]);
    authorize(units.length > 0);
    const problems = formProblems(error);
    return (
      <RuleFormPage
        shell={shellOf(ctx, request, reply)}
        targets={[
          ...programs.map((p) => ({ value: `program:${p.id}`, label: `Chương trình: ${p.name}` })),
          ...courses.map((c) => ({ value: `course:${c.id}`, label: `Khóa học: ${c.title}` })),
        ]}
        units={units}
        form={form}
        errors={problems.fields}
        message={problems.message}
      />
    );
  };

  app.get(`${RULES_PATH}/moi`, PAGE, async (request, reply) => {
    const form: RuleForm = {
      target: '',
      unitId: '',
      blocks: [],
      position: '',
      role: '',
      dueKind: 'days',
      dueOn: '',
      dueDays: '30',
    };
    return sendPage(reply, await ruleForm(request, reply, form));
  });

  app.post(`${RULES_PATH}/moi`, PAGE, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    // Whoever may assign somewhere gets this far; the unit chosen is checked below.
    authorize(
      actor.grants.some((g) =>
        programsPolicy(actor, 'rule.create', { tenantId: request.tenant.id, unitPath: g.unitPath }),
      ),
    );
    const fields = readForm(request.body);
    const form: RuleForm = {
      target: fields.target ?? '',
      unitId: fields.unitId ?? '',
      blocks: readList(request.body, 'blocks'),
      position: fields.position ?? '',
      role: fields.role ?? '',
      dueKind: fields.dueKind === 'date' ? 'date' : 'days',
      dueOn: fields.dueOn ?? '',
      dueDays: fields.dueDays ?? '',
    };
    const unit = await ctx.org.unit(request.tenant.id, form.unitId);
    authorize(
      unit === undefined ||
        programsPolicy(actor, 'rule.create', { tenantId: unit.tenantId, unitPath: unit.path }),
    );
    const [kind, targetId] = form.target.split(':');
    try {
      const rule = await ctx.programs.createRule(actor, request.tenant.id, {
        programId: kind === 'program' ? targetId : null,
        courseId: kind === 'course' ? targetId : null,
        unitId: form.unitId,
        blocks: form.blocks,
        position: form.position || null,
        role: form.role || null,
        dueOn: form.dueKind === 'date' ? form.dueOn : null,
        dueDays: form.dueKind === 'days' ? number(form.dueDays) : null,
      });
      return reply.redirect(rulePath(rule.id), 303);
    } catch (error) {
      return sendPage(reply, await ruleForm(request, reply, form, error), formProblems(error).status);
    }
  });

  app.get(`${RULES_PATH}/:id`, PAGE, async (request, reply) => {
    const { rule, unit, within } = await visibleRule(request);
    const query = readForm(request.query);
    const asked = Number.parseInt(query.trang ?? '1', 10);
    const page = Number.isSafeInteger(asked) && asked > 0 ? asked : 1;
    const [summary] = await summaries(request.tenant.id, [{ rule, within }]);
    const assignments = await ctx.programs.ruleAssignments(
      rule,
      page,
      PEOPLE_PER_PAGE,
      within === null ? undefined : { tenantId: request.tenant.id, path: within },
    );
    const people = await Promise.all(
      assignments.map(async (assignment) => {
        const account = await ctx.identity.account(request.tenant.id, assignment.accountId);
        const home = account?.homeUnitId
          ? await ctx.org.unit(request.tenant.id, account.homeUnitId)
          : undefined;
        return { assignment, name: account?.fullName ?? '', unit: home?.fullName ?? '—' };
      }),
    );
    const nudged = query['da-nhac'];
    return sendPage(
      reply,
      <RulePage
        shell={shellOf(ctx, request, reply)}
        summary={summary as RuleSummary}
        people={people}
        page={page}
        more={assignments.length === PEOPLE_PER_PAGE}
        canAct={
          within === null &&
          programsPolicy(actorOf(request), 'assignment.exempt', {
            tenantId: unit.tenantId,
            unitPath: unit.path,
          })
        }
        notice={nudged ? `Đã gửi lời nhắc tới ${nudged} người.` : query.xong ? 'Đã lưu.' : undefined}
      />,
    );
  });

  app.post(`${RULES_PATH}/:id/mien/:assignmentId`, PAGE, async (request, reply) => {
    const { rule, unit } = await visibleRule(request);
    const actor = actorOf(request) as Actor;
    authorize(programsPolicy(actor, 'assignment.exempt', { tenantId: unit.tenantId, unitPath: unit.path }));
    const { assignmentId } = request.params as { assignmentId: string };
    if (!assignmentId.startsWith(`${rule.id}:`)) throw notFound('Không tìm thấy việc được giao này.');
    await ctx.programs.exempt(actor, request.tenant.id, assignmentId, readForm(request.body).reason ?? '');
    return reply.redirect(`${rulePath(rule.id)}?xong=1`, 303);
  });
};
