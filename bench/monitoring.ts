// Monitoring at a province's scale: `hocvuso synth` fills a fresh database (default 1,000,000
// people, about 20 million events), then: `stats rebuild` time; p50/p95 of the province and
// commune dashboards and of a list's first page, idle and while events are written at about
// 1,000 a second; how soon a new event shows on the dashboard; and a 100,000-row .xlsx export
// (time and peak memory, in its own process). BENCH_MONITOR_PEOPLE sets the size;
// BENCH_MONITOR_DB reuses a database synth already filled (SQLite path or PostgreSQL URL), with
// its tenant BENCH_MONITOR_TENANT; BENCH_MONITOR_REBUILD=0 leaves out the rebuild there.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { median, runCli } from './cliRun.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const PEOPLE = Number(process.env.BENCH_MONITOR_PEOPLE ?? 1_000_000);
const SLUG = process.env.BENCH_MONITOR_TENANT ?? 'tinh-tong-hop';
const SAMPLES = 60;
const WARM_UP = 5;
/** Events a second the writers aim at, in batches as an offline phone sends them. */
const EVENT_RATE = 1000;
const BATCH = 10;

interface Info {
  port: number;
  tenantId: string;
  evaluator: string;
  province: { id: string; people: number };
  commune: { id: string; people: number };
  district: { id: string; people: number };
  learners: string[];
  lessonIds: string[];
  fresh: { cookie: string; lessonId: string } | null;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export function get(port: number, url: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: url, headers: { cookie }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

function post(port: number, url: string, cookie: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: url,
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

/** Sequential requests of one page: p50 and p95 in ms, after a few to warm up. */
export async function latency(
  info: Pick<Info, 'port' | 'evaluator'>,
  url: string,
): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES + WARM_UP; i++) {
    const started = performance.now();
    const response = await get(info.port, url, info.evaluator);
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const startedFigure = (html: string) => {
  const match = /<dt>Đã bắt đầu học<\/dt><dd><a[^>]*>([\d.]+)<\/a>/.exec(html);
  return Number((match?.[1] ?? '').replaceAll('.', ''));
};

/** Starts a bench server script in its own process and reads the JSON line it prints when ready. */
export async function startServer<T>(
  script: string,
  args: string[],
): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve({ child, info: JSON.parse(line) as T });
    });
    child.once('exit', () => reject(new Error(`${script} exited before it was ready`)));
  });
}

/** Writes learning events at EVENT_RATE a second for `ms`, from the synthetic learners. */
function writeLoad(info: Info, ms: number) {
  let n = 0;
  return autocannon({
    url: `http://127.0.0.1:${info.port}`,
    connections: 10,
    duration: ms / 1000,
    overallRate: EVENT_RATE / BATCH,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          n += 1;
          const events = Array.from({ length: BATCH }, () => ({
            id: randomUUID(),
            verb: 'completed',
            object: { type: 'lesson', id: info.lessonIds[Math.floor(Math.random() * info.lessonIds.length)] },
            timestamp: new Date().toISOString(),
          }));
          return {
            ...req,
            path: '/api/learning/events',
            headers: {
              'content-type': 'application/json',
              cookie: info.learners[n % info.learners.length] ?? '',
            },
            body: JSON.stringify({ events }),
          };
        },
      },
    ],
  });
}

