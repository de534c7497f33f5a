// One `.xlsx` export of the people behind a figure, in its own process so its peak memory is its
// own: the same streamed path the download route takes, written to a file.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { todayInVietnam } from '../src/db/time.js';
import { writeTableXlsx } from '../src/files/tableExport.js';
import { peopleTable } from '../src/modules/reports/dashboard/exports.js';
import { NO_FILTERS } from '../src/modules/reports/dashboard/figures.js';

const [databaseUrl = '', tenantId = '', unitId = ''] = process.argv.slice(2);
const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-export-'));
const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', HOCVUSO_DATA_DIR: dir });
const db = openDatabase(databaseUrl);
const ctx = createContext(config, db);
const unit = await ctx.org.unit(tenantId, unitId);
if (!unit) throw new Error('no unit');
const table = peopleTable(
  ctx.dashboards,
  tenantId,
  unit,
  'nguoi-hoc',
  NO_FILTERS,
  'Mọi khóa học',
  todayInVietnam(),
  'đo hiệu năng',
);
let rows = 0;
const counted = {
  ...table,
  rows: (async function* () {
    for await (const row of table.rows) {
      rows += 1;
      yield row;
    }
  })(),
};
const file = path.join(dir, 'export.xlsx');
const started = performance.now();
await writeTableXlsx(counted, createWriteStream(file));
const ms = performance.now() - started;
const bytes = statSync(file).size;
await db.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ rows, ms, bytes, maxRssKb: process.resourceUsage().maxRSS })}\n`);
