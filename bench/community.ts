// Community teams at a province's scale (issue 8): communityFill.ts fills a fresh database with
// BENCH_COMMUNITY_TEAMS teams (1,200) on the villages of Quảng Nam and BENCH_COMMUNITY_RECORDS
// assistance log rows (1,000,000) over the last 12 months; then, through HTTP on the real server
// in its own process: p50/p95 of a commune's community view (all time, this month, a
// mid-month-to-mid-month period), of the commune dashboard and of the province's community view
// and dashboard; and entries/s of qualified guides posting the entry form together, after which
// the running totals of the teams they touched must equal a recount from the log.
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { openDatabase } from '../src/db/database.js';
import { todayInVietnam } from '../src/db/time.js';
import { previousMonth } from '../src/modules/community/periods.js';
import { SERVICE_CODES } from '../src/modules/community/serviceTypes.js';
import { recountTotals, type StoredTotal, storedTotals } from '../src/modules/community/totals.js';
import { addDays } from '../src/modules/programs/days.js';
import { fillCommunity } from './communityFill.js';
import { get, latency, percentile, startServer } from './monitoring.js';

const TEAMS = Number(process.env.BENCH_COMMUNITY_TEAMS ?? 1_200);
const RECORDS = Number(process.env.BENCH_COMMUNITY_RECORDS ?? 1_000_000);
const SLUG = 'tinh-to-cong-nghe';
/** Guides posting entries at once, each with their own session, one request after another. */
const GUIDES = 32;
const WRITE_SECONDS = 10;
const TARGET_P95_MS = 100;

interface Info {
  port: number;
  tenantId: string;
  evaluator: string;
  province: { id: string; teams: number };
  commune: { id: string; teams: number };
  guides: { cookie: string; teamId: string; placeId: string }[];
}

interface Writes {
  entries: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One connection per guide: the guides post at once. */
const writers = new Agent({ keepAlive: true, maxSockets: GUIDES });

function postForm(port: number, url: string, cookie: string, form: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: url,
        method: 'POST',
        agent: writers,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(new URLSearchParams(form).toString());
  });
}

/**
 * Every guide opens the entry form once (for its CSRF token), then all post entries together,
 * each a fresh id and one of the last 30 days, for WRITE_SECONDS. A stored entry answers 303.
 */
async function writeEntries(info: Info): Promise<Writes> {
  const guides = await Promise.all(
    info.guides.map(async (guide) => {
      const form = await get(info.port, `/to-cong-nghe/${guide.teamId}/ho-tro`, guide.cookie);
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
      if (form.status !== 200 || !token)
        throw new Error(`entry form of team ${guide.teamId}: ${form.status}`);
      return { ...guide, token };
    }),
  );
  const today = todayInVietnam();
  const times: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + WRITE_SECONDS * 1000;
  await Promise.all(
    guides.map(async (guide, g) => {
      for (let n = g; performance.now() < end; n += guides.length) {
        const sent = performance.now();
        const status = await postForm(info.port, `/to-cong-nghe/${guide.teamId}/ho-tro`, guide.cookie, {
          _csrf: guide.token,
          id: randomUUID(),
          helpedOn: addDays(today, -(n % 30)),
          villageUnitId: guide.placeId,
          service: SERVICE_CODES[n % SERVICE_CODES.length] as string,
          people: String(1 + (n % 5)),
          citizenPhone: '',
          note: '',
        });
        if (status === 303) times.push(performance.now() - sent);
        else errors += 1;
      }
    }),
  );
  return {
    entries: times.length,
    perSecond: times.length / ((performance.now() - started) / 1000),
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    errors,
  };
}

/** The stored totals of these teams hold what a recount of the whole log gives them. */
async function totalsHold(databaseUrl: string, tenantId: string, teamIds: Set<string>): Promise<boolean> {
  const db = openDatabase(databaseUrl);
  try {
    const ofTeams = (rows: StoredTotal[]) => rows.filter((r) => teamIds.has(r.teamId));
    return isDeepStrictEqual(
      ofTeams(await storedTotals(db, tenantId)),
      ofTeams(await recountTotals(db, tenantId)),
    );
  } finally {
    await db.close();
  }
}

const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;

export async function benchCommunity(label: string, databaseUrl: () => Promise<string>) {
  console.log(
    `\nCommunity teams (${label}): ${TEAMS.toLocaleString('en')} teams, ${RECORDS.toLocaleString('en')} assistance records`,
  );
  const url = await databaseUrl();
  const filled = await fillCommunity(url, SLUG, TEAMS, RECORDS, (line) => console.log(`  ${line}`));

  const today = todayInVietnam();
  const month = today.slice(0, 7);
  const lastMonth = previousMonth(month);
  // Half of one month to half of another: whole months from the totals, the halves from the log.
  const midPeriod = { from: `${previousMonth(previousMonth(lastMonth))}-15`, to: `${lastMonth}-14` };
  const { child, info } = await startServer<Info>('communityServer.ts', [url, SLUG, String(GUIDES)]);
  const pages: { name: string; target: boolean; p50: number; p95: number }[] = [];
  let writes: Writes;
  try {
    const commune = `/to-cong-nghe/don-vi/${info.commune.id}`;
    const measured = [
      [`commune community view, all time (${info.commune.teams} teams)`, commune, true],
      [`commune community view, this month`, `${commune}?tu=${month}-01`, true],
      [
        `commune community view, ${midPeriod.from} → ${midPeriod.to}`,
        `${commune}?tu=${midPeriod.from}&den=${midPeriod.to}`,
        true,
      ],
      ['commune dashboard', `/bao-cao/don-vi/${info.commune.id}/tong-quan`, true],
      [
        `province community view, all time (${info.province.teams.toLocaleString('en')} teams)`,
        `/to-cong-nghe/don-vi/${info.province.id}`,
        false,
      ],
      ['province dashboard', `/bao-cao/don-vi/${info.province.id}/tong-quan`, false],
    ] as const;
    for (const [name, page, target] of measured) pages.push({ name, target, ...(await latency(info, page)) });
    writes = await writeEntries(info);
  } finally {
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
  const touched = new Set(info.guides.map((g) => g.teamId));
  const holds = await totalsHold(url, info.tenantId, touched);

  console.log(
    `  fill: ${filled.seconds.toFixed(0)} s (${filled.teams.toLocaleString('en')} teams, ${filled.members.toLocaleString('en')} members, ${filled.guides.toLocaleString('en')} qualified, ${filled.totals.toLocaleString('en')} totals rows)`,
  );
  console.log('  an evaluator, 60 sequential GETs after 5 to warm up:');
  for (const page of pages) {
    const mark = page.target ? (page.p95 < TARGET_P95_MS ? '✓' : '✗') : ' ';
    console.log(
      `    ${page.name.padEnd(58)} p50 ${ms(page.p50)}  p95 ${ms(page.p95)}  ${page.target ? `${mark} summary p95 < ${TARGET_P95_MS} ms` : '(no target)'}`,
    );
  }
  console.log(
    `  assistance entries, ${info.guides.length} qualified guides posting the form together for ${WRITE_SECONDS} s: ${writes.perSecond.toFixed(0)} entries/s (${writes.entries.toLocaleString('en')}), p50 ${writes.p50.toFixed(1)} ms, p99 ${writes.p99.toFixed(1)} ms, ${writes.errors} errors`,
  );
  console.log(
    `  totals of the ${touched.size} teams written to = a recount from the log: ${holds ? 'ok' : 'MISMATCH'}`,
  );
}
