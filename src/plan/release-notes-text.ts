/**
 * Release notes of an image's source repository, as the pull request body shows them: one
 * collapsed `<details>` per release, sanitised and capped. Pure; `src/github/release-notes.ts`
 * fetches them.
 *
 * Sanitising (the notes are another repository's text, shown in ours):
 * - no HTML but `<br>` after text: every other `<` outside code is escaped, so nothing can close
 *   our `<details>`;
 *   comments (`<!-- … -->`, which GitHub's generated notes start with) are left out, as GitHub's
 *   release page shows nothing of them, and one left open ends at the end of that release's notes;
 *   code stays where it was read: a backtick that would pair with one on a later line is escaped,
 *   and a `<`, `@` or `#` in a code span gets a zero-width space, in case what comes before takes
 *   the span's backticks;
 * - no mentions: `@name` gets a zero-width space, so nobody is pinged by our pull request;
 * - issue references only into the source repository: `#12` becomes a link to the source's issue
 *   12 (it would otherwise link our own issue 12), `other/repo#12` and `GH-12` are not linked,
 *   and github.com links go through `redirect.github.com`, so the source's issues get no
 *   "mentioned this pull request" backlinks (what Renovate and Dependabot do);
 * - headings are made small (a `===` or `---` line under text is one too), and a code fence left
 *   open is closed.
 */
import { capText, escapeHtml, safeUrl, ZERO_WIDTH_SPACE, ZERO_WIDTH_SPACE_CHARACTER } from './markdown.js';
import type { Update } from './types.js';

/** One release of the source repository. */
export interface ReleaseEntry {
  /** The git tag (`v4.0.4`). */
  tag: string;
  /** The release's title (may be empty). */
  name: string;
  /** The release's page. */
  url: string;
  /** The release's notes (Markdown, as written; sanitised when rendered). */
  body: string;
}

/** What is known about the releases between two tags of a github.com source repository. */
export interface ReleaseNotes {
  /** `https://github.com/owner/repo`. */
  repositoryUrl: string;
  /** The releases after `from` up to and including `to`, newest first. */
  releases: ReleaseEntry[];
  /** How many more releases are in that range than `releases` holds. */
  more: number;
  /** `…/compare/<from>...<to>`, when both tags exist in the repository. */
  compareUrl?: string;
  /** Why the releases could not be read, when they could not. */
  problem?: string;
}

/**
 * Reads the release notes of a group's updates, by {@link releaseNotesKey}. Never rejects: what
 * could not be read is a `problem` in the notes, so no pull request waits on a release page.
 */
export type ReleaseNotesSource = (updates: readonly Update[]) => Promise<ReadonlyMap<string, ReleaseNotes>>;

/** The key of the notes for one source and tag change. */
export function releaseNotesKey(source: string, from: string, to: string): string {
  return `${source}\n${from}\n${to}`;
}

/** The most characters of one release's notes. */
export const MAX_RELEASE_BODY = 3000;
/** The most releases shown for one tag change. */
export const MAX_RELEASES = 8;
/** The most characters of one release's notes after sanitising. */
const MAX_SANITIZED_BODY = 2 * MAX_RELEASE_BODY;
/** The most characters of a release's title. */
const MAX_RELEASE_NAME = 120;

/** `https://github.com/owner/repo` → `owner/repo`, or undefined for other URLs. */
export function githubRepository(url: string): { owner: string; repo: string } | undefined {
  const safe = safeUrl(url);
  if (!safe) return undefined;
  const parsed = new URL(safe);
  if (parsed.hostname !== 'github.com' && parsed.hostname !== 'www.github.com') return undefined;
  // Not decoded: an owner or repository name never needs percent-encoding, so one that has it is refused.
  const [owner, repo] = parsed.pathname.split('/').filter((p) => p !== '');
  if (!owner || !repo) return undefined;
  const name = repo.replace(/\.git$/, '');
  const valid = /^[A-Za-z0-9-]{1,39}$/.test(owner) && /^[A-Za-z0-9._-]{1,100}$/.test(name);
  return valid ? { owner, repo: name } : undefined;
}

/**
 * A fence line: up to three spaces, then three or more backticks or tildes. `s`: a line may hold
 * U+2028 or U+2029, which are no line ends in Markdown, and the fence is still one.
 */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)/s;
/**
 * An ATX heading of level 1 to 3, after the markers of the block quotes and list items it is in:
 * `$1` is those markers.
 */
const BIG_HEADING = /^((?: {0,3}(?:>[ \t]?|[-*+][ \t]{1,4}|\d{1,9}[.)][ \t]{1,4}))*) {0,3}#{1,3}(?=\s|$)/;
/** A setext heading's underline (CommonMark 4.3). */
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const COMMENT_START = '<!--';
const COMMENT_END = '-->';

