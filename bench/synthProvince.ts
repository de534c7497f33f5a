// A synthetic province: `hocvuso synth` for N people (default 100,000; about 20 learning events
// each) into a fresh database, in a fresh process; wall time (process start included), events
// made, events per second and peak RSS. Run alone with
//   node --import tsx bench/synthProvince.ts [N]
// (SQLite; set BENCH_DATABASE_URL to measure PostgreSQL too).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { runCli } from './cliRun.js';

export interface SynthFigures {
  ms: number;
  events: number;
  eventsPerSecond: number;
  maxRssKb: number;
}

/** "1.234.567" (Vietnamese thousands) → 1234567. */
const count = (text: string | undefined) => Number((text ?? '0').replace(/\./g, ''));

export async function benchSynthProvince(
  label: string,
  dir: string,
  databaseUrl: () => Promise<string>,
  people = 100_000,
): Promise<SynthFigures> {
  const url = await databaseUrl();
  try {
    const run = runCli(
      ['synth', '--tenant', 'synth', '--people', String(people), '--seed', '1', '--until', '2025-06-01'],
      { DATABASE_URL: url, HOCVUSO_DATA_DIR: dir },
    );
    const events = count(/([\d.]+) sự kiện học tập,/.exec(run.out)?.[1]);
    const figures = { ms: run.ms, events, eventsPerSecond: events / (run.ms / 1000), maxRssKb: run.maxRssKb };
    console.log(`\n${label}, hocvuso synth: ${people.toLocaleString('en')} people in a fresh database`);
    console.log(
      `  ${(figures.ms / 1000).toFixed(1)} s, ${events.toLocaleString('en')} learning events ` +
        `(${Math.round(figures.eventsPerSecond).toLocaleString('en')}/s overall), peak RSS ${(figures.maxRssKb / 1024).toFixed(0)} MB`,
    );
    return figures;
  } finally {
    // A large SQLite file is not kept (the disk is shared).
    if (!/^postgres(ql)?:/.test(url))
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${url}${suffix}`, { force: true });
  }
}

/** The PostgreSQL database with an emptied schema of its own in front. */
async function freshSchema(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('drop schema if exists hocvuso_synth_bench cascade');
  await client.query('create schema hocvuso_synth_bench');
  await client.end();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', '-c search_path=hocvuso_synth_bench');
  return url.toString();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const people = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-synth-bench-'));
  try {
    await benchSynthProvince('SQLite', dir, async () => path.join(dir, 'synth.sqlite'), people);
    const pgUrl = process.env.BENCH_DATABASE_URL;
    if (pgUrl) {
      try {
        await benchSynthProvince('PostgreSQL', dir, () => freshSchema(pgUrl), people);
      } finally {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query('drop schema if exists hocvuso_synth_bench cascade');
        await client.end();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
