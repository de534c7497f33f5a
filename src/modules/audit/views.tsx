/** The audit log page: filters, the table of events, pages, and the link to the export. */

import { vietnamTime } from '../../web/format.js';
import { ChoiceSelect } from '../../web/forms.js';
import { Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import { ACTION_LABELS, actionLabel, detailsSummary, subjectTypeLabel } from './actions.js';
import type { AuditListing } from './service.js';

export const AUDIT_LOG = '/quan-tri/nhat-ky';
export const AUDIT_CSV = `${AUDIT_LOG}.csv`;

/** The filters as typed in the form (query names are what the address bar shows). */
export interface AuditFilterForm {
  action: string;
  actor: string;
  from: string;
  to: string;
}

/** The query string of these filters, without empty ones, and with a page number when given. */
export function filterQuery(form: AuditFilterForm, page?: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of [
    ['hanh-dong', form.action],
    ['nguoi', form.actor],
    ['tu', form.from],
    ['den', form.to],
  ] as const) {
    if (value) params.set(name, value);
  }
  if (page && page > 1) params.set('trang', String(page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

function Filters({ form }: { form: AuditFilterForm }) {
  return (
    <form method="get" action={AUDIT_LOG} class="filters">
      <ChoiceSelect
        name="hanh-dong"
        label="Hành động"
        empty="Mọi hành động"
        choices={ACTION_LABELS}
        value={form.action}
      />
      <div class="field">
        <label for="nguoi">Người thực hiện</label>
        <input id="nguoi" name="nguoi" type="search" value={form.actor} aria-describedby="nguoi-hint" />
        <p class="hint" id="nguoi-hint">
          Gõ có dấu hay không dấu đều được.
        </p>
      </div>
      <div class="field">
        <label for="tu">Từ ngày</label>
        <input id="tu" name="tu" type="date" value={form.from} />
      </div>
      <div class="field">
        <label for="den">Đến ngày</label>
        <input id="den" name="den" type="date" value={form.to} />
      </div>
      <button type="submit" class="button">
        Lọc
      </button>
    </form>
  );
}

export function AuditLogPage(props: { shell: Shell; form: AuditFilterForm; listing: AuditListing }) {
  const { shell, form, listing } = props;
  const filtered = filterQuery(form) !== '';
  return (
    <Layout shell={shell} title="Nhật ký hoạt động">
      <h1>Nhật ký hoạt động</h1>
      <p class="meta">
        Ai đã làm gì, với ai, vào lúc nào. Nhật ký chỉ được ghi thêm, không ai sửa hay xóa được.
      </p>
      <Filters form={form} />
      <p class="actions">
        <a class="button" href={`${AUDIT_CSV}${filterQuery(form)}`}>
          Tải về (.csv){filtered ? ' theo bộ lọc' : ''}
        </a>
      </p>
      {listing.events.length === 0 ? (
        <p class="notice">
          {filtered ? (
            <>
              Không có hoạt động nào khớp bộ lọc. <a href={AUDIT_LOG}>Xem toàn bộ nhật ký</a>
            </>
          ) : (
            'Chưa có hoạt động nào được ghi lại.'
          )}
        </p>
      ) : (
        <table class="data">
          <caption>
            {filtered ? `${listing.total} hoạt động khớp bộ lọc` : `${listing.total} hoạt động`}
            {listing.pages > 1 ? ` · trang ${listing.page}/${listing.pages}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Thời gian</th>
              <th scope="col">Người thực hiện</th>
              <th scope="col">Hành động</th>
              <th scope="col">Đối tượng</th>
              <th scope="col">Chi tiết</th>
            </tr>
          </thead>
          <tbody>
            {listing.events.map((event) => (
              <tr key={event.id}>
                <td>
                  <time datetime={event.occurredAt}>{vietnamTime(event.occurredAt)}</time>
                </td>
                <td>{event.actorName}</td>
                <td>{actionLabel(event.action)}</td>
                <td>
                  {event.subjectLabel}
                  <br />
                  <small>{subjectTypeLabel(event.subjectType)}</small>
                </td>
                <td>{detailsSummary(event.action, event.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        page={listing.page}
        hasNext={listing.page < listing.pages}
        href={(page) => `${AUDIT_LOG}${filterQuery(form, page)}`}
        label="Các trang nhật ký"
      />
    </Layout>
  );
}
