import assert from 'node:assert/strict';
import { AppError } from '../../src/errors.js';

/** The AppError a call is refused with; fails the test when it is not refused. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  assert.fail('expected a refusal');
}
