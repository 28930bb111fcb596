/**
 * The dashboard issue's text (the `dashboard` input): every container of every HelmRelease with
 * what the run decided for it, problems first, and the boxes a person ticks to act at the next run.
 * Pure. How the issue is found again and when its body changed are `dashboard-issue.ts`'s; the
 * boxes are `dashboard-ticks.ts`'s.
 *
 *   <!-- helmrelease-image-updater:dashboard -->
 *   **1 problem** · 2 pull requests open · 1 held back · 14 up to date
 *   ### Problems
 *   - apps/web (chart-image) `ghcr.io/acme/web:1.2` · [apps/web.yaml:12](…)<br>could not check …
 *   ### Held back by max-pull-requests
 *   - [ ] <!-- helmrelease-image-updater:open-now KEY --> **Open now:** `bitnami/mongodb` 4.0.3 → **4.0.4** …
 *
 * The text holds nothing that changes from run to run by itself (no times, no run ids outside the
 * truncation line, file links on the base branch rather than a commit), so an unchanged run
 * renders the same body and writes nothing. Text from files and registries goes through
 * `escapeMarkdown`, which also breaks `@mentions` and `#references`: an issue body notifies.
 */
import { code, encodePath, escapeMarkdown, safeUrl, ZERO_WIDTH_SPACE } from '../plan/markdown.js';
import type { ContainerDecision, DecisionKind } from '../plan/types.js';
import type { PullRequestOutcome } from '../ports.js';
import type { Problem } from '../problems.js';
import type { Update } from '../update.js';
import { boxTag, dashboardKey, NO_TICKS, type DashboardTicks, type TickKind } from './dashboard-ticks.js';
import { plural } from '../plural.js';
import { NOT_UPDATED_GROUPS, PROBLEM_DECISIONS, writtenImage } from './container-groups.js';
import { outageText, registryOutages, type RegistryOutage } from './registry-outages.js';
import type { WorkflowLink } from '../workflow-link.js';
import { dashboardMarker, DEFAULT_DASHBOARD_TITLE, MAX_DASHBOARD_LENGTH } from './dashboard-issue.js';

/** What the dashboard is rendered from: the run's report. */
export interface DashboardInput {
  containers: readonly ContainerDecision[];
  pullRequests: readonly PullRequestOutcome[];
  problems: readonly Problem[];
}

/** Where links point. */
export interface DashboardLinks {
  /** `https://github.com` or the GHES server URL. */
  serverUrl: string;
  owner: string;
  repo: string;
  /** The base branch, or `HEAD` (the default branch): never a commit, which would change every run. */
  ref: string;
  /** The job summary of this run, which lists everything, for a truncated dashboard. */
  summaryUrl?: string;
  /** The run's workflow, whose next run acts on the ticked boxes (`src/workflow-link.ts`). */
  workflow?: WorkflowLink;
}

/**
 * Where a container stands, as the dashboard groups it: a problem, its pull request's state, one
 * proposed that no pull request was written for, or the decision of one not updated (its group in
 * {@link NOT_UPDATED_GROUPS}, shared with the job summary).
 */
type Status = 'problem' | 'open' | 'held-back' | 'closed' | 'not-written' | DecisionKind;

/** One container row. */
interface Row {
  status: Status;
  container: ContainerDecision;
  outcome?: PullRequestOutcome;
  /** The sentence under the row. */
  reason: string;
  /** For a problem: how bad. */
  severity?: Problem['severity'];
}

/** Pull request outcomes that are problems. */
const PROBLEM_OUTCOMES = new Set(['failed']);

/** A container's identity, shared by its decision and its update. */
function containerKey(c: Pick<Update, 'file' | 'documentIndex' | 'release' | 'container'>): string {
  return [c.file, c.documentIndex, c.release, c.container].join('\0');
}

