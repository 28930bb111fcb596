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
 * Pure; explain-holds.ts says the holds of other files, explain-containers.ts each container.
 *
 *   HelmRelease data/mongodb (line 4, helm.fluxcd.io/v1): automated
 *     chart-image (line 20, detected in the values)
 *       image bitnami/mongodb:4.0.3: docker.io/bitnami/mongodb, tag 4.0.3
 *       filter semver:~4.0 (filter.fluxcd.io/chart-image, line 7)
 *       with the given tags: update to 4.0.10 (highest version matching ~4.0)
 *         4.1.0 refused: outside ~4.0
 */
import { scanFile } from '../helmrelease/scan-file.js';
import type { DetectionMode } from '../helmrelease/detect-deep.js';
import { releaseId, type HelmRelease } from '../helmrelease/types.js';
import { planUpdates, type RepositoryData } from '../plan/plan-updates.js';
import { invalidDocumentProblem, withoutSkippedWarning } from '../plan/invalid-file.js';
import { firstInvalidDocument } from '../helmrelease/invalid-documents.js';
import { shownPath, wrap } from './plan-text.js';
import { asGivenTags, tagListsOf } from './explain-tags.js';
import { elsewhere, heldLine, holdErrors, workspaceLine, type ExplainWorkspace } from './explain-holds.js';
import { containerLines } from './explain-containers.js';

export { ExplainTagsError, tagListsOf } from './explain-tags.js';
export type { ExplainWorkspace } from './explain-holds.js';

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

/** The policies of a release, in words. */
function policyText(release: HelmRelease): string {
  const p = release.policies;
  const parts = [p.automated ? 'automated' : 'not automated'];
  // A message written in quotes (`locked_msg: '"Halt updates"'`) is not quoted again.
  if (p.locked) parts.push(`locked${p.lockedMessage ? ` (${quoted(p.lockedMessage)})` : ''}`);
  if (p.ignored) parts.push('ignored');
  return parts.join(', ');
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
