/**
 * `npx tsx scripts/render-dashboard.ts [out.png]`: renders the dashboard issue as a person sees it.
 *
 * The issue is real output: the pull request writer works on the GitHub stand-in (one pull request
 * closed without merging, one opened, one held back by `max-pull-requests: 1`), and the dashboard
 * is published there beside containers the plan did not update (a registry that refused both of its
 * repositories, a tag too new, a locked release, up-to-date ones). Its body is turned into HTML
 * with `marked` (GitHub-flavoured Markdown, task lists included), styled like GitHub's issue
 * description and photographed by headless Chromium at GitHub's ~880 px column. Writes
 * `docs/dashboard.png` (or the given path) and prints the body's size.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { marked } from 'marked';
import { applyUpdates } from '../src/edit/apply-updates.js';
import { publishDashboard, readDashboard } from '../src/github/dashboard.js';
import { createGitHubClient } from '../src/github/octokit.js';
import { writePullRequests } from '../src/github/pull-request-writer.js';
import { groupUpdates } from '../src/plan/branch-name.js';
import type { ContainerDecision } from '../src/plan/types.js';
import { warning } from '../src/problems.js';
import { DEFAULT_DASHBOARD_TITLE } from '../src/report/dashboard-issue.js';
import { tickedFor } from '../src/report/dashboard-ticks.js';
import type { Update } from '../src/update.js';
import { workflowLink } from '../src/workflow-link.js';
import { startGitHubStandIn, WRITE_TOKEN } from '../test-support/github/stand-in.js';
import { makeUpdate } from '../test-support/github/updates.js';
import { dumpDom, GITHUB_WIDTH, screenshot } from './render/chromium.js';

const WIDTH = GITHUB_WIDTH;
const PREFIX = 'helmrelease-image-updater/';

/** A HelmRelease whose chart image tag is on line 17. */
function helmRelease(namespace: string, name: string, repository: string, tag: string): string {
  return `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/chart-image: semver:^${tag.split('.')[0]}
spec:
  chart:
    repository: https://charts.example.com
    name: ${name}
    version: 1.0.0
  values:
    image:
      repository: ${repository}
      tag: ${tag}
`;
}

/** The chart-image update of one release. */
function update(file: string, release: string, repository: string, from: string, to: string): Update {
  const [namespace, name] = release.split('/') as [string, string];
  return makeUpdate({
    file,
    line: 17,
    release,
    namespace,
    name,
    repository,
    image: `${repository}:${from}`,
    newImage: `${repository}:${to}`,
    from,
    to,
    filter: `semver:^${from.split('.')[0]}`,
    chosenBy: `highest version matching ^${from.split('.')[0]}`,
    type: to.split('.')[1] === from.split('.')[1] ? 'patch' : 'minor',
  });
}

/** A container the plan did not update. */
function container(
  file: string,
  release: string,
  repository: string,
  current: string,
  decision: ContainerDecision['decision'],
  reason: string,
): ContainerDecision {
  return {
    file,
    line: 17,
    documentIndex: 0,
    release,
    container: 'chart-image',
    image: `${repository}:${current}`,
    repository,
    current,
    filter: 'semver:*',
    decision,
    reason,
  };
}

