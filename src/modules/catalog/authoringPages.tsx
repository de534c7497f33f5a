import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { notFound, validationFailed } from '../../errors.js';
import { storeCaptions, storeImage, storePdf, storeVideo } from '../../files/uploads.js';
import { cleanText, foldForSearch } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { formProblems } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { acceptUploads, uploadedFile } from '../../web/uploads.js';
import { QuestionBankService } from '../assessment/bankService.js';
import { type AuthoredCourse, AuthoringService } from './authoring.js';
import {
  courseFieldsFromForm,
  type Form,
  lessonFieldsFromForm,
  list,
  quizSettingsFromForm,
  slugFromForm,
} from './authoringForms.js';
import {
  ConfirmPage,
  EditorPage,
  HomePage,
  LessonEditorPage,
  PublishPage,
  StartEditingPage,
} from './authoringScreens.js';
import { authoringPath, lessonEditorPath } from './authoringViews.js';
import { fileUrl } from './draftVersions.js';
import { exportCoursePackage, publishedView, sendHandout } from './exportCourse.js';
import { renderLessonMarkdown } from './lessonMarkdown.js';
import { zipCoursePackage } from './packageArchive.js';
import { catalogPolicy } from './policy.js';

const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

/** How many bank questions the lesson editor lists to pick from at most. */
const PICKER_SIZE = 200;

const one = (value: unknown) => (typeof value === 'string' ? value : '');

