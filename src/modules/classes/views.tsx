import type { FieldErrors } from '../../errors.js';
import { BLOCKS, type Block } from '../identity/blocks.js';
import type { SessionCard } from './sessions.js';
import { hasStarted, isOver, sessionWhen } from './sessionTimes.js';

/** What a form shows after a refusal: field messages, the summary, and the values as posted. */
export interface FormState {
  errors: FieldErrors;
  message?: string;
  values: Record<string, string | undefined>;
}

export const emptyForm: FormState = { errors: {}, values: {} };

/** The sentence a `?xong=` code stands for, after a change succeeded. */
export function DoneNotice({ notices, done }: { notices: Record<string, string>; done?: string }) {
  const text = done ? notices[done] : undefined;
  if (!text) return null;
  return (
    <p class="notice ok" role="status">
      {text}
    </p>
  );
}

/** Who a session is for, in words: a block, a note, both, or everyone. */
export function audienceText(card: SessionCard): string {
  const { audienceBlock, audienceNote } = card.session;
  const block = audienceBlock ? (BLOCKS[audienceBlock as Block] ?? audienceBlock) : null;
  return [block, audienceNote].filter(Boolean).join(' — ') || 'Mọi người';
}

export const seatsText = (card: SessionCard): string => {
  const free = Math.max(card.session.capacity - card.seats, 0);
  return free === 0 ? `Đã đủ ${card.session.capacity} chỗ` : `Còn ${free} trong ${card.session.capacity} chỗ`;
};

/** The facts of a session, as a list of terms: when, where, who organises and teaches, for whom. */
export function SessionFacts({ card }: { card: SessionCard }) {
  const { session } = card;
  return (
    <dl class="facts">
      <dt>Thời gian</dt>
      <dd>{sessionWhen(session)}</dd>
      <dt>Địa điểm</dt>
      <dd>{session.place}</dd>
      <dt>Đơn vị tổ chức</dt>
      <dd>{card.unitName}</dd>
      {card.courseTitle && (
        <>
          <dt>Khóa học</dt>
          <dd>
            {card.courseSlug ? (
              <a href={`/khoa-hoc/${card.courseSlug}`}>{card.courseTitle}</a>
            ) : (
              card.courseTitle
            )}
          </dd>
        </>
      )}
      <dt>Giảng viên</dt>
      <dd>{card.instructorName}</dd>
      <dt>Dành cho</dt>
      <dd>{audienceText(card)}</dd>
      <dt>Số chỗ</dt>
      <dd>{seatsText(card)}</dd>
    </dl>
  );
}

/** "Đã hủy", "Đã diễn ra" or "Sắp diễn ra", for lists. */
export function stateText(card: SessionCard, now: Date): string {
  if (card.session.status === 'cancelled') return 'Đã hủy';
  if (isOver(card.session, now)) return 'Đã diễn ra';
  return hasStarted(card.session, now) ? 'Đang diễn ra' : 'Sắp diễn ra';
}
