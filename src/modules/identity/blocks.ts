/** The learner blocks (khối) of the movement, with the names people know them by. */
export const BLOCKS = {
  official: 'Cán bộ, công chức, viên chức',
  business: 'Doanh nghiệp, hợp tác xã',
  community: 'Tổ công nghệ số cộng đồng',
  citizen: 'Người dân',
  student: 'Học sinh, sinh viên',
} as const;

export type Block = keyof typeof BLOCKS;

export const BLOCK_CODES = Object.keys(BLOCKS) as Block[];

export function isBlock(value: string): value is Block {
  return value in BLOCKS;
}
