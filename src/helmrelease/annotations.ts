/**
 * Flux v1's HelmRelease annotations (FLUX-V1-RULES §2 and §4), read from `metadata.annotations`.
 *
 * Policies, on in Flux only when the value is exactly the string "true" (here `locked` and `ignore`
 * also hold for a value that plainly means true, such as "True", failing safe; see readPolicies):
 *
 *   fluxcd.io/automated: "true"        (or flux.weave.works/automated)
 *   fluxcd.io/locked: "true"           (or flux.weave.works/locked)
 *   fluxcd.io/ignore: "true"           (or flux.weave.works/ignore)
 *
 * Tag filters for a container, highest precedence first:
 *
 *   filter.fluxcd.io/<container>: semver:~4.0
 *   fluxcd.io/tag.<container>: glob:master-*
 *   flux.weave.works/tag.<container>: regex:^0.6.*
 *
 * Alias (mapping) annotations, dot paths relative to spec.values; repository is required:
 *
 *   repository.fluxcd.io/<alias>: sub.marinesystem.img
 *   registry.fluxcd.io/<alias>: sub.marinesystem.reg
 *   tag.fluxcd.io/<alias>: sub.marinesystem.tag
 */
import { isScalar, type LineCounter, type YAMLMap } from 'yaml';
import { warning, type Problem } from '../problems.js';
import { nearest } from '../edit-distance.js';
import { goStringValue } from './go-scalars.js';
import { scalarText, scalarType } from './go-yaml-documents.js';
import { lineOf } from './yaml-nodes.js';
import type { FilterAnnotation, ReleasePolicies } from './types.js';

/** One annotation: its value as text (the source text for non-strings) and where it is. */
export interface Annotation {
  key: string;
  value: string;
  /** False when YAML reads the value as something other than a string (an unquoted `true`). */
  isString: boolean;
  /** True when the value is empty or null (`key:`, `key: ~`). */
  isNull: boolean;
  /** The value as written (without quotes). */
  source: string;
  line: number;
}

/** The paths of one alias, each with the line of its annotation. */
export interface AliasPaths {
  alias: string;
  repository?: { path: string; line: number };
  registry?: { path: string; line: number };
  tag?: { path: string; line: number };
}

const POLICY_PREFIXES = ['fluxcd.io/', 'flux.weave.works/'] as const;
const FILTER_PREFIXES = ['filter.fluxcd.io/', 'fluxcd.io/tag.', 'flux.weave.works/tag.'] as const;
const ALIAS_PREFIXES = {
  repository: 'repository.fluxcd.io/',
  registry: 'registry.fluxcd.io/',
  tag: 'tag.fluxcd.io/',
} as const;

// Built once, not per annotation: every HelmRelease of a repository reads these, and a key
// concatenated per lookup or an Object.entries per annotation showed up in the scan's profile.
export type PolicyName = 'automated' | 'locked' | 'ignore';
const POLICY_KEYS: Record<PolicyName, readonly string[]> = {
  automated: POLICY_PREFIXES.map((prefix) => `${prefix}automated`),
  locked: POLICY_PREFIXES.map((prefix) => `${prefix}locked`),
  ignore: POLICY_PREFIXES.map((prefix) => `${prefix}ignore`),
};
const ALIAS_PARTS = Object.keys(ALIAS_PREFIXES) as (keyof typeof ALIAS_PREFIXES)[];

/** Reads `metadata.annotations` into a list, in source order. */
export function readAnnotations(annotations: YAMLMap | undefined, lines: LineCounter): Annotation[] {
  if (!annotations) return [];
  const result: Annotation[] = [];
  for (const pair of annotations.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue;
    result.push(readAnnotation(pair.key.value, pair.value, lineOf(pair.key, lines)));
  }
  return result;
}

/** One annotation of key `key` whose value is `node` (a Kustomize JSON patch's `value` too). */
export function readAnnotation(key: string, node: unknown, line: number): Annotation {
  if (isScalar(node)) {
    // Flux's ParseMultidoc decoded each document into interface{} and wrote it back (yaml.v2)
    // before reading metadata into strings, so a scalar arrived as yaml.v2 prints its value:
    // `1.10` became "1.1", `yes` "true". (ghodss/yaml never reached metadata: yaml tags only.)
    const type = scalarType(node);
    const text = scalarText(node);
    return {
      key,
      value: goStringValue(text, type),
      isString: type.type === 'str',
      isNull: type.type === 'null',
      source: text,
      line,
    };
  }
  return { key, value: '', isString: false, isNull: node == null, source: '', line };
}

