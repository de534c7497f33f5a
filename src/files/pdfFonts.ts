import { createRequire } from 'node:module';
import path from 'node:path';

// Resolved through the package rather than a relative path so the same code runs from src/ and dist/.
const fontDirectory = path.dirname(
  createRequire(import.meta.url).resolve('@expo-google-fonts/be-vietnam-pro/package.json'),
);

/** A Be Vietnam Pro font file (it has every Vietnamese mark) by style, e.g. `700Bold`. */
export const vietnameseFont = (style: string): string =>
  path.join(fontDirectory, style, `BeVietnamPro_${style}.ttf`);
