import type { CommunitySummary } from './figures.js';

/** How long a summary is kept, and from how many teams a summary is worth keeping. */
const KEPT_MS = 60_000;
const KEPT_FROM_TEAMS = 100;
/** Summaries kept at most: every district and province of a few tenants, with a period or two. */
const MAX_KEPT = 1_000;

/**
 * Dashboard summaries of subtrees with many teams (a district, a province), kept for a minute:
 * reading a province's 1,200 teams, their members and their qualifications costs tens of
 * milliseconds on every dashboard view, while those figures move by the minute. A change made
 * through this process (help logged, a team or its members changed) drops its tenant's summaries
 * at once; other changes (another process, a qualification granted or lapsing) show within the
 * minute. A commune's few teams are always read afresh.
 */
export class SummaryCache {
  private readonly kept = new Map<string, { tenantId: string; at: number; summary: CommunitySummary }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly fromTeams = KEPT_FROM_TEAMS,
  ) {}

  get(key: string): CommunitySummary | undefined {
    const entry = this.kept.get(key);
    if (entry && this.now() - entry.at < KEPT_MS) return entry.summary;
    this.kept.delete(key);
    return undefined;
  }

  put(tenantId: string, key: string, summary: CommunitySummary): void {
    if (summary.teams < this.fromTeams) return;
    if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(key, { tenantId, at: this.now(), summary });
  }

  /** Drops the tenant's summaries: something they count has just changed. */
  forget(tenantId: string): void {
    for (const [key, entry] of this.kept) if (entry.tenantId === tenantId) this.kept.delete(key);
  }
}
