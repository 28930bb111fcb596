/**
 * `explain`'s lines for one container of a release: where its image, tag and filter were read,
 * the planner's verdict in words, and with the given tags, why every newer tag was refused. Pure.
 */
import {
  isArtifactTag,
  isCandidate,
  parseFilter,
  DEFAULT_FILTER_VALUE,
  NO_FILTER_ANNOTATION,
  type TagFilter,
} from '../filters/index.js';
import type { ImageOccurrence, ReleasePolicies } from '../helmrelease/types.js';
import { isValidTag } from '../image/reference.js';
import type { ContainerDecision } from '../plan/types.js';
import { compareVersions, parseTagVersion } from '../filters/semver-filter.js';
import { formatAge } from '../filters/release-age.js';
import { MINIMUM_RELEASE_AGE_ANNOTATION } from '../helmrelease/release-age.js';
import { wrap } from './plan-text.js';
import { asGivenTags } from './explain-tags.js';

/** Why `tag` was not chosen over `chosen` (both in the repository's list). */
function refusal(filter: TagFilter, tag: string, chosen: string | undefined): string {
  if (!isValidTag(tag)) return 'not a valid Docker tag';
  if (!isCandidate(filter, tag)) {
    if (tag.toLowerCase() === 'latest') return 'a latest tag is only chosen by glob:latest';
    if (isArtifactTag(tag)) return 'a signature, attestation or SBOM tag, never chosen';
    if (filter.kind === 'semver') {
      const version = parseTagVersion(tag);
      if (version === undefined) return 'not a version';
      return `${version.prerelease ? 'a pre-release, ' : ''}outside ${filter.pattern}`;
    }
    return `does not match ${filter.value}`;
  }
  if (chosen === undefined) return 'matches, but was not chosen';
  return filter.kind === 'semver'
    ? `matches, but ${chosen} is higher`
    : `matches, but ${chosen} is a newer build`;
}

/**
 * The tags "newer" than the current one, in the order the filter ranks them: higher versions for
 * semver; for glob and regex, the tags listed after the current one (all of them when it is not
 * listed).
 */
function newerTags(filter: TagFilter, current: string, tags: readonly string[]): string[] {
  const unique = [...new Set(tags)].filter((tag) => tag !== current);
  if (filter.kind === 'semver') {
    const base = parseTagVersion(current);
    const versioned = unique
      .map((tag) => ({ tag, version: parseTagVersion(tag) }))
      .filter((t) => t.version !== undefined && (base === undefined || compareVersions(t.version, base) > 0));
    return versioned.sort((a, b) => compareVersions(b.version!, a.version!)).map((t) => t.tag);
  }
  const at = tags.indexOf(current);
  return unique.filter((tag) => tags.indexOf(tag) > at).reverse();
}

/**
 * The condition a release's own minimum release age puts on an update: the run holds an image
 * younger than that back (proposing the next-best tag old enough, or none yet), and explain, which
 * reads no build times, cannot tell which; without it explain would promise what a run refuses.
 */
function releaseAgeCondition(policies: ReleasePolicies): string {
  const ms = policies.minimumReleaseAgeMs ?? 0;
  if (ms <= 0) return '';
  const age = formatAge(ms);
  return (
    `, once its image is ${age} old: ${MINIMUM_RELEASE_AGE_ANNOTATION} (${age}) holds a younger one back ` +
    '(a run then proposes the next-best tag that old, or waits), and explain reads no build times'
  );
}

/**
 * The lines for one container of a release with `policies`: a hold (`blocked`) is said on the
 * release's line, a `.flux.yaml`'s reason under Problems, so neither is said again here.
 */
export function containerLines(
  occurrence: ImageOccurrence,
  decision: ContainerDecision | undefined,
  tags: readonly string[] | undefined,
  policies: ReleasePolicies,
  scanned: boolean,
): string[] {
  const held = policies.blocked;
  const ref = occurrence.reference;
  const how = occurrence.source === 'alias' ? 'alias annotations' : 'detected in the values';
  const lines = wrap(`${occurrence.container} (line ${occurrence.line}, ${how})`, 2);
  const pinned = ref.digest ? `, digest ${ref.digest}` : '';
  lines.push(
    ...wrap(
      `image ${ref.text}: ${ref.repository}, ${ref.tag === undefined ? 'no tag' : `tag ${ref.tag}`}${pinned}`,
      4,
    ),
  );
  const filterValue = occurrence.filter?.value ?? DEFAULT_FILTER_VALUE;
  lines.push(
    ...wrap(
      occurrence.filter
        ? `filter ${filterValue} (${occurrence.filter.key}, line ${occurrence.filter.line})`
        : `filter ${filterValue} (${NO_FILTER_ANNOTATION}, newest build first)`,
      4,
    ),
  );
  if (!decision) return lines;
  // A file the run does not scan gets no update whatever its tags: the plan below is not the run's.
  if (!scanned) {
    lines.push(...wrap('no update: a run does not scan this file (above)', 4));
    return lines;
  }
  // The release's hold, said on its line above, is not said again for each container.
  if (held !== undefined && decision.decision === 'error' && decision.reason === held) {
    lines.push(...wrap('no update: its HelmRelease is held (above)', 4));
    return lines;
  }
  // A .flux.yaml's reason is its warning under Problems (at the release's line): said once.
  const { generated, generatedBy } = policies;
  if (generatedBy !== undefined && decision.decision === 'skipped' && decision.reason === generated) {
    lines.push(...wrap(`not edited: ${generatedBy} governs this file (see Problems)`, 4));
    return lines;
  }
  // Without tags the planner could not look the repository up; say how to get a choice.
  if (decision.decision === 'error' && decision.reason.endsWith(': not looked up')) {
    lines.push(
      ...wrap(`give --tags a,b,c (or --tags ${occurrence.container}=a,b,c) to see which tag it would get`, 4),
    );
    return lines;
  }
  // The build times were made up from the list's order: they are not worth showing. The list is
  // the one given, not a registry's.
  const reason = tags
    ? asGivenTags(decision.reason.replace(/, built \d{4}-\d\d-\d\dT[\d:.]+Z/g, ''))
    : decision.reason;
  // A lower version or an older build is proposed as a downgrade (titled so); say it here too.
  const verdict =
    decision.decision === 'update'
      ? `${decision.update!.downgrade ? 'downgrade' : 'update'} to ${decision.update!.to} (${reason})${releaseAgeCondition(policies)}`
      : reason;
  const chose = ['update', 'up-to-date', 'no-matching-tag'].includes(decision.decision);
  lines.push(...wrap(`${tags && chose ? 'with the given tags: ' : ''}${verdict}`, 4));
  if (tags && chose && ref.tag !== undefined && !ref.digest) {
    const filter = parseFilter(filterValue);
    const chosen = decision.update?.to ?? (decision.decision === 'up-to-date' ? ref.tag : undefined);
    const newer = newerTags(filter, ref.tag, tags).filter((tag) => tag !== chosen);
    const width = Math.min(24, Math.max(0, ...newer.map((t) => t.length)));
    for (const tag of newer)
      lines.push(...wrap(`${tag.padEnd(width)}  refused: ${refusal(filter, tag, chosen)}`, 6));
  }
  return lines;
}