/**
 * `line` without its HTML comments outside code spans; a comment that does not end on the line
 * takes the rest of it and sets `comment.open`. `<!-->` and `<!--->` are whole comments, as
 * CommonMark 0.31 reads them. The text on both sides of a comment is joined before it is
 * sanitised, so a comment cannot split a mention or a link away from the rules.
 */
function withoutComments(line: string, comment: { open: boolean }): string {
  let out = '';
  for (let i = 0; i < line.length;) {
    const c = line[i]!;
    if (c === '\\' || c === '`') {
      // A backslash escape, or a code span (or an unclosed run of backticks): kept as it is.
      const end = c === '\\' ? i + 2 : codeSpanAt(line, i).end;
      out += line.slice(i, end);
      i = end;
      continue;
    }
    if (c !== '<' || !line.startsWith(COMMENT_START, i)) {
      out += c;
      i++;
      continue;
    }
    const body = i + COMMENT_START.length;
    const empty = line.startsWith('>', body) ? 1 : line.startsWith('->', body) ? 2 : 0;
    if (empty > 0) {
      i = body + empty;
      continue;
    }
    const end = line.indexOf(COMMENT_END, body);
    if (end === -1) {
      comment.open = true;
      return out;
    }
    i = end + COMMENT_END.length;
  }
  return out;
}

/** The fence `line` opens, or undefined (a backtick fence's info string holds no backtick, CommonMark 4.5). */
function fenceOpening(line: string): RegExpExecArray | undefined {
  const match = FENCE.exec(line);
  return match && !(match[1]![0] === '`' && match[2]!.includes('`')) ? match : undefined;
}

/**
 * Sanitises one release's notes for our body (see the module header), cut to
 * {@link MAX_RELEASE_BODY} characters at a line end.
 */
export function sanitizeReleaseBody(body: string, source: { owner: string; repo: string }): string {
  let text = body.replace(/\r\n?/g, '\n');
  let cut = false;
  if (text.length > MAX_RELEASE_BODY) {
    const end = text.lastIndexOf('\n', MAX_RELEASE_BODY);
    text = text.slice(0, end > MAX_RELEASE_BODY / 2 ? end : MAX_RELEASE_BODY);
    cut = true;
  }
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  const comment = { open: false };
  for (const whole of text.split('\n')) {
    let line = whole;
    if (comment.open) {
      const end = line.indexOf(COMMENT_END);
      if (end === -1) continue;
      line = line.slice(end + COMMENT_END.length);
      comment.open = false;
    }
    if (fence) {
      const match = FENCE.exec(line);
      // A closing fence is followed by nothing but spaces and tabs (CommonMark 4.5: not a no-break
      // space or any other white space, which leave the fence open). It is written without them:
      // marked, unlike GitHub, keeps a fence open behind a tab, and what follows the notes would
      // render as code in it.
      if (
        match &&
        match[1]![0] === fence.char &&
        match[1]!.length >= fence.length &&
        /^[ \t]*$/.test(match[2]!)
      ) {
        out.push(line.slice(0, match[0].length - match[2]!.length));
        fence = undefined;
      } else {
        out.push(line);
      }
      continue;
    }
    // A line that is a fence only once a comment is left out is one all the same, so that every
    // fence this body opens is known, and closed below.
    let match = fenceOpening(line);
    if (!match) {
      line = withoutComments(line, comment);
      match = fenceOpening(line);
    }
    if (match) {
      fence = { char: match[1]![0]!, length: match[1]!.length };
      comment.open = false;
      const info = sanitizeInline(match[2]!.replace(/[<>&]/g, ''), source, false);
      // A space keeps an info string that now starts with the fence's character (`~~~>~~~`) from
      // making the fence longer than the one that closes it.
      out.push(`${match[1]}${info.startsWith(fence.char) ? ' ' : ''}${info}`);
      continue;
    }
    const sanitized = sanitizeInline(line, source, true).replace(BIG_HEADING, '$1####');
    // A `===` or `---` line under a line of text makes it a big heading: a blank line between
    // leaves the text a paragraph, and the line text or a rule.
    if (SETEXT_UNDERLINE.test(sanitized) && (out.at(-1) ?? '').trim() !== '') out.push('');
    out.push(sanitized);
  }
  if (fence) out.push(fence.char.repeat(fence.length));
  if (cut) out.push('', '…');
  // Leading blank lines go, but not the first line's indentation: four spaces make a fence or a
  // heading line text (and it was read as text above); trimming them would revive it.
  return out
    .join('\n')
    .replace(/^\s*\n/, '')
    .trimEnd();
}

/**
 * Sanitises one line outside code blocks, leaving inline code spans as written. In a paragraph
 * (`inParagraph`) a run of backticks that closes no span on its line is escaped: Markdown would
 * pair it with a run on a later line, and the text between, read here as text and escaped, would
 * be code, while a span read here as code (`\`<b>\``) would lose a backtick to it and be HTML.
 */
