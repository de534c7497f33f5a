import { createRequire } from 'node:module';
import path from 'node:path';

// Resolved through the package rather than a relative path so the same code runs from src/ and dist/.
const fontDirectory = path.dirname(
  createRequire(import.meta.url).resolve('@expo-google-fonts/be-vietnam-pro/package.json'),
);

/** A Be Vietnam Pro font file (it has every Vietnamese mark) by style, e.g. `700Bold`. */
export const vietnameseFont = (style: string): string =>
  path.join(fontDirectory, style, `BeVietnamPro_${style}.ttf`);

/** The colours every printed document shares: certificates and handouts look like one family. */
export const PDF_COLORS = {
  ink: '#262626',
  muted: '#5c5c5c',
  red: '#a11d21',
  navy: '#1d3b6a',
  gold: '#b8913a',
} as const;
