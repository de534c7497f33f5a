// npm run bench: figures for the learner journey on a fresh demo database (the shipped courses),
// for many signed-in learners. The server runs in its own process, so autocannon (here) and the
// server each get a core. Each figure is also given as a share of this machine's ceiling — a bare
// node:http server sending the same compressed page — because absolute figures drift on a
// shared machine. Set BENCH_DATABASE_URL to a PostgreSQL database to measure it too.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchAssignmentRules } from './assignmentRules.js';
import { benchCommunity } from './community.js';
import { examRush, type RushFigures } from './examRush.js';
import { benchMonitoring } from './monitoring.js';
import { benchQuestionImport } from './questionImport.js';
import { benchRosterImport } from './rosterImport.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
const RUNS = 3;
const CONNECTIONS = 20;
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 300);
const EVENTS_PER_BATCH = 100;
const HERE = path.dirname(new URL(import.meta.url).pathname);

interface Figure {
  rps: number;
  p50: number;
  p99: number;
}

interface Setup {
  port: number;
  examQuizId: string | null;
  dialect: string;
  cookies: string[];
  lessonPaths: string[];
  lessonIds: string[];
  quizIds: string[];
}

type Options = Omit<autocannon.Options, 'url'>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Starts a bench script in its own process and reads the JSON line it prints when ready. */
async function startProcess<T>(script: string, args: string[]): Promise<{ child: ChildProcess; info: T }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Progress lines (the demo seed's) pass through; the JSON line says the process is ready.
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve({ child, info: JSON.parse(line) as T });
    });
    child.once('exit', () => reject(new Error(`${script} exited before it was ready`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function measure(url: string, options: Options | (() => Promise<Options>)): Promise<Figure> {
  const runs: Figure[] = [];
  for (let i = 0; i < RUNS; i++) {
    const runOptions = typeof options === 'function' ? await options() : options;
    const started = performance.now();
    const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, ...runOptions });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    // Requests over elapsed time: per-second buckets misreport a run that ends mid-second.
    runs.push({
      rps: result.requests.total / ((performance.now() - started) / 1000),
      p50: result.latency.p50,
      p99: result.latency.p99,
    });
  }
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
  };
}

