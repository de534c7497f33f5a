import type { ComponentChildren } from 'preact';
import { todayInVietnam } from '../../db/time.js';
import type { Cell, TableSheet } from '../../files/tableExport.js';
import { vietnamDay, vietnamTime } from '../../web/format.js';
import { Layout, type Shell } from '../../web/page.js';
import type { LearningRecord, RecordAttempt, RecordCourse } from './learningRecord.js';
import { durationText, SITTING_BREAK_MS } from './recordTime.js';

export const recordHref = (accountId: string) => `/bao-cao/nguoi/${accountId}`;
export const recordDownloadHref = (accountId: string) => `${recordHref(accountId)}/ho-so.xlsx`;

const BREAK_MINUTES = SITTING_BREAK_MS / 60_000;
const dayOf = (iso: string) => todayInVietnam(new Date(iso));
const percentText = (value: number | null) => (value === null ? '–' : `${value}%`);

/** An attempt's outcome in words: passed, not passed, or still open; late submissions said so. */
export function attemptResult(a: RecordAttempt): string {
  if (a.submittedAt === null) return 'Chưa nộp bài';
  const verdict = a.passed ? 'Đạt' : 'Chưa đạt';
  return a.late ? `${verdict} (nộp quá giờ)` : verdict;
}

/** When an attempt is dated: its submission, or its opening while it is still open. */
const attemptMoment = (a: RecordAttempt) => a.submittedAt ?? a.startedAt;
const attemptDuration = (a: RecordAttempt) =>
  a.durationMs === null ? '–' : durationText(a.durationMs, true);

/** A section with a heading screen readers can jump to; `level` 2 or 3. */
function Part(props: { id: string; title: string; level?: 2 | 3 | 4; children: ComponentChildren }) {
  const { id, title, level = 2, children } = props;
  const Heading = `h${level}` as 'h2';
  return (
    <section aria-labelledby={id}>
      <Heading id={id}>{title}</Heading>
      {children}
    </section>
  );
}

/**
 * A table named by the heading above it, in a region that scrolls sideways when the screen (or
 * a 200% zoom) is narrower than `minRem`: cells keep whole words instead of breaking them.
 * Browsers make such a scroller keyboard-focusable themselves (Chromium, Firefox).
 */
