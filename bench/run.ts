// npm run bench: request throughput of the foundation's pages and API on a fresh demo database,
// each next to the ceiling of this machine (a bare node:http server sending a page of the same
// size), because absolute figures drift on a shared machine. Set BENCH_DATABASE_URL to a
// PostgreSQL database to measure it too (its tables are created there).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from '../src/demo/seedDemo.js';
import { buildApp, createContext } from '../src/server.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
const RUNS = 3;
const CONNECTIONS = 20;

interface Figure {
  rps: number;
  p50: number;
  p99: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function measure(url: string, headers: Record<string, string> = {}): Promise<Figure> {
  const runs: Figure[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    runs.push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
  }
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
  };
}

/** A bare node:http server returning a pre-compressed body of `bytes` bytes: what this machine can do at most. */
async function ceiling(bytes: number): Promise<Figure> {
  const body = gzipSync(Buffer.alloc(bytes, 'a'));
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const figure = await measure(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  server.close();
  return figure;
}

async function benchDatabase(label: string, databaseUrl: string, dataDir: string): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOCVUSO_DATA_DIR: dataDir,
  });
  const db = openDatabase(databaseUrl);
  await migrateToLatest(db);
  const ctx = createContext(config, db);
  await seedDemo(ctx);
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { identifier: DEMO_PEOPLE[6]?.phone ?? '', password: DEMO_PASSWORD },
  });
  const session = login.cookies.find((c) => c.name === 'hv_session')?.value;
  if (!session) throw new Error('demo login failed');

  const targets: [string, string, Record<string, string>][] = [
    ['GET /healthz (database round trip)', '/healthz', {}],
    ['GET / home page, anonymous', '/', { 'accept-encoding': 'gzip' }],
    [
      'GET /ho-so profile, signed in',
      '/ho-so',
      { 'accept-encoding': 'gzip', cookie: `hv_session=${session}` },
    ],
    ['GET /api/units/search?q=dai+loc', '/api/units/search?q=dai+loc', { 'accept-encoding': 'gzip' }],
  ];
  const home = await fetch(`${base}/`, { headers: { 'accept-encoding': 'gzip' } });
  const homeBytes = (await home.arrayBuffer()).byteLength;
  const limit = await ceiling(homeBytes);
  console.log(`\n${label}: ${CONNECTIONS} connections, ${DURATION_S} s per run, median of ${RUNS} runs`);
  console.log(
    `  ceiling (bare node:http, same page size): ${limit.rps.toFixed(0)} req/s, p99 ${limit.p99} ms`,
  );
  for (const [name, url, headers] of targets) {
    const figure = await measure(`${base}${url}`, headers);
    const ratio = ((figure.rps / limit.rps) * 100).toFixed(0);
    console.log(
      `  ${name.padEnd(40)} ${figure.rps.toFixed(0).padStart(6)} req/s (${ratio}% of ceiling)  p50 ${figure.p50} ms  p99 ${figure.p99} ms`,
    );
  }
  await app.close();
  await db.close();
}

const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-bench-'));
try {
  console.log(`hocvuso benchmark, Node ${process.version}`);
  await benchDatabase('SQLite (WAL, synchronous=NORMAL)', path.join(dir, 'bench.sqlite'), dir);
  if (process.env.BENCH_DATABASE_URL) await benchDatabase('PostgreSQL', process.env.BENCH_DATABASE_URL, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
