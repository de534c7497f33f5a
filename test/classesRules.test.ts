import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Actor, Grant } from '../src/access/actor.js';
import { checkinCodeAt, isLiveCheckinCode, wasCheckinCode } from '../src/modules/classes/checkinCode.js';
import { parseScore, passes } from '../src/modules/classes/paperResults.js';
import { classPolicy } from '../src/modules/classes/policy.js';
import {
  checkSessionForm,
  parseDay,
  parseTime,
  vietnamInstant,
} from '../src/modules/classes/sessionInput.js';
import { checkinPeriod, sessionWhen } from '../src/modules/classes/sessionTimes.js';

const SECRET = 'bí-mật-của-buổi-học';
const SESSION = 'buoi-1';
const AT = new Date('2026-12-05T01:00:00.000Z');
const later = (seconds: number) => new Date(AT.getTime() + seconds * 1000);

describe('rotating check-in codes', () => {
  it('gives ten readable characters that change every 30 seconds and differ between sessions', () => {
    const code = checkinCodeAt(SECRET, SESSION, AT);
    assert.match(code, /^[0-9a-hjkmnp-tv-z]{10}$/);
    assert.equal(checkinCodeAt(SECRET, SESSION, later(29)), code);
    assert.notEqual(checkinCodeAt(SECRET, SESSION, later(30)), code);
    assert.notEqual(checkinCodeAt(SECRET, 'buoi-2', AT), code);
    assert.notEqual(checkinCodeAt('bí-mật-khác', SESSION, AT), code);
  });

  it('accepts a code in its window and the next only, and still recognises it as expired', () => {
    const code = checkinCodeAt(SECRET, SESSION, AT);
    assert.ok(isLiveCheckinCode(SECRET, SESSION, code, AT));
    assert.ok(isLiveCheckinCode(SECRET, SESSION, ` ${code.toUpperCase()} `, later(59)));
    assert.ok(!isLiveCheckinCode(SECRET, SESSION, code, later(60)));
    assert.ok(!isLiveCheckinCode(SECRET, SESSION, code, later(-1)), 'not before its window');
    assert.ok(wasCheckinCode(SECRET, SESSION, code, later(3600)));
    assert.ok(!wasCheckinCode(SECRET, SESSION, 'abcdefghjk', AT));
    assert.ok(!isLiveCheckinCode(SECRET, SESSION, '', AT));
  });
});

describe('session form', () => {
  it('reads days and times as Vietnamese people type them, in Vietnam’s time', () => {
    assert.equal(parseDay('2026-12-05'), '2026-12-05');
    assert.equal(parseDay('5/12/2026'), '2026-12-05');
    assert.equal(parseDay('31/02/2026'), null);
    assert.equal(parseDay('ngày mai'), null);
    assert.equal(parseTime('08:30'), '08:30');
    assert.equal(parseTime('8h30'), '08:30');
    assert.equal(parseTime('14h'), '14:00');
    assert.equal(parseTime('24:00'), null);
    assert.equal(vietnamInstant('2026-12-05', '08:30'), '2026-12-05T01:30:00.000Z');
    assert.equal(
      sessionWhen({ startsAt: '2026-12-05T01:30:00.000Z', durationMinutes: 90, status: 'scheduled' }),
      'Thứ Bảy, 05/12/2026, 08:30–10:00',
    );
  });

  it('reports every problem at once, and refuses a day more than a year back', () => {
    const { value, errors } = checkSessionForm(
      {
        place: 'x',
        day: '01/01/2020',
        time: '08:00',
        durationMinutes: '5',
        capacity: '1,5',
        audienceBlock: 'alien',
      },
      AT,
    );
    assert.equal(value, null);
    assert.deepEqual(Object.keys(errors).sort(), [
      'audienceBlock',
      'capacity',
      'day',
      'durationMinutes',
      'place',
      'title',
    ]);
    assert.equal(errors.day, 'Ngày học đã qua hơn một năm.');
  });

  it('opens check-in an hour before the start and closes it two hours after the end', () => {
    const session = { startsAt: AT.toISOString(), durationMinutes: 90, status: 'scheduled' };
    assert.equal(checkinPeriod(session, later(-3601)), 'early');
    assert.equal(checkinPeriod(session, later(-3600)), 'open');
    assert.equal(checkinPeriod(session, later(90 * 60 + 7200)), 'open');
    assert.equal(checkinPeriod(session, later(90 * 60 + 7201)), 'closed');
    assert.equal(checkinPeriod({ ...session, status: 'cancelled' }, AT), 'cancelled');
  });
});

