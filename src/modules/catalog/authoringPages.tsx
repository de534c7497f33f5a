import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { AppError, type FieldErrors, notFound, validationFailed } from '../../errors.js';
import { storeCaptions, storeImage, storePdf, storeVideo } from '../../files/uploads.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { vietnamTime } from '../../web/format.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { acceptUploads, uploadedFile } from '../../web/uploads.js';
import { QuestionBankService } from '../assessment/bankService.js';
import { QUESTION_KIND_LABELS } from '../assessment/questionDraft.js';
import {
  type AuthoredCourse,
  AuthoringService,
  type CourseFields,
  type DraftLesson,
  type DraftView,
  fileUrl,
} from './authoring.js';
import {
  courseFieldsFromForm,
  type Form,
  lessonFieldsFromForm,
  list,
  quizSettingsFromForm,
  slugFromForm,
} from './authoringForms.js';
import {
  ActionButton,
  authoringPath,
  CourseFieldsInputs,
  FieldError,
  FrameworkSelect,
  lessonEditorPath,
  QuizSettingsInputs,
} from './authoringViews.js';
import { exportCoursePackage, publishedView, sendHandout } from './exportCourse.js';
import { renderLessonMarkdown } from './lessonMarkdown.js';
import { zipCoursePackage } from './packageArchive.js';
import { coursePath } from './pages.js';
import { catalogPolicy } from './policy.js';

const STATUS_LABELS: Record<string, string> = {
  draft: 'Chưa xuất bản',
  published: 'Đang mở cho học viên',
  archived: 'Đã lưu trữ (ẩn khỏi danh mục)',
};

const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

function errorsOf(error: unknown): { fields: FieldErrors; message: string } {
  if (error instanceof AppError && error.status < 500)
    return { fields: error.fields, message: error.message };
  throw error;
}

