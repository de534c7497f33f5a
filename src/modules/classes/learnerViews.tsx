import { vietnamTime } from '../../web/format.js';
import { ErrorSummary } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import { resultText } from './paperResults.js';
import {
  CLASSES_PATH,
  checkinPath,
  classPath,
  MANAGE_PATH,
  managePath,
  registerPath,
  unregisterPath,
} from './paths.js';
import type { AttendeeRow } from './queries.js';
import type { SessionCard } from './sessions.js';
import { sessionWhen } from './sessionTimes.js';
import { DoneNotice, type FormState, SessionFacts, seatsText } from './views.js';

function SessionList({ cards, empty, mine }: { cards: SessionCard[]; empty: string; mine?: Set<string> }) {
  if (cards.length === 0) return <p>{empty}</p>;
  return (
    <>
      {cards.map((card) => (
        <article class="card" key={card.session.id}>
          <h3>
            <a href={classPath(card.session.id)}>{card.session.title}</a>
          </h3>
          <p>
            {sessionWhen(card.session)}
            <br />
            {card.session.place} ({card.unitName})
          </p>
          <p class="meta">{mine?.has(card.session.id) ? 'Bạn đã đăng ký' : seatsText(card)}</p>
        </article>
      ))}
    </>
  );
}

/** `/lop-hoc`: the learner's own registrations, then the sessions near them. */
export function ClassListPage(props: {
  shell: Shell;
  mine: SessionCard[];
  nearby: SessionCard[];
  page: number;
  more: boolean;
  mayManage: boolean;
}) {
  const { shell, mine, nearby, page, more, mayManage } = props;
  return (
    <Layout shell={shell} title="Lớp học trực tiếp">
      <h1>Lớp học trực tiếp</h1>
      <p>
        Các buổi học có người hướng dẫn tại xã, thôn của bạn. Hãy mang theo điện thoại; khi đến lớp, quét mã
        QR trên màn hình của giảng viên để điểm danh.
      </p>
      {mayManage && (
        <p>
          <a class="button" href={MANAGE_PATH}>
            Quản lý lớp học
          </a>
        </p>
      )}
      {page === 1 && (
        <section>
          <h2>Buổi học bạn đã đăng ký</h2>
          <SessionList cards={mine} empty="Bạn chưa đăng ký buổi học nào sắp diễn ra." />
        </section>
      )}
      <section>
        <h2>Buổi học sắp diễn ra gần bạn</h2>
        <SessionList
          cards={nearby}
          mine={new Set(mine.map((card) => card.session.id))}
          empty={
            page === 1
              ? 'Chưa có buổi học trực tiếp nào sắp diễn ra ở đơn vị của bạn.'
              : 'Không còn buổi học nào ở trang này.'
          }
        />
        <Pager
          page={page}
          hasNext={more}
          href={(n) => `${CLASSES_PATH}?trang=${n}`}
          label="Các trang danh sách buổi học"
        />
      </section>
    </Layout>
  );
}

const LEARNER_NOTICES: Record<string, string> = {
  'dang-ky': 'Đã đăng ký. Hãy đến đúng giờ và quét mã QR tại lớp để điểm danh.',
  'huy-dang-ky': 'Đã hủy đăng ký; chỗ của bạn được nhường cho người khác.',
  'diem-danh': 'Đã ghi nhận bạn có mặt. Chúc bạn học tốt!',
  'da-diem-danh': 'Bạn đã điểm danh buổi học này rồi.',
};

/** What the learner can do about their seat: register, cancel, or read that they were there. */
function MySeat(props: {
  shell: Shell;
  card: SessionCard;
  seat: AttendeeRow | undefined;
  registration: 'open' | 'started' | 'full' | 'cancelled' | 'otherBlock';
  audience: string;
}) {
  const { shell, card, seat, registration, audience } = props;
  const id = card.session.id;
  if (seat?.attendedAt) {
    const result = resultText(seat);
    return (
      <section>
        <h2>Việc học của bạn ở buổi này</h2>
        <p>Bạn đã điểm danh lúc {vietnamTime(seat.attendedAt)}.</p>
        {result && <p>Điểm bài kiểm tra trên giấy: {result}.</p>}
      </section>
    );
  }
  if (seat) {
    return (
      <section>
        <h2>Bạn đã đăng ký buổi học này</h2>
        <p>Khi đến lớp, hãy quét mã QR trên màn hình của giảng viên để điểm danh.</p>
        {registration === 'open' && (
          <p>
            <a class="button" href={unregisterPath(id)}>
              Hủy đăng ký
            </a>
          </p>
        )}
      </section>
    );
  }
  const refusals = {
    started:
      'Buổi học đã bắt đầu nên không đăng ký trực tuyến được nữa. Bạn vẫn có thể đến lớp và báo giảng viên.',
    full: 'Lớp đã đủ chỗ.',
    cancelled: 'Buổi học này đã bị hủy.',
    otherBlock: `Buổi học này dành cho đối tượng “${audience}”, nên không đăng ký trực tuyến được.`,
  };
  return (
    <section>
      <h2>Đăng ký tham gia</h2>
      {registration === 'open' ? (
        <form method="post" action={registerPath(id)}>
          <CsrfField shell={shell} />
          <button type="submit" class="primary">
            Đăng ký tham gia
          </button>
        </form>
      ) : (
        <p class="notice">{refusals[registration]}</p>
      )}
    </section>
  );
}

