import { randomUUID } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { type Db, inTransaction } from '../../db/database.js';
import { type AppError, conflict, notFound, validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import { BLOCKS, type Block } from '../identity/blocks.js';
import { normalizePhone } from '../identity/phone.js';
import { isLiveCheckinCode, wasCheckinCode } from './checkinCode.js';
import { type AttendeeRow, classQueries as q, type SessionRow } from './queries.js';
import { allowedSession, type ClassDeps } from './sessions.js';
import { checkinPeriod, hasStarted, sessionWhen } from './sessionTimes.js';

const FULL_MESSAGE = 'Lớp đã đủ chỗ.';
const EXPIRED_MESSAGE = 'Mã điểm danh đã hết hạn, hãy quét mã mới trên màn hình của giảng viên.';
const WRONG_CODE_MESSAGE = 'Mã điểm danh không đúng. Hãy quét lại mã trên màn hình của giảng viên.';
const CANCELLED_MESSAGE = 'Buổi học này đã bị hủy.';

/** A new seat: every field empty but those given. */
const seat = (session: SessionRow, fields: Partial<AttendeeRow>): AttendeeRow => ({
  id: randomUUID(),
  tenantId: session.tenantId,
  sessionId: session.id,
  accountId: null,
  walkInName: null,
  walkInPhone: null,
  registeredAt: null,
  addedBy: null,
  attendedAt: null,
  attendanceVia: null,
  paperScore: null,
  paperMax: null,
  paperPassed: null,
  resultBy: null,
  resultAt: null,
  ...fields,
});

/**
 * Runs `work` holding the session's lock (see `classQueries.lockSession`), refusing a cancelled
 * session; `seatFree` says whether one more seat fits, by the capacity as it is under the lock.
 */
function withSession<T>(
  deps: ClassDeps,
  session: SessionRow,
  work: (tx: Db, seatFree: () => Promise<boolean>) => Promise<T>,
): Promise<T> {
  return inTransaction(deps.db, async (tx) => {
    const locked = await q.lockSession(tx.kysely, session.id);
    if (locked.status === 'cancelled') throw conflict({}, CANCELLED_MESSAGE);
    return work(tx, async () => (await q.countSeats(tx.kysely, session.id)) < locked.capacity);
  });
}

/**
 * Registers the actor for a session online, before it starts. A session for one learner block
 * takes only that block's people online (the instructor may still add anyone at the door).
 * Registering twice keeps the one seat.
 */
export async function register(deps: ClassDeps, actor: Actor, sessionId: string): Promise<void> {
  const { session } = await allowedSession(deps, actor, sessionId, 'class.attend');
  if (session.status !== 'cancelled' && hasStarted(session, deps.now())) {
    throw conflict(
      {},
      'Buổi học đã bắt đầu nên không đăng ký trực tuyến được nữa. Hãy đến lớp và báo giảng viên.',
    );
  }
  if (session.audienceBlock && session.audienceBlock !== actor.block) {
    const audience = BLOCKS[session.audienceBlock as Block] ?? session.audienceBlock;
    throw conflict(
      {},
      `Buổi học này dành cho đối tượng “${audience}”, nên bạn không đăng ký trực tuyến được.`,
    );
  }
  await withSession(deps, session, async (tx, seatFree) => {
    if (await q.seatOf(tx.kysely, session.id, actor.accountId)) return;
    if (!(await seatFree())) throw conflict({}, FULL_MESSAGE);
    await q.insertAttendee(
      tx.kysely,
      seat(session, { accountId: actor.accountId, registeredAt: deps.now().toISOString() }),
    );
  });
}

/** Gives the actor's seat back, before the session starts; someone present keeps theirs. */
export async function cancelRegistration(deps: ClassDeps, actor: Actor, sessionId: string): Promise<void> {
  const { session } = await allowedSession(deps, actor, sessionId, 'class.attend');
  const mine = await q.seatOf(deps.db.kysely, session.id, actor.accountId);
  if (!mine) throw conflict({}, 'Bạn chưa đăng ký buổi học này.');
  if (mine.attendedAt) throw conflict({}, 'Bạn đã có mặt ở buổi học này nên không hủy đăng ký được.');
  if (hasStarted(session, deps.now()))
    throw conflict({}, 'Buổi học đã bắt đầu nên không hủy đăng ký được nữa.');
  await q.deleteAttendee(deps.db.kysely, mine.id);
}

export interface CheckIn {
  attendedAt: string;
  /** True when the person had checked in before: nothing changed. */
  already: boolean;
}

/** Refuses a check-in outside the session's check-in period, with the reason in words. */
export function checkinRefusal(session: SessionRow, now: Date): AppError | null {
  switch (checkinPeriod(session, now)) {
    case 'cancelled':
      return conflict({}, CANCELLED_MESSAGE);
    case 'early':
      return conflict({}, `Chưa đến giờ điểm danh. Buổi học diễn ra ${sessionWhen(session)}.`);
    case 'closed':
      return conflict({}, 'Buổi học đã kết thúc; không điểm danh bằng mã được nữa. Hãy báo giảng viên.');
    case 'open':
      return null;
  }
}

/** Refuses a code that is not live now: one that was the session's code is expired, anything else wrong. */
export function codeRefusal(session: SessionRow, code: string, now: Date): AppError | null {
  if (isLiveCheckinCode(session.checkinSecret, session.id, code, now)) return null;
  return validationFailed(
    {},
    wasCheckinCode(session.checkinSecret, session.id, code, now) ? EXPIRED_MESSAGE : WRONG_CODE_MESSAGE,
  );
}

/**
 * Checks the actor in with the code the instructor's screen shows. Someone holding a seat always
 * gets in; someone without one takes a free seat, or is refused when the class is full. Checking
 * in twice records the first time only.
 */
export async function checkIn(
  deps: ClassDeps,
  actor: Actor,
  sessionId: string,
  code: string,
): Promise<CheckIn> {
  const { session } = await allowedSession(deps, actor, sessionId, 'class.attend');
  const now = deps.now();
  const refusal = checkinRefusal(session, now) ?? codeRefusal(session, code, now);
  if (refusal) throw refusal;
  return withSession(deps, session, async (tx, seatFree) => {
    const mine = await q.seatOf(tx.kysely, session.id, actor.accountId);
    if (mine?.attendedAt) return { attendedAt: mine.attendedAt, already: true };
    const attendedAt = now.toISOString();
    if (mine) {
      await q.updateAttendee(tx.kysely, mine.id, { attendedAt, attendanceVia: 'qr' });
    } else {
      if (!(await seatFree())) throw conflict({}, FULL_MESSAGE);
      await q.insertAttendee(
        tx.kysely,
        seat(session, { accountId: actor.accountId, attendedAt, attendanceVia: 'qr' }),
      );
    }
    return { attendedAt, already: false };
  });
}

/** One row of the roster form as it was shown: who, and whether they were ticked present. */
export interface ShownMark {
  attendeeId: string;
  present: boolean;
}

/**
 * Saves the roster's ticks: only the marks the instructor changed on the page are applied, so a
 * learner who scanned the QR code while the page was open is not unticked by an old page.
 * An id that is not an account seat of this session refuses the whole save.
 */
export async function markAttendance(
  deps: ClassDeps,
  actor: Actor,
  sessionId: string,
  shown: ShownMark[],
  ticked: string[],
): Promise<{ present: number; absent: number }> {
  const { session } = await allowedSession(deps, actor, sessionId, 'class.run');
  return withSession(deps, session, async (tx) => {
    const rows = new Map(
      (await q.attendees(tx.kysely, session.id)).filter((r) => r.accountId).map((r) => [r.id, r]),
    );
    const tickedIds = new Set(ticked);
    if ([...tickedIds, ...shown.map((s) => s.attendeeId)].some((id) => !rows.has(id))) {
      throw validationFailed({}, 'Danh sách điểm danh đã thay đổi. Hãy tải lại trang rồi đánh dấu lại.');
    }
    const now = deps.now().toISOString();
    let present = 0;
    let absent = 0;
    for (const mark of shown) {
      const row = rows.get(mark.attendeeId) as AttendeeRow;
      const nowPresent = tickedIds.has(mark.attendeeId);
      if (nowPresent === mark.present) continue;
      if (nowPresent && !row.attendedAt) {
        await q.updateAttendee(tx.kysely, row.id, { attendedAt: now, attendanceVia: 'roster' });
        present++;
      } else if (!nowPresent && row.attendedAt) {
        await q.updateAttendee(tx.kysely, row.id, { attendedAt: null, attendanceVia: null });
        absent++;
      }
    }
    if (present + absent > 0) {
      await deps.audit.record(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'class.attendance_marked',
        subject: { type: 'classSession', id: session.id, label: session.title },
        unitId: session.unitId,
        details: { present, absent },
      });
    }
    return { present, absent };
  });
}