function Problems({ message, errors }: { message?: string; errors: FieldErrors }) {
  if (!message && Object.keys(errors).length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{message ?? 'Vui lòng kiểm tra lại'}</h2>
      <ul>
        {Object.entries(errors).map(([field, text]) => (
          <li key={field}>
            <a href={`#${field}`}>{text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function HomePage(props: {
  shell: Shell;
  courses: AuthoredCourse[];
  form: Partial<CourseFields> & { slug?: string };
  errors: FieldErrors;
  message?: string;
}) {
  const { shell, courses, form, errors, message } = props;
  return (
    <Layout shell={shell} title="Soạn bài">
      <h1>Soạn bài và quản lý khóa học</h1>
      <p class="actions">
        <a class="button" href="/soan-bai/ngan-hang">
          Ngân hàng câu hỏi
        </a>{' '}
        <a class="button" href="/soan-bai/khung-nang-luc">
          Độ phủ khung năng lực
        </a>
      </p>
      <h2>Các khóa học</h2>
      {courses.length === 0 ? (
        <p class="notice">Chưa có khóa học nào. Hãy tạo khóa học đầu tiên bên dưới.</p>
      ) : (
        <table class="data">
          <caption class="visually-hidden">Các khóa học của đơn vị</caption>
          <thead>
            <tr>
              <th scope="col">Khóa học</th>
              <th scope="col">Trạng thái</th>
              <th scope="col">Phiên bản</th>
            </tr>
          </thead>
          <tbody>
            {courses.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={authoringPath(c.id)}>{c.title}</a>
                </td>
                <td>{STATUS_LABELS[c.status] ?? c.status}</td>
                <td>
                  {c.publishedNumber ? `Số ${c.publishedNumber}` : '—'}
                  {c.draftId && c.publishedNumber ? ' · có bản nháp' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="tao-moi">Tạo khóa học mới</h2>
      <Problems message={message} errors={errors} />
      <form method="post" action="/soan-bai/khoa-hoc" novalidate>
        <CsrfField shell={shell} />
        <CourseFieldsInputs fields={form} errors={errors} withSlug />
        <button type="submit" class="button primary">
          Tạo bản nháp
        </button>
      </form>
    </Layout>
  );
}

function LessonRow({ shell, draft, lesson }: { shell: Shell; draft: DraftView; lesson: DraftLesson }) {
  const move = `${lessonEditorPath(draft.courseId, lesson.id)}/vi-tri`;
  return (
    <li class="outline-lesson" draggable data-lesson={lesson.id}>
      <a href={lessonEditorPath(draft.courseId, lesson.id)}>{lesson.title}</a>{' '}
      <span class="meta">
        {lesson.kind === 'final' ? 'kiểm tra cuối khóa' : `${lesson.fields.minutes} phút`}
        {lesson.quiz && lesson.kind !== 'final' ? ' · có bài kiểm tra' : ''}
        {lesson.kind !== 'final' && lesson.fields.markdown.trim() === '' ? ' · chưa có nội dung' : ''}
      </span>
      {lesson.kind !== 'final' && (
        <span class="row-actions">
          <ActionButton
            shell={shell}
            action={move}
            value="len"
            label="↑"
            title={`Chuyển bài "${lesson.title}" lên`}
          />
          <ActionButton
            shell={shell}
            action={move}
            value="xuong"
            label="↓"
            title={`Chuyển bài "${lesson.title}" xuống`}
          />
        </span>
      )}
    </li>
  );
}

function EditorPage(props: {
  shell: Shell;
  course: AuthoredCourse;
  draft: DraftView;
  errors: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const { shell, course, draft, errors, message, notice } = props;
  const base = authoringPath(course.id);
  const final = draft.modules.flatMap((m) => m.lessons).find((l) => l.kind === 'final');
  return (
    <Layout shell={shell} title={`Soạn: ${draft.fields.title}`} scripts={['authoring.js']}>
      <p class="crumbs">
        <a href="/soan-bai">Soạn bài</a>
      </p>
      <h1>{draft.fields.title}</h1>
      <p class="meta">
        {STATUS_LABELS[course.status]}
        {course.publishedNumber ? ` · phiên bản đang dùng: số ${course.publishedNumber}` : ''} · bạn đang sửa
        bản nháp; học viên chỉ thấy thay đổi sau khi xuất bản.
      </p>
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      <p class="actions">
        <a class="button primary" href={`${base}/xuat-ban`}>
          Xem thay đổi và xuất bản
        </a>{' '}
        {course.publishedVersionId && (
          <>
            <a class="button" href={coursePath(draft.slug)}>
              Xem như học viên
            </a>{' '}
            <a class="button" href={`${base}/goi.zip`}>
              Tải gói khóa học (.zip)
            </a>{' '}
            <a class="button" href={`${base}/tai-lieu.pdf`}>
              Tài liệu in (PDF)
            </a>{' '}
            <a class="button" href={`${base}/phan-tich`}>
              Phân tích câu hỏi
            </a>
          </>
        )}
      </p>
      {course.publishedVersionId && (
        <div class="actions">
          <ActionButton
            shell={shell}
            action={`${base}/luu-tru`}
            value={course.status === 'archived' ? 'hien' : 'an'}
            label={course.status === 'archived' ? 'Mở lại trong danh mục' : 'Lưu trữ (ẩn khỏi danh mục)'}
          />
          <a class="button small" href={`${base}/bo-nhap`}>
            Bỏ bản nháp…
          </a>
        </div>
      )}

      <h2>Thông tin khóa học</h2>
      <Problems message={message} errors={errors} />
      <form method="post" action={base} novalidate>
        <CsrfField shell={shell} />
        <CourseFieldsInputs fields={draft.fields} errors={errors} />
        <button type="submit" class="button primary">
          Lưu thông tin
        </button>
      </form>
      <form method="post" action={`${base}/anh-bia`} enctype="multipart/form-data" class="upload">
        <CsrfField shell={shell} />
        {draft.fields.coverFile && (
          <img
            class="cover-preview"
            src={fileUrl(draft.fields.coverFile)}
            alt={draft.fields.coverAlt ?? ''}
          />
        )}
        <div class="field">
          <label for="cover">Ảnh bìa (JPEG, PNG, WebP; tối đa 10 MB)</label>
          <input id="cover" name="cover" type="file" accept="image/*" />
        </div>
        <div class="field">
          <label for="cover-alt">Mô tả ảnh bìa</label>
          <input id="cover-alt" name="coverAlt" value={draft.fields.coverAlt ?? ''} />
        </div>
        <button type="submit" class="button">
          Tải ảnh bìa lên
        </button>
      </form>

      <h2>Nội dung</h2>
      <p class="hint">Kéo thả bài để đổi thứ tự, hoặc dùng nút ↑ ↓.</p>
      <p class="status" aria-live="polite" />
      <div class="outline" data-reorder={`${base}/thu-tu`} data-csrf={shell.csrf}>
        {draft.modules.map((module, index) => (
          <section key={module.id} class="outline-module" data-module={module.id}>
            <h3>
              Phần {index + 1}: {module.title}
            </h3>
            <div class="row-actions">
              <form method="post" action={`${base}/phan/${module.id}`} class="inline-action">
                <CsrfField shell={shell} />
                <label>
                  Đổi tên phần <input name="title" value={module.title} size={24} />
                </label>{' '}
                <button type="submit" name="_action" value="doi-ten" class="button small">
                  Lưu
                </button>
              </form>
              <ActionButton
                shell={shell}
                action={`${base}/phan/${module.id}`}
                value="len"
                label="↑"
                title={`Chuyển phần "${module.title}" lên`}
              />
              <ActionButton
                shell={shell}
                action={`${base}/phan/${module.id}`}
                value="xuong"
                label="↓"
                title={`Chuyển phần "${module.title}" xuống`}
              />
              {module.lessons.length === 0 && (
                <ActionButton
                  shell={shell}
                  action={`${base}/phan/${module.id}`}
                  value="xoa"
                  label="Xóa phần"
                  danger
                />
              )}
            </div>
            <ol class="outline-lessons">
              {module.lessons.map((lesson) => (
                <LessonRow key={lesson.id} shell={shell} draft={draft} lesson={lesson} />
              ))}
            </ol>
            <form method="post" action={`${base}/bai`} class="add-lesson">
              <CsrfField shell={shell} />
              <input type="hidden" name="moduleId" value={module.id} />
              <fieldset>
                <legend>Thêm bài vào phần này</legend>
                <label>
                  Tên bài <input name="title" size={24} required />
                </label>{' '}
                <label>
                  Địa chỉ <input name="slug" size={16} required placeholder="vi-du-bai-moi" />
                </label>{' '}
                <button type="submit" class="button small">
                  Thêm bài
                </button>
              </fieldset>
            </form>
          </section>
        ))}
      </div>
      <form method="post" action={`${base}/phan`} class="add-module">
        <CsrfField shell={shell} />
        <label>
          Thêm phần mới <input name="title" size={24} required />
        </label>{' '}
        <button type="submit" class="button small">
          Thêm phần
        </button>
      </form>

      <h2 id="cuoi-khoa">Bài kiểm tra cuối khóa</h2>
      <p class="hint">Rút câu hỏi từ bài kiểm tra của tất cả các bài học; là bước cuối cùng của khóa học.</p>
      <form method="post" action={`${base}/kiem-tra-cuoi-khoa`} novalidate>
        <CsrfField shell={shell} />
        <QuizSettingsInputs settings={final?.quiz?.settings ?? null} errors={errors} />
        <button type="submit" class="button">
          {final ? 'Lưu bài kiểm tra cuối khóa' : 'Thêm bài kiểm tra cuối khóa'}
        </button>
      </form>
      {final && (
        <ActionButton
          shell={shell}
          action={`${lessonEditorPath(course.id, final.id)}/kiem-tra`}
          value="bo"
          label="Bỏ bài kiểm tra cuối khóa"
          danger
        />
      )}
    </Layout>
  );
}

function LessonEditorPage(props: {
  shell: Shell;
  draft: DraftView;
  lesson: DraftLesson;
  /** The bank whose questions are listed: the quiz's own, or the one just picked. */
  bankId: string;
  banks: { id: string; name: string; questionCount: number }[];
  bankQuestions: { id: string; key: string; prompt: string; kind: string; tags: string[] }[];
  errors: FieldErrors;
  message?: string;
  notice?: string;
  uploaded?: string;
}) {
  const { shell, draft, lesson, bankId, banks, bankQuestions, errors, message, notice, uploaded } = props;
  const base = lessonEditorPath(draft.courseId, lesson.id);
  const f = lesson.fields;
  const source = lesson.quiz?.settings.source;
  const chosenBank = bankId;
  const chosen = new Set(
    source && 'bankId' in source && source.bankId === bankId ? (source.questionIds ?? []) : [],
  );
  return (
    <Layout shell={shell} title={`Sửa bài: ${lesson.title}`} scripts={['authoring.js']}>
      <p class="crumbs">
        <a href="/soan-bai">Soạn bài</a> › <a href={authoringPath(draft.courseId)}>{draft.fields.title}</a>
      </p>
      <h1>{lesson.title}</h1>
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      {uploaded && (
        <p class="notice ok" role="status">
          Đã tải ảnh lên. Chép dòng sau vào nội dung bài, chỗ muốn đặt ảnh: <code>{uploaded}</code>
        </p>
      )}
      <Problems message={message} errors={errors} />
      {lesson.kind !== 'final' && (
        <>
          <form method="post" action={base} novalidate class="lesson-form">
            <CsrfField shell={shell} />
            <div class={errors.title ? 'field has-error' : 'field'}>
              <label for="title">Tên bài</label>
              <FieldError errors={errors} name="title" />
              <input id="title" name="title" value={f.title} />
            </div>
            <div class={errors.minutes ? 'field has-error' : 'field'}>
              <label for="minutes">Thời gian học (phút)</label>
              <FieldError errors={errors} name="minutes" />
              <input id="minutes" name="minutes" inputMode="numeric" value={String(f.minutes)} size={4} />
            </div>
            <div class={errors.markdown ? 'field has-error' : 'field'}>
              <label for="markdown">Nội dung (Markdown)</label>
              <p class="hint" id="markdown-hint">
                ## Tiêu đề mục, **chữ đậm**, - gạch đầu dòng, ![mô tả ảnh](địa chỉ ảnh). Mã HTML được hiển thị
                như chữ.
              </p>
              <FieldError errors={errors} name="markdown" />
              <textarea
                id="markdown"
                name="markdown"
                rows={18}
                aria-describedby="markdown-hint"
                data-preview="xem-truoc"
              >
                {f.markdown}
              </textarea>
            </div>
            <div class="field">
              <label for="videoTitle">Tên video (nếu có)</label>
              <FieldError errors={errors} name="videoTitle" />
              <input id="videoTitle" name="videoTitle" value={f.videoTitle ?? ''} />
            </div>
            <div class="field">
              <label for="videoUrl">Hoặc liên kết video (https://…)</label>
              <FieldError errors={errors} name="videoUrl" />
              <input id="videoUrl" name="videoUrl" type="url" value={f.videoUrl ?? ''} />
            </div>
            {f.videoFile && (
              <label class="choice">
                <input type="checkbox" name="removeVideo" value="1" /> Gỡ tệp video đã tải lên
              </label>
            )}
            {f.attachments.length > 0 && (
              <fieldset>
                <legend>Tài liệu kèm theo (đánh dấu để gỡ)</legend>
                {f.attachments.map((a) => (
                  <label class="choice" key={a.file}>
                    <input type="checkbox" name="removeAttachment" value={a.file} /> {a.title}
                  </label>
                ))}
              </fieldset>
            )}
            <FrameworkSelect selected={f.frameworks} errors={errors} />
            <button type="submit" class="button primary">
              Lưu bài
            </button>
          </form>
          <section aria-labelledby="xem-truoc-tieu-de">
            <h2 id="xem-truoc-tieu-de">Xem trước (nội dung đã lưu)</h2>
            <article
              class="lesson preview"
              id="xem-truoc"
              // Rendered by markdown-it with raw HTML disabled: it holds no markup the author typed.
              dangerouslySetInnerHTML={{ __html: renderLessonMarkdown(f.markdown, (src) => src) }}
            />
          </section>
          <h2>Tải tệp lên</h2>
          <form method="post" action={`${base}/tep`} enctype="multipart/form-data" class="upload">
            <CsrfField shell={shell} />
            <input type="hidden" name="kind" value="image" />
            <div class="field">
              <label for="image">Ảnh minh họa (tự thu nhỏ, lưu dạng WebP cho điện thoại)</label>
              <input id="image" name="file" type="file" accept="image/*" />
            </div>
            <div class="field">
              <label for="alt">Mô tả ảnh (bắt buộc, cho người dùng trình đọc màn hình)</label>
              <input id="alt" name="alt" required />
            </div>
            <button type="submit" class="button">
              Tải ảnh lên
            </button>
          </form>
          <form method="post" action={`${base}/tep`} enctype="multipart/form-data" class="upload">
            <CsrfField shell={shell} />
            <div class="field">
              <label for="upload-kind">Loại tệp</label>
              <select id="upload-kind" name="kind">
                <option value="video">Video (MP4/WebM, tối đa 200 MB)</option>
                <option value="videoLow">Bản video nhẹ cho mạng yếu</option>
                <option value="captions">Phụ đề tiếng Việt (.vtt)</option>
                <option value="attachment">Tài liệu PDF kèm theo</option>
              </select>
            </div>
            <div class="field">
              <label for="upload-file">Tệp</label>
              <input id="upload-file" name="file" type="file" />
            </div>
            <div class="field">
              <label for="upload-title">Tên tài liệu (cho tài liệu PDF)</label>
              <input id="upload-title" name="title" />
            </div>
            <button type="submit" class="button">
              Tải tệp lên
            </button>
          </form>
          <p class="actions">
            <a class="button danger" href={`${base}/xoa`}>
              Xóa bài này…
            </a>
          </p>
        </>
      )}
      {lesson.kind === 'final' ? (
        <p>
          Đây là bài kiểm tra cuối khóa; sửa cài đặt ở{' '}
          <a href={`${authoringPath(draft.courseId)}#cuoi-khoa`}>trang khóa học</a>.
        </p>
      ) : (
        <>
          <h2 id="kiem-tra">Bài kiểm tra của bài</h2>
          <form method="get" action={base} class="inline">
            <label for="bank">Ngân hàng câu hỏi</label>{' '}
            <select id="bank" name="nganHang">
              <option value="">— chọn —</option>
              {banks.map((b) => (
                <option key={b.id} value={b.id} selected={b.id === chosenBank}>
                  {b.name} ({b.questionCount} câu)
                </option>
              ))}
            </select>{' '}
            <button type="submit" class="button small">
              Xem câu hỏi
            </button>
          </form>
          <form method="post" action={`${base}/kiem-tra`} novalidate>
            <CsrfField shell={shell} />
            <input type="hidden" name="bankId" value={chosenBank} />
            <FieldError errors={errors} name="bankId" />
            <fieldset id="questionIds">
              <legend>Câu hỏi cố định (bỏ qua nếu rút ngẫu nhiên)</legend>
              <FieldError errors={errors} name="questionIds" />
              {bankQuestions.length === 0 ? (
                <p class="hint">Chọn một ngân hàng câu hỏi để xem câu hỏi.</p>
              ) : (
                bankQuestions.map((q) => (
                  <label class="choice" key={q.id}>
                    <input type="checkbox" name="questionIds" value={q.id} checked={chosen.has(q.id)} />{' '}
                    {q.prompt}{' '}
                    <span class="meta">
                      ({QUESTION_KIND_LABELS[q.kind as keyof typeof QUESTION_KIND_LABELS]}
                      {q.tags.length > 0 ? `; ${q.tags.join(', ')}` : ''})
                    </span>
                  </label>
                ))
              )}
            </fieldset>
            <QuizSettingsInputs settings={lesson.quiz?.settings ?? null} errors={errors} />
            <button type="submit" name="_action" value="luu" class="button primary">
              Lưu bài kiểm tra
            </button>
          </form>
          {lesson.quiz && (
            <ActionButton
              shell={shell}
              action={`${base}/kiem-tra`}
              value="bo"
              label="Bỏ bài kiểm tra"
              danger
            />
          )}
        </>
      )}
    </Layout>
  );
}

function ConfirmPage(props: {
  shell: Shell;
  title: string;
  text: string;
  action: string;
  back: string;
  label: string;
}) {
  return (
    <Layout shell={props.shell} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <form method="post" action={props.action}>
        <CsrfField shell={props.shell} />
        <button type="submit" name="_action" value="xac-nhan" class="button danger">
          {props.label}
        </button>{' '}
        <a class="button" href={props.back}>
          Không, quay lại
        </a>
      </form>
    </Layout>
  );
}

function PublishPage(props: { shell: Shell; draft: DraftView; changes: string[]; problems: string[] }) {
  const { shell, draft, changes, problems } = props;
  const base = authoringPath(draft.courseId);
  return (
    <Layout shell={shell} title={`Xuất bản: ${draft.fields.title}`}>
      <p class="crumbs">
        <a href="/soan-bai">Soạn bài</a> › <a href={base}>{draft.fields.title}</a>
      </p>
      <h1>Xuất bản phiên bản mới</h1>
      <h2>Những thay đổi so với phiên bản đang dùng</h2>
      <ul>
        {changes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <p class="hint">
        Người đang học phiên bản cũ vẫn giữ phiên bản đó và toàn bộ kết quả; họ có thể chọn chuyển sang phiên
        bản mới.
      </p>
      {problems.length > 0 ? (
        <div class="error-summary" role="alert">
          <h2>Cần sửa trước khi xuất bản</h2>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : (
        <form method="post" action={`${base}/xuat-ban`}>
          <CsrfField shell={shell} />
          <button type="submit" class="button primary">
            Xuất bản
          </button>
        </form>
      )}
    </Layout>
  );
}

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
  const lessonOf = async (request: FastifyRequest) => {
    const course = await courseOf(request);
    const { lessonId } = request.params as { lessonId: string };
    const draft = await authoring.draft(request.tenant.id, course.id);
    const lesson = draft.modules.flatMap((m) => m.lessons).find((l) => l.id === lessonId);
    if (!lesson) throw notFound('Không tìm thấy bài học này trong bản nháp.');
    return { course, draft, lesson };
  };

  const home = async (request: FastifyRequest, reply: FastifyReply, form: Form = {}, error?: unknown) => {
    const problems = error ? errorsOf(error) : { fields: {}, message: undefined };
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
    const problems = extra.error ? errorsOf(extra.error) : { fields: {}, message: undefined };
    const draft = await authoring.draft(request.tenant.id, course.id);
    const fresh = (await authoring.course(request.tenant.id, course.id)) ?? course;
    return sendPage(
      reply,
      <EditorPage
        shell={shellOf(ctx, request, reply)}
        course={fresh}
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
    const problems = extra.error ? errorsOf(extra.error) : { fields: {}, message: undefined };
    const source = lesson.quiz?.settings.source;
    const picked = one((request.query as Record<string, unknown>).nganHang);
    const bankId = picked || (source && 'bankId' in source ? source.bankId : '');
    const allBanks = await banks.banks(request.tenant.id);
    const bankQuestions = allBanks.some((b) => b.id === bankId)
      ? (await banks.pool(request.tenant.id, bankId, null, null)).slice(0, 300).map((q) => ({
          id: q.id,
          key: q.key,
          prompt: q.draft.prompt,
          kind: q.draft.body.kind,
          tags: q.draft.tags,
        }))
      : [];
    return sendPage(
      reply,
      <LessonEditorPage
        shell={shellOf(ctx, request, reply)}
        draft={draft}
        lesson={lesson}
        bankId={bankId}
        banks={allBanks}
        bankQuestions={bankQuestions}
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
    const done = one((request.query as Record<string, unknown>).xong);
    return editor(request, reply, course, { notice: done ? 'Đã lưu.' : undefined });
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
    return editor(request, reply, course, {
      notice: `Đã xuất bản phiên bản số ${number} lúc ${vietnamTime(new Date().toISOString())}.`,
    });
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
