import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isFrameworkElementCode } from '../../content/frameworks.js';
import { AppError, type FieldErrors, notFound, validationFailed } from '../../errors.js';
import { storeImage } from '../../files/uploads.js';
import { cleanText, foldForSearch } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { vietnamTime } from '../../web/format.js';
import { ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { acceptUploads, uploadedFile } from '../../web/uploads.js';
import { type Form, list } from '../catalog/authoringForms.js';
import { FieldError, FrameworkSelect } from '../catalog/authoringViews.js';
import { type Bank, type BankQuestion, QuestionBankService } from './bankService.js';
import { questionTemplateXlsx, writeQuestionsXlsx } from './formats/xlsx.js';
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
  QUESTION_FORMATS,
  type QuestionFormat,
} from './importQuestions.js';
import { assessmentPolicy } from './policy.js';
import {
  DIFFICULTIES,
  DIFFICULTY_LABELS,
  type Difficulty,
  type ImportProblem,
  MAX_OPTIONS,
  MAX_PROMPT_LENGTH,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
  type QuestionBody,
  type QuestionDraft,
  type QuestionKind,
  questionProblems,
} from './questionDraft.js';

const BANKS = '/soan-bai/ngan-hang';
const bankPath = (bankId: string) => `${BANKS}/${bankId}`;
const questionPath = (bankId: string, questionId: string | null) =>
  `${bankPath(bankId)}/cau-hoi/${questionId ?? 'moi'}`;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Names of previewed uploads: random, so a name can neither be guessed nor point elsewhere. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;
const PREVIEW_ROWS = 20;
const ROWS = Array.from({ length: MAX_OPTIONS }, (_, i) => i);
const LETTERS = ROWS.map((i) => String.fromCharCode(65 + i));
const STORED_IMAGE = /^[0-9a-f]{64}-w\d+\.webp$/;

const one = (value: unknown) => (typeof value === 'string' ? value : '');
const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
/** Keys derived from content (bankService's `keyOf`) mean nothing to an author, so they are not shown. */
const shownKey = (key: string) => (/^h-[0-9a-f]{20}$/.test(key) ? '—' : key);
const shorten = (text: string, length = 80) => (text.length > length ? `${text.slice(0, length)}…` : text);

function errorsOf(error: unknown): { fields: FieldErrors; message: string; status: number } {
  if (error instanceof AppError && error.status < 500)
    return { fields: error.fields, message: error.message, status: error.status };
  throw error;
}

// ---------------------------------------------------------------------------------------------
// The question form, as typed: kept raw so a refused form comes back exactly as it was sent.

interface QuestionForm {
  kind: QuestionKind;
  prompt: string;
  situation: string;
  explanation: string;
  difficulty: string;
  tags: string;
  frameworks: string[];
  /** Options of a choice question, or the items of an ordering question in their right order. */
  texts: string[];
  /** Indexes of the options marked right. */
  correct: number[];
  pairs: { left: string; right: string }[];
  truth: '' | 'dung' | 'sai';
  answer: string;
  tolerance: string;
  imageFile: string | null;
  alt: string;
}

const decimalText = (value: number) => String(value).replace('.', ',');

function formOfDraft(draft: QuestionDraft, imageFile: string | null): QuestionForm {
  const body = draft.body;
  const choice = body.kind === 'single' || body.kind === 'multiple';
  return {
    kind: body.kind,
    prompt: draft.prompt,
    situation: draft.situation ?? '',
    explanation: draft.explanation,
    difficulty: draft.difficulty ?? '',
    tags: draft.tags.join(', '),
    frameworks: draft.frameworks,
    texts: choice ? body.options.map((o) => o.text) : body.kind === 'ordering' ? body.items : [],
    correct: choice ? body.options.flatMap((o, index) => (o.correct ? [index] : [])) : [],
    pairs: body.kind === 'matching' ? body.pairs : [],
    truth: body.kind === 'trueFalse' ? (body.answer ? 'dung' : 'sai') : '',
    answer: body.kind === 'numeric' ? decimalText(body.answer) : '',
    tolerance: body.kind === 'numeric' ? decimalText(body.tolerance) : '',
    imageFile,
    alt: draft.image?.alt ?? '',
  };
}

