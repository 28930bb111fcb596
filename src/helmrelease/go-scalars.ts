/**
 * Plain YAML scalars typed exactly as Flux v1 typed them: gopkg.in/yaml.v2 v2.4.0's `resolve()`
 * (`resolve.go`), then ghodss/yaml's conversion to JSON (`convertToJSONableObject`), which Flux
 * used to read HelmReleases (`resource.go` `unmarshalKind`). Pure.
 *
 * yaml.v2's rules, by the first character of the scalar (anything else is a string):
 *
 *   ""  ~  null Null NULL                               -> null
 *   y Y yes Yes YES true True TRUE on On ON             -> bool true
 *   n N no No NO false False FALSE off Off OFF          -> bool false
 *   .inf .Inf .INF +.inf ... -.inf ...  .nan .NaN .NAN  -> float (infinite / NaN)
 *   starts with "."   Go ParseFloat: .5  .5e3           -> float   (`.`, `.e1`, `.5e999` are strings)
 *   starts with a digit, "+" or "-", underscores removed first:
 *     Go ParseInt(s, 0, 64): 12 +1 -7 0x1F 0o17 017 0b101 1_000  -> int
 *     Go ParseUint(s, 0, 64): 18446744073709551615                -> int (unsigned)
 *     ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ and finite: 4.0 1e3 08 1.   -> float
 *     everything else: 1:20 (no sexagesimal) 1e999 1.2.3 2024-01-01 (a timestamp, kept as
 *     text when decoded into interface{}) 0x 1-2                     -> string
 *
 * So `e123456` (a short git sha) is a string, while `123e456`... overflows and is a string too,
 * and `1e3` is a number. Quoted and block scalars are always strings.
 */

/** What yaml.v2 makes of a scalar, as far as Flux can tell. */
export type GoScalar =
  | { type: 'str' }
  | { type: 'null' }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: bigint }
  | { type: 'float'; value: number };

const STR: GoScalar = { type: 'str' };
const NULL: GoScalar = { type: 'null' };

/** yaml.v2's `resolveMap`: the words resolved by table lookup. */
const RESOLVE_MAP = new Map<string, GoScalar>();
for (const [scalar, words] of [
  [{ type: 'bool', value: true }, 'y Y yes Yes YES true True TRUE on On ON'],
  [{ type: 'bool', value: false }, 'n N no No NO false False FALSE off Off OFF'],
  [NULL, '~ null Null NULL'],
  [{ type: 'float', value: Number.NaN }, '.nan .NaN .NAN'],
  [{ type: 'float', value: Number.POSITIVE_INFINITY }, '.inf .Inf .INF +.inf +.Inf +.INF'],
  [{ type: 'float', value: Number.NEGATIVE_INFINITY }, '-.inf -.Inf -.INF'],
] as const) {
  for (const word of words.split(' ')) RESOLVE_MAP.set(word, scalar as GoScalar);
}

/**
 * yaml.v2's `yamlStyleFloat`, which is also exactly the decimal text Go's `ParseFloat` accepts here
 * (no underscores, hex floats or inf/nan words reach it), so one test serves both.
 */
const DECIMAL_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
/** How BigInt reads each base. */
const PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** Go's `strconv.ParseUint(s, 0, 64)`: the value, or undefined on a syntax or range error. */
function parseGoUnsigned(s: string): bigint | undefined {
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    // `0x` alone leaves no digits, which the digit test refuses, as Go does.
    const prefix = s[1]?.toLowerCase();
    if (prefix === 'b' || prefix === 'o' || prefix === 'x') {
      base = prefix === 'b' ? 2 : prefix === 'o' ? 8 : 16;
      digits = s.slice(2);
    } else {
      base = 8; // `017`; the leading zero is harmless to the octal digits
    }
  }
  if (!DIGITS[base].test(digits)) return undefined;
  const value = BigInt(`${PREFIX[base]}${digits}`);
  return value > UINT64_MAX ? undefined : value;
}

/** Go's `strconv.ParseInt(s, 0, 64)`: the value, or undefined on a syntax or range error. */
function parseGoInt(s: string): bigint | undefined {
  const negative = s[0] === '-';
  const magnitude = parseGoUnsigned(s[0] === '+' || negative ? s.slice(1) : s);
  if (magnitude === undefined) return undefined;
  const value = negative ? -magnitude : magnitude;
  if (value > INT64_MAX || value < -INT64_MAX - 1n) return undefined;
  return value;
}

