/** The pages of the question banks: the list of banks, one bank's questions, and the question form. */
import type { FieldErrors } from '../../errors.js';
import { vietnamTime } from '../../web/format.js';
import { ChoiceSelect, ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import { FieldError, FrameworkSelect } from '../catalog/authoringViews.js';
import type { Bank, BankQuestion, QuestionBankService } from './bankService.js';
import { QUESTION_FORMAT_LABELS, QUESTION_FORMATS } from './importQuestions.js';
import {
  DIFFICULTIES,
  DIFFICULTY_LABELS,
  MAX_OPTIONS,
  MAX_PROMPT_LENGTH,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
  type QuestionDraft,
} from './questionDraft.js';
import { type QuestionForm, ROWS, ROWS_FIELD } from './questionForm.js';

export const BANKS = '/soan-bai/ngan-hang';
export const bankPath = (bankId: string) => `${BANKS}/${bankId}`;
export const questionPath = (bankId: string, questionId: string | null) =>
  `${bankPath(bankId)}/cau-hoi/${questionId ?? 'moi'}`;

const LETTERS = ROWS.map((i) => String.fromCharCode(65 + i));

/** The author's own key; keys derived from content (bankService's `keyOf`) mean nothing to them. */
const authorKey = (key: string) => (/^h-[0-9a-f]{20}$/.test(key) ? null : key);
export const shorten = (text: string, length = 80) =>
  text.length > length ? `${text.slice(0, length)}…` : text;

export function Crumbs({ bank }: { bank?: Bank }) {
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

export function BanksPage(props: {
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

export interface BankFilters {
  query: string;
  tag: string;
  difficulty: string;
}

export function BankPage(props: {
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
        <ChoiceSelect
          name="do-kho"
          label="Độ khó"
          empty="Mọi độ khó"
          choices={DIFFICULTY_LABELS}
          value={filters.difficulty}
        />
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
                <td>{authorKey(q.key) ?? '—'}</td>
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
      <Pager
        page={listing.page}
        hasNext={listing.page < listing.pages}
        href={pageLink}
        label="Các trang câu hỏi"
      />
    </Layout>
  );
}

function TextRow(props: { name: string; label: string; value: string }) {
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <input id={props.name} name={props.name} value={props.value} />
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

export function QuestionPage(props: {
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
          {authorKey(question.key) && `Mã ${question.key} · `}Lưu lần cuối {vietnamTime(question.updatedAt)}.
          Mỗi lần lưu tạo một phiên bản mới; bài kiểm tra đã xuất bản vẫn giữ câu hỏi như lúc xuất bản.
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
