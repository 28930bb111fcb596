/**
 * `npx tsx scripts/render-pull-request.ts [--group-by-release] [out.png]`: renders a pull request as
 * a reviewer sees it. With `--group-by-release`, the release also runs a metrics sidecar whose image
 * moves too, and both bumps are one pull request (`group-by: release`).
 *
 * The pull request is real output: the writer opens it on the GitHub stand-in, with release notes
 * read from a source repository there (sample releases), exactly as the Action would on
 * github.com. Its body is turned into HTML with `marked` (GitHub-flavoured Markdown; GitHub's own
 * renderer differs in details such as autolinks), styled like GitHub's pull request description
 * and photographed by headless Chromium at GitHub's ~880 px column. The first `<details>` is
 * opened for the picture (GitHub shows them collapsed). Writes `docs/pull-request.png` (or the
 * given path), the HTML next to it in a temporary directory, and prints the body's size.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { marked } from 'marked';
import { applyUpdates } from '../src/edit/apply-updates.js';
import { isCandidate, parseFilter } from '../src/filters/index.js';
import { notTakenTags } from '../src/filters/not-taken.js';
import { createGitHubClient } from '../src/github/octokit.js';
import { writePullRequests } from '../src/github/pull-request-writer.js';
import { createReleaseNotesSource } from '../src/github/release-notes.js';
import { groupUpdates } from '../src/plan/branch-name.js';
import { startGitHubStandIn, WRITE_TOKEN } from '../test-support/github/stand-in.js';
import { makeUpdate } from '../test-support/github/updates.js';
import { dumpDom, GITHUB_WIDTH, screenshot } from './render/chromium.js';

const WIDTH = GITHUB_WIDTH;

const HELM_RELEASE = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: frontend
  namespace: web
  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/chart-image: semver:~6.5
spec:
  chart:
    repository: https://charts.example.com
    name: web-app
    version: 1.4.0
  values:
    image:
      repository: ghcr.io/acme/web-app
      tag: 6.5.0
`;

/** The same release with a metrics sidecar, for `--group-by-release`. */
const HELM_RELEASE_WITH_SIDECAR = `${HELM_RELEASE}    metrics:
      image:
        repository: ghcr.io/acme/web-app-exporter
        tag: 0.9.2
`;

/** Sample releases of the sidecar's source repository, oldest first. */
const SIDECAR_RELEASES: { tag: string; name: string; body: string }[] = [
  { tag: 'v0.9.2', name: 'v0.9.2', body: 'Baseline.' },
  {
    tag: 'v0.10.0',
    name: 'v0.10.0',
    body: '## Features\n- Export `http_request_duration_seconds` as a native histogram (#57)\n\n## Breaking\n- The `--legacy-names` flag is gone',
  },
];

/** Sample releases of the source repository, oldest first. */
const RELEASES: { tag: string; name: string; body: string; prerelease?: boolean }[] = [
  { tag: 'v6.5.0', name: 'v6.5.0', body: 'Baseline.' },
  {
    tag: 'v6.5.1',
    name: 'v6.5.1',
    body: '## Fixes\n- Readiness probe no longer fails during graceful shutdown (#412)\n- Bump Go to 1.22.1',
  },
  {
    tag: 'v6.5.2',
    name: 'v6.5.2',
    body: '## Fixes\n- Fix a panic when `REDIS_URL` is empty (#418), thanks @octo-dev',
  },
  { tag: 'v6.6.0-rc.1', name: 'v6.6.0-rc.1', body: 'Release candidate.', prerelease: true },
  {
    tag: 'v6.5.3',
    name: 'v6.5.3',
    // GitHub's generated notes start with a comment, which the body leaves out as GitHub does.
    body: [
      '<!-- Release notes generated using configuration in .github/release.yml at main -->',
      '',
      '## Security',
      '- Update `golang.org/x/net` to v0.23.0 (CVE-2023-45288)',
      '',
      '## Other',
      '- Smaller image: drop curl from the runtime stage',
    ].join('\n'),
  },
  {
    tag: 'v6.5.4',
    name: 'Web app 6.5.4',
    body: [
      '## Fixes',
      '- Handle `SIGTERM` before the listener is ready (#431)',
      '- Correct the `Content-Type` of `/healthz` <b>responses</b>',
      '',
      '## Upgrade notes',
      'No configuration changes. See acme/web-app#430 for the discussion.',
    ].join('\n'),
  },
  { tag: 'v6.7.1', name: 'v6.7.1', body: 'Later line.' },
  { tag: 'v7.0.0-rc.2', name: 'v7.0.0-rc.2', body: 'Next major.', prerelease: true },
];

/** The image's tags in the registry. */
const TAGS = [
  '6.4.2',
  '6.5.0',
  '6.5.1',
  '6.5.2',
  '6.5.3',
  '6.5.4',
  '6.6.0-rc.1',
  '6.7.1',
  '7.0.0-rc.2',
  'latest',
];

