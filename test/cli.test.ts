import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { hocvuso } from './support/cli.js';
import { freshDatabaseUrl, testDialects } from './support/db.js';

const QUESTIONS = (name: string) => new URL(`./fixtures/questions/${name}`, import.meta.url).pathname;

/** Runs the real CLI in a child process, the way an administrator would. */

describe('hocvuso CLI', () => {
  it('lists every command with one line each in --help', () => {
    const { code, out } = hocvuso(['--help']);
    assert.equal(code, 0);
    for (const command of [
      'serve',
      'migrate',
      'seed --demo',
      'tenant create',
      'import units',
      'user create',
      'content check',
      'content import',
      'import questions',
      'certificate revoke',
      'import people',
      'org apply-merge',
      'scheduler',
    ]) {
      assert.match(out, new RegExp(`^  ${command}`, 'm'), command);
    }
  });

  it('refuses an unknown command with exit code 2', () => {
    const { code, err } = hocvuso(['bay']);
    assert.equal(code, 2);
    assert.match(err, /Lệnh không rõ/);
  });
});

for (const dialect of testDialects()) {
  describe(`hocvuso CLI on a database [${dialect}]`, () => {
    it('imports a unit file idempotently and refuses a bad one whole with line numbers', async () => {
      const database = await freshDatabaseUrl(dialect);
      const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-cli-'));
      const env = { DATABASE_URL: database.url, HOCVUSO_DATA_DIR: dir };
      try {
        const created = hocvuso(
          [
            'tenant',
            'create',
            'quang-nam',
            '--name',
            'Tỉnh Quảng Nam',
            '--root-type',
            'Tỉnh',
            '--root-name',
            'Quảng Nam',
            '--root-code',
            '49',
          ],
          env,
        );
        assert.equal(created.code, 0, created.err);
        const file = new URL('../resources/vn-admin/quang-nam-2024.csv', import.meta.url).pathname;
        const first = hocvuso(['import', 'units', file, '--tenant', 'quang-nam'], env);
        assert.equal(first.code, 0, first.err);
        assert.match(first.out, /259 mới, 0 cập nhật, 0 không đổi/);
        const second = hocvuso(['import', 'units', file, '--tenant', 'quang-nam'], env);
        assert.match(second.out, /0 mới, 0 cập nhật, 259 không đổi/);

        const bad = path.join(dir, 'bad.csv');
        writeFileSync(bad, 'code,name,type,parent_code\n90001,Thôn A,Thôn,20524\n90002,Thôn B,Thôn,00000\n');
        const refused = hocvuso(['import', 'units', bad, '--tenant', 'quang-nam'], env);
        assert.equal(refused.code, 1);
        assert.match(refused.out, /bị từ chối, không có thay đổi nào/);
        assert.match(refused.out, /Dòng 3: Không tìm thấy đơn vị cấp trên có mã 00000/);
        assert.doesNotMatch(refused.out, /Dòng 2/);
        const third = hocvuso(['import', 'units', file, '--tenant', 'quang-nam'], env);
        assert.match(third.out, /259 không đổi/);
        const missing = hocvuso(['import', 'units', file, '--tenant', 'khong-co'], env);
        assert.equal(missing.code, 2);
        assert.match(missing.err, /Không có đơn vị chủ quản "khong-co"/);
      } finally {
        await database.drop();
      }
    });

    it('never seeds demo data in production, and refuses to serve with demo accounts', async () => {
      const database = await freshDatabaseUrl(dialect);
      const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-cli-'));
      const env = { DATABASE_URL: database.url, HOCVUSO_DATA_DIR: dir };
      const production = { ...env, NODE_ENV: 'production', HOCVUSO_SECRET: 'x'.repeat(40), PORT: '0' };
      try {
        const refusedSeed = hocvuso(['seed', '--demo'], production);
        assert.equal(refusedSeed.code, 2);
        assert.match(refusedSeed.err, /Không tạo dữ liệu demo khi NODE_ENV=production/);
        const seeded = hocvuso(['seed', '--demo'], env);
        assert.equal(seeded.code, 0, seeded.err);
        assert.match(seeded.out, /10 tài khoản demo/);
        assert.match(seeded.out, /tổ công nghệ số Thôn 2 – Xã Đại Hiệp \(tổ trưởng Đặng Minh Quân\)/);
        const again = hocvuso(['seed', '--demo'], env);
        assert.match(again.out, /đã có sẵn; không thay đổi gì/);
        const served = hocvuso(['serve'], production);
        assert.equal(served.code, 2);
        assert.match(served.err, /tài khoản demo/);
        const noSecret = hocvuso(['migrate'], { ...env, NODE_ENV: 'production' });
        assert.equal(noSecret.code, 2);
        assert.match(noSecret.err, /Cần đặt HOCVUSO_SECRET/);
      } finally {
        await database.drop();
      }
    });
  });
}

