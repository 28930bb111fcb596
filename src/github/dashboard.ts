/**
 * The dashboard issue on GitHub (the `dashboard` input). It is found again with one request: the
 * open issues carrying {@link DASHBOARD_LABEL}, oldest first, one page, the first whose body holds
 * the marker of its title ({@link dashboardMarker}), so workflows with different `dashboard-title`s
 * keep separate issues. (The search API would find the marker without a label, but its index
 * lags behind a new issue, which would make a second dashboard, and it has its own, lower rate
 * limit.) It is written only when its text changed, so an unchanged run makes no write.
 *
 * Two runs that overlap (a schedule and a `workflow_dispatch`) each read no dashboard when they
 * start, minutes before they write it, so each may open one. The next run keeps the oldest, acts on
 * the boxes ticked in any of them, and closes the others (`duplicates`); left open, a newer one kept
 * its first run's text and boxes that nothing read.
 *
 * Nothing here stops a run: an issue that cannot be read or written (a token without
 * `issues: write`, issues turned off) is one warning, and the pull requests are written anyway.
 */
import {
  DASHBOARD_LABEL,
  DASHBOARD_MARKER,
  dashboardMarker,
  DEFAULT_DASHBOARD_TITLE,
  sameDashboardBody,
} from '../report/dashboard-issue.js';
import { renderDashboard, type DashboardInput, type DashboardLinks } from '../report/dashboard-text.js';
import {
  NO_TICKS,
  parseDashboardTicks,
  unknownTickedKinds,
  type DashboardTicks,
} from '../report/dashboard-ticks.js';
import {
  call,
  fullName,
  GitHubError,
  GitHubPermissionError,
  isAlreadyExists,
  repoParams,
  type Repository,
} from './github-call.js';

/** The dashboard issue as read. */
export interface DashboardIssue {
  number: number;
  url: string;
  title: string;
  body: string;
}

/** What reading the dashboard found: the issue (none yet on a first run) and its ticked boxes. */
export type DashboardRead =
  | {
      ok: true;
      issue: DashboardIssue | undefined;
      ticks: DashboardTicks;
      /** Newer open issues with the same marker, opened by runs that overlapped: to be closed. */
      duplicates: readonly number[];
      /**
       * A warning when boxes of a kind this version does not write (a newer version's) are ticked:
       * they are not acted on, and the rewritten issue drops them, so a person must hear of it.
       */
      unknownBoxes?: string;
    }
  | { ok: false; warning: string; ticks: DashboardTicks };

/** What writing the dashboard did. */
export type DashboardWrite =
  | {
      action: 'created' | 'updated' | 'unchanged' | 'would-create' | 'would-update';
      number?: number;
      url?: string;
      /** The duplicates closed; a warning when one could not be (the next run tries again). */
      closed?: readonly number[];
      warning?: string;
    }
  | { action: 'failed'; warning: string };

/** Open issues with the label read in one page; the dashboard is the oldest, so it is on the first. */
const ISSUES_PER_PAGE = 30;

/** The dashboard label's colour (GitHub's blue). */
const LABEL_COLOR = '1d76db';

/** Why the dashboard could not be read or written, with what to do about it. */
function explain(doing: string, e: unknown): string {
  const permission =
    'the token needs `issues: write` (add it to the workflow’s `permissions`); the pull requests were written anyway';
  if (e instanceof GitHubPermissionError) return `The dashboard issue could not be ${doing}: ${permission}.`;
  if (e instanceof GitHubError && e.status === 403 && !/rate limit/i.test(e.details)) {
    return `The dashboard issue could not be ${doing} (${e.endpoint}: 403): ${permission}.`;
  }
  if (e instanceof GitHubError && e.status === 410) {
    return `The dashboard issue could not be ${doing}: issues are turned off in this repository (410); turn them on or set \`dashboard: false\`.`;
  }
  return `The dashboard issue could not be ${doing}: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * Finds the dashboard issue titled `title` and reads its ticked boxes (one request). An issue of a
 * title other than the default written before markers were keyed by title carries the unkeyed
 * marker: it is found by its title, and carries its own marker from its next write.
 */
export async function readDashboard(
  repository: Repository,
  title = DEFAULT_DASHBOARD_TITLE,
): Promise<DashboardRead> {
  const { github } = repository;
  try {
    const issues = await call(`GET /repos/${fullName(repository)}/issues`, () =>
      github.rest.issues.listForRepo({
        ...repoParams(repository),
        state: 'open',
        labels: DASHBOARD_LABEL,
        sort: 'created',
        direction: 'asc',
        per_page: ISSUES_PER_PAGE,
      }),
    );
    // The issues API lists pull requests too; a pull request is never the dashboard.
    const dashboards = issues.filter((i) => !i.pull_request);
    const marker = dashboardMarker(title);
    const found =
      dashboards.find((i) => (i.body ?? '').includes(marker)) ??
      dashboards.find((i) => i.title === title && (i.body ?? '').includes(DASHBOARD_MARKER));
    if (!found) return { ok: true, issue: undefined, ticks: NO_TICKS, duplicates: [] };
    const body = found.body ?? '';
    const duplicates = dashboards.filter((i) => i !== found && (i.body ?? '').includes(marker));
    const unknown = unknownTickedKinds(body);
    return {
      ...(unknown.length > 0
        ? {
            unknownBoxes:
              `The dashboard issue #${found.number} has ticked boxes this version of the Action does not know ` +
              `(${unknown.join(', ')}), written by a newer version: they are not acted on, and the issue this version writes ` +
              'leaves them out. Run the newer version to act on them.',
          }
        : {}),
      ok: true,
      issue: { number: found.number, url: found.html_url, title: found.title, body },
      // A box ticked in a duplicate is acted on too: the person may have opened that one.
      ticks: [body, ...duplicates.map((i) => i.body ?? '')].map(parseDashboardTicks).reduce(unionTicks),
      duplicates: duplicates.map((i) => i.number),
    };
  } catch (e) {
    return { ok: false, warning: explain('read', e), ticks: NO_TICKS };
  }
}

