import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../src/server.js';
import { startTestApp, type TestApp } from './support/app.js';
import { openTestDatabase, testDialects } from './support/db.js';
import { testContext } from './support/factories.js';

for (const dialect of testDialects()) {
  describe(`web application [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it('answers /healthz after a real database round trip', async () => {
      const response = await t.app.inject('/healthz');
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { status: 'ok', database: dialect });
    });

    it('shows a friendly Vietnamese 404 page, and a JSON error under /api/', async () => {
      const page = await t.app.inject('/khong-co-trang-nay');
      assert.equal(page.statusCode, 404);
      assert.match(page.headers['content-type'] as string, /text\/html/);
      assert.match(page.body, /<h1>Không tìm thấy trang<\/h1>/);
      assert.match(page.body, /href="\/"/);
      const api = await t.app.inject('/api/khong-co');
      assert.equal(api.statusCode, 404);
      assert.equal(api.json().error.code, 'not_found');
    });

    it('reports schema violations as {error:{code,message,fields}} in Vietnamese', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { identifier: 'x' },
      });
      assert.equal(response.statusCode, 400);
      const { error } = response.json();
      assert.equal(error.code, 'validation_failed');
      assert.match(error.message, /chưa hợp lệ/);
      assert.equal(error.fields.password, 'Thông tin này là bắt buộc.');
      const bad = await t.app.inject('/api/units/search?q=');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.fields.q, 'Thông tin này là bắt buộc.');
    });

    it('refuses a form post to the JSON API without a CSRF token', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'identifier=0900000001&password=x',
      });
      assert.equal(response.statusCode, 403);
      assert.equal(response.json().error.code, 'csrf_failed');
    });

    it('serves the OpenAPI document of the JSON API only', async () => {
      const response = await t.app.inject('/api/openapi.json');
      assert.equal(response.statusCode, 200);
      const paths = Object.keys(response.json().paths);
      for (const path of [
        '/api/auth/signup',
        '/api/auth/login',
        '/api/me',
        '/api/units/search',
        '/api/members/{id}',
        '/api/courses',
        '/api/courses/{slug}',
        '/api/learning/events',
        '/api/quizzes/{id}/attempts',
        '/api/quiz-attempts/{id}/submission',
      ]) {
        assert.ok(paths.includes(path), path);
      }
      assert.ok(!paths.includes('/dang-ky') && !paths.includes('/') && !paths.includes('/khoa-hoc'));
    });

    it('sends security headers and a strict content security policy', async () => {
      const response = await t.app.inject('/');
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-security-policy'] as string, /script-src 'self'/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.match(response.body, /<html lang="vi">/);
      assert.equal(response.body, response.body.normalize('NFC'));
    });

    it('serves static files and refuses paths outside the static folder', async () => {
      assert.equal((await t.app.inject('/static/app.css')).statusCode, 200);
      const outside = await t.app.inject('/static/..%2f..%2fpackage.json');
      assert.ok(outside.statusCode >= 400, `status ${outside.statusCode}`);
      assert.doesNotMatch(outside.body, /"dependencies"/);
    });
  });

  describe(`application failures [${dialect}]`, () => {
    it('answers 503 on /healthz when the database is closed', async () => {
      const db = await openTestDatabase(dialect);
      const app = await buildApp(testContext(db));
      assert.equal((await app.inject('/healthz')).statusCode, 200);
      await db.close();
      const response = await app.inject('/healthz');
      assert.equal(response.statusCode, 503);
      assert.deepEqual(response.json(), { status: 'unavailable', database: dialect });
      await app.close();
    });

    it('hides the details of an unexpected error from the user', async () => {
      const db = await openTestDatabase(dialect);
      const app = await buildApp(testContext(db));
      app.get('/loi', { config: { access: 'public', tenantless: true } }, () => {
        throw new Error('secret internal detail');
      });
      const response = await app.inject('/loi');
      assert.equal(response.statusCode, 500);
      assert.match(response.body, /Đã có lỗi ở máy chủ/);
      assert.doesNotMatch(response.body, /secret internal detail|at .*\.ts/);
      await app.close();
      await db.close();
    });

    it('will not register a route that makes no access decision', async () => {
      const db = await openTestDatabase(dialect);
      const app = await buildApp(testContext(db));
      assert.throws(() => app.get('/khong-kiem-soat', () => 'open'), /declares no access decision/);
      await app.close();
      await db.close();
    });
  });
}