/**
 * Whether one `locked` or `ignore` annotation (of fluxcd.io or flux.weave.works) holds its release,
 * as {@link readPolicies} reads it: on, or a value that means neither (which blocks it); undefined
 * for any other key. For annotations read apart from a release's own (a patch's, a misplaced one).
 */
export function lockOrIgnoreHolds(annotation: Annotation): boolean | undefined {
  if (!/^(?:fluxcd\.io|flux\.weave\.works)\/(?:locked|ignore)$/.test(annotation.key)) return undefined;
  let unclear = false;
  const policies = readPolicies([annotation], '', [], () => (unclear = true));
  return policies.locked || policies.ignored || unclear;
}

/**
 * Reads the automated/locked/ignore policies. `automated` is on only for the exact string "true"
 * (R2.2, R2.4). `locked` and `ignore` also hold for any value that plainly means true: a non-string
 * true (`locked: true`, `yes`, `on`), which Flux's git copy read as "true" (yaml.v2 wrote it back),
 * and a string such as "True", "yes" or "1", which Flux read as off (R2.2). Whoever wrote either meant
 * the release to be held, so holding it is the safe reading; a warning says how to write it.
 *
 * A `locked` or `ignore` value that means neither true nor false (`"treu"`, `"locked"`, left empty)
 * is `block`ed: Flux reads it as off and would update the release, though its author most likely
 * meant to hold it, and holding it instead would hide the mistake for good. An `automated` value of
 * that kind is off, as in Flux, with a warning.
 */