/** The boxes ticked in either. */
function unionTicks(a: DashboardTicks, b: DashboardTicks): DashboardTicks {
  return {
    retry: new Set([...a.retry, ...b.retry]),
    'open-now': new Set([...a['open-now'], ...b['open-now']]),
  };
}

/**
 * Closes the duplicates of the dashboard `kept`, each with a body saying which one is kept (and
 * without the marker, so a reopened one is not read as a dashboard). What could not be closed is a
 * warning; the next run finds it again.
 */
async function closeDuplicates(
  repository: Repository,
  duplicates: readonly number[],
  kept: number,
): Promise<{ closed: number[]; warning?: string }> {
  const closed: number[] = [];
  for (const number of duplicates) {
    try {
      await call(`PATCH /repos/${fullName(repository)}/issues/${number}`, () =>
        repository.github.rest.issues.update({
          ...repoParams(repository),
          issue_number: number,
          state: 'closed',
          body: `A second dashboard, opened by a run that overlapped another; #${kept} is the one kept up to date.`,
        }),
      );
      closed.push(number);
    } catch (e) {
      return { closed, warning: explain(`closed as a duplicate of #${kept} (#${number})`, e) };
    }
  }
  return { closed };
}

/**
 * Creates the dashboard, or updates it when its title or text changed; in a dry run says what it
 * would do. At most one write, plus the label's creation when the issue is created.
 */
export async function writeDashboard(
  repository: Repository,
  found: DashboardIssue | undefined,
  page: { title: string; body: string },
  dryRun = false,
): Promise<DashboardWrite> {
  const { github } = repository;
  const params = repoParams(repository);
  const name = fullName(repository);
  const { title, body } = page;
  if (found && found.title === title && sameDashboardBody(found.body, body)) {
    return { action: 'unchanged', number: found.number, url: found.url };
  }
  if (dryRun) {
    return found
      ? { action: 'would-update', number: found.number, url: found.url }
      : { action: 'would-create' };
  }
  try {
    if (found) {
      await call(`PATCH /repos/${name}/issues/${found.number}`, () =>
        github.rest.issues.update({ ...params, issue_number: found.number, title, body }),
      );
      return { action: 'updated', number: found.number, url: found.url };
    }
    // Without its label the next run would not find the issue and would open another one, so
    // the label is made first (one request; one already there is as good).
    await call(`POST /repos/${name}/labels`, () =>
      github.rest.issues.createLabel({
        ...params,
        name: DASHBOARD_LABEL,
        color: LABEL_COLOR,
        description: 'The dashboard of helmrelease-image-updater',
      }),
    ).catch((e: unknown) => {
      if (!isAlreadyExists(e)) throw e;
    });
    const created = await call(`POST /repos/${name}/issues`, () =>
      github.rest.issues.create({ ...params, title, body, labels: [DASHBOARD_LABEL] }),
    );
    return { action: 'created', number: created.number, url: created.html_url };
  } catch (e) {
    return { action: 'failed', warning: explain(found ? 'updated' : 'created', e) };
  }
}

/**
 * Renders the run's dashboard (its read boxes kept ticked until acted on) and writes it if it changed.
 * When the run found none, the issues are listed again right before one is opened: a run that
 * overlapped this one may have opened it since this one read (minutes ago); it is then written, its
 * ticked boxes kept. That narrows the window to one request; the next run closes what slips through.
 */
export async function publishDashboard(
  repository: Repository,
  found: Extract<DashboardRead, { ok: true }>,
  report: DashboardInput,
  options: { title: string; links: DashboardLinks; dryRun?: boolean; maxLength?: number },
): Promise<DashboardWrite> {
  let read = found;
  if (!read.issue && !options.dryRun) {
    // A failed listing changes nothing: the issue is opened as before, or its failure said.
    const again = await readDashboard(repository, options.title);
    if (again.ok) read = { ...again, ticks: unionTicks(found.ticks, again.ticks) };
  }
  const body = renderDashboard(report, {
    links: options.links,
    title: options.title,
    ticks: read.ticks,
    ...(options.maxLength ? { maxLength: options.maxLength } : {}),
  });
  const written = await writeDashboard(
    repository,
    read.issue,
    { title: options.title, body },
    options.dryRun,
  );
  const kept = read.issue?.number;
  if (written.action === 'failed' || options.dryRun || kept === undefined || read.duplicates.length === 0) {
    return written;
  }
  return { ...written, ...(await closeDuplicates(repository, read.duplicates, kept)) };
}
