import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanText, compareVietnamese, foldForSearch, searchTokens } from './vietnamese.js';

describe('Vietnamese text', () => {
  it('folds diacritics, case and đ/Đ for search', () => {
    assert.equal(foldForSearch('Lừa đảo'), 'lua dao');
    assert.equal(foldForSearch('LỪA ĐẢO'), 'lua dao');
    assert.equal(foldForSearch('Đại Lộc'), 'dai loc');
    assert.equal(foldForSearch('  Thị trấn   Ái Nghĩa, (Đại Lộc) '), 'thi tran ai nghia dai loc');
  });

  it('folds decomposed (NFD) input the same as composed input', () => {
    assert.equal(foldForSearch('Đại Lộc'.normalize('NFD')), 'dai loc');
  });

  it('stores text in NFC with single spaces', () => {
    const stored = cleanText('  Nguyễn   Văn\tAn '.normalize('NFD'));
    assert.equal(stored, 'Nguyễn Văn An');
    assert.equal(stored, stored.normalize('NFC'));
  });

  it('splits a query into folded words and ignores punctuation', () => {
    assert.deepEqual(searchTokens('Đại  Lộc!'), ['dai', 'loc']);
    assert.deepEqual(searchTokens(' %_ '), []);
  });

  it('sorts in Vietnamese alphabetical order', () => {
    const sorted = ['Đà Nẵng', 'Ân', 'Bắc', 'Dung', 'Ăn', 'An'].sort(compareVietnamese);
    assert.deepEqual(sorted, ['An', 'Ăn', 'Ân', 'Bắc', 'Dung', 'Đà Nẵng']);
  });
});
