const clock = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** A moment as Vietnamese readers write it, in Vietnam's time: "09:35 29/11/2026". */
export const vietnamTime = (iso: string): string => clock.format(new Date(iso)).replace(',', '');

/** A calendar day `YYYY-MM-DD` as Vietnamese readers write it: "01/07/2025". */
export const vietnamDay = (day: string): string => day.split('-').reverse().join('/');
