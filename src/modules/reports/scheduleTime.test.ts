import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dueOccurrence,
  lastOccurrence,
  nextOccurrence,
  parseTimeOfDay,
  type Recurrence,
  recurrenceText,
} from './scheduleTime.js';

const daily: Recurrence = { frequency: 'daily', weekday: null, monthDay: null, timeOfDay: '07:00' };
const monday: Recurrence = { frequency: 'weekly', weekday: 1, monthDay: null, timeOfDay: '07:00' };
const at = (iso: string) => new Date(iso);
const next = (rule: Recurrence, iso: string) => nextOccurrence(rule, at(iso)).toISOString();

// 2026-03-02 is a Monday; 07:00 in Vietnam is 00:00 UTC.
describe('when scheduled reports are due (Vietnam time, UTC+7)', () => {
  it('reads a time of day, refusing what is not one', () => {
    assert.deepEqual(parseTimeOfDay('07:00'), [7, 0]);
    assert.deepEqual(parseTimeOfDay(' 7:05 '), [7, 5]);
    assert.deepEqual(parseTimeOfDay('23:59'), [23, 59]);
    for (const bad of ['24:00', '07:60', '7', '07:0', 'bảy giờ', '', '-1:00'])
      assert.equal(parseTimeOfDay(bad), null);
  });

  it('finds the next daily occurrence strictly after a moment', () => {
    assert.equal(next(daily, '2026-03-01T23:59:00Z'), '2026-03-02T00:00:00.000Z');
    assert.equal(next(daily, '2026-03-02T00:00:00Z'), '2026-03-03T00:00:00.000Z');
    // 23:30 in Vietnam is still the day before in UTC.
    const late = { ...daily, timeOfDay: '23:30' };
    assert.equal(next(late, '2026-03-02T00:00:00Z'), '2026-03-02T16:30:00.000Z');
  });

  it('runs weekly on the chosen weekday of Vietnam’s calendar', () => {
    assert.equal(next(monday, '2026-03-02T00:00:00Z'), '2026-03-09T00:00:00.000Z');
    assert.equal(next(monday, '2026-03-01T10:00:00Z'), '2026-03-02T00:00:00.000Z');
    // Monday 00:30 in Vietnam is Sunday 17:30 UTC.
    const early = { ...monday, timeOfDay: '00:30' };
    assert.equal(next(early, '2026-03-01T00:00:00Z'), '2026-03-01T17:30:00.000Z');
    const sunday = { ...monday, weekday: 7 };
    assert.equal(next(sunday, '2026-03-02T00:00:00Z'), '2026-03-08T00:00:00.000Z');
  });

  it('runs monthly on the day chosen, or on the last day of a shorter month', () => {
    const fifth: Recurrence = { frequency: 'monthly', weekday: null, monthDay: 5, timeOfDay: '08:15' };
    assert.equal(next(fifth, '2026-03-02T00:00:00Z'), '2026-03-05T01:15:00.000Z');
    assert.equal(next(fifth, '2026-03-05T01:15:00Z'), '2026-04-05T01:15:00.000Z');
    const last: Recurrence = { ...fifth, monthDay: 31, timeOfDay: '07:00' };
    assert.equal(next(last, '2026-01-31T00:00:00Z'), '2026-02-28T00:00:00.000Z');
    assert.equal(next(last, '2026-02-28T00:00:00Z'), '2026-03-31T00:00:00.000Z');
    assert.equal(next(last, '2026-03-31T00:00:00Z'), '2026-04-30T00:00:00.000Z');
    assert.equal(next(last, '2028-02-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
  });

  it('makes one catch-up run for the latest missed occurrence, however many were missed', () => {
    const now = at('2026-03-10T03:00:00Z'); // Tuesday 10:00 in Vietnam
    // Down since 20 February: seven daily occurrences and more were missed; one run, for today's.
    assert.equal(
      dueOccurrence(daily, at('2026-02-20T00:00:00Z'), now).toISOString(),
      '2026-03-10T00:00:00.000Z',
    );
    assert.equal(
      dueOccurrence(monday, at('2026-02-16T00:00:00Z'), now).toISOString(),
      '2026-03-09T00:00:00.000Z',
    );
    // A next run set off the rule's grid (it is never, but an edit could) is run as it stands.
    assert.equal(
      dueOccurrence(monday, at('2026-03-10T02:00:00Z'), now).toISOString(),
      '2026-03-10T02:00:00.000Z',
    );
    assert.equal(lastOccurrence(daily, at('2026-03-10T00:00:00Z')).toISOString(), '2026-03-10T00:00:00.000Z');
  });

  it('says the rule in Vietnamese', () => {
    assert.equal(recurrenceText(daily), 'Hằng ngày, lúc 07:00');
    assert.equal(recurrenceText(monday), 'Hằng tuần, Thứ Hai, lúc 07:00');
    assert.equal(
      recurrenceText({ frequency: 'monthly', weekday: null, monthDay: 31, timeOfDay: '17:30' }),
      'Hằng tháng, ngày 31, lúc 17:30',
    );
  });
});
