/**
 * Annotation keys that look meant as Flux v1 policy or filter annotations but are none, which Flux
 * ignores: read as written, such a key would silently leave a release unlocked or unfiltered, so
 * read-release.ts holds back the release's update where ignoring it could loosen its policy, and
 * warns where it could not (a misspelt `automated`). Pure. A key is taken for one when its domain
 * looks like Flux's and it says what it was for:
 *
 *   fluxcd.io/automate, fluxcd.io/Locked, fluxcd.io/lock-release    a misspelt policy
 *   helm.fluxcd.io/locked, fluxcd/locked, fluxcd.io.locked            a policy under another domain
 *   filter.fluxd.io/app, filter.flux.weave.works/app                  a filter under another domain
 *   fluxcd.io/tags.app, fluxcd.io/semver.app, helm.fluxcd.io/tag.app  a misspelt filter
 *   fluxcd.io/tag, filter.fluxcd.io/                                  a filter that names no container
 *   fluxcd.io/app: semver:~1.0                                        a filter's value under no filter key
 *   registy.fluxcd.io/app, Tag.fluxcd.io/app, fluxcd.io/repository.app  a misspelt alias (mapping) key
 *
 * Flux's own other annotations (fluxcd.io/locked_msg, sync-checksum, antecedent, the aliases
 * repository/registry/tag.fluxcd.io/<alias>, Flux v2's *.toolkit.fluxcd.io and reconcile.fluxcd.io)
 * are never taken for one.
 */
import { editDistance } from '../edit-distance.js';
import type { Annotation, PolicyName } from './annotations.js';

/** An annotation whose key looks like a misspelt policy or filter annotation. */
export interface NearMiss {
  annotation: Annotation;
  /** The key that was probably meant. */
  meant: string;
  /** True when ignoring it could loosen the release's policy (a filter, locked or ignore). */
  blocks: boolean;
  /** The whole message, where "looks like a misspelling of `meant`" would mislead. */
  message?: string;
}

type Miss = Omit<NearMiss, 'annotation'>;

const POLICY_NAMES = ['automated', 'locked', 'ignore'] as const;
/** How each policy's name starts, so that `lock-release` or `locked.app` is read as `locked`. */
const POLICY_STEMS: Record<PolicyName, string> = { automated: 'automat', locked: 'lock', ignore: 'ignor' };
const FILTER_DOMAIN = 'filter.fluxcd.io';
const POLICY_DOMAINS = ['fluxcd.io', 'flux.weave.works'] as const;
type PolicyDomain = (typeof POLICY_DOMAINS)[number];
/** Flux's annotations that hold no policy: a lock's message and author, and what fluxd wrote itself. */
const FLUX_OTHER_SUFFIXES = ['locked_msg', 'locked_user', 'sync-checksum', 'sync-gc-mark', 'antecedent'];
/** Flux's alias (mapping) annotation domains: their values are dot paths, not policies (R2.8). */
const ALIAS_DOMAINS = ['repository.fluxcd.io', 'registry.fluxcd.io', 'tag.fluxcd.io'] as const;
type AliasDomain = (typeof ALIAS_DOMAINS)[number];
/** How an alias domain's first label is begun or shortened (`repo.fluxcd.io`, `registries.fluxcd.io`). */
const ALIAS_STEMS: readonly [RegExp, AliasDomain][] = [
  [/^repo/, 'repository.fluxcd.io'],
  [/^regist/, 'registry.fluxcd.io'],
];
/** An alias written as a policy domain's suffix: `fluxcd.io/registry.app`, `fluxcd.io/repo-app`. */
const ALIAS_OF_NAME = /^(repo[a-z]*|regist[a-z]*)[./:_-](.+)$/i;
/** Flux v2's annotation domains, which Flux v1 never read and which are not mistakes for its own. */
const FLUX_V2_DOMAIN = /(?:^|\.)toolkit\.fluxcd\.io$|^reconcile\.fluxcd\.io$/;
/** Words a filter key's suffix was written with: `tags.app`, `filter.app`, `semver.app`, `image.app`. */
const FILTER_WORD = '(?:tags?|filters?|semver|glob|regexp?|image)';
const SEPARATOR = '[./:_-]';
/** A filter word and a container, maybe with more words between (`tag-filter.app` is for `app`). */
const FILTER_OF_CONTAINER = new RegExp(
  `^${FILTER_WORD}(?:${SEPARATOR}?${FILTER_WORD})*${SEPARATOR}(.+)$`,
  'i',
);
/** A filter word alone (`tag`, `tag.`): a filter with no container. `image` alone is a container's name. */
const FILTER_WITHOUT_CONTAINER = /^(?:tags?|filters?|semver|glob|regexp?)[./:_-]?$/i;
/** A value written as a tag filter (FLUX-V1-RULES §6 prefixes). */
const FILTER_VALUE = /^\s*(?:semver|glob|regexp?):/i;
/** A key with no slash that starts with a Flux domain: `fluxcd.io.locked`, `filter.fluxcd.io.app`. */
const SLASHLESS = /^(.*?(?:fluxcd\.io|flux\.weave\.works))(?:[._:-](.*))?$/i;

