// The server side of the monitoring benchmark: opens a database that `hocvuso synth` filled,
// signs in an evaluator and some learners, picks the units to measure (the province, its
// largest commune, the district nearest 100,000 people), listens on a free port and prints one
// JSON line describing them.
import { sql } from 'kysely';
import { openSyntheticTenant } from './syntheticServer.js';

const [databaseUrl = '', slug = ''] = process.argv.slice(2);
const { db, ctx, tenant, province, cookieOf, evaluator, serve } = await openSyntheticTenant(
  databaseUrl,
  slug,
);

/** People per unit now, from the statistics (the subtree sums). */
const people = await sql<{ unitId: string; kind: string; n: number }>`
  select c.unit_id, u.kind, sum(c.n) as n from stat_counts c join org_units u on u.id = c.unit_id
  where c.tenant_id = ${tenant.id} and c.metric = 'people' and c.subject = '*' and c.day = ''
  group by c.unit_id, u.kind`.execute(db.kysely);
const rows = people.rows.map((r) => ({ ...r, n: Number(r.n) }));
const largest = (kind: string) => rows.filter((r) => r.kind === kind).sort((a, b) => b.n - a.n)[0];
const nearest = (kind: string, n: number) =>
  rows.filter((r) => r.kind === kind).sort((a, b) => Math.abs(a.n - n) - Math.abs(b.n - n))[0];
const commune = largest('commune');
const district = nearest('district', 100_000) ?? largest('commune');

// Learners for the write load: people of the tenant, each with a session.
const learners = await db.kysely
  .selectFrom('accounts')
  .selectAll()
  .where('tenantId', '=', tenant.id)
  .where('homeUnitId', 'is not', null)
  .limit(200)
  .execute();
const courses = await ctx.catalog.courses(tenant.id);
const outlines = await Promise.all(courses.map((c) => ctx.catalog.courseById(tenant.id, c.id)));
// A person of the commune who has started nothing: their first event must show at once.
const [fresh] = await sql<{ id: string }>`
  select a.id from accounts a where a.tenant_id = ${tenant.id} and a.home_unit_id in
    (select unit_id from stat_unit_paths where ancestor_id = ${commune?.unitId ?? ''})
  and not exists (select 1 from course_progress p where p.account_id = a.id)
  limit 1`
  .execute(db.kysely)
  .then((r) => r.rows);
const freshAccount = fresh && (await ctx.identity.account(tenant.id, fresh.id));

await serve({
  evaluator,
  province: { id: province.id, people: rows.find((r) => r.unitId === province.id)?.n ?? 0 },
  commune: { id: commune?.unitId, people: commune?.n ?? 0 },
  district: { id: district?.unitId, people: district?.n ?? 0 },
  learners: await Promise.all(learners.map(cookieOf)),
  lessonIds: outlines.flatMap((o) => o?.lessons.map((l) => l.id) ?? []),
  fresh: freshAccount
    ? { cookie: await cookieOf(freshAccount), lessonId: outlines[0]?.lessons[0]?.id }
    : null,
});