export function readPolicies(
  annotations: readonly Annotation[],
  file: string,
  problems: Problem[],
  block: (line: number, message: string) => void,
): ReleasePolicies {
  const byKey = new Map(annotations.map((a) => [a.key, a]));
  const policy = (name: PolicyName): boolean => {
    const forms: Annotation[] = [];
    for (const key of POLICY_KEYS[name]) {
      const a = byKey.get(key);
      if (a !== undefined) forms.push(a);
    }
    const holds = name !== 'automated';
    const held = `the release is held as ${name === 'locked' ? 'locked' : 'ignored'}`;
    const isOn = (a: Annotation): boolean => (holds ? meansTrue(a.value) : a.isString && a.value === 'true');
    /** A lock or ignore whose value (`described`) means neither true nor false holds nothing: blocked. */
    const blockUnclear = (a: Annotation, described: string) =>
      block(
        a.line,
        `${a.key} is ${described}, neither ${a.isString ? '' : 'the string '}"true" nor "false": Flux v1 reads it as off and would update the release, ` +
          `though it was most likely meant to hold it. Write ${a.key}: "true" to hold the release, or remove the annotation`,
      );
    for (const a of forms) {
      if (a.isString) {
        if (a === forms[0] && isUnclear(name, a)) {
          if (holds) {
            blockUnclear(a, `"${a.value}"`);
          } else {
            problems.push(
              warning(
                file,
                a.line,
                `${a.key} is "${a.value}", neither "true" nor "false": Flux turns a policy on only for the exact lower-case string "true", so it is off. Write ${a.key}: "true" to have the release updated`,
              ),
            );
          }
        } else if (a.value !== 'true' && meansTrue(a.value)) {
          problems.push(
            warning(
              file,
              a.line,
              holds
                ? `${a.key} is "${a.value}", not "true"; ${held} (Flux v1 turns a policy on only for the exact lower-case string "true", so it would read this as off). Write ${a.key}: "true"`
                : `${a.key} is "${a.value}", not "true": Flux turns a policy on only for the exact lower-case string "true", so it is off. Write ${a.key}: "true"`,
            ),
          );
        }
        continue;
      }
      const what = a.isNull
        ? 'empty'
        : a.source === ''
          ? 'a map or list'
          : `the YAML ${a.value === 'true' || a.value === 'false' ? 'boolean' : 'value'} ${a.source}`;
      if (holds && a === forms[0] && isUnclear(name, a)) {
        blockUnclear(a, what);
        continue;
      }
      problems.push(
        warning(
          file,
          a.line,
          isOn(a)
            ? `${a.key} is ${what}, not the string "true"; ${held} (Kubernetes rejects non-string annotations). Quote it: ${a.key}: "true"`
            : `${a.key} is ${what}, not the string "true": Kubernetes rejects non-string annotations, so the policy is off. ` +
                // The value that turns it on when the source meant on (`True`, `yes`, `1`): quoted
                // as written, those would still be off.
                `Quote it: ${a.key}: "${a.isNull || meansTrue(a.value) ? 'true' : a.source}"`,
        ),
      );
    }
    const winner = forms[0];
    let on = winner !== undefined && isOn(winner);
    let by = winner;
    if (forms.length === 2 && forms[0].value !== forms[1].value) {
      const other = forms[1];
      // Which form its author meant is not known: a lock or ignore written in either holds, as one
      // written "True" does. `automated` follows Flux v1 (the first form), as migrations leave both.
      const stricter = holds && !on && isOn(other);
      if (stricter) {
        on = true;
        by = other;
      }
      problems.push(
        warning(
          file,
          other.line,
          `${forms[0].key} and ${other.key} disagree ("${forms[0].value}" vs "${other.value}"); ` +
            (stricter
              ? `Flux v1 would use ${forms[0].key}, but ${held}, as ${other.key} says: remove one of them`
              : `${forms[0].key} is used`),
        ),
      );
    }
    if (on) holdingForms.set(name, by!);
    return on;
  };
  const holdingForms = new Map<PolicyName, Annotation>();
  const policies: ReleasePolicies = {
    automated: policy('automated'),
    locked: policy('locked'),
    ignored: policy('ignore'),
  };
  // Said back as written when it is the older form (flux.weave.works/locked), not as fluxcd.io/locked.
  const lockedBy = holdingForms.get('locked');
  if (lockedBy !== undefined && lockedBy.key !== 'fluxcd.io/locked') policies.lockedBy = lockedBy.key;
  // And its value as written when that is not "true" (`"True"`, `yes`): the hold quotes what the
  // file says, as the warning about it does, not the value Flux would need.
  if (lockedBy !== undefined && !isTrueString(lockedBy)) policies.lockedValue = writtenValue(lockedBy);
  const ignoredBy = holdingForms.get('ignore');
  if (ignoredBy !== undefined && ignoredBy.key !== 'fluxcd.io/ignore') policies.ignoredBy = ignoredBy.key;
  if (ignoredBy !== undefined && !isTrueString(ignoredBy)) policies.ignoredValue = writtenValue(ignoredBy);
  // Flux v1's `fluxctl lock --message` wrote the reason here; people read it before unlocking.
  const lockedMessage = POLICY_PREFIXES.map((prefix) => byKey.get(`${prefix}locked_msg`)).find(
    (a) => a !== undefined && a.value.trim() !== '',
  );
  if (policies.locked && lockedMessage) policies.lockedMessage = lockedMessage.value.trim();
  return policies;
}

/** True for the value Flux v1 turns a policy on for: the string "true". */
function isTrueString(a: Annotation): boolean {
  return a.isString && a.value === 'true';
}

/**
 * A policy value as written: a string in double quotes (`"True"`, as the warnings quote it), any
 * other scalar as its source (`yes`). Only values that mean true are said back, so it is short.
 */
function writtenValue(a: Annotation): string {
  return a.isString ? `"${a.value}"` : a.source;
}

/** Values that were meant as "true", compared trimmed and in lower case. */
const NEAR_TRUE = new Set(['true', 'yes', 'y', 'on', '"true"', "'true'", '1']);

/** True when a policy value plainly means true: "true", "True", " yes ", "1". */
function meansTrue(value: string): boolean {
  return NEAR_TRUE.has(value.trim().toLowerCase());
}

/** Values that were meant as "false", compared trimmed and in lower case. */
const NEAR_FALSE = new Set(['false', 'no', 'n', 'off', '0', '"false"', "'false'"]);

/**
 * True when a policy's value means neither true nor false: a typo (`"treu"`), a word (`"locked"`,
 * `"enabled"`), an empty or non-scalar value. `fluxcd.io/ignore: sync_only` is Flux's own value
 * (R2.3: it stops syncing, not automation), so it is clear.
 */
function isUnclear(name: PolicyName, a: Annotation): boolean {
  const value = a.value.trim().toLowerCase();
  if (meansTrue(value) || NEAR_FALSE.has(value)) return false;
  return !(name === 'ignore' && value === 'sync_only');
}