/**
 * Where a domain would put a key, when it looks like Flux's: a policy (on `home`) or a filter,
 * `exact` when Flux reads that domain as written.
 */
type FluxDomain =
  | { kind: 'policy'; home: PolicyDomain; exact: boolean }
  | { kind: 'filter'; exact: boolean }
  /**
   * An alias domain: written exactly, only a filter's value under it is a mistake; misspelt
   * (`registy.fluxcd.io`), Flux v1 ignores the key, and with it the alias or its registry.
   */
  | { kind: 'alias'; home: AliasDomain; exact: boolean };

/** What a key alone says: a near miss, or what it was meant as should its value be a filter's. */
interface KeyReading {
  miss?: Miss;
  ifFilterValue?: Miss;
  /** What the key was meant as should its value be no filter's (a misspelt alias's dot path). */
  ifOtherValue?: Miss;
}

/**
 * Annotations whose keys look like misspelt Flux policy or filter annotations, which Flux ignores:
 * `fluxcd.io/automate`, `helm.fluxcd.io/locked`, `filter.fluxd.io/app`, `fluxcd.io/tags.app`, and a
 * tag filter's value under a Flux key that is no filter (`fluxcd.io/app: semver:~1.0`).
 */
export function findNearMisses(annotations: readonly Annotation[]): NearMiss[] {
  const found: NearMiss[] = [];
  for (const a of annotations) {
    const reading = readingOfKey(a.key);
    if (reading === undefined) continue;
    const miss = reading.miss ?? (FILTER_VALUE.test(a.value) ? reading.ifFilterValue : reading.ifOtherValue);
    if (miss) found.push({ annotation: a, ...miss });
  }
  return found;
}

/** How many keys {@link readingOfKey} remembers: a bound, not a goal. */
const KEYS_REMEMBERED = 1_000;
/** What each key says (null: nothing), by key. */
const readingsByKey = new Map<string, KeyReading | null>();

/**
 * What a key says, remembered by key: a few dozen keys recur over thousands of releases, and each
 * costs several edit distances (issue 17). What depends on the value is decided by the caller.
 */
function readingOfKey(key: string): KeyReading | undefined {
  let reading = readingsByKey.get(key);
  // Stryker disable next-line ConditionalExpression: a cache; reading the key again gives the same answer.
  if (reading === undefined) {
    reading = readKey(key) ?? null;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the cache's size bound changes only what is remembered.
    if (readingsByKey.size >= KEYS_REMEMBERED) readingsByKey.clear();
    readingsByKey.set(key, reading);
  }
  return reading ?? undefined;
}

