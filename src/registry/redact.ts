/**
 * Redaction of registry-originated text (error bodies, messages, labels) before it is shown: a
 * registry may echo the request's `Authorization` header, a token or a password in its answer, and
 * that text reaches problems, annotations, the job summary and pull request bodies. Pure.
 *
 * Known secrets are removed in every form a registry could echo them:
 *
 *   raw                       s3cret-Pa55
 *   base64 / base64url        czNjcmV0LVBhNTU=   (also inside `Basic base64(user:s3cret-Pa55)`,
 *                                                 at any of the three byte alignments)
 *   URL / form encoded        s3cret%2FPa55, s3cret+Pa55
 *   JSON-escaped              s3cret\"Pa55
 *   any other escape, mixed   s3cret%2fPa55, s3cret\u002FPa55, s3cret&#47;Pa55 (unescaped-text.ts)
 *   split across lines        czNjcmV0\n  LVBhNTU=
 *   split by white space      czNjcmV0 LVBhNTU=  (a header folded across lines arrives so)
 *   hex                       73336372...
 *
 * and, whatever the secret, these generic shapes:
 *
 *   Bearer eyJhbGciOi...   Basic dGVzdGVyOnNlY3JldA==        (any Authorization value)
 *   "token": "...", access_token=..., password=...            (token-like fields)
 *   eyJ....eyJ....sig                                          (a JWT anywhere)
 *   https://user:pw@host/                                      (URL userinfo)
 */

import { unescapeText, type UnescapedText } from './unescaped-text.js';

/** What replaces a secret. */
export const REDACTED = '***';

/** Secrets shorter than this are not redacted: removing every "ab" from a text hides nothing. */
const MIN_SECRET_LENGTH = 4;
/** Encoded fragments shorter than this are too likely to occur by chance. */
const MIN_FORM_LENGTH = 6;

/** `scheme://user:password@` (up to the last `@` before the path, as URL parsers read it). */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s?#]+@/gi;

const GENERIC_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // An Authorization value: scheme, then the credentials (token68 or anything up to a quote/space).
  [/\b(Bearer|Basic)(\s+)(?!realm=)[^\s"',;]+/gi, `$1$2${REDACTED}`],
  // Token-like JSON fields and query/form parameters.
  [
    /("(?:token|access_token|refresh_token|id_token|identitytoken|registrytoken|password|secret|auth)"\s*:\s*")(?:[^"\\]|\\.)*(")/gi,
    `$1${REDACTED}$2`,
  ],
  [
    /\b((?:token|access_token|refresh_token|id_token|password|secret|client_secret)=)[^&\s"']+/gi,
    `$1${REDACTED}`,
  ],
  // A JWT (header.payload.signature, base64url).
  [/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, REDACTED],
  // URL userinfo: scheme://user:password@host or scheme://user@host.
  [USERINFO, `$1${REDACTED}@`],
];

/**
 * The substrings of the base64 encodings of any text containing `secret`, one per byte alignment:
 * the characters that depend on the secret's bytes alone (the first and last characters of an
 * unaligned encoding mix in neighbouring bytes).
 */
export function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  // With k bytes before the secret in its 3-byte group, the first ceil(4k/3) characters mix them in.
  for (const [k, skip] of [
    [0, 0],
    [1, 2],
    [2, 3],
  ] as const) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    // A trailing partial group's last character mixes in the byte after the secret.
    const end = (k + bytes.length) % 3 === 0 ? encoded.length : encoded.length - 1;
    cores.push(encoded.slice(skip, end));
  }
  return cores;
}