describe('paper scores', () => {
  it('reads decimal commas and refuses what is not a score', () => {
    assert.equal(parseScore('7,5'), 7.5);
    assert.equal(parseScore(' 8 '), 8);
    assert.equal(parseScore(''), null);
    assert.ok(Number.isNaN(parseScore('tám') as number));
    assert.ok(Number.isNaN(parseScore('7,555') as number));
  });

  it('passes at the pass mark exactly, whatever binary fractions do', () => {
    assert.ok(passes(5, 10, 50));
    assert.ok(!passes(4.99, 10, 50));
    assert.ok(passes(0.29, 1, 29));
    assert.ok(passes(0, 10, 0));
  });
});

describe('classPolicy', () => {
  const PROVINCE = '/p/';
  const COMMUNE_A = '/p/d/a/';
  const COMMUNE_B = '/p/d/b/';
  const actor = (grants: Grant[], tenantId = 't1', accountId = 'me'): Actor => ({
    accountId,
    tenantId,
    fullName: 'Người Thử',
    block: 'citizen',
    homeUnitId: null,
    grants,
  });
  const session = { tenantId: 't1', unitPath: `${COMMUNE_A}village/`, instructorAccountId: 'teacher' };

  it('lets the runners of the unit run a session, evaluators read it, and any member attend', () => {
    const cases: [string, Actor, boolean, boolean, boolean][] = [
      ['learner', actor([]), false, false, true],
      ['named instructor without a role', actor([], 't1', 'teacher'), true, true, true],
      ['instructor over the commune', actor([{ role: 'instructor', unitPath: COMMUNE_A }]), true, true, true],
      [
        'unit manager over the commune',
        actor([{ role: 'unitManager', unitPath: COMMUNE_A }]),
        true,
        true,
        true,
      ],
      [
        'unit manager of another commune',
        actor([{ role: 'unitManager', unitPath: COMMUNE_B }]),
        false,
        false,
        true,
      ],
      ['content manager', actor([{ role: 'contentManager', unitPath: null }]), false, false, true],
      ['evaluator', actor([{ role: 'evaluator', unitPath: null }]), false, true, true],
      ['tenant admin', actor([{ role: 'tenantAdmin', unitPath: null }]), true, true, true],
      ['another tenant’s admin', actor([{ role: 'tenantAdmin', unitPath: null }], 't2'), false, false, false],
      ['the instructor’s id in another tenant', actor([], 't2', 'teacher'), false, false, false],
    ];
    for (const [who, someone, run, read, attend] of cases) {
      assert.equal(classPolicy(someone, 'class.run', session), run, `${who} run`);
      assert.equal(classPolicy(someone, 'class.read', session), read, `${who} read`);
      assert.equal(classPolicy(someone, 'class.attend', session), attend, `${who} attend`);
    }
    assert.equal(classPolicy(null, 'class.attend', session), false);
  });

  it('lets only tenant admins, and managers and instructors over a unit, schedule there', () => {
    const unit = { tenantId: 't1', unitPath: COMMUNE_A };
    assert.ok(classPolicy(actor([{ role: 'instructor', unitPath: COMMUNE_A }]), 'class.schedule', unit));
    assert.ok(classPolicy(actor([{ role: 'unitManager', unitPath: PROVINCE }]), 'class.schedule', unit));
    assert.ok(!classPolicy(actor([{ role: 'unitManager', unitPath: COMMUNE_B }]), 'class.schedule', unit));
    assert.ok(!classPolicy(actor([{ role: 'evaluator', unitPath: null }]), 'class.schedule', unit));
    assert.ok(!classPolicy(actor([], 't1', 'teacher'), 'class.schedule', unit));
  });
});
