/**
 * `explain`: the "why no pull request?" tool. For one file, offline, every HelmRelease with its
 * policies and containers (name, image, tag, filter and where each was read); with a list of tags,
 * the tag each container would get and why every newer tag was refused. The decisions come from
 * the planner itself, so they cannot disagree with a run; where the run's answer rests on what
 * explain does not read (build times, for a release's own minimum release age) or the run does not
 * plan the file (its paths leave it out), the verdict says so rather than promise an update.
 * Given the workspace the file is in, the release is held as a run holds it for what other files
 * say (a `.flux.yaml`, a Kustomize patch document, a kustomization), with each hold's error at its
 * file's line (two overlays locking it: both); without one, it says those holds were not checked.
 * Pure.
 *
 *   HelmRelease data/mongodb (line 4, helm.fluxcd.io/v1): automated
 *     chart-image (line 20, detected in the values)
 *       image bitnami/mongodb:4.0.3: docker.io/bitnami/mongodb, tag 4.0.3
 *       filter semver:~4.0 (filter.fluxcd.io/chart-image, line 7)
 *       with the given tags: update to 4.0.10 (highest version matching ~4.0)
 *         4.1.0 refused: outside ~4.0
 */
import {
  isArtifactTag,
  isCandidate,
  parseFilter,
  DEFAULT_FILTER_VALUE,
  NO_FILTER_ANNOTATION,
  type TagFilter,
} from '../filters/index.js';
import { scanFile } from '../helmrelease/scan-file.js';
import type { DetectionMode } from '../helmrelease/detect-deep.js';
import {
  releaseId,
  type FileScan,
  type HelmRelease,
  type ImageOccurrence,
  type ReleasePolicies,
} from '../helmrelease/types.js';
import { samePlace, type HoldPlace } from '../helmrelease/hold-places.js';
import { isValidTag } from '../image/reference.js';
import { planUpdates, type RepositoryData } from '../plan/plan-updates.js';
import { invalidDocumentProblem, withoutSkippedWarning } from '../plan/invalid-file.js';
import { firstInvalidDocument } from '../helmrelease/invalid-documents.js';
import type { ContainerDecision } from '../plan/types.js';
import type { Problem } from '../problems.js';
import { compareVersions, parseTagVersion } from '../filters/semver-filter.js';
import { formatAge } from '../filters/release-age.js';
import { MINIMUM_RELEASE_AGE_ANNOTATION } from '../helmrelease/release-age.js';
import { shownPath, wrap } from './plan-text.js';
import { asGivenTags, tagListsOf } from './explain-tags.js';

export { ExplainTagsError, tagListsOf } from './explain-tags.js';

/** What to explain. */
export interface ExplainInput {
  /** The file's path, as shown. */
  file: string;
  text: string;
  /**
   * Tags to choose from, as the registry would list them. Glob and regex filters order tags by
   * build time; without a registry, the list's order stands for it (oldest first).
   */
  tags?: readonly string[];
  /**
   * Tags for some containers only (`--tags NAME=a,b`), by container name or by repository (as
   * written, or normalised): a registry lists tags per repository, and files hold several.
   */
  namedTags?: ReadonlyMap<string, readonly string[]>;
  /** Only releases with `fluxcd.io/automated: "true"` are updated. */
  requireAutomated: boolean;
  /** The `detection` input (default `flux-v1`). */
  detection?: DetectionMode;
  /** The workspace the file is in, read as a run reads it; absent: holds from other files are not checked. */
  workspace?: ExplainWorkspace;
}

/** The workspace of the file explained, as a run with its folder as `--dir` scans it. */
export interface ExplainWorkspace {
  /** Its folder, as shown. */
  root: string;
  /** How it was found (`the --dir given`), as shown. */
  found: string;
  /**
   * The file's scan as the run makes it, with the holds of other files applied (its path is
   * workspace-relative); absent when the run keeps no scan of it (no HelmRelease, or not scanned).
   */
  scan?: FileScan;
  /** False when the run does not scan the file at all (its paths do not select it). */
  scanned: boolean;
  /** The problems the holds of other files raised, at those files; those for this file's releases are shown. */
  holdProblems: readonly Problem[];
  /** Folders the listing skipped (a kustomization there was not read), shown as they are. */
  listingProblems: readonly Problem[];
}

const OTHER_FILES = 'Holds from other files (a .flux.yaml, a Kustomize patch, a kustomization)';

/** The line saying whether the holds of other files were applied, and from where. */
function workspaceLine(workspace: ExplainWorkspace | undefined): string {
  if (workspace === undefined) return `${OTHER_FILES}: not checked (no workspace given)`;
  const where = `${shownPath(workspace.root)} (${workspace.found})`;
  return workspace.scanned
    ? `${OTHER_FILES}: checked in ${where}`
    : `${OTHER_FILES}: not checked: a run in ${where} does not scan this file, so it updates nothing in it`;
}

/** Every line that holds a release back, the first (the one its `blocked` says) first. */
function holdPlaces(release: HelmRelease): HoldPlace[] {
  const { blockedAt, alsoHeldAt = [] } = release.policies;
  return blockedAt === undefined ? [] : [blockedAt, ...alsoHeldAt];
}

/**
 * The errors of the holds written in other files that hold the scan's releases (each hold's, when
 * several hold one): those at the line each hold names, and of several there (a patch document
 * holding releases in more files), the ones that name the release in this file.
 */