/**
 * Adds a person with an account, by phone or email, at the door: they are present at once. A
 * seat they already hold is used; otherwise a free seat is needed (the capacity can be raised).
 */
export async function addAtDoor(deps: ClassDeps, actor: Actor, sessionId: string, identifier: string) {
  const { session } = await allowedSession(deps, actor, sessionId, 'class.run');
  if (!identifier.trim()) {
    throw validationFailed({ identifier: 'Hãy nhập số điện thoại hoặc email của người học.' });
  }
  const person = await deps.identity.accountByIdentifier(actor.tenantId, identifier);
  if (!person || person.deletedAt) {
    throw validationFailed({
      identifier:
        'Không tìm thấy ai có số điện thoại hoặc email này. Nếu người này chưa có tài khoản, hãy ghi là khách vãng lai ở dưới.',
    });
  }
  await withSession(deps, session, async (tx, seatFree) => {
    const held = await q.seatOf(tx.kysely, session.id, person.id);
    if (held?.attendedAt)
      throw conflict({ identifier: `${person.fullName} đã có mặt.` }, `${person.fullName} đã có mặt.`);
    const attendedAt = deps.now().toISOString();
    if (held) {
      await q.updateAttendee(tx.kysely, held.id, { attendedAt, attendanceVia: 'roster' });
    } else {
      if (!(await seatFree())) throw fullAtDoor(session);
      await q.insertAttendee(
        tx.kysely,
        seat(session, {
          accountId: person.id,
          addedBy: actor.accountId,
          attendedAt,
          attendanceVia: 'roster',
        }),
      );
    }
    await deps.audit.record(tx, {
      tenantId: actor.tenantId,
      actor,
      action: 'class.attendee_added',
      subject: { type: 'account', id: person.id, label: person.fullName },
      unitId: session.unitId,
      details: { session: session.title },
    });
  });
  return person;
}

