/**
 * A text as it reads with the escapes servers write undone and line breaks taken out, each of its
 * characters mapped back to where it stands in the text: what redact.ts searches for secrets, so
 * a secret echoed in any of these forms, or in several at once, is found where it was written.
 * Pure.
 *
 *   %2f %2F %C3%A9            percent-encoding, either case, UTF-8 (Go's QueryEscape encodes `!`)
 *   \/ \" \\ \' \u0026         JSON and JavaScript escapes (Go's encoding/json writes & as \u0026)
 *   &#64; &#x40; &amp; &lt;    HTML character references (an error page)
 *   line breaks                a secret split across lines (base64 wrapped at 76 columns): raw
 *                              CR and LF, escaped \r and \n (or %0A, \u000a, &#10;), and the
 *                              indent after them
 */

/** The unescaped text, and for each of its UTF-16 units the range of the text it came from. */
export interface UnescapedText {
  text: string;
  /** Where each unit's source starts in the original text. */
  starts: number[];
  /** Where each unit's source ends (exclusive) in the original text. */
  ends: number[];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '/': '/', '"': '"', '\\': '\\', "'": "'" };
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** Undoes the escapes of `text`; see the module comment. */
export function unescapeText(text: string): UnescapedText {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (units: string, start: number, end: number): void => {
    for (const unit of units) {
      // A code point above U+FFFF is two units, each standing for the whole source.
      for (let k = 0; k < unit.length; k += 1) {
        out.push(unit[k]);
        starts.push(start);
        ends.push(end);
      }
    }
  };
  let i = 0;
  let lineStart = false;
  while (i < text.length) {
    const c = text[i];
    const lineBreak = c === '\r' || c === '\n' ? 1 : c === '\\' && /[rn]/.test(text[i + 1] ?? '') ? 2 : 0;
    if (lineBreak > 0) {
      i += lineBreak;
      lineStart = true;
      continue;
    }
    const decoded =
      c === '%'
        ? percent(text, i)
        : c === '\\'
          ? backslash(text, i)
          : c === '&'
            ? reference(text, i)
            : undefined;
    const value = decoded?.value ?? c;
    const length = decoded?.length ?? 1;
    // An escaped line break (%0A, \u000a, &#10;) splits a secret as a raw one does: a wrapped
    // secret that was then URL-encoded (a label's URL, a query) is found too, indent and all.
    if (value === '\r' || value === '\n') {
      i += length;
      lineStart = true;
      continue;
    }
    if (lineStart && (value === ' ' || value === '\t')) {
      i += length;
      continue;
    }
    lineStart = false;
    emit(value, i, i + length);
    i += length;
  }
  return { text: out.join(''), starts, ends };
}

interface Decoded {
  value: string;
  /** Characters of the text it takes. */
  length: number;
}

/** `%HH`, or a UTF-8 sequence of them, at `i`. */
function percent(text: string, i: number): Decoded | undefined {
  const byteAt = (at: number): number | undefined =>
    text[at] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(at + 1, at + 3))
      ? Number.parseInt(text.slice(at + 1, at + 3), 16)
      : undefined;
  const lead = byteAt(i);
  if (lead === undefined) return undefined;
  if (lead < 0x80) return { value: String.fromCharCode(lead), length: 3 };
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  if (size === 0) return undefined;
  const bytes = [lead];
  for (let k = 1; k < size; k += 1) {
    const next = byteAt(i + 3 * k);
    if (next === undefined || (next & 0xc0) !== 0x80) return undefined;
    bytes.push(next);
  }
  try {
    return {
      value: new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes)),
      length: 3 * size,
    };
  } catch {
    return undefined;
  }
}

/** `\/`, `\"`, `\\`, `\'` or `\uHHHH` at `i`. */
function backslash(text: string, i: number): Decoded | undefined {
  const next = text[i + 1] ?? '';
  if (Object.hasOwn(SIMPLE_ESCAPES, next)) return { value: SIMPLE_ESCAPES[next], length: 2 };
  const hex = text.slice(i + 2, i + 6);
  return next === 'u' && /^[0-9a-fA-F]{4}$/.test(hex)
    ? { value: String.fromCharCode(Number.parseInt(hex, 16)), length: 6 }
    : undefined;
}

/** `&#NN;`, `&#xHH;` or a named reference of {@link NAMED_REFERENCES} at `i`. */
function reference(text: string, i: number): Decoded | undefined {
  const match = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-z]{2,4}));/.exec(text.slice(i, i + 12));
  if (!match) return undefined;
  const [whole, decimal, hex, name] = match;
  if (name !== undefined) {
    return Object.hasOwn(NAMED_REFERENCES, name)
      ? { value: NAMED_REFERENCES[name], length: whole.length }
      : undefined;
  }
  const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex, 16);
  return code > 0x10ffff ? undefined : { value: String.fromCodePoint(code), length: whole.length };
}
