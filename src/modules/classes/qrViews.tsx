import { Layout, type Shell } from '../../web/page.js';
import { CODE_WINDOW_MS } from './checkinCode.js';
import { MANAGE_PATH, managePath, rosterPath } from './paths.js';
import type { SessionCard } from './sessions.js';
import { sessionWhen } from './sessionTimes.js';

/** Seconds between reloads of the QR page: a new code is always on screen before the last one dies. */
export const QR_REFRESH_SECONDS = 25;

/**
 * `/quan-tri/lop-hoc/:id/ma-diem-danh`, for the instructor's screen or a projector: the QR code
 * of the check-in address, big, with the address in text for those who type it, and how many
 * are present. The page reloads itself (a `Refresh` header, no script) to show the next code.
 */
export function QrPage(props: {
  shell: Shell;
  card: SessionCard;
  /** The QR code as SVG markup, and the address it holds; null outside the check-in period. */
  code: { svg: string; url: string } | null;
  closedReason: string | null;
}) {
  const { shell, card, code, closedReason } = props;
  const { session } = card;
  return (
    <Layout shell={shell} title={`Mã điểm danh: ${session.title}`}>
      <p class="crumbs">
        <a href={MANAGE_PATH}>Quản lý lớp học trực tiếp</a> ›{' '}
        <a href={managePath(session.id)}>{session.title}</a>
      </p>
      <h1>Quét mã để điểm danh</h1>
      <p>
        <strong>{session.title}</strong>
        <br />
        {sessionWhen(session)}, {session.place}
      </p>
      {code ? (
        <>
          {/* SVG markup drawn by the qrcode package from our own address. */}
          <div
            role="img"
            aria-label="Mã QR điểm danh"
            class="qr-code"
            dangerouslySetInnerHTML={{ __html: code.svg }}
          />
          <p>
            Hoặc mở địa chỉ: <strong class="qr-address">{code.url}</strong>
          </p>
          <p class="meta">
            Mã đổi sau mỗi {CODE_WINDOW_MS / 1000} giây và trang tự tải lại, nên ảnh chụp mã gửi cho người
            vắng mặt sẽ hết hạn.
          </p>
        </>
      ) : (
        <p class="notice bad">{closedReason}</p>
      )}
      <p class="notice" role="status">
        Đã có mặt: <strong>{card.present}</strong> người ({card.seats} người giữ chỗ, {session.capacity} chỗ).
      </p>
      <p>
        <a href={rosterPath(session.id)}>Danh sách điểm danh</a>
      </p>
    </Layout>
  );
}
