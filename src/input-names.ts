/**
 * Catches an input this Action does not have. The runner passes any `with:` key as an `INPUT_*`
 * variable, declared or not, so a typo such as `dryrun: true` would otherwise be ignored and the run
 * would write real pull requests. Pure: the shell passes the environment.
 */
import { closest } from './edit-distance.js';
import { InputError } from './input-values.js';
import { INPUT_NAMES } from './settings.js';

/**
 * The runner's environment variable for an input: `INPUT_` and the name upper-cased, spaces turned
 * into `_` (hyphens are kept), which is what `core.getInput` reads.
 */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Rejects an `INPUT_*` variable that names no input of this Action. Throws an {@link InputError}
 * naming the first unknown input and the closest valid one.
 */
export function checkInputNames(env: Readonly<Record<string, string | undefined>>): void {
  const known = new Set(INPUT_NAMES.map(inputVariable));
  const unknown = Object.keys(env)
    .filter((key) => key.startsWith('INPUT_') && !known.has(key))
    .sort();
  if (unknown.length === 0) return;
  const names = unknown.map((key) => key.slice('INPUT_'.length).toLowerCase());
  const first = names[0]!;
  const others = names.length > 1 ? ` (also unknown: ${names.slice(1).join(', ')})` : '';
  throw new InputError(
    first,
    `this Action has no such input; did you mean "${closest(first, INPUT_NAMES)}"?${others} ` +
      `Nothing was written. The inputs are: ${INPUT_NAMES.join(', ')}.`,
  );
}
