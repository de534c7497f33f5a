import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPhone, normalizePhone } from './phone.js';

describe('phone numbers', () => {
  it('reads the common spellings of one number as the same +84 number', () => {
    for (const spelling of [
      '0912 345 678',
      '+84912345678',
      '84912345678',
      '0912.345.678',
      '(+84) 912-345-678',
    ]) {
      assert.equal(normalizePhone(spelling), '+84912345678', spelling);
    }
  });

  it('accepts every Vietnamese mobile prefix', () => {
    for (const number of ['0321234567', '0561234567', '0701234567', '0812345678', '0987654321']) {
      assert.match(normalizePhone(number) ?? '', /^\+84\d{9}$/, number);
    }
  });

  it('refuses landlines, short, long and foreign numbers', () => {
    for (const bad of [
      '02353812345',
      '091234567',
      '09123456789',
      '+8612345678901',
      '0112345678',
      'abc',
      '',
    ]) {
      assert.equal(normalizePhone(bad), null, bad);
    }
  });

  it('writes numbers back the way people read them', () => {
    assert.equal(formatPhone('+84912345678'), '0912 345 678');
  });
});
