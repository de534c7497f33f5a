// The exam rush: every learner starts the same timed quiz within a short window, pages through
// it saving each page (autosave), and then everyone submits. Requests go over keep-alive
// connections as browsers would; every response must be a 2xx.
import { Agent, request } from 'node:http';

export interface RushFigures {
  learners: number;
  startWindowS: number;
  start: { p50: number; p99: number };
  autosave: { p50: number; p99: number; count: number };
  submit: { perSecond: number; p99: number };
  errors: number;
}

interface Shown {
  kind: string;
  options?: { id: string }[];
}

interface Reply {
  status: number;
  ms: number;
  body: string;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
};

export async function examRush(
  base: string,
  cookies: string[],
  quizId: string,
  windowMs = 10_000,
  pageSize = 5,
): Promise<RushFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(base);
  let errors = 0;
  const call = (method: string, path: string, cookie: string, body: unknown): Promise<Reply> =>
    new Promise((resolve) => {
      const started = performance.now();
      const payload = JSON.stringify(body);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: {
            cookie,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) errors += 1;
            resolve({ status, ms: performance.now() - started, body: Buffer.concat(chunks).toString() });
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve({ status: 0, ms: performance.now() - started, body: '' });
      });
      req.end(payload);
    });

  const starts: number[] = [];
  const saves: number[] = [];
  const attempts: { id: string; cookie: string; answers: Record<string, string[]> }[] = [];
  const learner = async (cookie: string) => {
    const started = await call('POST', `/api/quizzes/${quizId}/attempts`, cookie, {});
    starts.push(started.ms);
    if (started.status !== 201) return;
    const attempt = JSON.parse(started.body) as { id: string; questions: { id: string; shown: Shown }[] };
    const answers: Record<string, string[]> = {};
    for (let first = 0; first < attempt.questions.length; first += pageSize) {
      const page: Record<string, string[]> = {};
      for (const q of attempt.questions.slice(first, first + pageSize)) {
        const options = q.shown.options ?? [];
        page[q.id] = [options[Math.floor(Math.random() * options.length)]?.id ?? ''];
      }
      Object.assign(answers, page);
      const saved = await call('PUT', `/api/quiz-attempts/${attempt.id}/answers`, cookie, { answers: page });
      saves.push(saved.ms);
    }
    attempts.push({ id: attempt.id, cookie, answers });
  };
  // Starts spread evenly over the window, as a class told "begin now" would.
  await Promise.all(
    cookies.map(
      (cookie, i) =>
        new Promise<void>((resolve) => {
          setTimeout(() => learner(cookie).then(resolve), (i * windowMs) / cookies.length);
        }),
    ),
  );

  const submits: number[] = [];
  const queue = [...attempts];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      for (let next = queue.pop(); next; next = queue.pop()) {
        const reply = await call('POST', `/api/quiz-attempts/${next.id}/submission`, next.cookie, {
          answers: next.answers,
        });
        submits.push(reply.ms);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  return {
    learners: cookies.length,
    startWindowS: windowMs / 1000,
    start: { p50: percentile(starts, 50), p99: percentile(starts, 99) },
    autosave: { p50: percentile(saves, 50), p99: percentile(saves, 99), count: saves.length },
    submit: { perSecond: attempts.length / seconds, p99: percentile(submits, 99) },
    errors,
  };
}
