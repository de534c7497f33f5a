/** What a unit is, independent of its Vietnamese type label. */
export const UNIT_KINDS = [
  'province',
  'district',
  'commune',
  'village',
  'agency',
  'department',
  'school',
  'business',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  province: 'Tỉnh, thành phố',
  district: 'Huyện, quận, thị xã',
  commune: 'Xã, phường, đặc khu',
  village: 'Thôn, tổ dân phố',
  agency: 'Cơ quan',
  department: 'Phòng, ban',
  school: 'Trường học',
  business: 'Doanh nghiệp',
};

export function isUnitKind(value: string): value is UnitKind {
  return (UNIT_KINDS as readonly string[]).includes(value);
}

const COMMUNE_TYPES = ['Xã', 'Phường', 'Thị trấn', 'Đặc khu'];
const VILLAGE_TYPES = [
  'Thôn',
  'Khối phố',
  'Tổ dân phố',
  'Bản',
  'Làng',
  'Ấp',
  'Buôn',
  'Khu phố',
  'Tổ',
  'Xóm',
  'Khu',
];
const DISTRICT_TYPES = ['Huyện', 'Thị xã', 'Quận', 'Thành phố'];
const PROVINCE_TYPES = ['Tỉnh', 'Thành phố'];

/**
 * The kind a type label implies, given the kind of the parent (null for a root): "Thành phố"
 * is a province at the top and a district below a province.
 */
export function inferUnitKind(typeLabel: string, parentKind: UnitKind | null): UnitKind | null {
  if (parentKind === null) return PROVINCE_TYPES.includes(typeLabel) ? 'province' : null;
  if (parentKind === 'province' && DISTRICT_TYPES.includes(typeLabel)) return 'district';
  if (COMMUNE_TYPES.includes(typeLabel)) return 'commune';
  if (VILLAGE_TYPES.includes(typeLabel)) return 'village';
  return null;
}

/** "Xã" + "Đại Hiệp" → "Xã Đại Hiệp". */
export const fullUnitName = (unit: { typeLabel: string; name: string }): string =>
  unit.typeLabel ? `${unit.typeLabel} ${unit.name}` : unit.name;
