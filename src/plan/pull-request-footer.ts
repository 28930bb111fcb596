/**
 * The pull request body's footer, for a reviewer deciding what to do with the pull request: how
 * the Action keeps it (what updates it, when its branch is rebuilt, whether GitHub merges it), what
 * closing it does and how to skip its tag for good, who wrote it (the run and its workflow, linked),
 * and the hidden marker. Pure.
 */
import { splitFilterValue } from '../filters/parse-filter.js';
import { groupBy } from '../group-by.js';
import { compareVersions, parseSemverConstraint, parseTagVersion } from '../filters/semver-filter.js';
import { AUTOMERGE_COVERS, automergeRefusal, type AutomergeLevel } from './automerge-rule.js';
import { capText, code, escapeMarkdown, literal, safeUrl } from './markdown.js';
import type { GroupBy } from './branch-name.js';
import type { Update } from './types.js';

/** How the inputs have the Action keep its pull requests. */
export interface KeepingPolicy {
  /** `rebase-when`. */
  rebaseWhen: 'conflicted' | 'behind-base' | 'never';
  /** `automerge`. */
  automerge: AutomergeLevel;
  /** `group-by` (absent: `container`): with `image`, a newer tag is a new pull request. */
  groupBy?: GroupBy;
}

/** The workflow of the run that writes the text, as `workflow-link.ts` reads it from the runner. */
export interface WrittenByRun {
  /** The workflow's name. */
  name: string;
  /** Its runs page. */
  runsUrl: string;
  /** The run's page and number, when the runner named them. */
  run?: { url: string; number: string };
}

/** What the footer needs besides the updates. */
export interface FooterContext {
  /** The base branch. */
  base: string;
  branch: string;
  keeping?: KeepingPolicy;
  writtenBy?: WrittenByRun;
}

/** A full version as a tag (`5.0.0`, `v5.0.0-alpine`), which a semver constraint can name alone. */
const FULL_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/**
 * How a semver constraint names exactly the version of `tag` after `!=`, or undefined when none
 * can (`mainline`, `1.2.3.4`: `semver:!=mainline` does not parse, and such a filter holds the
 * release until it is fixed). A tag with a missing part names it in full: Masterminds reads a
 * missing part as a wildcard, so `!=1.10` would also leave out every later `1.10.x`.
 */
function skippedVersion(tag: string): string | undefined {
  const version = parseTagVersion(tag);
  if (version === undefined) return undefined;
  const { major, minor, patch, prerelease } = version;
  const named = FULL_VERSION.test(tag)
    ? tag
    : `${major}.${minor}.${patch}${prerelease ? `-${prerelease}` : ''}`;
  return 'error' in parseSemverConstraint(`!=${named}`) ? undefined : named;
}

/**
 * True when two tags spell one version (`2.5.0` and `v2.5.0`, `1.27` and `1.27.0`), which a semver
 * filter orders by their text alone and a constraint cannot tell apart: `!=v2.5.0` leaves `2.5.0`
 * out too.
 */
function sameVersion(a: string, b: string): boolean {
  const left = parseTagVersion(a);
  const right = parseTagVersion(b);
  return left !== undefined && right !== undefined && compareVersions(left, right) === 0;
}

/**
 * The annotation that keeps `to` out for good, as one YAML line: semver filters get `!=<to>` in
 * every alternative; glob and regex filters cannot leave out one tag, so it says how to hold the
 * release instead. Not for a re-pushed tag (`to` is the current tag: leaving it out would move the
 * container off it), nor for a semver downgrade, where the filter takes no tag as high as the
 * current one, so leaving `to` out would only bring the next lower tag: it says how to stay.
 */
