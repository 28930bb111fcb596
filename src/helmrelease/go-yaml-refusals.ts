/**
 * Text that gopkg.in/yaml.v2 (Flux v1) refuses and the `yaml` package reads. Each kind was observed
 * from yaml.v2 2.4.0 (scripts/go-yaml, pinned in go-yaml-fidelity.test.ts); Flux v1's ParseMultidoc
 * then refused the whole file ("scanning multidoc: yaml: ..."), so a release in such a document was
 * never updated by Flux and must not be here either. Pure.
 *
 *   a tab starting a line      in block context, a line whose first character after its spaces is
 *                              a tab ("found character that cannot start any token"), unless
 *     `    \t`                 - the line is inside a flow collection or a quoted scalar;
 *                              - it follows a plain scalar and the tab is past the scalar's block
 *                                (column > the enclosing map's or list's column; else "found a tab
 *                                character that violates indentation");
 *                              - it is inside a block scalar whose indentation is known and the tab
 *                                is at or past it (else "found a tab character where an indentation
 *                                space is expected"; before the first content line, always)
 *   control characters         anywhere, comments and quotes too: U+0000-0008, 000B, 000C,
 *                              000E-001F, 007F-0084, 0086-009F, FFFE, FFFF ("control characters are
 *                              not allowed"); tab, line breaks and NEL are allowed
 *   directives                 `%YAML` other than 1.1 ("found incompatible YAML document"; the
 *     `%YAML 1.2`              numbers are read as numbers: `1.01` is 1.1, `1.10` is not), a second
 *                              `%YAML` before one document, a name other than YAML or TAG
 *   `...` then content         after a document end marker, only `---`, a directive, another `...`
 *                              or the end of the file may follow ("did not find expected <document
 *                              start>"); a `...` before any document is refused too
 *   escapes                    in double quotes, `\/` and a UTF-16 surrogate, alone or in a
 *     `"https:\/\/x"`          JSON-style pair (`\ud83d\ude80`): "found unknown escape character",
 *                              "found invalid Unicode character escape code"
 *   tag handles                a handle only an earlier document's `%TAG` line declares ("found
 *     `!e!foo`                 undefined tag handle": yaml.v2 applies a `%TAG` to one document)
 *
 * A cheap test of the whole text comes first (a character class, `indexOf`s), so a file with none
 * of them costs that and nothing else (issue 17). A refusal becomes an error of the document
 * whose text holds it (one between documents: of the document after it), which scan-file.ts reports
 * as it reports a syntax error: a HelmRelease is held, another document warned about.
 *
 * This file holds the pre-check, the control characters and the placing of each refusal; tab lines
 * are found in go-yaml-tab-refusals.ts, directives and `...` in go-yaml-marker-refusals.ts, escapes
 * in go-yaml-escape-refusals.ts, inherited tag handles in go-yaml-handle-refusals.ts, and the
 * documents' shares of the text in go-yaml-shares.ts.
 */
import { YAMLParseError, type Document, type LineCounter } from 'yaml';

import { escapeRefusals, MAYBE_REFUSED_ESCAPE } from './go-yaml-escape-refusals.js';
import { handleRefusals } from './go-yaml-handle-refusals.js';
import { markerRefusals } from './go-yaml-marker-refusals.js';
import { lineAt, shareAt, sharesOf, type Refusal, type Share } from './go-yaml-shares.js';
import { tabRefusals } from './go-yaml-tab-refusals.js';

export type { Refusal } from './go-yaml-shares.js';

// The characters yaml.v2's reader refuses (readerc.go: it allows tab, LF, CR, 0x20-0x7E, NEL,
// 0xA0-0xD7FF, 0xE000-0xFFFD and beyond 0xFFFF). Lone surrogates cannot come from UTF-8 text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex
const ANY_CONTROL_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;
const TAB_FIRST = /^ *\t/m;

/** The control characters yaml.v2 refuses, at most one per share, in text order. */
function controlRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
  const found: Refusal[] = [];
  CONTROL_CHARACTERS.lastIndex = 0;
  for (let m = CONTROL_CHARACTERS.exec(text); m; m = CONTROL_CHARACTERS.exec(text)) {
    const part = shareAt(parts, m.index);
    if (!part) continue;
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    found.push({
      pos: m.index,
      code: 'UNEXPECTED_TOKEN',
      message:
        `line ${lineAt(lines, m.index)} holds the control character U+${code}, which Flux v1 (yaml.v2) cannot read anywhere ` +
        `in a file, comments and quotes too: remove it, or write it as "\\u${code}" inside double quotes`,
    });
    // The document is refused: on to the next one.
    CONTROL_CHARACTERS.lastIndex = part.end;
  }
  return found;
}

/**
 * Adds to each parsed document (in place) the first thing yaml.v2 refuses in its share of `text`
 * (the prepared text it was parsed from; see {@link sharesOf}) as a YAMLParseError, in position
 * order among its errors. Returns after a cheap test when the text holds none of the six kinds.
 */
export function addGoYamlRefusals(
  text: string,
  docs: readonly (Document | undefined)[],
  lines: LineCounter,
): void {
  // The pre-check (issue 17): three passes that find nothing in most files, measured cheaper than one
  // regex of the three alternatives (4.5 against 6.6 ms over the bench's 1.6 M characters of HelmRelease files).
  // The escapes' regex runs only on a text with a backslash, which few are.
  const control = ANY_CONTROL_CHARACTER.test(text);
  const tabs = text.includes('\t') && TAB_FIRST.test(text);
  const markers = text[0] === '%' || text.startsWith('...') || text.includes('\n%') || text.includes('\n...');
  const escapes = text.includes('\\') && MAYBE_REFUSED_ESCAPE.test(text);
  if (!control && !tabs && !markers && !escapes) return;
  const parts = sharesOf(docs, text.length);
  if (parts.length === 0) return;
  const refusals = [
    ...(control ? controlRefusals(text, lines, parts) : []),
    ...(markers ? markerRefusals(text, lines, parts) : []),
    ...(tabs ? tabRefusals(text, lines, parts) : []),
    ...(escapes ? escapeRefusals(text, lines, parts) : []),
    ...(markers && text.includes('%TAG') ? handleRefusals(text, lines, parts) : []),
  ].sort((a, b) => a.pos - b.pos);
  let next = 0;
  for (const { doc, start, end } of parts) {
    while (next < refusals.length && refusals[next].pos < start) next += 1;
    if (next >= refusals.length || refusals[next].pos >= end) continue;
    const first = refusals[next];
    const error = new YAMLParseError([first.pos, first.pos + 1], first.code, first.message);
    // Before the parser's own error at the same place: its advice says how to fix it for Flux v1.
    const at = doc.errors.findIndex((e) => e.pos[0] >= first.pos);
    doc.errors.splice(at === -1 ? doc.errors.length : at, 0, error);
  }
}
