import { ErrorSummary } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { BLOCKS } from './blocks.js';
import { formatPhone } from './phone.js';
import { ROSTER_HEADERS } from './rosterFile.js';
import {
  describeCounts,
  type RosterCounts,
  type RosterPreviewRow,
  type RowProblems,
} from './rosterImport.js';
import { maskNationalId } from './rosterNationalId.js';
import { RowProblemsSummary } from './rowProblemsView.js';

export const ROSTER = '/quan-tri/danh-sach';

const OUTCOME_LABELS: Record<keyof RosterCounts, string> = {
  created: 'Tạo mới',
  updated: 'Cập nhật',
  unchanged: 'Không đổi',
};

export function UploadPage({ shell, error, done }: { shell: Shell; error?: string; done?: RosterCounts }) {
  return (
    <Layout shell={shell} title="Nhập danh sách cán bộ">
      <h1>Nhập danh sách cán bộ</h1>
      {done && (
        <p class="notice" role="status">
          Đã nhập danh sách: {describeCounts(done)}.
        </p>
      )}
      <p>
        Tải lên tệp nhân sự (Excel .xlsx hoặc CSV UTF-8) có dòng tiêu đề. Các cột:{' '}
        {Object.values(ROSTER_HEADERS).join(', ')}. Bắt buộc có họ và tên, mã đơn vị và số điện thoại hoặc
        email. Cột khác trong tệp được bỏ qua.
      </p>
      <p>
        Bạn sẽ xem trước kết quả trước khi nhập. Nếu có dòng sai, cả tệp không được nhập. Người đã có tài
        khoản (cùng số điện thoại, email hoặc số CCCD) được cập nhật đơn vị, khối và chức vụ, không tạo tài
        khoản trùng. Số CCCD không được lưu, chỉ lưu dấu để đối chiếu.
      </p>
      {error && <ErrorSummary errors={{ file: error }} />}
      <form method="post" action={`${ROSTER}/nhap`} enctype="multipart/form-data" class="upload" novalidate>
        <CsrfField shell={shell} />
        <div class={error ? 'field has-error' : 'field'}>
          <label for="file">Tệp danh sách</label>
          {error && (
            <p class="error" id="file-error">
              {error}
            </p>
          )}
          <input id="file" name="file" type="file" accept=".xlsx,.csv" />
        </div>
        <button type="submit" class="button primary">
          Xem trước
        </button>
      </form>
    </Layout>
  );
}

export function ProblemsPage(props: {
  shell: Shell;
  filename: string;
  problems: RowProblems[];
  rejectedUrl: string | null;
}) {
  const { shell, filename, problems, rejectedUrl } = props;
  return (
    <Layout shell={shell} title="Chưa nhập được danh sách">
      <h1>Chưa nhập danh sách</h1>
      <RowProblemsSummary
        filename={filename}
        problems={problems}
        rejectedUrl={rejectedUrl}
        nothingDone="không ai được nhập"
        uploadPath={ROSTER}
      />
    </Layout>
  );
}

export function PreviewPage(props: {
  shell: Shell;
  id: string;
  filename: string;
  counts: RosterCounts;
  preview: RosterPreviewRow[];
}) {
  const { shell, id, filename, counts, preview } = props;
  const total = counts.created + counts.updated + counts.unchanged;
  return (
    <Layout shell={shell} title="Xem trước danh sách">
      <h1>Xem trước khi nhập</h1>
      <p>
        Tệp <strong>{filename}</strong> có {total} người. Nếu nhập: {describeCounts(counts)}.
      </p>
      <h2>{total > preview.length ? `${preview.length} người đầu tiên` : 'Danh sách'}</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Dòng</th>
            <th scope="col">Họ và tên</th>
            <th scope="col">Điện thoại, email</th>
            <th scope="col">Số CCCD</th>
            <th scope="col">Khối</th>
            <th scope="col">Chức vụ</th>
            <th scope="col">Đơn vị</th>
            <th scope="col">Kết quả</th>
          </tr>
        </thead>
        <tbody>
          {preview.map((row) => (
            <tr key={row.number}>
              <td>{row.number}</td>
              <td>{row.fullName}</td>
              <td>{[row.phone && formatPhone(row.phone), row.email].filter(Boolean).join(', ')}</td>
              <td>{maskNationalId(row.nationalIdLast4)}</td>
              <td>{BLOCKS[row.block]}</td>
              <td>{row.position}</td>
              <td>{row.unitName}</td>
              <td>{OUTCOME_LABELS[row.outcome]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={`${ROSTER}/nhap/xac-nhan`}>
        <CsrfField shell={shell} />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="filename" value={filename} />
        <button type="submit" class="button primary">
          Nhập {total} người
        </button>{' '}
        <a class="button" href={ROSTER}>
          Hủy
        </a>
      </form>
    </Layout>
  );
}
