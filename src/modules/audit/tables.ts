/**
 * One audit event: who did what to whom, when and where in the org tree. Rows are only ever
 * inserted: nothing in the product updates or deletes them.
 */
export interface AuditEventTable {
  id: string;
  tenantId: string;
  occurredAt: string;
  /** Null when the command line or the system acted, not a signed-in person. */
  actorAccountId: string | null;
  /** The actor's name when it happened: a later change of name does not rewrite history. */
  actorName: string;
  /** The actor's name folded for search, so a name typed without diacritics finds it. */
  actorSearch: string;
  action: string;
  subjectType: string;
  subjectId: string;
  subjectLabel: string;
  /** The unit the event concerns, for scoping; null when it concerns the whole tenant. */
  unitId: string | null;
  /** Small JSON object with what else a reader needs (role, reason, counts). */
  details: string;
}

export interface AuditTables {
  auditEvents: AuditEventTable;
}
