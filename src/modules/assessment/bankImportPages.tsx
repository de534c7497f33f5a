/**
 * Importing a question file from the bank pages, in two steps: the upload is read and previewed,
 * then waits on disk until the author confirms it, and only then is it stored.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FieldErrors, validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { claimUpload, uploadedFile, uploadsFolder } from '../../web/uploads.js';
import { QuestionBankService } from './bankService.js';
import { BANKS, bankPath, Crumbs, shorten } from './bankViews.js';
import {
  describeChanges,
  describeProblem,
  detectQuestionFormat,
  type ImportChanges,
  importQuestionFile,
  isQuestionFormat,
  parseQuestionFile,
  previewImport,
  QUESTION_FORMAT_LABELS,
  type QuestionFormat,
} from './importQuestions.js';
import {
  type ImportProblem,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
  type QuestionDraft,
} from './questionDraft.js';
import { formOf, one } from './questionForm.js';

/** Names of previewed uploads: random, so a name can neither be guessed nor point elsewhere. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;
const PREVIEW_ROWS = 20;

function ProblemsPage({
  shell,
  filename,
  problems,
}: {
  shell: Shell;
  filename: string;
  problems: ImportProblem[];
}) {
  return (
    <Layout shell={shell} title="Chưa nhập được câu hỏi">
      <Crumbs />
      <h1>Chưa nhập câu hỏi nào</h1>
      <div class="error-summary" role="alert" tabIndex={-1}>
        <h2>
          Tệp "{filename}" có {problems.length} lỗi nên không câu hỏi nào được nhập.
        </h2>
        <ul>
          {problems.map((problem) => (
            <li key={`${problem.line}:${problem.message}`}>{describeProblem(problem)}</li>
          ))}
        </ul>
      </div>
      <p>
        Hãy sửa các lỗi trên trong tệp rồi <a href={`${BANKS}#nhap`}>tải lên lại</a>.
      </p>
    </Layout>
  );
}

interface PendingUpload {
  id: string;
  filename: string;
  bankName: string;
  format: QuestionFormat;
}

function PreviewPage(props: {
  shell: Shell;
  upload: PendingUpload;
  bankExists: boolean;
  questions: QuestionDraft[];
  changes: ImportChanges;
}) {
  const { shell, upload, bankExists, questions, changes } = props;
  const perKind = QUESTION_KINDS.map((kind) => ({
    kind,
    count: questions.filter((q) => q.body.kind === kind).length,
  })).filter((row) => row.count > 0);
  return (
    <Layout shell={shell} title="Xem trước khi nhập câu hỏi">
      <Crumbs />
      <h1>Xem trước khi nhập</h1>
      <p>
        Tệp <strong>{upload.filename}</strong> ({QUESTION_FORMAT_LABELS[upload.format]}) có {questions.length}{' '}
        câu hỏi, sẽ nhập vào ngân hàng <strong>{upload.bankName}</strong>
        {bankExists ? '' : ' (ngân hàng mới, sẽ được tạo)'}.
      </p>
      <p class="notice">So với ngân hàng hiện có: {describeChanges(changes)}.</p>
      <h2>Theo loại câu hỏi</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Loại</th>
            <th scope="col">Số câu</th>
          </tr>
        </thead>
        <tbody>
          {perKind.map((row) => (
            <tr key={row.kind}>
              <td>{QUESTION_KIND_LABELS[row.kind]}</td>
              <td>{row.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{questions.length > PREVIEW_ROWS ? `${PREVIEW_ROWS} câu hỏi đầu tiên` : 'Các câu hỏi'}</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Số</th>
            <th scope="col">Câu hỏi</th>
            <th scope="col">Loại</th>
            <th scope="col">Thẻ</th>
          </tr>
        </thead>
        <tbody>
          {questions.slice(0, PREVIEW_ROWS).map((question, index) => (
            <tr key={`${index}:${question.prompt}`}>
              <td>{index + 1}</td>
              <td>{shorten(question.prompt, 160)}</td>
              <td>{QUESTION_KIND_LABELS[question.body.kind]}</td>
              <td>{question.tags.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={`${BANKS}/nhap/xac-nhan`}>
        <CsrfField shell={shell} />
        <input type="hidden" name="id" value={upload.id} />
        <input type="hidden" name="filename" value={upload.filename} />
        <input type="hidden" name="bank" value={upload.bankName} />
        <input type="hidden" name="format" value={upload.format} />
        <button type="submit" class="button primary">
          Nhập {questions.length} câu hỏi
        </button>{' '}
        <a class="button" href={BANKS}>
          Hủy
        </a>
      </form>
    </Layout>
  );
}

/** Previewed uploads not confirmed within a day are dropped when the next one arrives. */
async function dropStaleUploads(dir: string): Promise<void> {
  const cutoff = Date.now() - STALE_UPLOAD_MS;
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(file, { force: true });
  }
}