const EMPTY_FORM: QuestionForm = {
  kind: 'single',
  prompt: '',
  situation: '',
  explanation: '',
  difficulty: '',
  tags: '',
  frameworks: [],
  texts: [],
  correct: [],
  pairs: [],
  truth: '',
  answer: '',
  tolerance: '',
  imageFile: null,
  alt: '',
};

/** The posted form; the stored image it names is kept only if it really is a stored picture. */
function readQuestionForm(body: Form, imageExists: (name: string) => boolean): QuestionForm {
  const text = (name: string) => one(body[name]);
  const kind = text('kind');
  const truth = text('truth');
  const imageFile = text('imageFile');
  return {
    kind: (QUESTION_KINDS as readonly string[]).includes(kind) ? (kind as QuestionKind) : 'single',
    prompt: text('prompt'),
    situation: text('situation'),
    explanation: text('explanation'),
    difficulty: text('difficulty'),
    tags: text('tags'),
    frameworks: list(body, 'frameworks'),
    texts: ROWS.map((i) => text(`option${i + 1}`)),
    correct: list(body, 'correct')
      .map((value) => Number(value) - 1)
      .filter((index) => ROWS.includes(index)),
    pairs: ROWS.map((i) => ({ left: text(`left${i + 1}`), right: text(`right${i + 1}`) })),
    truth: truth === 'dung' || truth === 'sai' ? truth : '',
    answer: text('answer'),
    tolerance: text('tolerance'),
    imageFile:
      text('removeImage') !== '1' && STORED_IMAGE.test(imageFile) && imageExists(imageFile)
        ? imageFile
        : null,
    alt: text('alt'),
  };
}

/** A number as people type it: "3,5" or "3.5"; thousands separators are refused as ambiguous. */
function decimalOf(raw: string): number | null {
  const compact = raw.replace(/\s+/g, '');
  if (!/^[+-]?\d+(?:[.,]\d+)?$/.test(compact)) return null;
  return Number(compact.replace(',', '.'));
}

/** Where the problems of each kind's answer rows are shown. */
const ROWS_FIELD: Record<QuestionKind, string> = {
  single: 'options',
  multiple: 'options',
  trueFalse: 'truth',
  matching: 'pairs',
  ordering: 'items',
  numeric: 'answer',
};

function bodyOf(form: QuestionForm, errors: FieldErrors): QuestionBody {
  switch (form.kind) {
    case 'single':
    case 'multiple': {
      const rows = form.texts.map((text, index) => ({
        text: cleanText(text),
        correct: form.correct.includes(index),
      }));
      if (rows.some((row) => row.text === '' && row.correct))
        errors.options = 'Có phương án được đánh dấu đúng nhưng để trống.';
      return { kind: form.kind, options: rows.filter((row) => row.text !== '') };
    }
    case 'trueFalse':
      if (form.truth === '') errors.truth = 'Hãy chọn đáp án Đúng hoặc Sai.';
      return { kind: 'trueFalse', answer: form.truth === 'dung' };
    case 'matching':
      return {
        kind: 'matching',
        pairs: form.pairs
          .map((pair) => ({ left: cleanText(pair.left), right: cleanText(pair.right) }))
          .filter((pair) => pair.left !== '' || pair.right !== ''),
      };
    case 'ordering':
      return { kind: 'ordering', items: form.texts.map(cleanText).filter((item) => item !== '') };
    case 'numeric': {
      const answer = decimalOf(form.answer);
      const tolerance = form.tolerance.trim() === '' ? 0 : decimalOf(form.tolerance);
      if (answer === null) errors.answer = 'Đáp số phải là một số, ví dụ 1500 hoặc 3,5.';
      if (tolerance === null) errors.tolerance = 'Sai số phải là một số không âm, ví dụ 0,5.';
      // Zeros stand in for what could not be read: those problems are already reported.
      return { kind: 'numeric', answer: answer ?? 0, tolerance: tolerance ?? 0 };
    }
  }
}

