import { ErrorSummary } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import type { RowProblems } from '../identity/rosterImport.js';
import { RowProblemsSummary } from '../identity/rowProblemsView.js';
import { MAX_MEMBERS_PER_TEAM, TEAM_HEADERS } from './teamFile.js';
import { describeImport } from './teamImport.js';
import { IMPORT_PATH, TEAMS_PATH } from './views.js';

export const TEMPLATE_PATH = `${IMPORT_PATH}/mau.xlsx`;

/** Uploading a team file, with what it must hold and, after an import, what it created. */
export function ImportPage(props: {
  shell: Shell;
  error?: string;
  done?: { teams: number; members: number };
}) {
  const { shell, error, done } = props;
  return (
    <Layout shell={shell} title="Nhập danh sách tổ công nghệ số">
      <p class="crumbs">
        <a href={TEAMS_PATH}>Tổ công nghệ số</a>
      </p>
      <h1>Nhập danh sách tổ công nghệ số</h1>
      {done && (
        <p class="notice" role="status">
          Đã tạo {describeImport(done)}.
        </p>
      )}
      <p>
        Tải lên tệp Excel (.xlsx) hoặc CSV UTF-8, mỗi dòng một tổ, có dòng tiêu đề với các cột:{' '}
        {Object.values(TEAM_HEADERS).join(', ')} (cột “{TEAM_HEADERS.village}” và “{TEAM_HEADERS.contact}”
        không bắt buộc).
      </p>
      <ul>
        <li>
          “{TEAM_HEADERS.unitCode}”: mã của thôn, tổ dân phố hoặc xã, phường (trong phạm vi bạn quản lý).
        </li>
        <li>
          “{TEAM_HEADERS.village}”: tên thôn, tổ dân phố của xã, phường ghi ở cột mã (ví dụ “Thôn 2”), khi
          thôn không có mã; để trống nếu tổ thuộc chính xã, phường.
        </li>
        <li>
          “{TEAM_HEADERS.leaderPhone}” và “{TEAM_HEADERS.memberPhones}”: số điện thoại những người đã có tài
          khoản; nhiều số cách nhau bằng dấu phẩy, chấm phẩy hoặc xuống dòng; tối đa {MAX_MEMBERS_PER_TEAM}{' '}
          người một tổ.
        </li>
        <li>“{TEAM_HEADERS.contact}”: nhóm Zalo, nơi sinh hoạt của tổ.</li>
      </ul>
      <p>
        Nếu có dòng sai, cả tệp không được nhập và trang sẽ liệt kê từng dòng cần sửa.{' '}
        <a href={TEMPLATE_PATH}>Tải tệp mẫu</a>.
      </p>
      {error && <ErrorSummary errors={{ file: error }} />}
      <form method="post" action={IMPORT_PATH} enctype="multipart/form-data" class="upload" novalidate>
        <CsrfField shell={shell} />
        <div class={error ? 'field has-error' : 'field'}>
          <label for="file">Tệp danh sách tổ</label>
          {error && (
            <p class="error" id="file-error">
              {error}
            </p>
          )}
          <input id="file" name="file" type="file" accept=".xlsx,.csv" />
        </div>
        <button type="submit" class="button primary">
          Nhập danh sách
        </button>
      </form>
    </Layout>
  );
}

/** A refused file: every row's problems, and its rejected rows to download. */
export function ImportProblemsPage(props: {
  shell: Shell;
  filename: string;
  problems: RowProblems[];
  rejectedUrl: string | null;
}) {
  const { shell, filename, problems, rejectedUrl } = props;
  return (
    <Layout shell={shell} title="Chưa nhập được danh sách tổ">
      <p class="crumbs">
        <a href={TEAMS_PATH}>Tổ công nghệ số</a>
      </p>
      <h1>Chưa nhập danh sách tổ</h1>
      <RowProblemsSummary
        filename={filename}
        problems={problems}
        rejectedUrl={rejectedUrl}
        nothingDone="chưa tổ nào được tạo"
        uploadPath={IMPORT_PATH}
      />
    </Layout>
  );
}
