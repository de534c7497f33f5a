// The question-bank import: a 10,000-question .xlsx through `hocvuso import questions`, each run
// in a fresh process on a fresh database; wall time (process start included) and peak RSS.
import path from 'node:path';
import { writeQuestionsXlsx } from '../src/modules/assessment/formats/xlsx.js';
import type { QuestionDraft } from '../src/modules/assessment/questionDraft.js';
import { median, runCli } from './cliRun.js';

const QUESTIONS = 10_000;
const RUNS = 3;

/** Varied questions of every kind that xlsx carries, as a province's bank would hold. */
function draftNumber(i: number): QuestionDraft {
  const base = {
    key: `cau-${i + 1}`,
    situation: i % 3 === 0 ? `Tình huống ${i + 1}: bà Lan ở thôn Phú Hòa nhận một tin nhắn lạ.` : null,
    explanation: 'Kiểm tra qua kênh chính thức trước khi làm theo bất kỳ yêu cầu nào.',
    difficulty: (['easy', 'medium', 'hard'] as const)[i % 3] ?? null,
    tags: ['an-toan-so', `nhom-${i % 20}`],
    frameworks: ['TT02-4.2'],
  };
  const prompt = `Câu ${i + 1}: cách nào giúp giữ an toàn khi dùng điện thoại?`;
  switch (i % 6) {
    case 0:
      return {
        ...base,
        prompt,
        body: {
          kind: 'single',
          options: [
            { text: 'Bấm vào đường liên kết lạ', correct: false },
            { text: 'Kiểm tra qua số điện thoại chính thức', correct: true },
            { text: 'Đọc mã OTP cho người gọi', correct: false },
          ],
        },
      };
    case 1:
      return {
        ...base,
        prompt,
        body: {
          kind: 'multiple',
          options: [
            { text: 'Đặt mật khẩu mạnh', correct: true },
            { text: 'Bật xác thực hai lớp', correct: true },
            { text: 'Dùng chung mật khẩu cho mọi tài khoản', correct: false },
          ],
        },
      };
    case 2:
      return {
        ...base,
        prompt: `${prompt} Ngân hàng có hỏi mã OTP không?`,
        body: { kind: 'trueFalse', answer: false },
      };
    case 3:
      return {
        ...base,
        prompt,
        body: {
          kind: 'matching',
          pairs: [
            { left: 'VNeID', right: 'Định danh điện tử' },
            { left: 'Dịch vụ công', right: 'Nộp hồ sơ trực tuyến' },
          ],
        },
      };
    case 4:
      return {
        ...base,
        prompt,
        body: { kind: 'ordering', items: ['Dừng lại', 'Kiểm tra', 'Báo cho người thân'] },
      };
    default:
      return {
        ...base,
        prompt: `${prompt} Mã OTP thường có mấy chữ số?`,
        body: { kind: 'numeric', answer: 6, tolerance: 0 },
      };
  }
}

export async function benchQuestionImport(label: string, dir: string, databaseUrl: () => Promise<string>) {
  const file = path.join(dir, 'questions-10k.xlsx');
  await writeQuestionsXlsx(
    Array.from({ length: QUESTIONS }, (_, i) => draftNumber(i)),
    file,
  );
  const runs: { ms: number; maxRssKb: number }[] = [];
  const again: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const env = { DATABASE_URL: await databaseUrl(), HOCVUSO_DATA_DIR: dir };
    runCli(
      ['tenant', 'create', `bench-${i}`, '--name', 'Tỉnh Thử', '--root-type', 'Tỉnh', '--root-name', 'Thử'],
      env,
    );
    const imported = runCli(
      ['import', 'questions', file, '--bank', 'Ngân hàng 10.000 câu', '--tenant', `bench-${i}`],
      env,
    );
    if (!/10000 câu mới/.test(imported.out)) throw new Error(`unexpected import output: ${imported.out}`);
    runs.push(imported);
    again.push(
      runCli(['import', 'questions', file, '--bank', 'Ngân hàng 10.000 câu', '--tenant', `bench-${i}`], env)
        .ms,
    );
  }
  console.log(
    `\n${label}, question import: ${QUESTIONS} questions in one .xlsx, a fresh process and database per run, median of ${RUNS}`,
  );
  console.log(
    `  hocvuso import questions: ${(median(runs.map((r) => r.ms)) / 1000).toFixed(1)} s, peak RSS ${(median(runs.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB (largest ${(Math.max(...runs.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB)`,
  );
  console.log(`  the same file again (nothing changes): ${(median(again) / 1000).toFixed(1)} s`);
}
