import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import { buildAccount, buildTenant, testContext } from '../../../test/support/factories.js';
import { insertQualification, qualificationProgram } from '../../../test/support/qualifications.js';
import type { Db } from '../../db/database.js';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { addMonths } from './days.js';
import { exportScope } from './qualificationPolicy.js';
import { revokeQualification } from './qualificationRevoke.js';
import { qualificationStatus, statusSentence } from './qualificationStatus.js';
import {
  allQualifications,
  countQualifications,
  decodeCursor,
  encodeCursor,
  listQualifications,
  type QualificationFilter,
  qualificationByCode,
  tenantQualification,
} from './qualifications.js';
import type { QualificationRow } from './repository.js';

describe('qualification status', () => {
  const today = '2026-06-01';
  it('is valid until the expiry day, needs recertification from it, and revoked above all', () => {
    assert.equal(qualificationStatus({ expiresOn: '2026-06-02', revokedAt: null }, today), 'valid');
    assert.equal(qualificationStatus({ expiresOn: null, revokedAt: null }, today), 'valid');
    assert.equal(qualificationStatus({ expiresOn: '2026-06-01', revokedAt: null }, today), 'expired');
    assert.equal(
      qualificationStatus({ expiresOn: '2027-01-01', revokedAt: '2026-05-01T03:00:00.000Z' }, today),
      'revoked',
    );
  });

  it('says it in Vietnamese, with the last valid day and the Vietnamese day of a revocation', () => {
    assert.equal(
      statusSentence({ expiresOn: '2027-06-01', revokedAt: null }, today),
      'Đạt yêu cầu, hiệu lực đến hết ngày 31/05/2027',
    );
    assert.equal(statusSentence({ expiresOn: null, revokedAt: null }, today), 'Đạt yêu cầu, không thời hạn');
    assert.equal(
      statusSentence({ expiresOn: '2026-05-15', revokedAt: null }, today),
      'Cần cấp lại từ ngày 15/05/2026',
    );
    // 20:00 UTC on 1 May is already 2 May in Vietnam.
    assert.equal(
      statusSentence({ expiresOn: null, revokedAt: '2026-05-01T20:00:00.000Z' }, today),
      'Đã thu hồi ngày 02/05/2026',
    );
  });

  it('round-trips cursors and refuses anything else', () => {
    const cursor = { issuedOn: '2026-01-02', id: 'abc' };
    assert.deepEqual(decodeCursor(encodeCursor(cursor)), cursor);
    for (const bad of ['', 'xyz', Buffer.from('["2026-1-2","a"]').toString('base64url'), '%%%']) {
      assert.equal(decodeCursor(bad), null, bad);
    }
  });
});

