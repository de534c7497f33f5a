import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { AuthoringService } from '../catalog/authoring.js';
import { authoringPath } from '../catalog/authoringViews.js';
import { ITEM_FLAG_LABELS, type ItemStats, itemAnalysis, MIN_ATTEMPTS } from './itemAnalysis.js';
import { assessmentPolicy } from './policy.js';

const PROMPT_LENGTH = 120;

/** A prompt cut at a word boundary, so a long situation does not swamp the table. */
function shortened(prompt: string): string {
  if (prompt.length <= PROMPT_LENGTH) return prompt;
  const cut = prompt.slice(0, PROMPT_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > PROMPT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const hundredths = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface QuizSection {
  lessonId: string;
  title: string;
  attempts: number;
  items: ItemStats[];
}

function Explanation() {
  return (
    <section aria-labelledby="cach-doc">
      <h2 id="cach-doc">Cách đọc số liệu</h2>
      <dl class="facts">
        <dt>Lượt làm</dt>
        <dd>
          Số lượt đã nộp bài có câu hỏi này. Một học viên làm nhiều lượt thì mỗi lượt được tính riêng. Trang
          này không hiển thị tên hay bài làm của ai.
        </dd>
        <dt>Tỉ lệ đúng</dt>
        <dd>
          Phần trăm lượt trả lời đúng hoàn toàn: câu nhiều đáp án phải chọn đủ và không chọn thừa; câu bỏ
          trống tính là sai.
        </dd>
        <dt>Độ phân loại</dt>
        <dd>
          Tỉ lệ đúng của một phần ba số lượt có điểm cả bài cao nhất trừ đi tỉ lệ đúng của một phần ba có điểm
          thấp nhất, từ −1 đến 1. Câu hỏi tốt thường từ 0,3 trở lên. Dưới 0,1 là câu hỏi không phân biệt được
          người đã nắm bài với người chưa nắm; số âm nghĩa là người làm tốt cả bài lại hay sai câu này, nên
          kiểm tra lại đáp án. Chỉ tính khi có từ {MIN_ATTEMPTS} lượt làm trở lên: với ít lượt hơn, mỗi nhóm
          có không quá một người nên con số không nói lên điều gì.
        </dd>
        <dt>Phương án sai được chọn nhiều nhất</dt>
        <dd>
          Với câu chọn đáp án và câu đúng/sai: phương án sai được chọn nhiều lần nhất. Với các dạng khác: câu
          trả lời sai hay gặp nhất.
        </dd>
        <dt>Cảnh báo</dt>
        <dd>
          Chỉ được gắn khi có từ {MIN_ATTEMPTS} lượt làm trở lên.
          <ul>
            <li>
              <strong>{ITEM_FLAG_LABELS.tooEasy}</strong>: trên 95% lượt làm đúng.
            </li>
            <li>
              <strong>{ITEM_FLAG_LABELS.tooHard}</strong>: dưới 20% lượt làm đúng.
            </li>
            <li>
              <strong>{ITEM_FLAG_LABELS.poorDiscrimination}</strong>: độ phân loại dưới 0,1.
            </li>
            <li>
              <strong>{ITEM_FLAG_LABELS.strongDistractor}</strong>: một phương án sai được chọn nhiều hơn
              phương án đúng (câu nhiều đáp án: nhiều hơn phương án đúng ít được chọn nhất), thường do đáp án
              bị đặt sai hoặc câu hỏi diễn đạt chưa rõ.
            </li>
          </ul>
        </dd>
      </dl>
    </section>
  );
}

function ItemRow({ item }: { item: ItemStats }) {
  return (
    <tr>
      <th scope="row">
        {item.position}. {shortened(item.prompt)}
      </th>
      <td>{item.attempts}</td>
      <td>{item.correctShare === null ? '—' : `${Math.round(item.correctShare * 100)}%`}</td>
      <td>
        {item.discrimination === null
          ? `Chưa đủ ${MIN_ATTEMPTS} lượt`
          : hundredths.format(item.discrimination).replace('-', '−')}
      </td>
      <td>{item.topWrong ? `“${item.topWrong.answer}” (${item.topWrong.count} lượt)` : '—'}</td>
      <td>{item.flags.length === 0 ? '—' : item.flags.map((f) => ITEM_FLAG_LABELS[f]).join('; ')}</td>
    </tr>
  );
}

function QuizTable({ quiz }: { quiz: QuizSection }) {
  return (
    <section>
      <h2>{quiz.title}</h2>
      {quiz.attempts === 0 ? (
        <p class="notice">Chưa có lượt nộp bài nào cho bài kiểm tra này.</p>
      ) : (
        <table class="data">
          <caption>
            Các câu hỏi của “{quiz.title}” — {quiz.attempts} lượt nộp bài
          </caption>
          <thead>
            <tr>
              <th scope="col">Câu hỏi</th>
              <th scope="col">Lượt làm</th>
              <th scope="col">Tỉ lệ đúng</th>
              <th scope="col">Độ phân loại</th>
              <th scope="col">Phương án sai được chọn nhiều nhất</th>
              <th scope="col">Cảnh báo</th>
            </tr>
          </thead>
          <tbody>
            {quiz.items.map((item) => (
              <ItemRow key={item.questionId} item={item} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AnalysisPage(props: {
  shell: Shell;
  courseId: string;
  courseTitle: string;
  versionNumber: number | null;
  quizzes: QuizSection[];
}) {
  const { shell, courseId, courseTitle, versionNumber, quizzes } = props;
  return (
    <Layout shell={shell} title={`Phân tích câu hỏi: ${courseTitle}`}>
      <p class="crumbs">
        <a href="/soan-bai">Soạn bài</a> › <a href={authoringPath(courseId)}>{courseTitle}</a>
      </p>
      <h1>Phân tích câu hỏi</h1>
      <p class="meta">{courseTitle}</p>
      {versionNumber === null ? (
        <p class="notice">Khóa học chưa được xuất bản nên chưa có lượt làm bài nào để phân tích.</p>
      ) : (
        <>
          <p class="hint">
            Chỉ tính các lượt nộp bài của phiên bản đang dùng (số {versionNumber}). Mỗi phiên bản giữ bộ câu
            hỏi riêng của nó và câu hỏi có thể đã được sửa, nên lượt làm của các phiên bản cũ không được gộp
            vào đây.
          </p>
          {quizzes.length === 0 ? (
            <p class="notice">Phiên bản này không có bài kiểm tra nào.</p>
          ) : (
            quizzes.map((quiz) => <QuizTable key={quiz.lessonId} quiz={quiz} />)
          )}
          <Explanation />
        </>
      )}
    </Layout>
  );
}

/** Item analysis of a course's quizzes for content managers: figures per question, no personal data. */
export const analysisPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const authoring = new AuthoringService(ctx.db);

  app.get('/soan-bai/khoa-hoc/:id/phan-tich', { config: { access: 'signedIn' } }, async (request, reply) => {
    const tenantId = request.tenant.id;
    authorize(assessmentPolicy(actorOf(request), 'quiz.analyse', { tenantId }));
    const { id } = request.params as { id: string };
    const course = await authoring.course(tenantId, id);
    if (!course) throw notFound('Không tìm thấy khóa học này.');
    const outline = course.publishedVersionId
      ? await ctx.catalog.versionOutline(tenantId, course.publishedVersionId)
      : null;
    const lessons = (outline?.lessons ?? []).flatMap((l) => (l.quizId ? [{ ...l, quizId: l.quizId }] : []));
    const analysed = new Map(
      (
        await itemAnalysis(
          ctx.db,
          tenantId,
          lessons.map((l) => l.quizId),
        )
      ).map((a) => [a.quizId, a]),
    );
    const quizzes = lessons.map((lesson) => ({
      lessonId: lesson.id,
      title: lesson.title,
      attempts: analysed.get(lesson.quizId)?.attempts ?? 0,
      items: analysed.get(lesson.quizId)?.items ?? [],
    }));
    return sendPage(
      reply,
      <AnalysisPage
        shell={shellOf(ctx, request, reply)}
        courseId={course.id}
        courseTitle={outline?.title ?? course.title}
        versionNumber={outline ? course.publishedNumber : null}
        quizzes={quizzes}
      />,
    );
  });
};
