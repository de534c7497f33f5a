/**
 * What one roster row does to the accounts of a tenant. A person is matched by phone, else email,
 * else CCCD; anything that does not fit one person is a conflict for a human to settle, never a
 * guess. The roster is authoritative for an official's unit, block and position, but only where
 * it says so (a blank cell changes nothing); contact details the person gave themselves are kept,
 * and the roster fills only those missing.
 */
import { foldForSearch } from '../../text/vietnamese.js';
import type { AccountRow } from './repository.js';
import type { RosterRow } from './rosterFile.js';

export interface MatchedAccount extends AccountRow {
  homeUnitPath: string | null;
}

export type AccountChanges = Partial<
  Pick<
    AccountRow,
    'homeUnitId' | 'block' | 'position' | 'phone' | 'email' | 'nationalIdHash' | 'nationalIdLast4'
  >
>;

export type RowPlan =
  | { kind: 'conflict'; problems: string[] }
  | { kind: 'create' }
  | { kind: 'update'; account: MatchedAccount; changes: AccountChanges }
  | { kind: 'unchanged'; account: MatchedAccount };

export interface Holders {
  byPhone?: MatchedAccount;
  byEmail?: MatchedAccount;
  byNationalId?: MatchedAccount;
}

/**
 * @param mayTake whether the importer may change this account (a unit manager only people of
 *   their own subtree)
 */
export function planRow(
  row: RosterRow,
  unitId: string,
  { byPhone, byEmail, byNationalId }: Holders,
  mayTake: (account: MatchedAccount) => boolean,
): RowPlan {
  const match = byPhone ?? byEmail ?? byNationalId;
  if (!match) return { kind: 'create' };
  const problems: string[] = [];
  if (byPhone && byEmail && byPhone.id !== byEmail.id) {
    problems.push('Số điện thoại và email thuộc về hai tài khoản khác nhau trong hệ thống.');
  }
  if (byNationalId && byNationalId.id !== match.id) {
    problems.push('Số CCCD đã gắn với một tài khoản khác trong hệ thống.');
  } else if (row.nationalId && match.nationalIdHash && match.nationalIdHash !== row.nationalId.hash) {
    problems.push('Người này đã có một số CCCD khác trong hệ thống.');
  }
  if (foldForSearch(match.fullName) !== foldForSearch(row.fullName)) {
    const key = match === byPhone ? 'Số điện thoại' : match === byEmail ? 'Email' : 'Số CCCD';
    problems.push(`${key} đã thuộc về tài khoản của một người có họ tên khác.`);
  }
  if (!mayTake(match)) problems.push('Người này đang thuộc một đơn vị ngoài phạm vi bạn quản lý.');
  if (problems.length > 0) return { kind: 'conflict', problems };

  const changes: AccountChanges = {};
  if (match.homeUnitId !== unitId) changes.homeUnitId = unitId;
  if (row.block && match.block !== row.block) changes.block = row.block;
  if (row.position && match.position !== row.position) changes.position = row.position;
  if (row.phone && !match.phone) changes.phone = row.phone;
  if (row.email && !match.email) changes.email = row.email;
  if (row.nationalId && !match.nationalIdHash) {
    changes.nationalIdHash = row.nationalId.hash;
    changes.nationalIdLast4 = row.nationalId.last4;
  }
  return Object.keys(changes).length > 0
    ? { kind: 'update', account: match, changes }
    : { kind: 'unchanged', account: match };
}