/** Go's `strconv.ParseFloat(s, 64)` for decimal text: a finite value, or undefined (syntax or range error). */
function parseGoFloat(s: string): number | undefined {
  if (!DECIMAL_FLOAT.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

/** yaml.v2 v2.4.0 `resolve("", text)`: the type of a plain (unquoted, untagged) scalar. */
export function resolvePlainScalar(text: string): GoScalar {
  if (text === '') return NULL;
  // yaml.v2 looks words up only for the first characters of its resolveTable; every word of the
  // map starts with one of them, so looking every scalar up is the same.
  const mapped = RESOLVE_MAP.get(text);
  if (mapped) return mapped;
  const first = text[0];
  if (first === '.') {
    const value = parseGoFloat(text);
    return value === undefined ? STR : { type: 'float', value };
  }
  // Only a digit or a sign starts a number (underscores are removed only after this test: `_1`).
  if (first !== '+' && first !== '-' && !(first >= '0' && first <= '9')) return STR;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the length bound changes only what is remembered.
  if (text.length > LONGEST_REMEMBERED) return resolveNumberLike(text);
  let resolved = numberLikeRead.get(text);
  // Stryker disable next-line ConditionalExpression: a cache; reading the text again gives the same answer.
  if (resolved === undefined) {
    resolved = resolveNumberLike(text);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the cache's size bound changes only what is remembered.
    if (numberLikeRead.size >= NUMBER_LIKE_REMEMBERED) numberLikeRead.clear();
    numberLikeRead.set(text, resolved);
  }
  return resolved;
}

/** How many number-like scalars {@link resolvePlainScalar} remembers, and the longest: bounds, not goals. */
const NUMBER_LIKE_REMEMBERED = 10_000;
const LONGEST_REMEMBERED = 64;
/**
 * The type of each plain scalar that starts like a number, by text: a few hundred values (`80`,
 * `2`, `1.0.3`, `256Mi`) recur over thousands of releases, and each costs several regex tests and
 * BigInt parses (issue 17: 3% of the scan's time).
 */
const numberLikeRead = new Map<string, GoScalar>();

/** {@link resolvePlainScalar} for a text that starts with a digit or a sign. */
function resolveNumberLike(text: string): GoScalar {
  // A timestamp (`2024-01-01`) would be tried first; yaml.v2 keeps it as its text when decoding
  // into interface{}, and no timestamp is also an int or a float, so it stays a string here.
  const plain = text.replaceAll('_', '');
  const signed = parseGoInt(plain);
  if (signed !== undefined) return { type: 'int', value: signed };
  // ParseUint refuses a sign itself.
  const unsigned = parseGoUnsigned(plain);
  if (unsigned !== undefined) return { type: 'int', value: unsigned };
  const value = parseGoFloat(plain);
  if (value !== undefined) return { type: 'float', value };
  // yaml.v2's own `0b`/`-0b` branches add nothing: ParseInt with base 0 already reads them.
  return STR;
}

const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';

/**
 * The type of a scalar given its style and explicit tag: quoted and block scalars, `!!str` and
 * unknown tags (`!foo`) are strings; a standard tag (`!!int 5`) gives that type.
 */
export function resolveScalar(text: string, plain: boolean, tag: string | undefined): GoScalar {
  // The non-specific tag `!` makes a string (`! 150` is "150"; observed from yaml.v2 2.4.0).
  if (tag === undefined || tag === '') return plain ? resolvePlainScalar(text) : STR;
  const short = shortTag(tag);
  switch (short) {
    case '!!null':
      return NULL;
    case '!!bool':
    case '!!int':
    case '!!float': {
      const resolved = resolvePlainScalar(text);
      if (short === '!!float' && resolved.type === 'int')
        return { type: 'float', value: Number(resolved.value) };
      return resolved;
    }
    default:
      return STR;
  }
}

/** A standard tag in its short form (`tag:yaml.org,2002:int` -> `!!int`), any other tag as it is. */
export function shortTag(tag: string): string {
  return tag.startsWith(YAML_TAG_PREFIX) ? `!!${tag.slice(YAML_TAG_PREFIX.length)}` : tag;
}

/**
 * yaml.v2's `parseTimestamp` formats (2006-1-2T15:4:5.999999999Z07:00, the same with `t`,
 * 2006-1-2 15:4:5.999999999, 2006-1-2); the date must exist and the time be in range.
 */
const GO_TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+]\d\d:\d\d)| (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?)?$/;

function isGoTimestamp(text: string): boolean {
  const m = GO_TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [m[4] ?? m[7] ?? '0', m[5] ?? m[8] ?? '0', m[6] ?? m[9] ?? '0'].map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60
  );
}

/** Go's base64.StdEncoding: padded, standard alphabet; line breaks are skipped. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const ARTICLE: Record<GoScalar['type'], string> = {
  str: 'a str',
  null: 'a null',
  bool: 'a bool',
  int: 'an int',
  float: 'a float',
};

/**
 * Why yaml.v2 refuses a scalar's explicit tag, or undefined. A standard tag whose text resolves to
 * another type is refused whether the text is quoted or not (`!!float yes`: "cannot decode !!bool
 * `yes` as a !!float"); `!!float` takes an int that fits int64; `!!timestamp` takes only a date;
 * `!!binary` only base64. Observed from yaml.v2 2.4.0 (scripts/go-yaml).
 */
