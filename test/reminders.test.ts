import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { todayInVietnam } from '../src/db/time.js';
import type { AccountRow } from '../src/modules/identity/repository.js';
import { addDays } from '../src/modules/programs/days.js';
import { makeReminders } from '../src/modules/programs/reminders.js';
import type { AppContext } from '../src/web/context.js';
import { startTestApp, type TestApp } from './support/app.js';
import { schedulerOnce } from './support/cli.js';
import { freshDatabaseUrl, testDialects } from './support/db.js';
import {
  buildAccount,
  buildTenant,
  freshPhone,
  importMiniCourse,
  TEST_PASSWORD,
  testContext,
} from './support/factories.js';

/** A header's RFC 2047 encoded words (as nodemailer writes a Vietnamese subject) back to text. */
function decodeHeader(value: string): string {
  const words = /=\?UTF-8\?([BQ])\?([^?]*)\?=/gi;
  const bytesOf = (encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        );
  // Adjacent encoded words are one run of bytes: a letter's UTF-8 may be split between them.
  let text = '';
  let run: Buffer[] = [];
  let last = 0;
  for (const match of value.matchAll(words)) {
    const between = value.slice(last, match.index);
    if (run.length === 0 || !/^\s*$/.test(between)) {
      text += Buffer.concat(run).toString('utf8') + between;
      run = [];
    }
    run.push(bytesOf(match[1] as string, match[2] as string));
    last = (match.index ?? 0) + match[0].length;
  }
  return text + Buffer.concat(run).toString('utf8') + value.slice(last);
}

interface Mail {
  to: string;
  subject: string;
}

