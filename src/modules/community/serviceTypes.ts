/** The kinds of help a guide logs, with the words guides and reports use for them. */
export const SERVICE_TYPES = {
  vneid: 'Kích hoạt, sử dụng VNeID',
  'public-service': 'Nộp hồ sơ dịch vụ công trực tuyến',
  cashless: 'Thanh toán không dùng tiền mặt',
  'scam-report': 'Nhận diện, báo cáo lừa đảo',
  'social-insurance': 'Ứng dụng BHXH số (VssID)',
  other: 'Khác',
} as const;

export type ServiceType = keyof typeof SERVICE_TYPES;

export const SERVICE_CODES = Object.keys(SERVICE_TYPES) as ServiceType[];

export const isServiceType = (value: string): value is ServiceType => Object.hasOwn(SERVICE_TYPES, value);

/** The label of a stored service code (a code no longer known shows as itself). */
export const serviceLabel = (code: string): string => (isServiceType(code) ? SERVICE_TYPES[code] : code);
