import { capText, code, encodePath, escapeHtml, escapeMarkdown, safeUrl } from '../../src/plan/markdown.js';

const ZWSP = '&#8203;';

describe('capText', () => {
  it.each<[string, string, number, string]>([
    ['text that fits is kept', 'abc', 3, 'abc'],
    ['shorter text is kept', 'ab', 3, 'ab'],
    ['a cut keeps max - 1 characters and marks the cut', 'abcdef', 4, 'abc…'],
    ['a cut to one character is the mark alone', 'abcdef', 1, '…'],
    ['a cut to nothing is still only the mark', 'abcdef', 0, '…'],
    ['a surrogate pair at the cut is dropped whole', 'ab😀cd', 4, 'ab…'],
    ['a surrogate pair before the cut is kept', 'a😀bcdef', 5, 'a😀b…'],
    ['a surrogate pair that fits whole is kept', 'ab😀cd', 5, 'ab😀…'],
  ])('%s', (_name, text, max, expected) => {
    expect(capText(text, max)).toBe(expected);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['plain text is kept', 'plain-1.2.3 ok', 'plain-1.2.3 ok'],
    ['an ampersand', 'a&b', 'a&amp;b'],
    ['an entity is not decoded', '&#64;x', `&amp;#${ZWSP}64;x`],
    ['HTML', '<b>x</b>', '&lt;b&gt;x&lt;/b&gt;'],
    ['a mention', '@octocat', `@${ZWSP}octocat`],
    ['an issue reference', '#12', `#${ZWSP}12`],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a backtick', 'a`b', 'a\\`b'],
    ['emphasis', '*a* _b_ ~c~', '\\*a\\* \\_b\\_ \\~c\\~'],
    ['a link', '[a](b)', '\\[a\\]\\(b\\)'],
    ['an image', '![a](b)', '\\!\\[a\\]\\(b\\)'],
    ['braces', '{a}', '\\{a\\}'],
    ['a table cell break', 'a|b', 'a\\|b'],
    ['every line break becomes one space', 'a\nb\r\nc\rd', 'a b c d'],
    ['several specials in a row', '**@#', `\\*\\*@${ZWSP}#${ZWSP}`],
    // GitHub links these in text: `GH-12` to our issue 12; a github.com issue's URL with a
    // "mentioned this" backlink on that issue, which the redirect does not leave.
    ['a GH- issue reference', 'GH-12 gh-3 PUSHGH-4 GH-x', `GH-${ZWSP}12 gh-${ZWSP}3 PUSHGH-4 GH-x`],
    [
      'a github.com URL goes through the redirect',
      'see https://github.com/o/r/issues/1 or HTTP://WWW.GitHub.com/o/r/pull/2',
      'see https://redirect.github.com/o/r/issues/1 or https://redirect.github.com/o/r/pull/2',
    ],
    ['a www.github.com address', 'www.github.com/o/r/pull/2', 'https://redirect.github.com/o/r/pull/2'],
    [
      'other hosts are kept',
      'https://example.com/a https://gist.github.com/x api.github.com/y',
      'https://example.com/a https://gist.github.com/x api.github.com/y',
    ],
    // Shown, not obeyed: a right-to-left override would turn the rest of the line around.
    ['a bidirectional override shows as its escape', 'a\u202eb\u202cc', 'a\\\\u202eb\\\\u202cc'],
    [
      'a bidirectional isolate and mark',
      '\u2067x\u2069\u200f\u061c',
      '\\\\u2067x\\\\u2069\\\\u200f\\\\u061c',
    ],
    [
      'a zero-width character shows as its escape',
      'chart\u200b-image\ufeff',
      'chart\\\\u200b-image\\\\ufeff',
    ],
  ])('%s: %j -> %j', (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it.each([
    ['plain text, Markdown characters included, is kept', 'a *b* [c](d) `e`', 'a *b* [c](d) `e`'],
    ['an ampersand', 'a&b', 'a&amp;b'],
    ['tags', '</summary><b>', '&lt;/summary&gt;&lt;b&gt;'],
    ['a double quote', 'say "hi"', 'say &quot;hi&quot;'],
    ['a mention and an issue reference', '@x #1', `@${ZWSP}x #${ZWSP}1`],
    ['a GH- issue reference', 'v1 (GH-12, gh-3, PUSHGH-4)', `v1 (GH-${ZWSP}12, gh-${ZWSP}3, PUSHGH-4)`],
    ['every line break becomes one space', 'a\nb\r\nc\rd', 'a b c d'],
    ['bidirectional and zero-width characters show as escapes', 'v1\u202e.0\u200d', 'v1\\u202e.0\\u200d'],
  ])('%s: %j -> %j', (_name, input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('code', () => {
  it.each([
    ['a plain identifier', 'bitnami/mongodb', '`bitnami/mongodb`'],
    ['nothing inside is rendered', '<b>@x #1</b>', '`<b>@x #1</b>`'],
    ['a backtick inside: a longer fence', 'a`b', '``a`b``'],
    ['the fence is longer than the longest run inside', 'a``b`c', '```a``b`c```'],
    ['a leading backtick is padded off the fence', '`a', '`` `a ``'],
    ['a trailing backtick is padded off the fence', 'a`', '`` a` ``'],
    ['a leading space is padded so it is not stripped', ' a', '`  a `'],
    ['a trailing space alone needs no padding', 'a ', '`a `'],
    ['empty text is a space', '', '` `'],
    ['line breaks and tabs become one space', 'a\r\n\tb\nc', '`a b c`'],
    [
      'control and separator characters become spaces',
      'a\u0000b\u001fc\u007fd\u2028e\u2029f',
      '`a b c d e f`',
    ],
    // A code span does not end a right-to-left override: the text after it would read backwards.
    [
      'bidirectional and zero-width characters show as escapes',
      'x\u202ey\u2066z\u200b',
      '`x\\u202ey\\u2066z\\u200b`',
    ],
  ])('%s: %j -> %j', (_name, input, expected) => {
    expect(code(input)).toBe(expected);
  });
});

describe('safeUrl', () => {
  it.each<[string, string, string | undefined]>([
    ['an https URL', 'https://example.com/a', 'https://example.com/a'],
    ['an http URL', 'http://example.com', 'http://example.com/'],
    ['surrounding white space is trimmed', '\u00a0https://example.com/a\n', 'https://example.com/a'],
    ['credentials are dropped', 'https://user:secret@example.com/a', 'https://example.com/a'],
    ['a user name alone is dropped', 'https://user@example.com/a', 'https://example.com/a'],
    ['parentheses cannot end the link', 'https://example.com/a(b)(c)', 'https://example.com/a%28b%29%28c%29'],
    ['spaces are encoded', 'https://example.com/a b?c d#e f', 'https://example.com/a%20b?c%20d#e%20f'],
    ['javascript: is refused', 'javascript:alert(1)', undefined],
    ['data: is refused', 'data:text/html,<b>x</b>', undefined],
    ['ftp: is refused', 'ftp://example.com/a', undefined],
    ['text that is no URL', 'not a url', undefined],
  ])('%s', (_name, input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });
});

describe('encodePath', () => {
  it.each([
    ['plain segments are kept', 'releases/mongodb.yaml', 'releases/mongodb.yaml'],
    [
      'each segment is percent-encoded, the slashes kept',
      'dir with space/a#b?.yaml',
      'dir%20with%20space/a%23b%3F.yaml',
    ],
    ['empty segments stay empty', '/a//b', '/a//b'],
  ])('%s', (_name, input, expected) => {
    expect(encodePath(input)).toBe(expected);
  });
});
