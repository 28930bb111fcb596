/**
 * Text of ours rendered as GitHub-flavoured Markdown (`marked`; GitHub's own renderer differs in
 * details) and read back: for property tests that outside text brings no HTML into it.
 */
import { marked } from 'marked';

/**
 * Pieces of Markdown and HTML by which outside text could break out of ours (close a details
 * element, open a comment, code or a link, mention someone), which the property tests join at
 * random; each adds the pieces its own text is prone to.
 */
export const HOSTILE_PIECES = [
  '`</details>`',
  '</details>',
  '<img src=x>',
  '<!--',
  '-->',
  '`',
  '```',
  '\\',
  '\n',
  '|',
  '# ',
  '@a',
  '[a](',
  ')',
  'https://x.io/',
  'www.x.io',
  ' ',
  'a',
] as const;

/** `markdown` as HTML, followed by a paragraph `AFTER` that {@link ENDS_WITH_AFTER} finds if nothing swallowed it. */
export function renderedWithAfter(markdown: string): string {
  return marked.parse(`${markdown}\n\nAFTER`, { gfm: true, async: false });
}

/** The `AFTER` paragraph of {@link renderedWithAfter}, last and a paragraph of its own. */
export const ENDS_WITH_AFTER = /<p>AFTER<\/p>\s*$/;

/** `html` without the elements named (`code|pre`), content and all. */
export function withoutElements(html: string, elements: string): string {
  return html.replace(new RegExp(`<(${elements})\\b[^>]*>[\\s\\S]*?</\\1>`, 'g'), '');
}

/** True when every `<details>` of `html` is closed, and no `</details>` closes one it did not open. */
export function detailsCloseWhereOpened(html: string): boolean {
  let depth = 0;
  for (const tag of html.match(/<\/?details>/g) ?? []) {
    depth += tag === '<details>' ? 1 : -1;
    if (depth < 0) return false;
  }
  return depth === 0;
}