export function ignoreVersionHint(
  update: Pick<
    Update,
    'container' | 'filter' | 'from' | 'to' | 'downgrade' | 'noFilterAnnotation' | 'filterKey'
  >,
): string {
  if (update.to === update.from) return '';
  // The annotation the filter was read from (`fluxcd.io/tag.app`): a `filter.fluxcd.io/app` added
  // beside it would disagree with it, a warning on every run.
  const name = update.filterKey ?? `filter.fluxcd.io/${update.container}`;
  const key = /^[A-Za-z0-9._/-]+$/.test(name) ? name : JSON.stringify(name);
  const { kind, pattern } = splitFilterValue(update.filter);
  if (kind === 'semver' && update.downgrade) {
    // `~4.0 || 5.0.0` takes the current 5.0.0 again, and then nothing above it: the container stays.
    const keep = FULL_VERSION.test(update.from)
      ? `set ${literal(`${key}: ${JSON.stringify(`semver:${pattern.trim() ? `${pattern.trim()} || ` : ''}${update.from}`)}`)}, or `
      : '';
    return `The filter takes no tag as high as the current ${literal(update.from)}, so skipping ${literal(update.to)} would only bring the next lower one: to stay on ${literal(update.from)}, ${keep}set ${code('fluxcd.io/locked: "true"')} on the HelmRelease.`;
  }
  // `to` spelling the current version otherwise (`v2.5.0` after `2.5.0`): leaving it out with `!=`
  // would leave the current tag out too, and the filter would take a lower version.
  const same = sameVersion(update.from, update.to);
  const skipped = same ? undefined : skippedVersion(update.to);
  // A semver filter chose `to`, so a constraint can name it.
  if (kind === 'semver' && skipped !== undefined) {
    const alternatives = pattern.split('||');
    const value = alternatives
      .map((part) => (part.trim() === '' ? `!=${skipped}` : `${part.trim()}, !=${skipped}`))
      .join(' || ');
    return `To skip ${literal(update.to)} for good, set ${literal(`${key}: ${JSON.stringify(`semver:${value}`)}`)}.`;
  }
  const lock = `set ${code('fluxcd.io/locked: "true"')} on the HelmRelease`;
  if (kind === 'semver' && same) {
    return `${literal(update.to)} is the version of the current ${literal(update.from)}, spelled otherwise, and a semver filter cannot leave out one spelling: to stay on ${literal(update.from)}, ${lock}, or use a ${code('glob:')} or ${code('regex:')} filter that ${literal(update.to)} does not match.`;
  }
  // Without an annotation there is no filter to edit: "a glob filter" would send the reader
  // looking for one. Adding a filter narrows what the container gets, so it is named. A tag that
  // is no version is left out by a glob or regex instead (`glob:*-alpine` leaves `mainline` out).
  if (update.noFilterAnnotation) {
    const add =
      skipped === undefined
        ? `add ${code(key)} with a ${code('glob:')} or ${code('regex:')} pattern that ${literal(update.to)} does not match`
        : `add ${code(key)} with a ${code('semver:')} constraint and ${literal(`!=${skipped}`)}`;
    return `With no filter annotation every tag but latest is taken, and one tag cannot be left out: to stay on the current tag, ${lock}, or ${add}.`;
  }
  const narrow =
    skipped === undefined
      ? `narrow the filter so that ${literal(update.to)} does not match it`
      : `use a ${code('semver:')} filter with ${literal(`!=${skipped}`)}`;
  return `A ${kind} filter cannot leave out one tag: to stay on the current tag, ${lock}, or ${narrow}.`;
}

/**
 * What keeps the pull request current, what closing does, how to skip the version for good, who
 * wrote it, and the marker.
 */
export function footerLines(updates: readonly Update[], context: FooterContext, marker: string): string[] {
  const first = updates[0];
  const closing =
    first !== undefined &&
    updates.every(
      (u) =>
        u.to === first.to &&
        u.filter === first.filter &&
        u.container === first.container &&
        u.from === first.from,
    )
      ? [
          `Closing this pull request without merging keeps the Action from proposing ${proposing(first)} again; a newer tag is still proposed. ${ignoreVersionHint(first)}`.trimEnd(),
        ]
      : severalClosingLines(updates);
  return [
    '---',
    '',
    ...(context.keeping ? [keepingLine(updates, context.base, context.keeping), ''] : []),
    ...closing,
    '',
    `Opened by helmrelease-image-updater from branch ${literal(capText(context.branch, 1000))}.`,
    ...(context.writtenBy ? ['', writtenByLine(context.writtenBy)] : []),
    '',
    marker,
    '',
  ];
}

/**
 * What updates the pull request, when its branch is rebuilt (`rebase-when`), that someone else's
 * commit makes the Action leave it alone, and whether GitHub merges it (`automerge`): what
 * Renovate's "Rebasing" and "Automerge" lines say, from the settings the run was given.
 */
