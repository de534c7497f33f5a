/** Lists stored in one text column as `,a,b,`, so one LIKE '%,a,%' finds a member. */
export const encodeList = (items: readonly string[]): string => `,${items.join(',')},`;

export const decodeList = (stored: string | null): string[] => (stored ?? '').split(',').filter(Boolean);
