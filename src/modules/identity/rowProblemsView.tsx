import { describeProblems, type RowProblems } from './rosterImport.js';

/** More rows than this and the page lists the first ones; the rejected-rows file has them all. */
const LISTED_PROBLEMS = 500;

/**
 * A refused spreadsheet: every row's problems (up to a limit), its rejected rows to download, and
 * the way back to the upload. `nothingDone` says what did not happen ("không ai được nhập").
 */
export function RowProblemsSummary(props: {
  filename: string;
  problems: RowProblems[];
  rejectedUrl: string | null;
  nothingDone: string;
  uploadPath: string;
}) {
  const { filename, problems, rejectedUrl } = props;
  const rows = problems.filter((p) => p.row > 0).length;
  return (
    <>
      <div class="error-summary" role="alert" tabIndex={-1}>
        <h2>
          {rows > 0
            ? `Tệp "${filename}" có ${rows} dòng bị lỗi nên ${props.nothingDone}.`
            : `Tệp "${filename}" không nhập được.`}
        </h2>
        <ul>
          {problems.slice(0, LISTED_PROBLEMS).map((problem) => (
            <li key={problem.row}>{describeProblems(problem)}</li>
          ))}
        </ul>
        {problems.length > LISTED_PROBLEMS && <p>… và {problems.length - LISTED_PROBLEMS} dòng khác.</p>}
      </div>
      {rejectedUrl && (
        <p>
          <a href={rejectedUrl} download>
            Tải các dòng bị lỗi (Excel, có cột "Lỗi")
          </a>
        </p>
      )}
      <p>
        Hãy sửa các dòng trên trong tệp của bạn rồi <a href={props.uploadPath}>tải lên lại</a>.
      </p>
    </>
  );
}
