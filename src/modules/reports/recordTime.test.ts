import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationText, type LearningAct, SITTING_BREAK_MS, timeSpent } from './recordTime.js';

const at = (hhmmss: string, day = '2026-03-02') => `${day}T${hhmmss}Z`;
const lesson = (time: string, courseId = 'c1', day?: string): LearningAct => ({
  courseId,
  from: at(time, day),
  to: at(time, day),
  quiz: false,
});
const attempt = (from: string, to: string, courseId = 'c1'): LearningAct => ({
  courseId,
  from: at(from),
  to: at(to),
  quiz: true,
});
const MIN = 60_000;

describe('time spent learning', () => {
  it('counts nothing for no acts, and nothing read before the first act of a sitting', () => {
    assert.deepEqual(timeSpent([]), {
      readingMs: 0,
      quizMs: 0,
      totalMs: 0,
      sittings: 0,
      byCourse: new Map(),
    });
    const one = timeSpent([lesson('08:00:00')]);
    assert.equal(one.readingMs, 0);
    assert.equal(one.sittings, 1);
  });

  it('takes the gaps between acts of one sitting as reading, in any order given', () => {
    const spent = timeSpent([lesson('08:25:00'), lesson('08:00:00'), lesson('08:10:00')]);
    assert.equal(spent.readingMs, 25 * MIN);
    assert.equal(spent.quizMs, 0);
    assert.equal(spent.sittings, 1);
  });

  it('counts a gap of exactly 30 minutes, and none over it (a new sitting)', () => {
    assert.equal(SITTING_BREAK_MS, 30 * MIN);
    const exactly = timeSpent([lesson('08:00:00'), lesson('08:30:00')]);
    assert.deepEqual([exactly.readingMs, exactly.sittings], [30 * MIN, 1]);
    const over = timeSpent([lesson('08:00:00'), lesson('08:30:01'), lesson('08:40:01')]);
    assert.deepEqual([over.readingMs, over.sittings], [10 * MIN, 2]);
    const nextDay = timeSpent([lesson('08:00:00'), lesson('08:05:00', 'c1', '2026-03-03')]);
    assert.deepEqual([nextDay.readingMs, nextDay.sittings], [0, 2]);
  });

  it('sums attempt durations as quiz time, measuring reading up to the opening, not the submission', () => {
    // Read until 08:10, open the quiz at 08:12, submit at 08:20, finish a lesson at 08:26.
    const spent = timeSpent([
      lesson('08:00:00'),
      lesson('08:10:00'),
      attempt('08:12:00', '08:20:00'),
      lesson('08:26:00'),
    ]);
    assert.equal(spent.quizMs, 8 * MIN);
    assert.equal(spent.readingMs, (10 + 2 + 6) * MIN);
    assert.equal(spent.totalMs, 26 * MIN);
  });

  it('counts no reading inside an open attempt, and an attempt longer than a break is quiz time only', () => {
    const inside = timeSpent([attempt('08:00:00', '08:20:00'), lesson('08:05:00'), lesson('08:25:00')]);
    assert.deepEqual([inside.quizMs, inside.readingMs], [20 * MIN, 5 * MIN]);
    const long = timeSpent([attempt('08:00:00', '09:00:00'), lesson('09:10:00')]);
    assert.deepEqual([long.quizMs, long.readingMs, long.sittings], [60 * MIN, 10 * MIN, 1]);
  });

  it('gives each gap to the course of the act it leads to', () => {
    const spent = timeSpent([
      lesson('08:00:00', 'a'),
      lesson('08:10:00', 'b'),
      attempt('08:15:00', '08:18:00', 'a'),
    ]);
    assert.deepEqual(spent.byCourse.get('a'), { readingMs: 5 * MIN, quizMs: 3 * MIN });
    assert.deepEqual(spent.byCourse.get('b'), { readingMs: 10 * MIN, quizMs: 0 });
  });

  it('leaves out acts whose time cannot be read', () => {
    const spent = timeSpent([
      lesson('08:00:00'),
      { courseId: 'c1', from: 'hôm qua', to: 'hôm qua', quiz: false },
    ]);
    assert.deepEqual([spent.sittings, spent.readingMs], [1, 0]);
  });
});

describe('durations in Vietnamese', () => {
  it('says totals to the minute', () => {
    assert.equal(durationText(0), '0 phút');
    assert.equal(durationText(20_000), 'dưới 1 phút');
    assert.equal(durationText(12 * MIN + 20_000), '12 phút');
    assert.equal(durationText(60 * MIN), '1 giờ');
    assert.equal(durationText(125 * MIN), '2 giờ 5 phút');
  });

  it('says one attempt to the second', () => {
    assert.equal(durationText(0, true), '0 giây');
    assert.equal(durationText(45_000, true), '45 giây');
    assert.equal(durationText(3 * MIN + 20_000, true), '3 phút 20 giây');
    assert.equal(durationText(5 * MIN, true), '5 phút');
    assert.equal(durationText(62 * MIN + 5000, true), '1 giờ 2 phút');
  });
});