const fullAtDoor = (session: SessionRow) =>
  conflict(
    {},
    `${FULL_MESSAGE} Buổi học có ${session.capacity} chỗ; nếu phòng còn chỗ, hãy sửa số chỗ của buổi học trước.`,
  );

export interface WalkInInput {
  name: string;
  phone: string;
}

/**
 * Records someone present who has no account, by name and (if they have one) phone: the row can
 * be linked to an account later, when the person signs up.
 */
export async function recordWalkIn(deps: ClassDeps, actor: Actor, sessionId: string, input: WalkInInput) {
  const { session } = await allowedSession(deps, actor, sessionId, 'class.run');
  const name = cleanText(input.name);
  const phoneText = input.phone.trim();
  const phone = phoneText ? normalizePhone(phoneText) : null;
  const errors: Record<string, string> = {};
  if (!name) errors.walkInName = 'Hãy nhập họ và tên của khách.';
  else if (name.length > 100) errors.walkInName = 'Họ và tên dài quá 100 ký tự.';
  if (phoneText && !phone) errors.walkInPhone = 'Số điện thoại di động không hợp lệ (ví dụ: 0912 345 678).';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const row = seat(session, {
    walkInName: name,
    walkInPhone: phone,
    addedBy: actor.accountId,
    attendedAt: deps.now().toISOString(),
    attendanceVia: 'walk-in',
  });
  await withSession(deps, session, async (tx, seatFree) => {
    if (!(await seatFree())) throw fullAtDoor(session);
    await q.insertAttendee(tx.kysely, row);
    await deps.audit.record(tx, {
      tenantId: actor.tenantId,
      actor,
      action: 'class.walk_in_recorded',
      subject: { type: 'classAttendee', id: row.id, label: name },
      unitId: session.unitId,
      details: { session: session.title },
    });
  });
  return row;
}