/** The plan's decision for an update. */
function decisionOf(u: Update): ContainerDecision {
  return {
    ...container(u.file, u.release, u.repository, u.from, 'update', u.chosenBy),
    filter: u.filter,
    update: u,
  };
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'docs/dashboard.png');
  const standIn = await startGitHubStandIn();
  try {
    const updates = [
      update('apps/frontend.yaml', 'web/frontend', 'ghcr.io/acme/web-app', '6.5.0', '6.5.4'),
      update('apps/api.yaml', 'web/api', 'ghcr.io/acme/api', '2.3.1', '2.4.0'),
      update('data/redis.yaml', 'data/redis', 'docker.io/bitnami/redis', '7.2.4', '7.2.5'),
    ];
    const files = Object.fromEntries(
      updates.map((u) => [u.file, helmRelease(u.namespace!, u.name, u.repository, u.from)]),
    );
    await standIn.createRepository('acme', 'fleet', files);
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: standIn.url,
      retries: 0,
      spaceWrites: false,
    });
    const repository = { github, owner: 'acme', repo: 'fleet' };
    const write = (list: Update[], read: Awaited<ReturnType<typeof readDashboard>>) =>
      writePullRequests(groupUpdates(list, 'container', PREFIX), {
        github,
        owner: 'acme',
        repo: 'fleet',
        branchPrefix: PREFIX,
        applyUpdates,
        maxPullRequests: 1,
        ticked: tickedFor(read.ticks),
        // As main.ts passes it when the dashboard issue was read: the reasons name its boxes.
        dashboard: true,
      });

    // An earlier run proposed web/api 2.4.0, and someone closed the pull request.
    await write([updates[1]!], await readDashboard(repository));
    await standIn.closePullRequest('acme', 'fleet', 1);

    const read = await readDashboard(repository);
    if (!read.ok) throw new Error(read.warning);
    const written = await write(updates, read);
    const others = [
      container(
        'apps/search.yaml',
        'web/search',
        'registry.example.com/search',
        '3.1.0',
        'error',
        'could not check registry.example.com/search: 401 Unauthorized (check the credentials for registry.example.com)',
      ),
      container(
        'apps/indexer.yaml',
        'web/indexer',
        'registry.example.com/indexer',
        '3.1.0',
        'error',
        'could not check registry.example.com/indexer: 401 Unauthorized (check the credentials for registry.example.com)',
      ),
      container(
        'apps/worker.yaml',
        'web/worker',
        'ghcr.io/acme/worker',
        '1.8.0',
        'too-new',
        'not proposed yet: 1.9.0 (built 2026-11-30 18:12 UTC) is younger than the minimum release age 3d and will be proposed from 2026-12-03 18:12 UTC',
      ),
      container(
        'data/postgres.yaml',
        'data/postgres',
        'docker.io/bitnami/postgresql',
        '16.4.0',
        'locked',
        'locked (fluxcd.io/locked: "true"): major upgrade planned for January',
      ),
      container(
        'monitoring/prometheus.yaml',
        'monitoring/prometheus',
        'quay.io/prometheus/prometheus',
        'v3.1.0',
        'up-to-date',
        'up to date (highest version matching ^3)',
      ),
      container(
        'monitoring/grafana.yaml',
        'monitoring/grafana',
        'docker.io/grafana/grafana',
        '11.3.1',
        'up-to-date',
        'up to date (highest version matching ^11)',
      ),
      container(
        'messaging/nats.yaml',
        'messaging/nats',
        'docker.io/library/nats',
        '2.10.24-alpine',
        'not-automated',
        'not automated (no fluxcd.io/automated: "true")',
      ),
    ];
    const problems = [
      warning(
        'apps/legacy.yaml',
        9,
        'filter.fluxcd.io/chart-image: unknown filter prefix "semvr:"; did you mean "semver:"?',
      ),
    ];
    const result = await publishDashboard(
      repository,
      read,
      {
        containers: [...updates.map(decisionOf), ...others],
        pullRequests: written.results,
        problems: [...problems, ...written.problems],
      },
      {
        title: DEFAULT_DASHBOARD_TITLE,
        links: {
          serverUrl: 'https://github.com',
          owner: 'acme',
          repo: 'fleet',
          ref: 'HEAD',
          // As the runner's variables name a scheduled run's workflow.
          workflow: workflowLink({
            serverUrl: 'https://github.com',
            repository: 'acme/fleet',
            workflowRef: 'acme/fleet/.github/workflows/image-updates.yml@refs/heads/main',
            workflowName: 'Image updates',
          }),
        },
      },
    );
    if (result.action !== 'created')
      throw new Error(`the dashboard was not created: ${JSON.stringify(result)}`);
    const [issue] = standIn.issues('acme', 'fleet');
    const body = issue!.body ?? '';
    const html = page(issue!.title, issue!.number, await marked.parse(body, { gfm: true }));
    const dir = await mkdtemp(join(tmpdir(), 'render-dashboard-'));
    const file = join(dir, 'dashboard.html');
    await writeFile(file, html);
    await writeFile(join(dir, 'dashboard.md'), body);
    const options = { profile: join(dir, 'profile') };
    const dom = dumpDom(file, WIDTH, options);
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? 2000);
    screenshot(file, out, { width: WIDTH, height }, options);
    console.log(`${out}: body ${body.length} characters; Markdown and HTML in ${dir}`);
  } finally {
    await standIn.stop();
  }
}

/** A page like GitHub's issue description box, at the column's width. */
function page(title: string, number: number, body: string): string {
  // Opened for the picture; GitHub shows them collapsed.
  const opened = body.replace(/<details>/g, '<details open>');
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #fff; color: #1f2328; width: ${WIDTH}px;
    font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
  .title { font-size: 26px; font-weight: 400; margin: 16px 16px 8px; }
  .title span { color: #59636e; font-weight: 300; }
  .box { margin: 8px 16px 16px; border: 1px solid #d1d9e0; border-radius: 6px; }
  .head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e;
    border-radius: 6px 6px 0 0; }
  .markdown { padding: 16px; overflow-wrap: break-word; }
  .markdown > :first-child { margin-top: 0; }
  h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; }
  p, ul { margin: 0 0 16px; } ul { padding-left: 2em; } li + li { margin-top: .25em; }
  li:has(> input[type=checkbox]) { list-style: none; margin-left: -1.4em; }
  input[type=checkbox] { margin: 0 .3em .25em 0; vertical-align: middle; }
  sub { color: #59636e; }
  code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #818b981f;
    padding: .2em .4em; border-radius: 6px; }
  a { color: #0969da; text-decoration: none; }
  details { margin: 0 0 8px; } summary { cursor: pointer; margin-bottom: 8px; }
</style></head><body>
<div class="title">${escape(title)} <span>#${number}</span></div>
<div class="box"><div class="head"><b>github-actions</b> opened this issue</div>
<div class="markdown">${opened}</div></div>
<script>document.documentElement.setAttribute('data-height', String(document.documentElement.scrollHeight));</script>
</body></html>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
