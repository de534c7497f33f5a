// The roster import: a 100,000-row .xlsx through `hocvuso import people`, each run in a fresh
// process on a fresh database; wall time (process start included) and peak RSS.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { median, runCli } from './cliRun.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const UNITS = path.join(HERE, '../resources/vn-admin/quang-nam-2024.csv');
const PEOPLE = 100_000;
const RUNS = 3;
const POSITIONS = [
  'Chủ tịch UBND xã',
  'Công chức văn phòng - thống kê',
  'Công chức tư pháp - hộ tịch',
  'Văn thư',
];

/** A province's HR export: every commune of Quảng Nam, officials with phone, some email and CCCD. */
async function writeRoster(file: string): Promise<void> {
  const communes = readFileSync(UNITS, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[3] ?? '');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Nhân sự');
  sheet.addRow(['Họ và tên', 'Số điện thoại', 'Email', 'Số CCCD', 'Khối', 'Chức vụ', 'Mã đơn vị']).commit();
  for (let i = 0; i < PEOPLE; i++) {
    sheet
      .addRow([
        `Nguyễn Văn Cán Bộ ${i + 1}`,
        `09${String(10_000_000 + i).padStart(8, '0')}`,
        i % 3 === 0 ? `can.bo.${i + 1}@quangnam.gov.vn` : null,
        i % 2 === 0 ? `049${String(100_000_000 + i).padStart(9, '0')}` : null,
        'Cán bộ, công chức, viên chức',
        POSITIONS[i % POSITIONS.length],
        communes[i % communes.length],
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

export async function benchRosterImport(label: string, dir: string, databaseUrl: () => Promise<string>) {
  const file = path.join(dir, 'roster-100k.xlsx');
  await writeRoster(file);
  const runs: { ms: number; maxRssKb: number }[] = [];
  const again: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const env = { DATABASE_URL: await databaseUrl(), HOCVUSO_DATA_DIR: dir };
    const tenant = `bench-${i}`;
    runCli(
      [
        'tenant',
        'create',
        tenant,
        '--name',
        'Tỉnh Quảng Nam',
        '--root-type',
        'Tỉnh',
        '--root-name',
        'Quảng Nam',
      ],
      env,
    );
    runCli(['import', 'units', UNITS, '--tenant', tenant], env);
    const imported = runCli(['import', 'people', file, '--tenant', tenant], env);
    if (!/100000 người mới/.test(imported.out)) throw new Error(`unexpected import output: ${imported.out}`);
    runs.push(imported);
    again.push(runCli(['import', 'people', file, '--tenant', tenant], env).ms);
  }
  console.log(
    `\n${label}, roster import: ${PEOPLE} people in one .xlsx, a fresh process and database per run, median of ${RUNS}`,
  );
  console.log(
    `  hocvuso import people: ${(median(runs.map((r) => r.ms)) / 1000).toFixed(1)} s, peak RSS ${(median(runs.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB (largest ${(Math.max(...runs.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB)`,
  );
  console.log(`  the same file again (nothing changes): ${(median(again) / 1000).toFixed(1)} s`);
}
