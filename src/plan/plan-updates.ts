/**
 * The plan: from what detection found and what the registries said, decide each container's new
 * tag exactly as Flux v1 did (FLUX-V1-RULES §7) and produce the edited file texts (file-edits.ts).
 * Pure.
 */
import { withTag } from '../edit/locate-target.js';
import { chooseTagWithReleaseAge, releaseAgeHold } from '../filters/release-age.js';
import { DEFAULT_FILTER_VALUE, UNANNOTATED_FILTER } from '../filters/index.js';
import { releaseId, type FileScan, type ImageOccurrence } from '../helmrelease/types.js';
import type { RegistryError, TagDetails } from '../ports.js';
import { error, warning, type Problem } from '../problems.js';
import type { ContainerDecision, Plan, Update } from './types.js';
import { makeEdits } from './file-edits.js';
import { refuseAnchoredTags, refuseSharedText } from './shared-text.js';
import { refuseInvalidFile, withoutSkippedWarning } from './invalid-file.js';
import { mergeFilePlans, type FilePlan } from './file-plans.js';
import { updateTypeOf } from './update-type.js';
import { isRegistrySideError, uncheckedReason } from './unchecked-reason.js';
import { filterFor, pinnedDigest, policyDecision, releaseAgeOf, type PlanSettings } from './plan-lookups.js';

/** What the registry said about one repository. */
export type RepositoryData =
  | { ok: true; tags: readonly string[]; details: ReadonlyMap<string, TagDetails | RegistryError> }
  | { ok: false; reason: string };

/** A re-pushed image is a new release too: why the minimum release age holds it, if it does. */
function repushHold(tag: string, served: TagDetails, minimumMs: number, now: Date): string | undefined {
  return releaseAgeHold(`the image re-pushed as ${tag}`, served, minimumMs, now);
}

/**
 * `{ filterKey }` when the container's filter annotation is another form than
 * `filter.fluxcd.io/<container>` (`fluxcd.io/tag.app`), so the skip hint names the one to edit.
 */
function otherFilterKey(occurrence: ImageOccurrence): Pick<Update, 'filterKey'> {
  const key = occurrence.filter?.key;
  return key !== undefined && key !== `filter.fluxcd.io/${occurrence.container}` ? { filterKey: key } : {};
}

/**
 * `{ [field]: platforms }` of a tag whose details were read with its image's platforms, else `{}`
 * (semver orderings read no details; `run-update.ts` reads what the pull requests need).
 */
function platformsOf<K extends 'platforms' | 'fromPlatforms'>(
  details: ReadonlyMap<string, TagDetails | RegistryError>,
  tag: string,
  field: K,
): { [key in K]?: readonly string[] } {
  const found = details.get(tag);
  if (found === undefined || found instanceof Error || found.platforms === undefined) return {};
  return { [field]: found.platforms } as { [key in K]?: readonly string[] };
}

/**
 * `{ registryFailed }` for a pinned image whose digest read failed for the registry's reason (the
 * listing was read, so only this says the registry failed it), else `{}`: a read that failed for
 * the image's own reason, or a tag not described at all, is no failure of the registry's.
 */
function registryFailure(
  described: TagDetails | RegistryError | undefined,
): Pick<ContainerDecision, 'registryFailed'> {
  return described instanceof Error && isRegistrySideError(described) ? { registryFailed: true } : {};
}

/** Makes the plan. `texts` holds each scanned file's text (for the edits). */
export function planUpdates(
  scans: readonly FileScan[],
  texts: ReadonlyMap<string, string>,
  repositories: ReadonlyMap<string, RepositoryData>,
  settings: PlanSettings,
): Plan {
  const now = settings.now ?? new Date();
  return mergeFilePlans(
    scans.map((scan) => planFile(scan, texts.get(scan.file), repositories, settings, now)),
  );
}

/**
 * The plan of one scanned file, against the repositories its containers name (a repository not in
 * `repositories` is "not looked up"). `text` is the file's text, for the edit.
 */