/** A local SMTP server that takes every message and keeps its recipient and subject. */
async function startSmtpSink() {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const head =
          Buffer.concat(chunks)
            .toString('utf8')
            .split(/\r?\n\r?\n/)[0] ?? '';
        const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1] ?? '';
        for (const to of session.envelope.rcptTo) {
          mails.push({ to: to.address, subject: decodeHeader(subject.replace(/\r?\n[ \t]/g, ' ')) });
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The story every test here plays: officials of communeA under one rule, each with the due day
 * that puts them at one milestone today, and three who must get nothing (left, completed, exempt).
 */
async function assignedPeople(ctx: AppContext, fixture: Awaited<ReturnType<typeof buildTenant>>) {
  const { tenant, province, communeA, villageA, villageB } = fixture;
  const admin = await buildAccount(ctx, tenant, province, { role: 'tenantAdmin', scope: null });
  const course = await importMiniCourse(ctx, tenant);
  const today = todayInVietnam();
  const story: [string, number][] = [
    ['xa-han', 30],
    ['mot-tuan', 5],
    ['ngay-mai', 1],
    ['qua-han', -3],
    ['da-roi', 1],
    ['da-xong', 1],
    ['duoc-mien', 1],
  ];
  const people = new Map<string, AccountRow>();
  for (const [name] of story) {
    const account = await ctx.identity.createAccount(tenant.id, {
      fullName: `Cán bộ ${name}`,
      phone: freshPhone(),
      email: `${name}@xa.hocvuso.test`,
      block: 'official',
      homeUnitId: villageA.id,
      password: TEST_PASSWORD,
      roles: [],
    });
    people.set(name, account);
  }
  const rule = await ctx.programs.createRule(await ctx.identity.actorOf(admin), tenant.id, {
    courseId: course.id,
    unitId: communeA.id,
    blocks: ['official'],
    dueDays: 30,
  });
  for (const [name, days] of story) {
    const now = new Date().toISOString();
    const marks = name === 'da-xong' ? { completedAt: now } : name === 'duoc-mien' ? { exemptAt: now } : {};
    await ctx.db.kysely
      .updateTable('assignments')
      .set({ dueOn: addDays(today, days), ...marks })
      .where('accountId', '=', (people.get(name) as AccountRow).id)
      .execute();
  }
  // Moving to another commune takes the person out of the rule's audience (left_at is set).
  await ctx.db.kysely
    .updateTable('accounts')
    .set({ homeUnitId: villageB.id })
    .where('id', '=', (people.get('da-roi') as AccountRow).id)
    .execute();
  await ctx.programs.evaluateTenant(tenant.id);
  return { fixture, admin, rule, people, title: course.title };
}

/** What each person must receive, once each, as `address: kind`. */
const EXPECTED = [
  'mot-tuan: assigned',
  'mot-tuan: due7',
  'ngay-mai: assigned',
  'ngay-mai: due1',
  'qua-han: assigned',
  'qua-han: overdue',
  'xa-han: assigned',
];

for (const dialect of testDialects()) {
  const processes = dialect === 'postgres' ? 2 : 1;
  describe(`reminders from scheduler processes [${dialect}]`, () => {
    it(`sends each person one notification and one email per milestone, with ${processes} scheduler process(es) at once`, async () => {
      const sink = await startSmtpSink();
      const database = await freshDatabaseUrl(dialect);
      const db = openDatabase(database.url);
      try {
        await migrateToLatest(db);
        const ctx = testContext(db);
        const { people, title } = await assignedPeople(ctx, await buildTenant(ctx));
        const env = {
          DATABASE_URL: database.url,
          HOCVUSO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hocvuso-')),
          HOCVUSO_SECRET: randomBytes(32).toString('hex'),
          SMTP_URL: sink.url,
          MAIL_FROM: 'Bình dân học vụ số <nhac-hoc@hocvuso.test>',
        };
        // SQLite serves one process; PostgreSQL is where several run side by side.
        const runs = await Promise.all(Array.from({ length: processes }, () => schedulerOnce(env)));
        for (const run of runs) assert.equal(run.code, 0, run.out);
        const reminded = runs.filter((run) => /^reminders: /m.test(run.out));
        assert.equal(reminded.length, 1, 'one process ran the reminders job');

        const nameOf = new Map([...people].map(([name, account]) => [account.id, name]));
        const rows = await db.kysely
          .selectFrom('notifications')
          .select(['accountId', 'kind', 'emailStatus'])
          .execute();
        assert.deepEqual(rows.map((n) => `${nameOf.get(n.accountId)}: ${n.kind}`).sort(), EXPECTED);
        assert.ok(
          rows.every((n) => n.emailStatus === 'sent'),
          JSON.stringify(rows),
        );
        const kindOfSubject = (subject: string) =>
          subject.startsWith('Bạn được giao: ')
            ? 'assigned'
            : subject.startsWith('Còn chưa đến một tuần: ')
              ? 'due7'
              : subject.startsWith('Sắp hết hạn: ')
                ? 'due1'
                : subject.startsWith('Đã quá hạn: ')
                  ? 'overdue'
                  : subject;
        assert.deepEqual(
          sink.mails.map((m) => `${m.to.split('@')[0]}: ${kindOfSubject(m.subject)}`).sort(),
          EXPECTED,
        );
        const mailTo = sink.mails.find((m) => m.to.startsWith('xa-han@'));
        assert.equal(
          mailTo?.subject,
          `Bạn được giao: ${title}, hạn ${addDays(todayInVietnam(), 30).split('-').reverse().join('/')}`,
        );

        // Run again (the next tick, or another process): nothing new.
        await db.kysely
          .updateTable('scheduledJobs')
          .set({ runAfter: new Date(0).toISOString() })
          .execute();
        const again = await schedulerOnce(env);
        assert.equal(again.code, 0, again.out);
        assert.match(again.out, /^reminders: 0 thông báo mới; email: 0 đã gửi/m);
        assert.equal(sink.mails.length, EXPECTED.length);
      } finally {
        await db.close();
        await database.drop();
        await sink.close();
      }
    });
  });

  describe(`the notification bell, list and nudge [${dialect}]`, () => {
    let t: TestApp;
    let story: Awaited<ReturnType<typeof assignedPeople>>;

    /** Cookies and form token of a signed-in person. */
    const sessionOf = async (account: AccountRow) => {
      const token = await t.ctx.identity.startSession(account);
      const page = await t.app.inject({
        method: 'GET',
        url: '/ho-so',
        headers: { cookie: `hv_session=${token}` },
      });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const csrfCookie = page.cookies.find((c) => c.name === 'hv_csrf')?.value;
      return { cookie: `hv_session=${token}; hv_csrf=${csrfCookie}`, csrf };
    };
    const post = (url: string, session: { cookie: string; csrf: string }) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: session.csrf }).toString(),
      });

    before(async () => {
      t = await startTestApp(dialect);
      story = await assignedPeople(t.ctx, t.fixture);
      await makeReminders(t.ctx);
    });
    after(() => t?.close());

    it('shows the unread count in the header, lists the notifications, and marks them all read', async () => {
      const late = await sessionOf(story.people.get('qua-han') as AccountRow);
      const list = () => t.app.inject({ method: 'GET', url: '/thong-bao', headers: { cookie: late.cookie } });
      const before = await list();
      assert.equal(before.statusCode, 200);
      assert.match(
        before.body,
        /<a href="\/thong-bao" aria-label="Thông báo, 2 chưa đọc">Thông báo \(2\)<\/a>/,
      );
      assert.match(before.body, /Đã quá hạn: /);
      assert.match(before.body, /Bạn được giao: /);
      assert.equal(before.body.match(/Mới: /g)?.length, 2);

      const marked = await post('/thong-bao/da-doc', late);
      assert.equal(marked.statusCode, 303);
      assert.equal(marked.headers.location, '/thong-bao');
      const afterwards = await list();
      assert.match(afterwards.body, /aria-label="Thông báo, không có thông báo mới">Thông báo<\/a>/);
      assert.doesNotMatch(afterwards.body, /Mới: /);
      assert.match(afterwards.body, /Đã quá hạn: /, 'read notifications stay listed');
    });

    it('lets a tenant admin nudge the overdue people with one button, back to the rule page', async () => {
      const admin = await sessionOf(story.admin);
      const nudged = await post(`/quan-tri/giao-hoc/${story.rule.id}/nhac-nho`, admin);
      assert.equal(nudged.statusCode, 303);
      assert.equal(nudged.headers.location, `/quan-tri/giao-hoc/${story.rule.id}?da-nhac=1`);
      const late = await sessionOf(story.people.get('qua-han') as AccountRow);
      const page = await t.app.inject({ method: 'GET', url: '/thong-bao', headers: { cookie: late.cookie } });
      assert.match(page.body, /Thông báo \(1\)/);
      assert.match(page.body, /Mới: <\/span>Nhắc nhở: /);
      const again = await post(`/quan-tri/giao-hoc/${story.rule.id}/nhac-nho`, admin);
      assert.equal(again.headers.location, `/quan-tri/giao-hoc/${story.rule.id}?da-nhac=0`, 'once a day');
    });
  });
}
