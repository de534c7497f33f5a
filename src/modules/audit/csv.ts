/** Excel opens a CSV file as UTF-8 only when it starts with a byte order mark. */
export const CSV_BOM = '\uFEFF';

// Excel runs a cell starting with these as a formula: a name like "=HYPERLINK(…)" must stay text.
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record (RFC 4180: quoted when needed, CRLF-terminated). */
export const csvLine = (fields: string[]): string => `${fields.map(csvField).join(',')}\r\n`;