/** `/lop-hoc/:id`: one session as a learner sees it. */
export function SessionPage(props: {
  shell: Shell;
  card: SessionCard;
  seat: AttendeeRow | undefined;
  registration: 'open' | 'started' | 'full' | 'cancelled' | 'otherBlock';
  audience: string;
  mayManage: boolean;
  form: FormState;
  done?: string;
}) {
  const { shell, card, mayManage, form, done } = props;
  const { session } = card;
  return (
    <Layout shell={shell} title={session.title}>
      <p class="crumbs">
        <a href={CLASSES_PATH}>Lớp học trực tiếp</a>
      </p>
      <h1>{session.title}</h1>
      {session.status === 'cancelled' && <p class="notice bad">Buổi học này đã bị hủy.</p>}
      <DoneNotice notices={LEARNER_NOTICES} done={done} />
      <ErrorSummary errors={form.errors} message={form.message} />
      <SessionFacts card={card} />
      <MySeat {...props} />
      {mayManage && (
        <p>
          <a class="button" href={managePath(session.id)}>
            Quản lý buổi học này
          </a>
        </p>
      )}
    </Layout>
  );
}

/** The confirmation before a learner gives their seat back. */
export function UnregisterPage({
  shell,
  card,
  hasSeat,
}: {
  shell: Shell;
  card: SessionCard;
  hasSeat: boolean;
}) {
  const { session } = card;
  return (
    <Layout shell={shell} title="Hủy đăng ký">
      <p class="crumbs">
        <a href={CLASSES_PATH}>Lớp học trực tiếp</a> › <a href={classPath(session.id)}>{session.title}</a>
      </p>
      <h1>Hủy đăng ký</h1>
      {!hasSeat ? (
        <p class="notice">Bạn chưa đăng ký buổi học này.</p>
      ) : (
        <form method="post" action={unregisterPath(session.id)}>
          <CsrfField shell={shell} />
          <p>
            Hủy đăng ký buổi học <strong>{session.title}</strong> ({sessionWhen(session)})? Chỗ của bạn sẽ
            được nhường cho người khác.
          </p>
          <p class="actions">
            <button type="submit" class="primary">
              Hủy đăng ký
            </button>
            <a class="button" href={classPath(session.id)}>
              Không, quay lại
            </a>
          </p>
        </form>
      )}
    </Layout>
  );
}

/**
 * Where the QR code leads: "Xác nhận có mặt" with a button that posts the code back, or why it
 * cannot be used (expired, wrong, the session over or cancelled).
 */
export function CheckinPage(props: {
  shell: Shell;
  card: SessionCard;
  code: string;
  refusal?: string;
  attendedAt?: string;
}) {
  const { shell, card, code, refusal, attendedAt } = props;
  const { session } = card;
  return (
    <Layout shell={shell} title="Xác nhận có mặt">
      <p class="crumbs">
        <a href={CLASSES_PATH}>Lớp học trực tiếp</a> › <a href={classPath(session.id)}>{session.title}</a>
      </p>
      <h1>Xác nhận có mặt</h1>
      <p>
        <strong>{session.title}</strong>
        <br />
        {sessionWhen(session)}
        <br />
        {session.place}
      </p>
      {attendedAt ? (
        <p class="notice ok" role="status">
          Bạn đã điểm danh lúc {vietnamTime(attendedAt)}.
        </p>
      ) : refusal ? (
        <div class="notice bad" role="alert">
          <p>{refusal}</p>
        </div>
      ) : (
        <form method="post" action={checkinPath(session.id)}>
          <CsrfField shell={shell} />
          <input type="hidden" name="ma" value={code} />
          <button type="submit" class="primary">
            Tôi có mặt
          </button>
        </form>
      )}
      <p>
        <a href={classPath(session.id)}>Xem buổi học</a>
      </p>
    </Layout>
  );
}
