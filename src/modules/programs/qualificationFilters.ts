/**
 * The filters of the qualification list and its exports, as typed (the page's form, the API's
 * query), checked and turned into a `QualificationFilter` the actor may run.
 */
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { type FieldErrors, forbidden, validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { vietnamDay } from '../../web/format.js';
import type { Unit } from '../org/service.js';
import { exportScope, qualificationPolicy } from './qualificationPolicy.js';
import {
  isQualificationStatus,
  QUALIFICATION_STATUS_LABELS,
  type QualificationStatus,
} from './qualificationStatus.js';
import type { QualificationFilter } from './qualifications.js';

/** What a filter asks for, before it is checked. */
export interface FilterInput {
  unitId?: string;
  from?: string;
  to?: string;
  status?: string;
}

/** A checked filter, with the unit it names (if any) for the summary line. */
export interface ResolvedFilter {
  filter: QualificationFilter;
  unit: Unit | null;
  /** True when no unit was named and the actor sees only the units they manage. */
  ownUnitsOnly: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** The names the page's form and address bar use for each filter. */
export const FILTER_NAMES = {
  unitId: 'don-vi',
  unitQuery: 'tim',
  from: 'tu',
  to: 'den',
  status: 'trang-thai',
};

/** The page's filters as typed: plain, trimmed strings, nothing trusted yet. */
export interface FilterForm {
  unitId: string;
  unitQuery: string;
  from: string;
  to: string;
  status: string;
}

const one = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 100) : '');

export function filterFormOf(query: unknown): FilterForm {
  const q = (query ?? {}) as Record<string, unknown>;
  return {
    unitId: one(q[FILTER_NAMES.unitId]),
    unitQuery: cleanText(one(q[FILTER_NAMES.unitQuery])),
    from: one(q[FILTER_NAMES.from]),
    to: one(q[FILTER_NAMES.to]),
    status: one(q[FILTER_NAMES.status]),
  };
}

/** The query string of a form, without empty fields, plus `extra` (a page number). */
export function filterQuery(form: FilterForm, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of ['unitId', 'unitQuery', 'from', 'to', 'status'] as const) {
    if (form[key]) params.set(FILTER_NAMES[key], form[key]);
  }
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Checks a filter and scopes it to what the actor may see: a named unit must be within their
 * reach (403 otherwise); no unit means the whole tenant for tenant-wide roles, and the units
 * they manage for unit managers. Refuses (403) anyone who may export nothing, before looking
 * at the input; malformed input is a 400 with a message per field.
 */
export async function resolveFilter(
  ctx: AppContext,
  actor: Actor | null,
  tenantId: string,
  input: FilterInput,
  fieldNames: Record<'unitId' | 'from' | 'to' | 'status', string> = FILTER_NAMES,
): Promise<ResolvedFilter> {
  const scope = exportScope(actor, tenantId);
  if (scope !== null && scope.length === 0) throw forbidden();
  const errors: FieldErrors = {};
  const from = input.from ?? '';
  const to = input.to ?? '';
  if (from && !isDay(from)) errors[fieldNames.from] = 'Ngày bắt đầu không hợp lệ; hãy chọn một ngày.';
  if (to && !isDay(to)) errors[fieldNames.to] = 'Ngày kết thúc không hợp lệ; hãy chọn một ngày.';
  if (from && to && isDay(from) && isDay(to) && from > to)
    errors[fieldNames.to] = 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.';
  const status = input.status ?? '';
  if (status && !isQualificationStatus(status))
    errors[fieldNames.status] = 'Hãy chọn một trạng thái trong danh sách.';
  const unit = input.unitId ? await ctx.org.unit(tenantId, input.unitId) : undefined;
  if (input.unitId && !unit) errors[fieldNames.unitId] = 'Không tìm thấy đơn vị này; hãy tìm và chọn lại.';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  if (unit && !qualificationPolicy(actor, 'qualification.export', { tenantId, unitPath: unit.path })) {
    throw forbidden('Bạn chỉ xem được danh sách của các đơn vị mình quản lý.');
  }
  return {
    filter: {
      tenantId,
      unitPaths: unit ? [unit.path] : scope,
      from: from || undefined,
      to: to || undefined,
      status: (status as QualificationStatus) || undefined,
      today: todayInVietnam(),
    },
    unit: unit ?? null,
    ownUnitsOnly: !unit && scope !== null,
  };
}

/** The filter in one Vietnamese line, for the file and the audit log. */
export function filterSummary({ filter, unit, ownUnitsOnly }: ResolvedFilter): string {
  const parts = [
    unit
      ? `đơn vị ${unit.fullName} và các đơn vị trực thuộc`
      : ownUnitsOnly
        ? 'các đơn vị do người xuất quản lý'
        : 'toàn bộ đơn vị',
    filter.from ? `cấp hoặc thu hồi từ ngày ${vietnamDay(filter.from)}` : '',
    filter.to ? `${filter.from ? '' : 'cấp hoặc thu hồi '}đến ngày ${vietnamDay(filter.to)}` : '',
    filter.status ? `trạng thái “${QUALIFICATION_STATUS_LABELS[filter.status]}”` : '',
  ].filter(Boolean);
  return `Bộ lọc: ${parts.join(', ')}`;
}

/** The filter as plain audit details: what was asked for, not what it resolved to. */
export const auditFilters = ({ filter, unit }: ResolvedFilter) => ({
  unitId: unit?.id ?? null,
  from: filter.from ?? null,
  to: filter.to ?? null,
  status: filter.status ?? null,
});
