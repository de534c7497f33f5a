import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../errors.js';
import { storeImage } from '../../files/uploads.js';
import { cleanText, foldForSearch } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { formProblems } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { acceptUploads, uploadedFile } from '../../web/uploads.js';
import { bankImports } from './bankImportPages.js';
import { type Bank, type BankQuestion, QuestionBankService } from './bankService.js';
import {
  BANKS,
  type BankFilters,
  BankPage,
  BanksPage,
  bankPath,
  QuestionPage,
  questionPath,
} from './bankViews.js';
import { questionsXlsx, questionTemplateXlsx } from './formats/xlsx.js';
import { describeChanges } from './importQuestions.js';
import { assessmentPolicy } from './policy.js';
import { DIFFICULTIES } from './questionDraft.js';
import {
  draftOfForm,
  EMPTY_FORM,
  formOf,
  formOfDraft,
  one,
  type QuestionForm,
  readQuestionForm,
} from './questionForm.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PAGE = { config: { access: 'signedIn' as const } };

/** Question banks for content managers: import from files with a preview, browse, and edit questions. */
export const bankPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  await acceptUploads(app);
  const banks = new QuestionBankService(ctx.db);

  // Every route here is for content managers of the tenant: decided once for all of them, and
  // before any upload is read (the global hooks have resolved the tenant and session by then).
  app.addHook('onRequest', async (request) => {
    authorize(assessmentPolicy(actorOf(request), 'bank.manage', { tenantId: request.tenant.id }));
  });
  const bankOf = async (request: FastifyRequest): Promise<Bank> => {
    const { bankId } = request.params as { bankId: string };
    const bank = await banks.bank(request.tenant.id, bankId);
    if (!bank) throw notFound('Không tìm thấy ngân hàng câu hỏi này.');
    return bank;
  };
  const questionOf = async (request: FastifyRequest, bank: Bank): Promise<BankQuestion | null> => {
    const { questionId } = request.params as { questionId?: string };
    if (questionId === undefined) return null;
    const question = await banks.question(request.tenant.id, questionId);
    if (!question || question.bankId !== bank.id) throw notFound('Không tìm thấy câu hỏi này.');
    return question;
  };

  const banksPage = async (request: FastifyRequest, reply: FastifyReply, error?: unknown) => {
    const problems = formProblems(error);
    return sendPage(
      reply,
      <BanksPage
        shell={shellOf(ctx, request, reply)}
        banks={await banks.banks(request.tenant.id)}
        chosenBankId={one((request.query as Record<string, unknown>).nganHang)}
        errors={problems.fields}
        message={problems.message}
      />,
      problems.status,
    );
  };

  const questionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    bank: Bank,
    question: BankQuestion | null,
    extra: { form?: QuestionForm; error?: unknown; notice?: string } = {},
  ) => {
    const problems = formProblems(extra.error);
    return sendPage(
      reply,
      <QuestionPage
        shell={shellOf(ctx, request, reply)}
        bank={bank}
        question={question}
        history={question ? await banks.history(question.id) : []}
        form={extra.form ?? (question ? formOfDraft(question.draft, question.imageFile) : EMPTY_FORM)}
        errors={problems.fields}
        message={problems.message}
        notice={extra.notice}
      />,
      problems.status,
    );
  };

  app.get(BANKS, PAGE, (request, reply) => banksPage(request, reply));

  app.post(BANKS, PAGE, async (request, reply) => {
    try {
      const bank = await banks.ensureBank(request.tenant.id, one(formOf(request).name));
      return reply.redirect(bankPath(bank.id), 303);
    } catch (error) {
      return banksPage(request, reply, error);
    }
  });

  app.get(`${BANKS}/mau-cau-hoi.xlsx`, PAGE, async (_request, reply) =>
    reply
      .header('content-type', XLSX_TYPE)
      .header('content-disposition', 'attachment; filename="mau-cau-hoi.xlsx"')
      .send(await questionTemplateXlsx()),
  );

  const imports = bankImports(ctx, banksPage);
  app.post(`${BANKS}/nhap`, PAGE, imports.previewUpload);
  app.post(`${BANKS}/nhap/xac-nhan`, PAGE, imports.confirmUpload);

  app.get(`${BANKS}/:bankId`, PAGE, async (request, reply) => {
    const bank = await bankOf(request);
    const q = request.query as Record<string, unknown>;
    const filters: BankFilters = {
      query: one(q.tim).slice(0, 100),
      tag: cleanText(one(q.the)).slice(0, 100),
      difficulty: (DIFFICULTIES as readonly string[]).includes(one(q['do-kho'])) ? one(q['do-kho']) : '',
    };
    const page = Number.parseInt(one(q.trang), 10);
    const listing = await banks.questions(request.tenant.id, bank.id, {
      ...filters,
      page: Number.isSafeInteger(page) ? page : 1,
    });
    const counts = ['moi', 'cap-nhat', 'khong-doi'].map((name) => one(q[name]));
    const [created, updated, unchanged] = counts.map(Number) as [number, number, number];
    const notice = counts.every((count) => /^\d{1,6}$/.test(count))
      ? `Đã nhập: ${describeChanges({ created, updated, unchanged })}.`
      : undefined;
    return sendPage(
      reply,
      <BankPage
        shell={shellOf(ctx, request, reply)}
        bank={bank}
        filters={filters}
        listing={listing}
        notice={notice}
      />,
    );
  });

  app.get(`${BANKS}/:bankId/tai-ve.xlsx`, PAGE, async (request, reply) => {
    const bank = await bankOf(request);
    const questions = await banks.pool(request.tenant.id, bank.id, null, null);
    const ascii = foldForSearch(bank.name).replaceAll(' ', '-') || 'ngan-hang';
    return reply
      .header('content-type', XLSX_TYPE)
      .header(
        'content-disposition',
        `attachment; filename="${ascii}.xlsx"; filename*=UTF-8''${encodeURIComponent(bank.name)}.xlsx`,
      )
      .send(await questionsXlsx(questions.map((q) => q.draft)));
  });

  const showQuestion = async (request: FastifyRequest, reply: FastifyReply) => {
    const bank = await bankOf(request);
    const question = await questionOf(request, bank);
    const saved = one((request.query as Record<string, unknown>).xong) !== '';
    return questionPage(request, reply, bank, question, {
      notice: saved && question ? `Đã lưu câu hỏi (phiên bản ${question.version}).` : undefined,
    });
  };

  const saveQuestion = async (request: FastifyRequest, reply: FastifyReply) => {
    const bank = await bankOf(request);
    const question = await questionOf(request, bank);
    const body = formOf(request);
    const form = readQuestionForm(body, (name) => ctx.files.get(name) !== null);
    try {
      const image = uploadedFile(request.body, 'image');
      if (image && image.bytes.length > 0) form.imageFile = await storeImage(ctx.files, image.bytes, 'image');
      if (one(body._action) === 'doi-loai') return questionPage(request, reply, bank, question, { form });
      const { draft, imageFile } = draftOfForm(form);
      const saved = await banks.saveQuestion(
        request.tenant.id,
        bank.id,
        question?.id ?? null,
        draft,
        imageFile,
      );
      return reply.redirect(`${questionPath(bank.id, saved.id)}?xong=1`, 303);
    } catch (error) {
      return questionPage(request, reply, bank, question, { form, error });
    }
  };

  app.get(`${BANKS}/:bankId/cau-hoi/moi`, PAGE, showQuestion);
  app.post(`${BANKS}/:bankId/cau-hoi/moi`, PAGE, saveQuestion);
  app.get(`${BANKS}/:bankId/cau-hoi/:questionId`, PAGE, showQuestion);
  app.post(`${BANKS}/:bankId/cau-hoi/:questionId`, PAGE, saveQuestion);
};
