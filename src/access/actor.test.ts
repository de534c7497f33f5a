import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Actor, holdsRoleOver } from './actor.js';

const manager: Actor = {
  accountId: 'a1',
  tenantId: 't1',
  fullName: 'Phạm Thị Dung',
  block: 'official',
  homeUnitId: 'c1',
  grants: [{ role: 'unitManager', unitPath: '/p/d1/c1/' }],
};

describe('role scopes', () => {
  it('covers the scope unit and everything below it', () => {
    assert.equal(holdsRoleOver(manager, ['unitManager'], { tenantId: 't1', unitPath: '/p/d1/c1/' }), true);
    assert.equal(holdsRoleOver(manager, ['unitManager'], { tenantId: 't1', unitPath: '/p/d1/c1/v1/' }), true);
  });

  it('does not cover a sibling, a parent, another tenant or a tenant-wide object', () => {
    assert.equal(holdsRoleOver(manager, ['unitManager'], { tenantId: 't1', unitPath: '/p/d1/c2/' }), false);
    assert.equal(holdsRoleOver(manager, ['unitManager'], { tenantId: 't1', unitPath: '/p/d1/' }), false);
    assert.equal(holdsRoleOver(manager, ['unitManager'], { tenantId: 't2', unitPath: '/p/d1/c1/' }), false);
    assert.equal(holdsRoleOver(manager, ['unitManager'], { tenantId: 't1', unitPath: null }), false);
  });

  it('only counts the roles asked for', () => {
    assert.equal(holdsRoleOver(manager, ['evaluator'], { tenantId: 't1', unitPath: '/p/d1/c1/' }), false);
  });

  it('lets a platform admin act in every tenant, a tenant admin only in its own', () => {
    const platform: Actor = { ...manager, grants: [{ role: 'platformAdmin', unitPath: null }] };
    const tenant: Actor = { ...manager, grants: [{ role: 'tenantAdmin', unitPath: null }] };
    const target = { tenantId: 't2', unitPath: '/x/' };
    assert.equal(holdsRoleOver(platform, ['tenantAdmin', 'platformAdmin'], target), true);
    assert.equal(holdsRoleOver(tenant, ['tenantAdmin', 'platformAdmin'], target), false);
    assert.equal(holdsRoleOver(tenant, ['tenantAdmin'], { tenantId: 't1', unitPath: null }), true);
  });
});
