// Runs one hocvuso command in a fresh process, the way an administrator would, and reports its
// wall time (process start included) and peak memory (printed by importChild.ts).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);

export function runCli(args: string[], env: Record<string, string>) {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(HERE, 'importChild.ts'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const ms = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`hocvuso ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  const last = result.stdout.trim().split('\n').pop() ?? '{}';
  return { ms, maxRssKb: (JSON.parse(last) as { maxRssKb: number }).maxRssKb, out: result.stdout };
}

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