function sanitizeInline(line: string, source: { owner: string; repo: string }, inParagraph: boolean): string {
  let out = '';
  let text = '';
  const flush = (): void => {
    out += sanitizeText(text, source);
    text = '';
  };
  for (let i = 0; i < line.length;) {
    const c = line[i]!;
    if (c === '\\') {
      // A backslash escape: the next character is literal (and `\`` opens no code span).
      text += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      text += c;
      i++;
      continue;
    }
    const { end, closed } = codeSpanAt(line, i);
    if (!closed) {
      text += inParagraph ? '\\`'.repeat(end - i) : line.slice(i, end);
      i = end;
      continue;
    }
    flush();
    // Inside a code span nothing is rendered: no HTML, no mention, no link. But what comes before
    // it may take its opening backticks: a bare URL runs on to the next space or `<` (GFM's
    // extended autolinks), a link's destination is any text (`[a](`), and the span's text is then
    // Markdown. So `<`, `@` and `#` in it get a zero-width space after them, which shows as
    // nothing in code and makes neither a tag, nor a mention, nor a reference anywhere else.
    out += line.slice(i, end).replace(/[<@#]/g, `$&${ZERO_WIDTH_SPACE_CHARACTER}`);
    i = end;
  }
  flush();
  return out;
}

/**
 * The code span that the run of backticks at `start` opens: where it ends, after its closing run;
 * or, when no run of the same length follows on the line, where the run itself ends (it is text).
 */
function codeSpanAt(line: string, start: number): { end: number; closed: boolean } {
  let run = 1;
  while (line[start + run] === '`') run++;
  for (let i = start + run; i < line.length;) {
    if (line[i] !== '`') {
      i++;
      continue;
    }
    let closing = 1;
    while (line[i + closing] === '`') closing++;
    if (closing === run) return { end: i + run, closed: true };
    i += closing;
  }
  return { end: start + run, closed: false };
}

/** Sanitises prose: entities and HTML, mentions, issue references, github.com links. */
function sanitizeText(text: string, source: { owner: string; repo: string }): string {
  const sourcePath = `${source.owner}/${source.repo}`;
  return (
    text
      // `&` first: an entity such as `&#64;` must not turn back into a mention.
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      // A line break, the one tag kept (notes use it in table cells), where it follows text: at the
      // start of a line or of a quote's text it would open an HTML block, and the lines after it
      // would be HTML too.
      .replace(/(?<=[^\s>])&lt;br ?\/?>/gi, '<br>')
      // `www.github.com/…` needs no scheme: GitHub links it all the same (a GFM autolink).
      .replace(/(?:https?:\/\/(?:www\.)?|\bwww\.)github\.com\//gi, 'https://redirect.github.com/')
      // Issue references before the mentions: the zero-width spaces written below hold a `#`.
      .replace(
        /(?<![&;\w\\])([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)?#(\d+)\b/g,
        (_whole, repo: string | undefined, n: string) => {
          if (repo === undefined || repo.toLowerCase() === sourcePath.toLowerCase()) {
            return `[${repo ?? ''}#${ZERO_WIDTH_SPACE}${n}](https://redirect.github.com/${sourcePath}/issues/${n})`;
          }
          return `${repo}#${ZERO_WIDTH_SPACE}${n}`;
        },
      )
      .replace(/@(?=[A-Za-z0-9_-])/g, `@${ZERO_WIDTH_SPACE}`)
      .replace(/\bGH-(?=\d)/gi, (m) => `${m}${ZERO_WIDTH_SPACE}`)
      // `\#12` shows `#12`, which GitHub would link to our own issue 12.
      .replace(/\\#(?=\d)/g, `\\#${ZERO_WIDTH_SPACE}`)
  );
}

/** A release's page, or the repository's when the URL is not a short http(s) one. */
function releaseLink(url: string, repositoryUrl: string): string {
  const safe = safeUrl(url);
  return safe && safe.length <= 500 ? safe : repositoryUrl;
}

/** The `<details>` blocks of the releases, newest first. */
export function renderReleases(notes: ReleaseNotes): string[] {
  const source = githubRepository(notes.repositoryUrl);
  if (!source) return [];
  const lines: string[] = [];
  for (const release of notes.releases.slice(0, MAX_RELEASES)) {
    const title =
      release.name.trim() && release.name.trim() !== release.tag ? ` · ${release.name.trim()}` : '';
    const body = sanitizeReleaseBody(release.body, source);
    // Sanitising can lengthen text (every `#12` becomes a link); such notes are linked instead.
    const shown =
      body === ''
        ? '_No notes._'
        : body.length > MAX_SANITIZED_BODY
          ? `_Too long to show here: see [the release](${releaseLink(release.url, notes.repositoryUrl)})._`
          : body;
    lines.push(
      `<details><summary>${escapeHtml(capText(`${release.tag}${title}`, MAX_RELEASE_NAME))}</summary>`,
      '',
      shown,
      '',
      '</details>',
      '',
    );
  }
  return lines;
}