/** The draft a form describes, or every problem of the form at once, each next to its field. */
function draftOfForm(form: QuestionForm): { draft: QuestionDraft; imageFile: string | null } {
  const rowErrors: FieldErrors = {};
  const body = bodyOf(form, rowErrors);
  const difficulty = form.difficulty === '' ? null : form.difficulty;
  const alt = cleanText(form.alt);
  const draft: QuestionDraft = {
    key: null,
    prompt: cleanText(form.prompt),
    situation: cleanText(form.situation) || null,
    explanation: cleanText(form.explanation),
    difficulty: difficulty as Difficulty | null,
    tags: [...new Set(form.tags.split(',').map(cleanText))].filter((tag) => tag !== ''),
    frameworks: form.frameworks.filter(isFrameworkElementCode),
    body,
    ...(form.imageFile ? { image: { src: form.imageFile, alt } } : {}),
  };
  // A true/false body has no checks of its own: what remains are the prompt's problems.
  const promptProblems = questionProblems({ ...draft, body: { kind: 'trueFalse', answer: true } });
  const bodyProblems = questionProblems(draft).filter((problem) => !promptProblems.includes(problem));
  const rows = ROWS_FIELD[form.kind];
  const rowProblems = [rowErrors[rows], ...bodyProblems].filter(Boolean);
  if (rowProblems.length > 0) rowErrors[rows] = rowProblems.join(' ');
  // In the order of the form, so the summary at the top reads from top to bottom.
  const errors: FieldErrors = {};
  if (promptProblems.length > 0) errors.prompt = promptProblems.join(' ');
  Object.assign(errors, rowErrors);
  if (draft.explanation === '') errors.explanation = 'Hãy viết lời giải thích cho đáp án.';
  if (difficulty !== null && !(DIFFICULTIES as readonly string[]).includes(difficulty))
    errors.difficulty = 'Hãy chọn độ khó trong danh sách.';
  const unknown = form.frameworks.filter((code) => !isFrameworkElementCode(code));
  if (unknown.length > 0) errors.frameworks = `Mã khung năng lực không có: ${unknown.join(', ')}.`;
  if (form.imageFile && alt === '') errors.alt = 'Ảnh cần có mô tả cho người dùng trình đọc màn hình.';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return { draft, imageFile: form.imageFile };
}

// ---------------------------------------------------------------------------------------------
// Views

function Crumbs({ bank }: { bank?: Bank }) {
  return (
    <p class="crumbs">
      <a href="/soan-bai">Soạn bài</a> › <a href={BANKS}>Ngân hàng câu hỏi</a>
      {bank && (
        <>
          {' '}
          › <a href={bankPath(bank.id)}>{bank.name}</a>
        </>
      )}
    </p>
  );
}

function Notice({ text }: { text?: string }) {
  return text ? (
    <p class="notice ok" role="status">
      {text}
    </p>
  ) : null;
}

