/**
 * Safe Markdown pieces for pull request text. Everything that came from a file, a registry or
 * another repository goes through one of these before it reaches a body:
 *
 * - {@link escapeMarkdown} for prose: no HTML, no table breaks, no emphasis or links, and no
 *   mentions or issue references (GitHub links `@name`, `#12` and `GH-12` in rendered text nodes,
 *   so HTML entities alone do not stop it; a zero-width space after the sign does, as Renovate
 *   does), and github.com URLs, which GitHub links in text, through `redirect.github.com`
 *   (`https://github.com/o/r/issues/1` would put a "mentioned this" backlink on that issue);
 * - {@link code} for identifiers (tags, repositories, filters), where nothing is interpreted;
 * - {@link capText} so that no outside value can make a body longer than GitHub accepts.
 *
 * All three show the characters that change what is read without showing themselves
 * ({@link INVISIBLE_CHARACTERS}) as their `\uXXXX` escapes.
 */

/** Zero-width space: after `@` or `#` it keeps GitHub from linking a mention or an issue. */
export const ZERO_WIDTH_SPACE = '&#8203;';
/** The zero-width space itself, for code spans, where an entity would show as written. */
export const ZERO_WIDTH_SPACE_CHARACTER = '\u200b';

/** Cuts text to at most `max` UTF-16 units, marking the cut with `…` (never splitting a surrogate pair). */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Characters that show nothing themselves but change what a reader sees: the bidirectional
 * controls reorder the text after them up to the end of its paragraph, past the end of a code span
 * (Trojan Source, CVE-2021-42574: a container named `x\u202e` turns the rest of its line in the
 * body around, the skip hint included), and the zero-width ones make two different names look
 * alike (`chart\u200b-image`). Written as their escapes, which is also what they mean inside the
 * double-quoted YAML of a hint, as the CLI's terminal text does (`inert-terminal-text.ts`).
 */
export const INVISIBLE_CHARACTERS = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** One of {@link INVISIBLE_CHARACTERS} (not global, so testing it keeps no state). */
const INVISIBLE_CHARACTER = new RegExp(INVISIBLE_CHARACTERS.source);

/** The `\uXXXX` escape of one character, as text. */
export function escapeSequence(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every invisible character ({@link INVISIBLE_CHARACTERS}) written as its escape. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, escapeSequence);
}

/** The start of a github.com URL GitHub links in text (a GFM autolink: a scheme or `www.`). */
const GITHUB_URL_START = String.raw`(?:[Hh][Tt][Tt][Pp][Ss]?:\/\/(?:[Ww]{3}\.)?|\b[Ww]{3}\.)[Gg][Ii][Tt][Hh][Uu][Bb]\.[Cc][Oo][Mm]\/`;

/**
 * What {@link escapeMarkdown} writes otherwise: Markdown's and HTML's specials, invisible
 * characters, line breaks, and what GitHub links to an issue in text: `GH-12`, a github.com URL.
 */
const MARKDOWN_SPECIALS = new RegExp(
  String.raw`\b[Gg][Hh]-(?=\d)|${GITHUB_URL_START}|[&<>@#\\${'`'}*_[\]{}()|~!]|${INVISIBLE_CHARACTERS.source}|\r\n|\r|\n`,
  'g',
);

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '@': `@${ZERO_WIDTH_SPACE}`,
  '#': `#${ZERO_WIDTH_SPACE}`,
};

/** Escapes text for a Markdown paragraph or table cell: no HTML, no table breaks, no mentions. */
export function escapeMarkdown(text: string): string {
  // One pass, so the entities it writes are not escaped again.
  return text.replace(MARKDOWN_SPECIALS, escapeSpecial);
}

/** One match of {@link MARKDOWN_SPECIALS}, escaped. */
function escapeSpecial(c: string): string {
  const escaped = HTML_ESCAPES[c];
  if (escaped !== undefined) return escaped;
  // `GH-12` is linked only as written: a zero-width space breaks it. A github.com URL still links,
  // through the redirect, which leaves no backlink (as the release notes do).
  if (/^gh-$/i.test(c)) return `${c}${ZERO_WIDTH_SPACE}`;
  if (c.length > 4) return 'https://redirect.github.com/';
  // The escape's backslash escaped in turn, so that it shows.
  if (INVISIBLE_CHARACTER.test(c)) return `\\${escapeSequence(c)}`;
  return c.trim() === '' ? ' ' : `\\${c}`;
}

/**
 * Escapes text for HTML (a `<summary>`), with mentions and issue references (`#12`, `GH-12`)
 * broken too: GitHub links them in an HTML block's text as in Markdown's.
 */
export function escapeHtml(text: string): string {
  return showInvisible(text).replace(/\b[Gg][Hh]-(?=\d)|[&<>"@#]|\r\n|\r|\n/g, (c) =>
    c === '"' ? '&quot;' : c.length === 3 ? `${c}${ZERO_WIDTH_SPACE}` : (HTML_ESCAPES[c] ?? ' '),
  );
}

/**
 * An inline code span holding `text` on one line: the fence is longer than any run of backticks
 * inside, so the text cannot close it, and nothing inside is rendered.
 */
export function code(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const line = showInvisible(text).replace(/[\s\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') || line.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${line === '' ? ' ' : line}${pad}${fence}`;
}

/** The most characters of one value from outside shown in a body (a name, a path, a filter). */
export const MAX_FIELD = 200;

/** A value from outside, capped at {@link MAX_FIELD}, in a code span. */
export function literal(value: string): string {
  return code(capText(value, MAX_FIELD));
}

/** A URL safe to put inside `[text](url)`, or undefined when it is not http(s). */
export function safeUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // Credentials in a label's URL are never repeated.
  url.username = '';
  url.password = '';
  // The URL parser has percent-encoded spaces already; parentheses it leaves, and they would end the link.
  return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** Percent-encodes each segment of a path for a URL. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
