// Reads the rendered handout back with poppler-utils (pdftotext, pdfinfo, pdfimages), the way a
// reader's viewer or a print shop would see it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { QuestionDraft } from '../assessment/questionDraft.js';
import { type HandoutCourse, renderHandoutPdf } from './handoutPdf.js';

const A4_PORTRAIT = { width: 595.28, height: 841.89 };
const MARGIN = 56;

/** Written only into answer keys and explanations: none of these may reach the paper. */
const SECRETS = ['BÍ MẬT GIẢI THÍCH', '42317', 'correct', 'Đúng:', 'Đáp án:', 'true', 'false'];

function question(
  fields: Pick<QuestionDraft, 'prompt' | 'situation' | 'body'>,
  secret: number,
): QuestionDraft {
  return {
    key: `cau-${secret}`,
    explanation: `BÍ MẬT GIẢI THÍCH số ${secret}: đáp án nằm ở đây.`,
    difficulty: 'easy',
    tags: [],
    frameworks: [],
    ...fields,
  };
}

const single = question(
  {
    situation: 'Bà Lan nhận cuộc gọi của người xưng là công an, bảo bà chuyển tiền vào "tài khoản tạm giữ".',
    prompt: 'Bà Lan nên làm gì trước tiên?',
    body: {
      kind: 'single',
      options: [
        { text: 'Chuyển một nửa số tiền', correct: false },
        { text: 'Cúp máy và gọi cho con', correct: true },
        { text: 'Hỏi tên đơn vị người gọi', correct: false },
      ],
    },
  },
  1,
);

const multiple = question(
  {
    situation: null,
    prompt: 'Những dấu hiệu nào cho thấy tin nhắn là giả?',
    body: {
      kind: 'multiple',
      options: [
        { text: 'Đường liên kết có đuôi .top', correct: true },
        { text: 'Thúc ép khóa tài khoản ngay', correct: true },
        { text: 'Gửi từ tổng đài in trên thẻ', correct: false },
      ],
    },
  },
  2,
);

const trueFalse = question(
  {
    situation: null,
    prompt: 'Ngân hàng có thể hỏi mã OTP qua điện thoại.',
    body: { kind: 'trueFalse', answer: false },
  },
  3,
);

// Right items in alphabetical order, so sorting alone would print them in the key's order.
const matchingPairs = [
  { left: 'Mã OTP', right: 'Bảo mật, không đưa ai' },
  { left: 'Cuộc gọi lạ', right: 'Cúp máy ngay' },
  { left: 'Đường liên kết lạ', right: 'Không bấm vào' },
];
const matching = question(
  {
    situation: null,
    prompt: 'Ghép mỗi tình huống với cách xử lý đúng.',
    body: { kind: 'matching', pairs: matchingPairs },
  },
  4,
);

const orderingItems = ['Dừng chuyển tiền', 'Gọi tổng đài ngân hàng', 'Báo công an xã'];
const ordering = question(
  {
    situation: 'Ông Năm lỡ chuyển tiền cho kẻ gian.',
    prompt: 'Sắp xếp các việc ông Năm cần làm.',
    body: { kind: 'ordering', items: orderingItems },
  },
  5,
);

const numeric = question(
  {
    situation: null,
    prompt: 'Kẻ gian đã lừa được bao nhiêu nghìn đồng? Ghi bằng số.',
    body: { kind: 'numeric', answer: 42317, tolerance: 0 },
  },
  6,
);

const LESSON_ONE = `## Vì sao kẻ gian giả làm công an

Người dân mình **tin công an**, *tin ngân hàng*. Đừng bấm \`dichvuc0ng-gov.com\`, hãy vào
[Cổng dịch vụ công](https://dichvucong.gov.vn/) hoặc [bài sau](../bai-2.md).

- Số căn cước bị dùng để rửa tiền.
- Bà không được nói với ai:
  - kể cả con cái;
  - kể cả hàng xóm.

1. Cúp máy.
2. Gọi cho con.

> Công an không làm việc qua điện thoại.

![Biểu đồ cột màu đỏ](anh/bieu-do.png "Hình 1. Biểu đồ minh họa")

![Sơ đồ hình tròn](anh/so-do.svg)

![Ảnh bị thiếu](anh/thieu.png)

![Ảnh hỏng](anh/hong.webp)

![Ảnh WebP](anh/anh.webp)

---

| Dấu hiệu | Việc cần làm |
| --- | --- |
| Đòi chuyển tiền | Cúp máy |
| Hỏi mã OTP | Không đọc mã |

\`\`\`
Mật khẩu mạnh: Trau-an-khe-tren-doi-thong7!
\`\`\`
`;

const LESSON_TWO_TITLE = 'Trúng thưởng, việc nhẹ lương cao';

