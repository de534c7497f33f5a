import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanText } from '../../../text/vietnamese.js';
import { type ImportResult, questionProblems } from '../questionDraft.js';
import { parseAiken } from './aiken.js';
import { parseGift } from './gift.js';

const PARSERS = { gift: parseGift, aiken: parseAiken };
const FIXTURES = {
  gift: readFileSync('test/fixtures/questions/all-kinds.gift', 'utf8'),
  aiken: readFileSync('test/fixtures/questions/single.aiken.txt', 'utf8'),
};
const RUNS = { numRuns: 300 };

/** What every input must give: storable questions in clean text, or problems pointing into the file. */
function assertWellFormed(input: string, result: ImportResult): void {
  if (result.ok) {
    assert.ok(result.questions.length > 0);
    for (const question of result.questions) {
      assert.deepEqual(questionProblems(question), []);
      assert.equal(question.prompt, cleanText(question.prompt));
      assert.equal(question.explanation, cleanText(question.explanation));
    }
    return;
  }
  const lines = input.split(/\r\n|\r|\n/).length;
  assert.ok(result.problems.length > 0);
  for (const { line, message } of result.problems) {
    assert.ok(Number.isInteger(line) && line >= 1 && line <= lines, `line ${line} of ${lines}`);
    assert.notEqual(message.trim(), '');
  }
}

function checkBoth(input: string): void {
  for (const parse of Object.values(PARSERS)) assertWellFormed(input, parse(input));
}

/** Pieces that steer random text into the parsers' interesting paths. */
const SYNTAX = fc.constantFrom(
  ...['{', '}', '=', '~', '#', '####', ':', '::', '\\', '\n', '\r\n', '\n\n', '->', '%', '%50%', '..', '//'],
  ...['$CATEGORY: a/b', '[html]', '<b>', '&#x1F600;', '&#99999999;', 'T', 'FALSE', '1', '-2.5', 'ă', ' '],
  ...['A. ', 'B) ', 'I. ', 'ANSWER: A', 'ANSWER: Z', 'GIẢI THÍCH: vì', 'Câu hỏi?'],
);

/** Text shaped like a GIFT question, so random pieces land inside titles, prompts and answers. */
const giftLike = fc
  .tuple(
    fc.constantFrom('', '::t::', '::t::[html]', '[html]', '[markdown]'),
    fc.string({ unit: SYNTAX, maxLength: 15 }),
    fc.constantFrom('{', '{#', '{=', '{~', '{~%50%'),
    fc.string({ unit: SYNTAX, maxLength: 15 }),
    fc.constantFrom('}', '', '} ạ', '####ư}'),
  )
  .map((parts) => parts.join(''));

describe('GIFT and Aiken parsers on any input', () => {
  it('never throw on arbitrary text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: SYNTAX, maxLength: 60 }),
      fc.array(giftLike, { minLength: 1, maxLength: 4 }).map((blocks) => blocks.join('\n\n')),
    );
    fc.assert(fc.property(text, checkBoth), RUNS);
  });

  for (const [format, parse] of Object.entries(PARSERS)) {
    it(`never throw on mutations of the valid ${format} fixture`, () => {
      const source = FIXTURES[format as keyof typeof FIXTURES];
      assert.ok(parse(source).ok);
      const edit = fc.record({
        at: fc.nat({ max: source.length }),
        op: fc.constantFrom('delete', 'insert', 'duplicate'),
        text: fc.oneof(SYNTAX, fc.string({ unit: 'grapheme', maxLength: 3 })),
      });
      const mutated = fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) =>
        edits.reduce((text, { at, op, text: piece }) => {
          const i = Math.min(at, text.length);
          if (op === 'delete') return text.slice(0, i) + text.slice(i + 1);
          if (op === 'insert') return text.slice(0, i) + piece + text.slice(i);
          return text.slice(0, i) + text.slice(i, i + 5).repeat(2) + text.slice(i + 5);
        }, source),
      );
      fc.assert(
        fc.property(mutated, (input) => assertWellFormed(input, parse(input))),
        RUNS,
      );
    });
  }
});

/** Option and prompt text that needs no escaping in Aiken and only backslash escapes in GIFT. */
const phrase = fc
  .string({ unit: fc.constantFrom(...'aăâbđêôơưyỹ ẠẢ{}=~#:\\%->.\t'), minLength: 1, maxLength: 20 })
  .map((text) => cleanText(`Từ ${text}`));
const choiceQuestion = fc.record({
  prompt: phrase,
  options: fc.uniqueArray(phrase, { minLength: 2, maxLength: 8, selector: (t) => t.toLowerCase() }),
  right: fc.nat(),
  explanation: phrase,
});

const escapeGift = (text: string) => text.replace(/[\\~=#{}:]/g, (char) => `\\${char}`);

describe('GIFT and Aiken parsers on generated valid files', () => {
  it('read back one-answer questions written as GIFT', () => {
    fc.assert(
      fc.property(fc.array(choiceQuestion, { minLength: 1, maxLength: 5 }), (questions) => {
        const text = questions
          .map(({ prompt, options, right, explanation }) => {
            const answers = options.map(
              (o, i) => `${i === right % options.length ? '=' : '~'}${escapeGift(o)}`,
            );
            return `${escapeGift(prompt)}{\n${answers.join('\n')}\n####${escapeGift(explanation)}\n}`;
          })
          .join('\n\n');
        const result = parseGift(text);
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(
          result.questions.map((q) => [q.prompt, q.body, q.explanation]),
          questions.map(({ prompt, options, right, explanation }) => [
            prompt,
            {
              kind: 'single',
              options: options.map((o, i) => ({ text: o, correct: i === right % options.length })),
            },
            explanation,
          ]),
        );
      }),
      RUNS,
    );
  });

  it('read back one-answer questions written as Aiken', () => {
    fc.assert(
      fc.property(fc.array(choiceQuestion, { minLength: 1, maxLength: 5 }), (questions) => {
        const text = questions
          .map(({ prompt, options, right, explanation }) => {
            const letters = options.map((o, i) => `${String.fromCharCode(65 + i)}. ${o}`);
            const answer = String.fromCharCode(65 + (right % options.length));
            return [prompt, ...letters, `ANSWER: ${answer}`, `GIẢI THÍCH: ${explanation}`].join('\n');
          })
          .join('\n\n');
        const result = parseAiken(text);
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(
          result.questions.map((q) => [q.prompt, q.body, q.explanation]),
          questions.map(({ prompt, options, right, explanation }) => [
            prompt,
            {
              kind: 'single',
              options: options.map((o, i) => ({ text: o, correct: i === right % options.length })),
            },
            explanation,
          ]),
        );
      }),
      RUNS,
    );
  });
});