export function explicitTagProblem(text: string, tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  const short = shortTag(tag);
  switch (short) {
    case '!!binary':
      return BASE64.test(text.replace(/[\r\n]/g, ''))
        ? undefined
        : `the !!binary value ${text} is not base64, which yaml.v2 refuses`;
    case '!!timestamp':
      return isGoTimestamp(text)
        ? undefined
        : `${text} tagged !!timestamp is not a date, which yaml.v2 refuses`;
    case '!!bool':
    case '!!int':
    case '!!float':
    case '!!null': {
      const resolved = resolvePlainScalar(text);
      const wanted = short.slice(2);
      if (resolved.type === wanted) return undefined;
      if (wanted === 'float' && resolved.type === 'int' && resolved.value <= INT64_MAX) return undefined;
      return `${text} tagged ${short} is ${ARTICLE[resolved.type]}, which yaml.v2 refuses`;
    }
    default:
      return undefined;
  }
}

/** True for the JSON-compatible scalar types (JSON cannot hold an infinite number or NaN). */
export function isJsonScalar(scalar: GoScalar): boolean {
  return scalar.type !== 'float' || Number.isFinite(scalar.value);
}

/**
 * The fewest significant digits that read back as the same float32, and the decimal exponent. Nine
 * always do (FLT_DECIMAL_DIG), and the shortest never ends in a zero (one digit fewer would do).
 */
function shortestFloat32(magnitude: number): { digits: string; exponent: number } {
  for (let precision = 1; ; precision += 1) {
    const text = magnitude.toExponential(precision - 1);
    if (Math.fround(Number(text)) === magnitude) {
      const [mantissa, exp] = text.split('e');
      return { digits: mantissa.replace('.', ''), exponent: Number(exp) };
    }
  }
}

/** The fewest significant digits that read back as the same float64 (what toExponential() gives). */
function shortestFloat64(magnitude: number): { digits: string; exponent: number } {
  const [mantissa, exp] = magnitude.toExponential().split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exp) };
}

/**
 * Go's `strconv.FormatFloat(f, 'g', -1, 32)` as ghodss/yaml uses it, with its spellings of the
 * special values (`.inf`, `-.inf`, `.nan`): `1.5` -> "1.5", `1.10` -> "1.1", `1e6` -> "1e+06".
 */
export function formatGoFloat32(f: number): string {
  return formatGoFloat(f, 32);
}

/**
 * Go's `strconv.FormatFloat(f, 'g', -1, 64)` as yaml.v2 writes a float back (Flux v1 wrote every
 * document back before reading it into its structs): `16777217.0` -> "1.6777217e+07".
 */
export function formatGoFloat64(f: number): string {
  return formatGoFloat(f, 64);
}

function formatGoFloat(f: number, bits: 32 | 64): string {
  if (Number.isNaN(f)) return '.nan';
  const single = bits === 32 ? Math.fround(f) : f;
  if (single === Number.POSITIVE_INFINITY) return '.inf';
  if (single === Number.NEGATIVE_INFINITY) return '-.inf';
  const sign = single < 0 || Object.is(single, -0) ? '-' : '';
  // Zero reads back at one digit, as "0e+0", and is written "0".
  const { digits, exponent } =
    bits === 32 ? shortestFloat32(Math.abs(single)) : shortestFloat64(Math.abs(single));
  if (exponent < -4 || exponent >= 6) {
    const rest = digits.slice(1);
    const expDigits = String(Math.abs(exponent)).padStart(2, '0');
    // Stryker disable next-line EqualityOperator: the exponent is never 0 here (-4..5 are written without one).
    return `${sign}${digits[0]}${rest ? `.${rest}` : ''}e${exponent < 0 ? '-' : '+'}${expDigits}`;
  }
  const point = exponent + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (digits.length <= point) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A mapping key as ghodss/yaml turns it into a JSON key, or undefined when ghodss refuses it
 * ("Unsupported map key": null, or an integer beyond int64), so Flux could not read the document.
 */
export function goKeyString(text: string, scalar: GoScalar): string | undefined {
  switch (scalar.type) {
    case 'bool':
      return scalar.value ? 'true' : 'false';
    case 'str':
      return text;
    case 'int':
      return scalar.value > INT64_MAX ? undefined : scalar.value.toString();
    case 'float':
      return formatGoFloat32(scalar.value);
    default:
      return undefined; // null
  }
}

/**
 * A value as Flux v1 read it into a string field (an annotation's value, `metadata.name`): yaml.v2
 * wrote the document back, so numbers and booleans became their Go spelling (`1.10` -> "1.1",
 * `yes` -> "true", floats with 64 bits: `16777217.0` -> "1.6777217e+07"), and null became "".
 * Observed from yaml.v2 2.4.0 (scripts/go-yaml).
 */
export function goStringValue(text: string, scalar: GoScalar): string {
  switch (scalar.type) {
    case 'bool':
      return scalar.value ? 'true' : 'false';
    case 'str':
      return text;
    case 'null':
      return '';
    case 'int':
      return scalar.value.toString();
    case 'float':
      return formatGoFloat64(scalar.value);
  }
}
