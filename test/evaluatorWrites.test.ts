import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCESS_MATRIX } from './support/accessMatrix.js';

/**
 * The write routes an evaluator may use: their own account and learning (an evaluator is also a
 * learner, and may attend an in-person class), signing in, and their own evaluation work (scheduled reports, reviewing signals).
 * Everything else that changes data refuses them; test/accessMatrix.test.ts sends every route
 * a request as the evaluator and checks it gets what this table says.
 */
const OWN_WRITES = new Set([
  'POST /api/auth/signup',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/me/password',
  'POST /dang-ky',
  'POST /dang-nhap',
  'POST /dang-xuat',
  'POST /ho-so/mat-khau',
  'POST /ho-so/sua',
  'POST /ho-so/rut-dong-y',
  'POST /ho-so/xoa-tai-khoan',
  'POST /thong-bao/da-doc',
  'POST /api/learning/events',
  'POST /khoa-hoc/:course/phien-ban-moi',
  'POST /khoa-hoc/:course/:lesson/da-doc',
  'POST /khoa-hoc/:course/:lesson/kiem-tra',
  'POST /api/quizzes/:id/attempts',
  'POST /lop-hoc/:id/dang-ky',
  'POST /lop-hoc/:id/huy-dang-ky',
  'POST /lop-hoc/:id/diem-danh',
  'POST /bao-cao/lich/moi',
  'POST /bao-cao/lich/:id/tam-dung',
  'POST /bao-cao/lich/:id/xoa',
  'POST /bao-cao/don-vi/:id/dau-hieu/danh-dau',
]);

describe('an evaluator changes nothing but their own', () => {
  it('is refused by every other write route', () => {
    const writes = Object.entries(ACCESS_MATRIX).filter(([route]) => !route.startsWith('GET '));
    assert.ok(writes.length > 40, 'the matrix lists the write routes');
    const allowed = writes.filter(([, rule]) => rule.allowed.includes('evaluator')).map(([route]) => route);
    assert.deepEqual(
      allowed.filter((route) => !OWN_WRITES.has(route)),
      [],
      'write routes open to evaluators beyond their own account, learning and evaluation work',
    );
  });
});