function Table(props: { labelledBy: string; minRem: number; head: string[]; children: ComponentChildren }) {
  return (
    <div class="table-scroll">
      <table class="data" aria-labelledby={props.labelledBy} style={`min-width:${props.minRem}rem`}>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

function Summary({ record }: { record: LearningRecord }) {
  const { summary, time, qualifications, assignments } = record;
  return (
    <Part id="tom-tat" title="Tóm tắt">
      <dl class="facts">
        <dt>Khóa học</dt>
        <dd>
          {summary.coursesBegun === 0
            ? 'Chưa bắt đầu khóa học nào'
            : `Đã hoàn thành ${summary.coursesCompleted} trong ${summary.coursesBegun} khóa học đã bắt đầu`}
        </dd>
        <dt>Bài học đã đọc xong</dt>
        <dd>{summary.lessonsFinished} bài</dd>
        <dt>Bài kiểm tra</dt>
        <dd>
          {summary.attemptsSubmitted} lần nộp bài, {summary.attemptsPassed} lần đạt
        </dd>
        <dt>Thời gian học (ước tính)</dt>
        <dd>
          {time.sittings === 0 ? (
            'Chưa có hoạt động học nào được ghi lại.'
          ) : (
            <>
              Khoảng {durationText(time.totalMs)}: đọc bài khoảng {durationText(time.readingMs)} (ước tính),
              làm bài kiểm tra {durationText(time.quizMs)}; {time.sittings} buổi học.
            </>
          )}{' '}
          <a href="#cach-tinh">Cách tính</a>
        </dd>
        <dt>Lớp học trực tiếp</dt>
        <dd>
          {record.classes.length === 0
            ? 'Chưa tham gia lớp học trực tiếp nào'
            : `Có mặt ${summary.classesAttended} trong ${record.classes.length} buổi đã đăng ký hoặc tham gia`}
        </dd>
        <dt>Đạt yêu cầu Bình dân học vụ số</dt>
        <dd>
          {qualifications.length === 0
            ? 'Chưa có'
            : qualifications.map((q) => `${q.programName}: ${q.sentence}`).join('; ')}
        </dd>
        <dt>Việc học được giao</dt>
        <dd>
          {assignments.length === 0
            ? 'Không có'
            : assignments.map((a) => `${a.title} (${a.statusLabel.toLowerCase()})`).join('; ')}
        </dd>
      </dl>
    </Part>
  );
}

function CourseOverview({ courses }: { courses: RecordCourse[] }) {
  return (
    <Part id="khoa-hoc" title="Khóa học">
      {courses.length === 0 ? (
        <p>Chưa bắt đầu khóa học nào.</p>
      ) : (
        <Table
          minRem={30}
          labelledBy="khoa-hoc"
          head={['Khóa học', 'Bài đã đọc', 'Bài kiểm tra đạt', 'Tiến độ', 'Hoàn thành']}
        >
          {courses.map(({ courseId, title, progress: p }) => (
            <tr key={courseId}>
              <td>
                <a href={`#khoa-${courseId}`}>{title}</a>
              </td>
              <td>{p ? `${p.lessonsRead}/${p.lessonsTotal}` : '–'}</td>
              <td>{p ? `${p.quizzesPassed}/${p.quizzesTotal}` : '–'}</td>
              <td>{p ? `${p.percent}%` : 'Chưa bắt đầu'}</td>
              <td>{p?.completedAt ? vietnamTime(p.completedAt) : 'Chưa'}</td>
            </tr>
          ))}
        </Table>
      )}
    </Part>
  );
}

function Assignments({ record }: { record: LearningRecord }) {
  return (
    <Part id="giao-hoc" title="Việc học được giao">
      {record.assignments.length === 0 ? (
        <p>Không có việc học bắt buộc nào được giao.</p>
      ) : (
        <Table minRem={22} labelledBy="giao-hoc" head={['Nội dung', 'Hạn hoàn thành', 'Tình trạng']}>
          {record.assignments.map((a) => (
            <tr key={a.id}>
              <td>{a.title}</td>
              <td>{vietnamDay(a.dueOn)}</td>
              <td>
                {a.statusLabel}
                {a.status === 'completed' && a.completedAt && ` ngày ${vietnamDay(dayOf(a.completedAt))}`}
                {a.status === 'exempt' && a.exemptReason && `: ${a.exemptReason}`}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Part>
  );
}

function Programs({ record }: { record: LearningRecord }) {
  return (
    <Part id="chuong-trinh" title="Chương trình">
      {record.programs.length === 0 && <p>Không có chương trình nào được giao hay đang học.</p>}
      {record.programs.map((p) => (
        <Part key={p.id} id={`chuong-trinh-${p.id}`} title={p.name} level={3}>
          <p>
            {p.assigned ? 'Được giao. ' : ''}
            {p.completedAt
              ? `Đã hoàn thành ngày ${vietnamDay(dayOf(p.completedAt))}.`
              : 'Chưa hoàn thành chương trình.'}
            {p.held ? ' Đã được xác nhận đạt yêu cầu (xem dưới).' : ''}
            {p.electivesRequired > 0 ? ` Cần hoàn thành ${p.electivesRequired} khóa tự chọn.` : ''}
          </p>
          <ul>
            {p.courses.map((c) => (
              <li key={c.courseId}>
                {c.title} ({c.role.toLowerCase()}):{' '}
                {c.completedAt
                  ? `đã hoàn thành lúc ${vietnamTime(c.completedAt)}`
                  : c.percent === null
                    ? 'chưa bắt đầu'
                    : `đang học, ${c.percent}%`}
              </li>
            ))}
          </ul>
        </Part>
      ))}
    </Part>
  );
}

function Classes({ record }: { record: LearningRecord }) {
  return (
    <Part id="lop-hoc" title="Lớp học trực tiếp">
      {record.classes.length === 0 ? (
        <p>Chưa tham gia lớp học trực tiếp nào.</p>
      ) : (
        <Table
          minRem={40}
          labelledBy="lop-hoc"
          head={['Buổi học', 'Khóa học', 'Thời gian', 'Địa điểm', 'Điểm danh', 'Bài kiểm tra trên giấy']}
        >
          {record.classes.map((c) => (
            <tr key={c.sessionId}>
              <td>{c.title}</td>
              <td>{c.courseTitle ?? '–'}</td>
              <td>{c.when}</td>
              <td>
                {c.place} ({c.unitName})
              </td>
              <td>
                {c.attendanceLabel}
                {c.attendedAt && ` lúc ${vietnamTime(c.attendedAt)}`}
              </td>
              <td>{c.result ?? '–'}</td>
            </tr>
          ))}
        </Table>
      )}
    </Part>
  );
}

function Qualifications({ record }: { record: LearningRecord }) {
  return (
    <Part id="dat-yeu-cau" title="Đạt yêu cầu Bình dân học vụ số">
      {record.qualifications.length === 0 ? (
        <p>Chưa được xác nhận đạt yêu cầu.</p>
      ) : (
        <Table
          minRem={34}
          labelledBy="dat-yeu-cau"
          head={['Chương trình', 'Ngày cấp', 'Hiệu lực đến hết ngày', 'Tình trạng', 'Số hiệu']}
        >
          {record.qualifications.map((q) => (
            <tr key={q.code}>
              <td>{q.programName}</td>
              <td>{vietnamDay(q.issuedOn)}</td>
              <td>{q.lastValidDay ? vietnamDay(q.lastValidDay) : 'Không thời hạn'}</td>
              <td>
                {q.status === 'valid' ? q.statusLabel : q.sentence}
                {q.status === 'revoked' && q.revokedReason && `: ${q.revokedReason}`}
              </td>
              <td>
                <a href={`/verify/${encodeURIComponent(q.code)}`}>{q.code}</a>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Part>
  );
}

function Certificates({ record }: { record: LearningRecord }) {
  return (
    <Part id="chung-nhan" title="Giấy chứng nhận hoàn thành khóa học">
      {record.certificates.length === 0 ? (
        <p>Chưa có giấy chứng nhận nào.</p>
      ) : (
        <Table minRem={28} labelledBy="chung-nhan" head={['Khóa học', 'Ngày cấp', 'Số hiệu', 'Tình trạng']}>
          {record.certificates.map((c) => (
            <tr key={c.code}>
              <td>{c.courseTitle}</td>
              <td>{vietnamDay(c.issuedOn)}</td>
              <td>
                <a href={`/verify/${encodeURIComponent(c.code)}`}>{c.code}</a>
              </td>
              <td>{c.revokedAt ? `Đã thu hồi: ${c.revokedReason ?? ''}` : 'Còn hiệu lực'}</td>
            </tr>
          ))}
        </Table>
      )}
    </Part>
  );
}

function CourseDetail({ course }: { course: RecordCourse }) {
  const { courseId, progress: p } = course;
  return (
    <Part id={`khoa-${courseId}`} title={course.title} level={3}>
      {p ? (
        <p>
          Bắt đầu lúc {vietnamTime(p.startedAt)};{' '}
          {p.completedAt ? `hoàn thành lúc ${vietnamTime(p.completedAt)}` : `chưa hoàn thành (${p.percent}%)`}
          . Thời gian học (ước tính): đọc bài khoảng {durationText(course.time.readingMs)}, làm bài kiểm tra{' '}
          {durationText(course.time.quizMs)}.
        </p>
      ) : (
        <p>Chưa bắt đầu.</p>
      )}
      <Part id={`bai-${courseId}`} title="Bài học đã đọc xong" level={4}>
        {course.lessons.length === 0 ? (
          <p>Chưa đọc xong bài nào.</p>
        ) : (
          <Table minRem={20} labelledBy={`bai-${courseId}`} head={['Bài học', 'Đọc xong lúc']}>
            {course.lessons.map((l) => (
              <tr key={l.lessonId}>
                <td>{l.title}</td>
                <td>
                  {vietnamTime(l.firstAt)}
                  {l.times > 1 && ` (đọc ${l.times} lần, lần cuối ${vietnamTime(l.lastAt)})`}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Part>
      {course.quizzes.map((quiz) => (
        <Part key={quiz.quizId} id={`kt-${quiz.quizId}`} title={`Bài kiểm tra: ${quiz.title}`} level={4}>
          <p>Điểm đạt: từ {quiz.passPercent}%.</p>
          <Table
            minRem={32}
            labelledBy={`kt-${quiz.quizId}`}
            head={['Lần', 'Nộp bài lúc', 'Thời gian làm bài', 'Điểm', 'Kết quả']}
          >
            {quiz.attempts.map((a) => (
              <tr key={a.id}>
                <td>{a.number}</td>
                <td>{a.submittedAt ? vietnamTime(a.submittedAt) : `Mở lúc ${vietnamTime(a.startedAt)}`}</td>
                <td>{attemptDuration(a)}</td>
                <td>{percentText(a.scorePercent)}</td>
                <td>{attemptResult(a)}</td>
              </tr>
            ))}
          </Table>
        </Part>
      ))}
    </Part>
  );
}

/** The whole record of one person, for their managers and evaluators (and themself). */
export function RecordPage({ shell, record }: { shell: Shell; record: LearningRecord }) {
  const { person } = record;
  return (
    <Layout shell={shell} title={`Hồ sơ học tập: ${person.fullName}`}>
      <h1>Hồ sơ học tập: {person.fullName}</h1>
      <dl class="facts">
        <dt>Đối tượng</dt>
        <dd>{person.blockLabel}</dd>
        <dt>Đơn vị</dt>
        <dd>{person.unit ?? 'Chưa chọn'}</dd>
        <dt>Chức vụ</dt>
        <dd>{person.position ?? '–'}</dd>
        <dt>Số điện thoại</dt>
        <dd>{person.phone ?? '–'}</dd>
        <dt>Email</dt>
        <dd>{person.email ?? '–'}</dd>
        <dt>Số CCCD</dt>
        <dd>{person.nationalId ?? '–'}</dd>
      </dl>
      <p class="no-print">
        Tải hồ sơ này: <a href={recordDownloadHref(person.id)}>Excel (.xlsx)</a> (việc tải về được ghi vào
        nhật ký)
      </p>
      <Summary record={record} />
      {/* The first table of the page: what a review starts from. */}
      <CourseOverview courses={record.courses} />
      <Assignments record={record} />
      <Programs record={record} />
      <Classes record={record} />
      <Qualifications record={record} />
      <Certificates record={record} />
      {record.courses.length > 0 && (
        <Part id="chi-tiet" title="Chi tiết từng khóa học">
          {record.courses.map((course) => (
            <CourseDetail key={course.courseId} course={course} />
          ))}
        </Part>
      )}
      <Part id="cach-tinh" title="Cách tính thời gian học">
        <p>
          Thời gian làm bài kiểm tra là tổng thời gian của các lần làm bài, từ lúc mở bài đến lúc nộp bài.
        </p>
        <p>
          Thời gian đọc bài là <strong>ước tính</strong>: hệ thống không đo được việc đọc, nên khoảng thời
          gian giữa hai hoạt động học liên tiếp (đọc xong một bài, mở một bài kiểm tra) trong cùng một buổi
          học được tính là thời gian đọc. Khoảng nghỉ dài hơn {BREAK_MINUTES} phút được coi là hết buổi học và
          không được tính, nên thời gian đọc bài đầu tiên của mỗi buổi không được tính: con số thực tế có thể
          cao hơn.
        </p>
      </Part>
      <p class="meta">
        Mỗi lần người khác xem hồ sơ này, và mỗi lần hồ sơ được tải về, đều được ghi vào nhật ký hoạt động.
      </p>
    </Layout>
  );
}

const generatedLine = (exportedBy: string) =>
  `Tạo lúc ${vietnamTime(new Date().toISOString())} (giờ Việt Nam), người xuất: ${exportedBy}`;
const clockOf = (iso: string) => vietnamTime(iso).split(' ')[0] ?? '';

/** The columns of the record's download: one row per learning act, oldest first. */
export const RECORD_COLUMNS = [
  { header: 'Ngày', width: 12, day: true },
  { header: 'Giờ', width: 7 },
  { header: 'Khóa học', width: 32 },
  { header: 'Hoạt động', width: 20 },
  { header: 'Bài học, bài kiểm tra', width: 32 },
  { header: 'Lần làm bài', width: 8 },
  { header: 'Thời gian làm bài', width: 16 },
  { header: 'Thời gian làm bài (giây)', width: 12 },
  { header: 'Điểm (%)', width: 9 },
  { header: 'Kết quả', width: 20 },
] as const;

/**
 * The record as a download: a few lines on the person (time spent, qualifications, assignments),
 * then every lesson finished, quiz attempt and course completed, oldest first. Personal data:
 * the caller audits every download.
 */
export function recordTable(record: LearningRecord, exportedBy: string): TableSheet {
  const { person, time } = record;
  type Row = { at: string; cells: Cell[] };
  const act = (at: string, course: string, what: string, rest: Cell[]): Row => ({
    at,
    cells: [dayOf(at), clockOf(at), course, what, ...rest],
  });
  const rows: Row[] = [
    ...record.lessons.map((l) =>
      act(l.firstAt, l.courseTitle, 'Đọc xong bài học', [l.title, null, null, null, null, null]),
    ),
    ...record.attempts.map((a) =>
      act(attemptMoment(a), a.courseTitle, 'Làm bài kiểm tra', [
        a.quizTitle,
        a.number,
        a.durationMs === null ? null : attemptDuration(a),
        a.durationMs === null ? null : Math.round(a.durationMs / 1000),
        a.scorePercent,
        attemptResult(a),
      ]),
    ),
    ...record.classes.map((c) =>
      act(c.attendedAt ?? c.startsAt, c.courseTitle ?? '', 'Lớp học trực tiếp', [
        `${c.title} — ${c.place}`,
        null,
        null,
        null,
        c.scorePercent,
        c.result ? `${c.attendanceLabel}; bài kiểm tra trên giấy ${c.result}` : c.attendanceLabel,
      ]),
    ),
    ...record.courses.flatMap((c) =>
      c.progress?.completedAt
        ? [act(c.progress.completedAt, c.title, 'Hoàn thành khóa học', [null, null, null, null, null, null])]
        : [],
    ),
  ];
  // Stable: at the same moment, a lesson comes before the attempt and the completion it led to.
  rows.sort((a, b) => a.at.localeCompare(b.at));
  const qualifications = record.qualifications.map((q) => `${q.programName}: ${q.sentence}`).join('; ');
  const assignments = record.assignments
    .map((a) => `${a.title}, hạn ${vietnamDay(a.dueOn)}: ${a.statusLabel.toLowerCase()}`)
    .join('; ');
  return {
    sheetName: 'Hồ sơ học tập',
    lines: [
      `Hồ sơ học tập: ${person.fullName}`,
      `${person.blockLabel}, ${person.unit ?? 'chưa chọn đơn vị'}`,
      `Thời gian học (ước tính): khoảng ${durationText(time.totalMs)}, gồm đọc bài khoảng ${durationText(time.readingMs)} ` +
        `(ước tính từ khoảng cách giữa các hoạt động học liên tiếp, không tính khoảng nghỉ quá ${BREAK_MINUTES} phút) ` +
        `và làm bài kiểm tra ${durationText(time.quizMs)} (từ lúc mở đến lúc nộp bài)`,
      `Đạt yêu cầu Bình dân học vụ số: ${qualifications || 'chưa có'}`,
      `Việc học được giao: ${assignments || 'không có'}`,
      `Lớp học trực tiếp: ${
        record.classes.length === 0
          ? 'chưa tham gia'
          : `có mặt ${record.summary.classesAttended} trong ${record.classes.length} buổi`
      }`,
      generatedLine(exportedBy),
    ],
    columns: RECORD_COLUMNS,
    rows: rows.map((r) => r.cells),
  };
}