/** The bytes a client receives for a URL (compressed as it asked), and the encoding used. */
function fetchRaw(url: string, headers: Record<string, string>, method = 'GET', body?: string) {
  return new Promise<{ bytes: Buffer; encoding: string }>((resolve, reject) => {
    const request = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          bytes: Buffer.concat(chunks),
          encoding: String(res.headers['content-encoding'] ?? 'none'),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

const line = (name: string, figure: Figure, limit: Figure, unit = 'req/s', factor = 1) =>
  console.log(
    `  ${name.padEnd(48)} ${(figure.rps * factor).toFixed(0).padStart(7)} ${unit}  (${(figure.rps / limit.rps).toFixed(3)} × ceiling req/s)  p50 ${figure.p50} ms  p99 ${figure.p99} ms`,
  );

async function benchDatabase(label: string, databaseUrl: string, dir: string): Promise<void> {
  const { child, info } = await startProcess<Setup>('server.ts', [databaseUrl, String(LEARNERS)]);
  try {
    const base = `http://127.0.0.1:${info.port}`;
    const accept = { 'accept-encoding': 'gzip, deflate, br' };
    let turn = 0;
    const next = () => turn++;

    // Sizes: the largest lesson page as a signed-in learner receives it, and its stylesheet.
    let largest: { bytes: Buffer; encoding: string; path: string } = {
      bytes: Buffer.alloc(0),
      encoding: '',
      path: '',
    };
    for (const lessonPath of info.lessonPaths) {
      const page = await fetchRaw(`${base}${lessonPath}`, { ...accept, cookie: info.cookies[0] ?? '' });
      if (page.bytes.length > largest.bytes.length) largest = { ...page, path: lessonPath };
    }
    const css = await fetchRaw(`${base}/static/app.css`, accept);
    const pageFile = path.join(dir, 'page.bin');
    writeFileSync(pageFile, largest.bytes);
    const ceilingServer = await startProcess<{ port: number }>('ceiling.ts', [pageFile, largest.encoding]);
    const limit = await measure(`http://127.0.0.1:${ceilingServer.info.port}/`, {});
    await stop(ceilingServer.child);

    console.log(
      `\n${label}: ${CONNECTIONS} connections, ${DURATION_S} s per run, median of ${RUNS} runs, ${LEARNERS} learners`,
    );
    console.log(
      `  lesson page HTML, largest (${largest.path}): ${(largest.bytes.length / 1024).toFixed(1)} KB (${largest.encoding})`,
    );
    console.log(
      `  critical path, HTML + CSS, no JavaScript: ${((largest.bytes.length + css.bytes.length) / 1024).toFixed(1)} KB (${css.encoding})`,
    );
    console.log(
      `  ceiling: bare node:http sending the same page: ${limit.rps.toFixed(0)} req/s, p99 ${limit.p99} ms`,
    );

    const lessonFigure = await measure(base, {
      requests: [
        {
          setupRequest: (req) => {
            const i = next();
            return {
              ...req,
              path: info.lessonPaths[i % info.lessonPaths.length],
              headers: { ...accept, cookie: info.cookies[i % info.cookies.length] ?? '' },
            };
          },
        },
      ],
    });
    line('GET lesson page, signed in (rotating)', lessonFigure, limit);

    const eventsFigure = await measure(base, {
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const events = Array.from({ length: EVENTS_PER_BATCH }, () => ({
              id: randomUUID(),
              verb: 'completed',
              object: {
                type: 'lesson',
                id: info.lessonIds[Math.floor(Math.random() * info.lessonIds.length)],
              },
              timestamp: new Date(Date.now() - Math.floor(Math.random() * 3_600_000)).toISOString(),
            }));
            return {
              ...req,
              path: '/api/learning/events',
              headers: {
                'content-type': 'application/json',
                cookie: info.cookies[next() % info.cookies.length] ?? '',
              },
              body: JSON.stringify({ events }),
            };
          },
        },
      ],
    });
    const durability =
      info.dialect === 'sqlite' ? 'SQLite synchronous=NORMAL, WAL' : 'PostgreSQL synchronous_commit=on';
    line(
      `POST /api/learning/events, ${EVENTS_PER_BATCH}/batch (${durability})`,
      eventsFigure,
      limit,
      'events/s',
      EVENTS_PER_BATCH,
    );

    /** One open attempt per learner and quiz, started through the API, answered at random. */
    const prepareSubmissions = async (): Promise<Options> => {
      const submissions: { path: string; cookie: string; body: string }[] = [];
      for (const cookie of info.cookies) {
        for (const quizId of info.quizIds) {
          const started = await fetchRaw(
            `${base}/api/quizzes/${quizId}/attempts`,
            { cookie, 'content-type': 'application/json' },
            'POST',
            '{}',
          );
          const attempt = JSON.parse(started.bytes.toString()) as {
            id: string;
            questions: { id: string; shown: { options?: { id: string }[] } }[];
          };
          const answers = Object.fromEntries(
            attempt.questions.map((q) => {
              const options = q.shown.options ?? [];
              return [q.id, [options[Math.floor(Math.random() * options.length)]?.id ?? '']];
            }),
          );
          submissions.push({
            path: `/api/quiz-attempts/${attempt.id}/submission`,
            cookie,
            body: JSON.stringify({ answers }),
          });
        }
      }
      let index = 0;
      return {
        amount: submissions.length,
        duration: 600,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const s = submissions[index++ % submissions.length];
              return {
                ...req,
                path: s?.path,
                headers: { 'content-type': 'application/json', cookie: s?.cookie ?? '' },
                body: s?.body,
              };
            },
          },
        ],
      };
    };
    const quizFigure = await measure(base, prepareSubmissions);
    line(`POST quiz submission, graded (${info.quizIds.length * LEARNERS} per run)`, quizFigure, limit);
  } finally {
    await stop(child);
  }
}

