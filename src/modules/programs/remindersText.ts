import { vietnamDay } from '../../web/format.js';
import type { NotificationKind } from './reminderTables.js';

/** What a notification says: a one-line title (also the email subject) and a sentence more. */
export interface NotificationText {
  title: string;
  body: string;
}

/** Where people go to do what a reminder asks. */
export const LEARNING_PATH = '/hoc-tap';

const CONTINUE = 'Vào mục “Việc học của tôi” để học tiếp.';

/**
 * The Vietnamese text of a notification, made when it is shown or mailed (rows keep only the
 * facts), e.g. `notificationText({ kind: 'assigned', subject: 'An toàn số', dueOn: '2026-03-31',
 * senderName: null }).title` is "Bạn được giao: An toàn số, hạn 31/03/2026".
 */
export function notificationText(n: {
  kind: NotificationKind;
  subject: string;
  dueOn: string;
  senderName: string | null;
}): NotificationText {
  const due = vietnamDay(n.dueOn);
  switch (n.kind) {
    case 'assigned':
      return {
        title: `Bạn được giao: ${n.subject}, hạn ${due}`,
        body: `Bạn cần hoàn thành “${n.subject}” trước hết ngày ${due}. ${CONTINUE}`,
      };
    case 'due7':
      return {
        title: `Còn chưa đến một tuần: ${n.subject}, hạn ${due}`,
        body: `“${n.subject}” cần hoàn thành trước hết ngày ${due}. ${CONTINUE}`,
      };
    case 'due1':
      return {
        title: `Sắp hết hạn: ${n.subject}, hạn ${due}`,
        body: `Chỉ còn đến hết ngày ${due} để hoàn thành “${n.subject}”. ${CONTINUE}`,
      };
    case 'overdue':
      return {
        title: `Đã quá hạn: ${n.subject}, hạn ${due}`,
        body: `“${n.subject}” đã quá hạn ngày ${due} mà chưa hoàn thành. Hãy hoàn thành sớm nhất có thể. ${CONTINUE}`,
      };
    case 'nudge':
      return {
        title: `Nhắc nhở: ${n.subject} đã quá hạn ${due}`,
        body: `${n.senderName ?? 'Người quản lý'} nhắc bạn hoàn thành “${n.subject}” (hạn ${due}). ${CONTINUE}`,
      };
  }
}
