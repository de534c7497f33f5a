import { spawn, spawnSync } from 'node:child_process';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;
const ENV = { NODE_ENV: 'test', LOG_LEVEL: 'silent' };

/** `hocvuso ARGS` in a child process of its own, as an operator runs it: exit code and output. */
export function hocvuso(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...ENV, ...env },
    timeout: 120_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** `hocvuso scheduler --once` in a child process, without waiting for it: several run at once. */
export function schedulerOnce(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'scheduler', '--once'], {
      env: { ...process.env, ...ENV, ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