/**
 * Moves a walk-in's attendance and paper result to an account. When the account already holds a
 * seat the two merge: an attendance or result the account has is kept, the walk-in's fills what
 * it lacks. The walk-in row (and the name and phone it held) is gone afterwards.
 */
export async function linkWalkIn(
  deps: ClassDeps,
  actor: Actor,
  sessionId: string,
  attendeeId: string,
  identifier: string,
) {
  const { session } = await allowedSession(deps, actor, sessionId, 'class.run');
  await linkableWalkIn(deps.db, session, attendeeId);
  if (!identifier.trim()) {
    throw validationFailed({ identifier: 'Hãy nhập số điện thoại hoặc email của tài khoản cần liên kết.' });
  }
  const person = await deps.identity.accountByIdentifier(actor.tenantId, identifier);
  if (!person || person.deletedAt) {
    throw validationFailed({ identifier: 'Không tìm thấy tài khoản nào có số điện thoại hoặc email này.' });
  }
  await inTransaction(deps.db, async (tx) => {
    await q.lockSession(tx.kysely, session.id);
    // Read again under the lock: a second submit of the same link finds it linked, and changes nothing.
    const walkIn = await linkableWalkIn(tx, session, attendeeId);
    const held = await q.seatOf(tx.kysely, session.id, person.id);
    if (held) {
      const takeResult = held.paperScore === null && walkIn.paperScore !== null;
      await q.updateAttendee(tx.kysely, held.id, {
        attendedAt: held.attendedAt ?? walkIn.attendedAt,
        attendanceVia: held.attendedAt ? held.attendanceVia : walkIn.attendanceVia,
        ...(takeResult
          ? {
              paperScore: walkIn.paperScore,
              paperMax: walkIn.paperMax,
              paperPassed: walkIn.paperPassed,
              resultBy: walkIn.resultBy,
              resultAt: walkIn.resultAt,
            }
          : {}),
      });
      await q.deleteAttendee(tx.kysely, walkIn.id);
    } else {
      await q.updateAttendee(tx.kysely, walkIn.id, {
        accountId: person.id,
        walkInName: null,
        walkInPhone: null,
      });
    }
    await deps.audit.record(tx, {
      tenantId: actor.tenantId,
      actor,
      action: 'class.walk_in_linked',
      subject: { type: 'account', id: person.id, label: person.fullName },
      unitId: session.unitId,
      details: { session: session.title, walkIn: walkIn.walkInName },
    });
  });
  return person;
}

/** A walk-in row of the session still waiting for its account: 404 when there is none, 409 once linked. */
export async function linkableWalkIn(db: Db, session: SessionRow, attendeeId: string) {
  const row = await q.attendee(db.kysely, session.id, attendeeId);
  if (!row) throw notFound('Không tìm thấy khách vãng lai này.');
  if (row.accountId !== null) throw conflict({}, 'Khách này đã được liên kết với một tài khoản.');
  return row;
}