const course: HandoutCourse = {
  // Decomposed on purpose: the handout must still print composed letters.
  title: 'Nhận diện và phòng tránh lừa đảo trực tuyến'.normalize('NFD'),
  summary: 'Nhận ra các chiêu lừa qua điện thoại, tin nhắn và mạng xã hội.',
  tenantName: 'Tỉnh Quảng Nam',
  versionLabel: 'Phiên bản 3 — 29/11/2026',
  modules: [
    {
      title: 'Nhận diện các chiêu lừa thường gặp',
      lessons: [
        {
          title: 'Cuộc gọi giả danh công an, tòa án',
          minutes: 14,
          markdown: LESSON_ONE,
          questions: [single, multiple, trueFalse],
        },
      ],
    },
    {
      title: 'Xử lý khi bị lừa',
      lessons: [
        {
          title: LESSON_TWO_TITLE,
          minutes: 13,
          markdown: `## Việc nhẹ lương cao\n\n${'Kẻ gian hứa trả tiền công cao cho việc rất dễ. '.repeat(40)}`,
          questions: [matching, ordering, numeric],
        },
      ],
    },
  ],
};

const APT_PACKAGE = 'poppler-utils';
const workDirectory = mkdtempSync(path.join(tmpdir(), 'handout-pdf-'));