export async function benchMonitoring(label: string, databaseUrl: () => Promise<string>) {
  const reuse = process.env.BENCH_MONITOR_DB;
  const url = reuse ?? (await databaseUrl());
  const env = { DATABASE_URL: url };
  console.log(`\nMonitoring (${label}), synthetic province "${SLUG}"`);
  if (!reuse) {
    runCli(['migrate'], env);
    const synth = runCli(['synth', '--tenant', SLUG, '--people', String(PEOPLE), '--seed', '1'], env);
    // The summary line at the end: "Xong sau …: N tài khoản, M sự kiện học tập, …".
    const events = [...synth.out.matchAll(/([\d.]+) sự kiện học tập/g)].at(-1)?.[1] ?? '?';
    console.log(
      `  synth --people ${PEOPLE.toLocaleString('en')}: ${(synth.ms / 1000).toFixed(0)} s, ${events} events, peak RSS ${(synth.maxRssKb / 1024).toFixed(0)} MB`,
    );
  }
  // BENCH_MONITOR_REBUILD=0 leaves it out on a database already measured (it takes minutes).
  if (process.env.BENCH_MONITOR_REBUILD !== '0') {
    const rebuild = runCli(['stats', 'rebuild', '--tenant', SLUG], env);
    console.log(
      `  stats rebuild: ${(rebuild.ms / 1000).toFixed(1)} s, peak RSS ${(rebuild.maxRssKb / 1024).toFixed(0)} MB (target < 300 s)`,
    );
  }

  const { child, info } = await startServer<Info>('monitorServer.ts', [url, SLUG]);
  try {
    const pages = {
      [`province dashboard (${info.province.people.toLocaleString('en')} people)`]: `/bao-cao/don-vi/${info.province.id}/tong-quan`,
      [`commune dashboard (${info.commune.people.toLocaleString('en')} people)`]: `/bao-cao/don-vi/${info.commune.id}/tong-quan`,
      'commune list, first page (started)': `/bao-cao/don-vi/${info.commune.id}/danh-sach/bat-dau`,
      'province list, first page (started)': `/bao-cao/don-vi/${info.province.id}/danh-sach/bat-dau`,
    };
    for (const [name, page] of Object.entries(pages)) {
      const { p50, p95 } = await latency(info, page);
      console.log(`  ${name}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p95 < 100 ms)`);
    }
    const load = writeLoad(info, 30_000);
    const loaded: Record<string, { p50: number; p95: number }> = {};
    for (const [name, page] of Object.entries(pages).slice(0, 2)) loaded[name] = await latency(info, page);
    const written = await load;
    const rate = (written.requests.total * BATCH) / written.duration;
    console.log(
      `  while writing ${rate.toFixed(0)} events/s (${written.non2xx} refused, write p99 ${written.latency.p99} ms):`,
    );
    for (const [name, figure] of Object.entries(loaded))
      console.log(`    ${name}: p50 ${figure.p50.toFixed(1)} ms, p95 ${figure.p95.toFixed(1)} ms`);
    if (info.fresh) {
      const page = `/bao-cao/don-vi/${info.commune.id}/tong-quan`;
      const before = startedFigure((await get(info.port, page, info.evaluator)).body);
      const body = JSON.stringify({
        events: [
          {
            id: randomUUID(),
            verb: 'completed',
            object: { type: 'lesson', id: info.fresh.lessonId },
            timestamp: new Date().toISOString(),
          },
        ],
      });
      const sent = performance.now();
      const status = await post(info.port, '/api/learning/events', info.fresh.cookie, body);
      let seen = -1;
      while (performance.now() - sent < 5000) {
        if (startedFigure((await get(info.port, page, info.evaluator)).body) > before) {
          seen = performance.now() - sent;
          break;
        }
      }
      console.log(
        `  a new learner's first event (${status}) shows on the commune dashboard after ${seen < 0 ? 'more than 5 s' : `${seen.toFixed(0)} ms`} (target < 1 s)`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
  const exports = Array.from({ length: 3 }, () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(HERE, 'monitorExport.ts'), url, info.tenantId, info.district.id],
      { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' }, maxBuffer: 16 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`export failed: ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
      rows: number;
      ms: number;
      maxRssKb: number;
    };
  });
  console.log(
    `  .xlsx export of a district's people (${exports[0]?.rows.toLocaleString('en')} rows): median ${(median(exports.map((e) => e.ms)) / 1000).toFixed(1)} s, peak RSS ${(Math.max(...exports.map((e) => e.maxRssKb)) / 1024).toFixed(0)} MB (target < 20 s, < 300 MB)`,
  );
}