export function planFile(
  scan: FileScan,
  text: string | undefined,
  repositories: ReadonlyMap<string, RepositoryData>,
  settings: PlanSettings,
  now: Date,
): FilePlan {
  const problems: Problem[] = [];
  const containers: ContainerDecision[] = [];
  /** What `containers[i]` was decided about. */
  const occurrences: ImageOccurrence[] = [];
  const reportedFilters = new Set<string>();
  for (const release of scan.releases) {
    for (const occurrence of release.containers) {
      occurrences.push(occurrence);
      const filterValue = occurrence.filter?.value ?? DEFAULT_FILTER_VALUE;
      const base = {
        file: scan.file,
        line: occurrence.line,
        documentIndex: release.documentIndex,
        release: releaseId(release),
        container: occurrence.container,
        image: occurrence.reference.text,
        repository: occurrence.reference.repository,
        current: occurrence.reference.tag,
        filter: filterValue,
        ...(occurrence.filter ? {} : { noFilterAnnotation: true as const }),
        ...(scan.detection === 'deep' ? { detection: 'deep' as const } : {}),
      };
      /** A problem about this container, on its line. */
      const about = (message: string, make = warning) =>
        problems.push(make(scan.file, occurrence.line, `${base.release} ${base.container}: ${message}`));
      const early = policyDecision(release, occurrence, settings);
      if (early) {
        // An ignored non-string tag was reported at its own line by the scan: say it once.
        if (
          early.decision === 'skipped' &&
          !occurrence.tag.ignoredTagReported &&
          !release.policies.generated
        ) {
          about(early.reason);
        }
        containers.push({ ...base, ...early });
        continue;
      }
      const filter = occurrence.filter ? filterFor(filterValue) : UNANNOTATED_FILTER;
      if (filter.problem && occurrence.filter) {
        const key = `${scan.file}:${occurrence.filter.line}`;
        if (!reportedFilters.has(key)) {
          reportedFilters.add(key);
          problems.push(
            warning(scan.file, occurrence.filter.line, `${occurrence.filter.key}: ${filter.problem}`),
          );
        }
      }
      const data = repositories.get(occurrence.reference.repository);
      if (!data || !data.ok) {
        const reason = uncheckedReason(occurrence.reference.repository, data ? data.reason : 'not looked up');
        about(reason, error);
        containers.push({ ...base, decision: 'error', reason, registryFailed: true });
        continue;
      }
      const { decision: choice, problems: tagProblems } = chooseTagWithReleaseAge(
        { filter, current: base.current!, tags: data.tags, details: data.details },
        releaseAgeOf(release, settings),
        now,
      );
      for (const message of tagProblems) {
        about(message);
      }
      // A digest pin moves to the chosen tag's digest as the registry serves it (the index's
      // for a multi-platform image, never a platform's), or the container is not updated.
      const pin = pinnedDigest(occurrence);
      const pinned =
        (occurrence.reference.digest !== undefined || occurrence.digestKey !== undefined) &&
        choice.kind === 'update';
      const described = pinned ? data.details.get(choice.tag) : undefined;
      const toDigest = described && !(described instanceof Error) ? described.digest : undefined;
      if (pinned && toDigest === undefined) {
        const why = described instanceof Error ? `: ${described.message}` : '';
        const reason = `pinned by digest, and the digest of ${choice.tag} could not be read${why}; not updated`;
        about(reason, error);
        containers.push({ ...base, decision: 'error', reason, ...registryFailure(described) });
      } else if (choice.kind === 'update') {
        const { current, ...shared } = base;
        const update: Update = {
          ...shared,
          namespace: release.namespace,
          name: release.name,
          newImage: withTag(
            occurrence,
            // A `digest:` key is not part of the reference; a pin in it is (`1.2.3@sha256:…`).
            toDigest && occurrence.reference.digest ? `${choice.tag}@${toDigest}` : choice.tag,
          ),
          ...(toDigest ? { toDigest } : {}),
          ...(toDigest && pin ? { pinnedDigest: pin } : {}),
          from: current!,
          to: choice.tag,
          ...otherFilterKey(occurrence),
          downgrade: choice.downgrade,
          chosenBy: choice.chosenBy,
          ...(choice.created ? { created: choice.created } : {}),
          ...(choice.heldBack ? { heldBack: choice.heldBack } : {}),
          ...(choice.source ? { source: choice.source } : {}),
          ...(choice.revision ? { revision: choice.revision } : {}),
          ...(choice.fromCreated ? { fromCreated: choice.fromCreated } : {}),
          ...platformsOf(data.details, choice.tag, 'platforms'),
          ...platformsOf(data.details, current!, 'fromPlatforms'),
          type: updateTypeOf(current!, choice.tag, choice.downgrade),
          notTaken: choice.notTaken,
        };
        containers.push({ ...base, decision: 'update', reason: choice.chosenBy, update });
      } else if (choice.kind === 'up-to-date' && settings.updateRepushedDigests && pin) {
        // The tag stays; its pin follows the image the registry now serves for it (a re-pushed tag).
        const fromDigest = pin;
        const current = base.current!;
        const served = data.details.get(current);
        if (served === undefined || served instanceof Error) {
          const why = served instanceof Error ? `: ${served.message}` : '';
          const reason = `pinned by digest, and the digest of ${current} could not be read${why}; not checked for a re-push`;
          about(reason, error);
          containers.push({ ...base, decision: 'error', reason, ...registryFailure(served) });
        } else if (served.digest === fromDigest) {
          containers.push({ ...base, decision: 'up-to-date', reason: `up to date (${choice.chosenBy})` });
        } else {
          const hold = repushHold(current, served, releaseAgeOf(release, settings), now);
          if (hold !== undefined) {
            containers.push({ ...base, decision: 'too-new', reason: `not proposed yet: ${hold}` });
          } else {
            const chosenBy = `${current} was re-pushed: its digest changed from ${fromDigest} to ${served.digest}`;
            const { current: _current, ...shared } = base;
            const update: Update = {
              ...shared,
              namespace: release.namespace,
              name: release.name,
              newImage: withTag(
                occurrence,
                occurrence.reference.digest ? `${current}@${served.digest}` : current,
              ),
              toDigest: served.digest,
              fromDigest,
              from: current,
              to: current,
              ...otherFilterKey(occurrence),
              downgrade: false,
              chosenBy,
              type: 'build',
              notTaken: [],
            };
            containers.push({ ...base, decision: 'update', reason: chosenBy, update });
          }
        }
      } else if (choice.kind === 'up-to-date') {
        containers.push({ ...base, decision: 'up-to-date', reason: `up to date (${choice.chosenBy})` });
      } else if (choice.kind === 'skipped' && choice.unchecked) {
        // No tag could be read at all: as much "could not be checked" as a listing that failed.
        const reason = uncheckedReason(occurrence.reference.repository, choice.reason);
        about(reason, error);
        containers.push({ ...base, decision: 'error', reason, registryFailed: true });
      } else {
        if (choice.kind === 'skipped') {
          about(choice.reason);
        }
        containers.push({ ...base, decision: choice.kind, reason: choice.reason });
      }
    }
  }

  // An anchored tag first: it is not edited, which the containers sharing its text must know.
  refuseAnchoredTags(scan.file, containers, occurrences, problems);
  refuseSharedText(scan.file, containers, occurrences, problems);
  // Last: only a file still about to be edited has its other documents read.
  const invalidLine = refuseInvalidFile(scan.file, text, containers, occurrences, problems);

  const editProblems: Problem[] = [];
  const texts = new Map(text === undefined ? [] : [[scan.file, text]]);
  // Stryker disable next-line ArrayDeclaration: the scan only spares the edit a parse; without it the edit scans the same text to the same scan
  const edits = makeEdits(containers, texts, new Map([[scan.file, scan]]), editProblems);
  const scanProblems = withoutSkippedWarning(scan.problems, invalidLine);
  return { containers, scanProblems, decisionProblems: problems, editProblems, edits };
}