/** Every form of `secret` that {@link SecretRedactor} removes, longest first. */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([secret]);
  for (const core of base64Cores(secret)) {
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  // Host names are lower-cased by URL parsing: a secret a registry put in one reads so.
  forms.add(secret.toLowerCase());
  forms.add(encodeURIComponent(secret));
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  forms.add(JSON.stringify(secret).slice(1, -1));
  // Form-encoded with its escapes undone (as the redactor also reads a text): spaces stay `+`.
  forms.add(secret.replace(/ /g, '+'));
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  forms.add(hex).add(hex.toUpperCase());
  return [...forms]
    .filter((f) => f === secret || f.length >= MIN_FORM_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/** Forms sharing a prefix, by length; `lengths` longest first. */
interface FormBucket {
  byLength: Map<number, Set<string>>;
  lengths: number[];
}

/** Removes known secrets (in all their forms) and generic credential shapes from text. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  /**
   * Forms by their first {@link MIN_SECRET_LENGTH} characters, then by length: at each position of
   * a text, one lookup, and then one set lookup per distinct length in that bucket, however many
   * secrets a run masks (a token per repository, JWTs all starting `eyJh`).
   */
  private readonly byPrefix = new Map<string, FormBucket>();
  private longest = 0;

  /** Adds a secret to remove from now on. */
  add(secret: string | undefined): void {
    if (!secret || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    for (const form of secretForms(secret)) {
      const prefix = form.slice(0, MIN_SECRET_LENGTH);
      let bucket = this.byPrefix.get(prefix);
      if (!bucket) {
        bucket = { byLength: new Map(), lengths: [] };
        this.byPrefix.set(prefix, bucket);
      }
      let forms = bucket.byLength.get(form.length);
      if (!forms) {
        forms = new Set();
        bucket.byLength.set(form.length, forms);
        bucket.lengths = [...bucket.byLength.keys()].sort((a, b) => b - a);
      }
      forms.add(form);
      this.longest = Math.max(this.longest, form.length);
    }
  }

  /** The longest form of any known secret (how far a secret may straddle a cut). */
  get longestForm(): number {
    return this.longest;
  }

  /** The text without secrets: the known ones in every form, and the generic shapes. */
  redact(text: string): string {
    let out = this.removeKnown(text);
    for (const [pattern, replacement] of GENERIC_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /**
   * The text without the known secrets, in every form, but with the generic shapes kept: for
   * text whose own words may read like one (GitHub's "Basic authentication is not supported").
   */
  removeKnown(text: string): string {
    // Found as written, and in the text with its escapes undone and its line breaks taken out
    // (unescaped-text.ts): a secret echoed as S3cr%2ft, S3cr\/t, S3cr\u002ft, S3cr&#47;t, or
    // split across lines, in any mix, is removed where it stands.
    const found: Array<[number, number]> = this.byPrefix.size > 0 ? this.find(text) : [];
    if (this.byPrefix.size > 0 && /[%\\&\s]/.test(text)) {
      const view = unescapeText(text);
      for (const [start, end] of this.find(view.text)) found.push([view.starts[start], view.ends[end - 1]]);
      // And with its white space taken out: a header folded across lines (obs-fold), which undici
      // joins with a space, splits a secret so (a Warning holding `Basic dXNl` `cjpw...`).
      // Forms as short as a raw secret of 4 or 5 characters are not looked for across words.
      const squeezed = withoutWhiteSpace(view);
      for (const [start, end] of this.find(squeezed.text, MIN_FORM_LENGTH))
        found.push([squeezed.starts[start], squeezed.ends[end - 1]]);
    }
    found.sort((a, b) => a[0] - b[0]);
    let out = '';
    let copied = 0;
    for (const [start, end] of found) {
      if (end <= copied) continue;
      if (start >= copied) out += text.slice(copied, start) + REDACTED;
      copied = end;
    }
    out += text.slice(copied);
    return out;
  }

  /**
   * True when `text` holds a form of a known secret as it is written (no escapes undone): for a
   * registry's tag names, whose characters ([A-Za-z0-9_.-]) hold no escape, and which cannot be
   * shown or written with a secret taken out.
   */
  holdsSecret(text: string): boolean {
    return this.byPrefix.size > 0 && this.find(text).length > 0;
  }

  /**
   * Where the forms of known secrets (of at least `minLength` characters) stand in `text`, as
   * [start, end) ranges, left to right.
   */
  private find(text: string, minLength = 0): Array<[number, number]> {
    const found: Array<[number, number]> = [];
    for (let i = 0; i + MIN_SECRET_LENGTH <= text.length;) {
      const bucket = this.byPrefix.get(text.slice(i, i + MIN_SECRET_LENGTH));
      const length = bucket?.lengths.find(
        (n) => n >= minLength && i + n <= text.length && bucket.byLength.get(n)!.has(text.slice(i, i + n)),
      );
      if (length === undefined) {
        i += 1;
        continue;
      }
      found.push([i, i + length]);
      i += length;
    }
    return found;
  }

  /**
   * The text redacted, then cut to `max` characters (with an ellipsis). Redacting before cutting,
   * over a window longer than any secret's form, so no cut leaves half a secret readable.
   */
  redactAndTruncate(text: string, max: number): string {
    const window = text.slice(0, max + this.longestForm + 256);
    const clean = this.redact(window);
    return clean.length > max || window.length < text.length ? `${clean.slice(0, max)}…` : clean;
  }
}

/** `view` without its white space, each unit still mapped to where it stands in the text. */
function withoutWhiteSpace(view: UnescapedText): UnescapedText {
  const squeezed: UnescapedText = { text: '', starts: [], ends: [] };
  const kept: string[] = [];
  for (let i = 0; i < view.text.length; i += 1) {
    if (/\s/.test(view.text[i])) continue;
    kept.push(view.text[i]);
    squeezed.starts.push(view.starts[i]);
    squeezed.ends.push(view.ends[i]);
  }
  squeezed.text = kept.join('');
  return squeezed;
}

/** A URL (or a line containing URLs) with any `user:password@` replaced. */
export function redactUserinfo(text: string): string {
  return text.replace(USERINFO, `$1${REDACTED}@`);
}