function keepingLine(updates: readonly Update[], base: string, policy: KeepingPolicy): string {
  const branch = literal(base);
  const files = new Set(updates.map((u) => u.file)).size > 1 ? 'one of its files' : 'its file';
  const several = new Set(updates.map((u) => `${u.file}\n${u.release}\n${u.container}`)).size > 1;
  const rebuilt = {
    conflicted: `Its branch is rebuilt on ${branch} only when ${branch}'s copy of ${files} changes (${code('rebase-when: conflicted')}).`,
    'behind-base': `Its branch is rebuilt on ${branch} whenever ${branch} moves on (${code('rebase-when: behind-base')}).`,
    never: `Its branch is rebuilt only for a newer tag, not when ${branch} moves on (${code('rebase-when: never')}).`,
  }[policy.rebaseWhen];
  const newer = several ? 'a newer tag that one of its filters allows' : 'a newer tag the filter allows';
  // With `group-by: image` the tag is in the branch's name: a newer one opens a pull request of its
  // own, which closes this one as superseded.
  const updated =
    policy.groupBy === 'image'
      ? `${newer} opens a new pull request that replaces this one (${code('group-by: image')}).`
      : `${newer} updates this pull request.`;
  const parts = [
    `**Kept current:** ${updated} ${rebuilt} Once anyone else pushes a commit to the branch, the Action leaves it alone.`,
  ];
  const level = policy.automerge;
  if (level !== 'none') {
    const setting = code(`automerge: ${level}`);
    const left = updates.flatMap((u) => {
      const refusal = automergeRefusal(u, level);
      return refusal === undefined ? [] : [{ u, refusal }];
    });
    if (left.length === 0) {
      parts.push(
        `**Auto-merge:** the Action asks GitHub to merge it once branch protection is satisfied (${setting}).`,
      );
    } else {
      const kinds = [
        ...new Set(
          left.map(({ u, refusal }) =>
            refusal === 'downgrade'
              ? 'a downgrade'
              : refusal === 'variant'
                ? `a ${u.type} update to another variant of its image`
                : `a ${u.type} update`,
          ),
        ),
      ];
      parts.push(
        `**Auto-merge:** not for this pull request: ${setting} covers ${AUTOMERGE_COVERS[level]}, and it holds ${kinds.join(' and ')}.`,
      );
    }
  }
  return parts.join(' ');
}

/** The start of the line that names the run that wrote the text (`mustRewriteText` reads it). */
export const WRITTEN_BY_START = 'Last written by ';

/**
 * The run that wrote this text, and its workflow, linked: where the reviewer reads the run's log,
 * or starts a run now. No `#` before the run's number: GitHub would link `#42` to issue 42.
 */
function writtenByLine(workflow: WrittenByRun): string {
  const { run } = workflow;
  const name = escapeMarkdown(capText(workflow.name, 100));
  const runsUrl = safeUrl(workflow.runsUrl);
  const linked = runsUrl ? `[${name}](${runsUrl})` : name;
  const runUrl = run && /^\d{1,20}$/.test(run.number) ? safeUrl(run.url) : undefined;
  return runUrl
    ? `${WRITTEN_BY_START}[run ${run!.number}](${runUrl}) of the ${linked} workflow.`
    : `${WRITTEN_BY_START}the ${linked} workflow.`;
}

/** What closing keeps from coming back: the tag, or for a re-pushed one, a new digest of it. */
function proposing(u: Update): string {
  return u.to === u.from ? `a new digest of ${literal(u.to)}` : literal(u.to);
}

/** The most skip hints a footer lists (one per container and tag). */
const MAX_HINTS = 5;

/**
 * What closing a pull request with several tags does, and how to skip each one for good: closing
 * keeps each tag from coming back for its container, while a newer tag of any of them opens one
 * again, without the others (`read-branch-facts.ts`).
 */
function severalClosingLines(updates: readonly Update[]): string[] {
  // With several releases (`group-by: image`) each one's annotation is its own to change, and
  // their containers are often all `chart-image`: each hint names its release too.
  const severalReleases = new Set(updates.map((u) => u.release)).size > 1;
  const hintOf = new Map(updates.map((u) => [u, ignoreVersionHint(u)]));
  // One release written once per cluster (`clusters/staging/…`, `clusters/production/…`) is one
  // name in several files, each with its own annotation and current tag. Where their hints for a
  // container differ (or one has none, a re-pushed tag), each names its file: a reviewer setting
  // one file's `!=4.0.4` in the other would move that one off its tag.
  const containerOf = (u: Update): string => `${u.release}\n${u.container}`;
  const byContainer = groupBy(updates, containerOf);
  const hints = new Map<string, string>();
  for (const u of updates) {
    const hint = hintOf.get(u)!;
    if (hint === '') continue;
    const alike = byContainer.get(containerOf(u))!;
    const inFile =
      new Set(alike.map((a) => a.file)).size > 1 && new Set(alike.map((a) => hintOf.get(a))).size > 1;
    const release = severalReleases || inFile ? ` of ${literal(u.release)}` : '';
    const file = inFile ? ` in ${literal(capText(u.file, 300))}` : '';
    hints.set(
      `${severalReleases ? u.release : ''}\n${inFile ? u.file : ''}\n${u.container}\n${u.filter}\n${u.noFilterAnnotation ?? false}\n${u.from}\n${u.to}`,
      `${literal(u.container)}${release}${file}: ${hint}`,
    );
  }
  const lines = [
    'Closing this pull request without merging keeps the Action from proposing each of these tags again for its container; a newer tag of any of them is still proposed, without the others.',
    '',
  ];
  for (const hint of [...hints.values()].slice(0, MAX_HINTS)) lines.push(`- ${hint}`);
  if (hints.size > MAX_HINTS) lines.push(`- …and ${hints.size - MAX_HINTS} more.`);
  return lines;
}