async function main(): Promise<void> {
  const filter = parseFilter('semver:~6.5');
  const args = process.argv.slice(2);
  const grouped = args.includes('--group-by-release');
  const out = resolve(args.find((arg) => !arg.startsWith('--')) ?? 'docs/pull-request.png');
  const standIn = await startGitHubStandIn();
  try {
    await standIn.createRepository('acme', 'fleet', {
      'apps/frontend.yaml': grouped ? HELM_RELEASE_WITH_SIDECAR : HELM_RELEASE,
    });
    await standIn.createRepository('acme', 'web-app', { 'README.md': 'web app\n' });
    for (const release of RELEASES) await standIn.addRelease('acme', 'web-app', release);
    if (grouped) {
      await standIn.createRepository('acme', 'web-app-exporter', { 'README.md': 'exporter\n' });
      for (const release of SIDECAR_RELEASES) await standIn.addRelease('acme', 'web-app-exporter', release);
    }

    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: standIn.url,
      retries: 0,
      spaceWrites: false,
    });
    const update = makeUpdate({
      file: 'apps/frontend.yaml',
      line: 17,
      release: 'web/frontend',
      namespace: 'web',
      name: 'frontend',
      repository: 'ghcr.io/acme/web-app',
      image: 'ghcr.io/acme/web-app:6.5.0',
      newImage: 'ghcr.io/acme/web-app:6.5.4',
      from: '6.5.0',
      to: '6.5.4',
      filter: 'semver:~6.5',
      chosenBy: 'highest version matching ~6.5',
      created: '2026-11-18T09:41:00Z',
      type: 'patch',
      source: 'https://github.com/acme/web-app',
      // As the registry describes the two images: 6.5.4 adds an arm64 build.
      platforms: ['linux/amd64', 'linux/arm64'],
      fromPlatforms: ['linux/amd64'],
      // As the planner finds them among the image's tags.
      notTaken: notTakenTags(filter, TAGS, '6.5.4', (tag) => isCandidate(filter, tag)),
    });
    const sidecar = makeUpdate({
      ...update,
      line: 21,
      container: 'metrics',
      repository: 'ghcr.io/acme/web-app-exporter',
      image: 'ghcr.io/acme/web-app-exporter:0.9.2',
      newImage: 'ghcr.io/acme/web-app-exporter:0.10.0',
      from: '0.9.2',
      to: '0.10.0',
      filter: 'glob:*',
      chosenBy: 'newest build',
      created: '2026-11-20T14:05:00Z',
      type: 'minor',
      source: 'https://github.com/acme/web-app-exporter',
      notTaken: [],
    });
    const prefix = 'helmrelease-image-updater/';
    const updates = grouped ? [update, sidecar] : [update];
    const groupBy = grouped ? 'release' : 'container';
    const { results, problems } = await writePullRequests(groupUpdates(updates, groupBy, prefix), {
      github,
      owner: 'acme',
      repo: 'fleet',
      branchPrefix: prefix,
      applyUpdates,
      commitPrefix: 'chore(deps):',
      releaseNotes: createReleaseNotesSource({ github }),
      // As the Action's inputs and the runner's variables give them (`automerge: patch`).
      rebaseWhen: 'conflicted',
      automerge: 'patch',
      writtenBy: {
        name: 'Image updates',
        runsUrl: 'https://github.com/acme/fleet/actions/workflows/image-updates.yml',
        run: { url: 'https://github.com/acme/fleet/actions/runs/12345678901', number: '42' },
      },
    });
    if (problems.length > 0 || results[0]?.action !== 'created') {
      throw new Error(`the pull request was not created: ${JSON.stringify({ results, problems })}`);
    }
    const [pull] = standIn.pulls('acme', 'fleet');
    const body = pull.body ?? '';
    const html = page(pull.title, pull.number, await marked.parse(body, { gfm: true }));
    const dir = await mkdtemp(join(tmpdir(), 'render-pull-request-'));
    const file = join(dir, 'pull-request.html');
    await writeFile(file, html);
    const options = { profile: join(dir, 'profile') };
    // First the page's height at this width (the page writes it into its DOM), then the picture.
    const dom = dumpDom(file, WIDTH, options);
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? 2000);
    screenshot(file, out, { width: WIDTH, height }, options);
    console.log(
      `${out}: title ${JSON.stringify(pull.title)}, body ${body.length} characters; HTML in ${file}`,
    );
  } finally {
    await standIn.stop();
  }
}

/** A page like GitHub's pull request description box, at the column's width. */
function page(title: string, number: number, body: string): string {
  // The picture shows the notes of the first release; GitHub starts with them collapsed.
  const opened = githubAlerts(body.replace('<details>', '<details open>'));
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
  h4 { font-size: 1em; font-weight: 600; margin: 16px 0 8px; }
  p, ul { margin: 0 0 16px; } ul { padding-left: 2em; }
  code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #818b981f;
    padding: .2em .4em; border-radius: 6px; }
  pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; }
  a { color: #0969da; text-decoration: none; }
  hr { height: .25em; background: #d1d9e0; border: 0; margin: 24px 0; }
  details { margin: 0 0 8px; } summary { cursor: pointer; }
  details[open] { border-left: 3px solid #d1d9e0; padding-left: 12px; }
  blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
  .alert-warning { color: inherit; border-left-color: #9a6700; }
  .alert-warning .alert-title { color: #9a6700; font-weight: 500; margin-bottom: 4px; }
</style></head><body>
<div class="title">${escape(title)} <span>#${number}</span></div>
<div class="box"><div class="head"><b>github-actions</b> commented</div>
<div class="markdown">${opened}</div></div>
<script>document.documentElement.setAttribute('data-height', String(document.documentElement.scrollHeight));</script>
</body></html>`;
}

/** GitHub's `> [!WARNING]` alerts, which `marked` leaves as quotes, drawn as GitHub draws them. */
function githubAlerts(html: string): string {
  return html.replace(
    /<blockquote>\s*<p>\[!WARNING\]\s*/g,
    '<blockquote class="alert-warning"><p class="alert-title">&#9888; Warning</p><p>',
  );
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
