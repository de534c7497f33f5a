// npm run bench: figures for the learner journey on a fresh demo database (the shipped courses),
// each next to the ceiling of this machine, because absolute figures drift on a shared machine.
// The ceiling is a bare node:http server sending a pre-compressed body of the same size.
// Set BENCH_DATABASE_URL to a PostgreSQL database to measure it too (its tables are created there).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_TENANT_SLUG, seedDemo } from '../src/demo/seedDemo.js';
import type { Quiz } from '../src/modules/assessment/service.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import type { Unit } from '../src/modules/org/service.js';
import { buildApp, createContext } from '../src/server.js';
import type { AppContext } from '../src/web/context.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
const RUNS = 3;
const CONNECTIONS = 20;
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 100);
const EVENTS_PER_BATCH = 100;

interface Figure {
  rps: number;
  p50: number;
  p99: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

type Options = Omit<autocannon.Options, 'url'>;

async function run(url: string, options: Options): Promise<Figure> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, ...options });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function measure(url: string, options: Options | (() => Promise<Options>)): Promise<Figure> {
  const runs: Figure[] = [];
  for (let i = 0; i < RUNS; i++)
    runs.push(await run(url, typeof options === 'function' ? await options() : options));
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
  };
}

/** The bytes a client receives for a URL (compressed as it asked), headers excluded. */
function transferSize(url: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    })
      .on('error', reject)
      .end();
  });
}

/** A bare node:http server returning the same compressed bytes: what this machine can do at most. */
async function ceiling(body: Buffer, encoding: string): Promise<Figure> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': encoding });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const figure = await measure(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {});
  server.close();
  return figure;
}

/** Learners with sessions, in demo villages: the load is many people, not one. */
async function learners(ctx: AppContext, tenantId: string) {
  const villages = (
    await ctx.db.kysely.selectFrom('orgUnits').select('id').where('kind', '=', 'village').limit(50).execute()
  ).map((r) => r.id);
  const people = [];
  for (let i = 0; i < LEARNERS; i++) {
    const account = await ctx.identity.createAccount(tenantId, {
      fullName: `Người học ${i + 1}`,
      phone: `098${String(1_000_000 + i).padStart(7, '0')}`,
      block: 'citizen',
      homeUnitId: villages[i % villages.length] as Unit['id'],
      password: 'mat-khau-do-hieu-nang',
    });
    people.push({
      actor: await ctx.identity.actorOf(account),
      cookie: `hv_session=${await ctx.identity.startSession(account)}`,
    });
  }
  return people;
}

const line = (name: string, figure: Figure, limit: Figure, unit = 'req/s', factor = 1) =>
  console.log(
    `  ${name.padEnd(44)} ${(figure.rps * factor).toFixed(0).padStart(7)} ${unit} (${((figure.rps / limit.rps) * 100).toFixed(1)}% of ceiling req/s)  p50 ${figure.p50} ms  p99 ${figure.p99} ms`,
  );

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
  const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
  if (!tenant) throw new Error('demo tenant missing');
  const courses = (await Promise.all(
    (await ctx.catalog.courses(tenant.id)).map((c) => ctx.catalog.courseById(tenant.id, c.id)),
  )) as CourseOutline[];
  const lessons = courses.flatMap((c) => c.lessons.map((l) => ({ course: c, lesson: l })));
  const lessonPaths = lessons.map(({ course, lesson }) => `/khoa-hoc/${course.slug}/${lesson.slug}`);
  const people = await learners(ctx, tenant.id);
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const encoding = { 'accept-encoding': 'br, gzip' };

  // Sizes: the longest lesson page as a signed-in learner sees it, and its stylesheet.
  let largest: Buffer = Buffer.alloc(0);
  let largestPath = '';
  for (const lessonPath of lessonPaths) {
    const body = await transferSize(`${base}${lessonPath}`, { ...encoding, cookie: people[0]?.cookie ?? '' });
    if (body.length > largest.length) [largest, largestPath] = [body, lessonPath];
  }
  const css = await transferSize(`${base}/static/app.css`, encoding);

  let turn = 0;
  const next = () => turn++;
  const limit = await ceiling(largest, 'br');
  console.log(
    `\n${label}: ${CONNECTIONS} connections, ${DURATION_S} s per run, median of ${RUNS} runs, ${LEARNERS} learners`,
  );
  console.log(
    `  lesson page HTML (largest, ${largestPath}): ${(largest.length / 1024).toFixed(1)} KB compressed (br)`,
  );
  console.log(
    `  critical path (HTML + CSS, no JavaScript): ${((largest.length + css.length) / 1024).toFixed(1)} KB compressed`,
  );
  console.log(
    `  ceiling (bare node:http, same compressed page): ${limit.rps.toFixed(0)} req/s, p99 ${limit.p99} ms`,
  );

  const lessonFigure = await measure(base, {
    requests: [
      {
        setupRequest: (req) => {
          const i = next();
          return {
            ...req,
            path: lessonPaths[i % lessonPaths.length],
            headers: { ...encoding, cookie: people[i % people.length]?.cookie ?? '' },
          };
        },
      },
    ],
  });
  line('GET lesson page, signed in, rotating', lessonFigure, limit);

  const eventsFigure = await measure(base, {
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const person = people[next() % people.length];
          const events = Array.from({ length: EVENTS_PER_BATCH }, () => ({
            id: randomUUID(),
            verb: 'completed',
            object: { type: 'lesson', id: lessons[Math.floor(Math.random() * lessons.length)]?.lesson.id },
            timestamp: new Date(Date.now() - Math.floor(Math.random() * 3_600_000)).toISOString(),
          }));
          return {
            ...req,
            path: '/api/learning/events',
            headers: { 'content-type': 'application/json', cookie: person?.cookie ?? '' },
            body: JSON.stringify({ events }),
          };
        },
      },
    ],
  });
  const durability = db.dialect === 'sqlite' ? 'synchronous=NORMAL, WAL' : 'synchronous_commit=on';
  line(
    `POST /api/learning/events (${EVENTS_PER_BATCH}/batch; ${durability})`,
    eventsFigure,
    limit,
    'events/s',
    EVENTS_PER_BATCH,
  );

  const quizzes = (
    await Promise.all(
      lessons.flatMap(({ lesson }) => (lesson.quizId ? [ctx.assessment.quiz(tenant.id, lesson.quizId)] : [])),
    )
  ).filter((q): q is Quiz => q !== null);
  /** One open attempt per learner and quiz, with answers picked at random, for one run. */
  const prepareSubmissions = async (): Promise<Options> => {
    const submissions: { path: string; cookie: string; body: string }[] = [];
    for (const person of people) {
      for (const quiz of quizzes) {
        const attempt = await ctx.assessment.startAttempt(quiz, person.actor.accountId);
        const questions = await ctx.assessment.attemptQuestions(attempt);
        const answers = Object.fromEntries(
          questions.map((q) => [q.id, [q.options[Math.floor(Math.random() * q.options.length)]?.id ?? '']]),
        );
        submissions.push({
          path: `/api/quiz-attempts/${attempt.id}/submission`,
          cookie: person.cookie,
          body: JSON.stringify({ answers }),
        });
      }
    }
    let index = 0;
    return {
      amount: submissions.length,
      duration: undefined,
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
  line(`POST quiz submission (graded, ${quizzes.length * LEARNERS}/run)`, quizFigure, limit);

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