for (const dialect of testDialects()) {
  describe(`qualifications: reading, filtering, revoking [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;
    let inA: QualificationRow;
    let inB: QualificationRow;
    let lapsed: QualificationRow;
    let old: QualificationRow;
    const today = todayInVietnam();
    const filter = (changes: Partial<QualificationFilter> = {}): QualificationFilter => ({
      tenantId: fixture.tenant.id,
      unitPaths: null,
      today,
      ...changes,
    });

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      fixture = await buildTenant(ctx);
      const { qualify } = await qualificationProgram(ctx, fixture.tenant);
      const official = { block: 'official' as const };
      inA = await qualify(
        await buildAccount(ctx, fixture.tenant, fixture.villageA, { ...official, fullName: 'Lê Văn An' }),
      );
      inB = await qualify(
        await buildAccount(ctx, fixture.tenant, fixture.villageB, { ...official, fullName: 'Phạm Thị Bình' }),
      );
      lapsed = await insertQualification(db, inA, { issuedOn: '2023-03-01', expiresOn: '2025-03-01' });
      old = await insertQualification(db, inB, { issuedOn: '2024-01-10', expiresOn: addMonths(today, 1) });
    });
    after(() => db.close());

    it('grants a qualification through the learning path, issued today for the program’s validity', () => {
      assert.equal(inA.issuedOn, today);
      assert.equal(inA.expiresOn, addMonths(today, 24));
      assert.equal(inA.holderName, 'Lê Văn An');
      assert.equal(qualificationStatus(inA, today), 'valid');
    });

    it('finds a code in any tenant, ignoring case and spaces, and only in its own tenant when asked', async () => {
      assert.equal((await qualificationByCode(db, ` ${inA.code.toLowerCase()} `))?.id, inA.id);
      assert.equal(await qualificationByCode(db, 'KHON-GCOT-RONG-0000'), null);
      assert.equal((await tenantQualification(db, fixture.tenant.id, inA.code))?.id, inA.id);
      const other = await buildTenant(ctx, 'tinh-khac');
      assert.equal(await tenantQualification(db, other.tenant.id, inA.code), null);
    });

    it('filters by the holder’s unit subtree, oldest issue first', async () => {
      const all = await listQualifications(db, filter(), { limit: 10 });
      assert.deepEqual(
        all.map((r) => r.id),
        [lapsed.id, old.id, ...[inA, inB].sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => r.id)],
      );
      const communeA = await listQualifications(db, filter({ unitPaths: [fixture.communeA.path] }), {
        limit: 10,
      });
      assert.deepEqual(communeA.map((r) => r.id).sort(), [inA.id, lapsed.id].sort());
      const both = filter({ unitPaths: [fixture.communeA.path, fixture.communeB.path] });
      assert.equal(await countQualifications(db, both), 4);
      assert.equal(await countQualifications(db, filter({ unitPaths: [fixture.villageB.path] })), 2);
    });

    it('filters by status on the day given', async () => {
      const ids = async (status: QualificationFilter['status']) =>
        (await listQualifications(db, filter({ status }), { limit: 10 })).map((r) => r.id).sort();
      assert.deepEqual(await ids('expired'), [lapsed.id]);
      assert.deepEqual(await ids('valid'), [inA.id, inB.id, old.id].sort());
      assert.deepEqual(await ids('revoked'), []);
    });

    it('pages by a stable cursor: every row once, in order', async () => {
      const seen: string[] = [];
      let after = null;
      for (;;) {
        const page = await listQualifications(db, filter(), { limit: 1, after });
        if (page.length === 0) break;
        seen.push(...page.map((r) => r.id));
        const last = page.at(-1) as QualificationRow;
        after = { issuedOn: last.issuedOn, id: last.id };
      }
      assert.equal(seen.length, 4);
      assert.equal(new Set(seen).size, 4);
      const streamed: string[] = [];
      for await (const record of allQualifications(db, ctx.org, filter(), 3)) streamed.push(record.id);
      assert.deepEqual(streamed, seen);
    });

    it('adds the holder’s current unit and status to exported records', async () => {
      const [record] = await (async () => {
        const out = [];
        for await (const r of allQualifications(db, ctx.org, filter({ unitPaths: [fixture.communeB.path] })))
          out.push(r);
        return out;
      })();
      assert.equal(record?.unit?.id, fixture.villageB.id);
      assert.equal(record?.status, 'valid');
    });

    it('revokes with a reason in one audited step, once; the period filter then finds it by revocation', async () => {
      const admin = await ctx.identity.actorOf(
        await buildAccount(ctx, fixture.tenant, fixture.province, { role: 'tenantAdmin', scope: null }),
      );
      await assert.rejects(revokeQualification(ctx, admin, fixture.tenant.id, old.code, ' sai '), {
        status: 400,
      });
      const revoked = await revokeQualification(ctx, admin, fixture.tenant.id, old.code, 'Gian lận khi thi');
      assert.equal(revoked.revokedReason, 'Gian lận khi thi');
      assert.equal(qualificationStatus(revoked, today), 'revoked');
      await assert.rejects(revokeQualification(ctx, admin, fixture.tenant.id, old.code, 'Lần thứ hai'), {
        status: 409,
      });
      const events = await ctx.audit.list(fixture.tenant.id, { action: 'qualification.revoked' });
      assert.equal(events.total, 1);
      assert.equal(events.events[0]?.details.code, old.code);
      // Issued in 2024 but revoked today: a receiving system asking for today learns of it.
      const todays = await listQualifications(db, filter({ from: today, to: today }), { limit: 10 });
      assert.deepEqual(todays.map((r) => r.id).sort(), [inA.id, inB.id, old.id].sort());
      const before2025 = await listQualifications(db, filter({ to: '2024-12-31' }), { limit: 10 });
      assert.deepEqual(before2025.map((r) => r.id).sort(), [lapsed.id, old.id].sort());
    });

    it('scopes exports: tenant-wide roles everything, unit managers their subtrees, others nothing', async () => {
      const actorWith = async (
        role: 'evaluator' | 'unitManager' | 'contentManager',
        scope = fixture.communeA,
      ) =>
        ctx.identity.actorOf(
          await buildAccount(ctx, fixture.tenant, scope, {
            role,
            scope: role === 'unitManager' ? scope : null,
          }),
        );
      assert.equal(exportScope(await actorWith('evaluator'), fixture.tenant.id), null);
      assert.deepEqual(exportScope(await actorWith('unitManager'), fixture.tenant.id), [
        fixture.communeA.path,
      ]);
      assert.deepEqual(exportScope(await actorWith('contentManager'), fixture.tenant.id), []);
      assert.deepEqual(exportScope(null, fixture.tenant.id), []);
    });
  });
}
