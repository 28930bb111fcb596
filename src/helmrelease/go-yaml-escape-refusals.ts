/**
 * Escapes in double-quoted scalars that yaml.v2 refuses and the `yaml` package reads (the fifth
 * kind in go-yaml-refusals.ts). yaml.v2 2.4.0's scanner (scannerc.go) knows `\0 \a \b \t \n \v \f
 * \r \e \  \" \' \\ \N \_ \L \P \xXX \uXXXX \UXXXXXXXX` and a `\` before a line break; the `yaml`
 * package also reads
 *
 *   `\/`                       JSON's escaped slash ("found unknown escape character")
 *   `\ud83d\ude80`             a UTF-16 surrogate, alone or in a JSON-style pair: yaml.v2 takes each
 *                              escape as one code point, and U+D800-DFFF is none ("found invalid
 *                              Unicode character escape code")
 *
 * (`\'` is the other way round: yaml.v2 reads it, the `yaml` package refuses it, which holds the
 * release as a syntax error.) Observed from yaml.v2 2.4.0 (scripts/go-yaml). Apart from
 * go-yaml-refusals.ts because it reads the documents' double-quoted scalars, escape by escape. Pure.
 */
import { visit, type Document, type LineCounter } from 'yaml';

import { lineAt, type Refusal, type Share } from './go-yaml-shares.js';

/**
 * The text a refused escape starts with: the whole-text pre-check, and where a document's quoted
 * scalars are looked at. `\\/` matches too (an escaped backslash before a slash); the scan of the
 * scalar, escape by escape, tells them apart.
 */
export const MAYBE_REFUSED_ESCAPE = /\\(?:\/|u[dD][89a-fA-F]|U0000[dD][89a-fA-F])/;

const SURROGATE = /^\\(?:u|U0000)([dD][89a-fA-F][0-9a-fA-F]{2})/;
const LOW_SURROGATE = /^\\(?:u|U0000)([dD][c-fC-F][0-9a-fA-F]{2})/;

/** Why yaml.v2 refuses the escape `source` starts with, and how long it is; undefined for one it reads. */
function refusedEscape(source: string): { length: number; what?: string } {
  if (source.startsWith('\\/')) {
    return { length: 2, what: 'the escape \\/, which Flux v1 (yaml.v2) does not know: write / alone' };
  }
  const length = source[1] === 'u' ? 6 : source[1] === 'U' ? 10 : 2;
  const high = SURROGATE.exec(source);
  if (!high) return { length };
  // A JSON-style pair: say which one escape yaml.v2 reads for the character.
  const low = LOW_SURROGATE.exec(source.slice(length));
  const [hi, lo] = [parseInt(high[1], 16), low ? parseInt(low[1], 16) : 0];
  if (!low || hi >= 0xdc00) {
    return {
      length,
      what:
        `the escape ${source.slice(0, length)}, a UTF-16 surrogate, which Flux v1 (yaml.v2) cannot read: ` +
        'write the character itself, or its code point as one \\U escape',
    };
  }
  const code = (hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
  const pair = source.slice(0, length) + low[0];
  return {
    length,
    what:
      `the escape ${pair}, a UTF-16 surrogate pair, which Flux v1 (yaml.v2) cannot read: write it as ` +
      `\\U${code.toString(16).toUpperCase().padStart(8, '0')}, or the character itself`,
  };
}

/** The offset and advice of the first escape yaml.v2 refuses in a double-quoted scalar's source. */
function firstRefusedEscape(source: string): { at: number; what: string } | undefined {
  for (let i = source.indexOf('\\'); i !== -1; i = source.indexOf('\\', i)) {
    const { length, what } = refusedEscape(source.slice(i, i + 22));
    if (what !== undefined) return { at: i, what };
    // Past the escape: `\\/` is a backslash, then a slash.
    i += length;
  }
  return undefined;
}

/** The double-quoted scalars of a document whose text may hold a refused escape, in text order. */
function suspectScalars(doc: Document, text: string): [number, number][] {
  const ranges: [number, number][] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== 'QUOTE_DOUBLE' || !node.range) return;
      const [start, end] = node.range;
      if (MAYBE_REFUSED_ESCAPE.test(text.slice(start, end))) ranges.push([start, end]);
    },
  });
  return ranges.sort((a, b) => a[0] - b[0]);
}

/** The first escape yaml.v2 refuses in each share's document, in text order. */
export function escapeRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
  const found: Refusal[] = [];
  for (const { doc, start, end } of parts) {
    // Only a share holding the pattern has its scalars looked at.
    if (!MAYBE_REFUSED_ESCAPE.test(text.slice(start, end))) continue;
    for (const [from, to] of suspectScalars(doc, text)) {
      const refused = firstRefusedEscape(text.slice(from, to));
      if (!refused) continue;
      const pos = from + refused.at;
      found.push({
        pos,
        code: 'BAD_DQ_ESCAPE',
        message: `line ${lineAt(lines, pos)} holds ${refused.what}`,
      });
      break;
    }
  }
  return found;
}