/** Course authoring for content managers: drafts, lessons, quizzes, uploads and publishing. */
export const authoringPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  await acceptUploads(app);
  const authoring = new AuthoringService(ctx.db);
  const banks = new QuestionBankService(ctx.db);

  const author = (request: FastifyRequest): Actor => {
    const actor = actorOf(request) as Actor;
    authorize(catalogPolicy(actor, 'course.author', { status: 'draft', tenantId: request.tenant.id }));
    return actor;
  };
  /** The course in the URL, within the author's tenant. */
  const courseOf = async (request: FastifyRequest) => {
    author(request);
    const { id } = request.params as { id: string };
    const course = await authoring.course(request.tenant.id, id);
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    return course;
  };
  /** The draft lesson in the URL. Only a change (a POST) makes the draft; pages need one to exist. */
  const lessonOf = async (request: FastifyRequest) => {
    const course = await courseOf(request);
    const { lessonId } = request.params as { lessonId: string };
    const draft =
      request.method === 'GET'
        ? await authoring.existingDraft(request.tenant.id, course.id)
        : await authoring.draft(request.tenant.id, course.id);
    if (!draft) throw notFound('Khóa học chưa có bản nháp: hãy bấm "Sửa khóa học" trước.');
    const lesson = draft.modules.flatMap((m) => m.lessons).find((l) => l.id === lessonId);
    if (!lesson) throw notFound('Không tìm thấy bài học này trong bản nháp.');
    return { course, draft, lesson };
  };

  const home = async (request: FastifyRequest, reply: FastifyReply, form: Form = {}, error?: unknown) => {
    const problems = formProblems(error);
    return sendPage(
      reply,
      <HomePage
        shell={shellOf(ctx, request, reply)}
        courses={await authoring.courses(request.tenant.id)}
        form={{
          slug: one(form.slug),
          title: one(form.title),
          summary: one(form.summary),
          topic: one(form.topic) as never,
          blocks: list(form, 'blocks') as never,
        }}
        errors={problems.fields}
        message={problems.message}
      />,
      error ? 400 : 200,
    );
  };

  const editor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    course: AuthoredCourse,
    extra: { error?: unknown; notice?: string } = {},
  ) => {
    const problems = formProblems(extra.error);
    const draft = await authoring.draft(request.tenant.id, course.id);
    return sendPage(
      reply,
      <EditorPage
        shell={shellOf(ctx, request, reply)}
        course={course}
        draft={draft}
        errors={problems.fields}
        message={problems.message}
        notice={extra.notice}
      />,
      extra.error ? 400 : 200,
    );
  };

  const lessonEditor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: unknown; notice?: string; uploaded?: string } = {},
  ) => {
    const { draft, lesson } = await lessonOf(request);
    const problems = formProblems(extra.error);
    const source = lesson.quiz?.settings.source;
    const query = request.query as Record<string, unknown>;
    const picked = one(query.nganHang);
    const bankId = picked || (source && 'bankId' in source ? source.bankId : '');
    const allBanks = await banks.banks(request.tenant.id);
    const search = foldForSearch(one(query.timCau));
    const chosen = new Set(
      source && 'bankId' in source && source.bankId === bankId ? (source.questionIds ?? []) : [],
    );
    const pool = allBanks.some((b) => b.id === bankId)
      ? await banks.pool(request.tenant.id, bankId, null, null)
      : [];
    // Chosen questions are always listed (unlisted boxes would be dropped on saving); the rest
    // are filtered by the words typed and capped, so a bank of thousands stays one page.
    const listed = pool
      .filter(
        (q) =>
          chosen.has(q.id) ||
          foldForSearch(`${q.draft.prompt} ${q.draft.tags.join(' ')} ${q.key}`).includes(search),
      )
      .slice(0, Math.max(PICKER_SIZE, chosen.size));
    const bankQuestions = listed.map((q) => ({
      id: q.id,
      key: q.key,
      prompt: q.draft.prompt,
      kind: q.draft.body.kind,
      tags: q.draft.tags,
    }));
    return sendPage(
      reply,
      <LessonEditorPage
        shell={shellOf(ctx, request, reply)}
        draft={draft}
        lesson={lesson}
        bankId={bankId}
        banks={allBanks}
        bankQuestions={bankQuestions}
        picker={{ search: one(query.timCau), listed: bankQuestions.length, total: pool.length }}
        errors={problems.fields}
        message={problems.message}
        notice={extra.notice}
        uploaded={extra.uploaded}
      />,
      extra.error ? 400 : 200,
    );
  };

  /** Runs a change; a refusal re-renders the page with its messages, success redirects (POST-redirect-GET). */
  const attempt = async (
    work: () => Promise<unknown>,
    onError: (error: unknown) => Promise<FastifyReply>,
  ) => {
    try {
      await work();
      return null;
    } catch (error) {
      return onError(error);
    }
  };

  app.get('/soan-bai', { config: { access: 'signedIn' } }, async (request, reply) => {
    author(request);
    return home(request, reply);
  });

  app.post('/soan-bai/khoa-hoc', { config: { access: 'signedIn' } }, async (request, reply) => {
    author(request);
    const form = formOf(request);
    let courseId = '';
    const failed = await attempt(
      async () => {
        const slug = slugFromForm(form);
        const fields = courseFieldsFromForm(form);
        courseId = await authoring.createCourse(request.tenant.id, slug, fields);
      },
      (error) => home(request, reply, form, error),
    );
    return failed ?? reply.redirect(authoringPath(courseId), 303);
  });

  app.get('/soan-bai/khoa-hoc/:id', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    const query = request.query as Record<string, unknown>;
    const published = Number.parseInt(one(query.xuatBan), 10);
    const notice =
      published > 0 ? `Đã xuất bản phiên bản số ${published}.` : one(query.xong) ? 'Đã lưu.' : undefined;
    if (!course.draftId) {
      const view = await publishedView(ctx, request.tenant.id, course.id);
      return sendPage(
        reply,
        <StartEditingPage
          shell={shellOf(ctx, request, reply)}
          course={course}
          published={view}
          notice={notice}
        />,
      );
    }
    return editor(request, reply, course, { notice });
  });

  app.post('/soan-bai/khoa-hoc/:id/ban-nhap', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    await authoring.draftId(request.tenant.id, course.id);
    return reply.redirect(authoringPath(course.id), 303);
  });

  app.post('/soan-bai/khoa-hoc/:id', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    const draft = await authoring.draft(request.tenant.id, course.id);
    const failed = await attempt(
      () =>
        authoring.updateCourse(
          request.tenant.id,
          course.id,
          courseFieldsFromForm(formOf(request), draft.fields),
        ),
      (error) => editor(request, reply, course, { error }),
    );
    return failed ?? reply.redirect(`${authoringPath(course.id)}?xong=1`, 303);
  });

  app.post('/soan-bai/khoa-hoc/:id/anh-bia', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    const draft = await authoring.draft(request.tenant.id, course.id);
    const failed = await attempt(
      async () => {
        const file = uploadedFile(request.body, 'cover');
        const alt = cleanText(one(formOf(request).coverAlt));
        if (!file) throw validationFailed({ cover: 'Hãy chọn một ảnh.' });
        if (alt === '') throw validationFailed({ coverAlt: 'Ảnh bìa cần có mô tả.' });
        const name = await storeImage(ctx.files, file.bytes, 'cover');
        await authoring.updateCourse(request.tenant.id, course.id, {
          ...draft.fields,
          coverFile: name,
          coverAlt: alt,
        });
      },
      (error) => editor(request, reply, course, { error }),
    );
    return failed ?? reply.redirect(`${authoringPath(course.id)}?xong=1`, 303);
  });

  app.post('/soan-bai/khoa-hoc/:id/phan', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    const title = cleanText(one(formOf(request).title));
    if (title === '')
      return editor(request, reply, course, { error: validationFailed({ title: 'Hãy nhập tên phần.' }) });
    await authoring.addModule(request.tenant.id, course.id, title);
    return reply.redirect(authoringPath(course.id), 303);
  });

  app.post(
    '/soan-bai/khoa-hoc/:id/phan/:moduleId',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const course = await courseOf(request);
      const { moduleId } = request.params as { moduleId: string };
      const form = formOf(request);
      const action = one(form._action);
      const failed = await attempt(
        async () => {
          if (action === 'len' || action === 'xuong') {
            await authoring.moveModule(request.tenant.id, course.id, moduleId, action === 'len' ? -1 : 1);
          } else if (action === 'doi-ten') {
            const title = cleanText(one(form.title));
            if (title === '') throw validationFailed({ title: 'Hãy nhập tên phần.' });
            await authoring.renameModule(request.tenant.id, course.id, moduleId, title);
          } else if (action === 'xoa') await authoring.deleteModule(request.tenant.id, course.id, moduleId);
          else throw validationFailed({ _action: 'Thao tác không hợp lệ.' });
        },
        (error) => editor(request, reply, course, { error }),
      );
      return failed ?? reply.redirect(authoringPath(course.id), 303);
    },
  );

  app.post('/soan-bai/khoa-hoc/:id/bai', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    const form = formOf(request);
    let lessonId = '';
    const failed = await attempt(
      async () => {
        const slug = slugFromForm(form);
        const title = cleanText(one(form.title));
        if (title.length < 3) throw validationFailed({ title: 'Tên bài cần ít nhất 3 ký tự.' });
        lessonId = await authoring.addLesson(request.tenant.id, course.id, one(form.moduleId), slug, title);
      },
      (error) => editor(request, reply, course, { error }),
    );
    return failed ?? reply.redirect(lessonEditorPath(course.id, lessonId), 303);
  });

  /** Drag and drop: the whole new order as JSON (authoring.js); the buttons are the no-JS way. */
  app.post('/soan-bai/khoa-hoc/:id/thu-tu', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    const body = request.body as { order?: unknown };
    const order = Array.isArray(body?.order) ? body.order : [];
    const items = order.filter(
      (o): o is { lessonId: string; moduleId: string } =>
        typeof o === 'object' &&
        o !== null &&
        typeof o.lessonId === 'string' &&
        typeof o.moduleId === 'string',
    );
    if (items.length !== order.length) throw validationFailed({ order: 'Thứ tự gửi lên không hợp lệ.' });
    await authoring.reorderLessons(request.tenant.id, course.id, items);
    return reply.status(204).send();
  });

  app.post(
    '/soan-bai/khoa-hoc/:id/kiem-tra-cuoi-khoa',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const course = await courseOf(request);
      const failed = await attempt(
        () =>
          authoring.setFinalTest(request.tenant.id, course.id, quizSettingsFromForm(formOf(request), true)),
        (error) => editor(request, reply, course, { error }),
      );
      return failed ?? reply.redirect(`${authoringPath(course.id)}?xong=1#cuoi-khoa`, 303);
    },
  );

  app.get(
    '/soan-bai/khoa-hoc/:id/bai/:lessonId',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const done = one((request.query as Record<string, unknown>).xong);
      return lessonEditor(request, reply, { notice: done ? 'Đã lưu.' : undefined });
    },
  );

  app.post(
    '/soan-bai/khoa-hoc/:id/bai/:lessonId',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const { course, lesson } = await lessonOf(request);
      const failed = await attempt(
        () =>
          authoring.updateLesson(
            request.tenant.id,
            course.id,
            lesson.id,
            lessonFieldsFromForm(formOf(request), lesson.fields),
          ),
        (error) => lessonEditor(request, reply, { error }),
      );
      return failed ?? reply.redirect(`${lessonEditorPath(course.id, lesson.id)}?xong=1`, 303);
    },
  );

  app.post(
    '/soan-bai/khoa-hoc/:id/bai/:lessonId/vi-tri',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const { course, lesson } = await lessonOf(request);
      const action = one(formOf(request)._action);
      if (action !== 'len' && action !== 'xuong')
        throw validationFailed({ _action: 'Thao tác không hợp lệ.' });
      await authoring.moveLesson(request.tenant.id, course.id, lesson.id, action === 'len' ? -1 : 1);
      return reply.redirect(authoringPath(course.id), 303);
    },
  );

  app.get(
    '/soan-bai/khoa-hoc/:id/bai/:lessonId/xoa',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const { course, lesson } = await lessonOf(request);
      const base = lessonEditorPath(course.id, lesson.id);
      return sendPage(
        reply,
        <ConfirmPage
          shell={shellOf(ctx, request, reply)}
          title={`Xóa bài "${lesson.title}"?`}
          text="Bài bị xóa khỏi bản nháp. Phiên bản đã xuất bản và kết quả của học viên không bị ảnh hưởng."
          action={`${base}/xoa`}
          back={base}
          label="Xóa bài"
        />,
      );
    },
  );

  app.post(
    '/soan-bai/khoa-hoc/:id/bai/:lessonId/xoa',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const { course, lesson } = await lessonOf(request);
      await authoring.deleteLesson(request.tenant.id, course.id, lesson.id);
      return reply.redirect(authoringPath(course.id), 303);
    },
  );

  app.post(
    '/soan-bai/khoa-hoc/:id/bai/:lessonId/kiem-tra',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const { course, lesson } = await lessonOf(request);
      const form = formOf(request);
      if (one(form._action) === 'bo') {
        await authoring.removeQuiz(request.tenant.id, course.id, lesson.id);
        return reply.redirect(
          lesson.kind === 'final' ? authoringPath(course.id) : lessonEditorPath(course.id, lesson.id),
          303,
        );
      }
      const failed = await attempt(
        async () => {
          const settings = quizSettingsFromForm(form, false);
          const source = settings.source;
          if (source && 'bankId' in source && !(await banks.bank(request.tenant.id, source.bankId))) {
            throw validationFailed({ bankId: 'Không tìm thấy ngân hàng câu hỏi này.' });
          }
          if (source && 'bankId' in source && source.questionIds) {
            const known = new Set(
              (await banks.pool(request.tenant.id, source.bankId, null, null)).map((q) => q.id),
            );
            if (source.questionIds.some((id) => !known.has(id))) {
              throw validationFailed({ questionIds: 'Có câu hỏi không thuộc ngân hàng đã chọn.' });
            }
          }
          await authoring.setQuiz(request.tenant.id, course.id, lesson.id, settings);
        },
        (error) => lessonEditor(request, reply, { error }),
      );
      return failed ?? reply.redirect(`${lessonEditorPath(course.id, lesson.id)}?xong=1#kiem-tra`, 303);
    },
  );

  app.post(
    '/soan-bai/khoa-hoc/:id/bai/:lessonId/tep',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const { course, lesson } = await lessonOf(request);
      const form = formOf(request);
      const kind = one(form.kind);
      let uploaded: string | undefined;
      const failed = await attempt(
        async () => {
          const file = uploadedFile(request.body, 'file');
          if (!file) throw validationFailed({ file: 'Hãy chọn một tệp.' });
          const f = { ...lesson.fields };
          if (kind === 'image') {
            const alt = cleanText(one(form.alt));
            if (alt === '')
              throw validationFailed({ alt: 'Ảnh cần có mô tả cho người dùng trình đọc màn hình.' });
            uploaded = `![${alt}](${fileUrl(await storeImage(ctx.files, file.bytes, 'file'))})`;
            return;
          }
          if (kind === 'video') f.videoFile = fileUrl(storeVideo(ctx.files, file.bytes, 'file'));
          else if (kind === 'videoLow') f.videoLowFile = fileUrl(storeVideo(ctx.files, file.bytes, 'file'));
          else if (kind === 'captions')
            f.videoCaptions = fileUrl(storeCaptions(ctx.files, file.bytes, 'file'));
          else if (kind === 'attachment') {
            const title = cleanText(one(form.title)) || file.filename.replace(/\.pdf$/i, '');
            f.attachments = [
              ...f.attachments,
              { title, file: fileUrl(storePdf(ctx.files, file.bytes, 'file')) },
            ];
          } else throw validationFailed({ kind: 'Loại tệp không hợp lệ.' });
          if ((kind === 'video' || kind === 'videoLow') && !f.videoTitle) f.videoTitle = lesson.title;
          await authoring.updateLesson(request.tenant.id, course.id, lesson.id, f);
        },
        (error) => lessonEditor(request, reply, { error }),
      );
      if (failed) return failed;
      if (uploaded) return lessonEditor(request, reply, { uploaded });
      return reply.redirect(`${lessonEditorPath(course.id, lesson.id)}?xong=1`, 303);
    },
  );

  app.get('/soan-bai/khoa-hoc/:id/xuat-ban', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    if (!course.draftId) return reply.redirect(authoringPath(course.id), 303);
    const [draft, check] = await Promise.all([
      authoring.draft(request.tenant.id, course.id),
      authoring.publishCheck(request.tenant.id, course.id),
    ]);
    return sendPage(
      reply,
      <PublishPage
        shell={shellOf(ctx, request, reply)}
        draft={draft}
        changes={check.changes}
        problems={check.problems}
      />,
    );
  });

  app.post('/soan-bai/khoa-hoc/:id/xuat-ban', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    const actor = author(request);
    const number = await authoring.publish(request.tenant.id, course.id, actor.accountId);
    return reply.redirect(`${authoringPath(course.id)}?xuatBan=${number}`, 303);
  });

  app.post('/soan-bai/khoa-hoc/:id/luu-tru', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    await authoring.setArchived(request.tenant.id, course.id, one(formOf(request)._action) !== 'hien');
    return reply.redirect(authoringPath(course.id), 303);
  });

  app.get('/soan-bai/khoa-hoc/:id/bo-nhap', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    return sendPage(
      reply,
      <ConfirmPage
        shell={shellOf(ctx, request, reply)}
        title="Bỏ bản nháp?"
        text="Mọi thay đổi chưa xuất bản sẽ mất; phiên bản đang dùng giữ nguyên."
        action={`${authoringPath(course.id)}/bo-nhap`}
        back={authoringPath(course.id)}
        label="Bỏ bản nháp"
      />,
    );
  });

  app.post('/soan-bai/khoa-hoc/:id/bo-nhap', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    await authoring.discardDraft(request.tenant.id, course.id);
    return reply.redirect('/soan-bai', 303);
  });

  app.get('/soan-bai/khoa-hoc/:id/goi.zip', { config: { access: 'signedIn' } }, async (request, reply) => {
    const course = await courseOf(request);
    const pkg = await exportCoursePackage(ctx, request.tenant.id, course.id);
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${course.slug}.zip"`)
      .send(Buffer.from(zipCoursePackage(pkg)));
  });

  app.get(
    '/soan-bai/khoa-hoc/:id/tai-lieu.pdf',
    { config: { access: 'signedIn' } },
    async (request, reply) => {
      const course = await courseOf(request);
      const view = await publishedView(ctx, request.tenant.id, course.id);
      return sendHandout(ctx, reply, view, request.tenant.name, `Phiên bản ${course.publishedNumber}`);
    },
  );

  app.post('/api/authoring/preview', { config: { access: 'signedIn' } }, async (request) => {
    author(request);
    const markdown = one((request.body as Record<string, unknown> | undefined)?.markdown);
    if (markdown.length > 100_000) throw validationFailed({ markdown: 'Nội dung quá dài.' });
    return { html: renderLessonMarkdown(markdown, (src) => src) };
  });
};
