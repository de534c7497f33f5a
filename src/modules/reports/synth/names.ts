import { cumulative, type Prng } from './prng.js';

/**
 * Plausible Vietnamese full names for synthetic people: family names with roughly their real
 * frequencies (Nguyễn about a third; Huỳnh and Võ common in Quảng Nam), a middle name by gender,
 * sometimes two, and a given name. Every name is NFC, as the product stores names.
 */

const nfc = (list: [string, number][]) =>
  list.map(([name, weight]) => [name.normalize('NFC'), weight] as const);

const FAMILY = nfc([
  ['Nguyễn', 34],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 6.5],
  ['Huỳnh', 5],
  ['Hoàng', 2.5],
  ['Phan', 4.5],
  ['Võ', 4.5],
  ['Vũ', 1.5],
  ['Đặng', 2],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 2],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Trương', 1.2],
  ['Đinh', 0.8],
  ['Đoàn', 0.9],
  ['Lương', 0.5],
  ['Mai', 0.5],
  ['Châu', 0.5],
  ['Thái', 0.4],
  ['Cao', 0.4],
  ['Lâm', 0.3],
  ['Tô', 0.2],
  ['Hà', 0.3],
]);

const MALE_MIDDLE = nfc([
  ['Văn', 40],
  ['Hữu', 8],
  ['Minh', 10],
  ['Quốc', 6],
  ['Đức', 6],
  ['Thanh', 6],
  ['Công', 5],
  ['Xuân', 4],
  ['Tấn', 6],
  ['Ngọc', 3],
  ['Anh', 3],
  ['Bá', 2],
]);

const FEMALE_MIDDLE = nfc([
  ['Thị', 50],
  ['Ngọc', 8],
  ['Thu', 6],
  ['Thanh', 6],
  ['Kim', 5],
  ['Mỹ', 4],
  ['Hoài', 3],
  ['Bảo', 3],
  ['Phương', 3],
  ['Minh', 3],
]);

/** A second middle name before the given name ("Nguyễn Thị Thu Hà"). */
const SECOND_MIDDLE = nfc([
  ['Thu', 3],
  ['Ngọc', 3],
  ['Minh', 3],
  ['Thanh', 3],
  ['Hoài', 2],
  ['Bảo', 2],
  ['Gia', 2],
  ['Khánh', 2],
]);

const MALE_GIVEN = nfc([
  ['An', 3],
  ['Bình', 4],
  ['Cường', 4],
  ['Dũng', 5],
  ['Hải', 4],
  ['Hùng', 5],
  ['Nam', 5],
  ['Quang', 4],
  ['Sơn', 4],
  ['Tuấn', 5],
  ['Tâm', 2],
  ['Phúc', 3],
  ['Thắng', 3],
  ['Long', 3],
  ['Khánh', 2],
  ['Hiếu', 3],
  ['Trung', 3],
  ['Vinh', 3],
  ['Phong', 2],
  ['Hoàng', 2],
  ['Kiên', 2],
  ['Tài', 2],
  ['Toàn', 2],
  ['Huy', 4],
  ['Khang', 2],
  ['Lộc', 2],
  ['Thành', 3],
  ['Tùng', 2],
  ['Đạt', 3],
  ['Nhân', 2],
]);

const FEMALE_GIVEN = nfc([
  ['Hà', 4],
  ['Hạnh', 3],
  ['Hoa', 4],
  ['Lan', 4],
  ['Linh', 5],
  ['Mai', 4],
  ['Phương', 4],
  ['Thảo', 5],
  ['Trang', 5],
  ['Vy', 3],
  ['Hương', 4],
  ['Nga', 2],
  ['Ngân', 2],
  ['Nhung', 2],
  ['Oanh', 2],
  ['Quyên', 2],
  ['Thủy', 3],
  ['Uyên', 2],
  ['Yến', 3],
  ['Dung', 3],
  ['Hằng', 3],
  ['Loan', 2],
  ['Tâm', 2],
  ['An', 2],
  ['Anh', 4],
  ['Nhi', 3],
  ['Hiền', 3],
  ['Trâm', 2],
  ['Diễm', 1],
  ['Vân', 2],
]);

interface Table {
  names: string[];
  cumulative: number[];
}

const table = (list: (readonly [string, number])[]): Table => ({
  names: list.map(([n]) => n),
  cumulative: cumulative(list.map(([, w]) => w)),
});

const TABLES = {
  family: table(FAMILY),
  maleMiddle: table(MALE_MIDDLE),
  femaleMiddle: table(FEMALE_MIDDLE),
  secondMiddle: table(SECOND_MIDDLE),
  maleGiven: table(MALE_GIVEN),
  femaleGiven: table(FEMALE_GIVEN),
};

const draw = (prng: Prng, t: Table) => t.names[prng.weighted(t.cumulative)] as string;

/** A full name; younger people (students) more often have two middle names. */
export function vietnameseName(prng: Prng, young: boolean): string {
  const female = prng.chance(0.5);
  const parts = [draw(prng, TABLES.family), draw(prng, female ? TABLES.femaleMiddle : TABLES.maleMiddle)];
  if (prng.chance(young ? 0.3 : 0.12)) {
    const second = draw(prng, TABLES.secondMiddle);
    if (second !== parts[1]) parts.push(second);
  }
  const given = draw(prng, female ? TABLES.femaleGiven : TABLES.maleGiven);
  if (given === parts[parts.length - 1])
    parts.push(draw(prng, female ? TABLES.femaleGiven : TABLES.maleGiven));
  else parts.push(given);
  return parts.join(' ');
}