function run(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install -y ${APT_PACKAGE}`);
    }
    throw error;
  }
}

/** Runs of white space folded so wrapped lines and columns still match. */
const folded = (text: string): string => text.replace(/\s+/g, ' ');

async function images(): Promise<Map<string, Buffer>> {
  const red = { r: 200, g: 30, b: 30 };
  const png = await sharp({ create: { width: 400, height: 200, channels: 3, background: red } })
    .png()
    .toBuffer();
  const webp = await sharp({
    create: { width: 300, height: 300, channels: 3, background: { r: 20, g: 60, b: 120 } },
  })
    .webp()
    .toBuffer();
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="160" viewBox="0 0 320 160">' +
      '<rect width="320" height="160" fill="#fff"/><circle cx="160" cy="80" r="60" fill="#1d3b6a"/></svg>',
  );
  return new Map([
    ['anh/bieu-do.png', png],
    ['anh/so-do.svg', svg],
    ['anh/anh.webp', webp],
    ['anh/hong.webp', Buffer.from('không phải ảnh')],
  ]);
}

describe('course handout PDF', () => {
  let pdf: Buffer;
  let file: string;
  let raw: string;
  let text: string;
  let pages: string[];
  const requested: string[] = [];

  before(async () => {
    const files = await images();
    pdf = await renderHandoutPdf(course, async (src) => {
      requested.push(src);
      return files.get(src) ?? null;
    });
    file = path.join(workDirectory, 'handout.pdf');
    writeFileSync(file, pdf);
    raw = run('pdftotext', ['-layout', file, '-']);
    text = folded(raw.normalize('NFC'));
    pages = raw.split('\f');
  });

  after(() => rmSync(workDirectory, { recursive: true, force: true }));

  it('is a complete A4 portrait PDF with a page for the title, the contents and each lesson', () => {
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const info = run('pdfinfo', [file]);
    const count = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    assert.ok(count >= 4, `expected at least 4 pages, got ${count}`);
    const [width, height] = (/^Page size:\s+([\d.]+) x ([\d.]+)/m.exec(info) ?? []).slice(1).map(Number);
    assert.ok(
      Math.abs((width ?? 0) - A4_PORTRAIT.width) < 0.5 && Math.abs((height ?? 0) - A4_PORTRAIT.height) < 0.5,
    );
    assert.match(info, /^Title:\s+Nhận diện và phòng tránh lừa đảo trực tuyến$/m);
  });

  it('prints composed Vietnamese letters, even from decomposed input', () => {
    assert.ok(raw.includes('Nhận diện và phòng tránh lừa đảo trực tuyến'), 'title not extracted in NFC');
    for (const expected of [
      'Tài liệu phát tay — Bình dân học vụ số',
      'TỈNH QUẢNG NAM',
      'Phiên bản 3 — 29/11/2026',
      'Mục lục',
      'PHẦN 1',
      'Nhận diện các chiêu lừa thường gặp',
      'Cuộc gọi giả danh công an, tòa án',
      'Thời gian học: 14 phút',
      'Thời gian học: 13 phút',
      'Người dân mình tin công an, tin ngân hàng.',
      'Vì sao kẻ gian giả làm công an',
      'Công an không làm việc qua điện thoại.',
      'Câu hỏi ôn tập',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}"`);
    }
  });

  it('renders links with their address, lists, tables and code', () => {
    for (const expected of [
      'dichvuc0ng-gov.com',
      'Cổng dịch vụ công (https://dichvucong.gov.vn/)',
      '• Số căn cước bị dùng để rửa tiền.',
      '– kể cả con cái;',
      '1. Cúp máy.',
      '2. Gọi cho con.',
      'Dấu hiệu',
      'Hỏi mã OTP',
      'Không đọc mã',
      'Mật khẩu mạnh: Trau-an-khe-tren-doi-thong7!',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}"`);
    }
    // A relative link leads inside the platform: only its text is printed.
    assert.ok(text.includes('hoặc bài sau.'));
    assert.ok(!text.includes('bai-2.md'));
  });

  it('embeds PNG, SVG and WebP images and prints the alt text of missing or broken ones', () => {
    assert.deepEqual(requested.sort(), [
      'anh/anh.webp',
      'anh/bieu-do.png',
      'anh/hong.webp',
      'anh/so-do.svg',
      'anh/thieu.png',
    ]);
    const listed = run('pdfimages', ['-list', file])
      .split('\n')
      .slice(2)
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns[2] === 'image');
    assert.equal(listed.length, 3);
    for (const columns of listed) {
      const width = Number(columns[3]);
      assert.ok(width > 0 && width <= 1400, `image ${width} px wide`);
    }
    assert.ok(text.includes('Hình 1. Biểu đồ minh họa'), 'caption from the image title');
    assert.ok(text.includes('[Hình: Ảnh bị thiếu]'));
    assert.ok(text.includes('[Hình: Ảnh hỏng]'));
    assert.ok(!text.includes('[Hình: Sơ đồ hình tròn]'));
  });

  it('prints every question with its situation, prompt, options and an answer space', () => {
    for (const item of [single, multiple, trueFalse, matching, ordering, numeric]) {
      assert.ok(text.includes(item.prompt), `missing prompt "${item.prompt}"`);
      if (item.situation) assert.ok(text.includes(item.situation), `missing situation "${item.situation}"`);
    }
    for (const option of [...optionsOf(single), ...optionsOf(multiple)]) {
      assert.ok(text.includes(option), `missing option "${option}"`);
    }
    for (const expected of [
      'Câu 1.',
      'Câu 3.',
      '(Chọn một đáp án)',
      '(Chọn các đáp án đúng)',
      'A. Chuyển một nửa số tiền',
      'C. Hỏi tên đơn vị người gọi',
      'Đúng',
      'Sai',
      'Đáp số:',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}"`);
    }
    // Write-in blanks are drawn rules: only their numbers are text.
    assert.match(text, /Ghép: 1 ?– ?2 ?– ?3 ?–/);
    assert.match(text, /Thứ tự đúng: 1\. ?2\. ?3\./);
    for (const item of [...matchingPairs.flatMap((pair) => [pair.left, pair.right]), ...orderingItems]) {
      assert.ok(text.includes(item), `missing "${item}"`);
    }
  });

  it('never prints an answer, a key order or an explanation', () => {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `"${secret}" is printed`);
    const printedOrder = (items: string[]): string[] =>
      [...items].sort((a, b) => text.indexOf(a) - text.indexOf(b));
    const rights = matchingPairs.map((pair) => pair.right);
    assert.notDeepEqual(printedOrder(rights), rights);
    assert.deepEqual(
      printedOrder(matchingPairs.map((pair) => pair.left)),
      matchingPairs.map((pair) => pair.left),
    );
    assert.notDeepEqual(printedOrder(orderingItems), orderingItems);
  });

  it('starts each lesson on a new page and lists it in the contents with that page', () => {
    const lessonPage = pages.findIndex((page) => page.includes(LESSON_TWO_TITLE) && page.includes('BÀI 2'));
    assert.ok(lessonPage > 2, 'lesson 2 page not found');
    const firstLine = pages[lessonPage]?.split('\n').find((line) => line.trim() !== '');
    assert.equal(firstLine?.trim(), 'PHẦN 2');
    const contents = folded(pages[1] ?? '');
    assert.ok(contents.includes(`Bài 2. ${LESSON_TWO_TITLE} ${lessonPage + 1}`), contents);
  });

  it('numbers every page but the title page in the footer', () => {
    const count = pages.filter((page) => page.trim() !== '').length;
    assert.ok(!folded(pages[0] ?? '').includes('Trang 1/'));
    for (let page = 2; page <= count; page++) {
      assert.ok(
        folded(pages[page - 1] ?? '').includes(`Trang ${page}/${count}`),
        `no number on page ${page}`,
      );
    }
  });

  it('keeps text within the page margins, the footer excepted', () => {
    const words = [
      ...run('pdftotext', ['-bbox', file, '-']).matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
      ),
    ].map(([, xMin, yMin, xMax, yMax, word]) => ({ word, box: [xMin, yMin, xMax, yMax].map(Number) }));
    assert.ok(words.length > 200);
    const outside = words.filter(
      ({ box: [xMin = 0, yMin = 0, xMax = 0, yMax = 0] }) =>
        xMin < MARGIN - 1 ||
        xMax > A4_PORTRAIT.width - MARGIN + 1 ||
        yMin < MARGIN - 2 ||
        yMax > A4_PORTRAIT.height - 18,
    );
    assert.deepEqual(outside, []);
  });
});

function optionsOf(item: QuestionDraft): string[] {
  return item.body.kind === 'single' || item.body.kind === 'multiple'
    ? item.body.options.map((option) => option.text)
    : [];
}
