import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalysedAttempt, type AnalysedQuestion, type ItemStats, ItemTally } from './itemAnalysis.js';
import type { StoredBody } from './questionBody.js';

const QUIZ = 'quiz-1';

const choice: StoredBody = {
  kind: 'single',
  options: [
    { id: 'a', text: 'Trong CH Play hoặc App Store.', correct: true },
    { id: 'b', text: 'Từ đường link trong tin nhắn lạ.', correct: false },
    { id: 'c', text: 'Từ một trang web quảng cáo.', correct: false },
  ],
};

const question = (id: string, body: StoredBody, position = 1): AnalysedQuestion => ({
  id,
  quizId: QUIZ,
  position,
  prompt: `Câu ${id}?`,
  body,
});

const attempt = (scorePercent: number, answers: Record<string, string[]>, questionIds?: string[]) =>
  ({
    quizId: QUIZ,
    scorePercent,
    questionIds: questionIds ?? Object.keys(answers),
    answers,
  }) satisfies AnalysedAttempt;

/** The figures of the only question of the only quiz after these attempts. */
function analyse(body: StoredBody, attempts: AnalysedAttempt[]): ItemStats {
  const tally = new ItemTally([QUIZ], [question('q', body)]);
  for (const a of attempts) tally.add(a);
  const [quiz] = tally.result();
  assert.equal(quiz?.attempts, attempts.length);
  assert.ok(quiz?.items[0]);
  return quiz.items[0];
}

/** `times` attempts at one score, all with the same answer to question q. */
const many = (times: number, score: number, given: string[]) =>
  Array.from({ length: times }, () => attempt(score, { q: given }, ['q']));

describe('item analysis', () => {
  it('counts fully right answers, with a blank answer as wrong, and finds the most chosen wrong option', () => {
    const stats = analyse(choice, [
      ...many(3, 100, ['a']),
      ...many(2, 60, ['a']),
      ...many(1, 60, ['b']),
      ...many(1, 0, ['b']),
      ...many(1, 0, ['c']),
      ...many(1, 0, []),
    ]);
    assert.equal(stats.attempts, 9);
    assert.equal(stats.correctShare, 5 / 9);
    assert.deepEqual(stats.topWrong, { answer: 'Từ đường link trong tin nhắn lạ.', count: 2 });
    assert.equal(stats.discrimination, 1, 'the top third all right, the bottom third all wrong');
    assert.deepEqual(stats.flags, []);
  });

  it('gives a negative discrimination when strong attempts miss the question and weak ones get it', () => {
    const stats = analyse(choice, [...many(3, 90, ['b']), ...many(3, 20, ['a'])]);
    assert.equal(stats.discrimination, -1);
    assert.ok(stats.flags.includes('poorDiscrimination'));
  });

  it('splits attempts tied on the edge of a third in proportion, whatever order they come in', () => {
    const mixed = [...many(3, 50, ['a']), ...many(3, 50, ['c'])];
    assert.equal(analyse(choice, mixed).discrimination, 0);
    assert.equal(analyse(choice, mixed.reverse()).discrimination, 0);
  });

  it('leaves discrimination and flags out below 6 attempts', () => {
    const stats = analyse(choice, many(5, 100, ['a']));
    assert.equal(stats.correctShare, 1);
    assert.equal(stats.discrimination, null);
    assert.deepEqual(stats.flags, []);
    assert.equal(stats.topWrong, null);
  });

  it('flags questions that are too easy, too hard, or whose wrong option draws more than the right one', () => {
    assert.deepEqual(analyse(choice, many(20, 100, ['a'])).flags, ['tooEasy', 'poorDiscrimination']);
    const hard = analyse(choice, [...many(8, 10, ['b']), ...many(2, 80, ['a'])]);
    assert.equal(hard.correctShare, 0.2);
    assert.ok(!hard.flags.includes('tooHard'), '20% is not below 20%');
    assert.ok(hard.flags.includes('strongDistractor'));
    const harder = analyse(choice, [...many(9, 10, ['b']), ...many(1, 80, ['a'])]);
    assert.deepEqual(harder.flags, ['tooHard', 'strongDistractor']);
    assert.deepEqual(harder.topWrong, { answer: 'Từ đường link trong tin nhắn lạ.', count: 9 });
  });

  it('compares a multiple-choice distractor with the least chosen right option', () => {
    const body: StoredBody = {
      kind: 'multiple',
      options: [
        { id: 'x', text: 'Hối thúc phải làm ngay.', correct: true },
        { id: 'y', text: 'Đòi chuyển tiền hoặc mã OTP.', correct: true },
        { id: 'z', text: 'Người thân hỏi thăm sức khỏe.', correct: false },
      ],
    };
    const stats = analyse(body, [...many(3, 100, ['x', 'y']), ...many(4, 30, ['x', 'z'])]);
    assert.equal(stats.correctShare, 3 / 7);
    assert.deepEqual(stats.topWrong, { answer: 'Người thân hỏi thăm sức khỏe.', count: 4 });
    assert.ok(stats.flags.includes('strongDistractor'), 'z (4) was picked more than y (3)');
  });

  it('names the wrong answer of true/false, ordering and matching questions in words', () => {
    const trueFalse = analyse({ kind: 'trueFalse', answer: true }, [
      ...many(4, 100, ['true']),
      ...many(2, 0, ['false']),
    ]);
    assert.deepEqual(trueFalse.topWrong, { answer: 'Sai', count: 2 });
    assert.ok(!trueFalse.flags.includes('strongDistractor'));

    const ordering: StoredBody = {
      kind: 'ordering',
      items: [
        { id: 'i1', text: 'Mở ứng dụng' },
        { id: 'i2', text: 'Nhập mã' },
      ],
    };
    const ordered = analyse(ordering, [...many(2, 100, ['i1', 'i2']), ...many(3, 0, ['i2', 'i1'])]);
    assert.deepEqual(ordered.topWrong, { answer: '1. Nhập mã; 2. Mở ứng dụng', count: 3 });

    const matching: StoredBody = {
      kind: 'matching',
      pairs: [
        { id: 'm1', left: 'OTP', right: 'Mã xác thực' },
        { id: 'm2', left: 'SMS', right: 'Tin nhắn' },
      ],
    };
    const matched = analyse(matching, [
      ...many(1, 0, ['m1:m2', 'm2:m1']),
      ...many(1, 0, ['m2:m1', 'm1:m2']),
      ...many(1, 100, ['m1:m1', 'm2:m2']),
    ]);
    assert.deepEqual(matched.topWrong, { answer: 'OTP — Tin nhắn; SMS — Mã xác thực', count: 2 });
  });

  it('counts a question only in the attempts that were given it, per quiz, in quiz order', () => {
    const tally = new ItemTally(
      [QUIZ, 'quiz-2'],
      [question('second', choice, 2), question('first', choice, 1)],
    );
    tally.add(attempt(100, { first: ['a'] }, ['first']));
    tally.add(attempt(0, { second: ['b'] }, ['first', 'second']));
    tally.add({ ...attempt(0, {}, []), quizId: 'another-quiz' });
    const [quiz, empty] = tally.result();
    assert.equal(quiz?.attempts, 2);
    assert.deepEqual(
      quiz?.items.map((i) => [i.questionId, i.attempts, i.correctShare]),
      [
        ['first', 2, 0.5],
        ['second', 1, 0],
      ],
    );
    assert.deepEqual(empty, { quizId: 'quiz-2', attempts: 0, items: [] });
  });
});
