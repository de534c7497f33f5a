import type { Kysely } from 'kysely';

/**
 * `integrity_reviews`: an evaluator's "reviewed" mark on an integrity signal (see
 * reports/integritySignals.ts). Signals themselves are computed on request from stored learning
 * data and are never stored; a review sticks to a signal by its key (its kind and the ids of its
 * evidence), once per tenant. No foreign key to accounts: the mark outlives its reviewer's account
 * (which is anonymised, never removed), like the audit log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('integrity_reviews')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('signal_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('integrity_reviews_pk', ['tenant_id', 'signal_key'])
    .execute();
}