/** The row of one container: its status and the sentence that says why. */
function rowOf(container: ContainerDecision, outcome: PullRequestOutcome | undefined): Row {
  const row = (status: Status, reason: string, severity?: Problem['severity']): Row => ({
    status,
    container,
    reason,
    ...(outcome ? { outcome } : {}),
    ...(severity ? { severity } : {}),
  });
  if (PROBLEM_DECISIONS.has(container.decision)) {
    return row('problem', container.reason, container.decision === 'error' ? 'error' : 'warning');
  }
  if (container.decision !== 'update') return row(container.decision, container.reason);
  if (!outcome) return row('not-written', 'proposed, but no pull request was written in this run');
  const reason = outcome.reason ?? '';
  switch (outcome.action) {
    // Opened, updated or left: the same words, or the run after one that opened a pull request
    // would rewrite the dashboard to say it is still open.
    case 'created':
    case 'updated':
    case 'unchanged':
      return row('open', 'open');
    case 'would-create':
      return row('open', 'would open (dry run)');
    case 'would-update':
      return row('open', 'would update (dry run)');
    case 'held-back':
      return row('held-back', reason);
    case 'skipped':
      // Merged and asked for again means the base went back (a revert): refused as a close is, and
      // Retry brings it back alike (the writer's retry skips both).
      if (outcome.skipped === 'closed' || outcome.skipped === 'merged') return row('closed', reason);
      // The base branch already has the tag (the workspace was behind it): nothing to do.
      if (outcome.skipped === 'no-change') return row('up-to-date', reason);
      return row('problem', reason, 'warning');
    default:
      return PROBLEM_OUTCOMES.has(outcome.action)
        ? row('problem', reason || outcome.action, 'error')
        : row('not-written', reason || outcome.action);
  }
}

/** `[#12](url)`, or `#12` without a usable URL, or '' without a number. */
function pullRef(outcome: PullRequestOutcome | undefined): string {
  if (outcome?.number === undefined) return '';
  const url = outcome.url ? safeUrl(outcome.url) : undefined;
  return url ? `[#${outcome.number}](${url})` : `#${outcome.number}`;
}

/** `[file:line](url)` on the base branch. */
function fileLink(links: DashboardLinks, file: string, line: number): string {
  const text = escapeMarkdown(line > 0 ? `${file}:${line}` : file);
  const server = links.serverUrl.replace(/\/+$/, '');
  const url = safeUrl(
    `${server}/${encodePath(links.owner)}/${encodePath(links.repo)}/blob/${encodePath(links.ref)}/${encodePath(file)}${line > 0 ? `#L${line}` : ''}`,
  );
  return url ? `[${text}](${url})` : text;
}

/** `data/mongodb (chart-image)`. */
function where(c: { release: string; container: string }): string {
  return `${escapeMarkdown(c.release)} (${escapeMarkdown(c.container)})`;
}

/** The row's text: the image (and the bump, for an update), where, and the file link. */
function rowText(row: Row, links: DashboardLinks): string {
  const c = row.container;
  const update = c.update;
  const image = update
    ? `${code(update.repository)} ${escapeMarkdown(update.from)} → **${escapeMarkdown(update.to)}** (${update.type})`
    : code(writtenImage(c));
  return `${image} · ${where(c)} · ${fileLink(links, c.file, c.line)}`;
}

/** One list item per row (several rows of one pull request share its box). */
function rowItems(rows: readonly Row[], links: DashboardLinks, ticks: DashboardTicks): string[] {
  const items: string[] = [];
  const boxed = new Set<PullRequestOutcome>();
  for (const row of rows) {
    const { outcome } = row;
    const ref = pullRef(outcome);
    const reason = escapeMarkdown(row.reason).replace(
      new RegExp(`#${ZERO_WIDTH_SPACE}(\\d+)`),
      (m, n: string) => (ref && outcome?.number === Number(n) ? ref : m),
    );
    const kind: TickKind | undefined =
      row.status === 'held-back' ? 'open-now' : row.status === 'closed' ? 'retry' : undefined;
    if (kind && outcome) {
      if (boxed.has(outcome)) continue;
      boxed.add(outcome);
      const rest = rows.filter((r) => r.outcome === outcome);
      const key = dashboardKey(outcome.branch, outcome.updates);
      const box = ticks[kind].has(key) ? '[x]' : '[ ]';
      const action = kind === 'retry' ? '**Retry:** propose it again' : '**Open now**, past the cap';
      const lines = rest.map((r) => rowText(r, links));
      items.push(`- ${box} ${boxTag(kind, key)} ${action}: ${lines.join('<br>')}<br>${reason}`);
      continue;
    }
    const pull = row.status === 'open';
    const mark = row.severity === 'error' ? '**Error** ' : row.severity === 'warning' ? 'Warning ' : '';
    const head = pull ? `${[ref, reason].filter(Boolean).join(' ')}: ` : mark;
    // A problem with a pull request (someone else's commit on its branch) links it.
    const linked = ref && !reason.includes(ref) ? `${ref}: ${reason}` : reason;
    const tail = pull || WITHOUT_REASON.has(row.status) ? '' : `<br>${linked}`;
    items.push(`- ${head}${rowText(row, links)}${tail}`);
  }
  return items;
}

