import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { cleanText, foldForSearch, searchTokens } from '../../text/vietnamese.js';
import { vietnamTime } from '../../web/format.js';
import {
  type AuditAction,
  type AuditDetails,
  actionLabel,
  detailsSummary,
  subjectTypeLabel,
} from './actions.js';
import { CSV_BOM, csvLine } from './csv.js';
import type { AuditEventTable } from './tables.js';

export const AUDIT_PAGE_SIZE = 50;
/** Whom an event names when no signed-in person acted (the command line, the demo seed). */
export const SYSTEM_ACTOR_NAME = 'Hệ thống';
/** Details say what a reader needs in a line; anything bigger belongs in the module's own tables. */
const MAX_DETAILS_LENGTH = 2000;
const EXPORT_BATCH = 500;
const DAY_MS = 24 * 3600 * 1000;

/** Who acted: an `Actor` fits, so callers pass the signed-in person as is. */
export interface AuditActor {
  accountId: string;
  fullName: string;
}

export interface AuditEventInput {
  tenantId: string;
  /** Null when the command line or the system acted. */
  actor: AuditActor | null;
  action: AuditAction;
  subject: { type: string; id: string; label: string };
  unitId?: string | null;
  details?: AuditDetails;
}

export interface AuditEvent extends Omit<AuditEventTable, 'actorSearch' | 'details'> {
  details: AuditDetails;
}

export interface AuditFilters {
  action?: AuditAction;
  /** Part of the actor's name, with or without diacritics. */
  actorQuery?: string;
  /** Calendar days in Vietnam, `YYYY-MM-DD`, both included. */
  from?: string;
  to?: string;
  page?: number;
}

export interface AuditListing {
  events: AuditEvent[];
  total: number;
  page: number;
  pages: number;
}

/** The first moment of a Vietnamese calendar day (UTC+7 all year), or null for a malformed day. */
function dayStart(day: string | undefined): number | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const time = Date.parse(`${day}T00:00:00+07:00`);
  return Number.isNaN(time) ? null : time;
}

const toEvent = ({ actorSearch: _, details, ...row }: AuditEventTable): AuditEvent => ({
  ...row,
  details: JSON.parse(details) as AuditDetails,
});

const CSV_HEADER = [
  'Thời gian (giờ Việt Nam)',
  'Thời điểm (UTC)',
  'Người thực hiện',
  'Mã hành động',
  'Hành động',
  'Loại đối tượng',
  'Mã đối tượng',
  'Đối tượng',
  'Chi tiết',
];

const csvRow = (e: AuditEvent) =>
  csvLine([
    vietnamTime(e.occurredAt),
    e.occurredAt,
    e.actorName,
    e.action,
    actionLabel(e.action),
    subjectTypeLabel(e.subjectType),
    e.subjectId,
    e.subjectLabel,
    detailsSummary(e.action, e.details),
  ]);

/**
 * The audit log: who did what to whom, when. It is append-only by construction: this service
 * has no method that deletes an event or changes what was done, and no other code writes to
 * its table. The one change it makes is the law's: when a person's account is deleted, the
 * names that identify them are masked (`forgetPerson`) while the acts stay.
 */
export class AuditService {
  constructor(private readonly db: Db) {}

  /**
   * Appends an event through `db`: pass the caller's transaction, so the event commits or
   * rolls back with the change it records.
   */
  async record(db: Db, event: AuditEventInput): Promise<void> {
    const details = JSON.stringify(event.details ?? {});
    if (details.length > MAX_DETAILS_LENGTH) throw new Error(`Audit details too long for ${event.action}`);
    const actorName = event.actor ? cleanText(event.actor.fullName) : SYSTEM_ACTOR_NAME;
    await db.kysely
      .insertInto('auditEvents')
      .values({
        id: randomUUID(),
        tenantId: event.tenantId,
        occurredAt: nowIso(),
        actorAccountId: event.actor?.accountId ?? null,
        actorName,
        actorSearch: foldForSearch(actorName),
        action: event.action,
        subjectType: event.subject.type,
        subjectId: event.subject.id,
        subjectLabel: cleanText(event.subject.label),
        unitId: event.unitId ?? null,
        details,
      })
      .execute();
  }

  /**
   * Every event a person did or that was about their account, oldest first: their part of the
   * personal-data export.
   */
  async eventsAbout(tenantId: string, accountId: string): Promise<AuditEvent[]> {
    const rows = await this.db.kysely
      .selectFrom('auditEvents')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where((eb) =>
        eb.or([
          eb('actorAccountId', '=', accountId),
          eb.and([eb('subjectType', '=', 'account'), eb('subjectId', '=', accountId)]),
        ]),
      )
      .orderBy('occurredAt')
      .orderBy('id')
      .execute();
    return rows.map(toEvent);
  }

