import type { FieldErrors } from '../../errors.js';
import { ErrorSummary } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { QUESTION_KIND_LABELS } from '../assessment/questionDraft.js';
import type { AuthoredCourse } from './authoring.js';
import {
  ActionButton,
  authoringPath,
  CourseFieldsInputs,
  FieldError,
  FrameworkSelect,
  lessonEditorPath,
  QuizSettingsInputs,
} from './authoringViews.js';
import { type CourseFields, type DraftLesson, type DraftView, fileUrl } from './draftVersions.js';
import { renderLessonMarkdown } from './lessonMarkdown.js';
import { coursePath } from './pages.js';

const STATUS_LABELS: Record<string, string> = {
  draft: 'Chưa xuất bản',
  published: 'Đang mở cho học viên',
  archived: 'Đã lưu trữ (ẩn khỏi danh mục)',
};

export function HomePage(props: {
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
      <ErrorSummary message={message} errors={errors} />
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

/** What can be done with a published course whether or not it has a draft: view, export, analyse, archive. */
function PublishedActions({ shell, course, slug }: { shell: Shell; course: AuthoredCourse; slug: string }) {
  if (!course.publishedVersionId) return null;
  const base = authoringPath(course.id);
  return (
    <div class="actions">
      <a class="button" href={coursePath(slug)}>
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
      </a>{' '}
      <ActionButton
        shell={shell}
        action={`${base}/luu-tru`}
        value={course.status === 'archived' ? 'hien' : 'an'}
        label={course.status === 'archived' ? 'Mở lại trong danh mục' : 'Lưu trữ (ẩn khỏi danh mục)'}
      />
    </div>
  );
}

/**
 * A published course without a draft: its outline, and the button that starts a draft. Only
 * that POST makes the draft, so opening the page changes nothing.
 */
export function StartEditingPage(props: {
  shell: Shell;
  course: AuthoredCourse;
  published: DraftView;
  notice?: string;
}) {
  const { shell, course, published, notice } = props;
  return (
    <Layout shell={shell} title={`Soạn: ${published.fields.title}`}>
      <p class="crumbs">
        <a href="/soan-bai">Soạn bài</a>
      </p>
      <h1>{published.fields.title}</h1>
      <p class="meta">
        {STATUS_LABELS[course.status]} · phiên bản đang dùng: số {course.publishedNumber}. Chưa có bản nháp
        nào.
      </p>
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      <form method="post" action={`${authoringPath(course.id)}/ban-nhap`}>
        <CsrfField shell={shell} />
        <button type="submit" class="button primary">
          Sửa khóa học (tạo bản nháp từ phiên bản đang dùng)
        </button>
      </form>
      <PublishedActions shell={shell} course={course} slug={published.slug} />
      <h2>Nội dung phiên bản đang dùng</h2>
      {published.modules.map((module) => (
        <section key={module.id}>
          <h3>{module.title}</h3>
          <ol>
            {module.lessons.map((lesson) => (
              <li key={lesson.id}>
                {lesson.title}
                {lesson.quiz ? <span class="meta"> · có bài kiểm tra</span> : null}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </Layout>
  );
}

export function EditorPage(props: {
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
        </a>
      </p>
      <PublishedActions shell={shell} course={course} slug={draft.slug} />
      {course.publishedVersionId && (
        <p>
          <a class="button small" href={`${base}/bo-nhap`}>
            Bỏ bản nháp…
          </a>
        </p>
      )}

      <h2>Thông tin khóa học</h2>
      <ErrorSummary message={message} errors={errors} />
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

export function LessonEditorPage(props: {
  shell: Shell;
  draft: DraftView;
  lesson: DraftLesson;
  /** The bank whose questions are listed: the quiz's own, or the one just picked. */
  bankId: string;
  banks: { id: string; name: string; questionCount: number }[];
  bankQuestions: { id: string; key: string; prompt: string; kind: string; tags: string[] }[];
  /** The words the bank's questions were filtered by, and how many of how many are listed. */
  picker: { search: string; listed: number; total: number };
  errors: FieldErrors;
  message?: string;
  notice?: string;
  uploaded?: string;
}) {
  const { shell, draft, lesson, bankId, banks, bankQuestions, picker, errors, message, notice, uploaded } =
    props;
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
      <ErrorSummary message={message} errors={errors} />
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
            <label for="timCau">Lọc theo từ khóa hoặc thẻ</label>{' '}
            <input id="timCau" name="timCau" type="search" value={picker.search} />{' '}
            <button type="submit" class="button small">
              Xem câu hỏi
            </button>
          </form>
          {picker.listed < picker.total && (
            <p class="hint">
              Đang hiện {picker.listed} trong {picker.total} câu của ngân hàng (các câu đã chọn luôn được
              hiện). Gõ từ khóa để lọc, hoặc dùng quy tắc rút câu ngẫu nhiên.
            </p>
          )}
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

export function ConfirmPage(props: {
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

export function PublishPage(props: {
  shell: Shell;
  draft: DraftView;
  changes: string[];
  problems: string[];
}) {
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
