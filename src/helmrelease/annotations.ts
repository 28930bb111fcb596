/**
 * Flux v1's HelmRelease annotations (FLUX-V1-RULES §2 and §4), read from `metadata.annotations`.
 *
 * Policies, on only when the value is exactly the string "true":
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
import type { FilterAnnotation, ReleasePolicies } from './types.js';

/** One annotation: its value as text (the source text for non-strings) and where it is. */
export interface Annotation {
  key: string;
  value: string;
  /** False when YAML reads the value as something other than a string (an unquoted `true`). */
  isString: boolean;
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
type PolicyName = 'automated' | 'locked' | 'ignore';
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
    const node = pair.value;
    const line = lines.linePos((pair.key.range ?? [0])[0]).line;
    if (isScalar(node)) {
      const isString = typeof node.value === 'string';
      const value = isString ? (node.value as string) : String(node.source ?? node.value ?? '');
      result.push({ key: pair.key.value, value, isString, line });
    } else {
      result.push({ key: pair.key.value, value: '', isString: false, line });
    }
  }
  return result;
}

/** Reads the automated/locked/ignore policies; non-string values are problems, not policies. */
export function readPolicies(
  annotations: readonly Annotation[],
  file: string,
  problems: Problem[],
): ReleasePolicies {
  const byKey = new Map(annotations.map((a) => [a.key, a]));
  const policy = (name: PolicyName): boolean => {
    const forms: Annotation[] = [];
    for (const key of POLICY_KEYS[name]) {
      const a = byKey.get(key);
      if (a !== undefined) forms.push(a);
    }
    for (const a of forms) {
      if (!a.isString) {
        problems.push(
          warning(
            file,
            a.line,
            `${a.key} is ${a.value === '' ? 'not a string' : `the YAML value ${a.value}`}, not the string "true": ` +
              `Kubernetes rejects non-string annotations, so the policy is off. Quote it: ${a.key}: "${a.value}"`,
          ),
        );
      }
    }
    if (forms.length === 2 && forms[0].value !== forms[1].value) {
      problems.push(
        warning(
          file,
          forms[1].line,
          `${forms[0].key} and ${forms[1].key} disagree ("${forms[0].value}" vs "${forms[1].value}"); ${forms[0].key} is used`,
        ),
      );
    }
    const winner = forms[0];
    return winner !== undefined && winner.isString && winner.value === 'true';
  };
  const policies: ReleasePolicies = {
    automated: policy('automated'),
    locked: policy('locked'),
    ignored: policy('ignore'),
  };
  // Flux v1's `fluxctl lock --message` wrote the reason here; people read it before unlocking.
  const lockedMessage = POLICY_PREFIXES.map((prefix) => byKey.get(`${prefix}locked_msg`)).find(
    (a) => a !== undefined && a.value.trim() !== '',
  );
  if (policies.locked && lockedMessage) policies.lockedMessage = lockedMessage.value.trim();
  return policies;
}

/** Every container named by a filter annotation, with the winning annotation for each. */
export function readFilters(
  annotations: readonly Annotation[],
  file: string,
  problems: Problem[],
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
    const winner = list[0].annotation;
    if (!winner.isString) {
      problems.push(
        warning(
          file,
          winner.line,
          `${winner.key} is not a string; quote the filter: ${winner.key}: "${winner.value}"`,
        ),
      );
    }
    for (const other of list.slice(1)) {
      if (other.annotation.value !== winner.value) {
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

/** The alias annotations, grouped by alias name, in order of first appearance. */
export function readAliases(annotations: readonly Annotation[]): AliasPaths[] {
  const aliases = new Map<string, AliasPaths>();
  for (const a of annotations) {
    for (const part of ALIAS_PARTS) {
      const prefix = ALIAS_PREFIXES[part];
      if (!a.key.startsWith(prefix)) continue;
      const alias = a.key.slice(prefix.length);
      if (alias === '') continue;
      const entry = aliases.get(alias) ?? { alias };
      entry[part] = { path: a.value, line: a.line };
      aliases.set(alias, entry);
    }
  }
  return [...aliases.values()];
}
