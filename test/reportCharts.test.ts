import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const CHARTS = ['theo-ngay.svg', 'don-vi-con.svg', 'chi-tieu.svg'];

/** The text a PDF viewer would copy out of a downloaded file. */
function pdfText(bytes: Buffer): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'report-charts-'));
  try {
    const file = path.join(directory, 'tom-tat.pdf');
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

for (const dialect of testDialects()) {
  describe(`dashboard charts and PDF summary [${dialect}]`, () => {
    let t: TestApp;
    let evaluator: Browser;
    let managerA: Browser;
    let managerB: Browser;

    before(async () => {
      t = await startTestApp(dialect);
      const { ctx, fixture } = t;
      const { tenant, province, communeA, communeB, villageA } = fixture;
      evaluator = await signedIn(
        t.app,
        await buildAccount(ctx, tenant, province, {
          role: 'evaluator',
          scope: null,
          fullName: 'Lê Thị Đánh Giá',
        }),
      );
      managerA = await signedIn(t.app, await buildAccount(ctx, tenant, communeA, { role: 'unitManager' }));
      managerB = await signedIn(t.app, await buildAccount(ctx, tenant, communeB, { role: 'unitManager' }));
      const course = await importMiniCourse(ctx, tenant);
      const learner = await ctx.identity.actorOf(
        await buildAccount(ctx, tenant, villageA, { fullName: 'Trương Thị Học' }),
      );
      for (const lesson of course.lessons) await ctx.learning.finishReading(learner, lesson.id);
    });
    after(() => t.close());

    it('gives an evaluator each chart as an SVG image, cached privately for a minute', async () => {
      const district = t.fixture.district.id;
      for (const chart of CHARTS) {
        const response = await evaluator.get(`/bao-cao/don-vi/${district}/bieu-do/${chart}?chi-so=started`);
        assert.equal(response.statusCode, 200, chart);
        assert.match(String(response.headers['content-type']), /^image\/svg\+xml/);
        assert.equal(response.headers['cache-control'], 'private, max-age=60');
        assert.match(response.body, /^<svg [\s\S]*<\/svg>\s*$/);
        assert.doesNotMatch(response.body, /style=|<style/, `${chart}: no CSS for the CSP to block`);
      }
      // The district's communes, compared on the rate asked for: one learner started in Đại Hiệp.
      const children = await evaluator.get(
        `/bao-cao/don-vi/${district}/bieu-do/don-vi-con.svg?chi-so=started`,
      );
      assert.match(children.body, /Tỉ lệ bắt đầu học của các đơn vị trực thuộc/);
      assert.match(children.body, />[^<]*Đại Hiệp<\/text>/);
      assert.match(children.body, />[^<]*Đại Thạnh<\/text>/);
    });

    it('takes the dashboard filters and ignores what it cannot read', async () => {
      const district = t.fixture.district.id;
      const filtered = await evaluator.get(
        `/bao-cao/don-vi/${district}/bieu-do/theo-ngay.svg?mon=*&khoi=citizen&tu=2020-01-01&den=2020-01-31`,
      );
      assert.equal(filtered.statusCode, 200);
      assert.match(filtered.body, /Từ 01\/01\/2020 đến 31\/01\/2020/);
      const odd = await evaluator.get(
        `/bao-cao/don-vi/${district}/bieu-do/don-vi-con.svg?khoi=khac&tu=hom-qua&chi-so=gi-do`,
      );
      assert.equal(odd.statusCode, 200);
      assert.match(odd.body, /Tỉ lệ hoàn thành của các đơn vị trực thuộc/);
    });

    it('has no chart by another name', async () => {
      const response = await evaluator.get(`/bao-cao/don-vi/${t.fixture.district.id}/bieu-do/khac.svg`);
      assert.equal(response.statusCode, 404);
    });

    it('gives an evaluator the summary as a PDF download in Vietnamese', async () => {
      const response = await evaluator.get(
        `/bao-cao/don-vi/${t.fixture.district.id}/tom-tat.pdf?khoi=citizen`,
      );
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/pdf');
      assert.equal(
        response.headers['content-disposition'],
        'attachment; filename="bao-cao-huyen-dai-loc.pdf"',
      );
      const bytes = response.rawPayload;
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      const text = pdfText(bytes);
      for (const expected of [
        'KẾT QUẢ PHỔ CẬP KỸ NĂNG SỐ',
        'Huyện Đại Lộc, Tỉnh Quảng Nam',
        'Khối: Người dân',
        'Người đã bắt đầu học 1',
        'Người lập biểu',
        'Lê Thị Đánh Giá',
      ]) {
        assert.ok(text.includes(expected), `"${expected}" not in: ${text}`);
      }
    });

    it("lets a commune's manager read their commune, and refuses another commune's manager", async () => {
      const communeA = t.fixture.communeA.id;
      for (const url of [
        `/bao-cao/don-vi/${communeA}/bieu-do/theo-ngay.svg`,
        `/bao-cao/don-vi/${communeA}/tom-tat.pdf`,
      ]) {
        assert.equal((await managerA.get(url)).statusCode, 200, url);
        const refused = await managerB.get(url);
        assert.equal(refused.statusCode, 403, url);
        assert.doesNotMatch(String(refused.headers['content-type']), /svg|pdf/);
      }
      // Nor the district above either commune.
      const district = await managerB.get(`/bao-cao/don-vi/${t.fixture.district.id}/bieu-do/chi-tieu.svg`);
      assert.equal(district.statusCode, 403);
    });
  });
}
