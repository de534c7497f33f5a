import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Actor, Grant } from '../src/access/actor.js';
import {
  type CommunityAction,
  type CommunitySubject,
  communityPolicy,
} from '../src/modules/community/policy.js';

const COMMUNE_A = '/p/d/a/';
const COMMUNE_B = '/p/d/b/';
const actor = (accountId: string, grants: Grant[] = [], tenantId = 't1'): Actor => ({
  accountId,
  tenantId,
  fullName: accountId,
  block: 'community',
  homeUnitId: null,
  grants,
});
const team = (membership: CommunitySubject['membership'], extra: Partial<CommunitySubject> = {}) => ({
  tenantId: 't1',
  unitPath: `${COMMUNE_A}village/`,
  membership,
  ...extra,
});
const ACTIONS: CommunityAction[] = [
  'team.read',
  'team.manage',
  'team.members',
  'assistance.log',
  'assistance.correct',
  'assistance.delete',
  'assistance.read',
];
const allowed = (who: Actor | null, subject: CommunitySubject) =>
  ACTIONS.filter((action) => communityPolicy(who, action, subject));

describe('the community policy', () => {
  it('lets managers of the commune manage its teams, and refuses those of another commune', () => {
    const own = actor('m', [{ role: 'unitManager', unitPath: COMMUNE_A }]);
    const other = actor('n', [{ role: 'unitManager', unitPath: COMMUNE_B }]);
    assert.deepEqual(allowed(own, team(null)), [
      'team.read',
      'team.manage',
      'team.members',
      'assistance.delete',
      'assistance.read',
    ]);
    assert.deepEqual(allowed(other, team(null)), []);
    assert.deepEqual(allowed(actor('a', [{ role: 'tenantAdmin', unitPath: null }]), team(null)), [
      'team.read',
      'team.manage',
      'team.members',
      'assistance.delete',
      'assistance.read',
    ]);
  });

  it('gives evaluators reading only, tenant-wide, and another tenant nothing', () => {
    const evaluator = actor('e', [{ role: 'evaluator', unitPath: null }]);
    assert.deepEqual(allowed(evaluator, team(null)), ['team.read', 'assistance.read']);
    const foreignAdmin = actor('x', [{ role: 'tenantAdmin', unitPath: null }], 't2');
    assert.deepEqual(allowed(foreignAdmin, team(null)), []);
    assert.deepEqual(allowed(null, team('member')), []);
  });

  it('lets a leader change members, and only a qualified member log help', () => {
    const leader = actor('l');
    assert.deepEqual(allowed(leader, team('leader')), [
      'team.read',
      'team.members',
      'assistance.delete',
      'assistance.read',
    ]);
    assert.ok(communityPolicy(leader, 'assistance.log', team('leader', { qualified: true })));
    const member = actor('g');
    assert.deepEqual(allowed(member, team('member')), ['team.read', 'assistance.read']);
    assert.ok(communityPolicy(member, 'assistance.log', team('member', { qualified: true })));
    assert.ok(!communityPolicy(actor('z'), 'assistance.log', team(null, { qualified: true })));
  });

  it('lets a guide correct only their own entry while qualified, and delete it', () => {
    const guide = actor('g');
    const own = { guideAccountId: 'g' };
    assert.ok(communityPolicy(guide, 'assistance.correct', team('member', { ...own, qualified: true })));
    assert.ok(!communityPolicy(guide, 'assistance.correct', team('member', { ...own, qualified: false })));
    assert.ok(
      !communityPolicy(guide, 'assistance.correct', team('member', { guideAccountId: 'h', qualified: true })),
    );
    assert.ok(communityPolicy(guide, 'assistance.delete', team('member', own)));
    assert.ok(!communityPolicy(guide, 'assistance.delete', team('member', { guideAccountId: 'h' })));
    assert.ok(communityPolicy(actor('l'), 'assistance.delete', team('leader', { guideAccountId: 'h' })));
  });
});
