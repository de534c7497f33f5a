/** The topics a course is filed under in the catalog. */
export const TOPICS = {
  'an-toan-so': 'An toàn trên không gian mạng',
  'dich-vu-cong': 'Dịch vụ công trực tuyến',
  'ky-nang-so-co-ban': 'Kỹ năng số cơ bản',
  'thanh-toan-so': 'Thanh toán không dùng tiền mặt',
  'cong-viec-so': 'Chuyển đổi số trong công việc',
} as const;

export type Topic = keyof typeof TOPICS;

export const isTopic = (value: string): value is Topic => value in TOPICS;
