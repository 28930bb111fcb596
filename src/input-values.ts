/**
 * How an input's text becomes a value, the same way for every input: lists, booleans, whole numbers
 * in a range, durations, one of a set of choices. Each parser names the input in its error, so a
 * mistake in a workflow's `with:` says which line to fix. Pure; the checks particular to one input
 * are in `input-checks.ts`, the list of inputs and their defaults in `settings.ts`.
 */
import { durationMs } from './duration.js';

/** Thrown for an invalid input; the message names the input. */
export class InputError extends Error {
  constructor(
    /** The input's kebab-case name. */
    readonly input: string,
    message: string,
  ) {
    super(`Input "${input}": ${message}`);
    this.name = 'InputError';
  }
}

/**
 * Splits a list input: newlines or commas separate values, except commas inside `{...}` (a glob's
 * braces, `{apps,clusters}/**`); blanks and `#` comment lines are dropped.
 */
export function parseList(raw: string | undefined): string[] {
  if (!raw) return [];
  const values: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= raw.length; i += 1) {
    const c = raw[i];
    if (c === '{') depth += 1;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n' || c === undefined || (c === ',' && depth === 0)) {
      values.push(raw.slice(start, i));
      start = i + 1;
      if (c === '\n') depth = 0;
    }
  }
  return values.map((v) => v.trim()).filter((v) => v !== '' && !v.startsWith('#'));
}

/**
 * A list input's values (see {@link parseList}); a whole value written as a YAML flow list or a JSON
 * array (`[a, b]`, `${{ toJSON(...) }}`) is refused: the runner passes it as text, so its brackets
 * and quotes would end up in the first and last values (a label `[a`, a glob that matches nothing).
 */
export function parseListInput(name: string, raw: string | undefined): string[] {
  const text = (raw ?? '').trim();
  const bracketed = text.startsWith('[') && text.endsWith(']') && !text.includes('\n');
  if (bracketed && (text.includes(',') || /^\[\s*(?:"[^"]*"\s*)?\]$/.test(text))) {
    // The value is not repeated: a mirror's URL may hold a password.
    throw new InputError(
      name,
      'the value is a YAML or JSON list ([a, b]), which inputs take as text, brackets and quotes included; ' +
        'write the values without them, one per line or separated by commas',
    );
  }
  return parseList(raw);
}

/**
 * A list input that narrows the run, whose default is everything (`paths`, `images`): a value given
 * that holds no entry (every line blank or a `#` comment, or only commas) is refused. Read as not
 * given, it checked everything: `paths: "# clusters/production/**"`, written to leave production
 * out, had every file scanned and production updated with the rest.
 */
export function parseNarrowingListInput(name: string, raw: string | undefined, everything: string): string[] {
  const values = parseListInput(name, raw);
  if (values.length === 0 && (raw ?? '').trim() !== '') {
    throw new InputError(
      name,
      `the value holds no entry (every line is blank or a # comment), and without one the run would check ${everything}; ` +
        `give at least one entry, or leave the input out to check ${everything}`,
    );
  }
  return values;
}

/** `true` or `false`, in any case. */
export function parseBoolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InputError(name, `expected true or false, got "${raw}"`);
}

/** A whole number from `min` to `max`. */
export function parseInteger(name: string, raw: string, min: number, max: number): number {
  const v = raw.trim();
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new InputError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(v);
}

/** Parses `0` or a whole number with a unit (`90s`, `30m`, `24h`, `7d`) into milliseconds. */
export function parseDuration(name: string, raw: string, max: { ms: number; text: string }): number {
  const ms = durationMs(raw, max.ms);
  if (ms === undefined) {
    throw new InputError(
      name,
      `expected 0 or a duration such as 30m, 24h or 7d (at most ${max.text}), got "${raw}"`,
    );
  }
  return ms;
}

/** Like {@link parseDuration}, without `0`. */
export function parsePositiveDuration(name: string, raw: string, max: { ms: number; text: string }): number {
  let ms = 0;
  try {
    ms = parseDuration(name, raw, max);
  } catch {
    // Said below, without parseDuration's "0 or".
  }
  if (ms === 0)
    throw new InputError(
      name,
      `expected a duration such as 90s, 10m or 1h (at most ${max.text}), got "${raw}"`,
    );
  return ms;
}

/** One of `choices`, naming the input otherwise. */
export function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[]): T {
  const value = raw.trim();
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, `expected ${choices.join(', ')}, got "${value}"`);
}
