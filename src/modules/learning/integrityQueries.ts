import type { Db } from '../../db/database.js';

/**
 * Read-only views of the learning records for the integrity signals of the reports module
 * (reports/integritySignals.ts). Each takes the people's units at the time of the event
 * (`unitIds`; null: the whole tenant) and a period `[from, to)` of ISO times.
 */

/** Where and when a learning event happened. */
export interface EventPlace {
  /** The event id; for a quiz event, the id of its attempt. */
  id: string;
  accountId: string;
  unitId: string | null;
  occurredAt: string;
}

export interface QuizOutcome extends EventPlace {
  quizId: string;
  passed: boolean;
}

export interface FirstReading extends EventPlace {
  lessonId: string;
  courseId: string;
}

export interface Completion extends EventPlace {
  /** `quiz`: a quiz passed; `course`: a course completed. */
  objectType: 'quiz' | 'course';
  objectId: string;
}

/** Units are named in batches, so no statement carries more parameters than either engine takes. */
const UNIT_BATCH = 5000;

function batches(unitIds: string[] | null): (string[] | null)[] {
  if (unitIds === null) return [null];
  const out: string[][] = [];
  for (let at = 0; at < unitIds.length; at += UNIT_BATCH) out.push(unitIds.slice(at, at + UNIT_BATCH));
  return out;
}

/** Graded quiz attempts (passed or failed) in the period, by the people of these units. */
export async function quizOutcomesIn(
  db: Db,
  tenantId: string,
  unitIds: string[] | null,
  from: string,
  to: string,
  only?: 'passed',
): Promise<QuizOutcome[]> {
  const out: QuizOutcome[] = [];
  for (const units of batches(unitIds)) {
    if (units?.length === 0) continue;
    let query = db.kysely
      .selectFrom('learningEvents')
      .select(['id', 'accountId', 'unitId', 'occurredAt', 'objectId', 'verb'])
      .where('tenantId', '=', tenantId)
      .where('objectType', '=', 'quiz')
      .where('verb', 'in', only === 'passed' ? ['passed'] : ['passed', 'failed'])
      .where('occurredAt', '>=', from)
      .where('occurredAt', '<', to);
    if (units) query = query.where('unitId', 'in', units);
    for (const row of await query.execute()) {
      out.push({
        id: row.id,
        accountId: row.accountId,
        unitId: row.unitId,
        occurredAt: row.occurredAt,
        quizId: row.objectId,
        passed: row.verb === 'passed',
      });
    }
  }
  return out;
}

/**
 * Each lesson's first "finished reading" in the period, by the people of these units: the event
 * whose time is the one kept in the learner's lesson state (a lesson read again later is not a
 * new reading).
 */
export async function firstReadingsIn(
  db: Db,
  tenantId: string,
  unitIds: string[] | null,
  from: string,
  to: string,
): Promise<FirstReading[]> {
  const out = new Map<string, FirstReading>();
  for (const units of batches(unitIds)) {
    if (units?.length === 0) continue;
    let query = db.kysely
      .selectFrom('learningEvents')
      .innerJoin('lessonStates', (join) =>
        join
          .onRef('lessonStates.accountId', '=', 'learningEvents.accountId')
          .onRef('lessonStates.lessonId', '=', 'learningEvents.objectId')
          .onRef('lessonStates.readAt', '=', 'learningEvents.occurredAt'),
      )
      .select([
        'learningEvents.id',
        'learningEvents.accountId',
        'learningEvents.unitId',
        'learningEvents.occurredAt',
        'learningEvents.objectId',
        'learningEvents.courseId',
      ])
      .where('learningEvents.tenantId', '=', tenantId)
      .where('learningEvents.verb', '=', 'completed')
      .where('learningEvents.objectType', '=', 'lesson')
      .where('learningEvents.occurredAt', '>=', from)
      .where('learningEvents.occurredAt', '<', to);
    if (units) query = query.where('learningEvents.unitId', 'in', units);
    for (const row of await query.execute()) {
      // The same reading sent twice with two ids at the same moment counts once.
      const key = `${row.accountId}:${row.objectId}`;
      if (out.has(key)) continue;
      out.set(key, {
        id: row.id,
        accountId: row.accountId,
        unitId: row.unitId,
        occurredAt: row.occurredAt,
        lessonId: row.objectId,
        courseId: row.courseId,
      });
    }
  }
  return [...out.values()];
}

/** Quizzes passed and courses completed in the period, by anyone of the tenant. */
export async function completionsIn(
  db: Db,
  tenantId: string,
  from: string,
  to: string,
): Promise<Completion[]> {
  const rows = await db.kysely
    .selectFrom('learningEvents')
    .select(['id', 'accountId', 'unitId', 'occurredAt', 'objectType', 'objectId'])
    .where('tenantId', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb.and([eb('verb', '=', 'passed'), eb('objectType', '=', 'quiz')]),
        eb.and([eb('verb', '=', 'completed'), eb('objectType', '=', 'course')]),
      ]),
    )
    .where('occurredAt', '>=', from)
    .where('occurredAt', '<', to)
    .execute();
  return rows.map((r) => ({ ...r, objectType: r.objectType === 'course' ? 'course' : 'quiz' }));
}
