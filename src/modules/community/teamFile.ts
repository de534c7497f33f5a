/**
 * Team files (one row per team) as UTF-8 CSV or .xlsx, read with the roster reader: the header
 * names the columns, each row is checked on its own here; checks across rows and against the
 * units and accounts are the importer's.
 */
import type { PlainCell } from '../../files/xlsxRows.js';
import { cleanText, foldForSearch } from '../../text/vietnamese.js';
import { normalizePhone } from '../identity/phone.js';
import { quote, RosterFileError, type RosterRecord, text } from '../identity/rosterFile.js';
import { CONTACT_NOTE_LENGTH, teamNameProblem } from './teams.js';

/** More teams than a province has, and a file larger than such a list: refused whole. */
export const MAX_TEAM_ROWS = 5_000;
export const MAX_TEAM_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_MEMBERS_PER_TEAM = 100;

/** The columns, by their header as the template writes it. */
export const TEAM_HEADERS = {
  unitCode: 'Mã đơn vị',
  village: 'Thôn, tổ dân phố',
  name: 'Tên tổ',
  leaderPhone: 'SĐT tổ trưởng',
  memberPhones: 'SĐT thành viên',
  contact: 'Liên hệ',
} as const;
export type TeamColumn = keyof typeof TEAM_HEADERS;
const REQUIRED: readonly TeamColumn[] = ['unitCode', 'name', 'leaderPhone', 'memberPhones'];
const COLUMN_BY_HEADER = new Map(
  Object.entries(TEAM_HEADERS).map(([column, header]) => [foldForSearch(header), column as TeamColumn]),
);

/** One team of a file, checked on its own: phones in the +84 form, the leader among the members. */
export interface TeamFileRow {
  number: number;
  unitCode: string;
  /** A village of the coded commune, by name: villages seldom have official codes. */
  village: string | null;
  name: string;
  leaderPhone: string | null;
  /** Every member's phone, the leader's first, each once. */
  memberPhones: string[];
  contact: string | null;
  problems: string[];
}

/** Which cell holds which column; throws RosterFileError when the header cannot be used. */
export function readTeamHeader(record: RosterRecord): Map<TeamColumn, number> {
  const columns = new Map<TeamColumn, number>();
  const problems: string[] = [];
  for (const [index, cell] of record.cells.entries()) {
    const column = COLUMN_BY_HEADER.get(foldForSearch(text(cell)));
    if (column === undefined) continue;
    if (columns.has(column)) problems.push(`Cột "${TEAM_HEADERS[column]}" có hai lần ở dòng tiêu đề.`);
    columns.set(column, index);
  }
  for (const column of REQUIRED) {
    if (!columns.has(column)) problems.push(`Thiếu cột bắt buộc "${TEAM_HEADERS[column]}".`);
  }
  if (problems.length > 0) {
    throw new RosterFileError(
      `Dòng tiêu đề (dòng ${record.number}) chưa đúng: ${problems.join(' ')} ` +
        `Các cột: ${Object.values(TEAM_HEADERS).join(', ')}.`,
    );
  }
  return columns;
}

/** A phone as typed, its lost leading 0 put back (a number cell drops it: 912345678). */
function phoneText(value: string): string {
  const digits = value.replace(/[\s.-]/g, '');
  return /^[35789]\d{8}$/.test(digits) ? `0${digits}` : value.trim();
}

/** Checks one row; every problem is a Vietnamese sentence about that row. */
export function checkTeamRecord(columns: Map<TeamColumn, number>, record: RosterRecord): TeamFileRow {
  const cell = (column: TeamColumn): PlainCell => {
    const index = columns.get(column);
    return index === undefined ? null : (record.cells[index] ?? null);
  };
  const problems: string[] = [];

  const unitCode = cleanText(text(cell('unitCode')));
  if (unitCode === '') problems.push('Thiếu mã đơn vị.');

  const village = cleanText(text(cell('village'))) || null;

  const name = cleanText(text(cell('name')));
  const nameProblem = name === '' ? 'Thiếu tên tổ.' : teamNameProblem(name);
  if (nameProblem) problems.push(nameProblem);

  const leaderText = phoneText(cleanText(text(cell('leaderPhone'))));
  const leaderPhone = leaderText === '' ? null : normalizePhone(leaderText);
  if (leaderText === '') problems.push('Thiếu số điện thoại tổ trưởng.');
  else if (leaderPhone === null)
    problems.push(`Số điện thoại tổ trưởng ${quote(leaderText)} không phải số di động Việt Nam hợp lệ.`);

  const memberPhones = new Set(leaderPhone ? [leaderPhone] : []);
  for (const typed of text(cell('memberPhones')).split(/[,;\r\n]+/)) {
    const written = phoneText(cleanText(typed));
    if (written === '') continue;
    const phone = normalizePhone(written);
    if (phone) memberPhones.add(phone);
    else problems.push(`Số điện thoại thành viên ${quote(written)} không phải số di động Việt Nam hợp lệ.`);
  }
  if (memberPhones.size > MAX_MEMBERS_PER_TEAM)
    problems.push(`Một tổ có tối đa ${MAX_MEMBERS_PER_TEAM} thành viên.`);

  const contact = cleanText(text(cell('contact'))) || null;
  if (contact && contact.length > CONTACT_NOTE_LENGTH)
    problems.push(`Thông tin liên hệ dài quá ${CONTACT_NOTE_LENGTH} ký tự.`);

  return {
    number: record.number,
    unitCode,
    village,
    name,
    leaderPhone,
    memberPhones: [...memberPhones],
    contact,
    problems,
  };
}
