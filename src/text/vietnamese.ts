/**
 * Vietnamese text rules shared by every module: storage in NFC, search that ignores
 * diacritics and case (đ/Đ count as d), and sorting in Vietnamese alphabetical order.
 */

/** Text as stored: NFC, trimmed, inner runs of white space folded to one space. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * The search key of a text: no diacritics, lower case, only letters and digits.
 * @example foldForSearch('Lừa ĐẢO!') === 'lua dao'
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of a search query, folded; an empty list when nothing searchable was typed. */
export function searchTokens(query: string): string[] {
  const folded = foldForSearch(query);
  return folded === '' ? [] : folded.split(' ');
}

const collator = new Intl.Collator('vi', { sensitivity: 'variant', numeric: true });

/** Compares two texts in Vietnamese alphabetical order (a < ă < â < b … d < đ). */
export const compareVietnamese = (a: string, b: string): number => collator.compare(a, b);
