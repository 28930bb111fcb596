/**
 * The job summary: what needs a person first, in lists that fit GitHub's ~880 px summary column.
 * Problems (a registry none of whose repositories could be read first, registry-outages.ts; then
 * errors), then the pull requests opened or updated, grouped by update type with
 * the riskiest first (downgrade, major, pre-release, minor, patch, build: {@link UPDATE_TYPES}; a
 * pull request of several updates goes with its riskiest type, as its `{type}` label does), then
 * the ones that failed to be written (GitHub's answer under each), then what was held back or
 * skipped and why (the tool chose not to write those), then the containers that were not updated,
 * in the groups and order the dashboard issue uses too (container-groups.ts; a filter no tag
 * passes is a problem in both); the groups with nothing to act on are collapsed. Every row links to
 * its file and line. Pure.
 *
 *   ## HelmRelease image updates
 *   **1 error**, 2 warnings · 3 pull requests opened or updated · 14 up to date
 *   ### Problems
 *   - **Error** [clusters/prod/web.yaml:12](…) apps/web chart-image: could not check …
 *   ### Pull requests
 *   #### Major (1)
 *   - [#13](…) opened: `bitnami/redis` 6.2.0 → **7.0.0** (major) · data/redis (chart-image) · [….yaml:9](…)
 *   #### Patch (2)
 *   - [#12](…) opened: `bitnami/mongodb` 4.0.3 → **4.0.4** (patch) · data/mongodb (chart-image) · [….yaml:14](…)
 *
 * Bounded by GitHub's limit on a step's summary (1 MiB; a larger one is not shown at all): rows
 * past {@link MAX_SUMMARY_BYTES} are left out, with a line that says so.
 */
import { cancelledNote } from './cancelled-note.js';
import { NOT_REACHED_CANCELLED } from '../cancelled-text.js';
import { plural } from '../plural.js';
import { mostSignificantType } from '../plan/pull-request-text.js';
import type { ContainerDecision } from '../plan/types.js';
import type { PullRequestOutcome } from '../ports.js';
import type { Problem } from '../problems.js';
import type { RunReport } from '../run-update.js';
import { UPDATE_TYPES, type Update, type UpdateType } from '../update.js';
import { notUpdatedGroups, warningContainers, writtenImage } from './container-groups.js';
import { outageText, registryOutages, type RegistryOutage } from './registry-outages.js';
import { code, escapeText, fileLink, updateLine, where, type SummaryLinks } from './summary-markdown.js';
import { obsoleteItem, pullRequestItem, reasonItems, supersededNumbers } from './summary-pull-requests.js';

/** `1 major, 2 patch`: updates counted by type, riskiest first (in the order of {@link UPDATE_TYPES}). */
function countByType(updates: readonly Update[]): string {
  return UPDATE_TYPES.flatMap((type) => {
    const n = updates.filter((u) => u.type === type).length;
    return n > 0 ? [`${n} ${type}`] : [];
  }).join(', ');
}

/**
 * A container that was not updated, with the reason: image first, as in the summary's update rows
 * and the dashboard's rows (`image:tag · ns/release (container) · file:line`).
 */
function containerItem(c: ContainerDecision, links: SummaryLinks | undefined, withReason = true): string {
  const line = `- ${code(writtenImage(c))} · ${where(c)} · ${fileLink(links, c.file, c.line)}`;
  return withReason ? `${line}<br>${escapeText(c.reason)}` : line;
}

/** A container no tag of whose repository passes its filter, as a warning: file and line, where, image, why. */
function problemContainerItem(c: ContainerDecision, links: SummaryLinks | undefined): string {
  return `- Warning ${fileLink(links, c.file, c.line)} ${where(c)} ${code(writtenImage(c))}: ${escapeText(c.reason)}`;
}

/** A registry none of whose repositories could be read, as a list item over its containers' problems. */
function outageItem(o: RegistryOutage): string {
  return (
    `- **Registry not read** ${code(o.host)}: ${outageText(o)} (each is listed below). ` +
    `The first error: ${escapeText(o.firstReason)}`
  );
}

/** A problem as a list item: severity mark, file and line, message. */
function problemItem(p: Problem, links: SummaryLinks | undefined): string {
  const mark = p.severity === 'error' ? '**Error**' : 'Warning';
  const at = p.file ? `${fileLink(links, p.file, p.line)} ` : '';
  return `- ${mark} ${at}${escapeText(p.message)}`;
}

/** A collapsed list: `<details>` with a summary line (blank lines so GitHub renders the Markdown inside). */
function collapsed(summary: string, items: readonly string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...items, '', '</details>', ''];
}