function holdErrors(scan: FileScan, problems: readonly Problem[]): Problem[] {
  const found = new Set<Problem>();
  for (const release of scan.releases) {
    for (const at of holdPlaces(release)) {
      if (at.file === scan.file) continue;
      const there = problems.filter((p) => samePlace(p, at));
      const named = there.filter((p) => p.message.includes(`${releaseId(release)} in ${scan.file}`));
      for (const p of named.length > 0 ? named : there) found.add(p);
    }
  }
  return [...found];
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The release line of a release held back by `blocked`. Its reason is said once: when the error
 * that set it is among the problems shown (with its line and how to fix it), the line says only
 * where that is, and where every other hold shown is; otherwise (no such problem shown) the reason
 * itself.
 */
function heldLine(release: HelmRelease, file: string, shown: readonly Problem[]): string {
  const isShown = (at: HoldPlace) => shown.some((p) => samePlace(p, at));
  const [first, ...more] = holdPlaces(release);
  if (first === undefined || !isShown(first)) return `no update: ${release.policies.blocked}`;
  // Only the first can be in this file: an unusable annotation there holds it before all else.
  const where = [first, ...more.filter(isShown)].filter((at) => at.file !== file);
  const held = `held by ${listed(where.map((at) => `${shownPath(at.file)}:${at.line}`))}`;
  if (first.file !== file) return `no update: ${held} (see Problems)`;
  const unusable = `a policy annotation at line ${first.line} is unusable`;
  return `no update: ${unusable}${where.length > 0 ? `, and it is ${held}` : ''} (see Problems)`;
}

/** A problem at another file, with its path. */
function elsewhere(p: Problem): string {
  return `${p.severity} ${shownPath(p.file)}:${p.line}: ${p.message}`;
}

/** The policies of a release, in words. */
function policyText(release: HelmRelease): string {
  const p = release.policies;
  const parts = [p.automated ? 'automated' : 'not automated'];
  // A message written in quotes (`locked_msg: '"Halt updates"'`) is not quoted again.
  if (p.locked) parts.push(`locked${p.lockedMessage ? ` (${quoted(p.lockedMessage)})` : ''}`);
  if (p.ignored) parts.push('ignored');
  return parts.join(', ');
}

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
function containerLines(
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

/** Explains every HelmRelease of one file. */
export function explainFile(input: ExplainInput): string {
  const scan =
    input.workspace?.scan ?? scanFile(input.file, input.text, undefined, { detection: input.detection });
  const out: string[] = [shownPath(input.file)];
  if (scan.releases.length === 0) out.push('  No HelmRelease in this file.');
  else out.push(...wrap(workspaceLine(input.workspace), 2));
  // The planner decides, with the given tags standing in for each repository's listing.
  const lists = tagListsOf(scan, input.tags, input.namedTags ?? new Map());
  // Lists for named containers in a file where none was read: said, not silently dropped.
  const named = [...(input.namedTags?.keys() ?? [])];
  if (named.length > 0 && scan.releases.every((r) => r.containers.length === 0)) {
    out.push(
      ...wrap(
        `--tags ${named.map((name) => `${name}=…`).join(', ')}: no container was read in this file to give ${named.length > 1 ? 'them' : 'it'} to`,
        2,
      ),
    );
  }
  const repositories = new Map<string, RepositoryData>();
  for (const [repository, tags] of lists) {
    repositories.set(repository, {
      ok: true,
      tags: [...tags],
      details: new Map(
        tags.map((tag, i) => [
          tag,
          {
            digest: `sha256:${String(i).padStart(64, '0')}`,
            created: new Date(Date.UTC(2000, 0, 1, 0, 0, i)),
          },
        ]),
      ),
    });
  }
  const plan = planUpdates([scan], new Map([[scan.file, input.text]]), repositories, {
    requireAutomated: input.requireAutomated,
  });
  // The plan reads a file's other documents only for an update; without tags there is none, and a
  // document Flux v1 cannot load holds every release here back all the same.
  const invalid = scan.releases.length > 0 ? firstInvalidDocument(input.text, () => false) : undefined;
  const problems = withoutSkippedWarning(
    plan.problems
      .filter((p) => !/: not looked up$/.test(p.message))
      .map((p) => (lists.size > 0 ? { ...p, message: asGivenTags(p.message) } : p)),
    invalid?.line,
  );
  const unloadable = invalid && invalidDocumentProblem(scan.file, invalid);
  if (unloadable && !problems.some((p) => p.line === unloadable.line && p.message === unloadable.message)) {
    problems.push(unloadable);
  }
  // The errors of the holds written elsewhere that hold this file's releases, at their own lines.
  const others = [
    ...holdErrors(scan, input.workspace?.holdProblems ?? []),
    ...(scan.releases.length > 0 ? (input.workspace?.listingProblems ?? []) : []),
  ];
  for (const release of scan.releases) {
    out.push(
      '',
      ...wrap(
        `HelmRelease ${releaseId(release)} (line ${release.line}, ${release.apiVersion}): ${policyText(release)}`,
        0,
      ),
    );
    const { blocked } = release.policies;
    if (blocked) out.push(...wrap(heldLine(release, scan.file, [...problems, ...others]), 2));
    if (release.containers.length === 0) out.push('  No container image found in spec.values.');
    for (const occurrence of release.containers) {
      const decision = plan.containers.find(
        (c) => c.documentIndex === release.documentIndex && c.container === occurrence.container,
      );
      out.push(
        ...containerLines(
          occurrence,
          decision,
          lists.get(occurrence.reference.repository),
          release.policies,
          input.workspace?.scanned ?? true,
        ),
      );
    }
  }
  if (problems.length || others.length) {
    out.push('', 'Problems:');
    for (const p of problems) out.push(...wrap(`${p.severity} line ${p.line}: ${p.message}`, 2));
    for (const p of others) out.push(...wrap(elsewhere(p), 2));
  }
  return out.join('\n') + '\n';
}

/** `text` in double quotes, unless it is already written in them. */
function quoted(text: string): string {
  return /^".*"$/s.test(text) ? text : `"${text}"`;
}
