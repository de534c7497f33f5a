/** Where a team stands; only an active team logs new help. */
export const TEAM_STATUSES = {
  active: 'Đang hoạt động',
  paused: 'Tạm ngừng',
  dissolved: 'Đã giải thể',
} as const;

export type TeamStatus = keyof typeof TEAM_STATUSES;

export const isTeamStatus = (value: string): value is TeamStatus => Object.hasOwn(TEAM_STATUSES, value);

export const teamStatusLabel = (code: string): string => (isTeamStatus(code) ? TEAM_STATUSES[code] : code);