function readKey(key: string): KeyReading | undefined {
  const slash = key.indexOf('/');
  if (slash === 0) return undefined;
  if (slash < 0) {
    // Kubernetes reads `fluxcd.io.locked` as a name with no domain: Flux never sees a policy in it.
    const parts = SLASHLESS.exec(key);
    const where = parts && readDomain(parts[1]!);
    if (!where) return undefined;
    if (where.kind === 'alias') return readAliasSuffix(key, { ...where, exact: false }, parts[2] ?? '');
    return readSuffix(key, { ...where, exact: false }, parts[2] ?? '');
  }
  const where = readDomain(key.slice(0, slash));
  if (where === undefined) return undefined;
  const suffix = key.slice(slash + 1);
  if (where.kind === 'alias') return readAliasSuffix(key, where, suffix);
  return readSuffix(key, where, suffix);
}

/** Whether a domain looks like one of Flux v1's, and which. */
function readDomain(domain: string): FluxDomain | undefined {
  if (domain === FILTER_DOMAIN) return { kind: 'filter', exact: true };
  const exactPolicy = POLICY_DOMAINS.find((d) => d === domain);
  if (exactPolicy !== undefined) return { kind: 'policy', home: exactPolicy, exact: true };
  const lower = domain.toLowerCase();
  if (FLUX_V2_DOMAIN.test(lower)) return undefined;
  const alias = nearAliasDomain(lower);
  if (alias !== undefined) return { kind: 'alias', home: alias, exact: alias === domain };
  // A subdomain of Flux's (helm.fluxcd.io, filter.flux.weave.works): Flux reads none of them.
  const home = POLICY_DOMAINS.find((d) => lower.endsWith(`.${d}`));
  if (home !== undefined) {
    const sub = lower.slice(0, -home.length - 1);
    if (editDistance(sub, 'filter', 2) <= 2) return { kind: 'filter', exact: false };
    return { kind: 'policy', home, exact: false };
  }
  if (editDistance(lower, FILTER_DOMAIN, 3) <= 3) return { kind: 'filter', exact: false };
  const near = POLICY_DOMAINS.find((d) => editDistance(lower, d, 2) <= 2);
  if (near !== undefined) return { kind: 'policy', home: near, exact: false };
  // fluxcd, flux, fluxcd.dev: Flux's name with the wrong top-level domain or none.
  const labels = lower.split('.');
  if (labels.length <= 2 && editDistance(labels[0]!, 'fluxcd', 2) <= 2) {
    return { kind: 'policy', home: 'fluxcd.io', exact: false };
  }
  return undefined;
}

/**
 * The alias domain a domain (in lower case) was meant as, if any: one within two edits of it
 * (`registy.fluxcd.io`, `Tag.fluxcd.io` once lower-cased), or a first label that begins or is one
 * edit from an alias's (`repo.fluxcd.io`, `tags.fluxcd.io`, `registry.flux.weave.works`).
 */
function nearAliasDomain(lower: string): AliasDomain | undefined {
  const near = ALIAS_DOMAINS.find((d) => editDistance(lower, d, 2) <= 2);
  if (near !== undefined) return near;
  const home = POLICY_DOMAINS.find((d) => lower.endsWith(`.${d}`));
  if (home === undefined) return undefined;
  const sub = lower.slice(0, -home.length - 1);
  const stem = ALIAS_STEMS.find(([begun]) => begun.test(sub));
  if (stem !== undefined) return stem[1];
  return editDistance(sub, 'tag', 1) <= 1 ? 'tag.fluxcd.io' : undefined;
}

/** What a key under an alias domain says: misspelt, the alias it was meant for, unless its value is a filter's. */
function readAliasSuffix(
  key: string,
  where: Extract<FluxDomain, { kind: 'alias' }>,
  suffix: string,
): KeyReading {
  const ifFilterValue = filterValueMiss(key, suffix);
  if (where.exact) return { ifFilterValue };
  return {
    ifFilterValue,
    ifOtherValue: { meant: `${where.home}/${suffix === '' ? '<alias>' : suffix}`, blocks: true },
  };
}