const RUSH_LEARNERS = Number(process.env.BENCH_RUSH_LEARNERS ?? 3000);
const RUSH_RUNS = 3;

/** The exam rush on a fresh server: learners start one timed quiz together, autosave, submit. */
async function benchExamRush(label: string, databaseUrl: () => Promise<string>): Promise<void> {
  console.log(
    `\n${label}, exam rush: ${RUSH_LEARNERS} learners start one 20-question timed quiz within 10 s, save each page of 5, then submit; median of ${RUSH_RUNS} runs`,
  );
  const runs: RushFigures[] = [];
  for (let i = 0; i < RUSH_RUNS; i++) {
    const { child, info } = await startProcess<Setup>('server.ts', [
      await databaseUrl(),
      String(RUSH_LEARNERS),
      'exam',
    ]);
    try {
      runs.push(await examRush(`http://127.0.0.1:${info.port}`, info.cookies, info.examQuizId ?? ''));
    } finally {
      await stop(child);
    }
  }
  const mid = (pick: (r: RushFigures) => number) => median(runs.map(pick)).toFixed(0);
  console.log(`  start attempt: p50 ${mid((r) => r.start.p50)} ms, p99 ${mid((r) => r.start.p99)} ms`);
  console.log(
    `  autosave (${runs[0]?.autosave.count} per run): p50 ${mid((r) => r.autosave.p50)} ms, p99 ${mid((r) => r.autosave.p99)} ms`,
  );
  console.log(
    `  graded submissions: ${mid((r) => r.submit.perSecond)}/s, p99 ${mid((r) => r.submit.p99)} ms`,
  );
  console.log(
    `  errors (non-2xx or failed requests), all runs: ${runs.reduce((sum, r) => sum + r.errors, 0)}`,
  );
}

/** The same database with an emptied `hocvuso_bench` schema in front: every run starts fresh. */
async function freshSchema(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('drop schema if exists hocvuso_bench cascade');
  await client.query('create schema hocvuso_bench');
  await client.end();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', '-c search_path=hocvuso_bench');
  return url.toString();
}

/** Each part of the benchmark, by the name BENCH_ONLY selects it with. */
const PARTS = {
  pages: (label: string, url: () => Promise<string>, dir: string) =>
    url().then((u) => benchDatabase(label, u, dir)),
  rush: (label: string, url: () => Promise<string>) => benchExamRush(label, url),
  questions: (label: string, url: () => Promise<string>, dir: string) => benchQuestionImport(label, dir, url),
  roster: (label: string, url: () => Promise<string>, dir: string) => benchRosterImport(label, dir, url),
  rules: (label: string, url: () => Promise<string>, dir: string) => benchAssignmentRules(label, dir, url),
  monitoring: (label: string, url: () => Promise<string>) => benchMonitoring(label, url),
  community: (label: string, url: () => Promise<string>) => benchCommunity(label, url),
};
// BENCH_ONLY=rush,rules runs some parts only (a long run on a shared machine is easily disturbed).
const only = (process.env.BENCH_ONLY ?? Object.keys(PARTS).join(',')).split(',');
const parts = Object.entries(PARTS).filter(([name]) => only.includes(name));

const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-bench-'));
try {
  console.log(`hocvuso benchmark, Node ${process.version}`);
  let fresh = 0;
  const sqliteFile = async () => path.join(dir, `fresh-${fresh++}.sqlite`);
  for (const [, part] of parts) await part('SQLite', sqliteFile, dir);
  const pgUrl = process.env.BENCH_DATABASE_URL;
  if (pgUrl) for (const [, part] of parts) await part('PostgreSQL', () => freshSchema(pgUrl), dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
