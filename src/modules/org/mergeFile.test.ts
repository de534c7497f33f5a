import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMergeFile, readUnitCatalog } from './mergeFile.js';

describe('merge mapping files', () => {
  it("reads the statistics office's layout and the plain one", () => {
    const office = readMergeFile('old_commune_code,new_commune_code\n20335,20335\n20338,20341\n');
    assert.deepEqual(office, {
      lines: [
        { line: 2, oldCode: '20335', newCode: '20335' },
        { line: 3, oldCode: '20338', newCode: '20341' },
      ],
      errors: [],
    });
    assert.deepEqual(readMergeFile('\uFEFFold_code,new_code\r\nT1,T9\r\n').lines, [
      { line: 2, oldCode: 'T1', newCode: 'T9' },
    ]);
  });

  it('refuses a wrong header, an empty file, bad codes and one unit sent two ways, with their lines', () => {
    assert.deepEqual(readMergeFile('ma_cu,ma_moi\n1,2\n').errors, [
      {
        line: 1,
        message: 'Tiêu đề cột không đúng: cần old_code,new_code hoặc old_commune_code,new_commune_code.',
      },
    ]);
    assert.deepEqual(readMergeFile('old_code,new_code\n').errors, [
      { line: 1, message: 'Tệp không có dòng dữ liệu nào.' },
    ]);
    const { lines, errors } = readMergeFile(
      'old_code,new_code\n20524,20500\n,20500\n20527,x y\n20524,20542\n20524,20500\n',
    );
    assert.deepEqual(lines, [{ line: 2, oldCode: '20524', newCode: '20500' }]);
    assert.deepEqual(errors, [
      { line: 3, message: 'Thiếu mã đơn vị.' },
      { line: 4, message: 'Mã đơn vị "x y" không hợp lệ.' },
      { line: 5, message: 'Mã 20524 đã được ghép vào 20500 ở dòng 2: một đơn vị chỉ vào một đơn vị mới.' },
    ]);
  });

  it('reads an official unit list and ignores its extra columns', () => {
    const { units, errors } = readUnitCatalog('code,name,type,province_code\n20500,Đại Lộc,Xã,48\n');
    assert.deepEqual(errors, []);
    assert.deepEqual(units.get('20500'), { code: '20500', name: 'Đại Lộc', typeLabel: 'Xã' });
    assert.match(readUnitCatalog('ma,ten\n1,2\n').errors.at(-1)?.message ?? '', /cần các cột code,name,type/);
  });
});
