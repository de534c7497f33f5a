import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommunitySummary } from './figures.js';
import { SummaryCache } from './summaryCache.js';

const summary = (teams: number, people: number): CommunitySummary => ({
  period: { from: '', to: '' },
  entries: people,
  people,
  byService: [],
  teams,
  teamsWithoutGuide: 0,
  qualifiedGuides: 0,
  children: [],
});

describe('the summaries kept for large subtrees', () => {
  it('keeps a large subtree’s summary a minute, never a small one’s', () => {
    let now = 0;
    const cache = new SummaryCache(() => now, 100);
    cache.put('tinh-a', 'province', summary(1_200, 5));
    cache.put('tinh-a', 'commune', summary(16, 5));
    assert.equal(cache.get('province')?.people, 5);
    assert.equal(cache.get('commune'), undefined, 'a commune is read afresh every time');
    now = 59_999;
    assert.equal(cache.get('province')?.people, 5);
    now = 60_000;
    assert.equal(cache.get('province'), undefined, 'a minute later it is read again');
  });

  it('drops a tenant’s summaries when something they count changes, and only that tenant’s', () => {
    const cache = new SummaryCache(() => 0, 100);
    cache.put('tinh-a', 'a-province', summary(1_200, 5));
    cache.put('tinh-b', 'b-province', summary(300, 7));
    cache.forget('tinh-a');
    assert.equal(cache.get('a-province'), undefined);
    assert.equal(cache.get('b-province')?.people, 7);
  });
});