/** More items than this in a visible list and the rest are collapsed. */
const VISIBLE_ITEMS = 20;

/** A section: a heading and its items, the items past {@link VISIBLE_ITEMS} collapsed. */
function section(heading: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, VISIBLE_ITEMS);
  const rest = items.slice(VISIBLE_ITEMS);
  return [`### ${heading}`, '', ...shown, '', ...(rest.length ? collapsed(`${rest.length} more`, rest) : [])];
}

/** The small heading of each update type's group. */
const TYPE_HEADINGS: Record<UpdateType, string> = {
  major: 'Major',
  minor: 'Minor',
  patch: 'Patch',
  'pre-release': 'Pre-release',
  build: 'Newer build',
  downgrade: 'Downgrade',
};

/**
 * A section of rows grouped by update type, riskiest first (in the order of {@link UPDATE_TYPES}),
 * each group under a small heading with its count; the rows past {@link VISIBLE_ITEMS} of a group
 * are collapsed.
 */
function sectionByType(heading: string, rows: readonly { type: UpdateType; item: string }[]): string[] {
  if (rows.length === 0) return [];
  const lines = [`### ${heading}`, ''];
  for (const type of UPDATE_TYPES) {
    const items = rows.filter((row) => row.type === type).map((row) => row.item);
    if (items.length === 0) continue;
    const rest = items.slice(VISIBLE_ITEMS);
    lines.push(
      `#### ${TYPE_HEADINGS[type]} (${items.length})`,
      '',
      ...items.slice(0, VISIBLE_ITEMS),
      '',
      ...(rest.length ? collapsed(`${rest.length} more`, rest) : []),
    );
  }
  return lines;
}

/** The most significant type of a pull request's updates (its `{type}` label's). */
function typeOf(pr: PullRequestOutcome): UpdateType {
  return mostSignificantType(pr.updates) ?? 'build';
}

/** GitHub's limit on a step's summary; a larger one is refused whole. */
export const GITHUB_SUMMARY_LIMIT = 1024 * 1024;
/** What the summary may use: the limit with a margin (other steps' summaries are separate). */
export const MAX_SUMMARY_BYTES = GITHUB_SUMMARY_LIMIT - 16 * 1024;

/**
 * `lines` joined, within {@link MAX_SUMMARY_BYTES}: whole lines up to the limit, any `<details>`
 * left open closed, and a line saying how many were left out.
 */
function bounded(lines: readonly string[]): string {
  const text = lines.join('\n');
  if (Buffer.byteLength(text) <= MAX_SUMMARY_BYTES) return text;
  const room = MAX_SUMMARY_BYTES - 1024;
  const kept: string[] = [];
  let used = 0;
  let open = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (used + size > room) break;
    kept.push(line);
    used += size;
    if (line === '<details>') open++;
    if (line === '</details>') open--;
  }
  const left =
    lines.filter((line) => line.startsWith('- ')).length -
    kept.filter((line) => line.startsWith('- ')).length;
  for (; open > 0; open--) kept.push('', '</details>');
  kept.push(
    '',
    `**${plural(left, 'more row')} left out**: GitHub shows no job summary over 1 MiB. The CLI (\`--json\`) on the same checkout lists every one.`,
    '',
  );
  return kept.join('\n');
}

/**
 * The heading over the run's updates. `planned`: no pull request outcome came back (the writer
 * failed before it wrote any, or there is none), so the updates are listed without one.
 */
function pullRequestsHeading(dryRun: boolean, planned: boolean): string {
  if (dryRun) return 'Pull requests (dry run: none written)';
  return planned ? 'Updates (no pull request written)' : 'Pull requests';
}

