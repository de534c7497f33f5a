import MarkdownIt from 'markdown-it';

/** An image written in a lesson, with the line it is on (for problems reported to authors). */
export interface ImageReference {
  line: number;
  alt: string;
  src: string;
}

const IMAGE = /!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

export function imageReferences(markdown: string): ImageReference[] {
  return markdown.split('\n').flatMap((text, index) =>
    [...text.matchAll(IMAGE)].map((match) => ({
      line: index + 1,
      alt: (match[1] ?? '').trim(),
      src: match[2] ?? '',
    })),
  );
}

/** The Markdown with every image source mapped (package paths ⇄ stored file URLs). */
export function rewriteImageSources(markdown: string, map: (src: string) => string): string {
  return markdown.replace(IMAGE, (whole, _alt: string, src: string) => whole.replace(src, map(src)));
}

// Raw HTML in a lesson is shown as text: lesson content is data, never markup that runs.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

markdown.renderer.rules.image = (tokens, index, _options, _env, self) => {
  const token = tokens[index];
  if (!token) return '';
  token.attrSet('alt', self.renderInlineAsText(token.children ?? [], _options, _env));
  token.attrSet('loading', 'lazy');
  token.attrSet('decoding', 'async');
  // Uploaded pictures come in two widths: a phone on a slow network takes the small one.
  const src = token.attrGet('src') ?? '';
  if (/^\/tep\/[0-9a-f]{64}-w960\.webp$/.test(src)) {
    token.attrSet('srcset', `${src.replace('-w960', '-w480')} 480w, ${src} 960w`);
    token.attrSet('sizes', '(max-width: 44rem) 100vw, 44rem');
  }
  return self.renderToken(tokens, index, _options);
};

const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const href = tokens[index]?.attrGet('href') ?? '';
  if (/^https?:/.test(href)) tokens[index]?.attrSet('rel', 'noopener noreferrer external');
  return defaultLinkOpen(tokens, index, options, env, self);
};

/**
 * Renders a lesson's Markdown to HTML once, at import, so a lesson page only inserts stored
 * HTML. `imageUrl` maps a package-relative image path to the URL it is served from.
 */
export function renderLessonMarkdown(source: string, imageUrl: (src: string) => string): string {
  const env = {};
  const tokens = markdown.parse(source.normalize('NFC'), env);
  for (const block of tokens) {
    for (const token of block.children ?? []) {
      if (token.type === 'image') token.attrSet('src', imageUrl(token.attrGet('src') ?? ''));
    }
  }
  return markdown.renderer.render(tokens, markdown.options, env);
}

/** Reading length as whitespace-separated words (syllables, in Vietnamese). */
export const wordCount = (source: string): number => source.split(/\s+/).filter(Boolean).length;
