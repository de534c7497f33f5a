import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  allFrameworkElements,
  FRAMEWORK_FILES,
  FRAMEWORKS_FOLDER,
  type Framework,
  frameworkElement,
  isFrameworkElementCode,
  loadFrameworks,
  parseFramework,
} from './frameworks.js';

/** Letters that only Vietnamese (among the texts here) writes: vowels with marks, and đ. */
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

function byCode(code: string): Framework {
  const framework = loadFrameworks().find((f) => f.code === code);
  assert.ok(framework, `framework ${code} is loaded`);
  return framework;
}

const elementsOf = (framework: Framework) => framework.groups.flatMap((g) => g.elements);

describe('national frameworks', () => {
  it('ships Circular 02/2025 as 6 domains and 24 competences', () => {
    const tt02 = byCode('TT02');
    assert.equal(tt02.groups.length, 6);
    assert.equal(elementsOf(tt02).length, 24);
    assert.deepEqual(
      tt02.groups.map((g) => g.elements.length),
      [3, 6, 4, 4, 4, 3],
    );
    assert.deepEqual(
      tt02.groups.map((g) => g.name),
      [
        'Khai thác dữ liệu và thông tin',
        'Giao tiếp và hợp tác trong môi trường số',
        'Sáng tạo nội dung số',
        'An toàn',
        'Giải quyết vấn đề',
        'Ứng dụng trí tuệ nhân tạo',
      ],
    );
    assert.ok(tt02.groups.every((g) => !g.provisional));
  });

  it('ships Decision 757 as skill groups 0 to 6, only group 0 read in a source', () => {
    const qd757 = byCode('QD757');
    assert.deepEqual(
      qd757.groups.map((g) => g.code),
      ['QD757-0', 'QD757-1', 'QD757-2', 'QD757-3', 'QD757-4', 'QD757-5', 'QD757-6'],
    );
    assert.equal(elementsOf(qd757).length, 26);
    assert.deepEqual(
      qd757.groups.filter((g) => !g.provisional).map((g) => g.code),
      ['QD757-0'],
    );
    assert.match(qd757.sourceNote, /CHƯA ĐỐI CHIẾU/);
  });

  it('gives every framework its source', () => {
    for (const framework of loadFrameworks()) {
      assert.match(framework.sourceUrl, /^https:\/\//);
      assert.ok(framework.source.length > 20);
      assert.ok(framework.sourceNote.length > 50);
    }
  });

  it('uses unique, well-formed codes prefixed by the framework and group codes', () => {
    const seen = new Set<string>();
    for (const framework of loadFrameworks()) {
      for (const group of framework.groups) {
        assert.match(group.code, new RegExp(`^${framework.code}-\\d+$`));
        assert.ok(!seen.has(group.code), group.code);
        seen.add(group.code);
        for (const element of group.elements) {
          assert.ok(element.code.startsWith(`${group.code}.`), element.code);
          assert.match(element.code, /^[A-Z0-9]+-\d+\.\d+$/);
          assert.ok(!seen.has(element.code), element.code);
          seen.add(element.code);
        }
      }
    }
  });

  it('writes names in NFC Vietnamese with diacritics', () => {
    for (const file of FRAMEWORK_FILES) {
      const text = readFileSync(join(FRAMEWORKS_FOLDER, file), 'utf8');
      assert.equal(text, text.normalize('NFC'), `${file} is NFC`);
    }
    for (const framework of loadFrameworks()) {
      const names = [
        framework.title,
        ...framework.groups.flatMap((g) => [g.name, ...g.elements.map((e) => e.name)]),
      ];
      for (const name of names) {
        assert.ok(name.trim().length > 0);
        assert.equal(name, name.normalize('NFC'));
      }
      assert.match(framework.title, VIETNAMESE_LETTER);
      for (const group of framework.groups) assert.match(group.name, VIETNAMESE_LETTER, group.code);
      const withMarks = elementsOf(framework).filter((e) => VIETNAMESE_LETTER.test(e.name));
      // "Lập trình" and the like all carry marks; a name without any would mean lost diacritics.
      assert.equal(withMarks.length, elementsOf(framework).length, framework.code);
    }
  });

  it('finds an element, its group and framework by code', () => {
    const match = frameworkElement('TT02-4.2');
    assert.ok(match);
    assert.equal(match.framework.code, 'TT02');
    assert.equal(match.group.code, 'TT02-4');
    assert.equal(match.group.name, 'An toàn');
    assert.equal(match.element.name, 'Bảo vệ dữ liệu cá nhân và quyền riêng tư');
    assert.equal(frameworkElement('QD757-0.1')?.element.name, 'Sử dụng thiết bị');
    assert.ok(isFrameworkElementCode('TT02-6.3'));
    assert.ok(isFrameworkElementCode('QD757-0.2'));
  });

  it('does not accept unknown codes, group or framework codes, or near misses', () => {
    for (const code of [
      '',
      'TT02',
      'TT02-1',
      'TT02-7.1',
      'TT02-1.4',
      'tt02-1.1',
      ' TT02-1.1',
      'TT02-1.1 ',
      'QD757-0.3',
      'X-1.1',
    ]) {
      assert.equal(isFrameworkElementCode(code), false, JSON.stringify(code));
      assert.equal(frameworkElement(code), undefined);
    }
  });

  it('lists every element once, in order, with its group and framework', () => {
    const rows = allFrameworkElements();
    assert.equal(rows.length, 24 + 26);
    assert.equal(new Set(rows.map((r) => r.code)).size, rows.length);
    assert.deepEqual(rows[0], {
      code: 'QD757-0.1',
      name: 'Sử dụng thiết bị',
      groupCode: 'QD757-0',
      groupName: 'Sử dụng thiết bị và phần mềm trên thiết bị',
      frameworkCode: 'QD757',
      provisional: false,
    });
    const last = rows.at(-1);
    assert.equal(last?.code, 'TT02-6.3');
    assert.equal(last?.frameworkCode, 'TT02');
    assert.ok(
      rows.filter((r) => r.frameworkCode === 'QD757' && r.code >= 'QD757-1').every((r) => r.provisional),
    );
  });

  it('caches: the same frozen objects on every call', () => {
    assert.equal(loadFrameworks(), loadFrameworks());
    assert.equal(allFrameworkElements(), allFrameworkElements());
    assert.ok(Object.isFrozen(loadFrameworks()[0]?.groups[0]?.elements[0]));
  });
});

describe('framework file validation', () => {
  const valid = [
    'code: ABC',
    'title: Khung thử',
    'source: Văn bản thử',
    'sourceUrl: https://example.org/a',
    'sourceNote: Ghi chú',
    'groups:',
    '  - code: ABC-1',
    '    name: Nhóm một',
    '    elements:',
    '      - code: ABC-1.1',
    '        name: Mục một',
  ];

  it('accepts a well-formed file', () => {
    const { framework, problems } = parseFramework('abc.yaml', valid.join('\n'));
    assert.deepEqual(problems, []);
    assert.equal(framework?.groups[0]?.elements[0]?.code, 'ABC-1.1');
    assert.equal(framework?.groups[0]?.provisional, false);
  });

  const broken: [string, (lines: string[]) => string[], RegExp, number][] = [
    ['duplicate code', (l) => [...l, '      - code: ABC-1.1', '        name: Mục hai'], /bị trùng/, 12],
    ['element not under its group', (l) => l.map((x) => x.replace('ABC-1.1', 'ABC-2.1')), /ABC-1\.<số>/, 10],
    [
      'group without framework prefix',
      (l) => l.map((x) => x.replace('code: ABC-1', 'code: XYZ-1')),
      /ABC-<số>/,
      7,
    ],
    ['empty name', (l) => l.map((x) => x.replace('name: Mục một', 'name: ""')), /không để trống/, 11],
    [
      'decomposed (NFD) text',
      (l) => l.map((x) => x.replace('Mục một', 'Mục một'.normalize('NFD'))),
      /NFC/,
      11,
    ],
    [
      'extra white space in a name',
      (l) => l.map((x) => x.replace('Nhóm một', '"Nhóm  một"')),
      /khoảng trắng/,
      8,
    ],
    ['unknown key', (l) => [...l, 'groupz: []'], /không được hỗ trợ/, 12],
    ['plain http source', (l) => l.map((x) => x.replace('https://', 'http://')), /https/, 4],
    ['group without elements', (l) => l.slice(0, 8), /elements/, 7],
  ];
  for (const [what, edit, message, line] of broken) {
    it(`rejects ${what}, pointing at the line`, () => {
      const { framework, problems } = parseFramework('abc.yaml', edit([...valid]).join('\n'));
      assert.equal(framework, null);
      const problem = problems.find((p) => message.test(p.message));
      assert.ok(problem, `${what}: ${JSON.stringify(problems)}`);
      assert.equal(problem.line, line);
      assert.equal(problem.file, 'abc.yaml');
    });
  }
});