/** The job summary as GitHub-flavoured Markdown. */
export function renderSummary(
  report: RunReport,
  dryRun: boolean,
  links?: SummaryLinks,
  /** The signal that cancelled the run, if one did (`action-cancel.ts`). */
  cancelledBy?: string,
): string {
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  const byAction = (...actions: string[]) => report.pullRequests.filter((pr) => actions.includes(pr.action));
  const written = byAction('created', 'updated', 'would-create', 'would-update');
  const heldBack = byAction('held-back');
  // A cancelled run's pull requests it did not reach are no failure of theirs: listed apart.
  const notReached = byAction('failed').filter((pr) => pr.reason === NOT_REACHED_CANCELLED);
  const failed = byAction('failed').filter((pr) => !notReached.includes(pr));
  const skipped = byAction('skipped');
  // A pull request kept open by a skip (someone else's commits on it) is also an `unchanged`
  // result, so that the outputs list every open one as such; here its skip says it once.
  const skippedNumbers = new Set(skipped.map((pr) => pr.number));
  const unchanged = byAction('unchanged').filter((pr) => !skippedNumbers.has(pr.number));
  const obsolete = byAction('closed', 'would-close');
  const superseded = supersededNumbers(report.pullRequests);
  const containers = report.plan.containers;
  // Problems, as on the dashboard: errors and skips are the run's problems already (one for a
  // whole file, say); a filter no tag passes is none of the run's, so it is listed as a warning.
  const problemContainers = warningContainers(containers);
  const groups = notUpdatedGroups(containers);
  // Without a pull request writer (an Action run without token cannot happen; the CLI has none),
  // the plan's updates are what there is to show.
  const planned = report.pullRequests.length === 0 ? report.plan.updates : [];

  const warningCount = warnings.length + problemContainers.length;
  const headline = [
    errors.length ? `**${plural(errors.length, 'error')}**` : '',
    warningCount ? plural(warningCount, 'warning') : '',
    written.length
      ? `${plural(written.length, 'pull request')} ${dryRun ? 'to open or update' : 'opened or updated'}`
      : '',
    planned.length ? plural(planned.length, 'update') : '',
    unchanged.length ? `${unchanged.length} still open` : '',
    failed.length ? `${failed.length} failed` : '',
    notReached.length ? `${notReached.length} not reached` : '',
    heldBack.length ? `${heldBack.length} held back` : '',
    skipped.length ? `${skipped.length} skipped` : '',
    superseded.size ? `${superseded.size} ${dryRun ? 'to close' : 'closed'} as superseded` : '',
    obsolete.length ? `${obsolete.length} ${dryRun ? 'to close' : 'closed'} as obsolete` : '',
    // Each group counted as the dashboard counts it; up to date is said even at 0.
    ...groups.map(({ decision, count, containers: group }) =>
      group.length || (decision === 'up-to-date' && containers.length) ? `${group.length} ${count}` : '',
    ),
  ].filter(Boolean);
  if (headline.length === 0) headline.push('No container was checked.');
  const { counts } = report;

  const lines = [
    `## HelmRelease image updates${dryRun ? ' (dry run)' : ''}${cancelledBy ? ' (cancelled)' : ''}`,
    '',
    ...(cancelledBy ? cancelledNote(report, cancelledBy) : []),
    headline.join(' · '),
    '',
    `<sub>${[
      plural(counts.files, 'file') + ' scanned',
      plural(counts.releases, 'HelmRelease'),
      plural(counts.containers, 'container'),
      plural(counts.repositories, 'repository', 'repositories') + ' queried',
      ...(report.plan.updates.length
        ? [`${plural(report.plan.updates.length, 'update')}: ${countByType(report.plan.updates)}`]
        : []),
    ].join(' · ')}${report.stopped ? ` · stopped: ${escapeText(report.stopped)}` : ''}</sub>`,
    '',
    ...section('Problems', [
      ...registryOutages(containers).map(outageItem),
      ...errors.map((p) => problemItem(p, links)),
      ...warnings.map((p) => problemItem(p, links)),
      ...problemContainers.map((c) => problemContainerItem(c, links)),
    ]),
    ...sectionByType(pullRequestsHeading(dryRun, planned.length > 0), [
      ...written.map((pr) => ({ type: typeOf(pr), item: pullRequestItem(pr, links, dryRun) })),
      ...planned.map((u) => ({ type: u.type, item: `- ${updateLine(u, links)}` })),
    ]),
    ...section('Failed to write', reasonItems(failed, links)),
    ...section('Not reached: the run was cancelled', reasonItems(notReached, links)),
    ...section('Held back', reasonItems(heldBack, links)),
    ...section('Skipped', reasonItems(skipped, links)),
    ...section(dryRun ? 'Would close as obsolete' : 'Closed as obsolete', obsolete.map(obsoleteItem)),
    ...groups
      .filter((group) => !group.collapsed)
      .flatMap((group) =>
        section(
          group.heading,
          group.containers.map((c) => containerItem(c, links, group.withReason)),
        ),
      ),
  ];
  if (unchanged.length) {
    lines.push(
      ...collapsed(
        `${plural(unchanged.length, 'pull request')} still open, nothing new`,
        unchanged.map((pr) => pullRequestItem(pr, links, dryRun)),
      ),
    );
  }
  for (const group of groups) {
    if (!group.collapsed || group.containers.length === 0) continue;
    lines.push(
      ...collapsed(
        `<b>${group.heading}</b> (${group.containers.length})`,
        group.containers.map((c) => containerItem(c, links, group.withReason)),
      ),
    );
  }
  return bounded(lines);
}
