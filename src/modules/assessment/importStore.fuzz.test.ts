import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import { buildTenant, testContext } from '../../../test/support/factories.js';
import type { Db } from '../../db/database.js';
import { keyOf, questionDigest } from './bankService.js';
import { questionTemplateXlsx, writeQuestionsXlsx } from './formats/xlsx.js';
import { importQuestionFile, parseQuestionFile } from './importQuestions.js';

const BANK = 'Ngân hàng thử';
const GIFT = readFileSync('test/fixtures/questions/all-kinds.gift', 'utf8');
/** The fixture's questions (and its category lines) as pieces to recombine. */
const GIFT_BLOCKS = GIFT.split(/\n\s*\n/);

/** Edits that steer a file into the interesting paths: broken syntax, changed answers, repeated titles. */
const SYNTAX = fc.constantFrom(
  '{',
  '}',
  '=',
  '~',
  '#',
  '::',
  '\\',
  '\n',
  '\n\n',
  '->',
  '%50%',
  'ă',
  '::mat-khau::',
);
const textEdit = fc.oneof(
  fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: fc.string({ unit: SYNTAX, maxLength: 3 }) }),
  fc.record({
    at: fc.nat(),
    remove: fc.constant(0),
    insert: fc.constantFrom('\n\n::otp::Câu lặp tên.{T}\n\n'),
  }),
);
const giftFile = fc
  .tuple(
    fc.subarray(GIFT_BLOCKS, { minLength: 1 }),
    fc.array(textEdit, { maxLength: 3 }),
    fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
  )
  .map(([blocks, edits, badByte]) => {
    let text = blocks.join('\n\n');
    for (const { at, remove, insert } of edits) {
      const position = at % (text.length + 1);
      text = text.slice(0, position) + insert + text.slice(position + remove);
    }
    const bytes = Buffer.from(text);
    // Now and then a byte that is not UTF-8, as a file saved in another encoding has.
    if (badByte === null || bytes.length === 0) return bytes;
    const position = badByte % bytes.length;
    return Buffer.concat([bytes.subarray(0, position), Buffer.from([0xff]), bytes.subarray(position)]);
  });

async function xlsxBytes(write: (sink: Writable) => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await write(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

const giftQuestions = async () => {
  const parsed = await parseQuestionFile('all-kinds.gift', Buffer.from(GIFT));
  assert.ok(parsed.ok);
  return parsed.questions;
};

/** Workbooks left whole (one time in three), or with bytes flipped or cut off. */
const xlsxFile = (bases: Buffer[]) =>
  fc.oneof(
    fc.constantFrom(...bases),
    fc
      .tuple(
        fc.constantFrom(...bases),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.option(fc.nat()),
      )
      .map(([base, flips, cut]) => {
        const bytes = Buffer.from(base);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        return cut === null ? bytes : bytes.subarray(0, cut % bytes.length);
      }),
    fc.tuple(fc.constantFrom(...bases), fc.nat()).map(([base, cut]) => base.subarray(0, cut % base.length)),
  );

for (const dialect of testDialects()) {
  describe(`question file imports are all or nothing [${dialect}]`, () => {
    let db: Db;
    let tenantId = '';
    let xlsxBases: Buffer[] = [];

    /** Everything the tenant's banks hold, as stored. */
    const snapshot = async () => ({
      banks: await db.kysely
        .selectFrom('questionBanks')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .orderBy('id')
        .execute(),
      questions: await db.kysely
        .selectFrom('bankQuestions')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .orderBy('id')
        .execute(),
      versions: await db.kysely
        .selectFrom('bankQuestionVersions')
        .selectAll()
        .orderBy('questionId')
        .orderBy('number')
        .execute(),
    });

    /** Imports a file and checks the bank afterwards: exactly the file's questions were stored, or nothing. */
    const importChecked = async (filename: string, bytes: Buffer) => {
      const before = await snapshot();
      const parsed = await parseQuestionFile(filename, bytes);
      const outcome = await importQuestionFile({ db }, tenantId, BANK, filename, bytes);
      const after = await snapshot();
      if (!outcome.ok) {
        assert.ok(outcome.problems.length > 0);
        assert.deepEqual(after, before, 'a refused file changes nothing');
        return;
      }
      assert.ok(parsed.ok, 'an imported file is one that parses');
      const bankId = outcome.counts.bankId;
      const stored = (rows: typeof before.questions) =>
        new Map(rows.filter((row) => row.bankId === bankId).map((row) => [row.key, row]));
      const was = stored(before.questions);
      const now = stored(after.questions);
      const expected = { bankId, created: 0, updated: 0, unchanged: 0 };
      for (const draft of parsed.questions) {
        const key = keyOf(draft, null);
        const digest = questionDigest(draft, null);
        const earlier = was.get(key);
        if (!earlier) expected.created += 1;
        else if (earlier.digest === digest) expected.unchanged += 1;
        else expected.updated += 1;
        assert.equal(now.get(key)?.digest, digest);
        assert.equal(now.get(key)?.version, (earlier?.version ?? 0) + (earlier?.digest === digest ? 0 : 1));
      }
      assert.deepEqual(outcome.counts, expected);
      const keys = new Set(parsed.questions.map((draft) => keyOf(draft, null)));
      for (const [key, row] of was)
        if (!keys.has(key)) assert.deepEqual(now.get(key), row, 'others untouched');
      assert.equal(now.size, was.size + expected.created);
      assert.equal(after.versions.length, before.versions.length + expected.created + expected.updated);
    };

    before(async () => {
      db = await openTestDatabase(dialect);
      tenantId = (await buildTenant(testContext(db))).tenant.id;
      const seeded = await importQuestionFile({ db }, tenantId, BANK, 'all-kinds.gift', Buffer.from(GIFT));
      assert.ok(seeded.ok);
      const questions = await giftQuestions();
      const reworded = questions.map((q, i) => (i % 3 === 0 ? { ...q, prompt: `${q.prompt} (sửa)` } : q));
      xlsxBases = [
        await questionTemplateXlsx(),
        await xlsxBytes((sink) => writeQuestionsXlsx(questions.slice(0, 5), sink)),
        await xlsxBytes((sink) => writeQuestionsXlsx(reworded, sink)),
      ];
    });
    after(() => db.close());

    it('stores a GIFT file whole or not at all, whatever the edits', async () => {
      await fc.assert(
        fc.asyncProperty(giftFile, (bytes) => importChecked('cau-hoi.gift', bytes)),
        { numRuns: dialect === 'sqlite' ? 200 : 100 },
      );
    });

    it('stores an xlsx file whole or not at all, whatever the damage', async () => {
      await fc.assert(
        fc.asyncProperty(xlsxFile(xlsxBases), (bytes) => importChecked('cau-hoi.xlsx', bytes)),
        { numRuns: dialect === 'sqlite' ? 80 : 40 },
      );
    });
  });
}