/** What a key under a Flux-looking domain says, by its suffix. */
function readSuffix(key: string, where: Exclude<FluxDomain, { kind: 'alias' }>, suffix: string): KeyReading {
  if (where.kind === 'filter') {
    if (suffix === '') {
      const miss = noContainerMiss(key);
      // `filter.fluxd.io/` alone says too little to be taken for a filter; with a filter's value
      // it is one.
      return where.exact ? { miss } : { ifFilterValue: miss };
    }
    return where.exact ? {} : { miss: { meant: `${FILTER_DOMAIN}/${suffix}`, blocks: true } };
  }
  const { home, exact } = where;
  const lower = suffix.toLowerCase();
  if (FLUX_OTHER_SUFFIXES.includes(lower)) return {};
  if (exact && ((POLICY_NAMES as readonly string[]).includes(suffix) || /^tag\../.test(suffix))) return {};
  // fluxctl's `policy --tag-all` writes a filter for each container; `tag_all`, its policy's name,
  // is no annotation Flux v1 reads, and `tag.all` would name a container called `all`.
  if (/^(?:tag[_-]?all|tags[._-]?all)$/i.test(suffix)) {
    return {
      miss: {
        meant: `${FILTER_DOMAIN}/<container>`,
        blocks: true,
        message:
          `${key} is not an annotation Flux v1 reads (fluxctl's --tag-all writes ${home}/tag.<container> ` +
          `for each container), so it filters nothing; write ${FILTER_DOMAIN}/<container> for each container instead`,
      },
    };
  }
  const container = FILTER_OF_CONTAINER.exec(suffix)?.[1];
  if (container !== undefined) return { miss: { meant: `${home}/tag.${container}`, blocks: true } };
  if (FILTER_WITHOUT_CONTAINER.test(suffix)) return { miss: noContainerMiss(key) };
  const alias = ALIAS_OF_NAME.exec(suffix);
  if (alias !== null) {
    const home = /^repo/i.test(alias[1]!) ? 'repository.fluxcd.io' : 'registry.fluxcd.io';
    return {
      ifFilterValue: filterValueMiss(key, suffix),
      ifOtherValue: { meant: `${home}/${alias[2]!}`, blocks: true },
    };
  }
  const policy = nearPolicy(lower.replace(/[^a-z]/g, ''));
  if (policy !== undefined) return { miss: { meant: `${home}/${policy}`, blocks: policy !== 'automated' } };
  return { ifFilterValue: filterValueMiss(key, suffix) };
}

/** The policy a suffix's letters (in lower case) were probably meant to name, if any. */
function nearPolicy(letters: string): PolicyName | undefined {
  for (const name of POLICY_NAMES) {
    if (letters.startsWith(POLICY_STEMS[name])) return name;
    if (editDistance(letters, name, 2) <= 2) return name;
  }
  return undefined;
}

/** A filter key that names no container (`fluxcd.io/tag`, `filter.fluxcd.io/`). */
function noContainerMiss(key: string): Miss {
  return {
    meant: `${FILTER_DOMAIN}/<container>`,
    blocks: true,
    message: `${key} has no container name, so Flux v1 would ignore it; write ${FILTER_DOMAIN}/<container> instead`,
  };
}

/** A tag filter's value under a Flux key that is no filter (`fluxcd.io/app: semver:~1.0`). */
function filterValueMiss(key: string, suffix: string): Miss {
  if (suffix === '') return noContainerMiss(key);
  const meant = `${FILTER_DOMAIN}/${suffix}`;
  return {
    meant,
    blocks: true,
    message: `${key} holds a tag filter but is no filter key, so Flux v1 would ignore it; write ${meant} instead`,
  };
}