/** A registry none of whose repositories could be read, before its containers' rows (as in the job summary). */
function outageItem(o: RegistryOutage): string {
  return (
    `- **Registry not read** ${code(o.host)}: ${outageText(o)} (each is listed below). ` +
    `The first error: ${escapeMarkdown(o.firstReason)}`
  );
}

/** A problem that is not a container's row: severity, file link, message. */
function problemItem(p: Problem, links: DashboardLinks): string {
  const mark = p.severity === 'error' ? '**Error**' : 'Warning';
  const at = p.file ? `${fileLink(links, p.file, p.line)} ` : '';
  return `- ${mark} ${at}${escapeMarkdown(p.message)}`;
}

/** A section of the body: its heading, items, and whether it starts collapsed. */
interface Section {
  heading: string;
  items: string[];
  collapsed?: boolean;
  /** What the heading counts, when not its items (a registry's line is no problem of its own). */
  count?: number;
}

/**
 * The sections after the problems, in the order a person acts on them: the pull requests, then the
 * containers not updated in the groups and order the job summary uses too; `headline` is how the
 * first line counts each.
 */
const SECTIONS: { status: Status; heading: string; headline: string; collapsed?: boolean }[] = [
  { status: 'open', heading: 'Pull requests open', headline: 'open' },
  { status: 'held-back', heading: 'Held back by max-pull-requests', headline: 'held back' },
  { status: 'closed', heading: 'Closed without merging, or reverted', headline: 'closed or reverted' },
  {
    status: 'not-written',
    heading: 'Proposed, no pull request written',
    headline: 'not written',
    collapsed: true,
  },
  ...NOT_UPDATED_GROUPS.map((group) => ({
    status: group.decision,
    heading: group.heading,
    headline: group.count,
    ...(group.collapsed ? { collapsed: true } : {}),
  })),
];

/** The statuses whose rows say no reason (their heading says it). */
const WITHOUT_REASON: ReadonlySet<Status> = new Set(
  NOT_UPDATED_GROUPS.filter((group) => !group.withReason).map((group) => group.decision),
);

/** Options of {@link renderDashboard}. */
export interface DashboardOptions {
  links: DashboardLinks;
  /** The issue's title, which keys its marker (default {@link DEFAULT_DASHBOARD_TITLE}). */
  title?: string;
  /** The boxes ticked in the body read at the start of the run; they stay ticked until acted on. */
  ticks?: DashboardTicks;
  /** The longest body (default {@link MAX_DASHBOARD_LENGTH}). */
  maxLength?: number;
}