/**
 * The handlers of the two steps. A form that names no file or no bank goes back to the bank
 * list, where the upload form is: `banksPage` shows it again with the form's problems.
 */
export function bankImports(
  ctx: AppContext,
  banksPage: (request: FastifyRequest, reply: FastifyReply, error: unknown) => Promise<FastifyReply>,
) {
  const banks = new QuestionBankService(ctx.db);
  // Each tenant's previewed uploads wait in a folder of their own until confirmed.
  const uploadsOf = (tenantId: string) => uploadsFolder(ctx.config.dataDir, tenantId);
  const problemsPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    filename: string,
    problems: ImportProblem[],
  ) =>
    sendPage(
      reply,
      <ProblemsPage shell={shellOf(ctx, request, reply)} filename={filename} problems={problems} />,
      400,
    );

  const previewUpload = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = formOf(request);
    const file = uploadedFile(request.body, 'file');
    const bankName = cleanText(one(form.newBank)) || cleanText(one(form.bank));
    const chosen = one(form.format);
    const errors: FieldErrors = {};
    if (!file || file.bytes.length === 0) errors.file = 'Hãy chọn tệp câu hỏi.';
    if (bankName === '') errors.bank = 'Hãy chọn một ngân hàng, hoặc nhập tên ngân hàng mới.';
    if (chosen !== '' && !isQuestionFormat(chosen)) errors.format = 'Hãy chọn định dạng trong danh sách.';
    if (!file || Object.keys(errors).length > 0) return banksPage(request, reply, validationFailed(errors));

    const filename = cleanText(file.filename).slice(0, 200) || 'cau-hoi';
    const choice = isQuestionFormat(chosen) ? chosen : undefined;
    const parsed = await parseQuestionFile(filename, file.bytes, choice);
    if (!parsed.ok) return problemsPage(request, reply, filename, parsed.problems);
    const preview = await previewImport(ctx.db, request.tenant.id, bankName, parsed.questions);
    if (!preview.ok) return problemsPage(request, reply, filename, preview.problems);

    const dir = uploadsOf(request.tenant.id);
    await mkdir(dir, { recursive: true });
    await dropStaleUploads(dir);
    const id = randomBytes(16).toString('hex');
    await writeFile(path.join(dir, id), file.bytes);
    const upload: PendingUpload = {
      id,
      filename,
      bankName,
      // The file was read, so its format is known: chosen, or recognised.
      format: choice ?? (detectQuestionFormat(filename, file.bytes) as QuestionFormat),
    };
    return sendPage(
      reply,
      <PreviewPage
        shell={shellOf(ctx, request, reply)}
        upload={upload}
        bankExists={(await banks.banks(request.tenant.id)).some((b) => b.name === bankName)}
        questions={parsed.questions}
        changes={preview.changes}
      />,
    );
  };

  const confirmUpload = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = formOf(request);
    const id = one(form.id);
    const format = one(form.format);
    const filename = one(form.filename);
    if (!UPLOAD_ID.test(id)) throw validationFailed({ id: 'Mã tệp tải lên không hợp lệ.' });
    if (!isQuestionFormat(format)) throw validationFailed({ format: 'Định dạng tệp không hợp lệ.' });
    const file = path.join(uploadsOf(request.tenant.id), id);
    const claimed = await claimUpload(file);
    try {
      const outcome = await importQuestionFile(
        ctx,
        request.tenant.id,
        one(form.bank),
        filename,
        await readFile(claimed),
        format,
      );
      if (!outcome.ok) return problemsPage(request, reply, filename, outcome.problems);
      const { bankId, created, updated, unchanged } = outcome.counts;
      const counts = new URLSearchParams({
        moi: `${created}`,
        'cap-nhat': `${updated}`,
        'khong-doi': `${unchanged}`,
      });
      return reply.redirect(`${bankPath(bankId)}?${counts}`, 303);
    } finally {
      await rm(claimed, { force: true });
    }
  };

  return { previewUpload, confirmUpload };
}
