/**
 * JSON a registry sent (tag lists, manifests, image configs, token and error bodies), or the digest
 * cache file (which whoever can write the repository's Actions cache can craft), parsed only when
 * it nests no deeper than {@link MAX_JSON_DEPTH}. Pure.
 *
 * Why: `JSON.parse` builds every level of `[[[[...]]]]`. A 32 MiB body of them (inside the body
 * cap) took 8 s of blocked event loop and about 1 GB, per body: 40 such image configs held a run
 * for its whole 5-minute repository deadline at 4.1 GB. Nothing a registry legitimately sends
 * nests more than a handful of levels (an image config's `config.Labels` is 3), and counting the
 * levels first is one pass over the text, 20 ms for 32 MiB.
 */

/** Deepest nesting of arrays and objects parsed. */
export const MAX_JSON_DEPTH = 64;

/** A registry's JSON that nests deeper than {@link MAX_JSON_DEPTH}: never parsed. */
export class TooDeepJsonError extends SyntaxError {
  constructor() {
    super(`it nests deeper than ${MAX_JSON_DEPTH} levels`);
    this.name = 'TooDeepJsonError';
  }
}

/**
 * `JSON.parse(text)`, refusing text that nests deeper than {@link MAX_JSON_DEPTH} with a
 * {@link TooDeepJsonError} (a SyntaxError, as callers expect of text that is not usable JSON).
 */
export function parseRegistryJson(text: string): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new TooDeepJsonError();
  return JSON.parse(text) as unknown;
}

/** Whether brackets and braces outside strings nest deeper than `max`. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/** What is wrong with text {@link parseRegistryJson} refused: `is not JSON`, or how it nests. */
export function unreadableJson(error: unknown): string {
  return error instanceof TooDeepJsonError
    ? `nests deeper than ${MAX_JSON_DEPTH} levels; not read`
    : 'is not JSON';
}

/**
 * Whether parsed JSON is an object (not an array, not `null`): what every body a registry sends
 * is (a tag list, a token, a manifest). Anything else is a body of another kind, and reading a
 * field of it would be reading `null.tags`.
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What kind of JSON value `value` is, for a message (`JSON null`, `a JSON array`): never the value
 * itself, which is the registry's text and may be anything.
 */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'JSON null';
  if (Array.isArray(value)) return 'a JSON array';
  if (typeof value === 'boolean') return `JSON ${String(value)}`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'object')
    return `a JSON ${typeof value}`;
  return 'not JSON';
}

/**
 * The distribution spec's words in an error body: the first of its `errors`, code and message
 * (`DENIED requested access to the resource is denied`); '' when there are none. Only strings: a
 * code or message that is an object says nothing as text. The caller redacts and shortens it.
 */
export function registryErrorWords(body: unknown): string {
  const errors = isJsonObject(body) && Array.isArray(body.errors) ? (body.errors as unknown[]) : [];
  const first = errors[0];
  return isJsonObject(first) ? [jsonText(first.code), jsonText(first.message)].filter(Boolean).join(' ') : '';
}

/** A JSON value as text when it is a string, trimmed; '' otherwise. */
export function jsonText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