/** The dashboard issue's body. */
export function renderDashboard(input: DashboardInput, options: DashboardOptions): string {
  const { links } = options;
  const ticks = options.ticks ?? NO_TICKS;
  const outcomes = new Map<string, PullRequestOutcome>();
  for (const outcome of input.pullRequests) {
    for (const update of outcome.updates) outcomes.set(containerKey(update), outcome);
  }
  const rows = input.containers.map((c) => rowOf(c, c.update && outcomes.get(containerKey(c.update))));
  const byStatus = (status: Status): Row[] => rows.filter((r) => r.status === status);

  const problemRows = byStatus('problem');
  const problemLines = new Set(problemRows.map((r) => `${r.container.file}:${r.container.line}`));
  const otherProblems = input.problems.filter((p) => !problemLines.has(`${p.file}:${p.line}`));
  const problemCount = problemRows.length + otherProblems.length;
  // A registry none of whose repositories could be read first, then errors, each kind with the
  // containers' rows before the other problems.
  const outages = registryOutages(input.containers);
  const problemItems = [
    ...outages.map(outageItem),
    ...(['error', 'warning'] as const).flatMap((severity) => [
      ...rowItems(
        problemRows.filter((r) => r.severity === severity),
        links,
        ticks,
      ),
      ...otherProblems.filter((p) => p.severity === severity).map((p) => problemItem(p, links)),
    ]),
  ];

  const sections: Section[] = [
    {
      heading: 'Problems',
      items: problemItems,
      count: problemItems.length - outages.length,
    },
    ...SECTIONS.map(({ status, heading, collapsed }) => ({
      heading,
      items: rowItems(byStatus(status), links, ticks),
      ...(collapsed ? { collapsed } : {}),
    })),
  ];

  const releases = new Set(input.containers.map((c) => `${c.file}\0${c.documentIndex}`)).size;
  const headline = [
    problemCount ? `**${plural(problemCount, 'problem')}**` : '',
    ...SECTIONS.map(({ status, headline: word }) => {
      const n = byStatus(status).length;
      return n ? `${n} ${word}` : '';
    }),
  ].filter(Boolean);
  const head = [
    dashboardMarker(options.title ?? DEFAULT_DASHBOARD_TITLE),
    `${plural(releases, 'HelmRelease')}, ${plural(input.containers.length, 'container')}: ${headline.join(' · ') || 'nothing found'}`,
    '',
    '<sub>Written by helmrelease-image-updater, and rewritten only when something changes. ' +
      `Tick a box to act on it at ${nextRun(links.workflow)}.</sub>`,
    '',
  ];
  return assemble(head, sections, options.maxLength ?? MAX_DASHBOARD_LENGTH, links.summaryUrl);
}

/**
 * "the next run", linked to the workflow when it is known: its file says when it runs, and its
 * runs page can start one now.
 */
function nextRun(workflow: WorkflowLink | undefined): string {
  const runs = workflow && safeUrl(workflow.runsUrl);
  const file = workflow && safeUrl(workflow.fileUrl);
  if (!workflow || !runs || !file) return 'the next run';
  return `the next run of [${escapeMarkdown(workflow.name)}](${runs}): **Run workflow** on that page starts one now (with \`workflow_dispatch\`), and [its file](${file}) holds its schedule`;
}

/**
 * Joins the head and the sections, stopping before the body would pass `maxLength`: the rest is
 * counted on one line that points at the job summary (problems come first, so they are kept).
 */
function assemble(head: string[], sections: Section[], maxLength: number, summaryUrl?: string): string {
  const total = sections.reduce((n, s) => n + s.items.length, 0);
  const truncation = (left: number): string => {
    const url = summaryUrl ? safeUrl(summaryUrl) : undefined;
    const where = url ? `[the job summary](${url})` : 'the job summary of the run';
    return `**Truncated:** ${plural(left, 'more row')} did not fit in an issue (GitHub takes at most 65,536 characters); ${where} lists everything.`;
  };
  // Room kept for the truncation line and a section's closing lines.
  const reserve = truncation(total).length + 64;
  const out = [...head];
  let length = out.join('\n').length;
  let shown = 0;
  let listed = 0;
  for (const section of sections) {
    if (section.items.length === 0) continue;
    listed += section.items.length;
    const open = section.collapsed
      ? [
          '<details>',
          `<summary><b>${section.heading}</b> (${section.count ?? section.items.length})</summary>`,
          '',
        ]
      : [`### ${section.heading} (${section.count ?? section.items.length})`, ''];
    const close = section.collapsed ? ['', '</details>', ''] : [''];
    const openLength = open.join('\n').length + 1;
    if (length + openLength + reserve > maxLength) break;
    out.push(...open);
    length += openLength;
    for (const item of section.items) {
      if (length + item.length + 1 + reserve > maxLength) break;
      out.push(item);
      length += item.length + 1;
      shown++;
    }
    out.push(...close);
    length += close.join('\n').length + 1;
    if (shown < listed) break;
  }
  if (shown < total) out.push(truncation(total - shown), '');
  return out.join('\n').trimEnd() + '\n';
}
