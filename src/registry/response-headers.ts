/**
 * A response's headers, read as the WHATWG `Headers` of `fetch` reads them, built straight from
 * undici's raw header list:
 *
 * - names are case-insensitive;
 * - a value loses its leading and trailing HTTP whitespace (undici's parser keeps the trailing);
 * - a name sent several times (`www-authenticate`, `link`) reads as its values joined by `, `, in
 *   the order they came;
 * - a name not sent reads as `null`, whatever it is called (`constructor`, `__proto__`).
 *
 * Not a `Headers`: building one per response cost a registry request 3-4 us of CPU for its checks
 * of every name and value (undici's parser has already checked them), and the first one of a run
 * loads Node's internal copy of undici, the one behind its `fetch` (50-65 ms of CPU on this
 * project's machine: `node -e` with one `new Headers()`, five runs).
 */

/** HTTP whitespace at either end of a value (Fetch standard: tab, LF, CR, space). */
const SURROUNDING_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** Whether a value begins or ends with HTTP whitespace (cheaper than the regular expression). */
function hasSurroundingWhitespace(value: string): boolean {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return (
    first === 0x20 ||
    first === 0x09 ||
    first === 0x0a ||
    first === 0x0d ||
    last === 0x20 ||
    last === 0x09 ||
    last === 0x0a ||
    last === 0x0d
  );
}

/** A response's headers; see the module comment. */
export class ResponseHeaders {
  /** Values by lower-case name; no prototype, so no name reads as an inherited property. */
  private readonly values: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;

  /** Headers from `[name, value]` pairs in the order they came. */
  constructor(pairs: Iterable<readonly [string, string]> = []) {
    for (const [name, value] of pairs) this.append(name, value);
  }

  /**
   * Headers from undici's raw list (`[name, value, name, value, ...]`): names in latin1, values
   * in UTF-8, as undici's own `request` reads them.
   */
  static fromRaw(raw: ReadonlyArray<Buffer | string>): ResponseHeaders {
    const headers = new ResponseHeaders();
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!;
      const value = raw[i + 1]!;
      headers.append(
        typeof name === 'string' ? name : name.toString('latin1'),
        typeof value === 'string' ? value : value.toString('utf8'),
      );
    }
    return headers;
  }

  /** Adds a value of `name`, after any it already has. */
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const normalised = hasSurroundingWhitespace(value) ? value.replace(SURROUNDING_WHITESPACE, '') : value;
    const known = this.values[key];
    if (known === undefined) this.values[key] = normalised;
    else if (typeof known === 'string') this.values[key] = [known, normalised];
    else known.push(normalised);
  }

  /** The value of `name` (several joined by `, `), or `null` when it was not sent. */
  get(name: string): string | null {
    const value = this.values[name.toLowerCase()];
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }
}