function BanksPage(props: {
  shell: Shell;
  banks: Bank[];
  chosenBankId: string;
  errors: FieldErrors;
  message?: string;
}) {
  const { shell, banks, chosenBankId, errors, message } = props;
  return (
    <Layout shell={shell} title="Ngân hàng câu hỏi">
      <p class="crumbs">
        <a href="/soan-bai">Soạn bài</a>
      </p>
      <h1>Ngân hàng câu hỏi</h1>
      <ErrorSummary errors={errors} message={message} />
      {banks.length === 0 ? (
        <p class="notice">
          Chưa có ngân hàng câu hỏi nào. Hãy tạo một ngân hàng, hoặc nhập câu hỏi từ tệp ở bên dưới.
        </p>
      ) : (
        <table class="data">
          <caption>Các ngân hàng câu hỏi của đơn vị</caption>
          <thead>
            <tr>
              <th scope="col">Ngân hàng</th>
              <th scope="col">Số câu hỏi</th>
            </tr>
          </thead>
          <tbody>
            {banks.map((bank) => (
              <tr key={bank.id}>
                <td>
                  <a href={bankPath(bank.id)}>{bank.name}</a>
                </td>
                <td>{bank.questionCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="tao-moi">Tạo ngân hàng mới</h2>
      <form method="post" action={BANKS} novalidate>
        <CsrfField shell={shell} />
        <Field name="name" label="Tên ngân hàng" hint="Ví dụ: An toàn trên mạng" errors={errors} />
        <button type="submit" class="button">
          Tạo ngân hàng
        </button>
      </form>

      <h2 id="nhap">Nhập câu hỏi từ tệp</h2>
      <p class="hint">
        Tệp Excel (.xlsx) theo <a href={`${BANKS}/mau-cau-hoi.xlsx`}>tệp mẫu</a> (có trang hướng dẫn cách
        điền), hoặc tệp GIFT hay Aiken của Moodle (.txt, mã hóa UTF-8), tối đa 20 MB. Bạn sẽ được xem trước
        trước khi nhập. Nếu tệp có lỗi thì không câu nào được nhập, và mọi lỗi được liệt kê kèm số dòng để
        sửa.
      </p>
      <form method="post" action={`${BANKS}/nhap`} enctype="multipart/form-data" class="upload" novalidate>
        <CsrfField shell={shell} />
        <div class={errors.file ? 'field has-error' : 'field'}>
          <label for="file">Tệp câu hỏi</label>
          <FieldError errors={errors} name="file" />
          <input id="file" name="file" type="file" accept=".xlsx,.txt,.gift" />
        </div>
        <div class={errors.bank ? 'field has-error' : 'field'}>
          <label for="bank">Nhập vào ngân hàng</label>
          <FieldError errors={errors} name="bank" />
          <select id="bank" name="bank">
            <option value="">— ngân hàng mới (nhập tên bên dưới) —</option>
            {banks.map((bank) => (
              <option key={bank.id} value={bank.name} selected={bank.id === chosenBankId}>
                {bank.name} ({bank.questionCount} câu)
              </option>
            ))}
          </select>
        </div>
        <Field name="newBank" label="Hoặc tên ngân hàng mới" errors={errors} />
        <div class={errors.format ? 'field has-error' : 'field'}>
          <label for="format">Định dạng</label>
          <FieldError errors={errors} name="format" />
          <select id="format" name="format">
            <option value="">Tự nhận biết</option>
            {QUESTION_FORMATS.map((format) => (
              <option key={format} value={format}>
                {QUESTION_FORMAT_LABELS[format]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button primary">
          Tải lên và xem trước
        </button>
      </form>
    </Layout>
  );
}

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

interface BankFilters {
  query: string;
  tag: string;
  difficulty: string;
}

function BankPage(props: {
  shell: Shell;
  bank: Bank;
  filters: BankFilters;
  listing: Awaited<ReturnType<QuestionBankService['questions']>>;
  notice?: string;
}) {
  const { shell, bank, filters, listing, notice } = props;
  const filtered = filters.query !== '' || filters.tag !== '' || filters.difficulty !== '';
  const pageLink = (page: number) => {
    const query = new URLSearchParams({ tim: filters.query, the: filters.tag, 'do-kho': filters.difficulty });
    for (const [name, value] of [...query]) if (value === '') query.delete(name);
    query.set('trang', String(page));
    return `${bankPath(bank.id)}?${query}`;
  };
  return (
    <Layout shell={shell} title={`Ngân hàng: ${bank.name}`}>
      <Crumbs />
      <h1>{bank.name}</h1>
      <p class="meta">{bank.questionCount} câu hỏi</p>
      <Notice text={notice} />
      <p class="actions">
        <a class="button primary" href={questionPath(bank.id, null)}>
          Thêm câu hỏi
        </a>{' '}
        <a class="button" href={`${BANKS}?nganHang=${bank.id}#nhap`}>
          Nhập câu hỏi từ tệp
        </a>{' '}
        <a class="button" href={`${bankPath(bank.id)}/tai-ve.xlsx`}>
          Tải về (.xlsx)
        </a>
      </p>
      <form method="get" action={bankPath(bank.id)} class="filters">
        <div class="field">
          <label for="tim">Tìm trong câu hỏi</label>
          <input id="tim" name="tim" type="search" value={filters.query} />
        </div>
        <div class="field">
          <label for="the">Thẻ</label>
          <input id="the" name="the" value={filters.tag} />
        </div>
        <div class="field">
          <label for="do-kho">Độ khó</label>
          <select id="do-kho" name="do-kho">
            <option value="">Mọi độ khó</option>
            {DIFFICULTIES.map((d) => (
              <option key={d} value={d} selected={filters.difficulty === d}>
                {DIFFICULTY_LABELS[d]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button">
          Lọc
        </button>
      </form>
      {listing.questions.length === 0 ? (
        <p class="notice">
          {filtered ? (
            <>
              Không có câu hỏi nào khớp bộ lọc. <a href={bankPath(bank.id)}>Xem tất cả câu hỏi</a>
            </>
          ) : (
            'Ngân hàng chưa có câu hỏi nào. Hãy thêm câu hỏi, hoặc nhập câu hỏi từ tệp.'
          )}
        </p>
      ) : (
        <table class="data">
          <caption>
            {filtered ? `${listing.total} câu hỏi khớp bộ lọc` : `${listing.total} câu hỏi`}
            {listing.pages > 1 ? ` · trang ${listing.page}/${listing.pages}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Mã</th>
              <th scope="col">Câu hỏi</th>
              <th scope="col">Loại</th>
              <th scope="col">Độ khó</th>
              <th scope="col">Thẻ</th>
              <th scope="col">Phiên bản</th>
            </tr>
          </thead>
          <tbody>
            {listing.questions.map((q) => (
              <tr key={q.id}>
                <td>{shownKey(q.key)}</td>
                <td>
                  <a href={questionPath(bank.id, q.id)}>{shorten(q.draft.prompt, 120)}</a>
                </td>
                <td>{QUESTION_KIND_LABELS[q.draft.body.kind]}</td>
                <td>{q.draft.difficulty ? DIFFICULTY_LABELS[q.draft.difficulty] : '—'}</td>
                <td>{q.draft.tags.join(', ')}</td>
                <td>{q.version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {listing.pages > 1 && (
        <nav class="pager" aria-label="Các trang câu hỏi">
          {listing.page > 1 && (
            <a class="pager-link" rel="prev" href={pageLink(listing.page - 1)}>
              ← Trang trước
            </a>
          )}
          {listing.page < listing.pages && (
            <a class="pager-link" rel="next" href={pageLink(listing.page + 1)}>
              Trang sau →
            </a>
          )}
        </nav>
      )}
    </Layout>
  );
}

function TextRow(props: { name: string; label: string; value: string; describedBy?: string }) {
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <input id={props.name} name={props.name} value={props.value} aria-describedby={props.describedBy} />
    </div>
  );
}

/** The answer rows of the form's kind; a change of kind re-renders them (no JavaScript needed). */
function KindRows({ form, errors }: { form: QuestionForm; errors: FieldErrors }) {
  const field = ROWS_FIELD[form.kind];
  const groupClass = errors[field] ? 'has-error' : undefined;
  switch (form.kind) {
    case 'single':
    case 'multiple':
      return (
        <fieldset id="options" class={groupClass}>
          <legend>
            Phương án (từ 2 đến {MAX_OPTIONS}; đánh dấu{' '}
            {form.kind === 'single' ? 'một phương án đúng' : 'mọi phương án đúng'})
          </legend>
          <FieldError errors={errors} name="options" />
          {ROWS.map((i) => (
            <div class="field" key={i}>
              <label for={`option${i + 1}`}>Phương án {LETTERS[i]}</label>
              <input id={`option${i + 1}`} name={`option${i + 1}`} value={form.texts[i] ?? ''} />
              <label class="choice">
                <input
                  type={form.kind === 'single' ? 'radio' : 'checkbox'}
                  name="correct"
                  value={String(i + 1)}
                  checked={form.correct.includes(i)}
                  aria-label={`Phương án ${LETTERS[i]} là đáp án đúng`}
                />{' '}
                đúng
              </label>
            </div>
          ))}
        </fieldset>
      );
    case 'trueFalse':
      return (
        <fieldset id="truth" class={groupClass}>
          <legend>Đáp án</legend>
          <FieldError errors={errors} name="truth" />
          <label class="choice">
            <input type="radio" name="truth" value="dung" checked={form.truth === 'dung'} /> Đúng
          </label>
          <label class="choice">
            <input type="radio" name="truth" value="sai" checked={form.truth === 'sai'} /> Sai
          </label>
        </fieldset>
      );
    case 'matching':
      return (
        <fieldset id="pairs" class={groupClass}>
          <legend>Các cặp ghép nối (từ 2 đến {MAX_OPTIONS}; học viên thấy vế phải bị xáo trộn)</legend>
          <FieldError errors={errors} name="pairs" />
          {ROWS.map((i) => (
            <div class="pair" key={i}>
              <TextRow name={`left${i + 1}`} label={`Vế trái ${i + 1}`} value={form.pairs[i]?.left ?? ''} />
              <TextRow name={`right${i + 1}`} label={`Vế phải ${i + 1}`} value={form.pairs[i]?.right ?? ''} />
            </div>
          ))}
        </fieldset>
      );
    case 'ordering':
      return (
        <fieldset id="items" class={groupClass}>
          <legend>Các mục theo ĐÚNG thứ tự (từ 2 đến {MAX_OPTIONS}; học viên thấy chúng bị xáo trộn)</legend>
          <FieldError errors={errors} name="items" />
          {ROWS.map((i) => (
            <TextRow key={i} name={`option${i + 1}`} label={`Mục ${i + 1}`} value={form.texts[i] ?? ''} />
          ))}
        </fieldset>
      );
    case 'numeric':
      return (
        <>
          <Field
            name="answer"
            label="Đáp số"
            hint="Ví dụ 1500 hoặc 3,5"
            value={form.answer}
            errors={errors}
          />
          <Field
            name="tolerance"
            label="Sai số cho phép"
            hint="Câu trả lời lệch khỏi đáp số không quá mức này vẫn được tính đúng; để trống là phải đúng chính xác."
            value={form.tolerance}
            errors={errors}
          />
        </>
      );
  }
}

function TextArea(props: {
  name: string;
  label: string;
  value: string;
  errors: FieldErrors;
  rows: number;
  hint?: string;
}) {
  const { name, label, value, errors, rows, hint } = props;
  return (
    <div class={errors[name] ? 'field has-error' : 'field'}>
      <label for={name}>{label}</label>
      {hint && (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      )}
      <FieldError errors={errors} name={name} />
      <textarea id={name} name={name} rows={rows} aria-describedby={hint ? `${name}-hint` : undefined}>
        {value}
      </textarea>
    </div>
  );
}

function QuestionPage(props: {
  shell: Shell;
  bank: Bank;
  question: BankQuestion | null;
  history: { number: number; draft: QuestionDraft; createdAt: string }[];
  form: QuestionForm;
  errors: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const { shell, bank, question, history, form, errors, message, notice } = props;
  const title = question ? `Sửa câu hỏi (phiên bản ${question.version})` : 'Thêm câu hỏi';
  return (
    <Layout shell={shell} title={title}>
      <Crumbs bank={bank} />
      <h1>{title}</h1>
      {question && (
        <p class="meta">
          Mã {shownKey(question.key)} · lưu lần cuối {vietnamTime(question.updatedAt)}. Mỗi lần lưu tạo một
          phiên bản mới; bài kiểm tra đã xuất bản vẫn giữ câu hỏi như lúc xuất bản.
        </p>
      )}
      <Notice text={notice} />
      <ErrorSummary errors={errors} message={message} />
      <form
        method="post"
        action={questionPath(bank.id, question?.id ?? null)}
        enctype="multipart/form-data"
        novalidate
      >
        {/* Enter in a text box presses the form's first button: that must save, not change the kind. */}
        <button type="submit" name="_action" value="luu" hidden tabIndex={-1}>
          Lưu câu hỏi
        </button>
        <CsrfField shell={shell} />
        <div class={errors.kind ? 'field has-error' : 'field'}>
          <label for="kind">Loại câu hỏi</label>
          <p class="hint" id="kind-hint">
            Chọn loại rồi bấm "Đổi loại" để hiện các ô đáp án phù hợp; nội dung đã gõ được giữ lại.
          </p>
          <FieldError errors={errors} name="kind" />
          <select id="kind" name="kind" aria-describedby="kind-hint">
            {QUESTION_KINDS.map((kind) => (
              <option key={kind} value={kind} selected={form.kind === kind}>
                {QUESTION_KIND_LABELS[kind]}
              </option>
            ))}
          </select>{' '}
          <button type="submit" name="_action" value="doi-loai" class="button small">
            Đổi loại
          </button>
        </div>
        <TextArea
          name="situation"
          label="Tình huống (không bắt buộc)"
          hint="Một tình huống đời thường ngắn, hiện phía trên câu hỏi."
          value={form.situation}
          errors={errors}
          rows={3}
        />
        <TextArea
          name="prompt"
          label="Câu hỏi"
          hint={`Tối đa ${MAX_PROMPT_LENGTH.toLocaleString('vi-VN')} ký tự.`}
          value={form.prompt}
          errors={errors}
          rows={3}
        />
        <KindRows form={form} errors={errors} />
        <TextArea
          name="explanation"
          label="Giải thích"
          hint="Hiện cho học viên sau khi trả lời: vì sao đáp án đúng."
          value={form.explanation}
          errors={errors}
          rows={3}
        />
        <div class={errors.difficulty ? 'field has-error' : 'field'}>
          <label for="difficulty">Độ khó</label>
          <FieldError errors={errors} name="difficulty" />
          <select id="difficulty" name="difficulty">
            <option value="">— chưa xếp —</option>
            {DIFFICULTIES.map((d) => (
              <option key={d} value={d} selected={form.difficulty === d}>
                {DIFFICULTY_LABELS[d]}
              </option>
            ))}
          </select>
        </div>
        <Field
          name="tags"
          label="Thẻ"
          hint='Cách nhau bằng dấu phẩy, ví dụ "lừa đảo, OTP".'
          value={form.tags}
          errors={errors}
        />
        <FrameworkSelect selected={form.frameworks} errors={errors} />
        <fieldset id="image">
          <legend>Ảnh minh họa (không bắt buộc)</legend>
          <FieldError errors={errors} name="image" />
          {form.imageFile && (
            <>
              <img class="question-image" src={`/tep/${form.imageFile}`} alt={form.alt} />
              <input type="hidden" name="imageFile" value={form.imageFile} />
              <label class="choice">
                <input type="checkbox" name="removeImage" value="1" /> Bỏ ảnh này
              </label>
            </>
          )}
          <div class="field">
            <label for="image-file">
              {form.imageFile ? 'Thay bằng ảnh khác' : 'Ảnh'} (JPEG, PNG, WebP; tối đa 10 MB)
            </label>
            <input id="image-file" name="image" type="file" accept="image/*" />
          </div>
          <Field name="alt" label="Mô tả ảnh (bắt buộc khi có ảnh)" value={form.alt} errors={errors} />
        </fieldset>
        <button type="submit" name="_action" value="luu" class="button primary">
          Lưu câu hỏi
        </button>
      </form>
      {history.length > 0 && (
        <section aria-labelledby="lich-su">
          <h2 id="lich-su">Các phiên bản</h2>
          <ol class="plain">
            {history.slice(0, 10).map((version) => (
              <li key={version.number}>
                Phiên bản {version.number} · {vietnamTime(version.createdAt)} ·{' '}
                {shorten(version.draft.prompt)}
              </li>
            ))}
          </ol>
        </section>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

async function xlsxBytes(questions: QuestionDraft[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await writeQuestionsXlsx(
    questions,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
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

const PAGE = { config: { access: 'signedIn' as const } };

/** Question banks for content managers: import from files with a preview, browse, and edit questions. */
export const bankPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  await acceptUploads(app);
  const banks = new QuestionBankService(ctx.db);
  // Each tenant's previewed uploads wait in a folder of their own until confirmed.
  const uploadsOf = (tenantId: string) => path.join(ctx.config.dataDir, 'uploads', tenantId);

  const manager = (request: FastifyRequest) =>
    authorize(assessmentPolicy(actorOf(request), 'bank.manage', { tenantId: request.tenant.id }));
  const bankOf = async (request: FastifyRequest): Promise<Bank> => {
    manager(request);
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
    const problems = error ? errorsOf(error) : { fields: {}, message: undefined, status: 200 };
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

  const questionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    bank: Bank,
    question: BankQuestion | null,
    extra: { form?: QuestionForm; error?: unknown; notice?: string } = {},
  ) => {
    const problems = extra.error ? errorsOf(extra.error) : { fields: {}, message: undefined, status: 200 };
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

  app.get(BANKS, PAGE, async (request, reply) => {
    manager(request);
    return banksPage(request, reply);
  });

  app.post(BANKS, PAGE, async (request, reply) => {
    manager(request);
    try {
      const bank = await banks.ensureBank(request.tenant.id, one(formOf(request).name));
      return reply.redirect(bankPath(bank.id), 303);
    } catch (error) {
      return banksPage(request, reply, error);
    }
  });

  app.get(`${BANKS}/mau-cau-hoi.xlsx`, PAGE, async (request, reply) => {
    manager(request);
    return reply
      .header('content-type', XLSX_TYPE)
      .header('content-disposition', 'attachment; filename="mau-cau-hoi.xlsx"')
      .send(await questionTemplateXlsx());
  });

  app.post(`${BANKS}/nhap`, PAGE, async (request, reply) => {
    manager(request);
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
  });

  app.post(`${BANKS}/nhap/xac-nhan`, PAGE, async (request, reply) => {
    manager(request);
    const form = formOf(request);
    const id = one(form.id);
    const format = one(form.format);
    const filename = one(form.filename);
    if (!UPLOAD_ID.test(id)) throw validationFailed({ id: 'Mã tệp tải lên không hợp lệ.' });
    if (!isQuestionFormat(format)) throw validationFailed({ format: 'Định dạng tệp không hợp lệ.' });
    // Renaming claims the upload, so a confirmation sent twice imports it once.
    const file = path.join(uploadsOf(request.tenant.id), id);
    const claimed = `${file}.${randomBytes(8).toString('hex')}`;
    try {
      await rename(file, claimed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw notFound('Tệp tải lên đã được nhập hoặc đã hết hạn; hãy tải tệp lên lại.');
    }
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
  });

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
      .send(await xlsxBytes(questions.map((q) => q.draft)));
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
