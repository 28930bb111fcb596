/**
 * Annotation keys that look like misspelt Flux v1 policy or filter annotations, which Flux ignores
 * (`fluxcd.io/automate`, `fluxcd.io/Locked`, `filter.fluxd.io/app`, `fluxcd.io/tags.app`): read
 * as written, such a key would silently leave a release unlocked or unfiltered, so
 * read-release.ts holds back the release's update where ignoring it could loosen its policy, and
 * warns where it could not (a misspelt `automated`). Pure.
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

// Flux's other annotations (locked_msg, locked_user, sync-checksum, sync-gc-mark, antecedent) are
// each more than two edits from a policy name, so none is taken for a misspelt policy.
const POLICY_NAMES = ['automated', 'locked', 'ignore'] as const;
const FILTER_DOMAIN = 'filter.fluxcd.io';
const POLICY_DOMAINS = ['fluxcd.io', 'flux.weave.works'];

/** The policy a suffix was probably meant to name (`automate` -> `automated`), if any. */
function nearPolicy(suffix: string): PolicyName | undefined {
  const plain = suffix.toLowerCase().replace(/[^a-z]/g, '');
  for (const name of POLICY_NAMES) {
    if (suffix === name) return undefined;
    if (editDistance(plain, name, 2) <= 2) return name;
  }
  return undefined;
}

/**
 * Annotations whose keys look like misspelt Flux policy or filter annotations, which Flux ignores:
 * `fluxcd.io/automate`, `fluxcd.io/Locked`, `filter.fluxd.io/app`, `fluxcd.io/tags.app`.
 */
export function findNearMisses(annotations: readonly Annotation[]): NearMiss[] {
  const found: NearMiss[] = [];
  for (const a of annotations) {
    const miss = nearMissOfKey(a.key);
    if (miss) found.push({ annotation: a, ...miss });
  }
  return found;
}

/** How many keys {@link nearMissOfKey} remembers: a bound, not a goal. */
const KEYS_REMEMBERED = 1_000;
/** What each key was probably meant as (null: nothing), by key. */
const nearMissesByKey = new Map<string, Omit<NearMiss, 'annotation'> | null>();

/**
 * What a key was probably meant as, remembered by key: a few dozen keys recur over thousands of
 * releases, and each costs several edit distances (issue 17).
 */
function nearMissOfKey(key: string): Omit<NearMiss, 'annotation'> | undefined {
  let miss = nearMissesByKey.get(key);
  // Stryker disable next-line ConditionalExpression: a cache; reading the key again gives the same answer.
  if (miss === undefined) {
    miss = readNearMiss(key) ?? null;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the cache's size bound changes only what is remembered.
    if (nearMissesByKey.size >= KEYS_REMEMBERED) nearMissesByKey.clear();
    nearMissesByKey.set(key, miss);
  }
  return miss ?? undefined;
}

function readNearMiss(key: string): Omit<NearMiss, 'annotation'> | undefined {
  const slash = key.indexOf('/');
  if (slash <= 0) return undefined;
  const domain = key.slice(0, slash);
  const suffix = key.slice(slash + 1);
  if (suffix === '') return undefined;
  const lowerDomain = domain.toLowerCase();
  if (domain !== FILTER_DOMAIN && editDistance(lowerDomain, FILTER_DOMAIN, 3) <= 3) {
    return { meant: `${FILTER_DOMAIN}/${suffix}`, blocks: true };
  }
  const policyDomain = POLICY_DOMAINS.find((d) => d === domain);
  const nearDomain = POLICY_DOMAINS.find((d) => editDistance(lowerDomain, d, 2) <= 2);
  if (nearDomain === undefined) return undefined;
  // fluxctl's `policy --tag-all` writes a filter for each container; `tag_all`, its policy's name,
  // is no annotation Flux v1 reads, and `tag.all` would name a container called `all`.
  if (/^(?:tag[_-]?all|tags[._-]?all)$/i.test(suffix)) {
    return {
      meant: `${FILTER_DOMAIN}/<container>`,
      blocks: true,
      message:
        `${key} is not an annotation Flux v1 reads (fluxctl's --tag-all writes ${nearDomain}/tag.<container> ` +
        `for each container), so it filters nothing; write ${FILTER_DOMAIN}/<container> for each container instead`,
    };
  }
  const tagMatch = /^(tags?|filters?)[./:_-](.+)$/i.exec(suffix);
  if (tagMatch && (policyDomain === undefined || !suffix.startsWith('tag.'))) {
    return { meant: `${nearDomain}/tag.${tagMatch[2]}`, blocks: true };
  }
  const policy = nearPolicy(suffix);
  if (
    policy !== undefined ||
    (policyDomain === undefined && (POLICY_NAMES as readonly string[]).includes(suffix))
  ) {
    const name = policy ?? (suffix as PolicyName);
    return { meant: `${nearDomain}/${name}`, blocks: name !== 'automated' };
  }
  return undefined;
}