/**
 * Every container named by a filter annotation, with the winning annotation for each (Flux v1's
 * order: filter.fluxcd.io, fluxcd.io, flux.weave.works). Two forms for one container that disagree
 * are a warning, or, given `block`, hold the release: which one its author meant is not known, and
 * the winner may let through tags the other keeps out.
 */
export function readFilters(
  annotations: readonly Annotation[],
  file: string,
  problems: Problem[],
  block?: (line: number, message: string) => void,
): Map<string, FilterAnnotation> {
  const found = new Map<string, { rank: number; annotation: Annotation }[]>();
  for (const a of annotations) {
    for (let rank = 0; rank < FILTER_PREFIXES.length; rank += 1) {
      const prefix = FILTER_PREFIXES[rank];
      if (!a.key.startsWith(prefix)) continue;
      const container = a.key.slice(prefix.length);
      if (container === '') continue;
      const list = found.get(container) ?? [];
      list.push({ rank, annotation: a });
      found.set(container, list);
    }
  }
  const filters = new Map<string, FilterAnnotation>();
  for (const [container, list] of found) {
    list.sort((x, y) => x.rank - y.rank);
    const [{ annotation: winner }, ...others] = list;
    if (!winner.isString) {
      problems.push(
        warning(
          file,
          winner.line,
          `${winner.key} is not a string; quote the filter: ${winner.key}: "${winner.source}"`,
        ),
      );
    }
    for (const other of others) {
      if (other.annotation.value !== winner.value && block) {
        block(
          other.annotation.line,
          `${other.annotation.key} ("${other.annotation.value}") disagrees with ${winner.key} ("${winner.value}"), ` +
            `written for the same container: Flux v1 would use ${winner.key}, which may let through tags the other ` +
            'keeps out; remove one of them',
        );
      } else if (other.annotation.value !== winner.value) {
        problems.push(
          warning(
            file,
            other.annotation.line,
            `${other.annotation.key} ("${other.annotation.value}") disagrees with ${winner.key} ("${winner.value}"); ${winner.key} is used`,
          ),
        );
      }
    }
    filters.set(container, { key: winner.key, value: winner.value, line: winner.line });
  }
  return filters;
}

/** The most container names a filter naming none is compared with for a "did you mean". */
export const MAX_NAMES_SUGGESTED_FROM = 64;

/**
 * The filter key a filter naming no container was most likely meant as, from the container names
 * it may have meant (`filter.fluxcd.io/chart-imag` -> `filter.fluxcd.io/chart-image`); undefined
 * when none is near. Only among a few names: 10,000 misnamed filters against 10,000 containers
 * would be 10^8 comparisons.
 */
export function meantFilterKey(
  key: string,
  container: string,
  names: { readonly size: number; keys(): Iterable<string> },
): string | undefined {
  if (!key.endsWith(container) || names.size > MAX_NAMES_SUGGESTED_FROM) return undefined;
  const meant = nearest(container, names.keys());
  return meant === undefined ? undefined : `${key.slice(0, key.length - container.length)}${meant}`;
}

/**
 * The alias annotations with no alias name (`repository.fluxcd.io/`) and a path: Flux v1 took them
 * for a container named "" (which no filter annotation can name), not read here.
 */
export function unnamedAliases(annotations: readonly Annotation[]): Annotation[] {
  return annotations.filter(
    (a) => a.value !== '' && ALIAS_PARTS.some((part) => a.key === ALIAS_PREFIXES[part]),
  );
}

/** The alias annotations, grouped by alias name, in order of first appearance. */
export function readAliases(annotations: readonly Annotation[]): AliasPaths[] {
  const aliases = new Map<string, AliasPaths>();
  for (const a of annotations) {
    for (const part of ALIAS_PARTS) {
      const prefix = ALIAS_PREFIXES[part];
      if (!a.key.startsWith(prefix)) continue;
      const alias = a.key.slice(prefix.length);
      // An empty or null path means "not given" to Flux (`ContainerImageMap` tests for "").
      if (alias === '' || a.value === '') continue;
      const entry = aliases.get(alias) ?? { alias };
      entry[part] = { path: a.value, line: a.line };
      aliases.set(alias, entry);
    }
  }
  return [...aliases.values()];
}
