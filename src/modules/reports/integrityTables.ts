/**
 * An integrity signal marked as reviewed. Signals are computed on request and never stored; the
 * mark finds its signal again by `signalKey` (the kind and a hash of the evidence's ids).
 */
export interface IntegrityReviewTable {
  tenantId: string;
  signalKey: string;
  /** The kind's address slug (see SIGNAL_KINDS), so marks can be counted per kind. */
  kind: string;
  /** The unit whose signal page the mark was made on. */
  unitId: string;
  /** The account of the reviewer; their name is read from it when shown (anonymised if deleted). */
  reviewedBy: string;
  reviewedAt: string;
  /** What the reviewer found, in their words; null when they wrote nothing. */
  note: string | null;
}

export interface IntegrityTables {
  integrityReviews: IntegrityReviewTable;
}