const MINI = new URL('./fixtures/courses/mini', import.meta.url).pathname;

describe('hocvuso content check', () => {
  it('accepts a valid package and refuses a broken one with file and line', () => {
    const ok = hocvuso(['content', 'check', MINI]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /1 khóa học hợp lệ \(lam-quen-zalo\)/);
    const broken = mkdtempSync(path.join(tmpdir(), 'hocvuso-content-'));
    writeFileSync(path.join(broken, 'course.yaml'), 'slug: Sai Slug\ntitle: Thử\n');
    const refused = hocvuso(['content', 'check', broken]);
    assert.equal(refused.code, 1);
    assert.match(refused.out, /course\.yaml:1: "slug" chỉ được gồm chữ thường/);
    assert.match(refused.out, /course\.yaml:1: Thiếu "summary"\./);
  });
});

for (const dialect of testDialects()) {
  describe(`hocvuso content import [${dialect}]`, () => {
    it('imports a package into a tenant, and a second import changes nothing', async () => {
      const database = await freshDatabaseUrl(dialect);
      const env = {
        DATABASE_URL: database.url,
        HOCVUSO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hocvuso-cli-')),
      };
      try {
        const tenant = hocvuso(
          ['tenant', 'create', 'tinh-thu', '--name', 'Tỉnh Thử', '--root-type', 'Tỉnh', '--root-name', 'Thử'],
          env,
        );
        assert.equal(tenant.code, 0, tenant.err);
        const first = hocvuso(['content', 'import', MINI, '--tenant', 'tinh-thu'], env);
        assert.equal(first.code, 0, first.err);
        assert.match(first.out, /lam-quen-zalo: đã tạo/);
        const second = hocvuso(['content', 'import', MINI, '--tenant', 'tinh-thu'], env);
        assert.match(second.out, /lam-quen-zalo: không thay đổi/);
        const revoke = hocvuso(['certificate', 'revoke', 'AAAA-BBBB-CCCC-DDDD', '--reason', 'Cấp nhầm'], env);
        assert.equal(revoke.code, 2);
        assert.match(revoke.err, /Không có giấy chứng nhận số "AAAA-BBBB-CCCC-DDDD"/);
        const missing = hocvuso(['content', 'import', MINI, '--tenant', 'khong-co'], env);
        assert.equal(missing.code, 2);
        assert.match(missing.err, /Không có đơn vị chủ quản "khong-co"/);

        const bank = ['--bank', 'Ngân hàng thử', '--tenant', 'tinh-thu'];
        const gift = hocvuso(['import', 'questions', QUESTIONS('all-kinds.gift'), ...bank], env);
        assert.equal(gift.code, 0, gift.err);
        assert.match(gift.out, /11 câu mới, 0 câu cập nhật, 0 câu không đổi/);
        const again = hocvuso(['import', 'questions', QUESTIONS('all-kinds.gift'), ...bank], env);
        assert.match(again.out, /0 câu mới, 0 câu cập nhật, 11 câu không đổi/);
        const bad = hocvuso(['import', 'questions', QUESTIONS('bad-mixed.aiken.txt'), ...bank], env);
        assert.equal(bad.code, 1);
        assert.match(bad.out, /bị từ chối, chưa nhập câu nào/);
        assert.match(bad.out, /Dòng 6: /);
        assert.match(bad.out, /Dòng 15: /);
        const aiken = hocvuso(['import', 'questions', QUESTIONS('single.aiken.txt'), ...bank], env);
        assert.equal(aiken.code, 0, aiken.err);
        assert.match(aiken.out, /\d+ câu mới/);
      } finally {
        await database.drop();
      }
    });
  });
}