  /**
   * Masks a deleted person in the log, inside the caller's transaction: `label` replaces their
   * name where they acted, where their account was the subject, and, for their
   * `certificateIds`, each of `names` (current and former) within labels that read
   * "name – course". Which acts happened, and when, stays.
   */
  async forgetPerson(
    db: Db,
    person: { tenantId: string; accountId: string; names: string[]; certificateIds: string[] },
    label: string,
  ): Promise<void> {
    const events = () => db.kysely.updateTable('auditEvents').where('tenantId', '=', person.tenantId);
    await events()
      .set({ actorName: label, actorSearch: foldForSearch(label) })
      .where('actorAccountId', '=', person.accountId)
      .execute();
    await events()
      .set({ subjectLabel: label })
      .where('subjectType', '=', 'account')
      .where('subjectId', '=', person.accountId)
      .execute();
    if (person.certificateIds.length === 0) return;
    for (const name of new Set(person.names.map(cleanText))) {
      await events()
        .set((eb) => ({
          subjectLabel: eb.fn<string>('replace', ['subjectLabel', eb.val(name), eb.val(label)]),
        }))
        .where('subjectType', '=', 'certificate')
        .where('subjectId', 'in', person.certificateIds)
        .execute();
    }
  }

  /** One page of a tenant's events matching the filters, newest first. */
  async list(tenantId: string, filters: AuditFilters = {}): Promise<AuditListing> {
    const query = this.matching(tenantId, filters);
    const { n } = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    const page = Math.min(Math.max(1, filters.page ?? 1), pages);
    const rows = await query
      .selectAll()
      .orderBy('occurredAt', 'desc')
      .orderBy('id', 'desc')
      .limit(AUDIT_PAGE_SIZE)
      .offset((page - 1) * AUDIT_PAGE_SIZE)
      .execute();
    return { events: rows.map(toEvent), total, page, pages };
  }

  /**
   * Records that `exportedBy` exports the log, then gives every matching event, newest first,
   * as UTF-8 CSV text with a byte order mark. The rows are read in batches while the caller
   * sends them, so a large log never sits in memory whole.
   */
  async exportCsv(
    tenantId: string,
    filters: AuditFilters,
    exportedBy: AuditActor,
  ): Promise<AsyncIterable<string>> {
    await this.record(this.db, {
      tenantId,
      actor: exportedBy,
      action: 'audit.exported',
      subject: { type: 'auditLog', id: tenantId, label: 'Nhật ký hoạt động' },
      details: {
        action: filters.action ?? null,
        actorQuery: filters.actorQuery || null,
        from: dayStart(filters.from) === null ? null : (filters.from ?? null),
        to: dayStart(filters.to) === null ? null : (filters.to ?? null),
      },
    });
    return this.csvRows(tenantId, filters);
  }

  private async *csvRows(tenantId: string, filters: AuditFilters): AsyncGenerator<string> {
    yield CSV_BOM + csvLine(CSV_HEADER);
    let last: AuditEventTable | undefined;
    do {
      let query = this.matching(tenantId, filters);
      const after = last;
      // Keyset paging: rows are only ever added, and newer ones sort before where we are.
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('occurredAt', '<', after.occurredAt),
            eb.and([eb('occurredAt', '=', after.occurredAt), eb('id', '<', after.id)]),
          ]),
        );
      }
      const rows = await query
        .selectAll()
        .orderBy('occurredAt', 'desc')
        .orderBy('id', 'desc')
        .limit(EXPORT_BATCH)
        .execute();
      if (rows.length > 0) yield rows.map((row) => csvRow(toEvent(row))).join('');
      last = rows.length === EXPORT_BATCH ? rows.at(-1) : undefined;
    } while (last);
  }

  private matching(tenantId: string, filters: AuditFilters) {
    let query = this.db.kysely.selectFrom('auditEvents').where('tenantId', '=', tenantId);
    if (filters.action) query = query.where('action', '=', filters.action);
    // Folded tokens hold only a–z and digits: nothing in them is a LIKE wildcard.
    for (const token of searchTokens(filters.actorQuery ?? '')) {
      query = query.where('actorSearch', 'like', `%${token}%`);
    }
    const from = dayStart(filters.from);
    if (from !== null) query = query.where('occurredAt', '>=', new Date(from).toISOString());
    const to = dayStart(filters.to);
    if (to !== null) query = query.where('occurredAt', '<', new Date(to + DAY_MS).toISOString());
    return query;
  }
}
