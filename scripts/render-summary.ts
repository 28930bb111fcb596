/**
 * Renders the job summary and a pull request body the way GitHub shows them, at GitHub's ~880 px
 * column, and screenshots both with headless Chromium, so a change to either can be looked at.
 *
 *   npx tsx scripts/render-summary.ts [--out DIR] [--chromium PATH]
 *
 * The report is a real run (`runUpdate`) over `examples/`, with a fixed in-memory registry (one
 * repository fails, one tag is missing) and a pull request writer that answers each kind of
 * outcome once (opened, updated, failed, held back, skipped), so every section of the summary shows.
 * Writes `summary.md`, `summary.html`, `summary.png`, `pull-request.md`, `pull-request.html` and
 * `pull-request.png` to DIR (default: a temporary folder, printed).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { marked } from 'marked';
import { createWorkspaceFiles } from '../src/adapters/workspace-files.js';
import {
  heldBackReason,
  leftOpenResults,
  othersPullResult,
  skippedResult,
  type PullRequestResult,
} from '../src/github/writer-results.js';
import type { PullRequestRequest } from '../src/plan/branch-name.js';
import { renderBody } from '../src/plan/pull-request-text.js';
import { RegistryError, type PullRequestPort, type RegistryPort } from '../src/ports.js';
import type { Problem } from '../src/problems.js';
import { renderSummary } from '../src/report/summary.js';
import { runUpdate } from '../src/run-update.js';
import { GITHUB_WIDTH, screenshot } from './render/chromium.js';

const ROOT = resolve(import.meta.dirname, '..');

/** Tags of the example repositories, oldest first (glob/regex filters order by build time). */
const TAGS: Record<string, string[]> = {
  'docker.io/bitnami/mongodb': ['8.0.3', '8.0.4', '8.0.5', '8.2.0'],
  'docker.io/bitnami/mongodb-exporter': ['0.43.0', '0.43.1', '0.43.2'],
  'docker.io/prom/prometheus': ['v3.0.0', 'v3.0.1', 'v3.1.0'],
  'quay.io/prometheus/alertmanager': ['v0.27.0', 'v0.28.0-rc.0', 'v0.28.0'],
  'quay.io/prometheus/node-exporter': ['v1.8.2', 'v1.9.0', 'v1.10.0-rc.0'],
  'docker.io/library/nats': ['2.10.24-alpine', '2.10.25-alpine'],
  'docker.io/library/nats-streaming': ['0.25.6-alpine'],
  'ghcr.io/stefanprodan/podinfo': ['6.7.1', '6.8.0'],
  'ghcr.io/dexidp/dex': ['v2.41.1', 'v2.42.0'],
  'quay.io/oauth2-proxy/oauth2-proxy': ['v7.7.1', 'v7.8.0'],
  'docker.io/library/nginx': ['1.27.3-alpine', '1.27.4-alpine'],
  'quay.io/jetstack/cert-manager-controller': ['v1.16.2', 'v1.16.3'],
  'quay.io/jetstack/cert-manager-acmesolver': ['v1.16.2', 'v1.16.3'],
};

/** Platforms of the images, where they differ from linux/amd64 and linux/arm64. */
const PLATFORMS: Record<string, string[]> = {
  'ghcr.io/dexidp/dex:v2.41.1': ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
};
const platformsOf = (repository: string, tag: string) =>
  PLATFORMS[`${repository}:${tag}`] ?? ['linux/amd64', 'linux/arm64'];

/** An in-memory registry over {@link TAGS}; any other repository answers 401, as Docker Hub does. */
const registry: RegistryPort = {
  async listTags(repository) {
    const tags = TAGS[repository];
    if (!tags) {
      const host = repository.split('/')[0]!;
      throw new RegistryError(
        `${host} answered 401 for the tag list of ${repository}: the repository does not exist or needs credentials (none found for ${host})`,
        host,
        401,
      );
    }
    return [...tags];
  },
  async describeTags(repository, tags) {
    const all = TAGS[repository] ?? [];
    return new Map(
      tags.map((tag) => [
        tag,
        {
          digest: `sha256:${String(all.indexOf(tag)).padStart(64, '0')}`,
          created: new Date(Date.UTC(2025, 0, 1 + all.indexOf(tag))),
          source: 'https://github.com/example/project',
          platforms: platformsOf(repository, tag),
        },
      ]),
    );
  },
  async describePlatforms(repository, tags) {
    return new Map(tags.map((tag) => [tag, platformsOf(repository, tag)]));
  },
};

/**
 * Answers the first update "opened" (replacing two older pull requests), then "updated", "failed"
 * (with its problem, as the real writer reports it), "held back", "skipped", then opened again.
 */
const pullRequests: PullRequestPort = {
  async write(updates) {
    const kinds = ['created', 'updated', 'failed', 'held-back', 'skipped'] as const;
    const problems: Problem[] = [];
    const results: PullRequestResult[] = updates.map((update, i) => {
      const action = kinds[i] ?? 'created';
      const number = 40 + i;
      const branch = `helmrelease-image-updater/${update.release}/${update.container}`;
      const url = `https://github.com/acme/gitops/pull/${number}`;
      if (action === 'held-back') {
        return {
          action,
          branch,
          updates: [update],
          // The writer's own words (writer-results.ts), not a copy that would drift.
          reason: heldBackReason({ kind: 'hold-back', cap: 10, open: 10 }, false),
        };
      }
      if (action === 'failed') {
        const reason = 'POST /repos/acme/gitops/pulls failed (422): Validation Failed';
        const message = `Could not write the pull request for ${branch}: ${reason}`;
        problems.push({ file: update.file, line: update.line, message, severity: 'error' });
        return { action, branch, updates: [update], reason };
      }
      if (action === 'skipped') {
        const pull = { number: 17, url: 'https://github.com/acme/gitops/pull/17', merged: false };
        const request: PullRequestRequest = { branch, updates: [update] };
        return skippedResult(request, { kind: 'skip', why: 'closed', pull }, 'main', false).result;
      }
      // The opened one replaced two older pull requests (a newer tag with group-by: image, say).
      const superseded = i === 0 ? { reason: 'supersedes #31, #32', supersedes: [31, 32] } : {};
      return { action, branch, updates: [update], number, url, ...superseded };
    });
    // One of ours the plan no longer names (its release locked since, say), left open: the writer's
    // own result for it; and one whose branch carries a pull request of ours into another base.
    const left = {
      number: 12,
      url: 'https://github.com/acme/gitops/pull/12',
      branch: 'helmrelease-image-updater/data/redis/chart-image-1a2b3c4d',
    };
    results.push(...leftOpenResults([left], results));
    const last = updates.at(-1);
    if (last) {
      const request: PullRequestRequest = {
        branch: 'helmrelease-image-updater/web/podinfo/chart-image-5e6f7a8b',
        updates: [last],
      };
      const { warning } = othersPullResult(request, {
        number: 9,
        url: 'https://github.com/acme/gitops/pull/9',
        base: 'production',
      });
      problems.push({ file: last.file, line: last.line, message: warning, severity: 'warning' });
    }
    return { results, problems };
  },
};

/** GitHub's `> [!WARNING]` alerts, which `marked` leaves as quotes, drawn as GitHub draws them. */
function githubAlerts(html: string): string {
  return html.replace(
    /<blockquote>\s*<p>\[!WARNING\]\s*/g,
    '<blockquote class="alert-warning"><p class="alert-title">&#9888; Warning</p><p>',
  );
}

/** A page that looks like GitHub's Markdown rendering, 880 px wide. */
function page(title: string, markdown: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; width: 880px; padding: 16px 24px; color: #1f2328;
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 0 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; }
h4 { font-size: 1em; margin: 16px 0 8px; }
a { color: #0969da; text-decoration: none; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
ul { padding-left: 2em; margin: 0 0 16px; } li + li { margin-top: .25em; }
table { border-collapse: collapse; margin: 0 0 16px; display: block; max-width: 100%; overflow: auto; }
td, th { border: 1px solid #d1d9e0; padding: 6px 13px; } th { font-weight: 600; }
details { margin: 0 0 16px; } summary { cursor: pointer; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
.alert-warning { color: inherit; border-left-color: #9a6700; }
.alert-warning .alert-title { color: #9a6700; font-weight: 500; margin-bottom: 4px; }
sub { color: #59636e; }
</style></head><body><article class="markdown-body">${githubAlerts(marked.parse(markdown, { async: false }))}</article></body></html>`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = resolve(option('--out') ?? (await mkdtemp(join(tmpdir(), 'summary-'))));
  const chromium = option('--chromium') ?? '/usr/bin/chromium';
  await mkdir(out, { recursive: true });

  const report = await runUpdate(
    { paths: [], exclude: [], requireAutomated: true },
    {
      workspace: createWorkspaceFiles(join(ROOT, 'examples')),
      registry,
      log: { info: () => undefined, group: (_name, work) => work() },
      pullRequests,
    },
  );
  const links = { serverUrl: 'https://github.com', owner: 'acme', repo: 'gitops', ref: '3f2a9c1' };
  const summary = renderSummary(report, false, links);
  const opened = report.pullRequests.find((pr) => pr.action === 'created')!;
  const body = renderBody(opened.updates, {
    serverUrl: 'https://github.com',
    owner: 'acme',
    repo: 'gitops',
    base: 'main',
    branch: opened.branch,
  });

  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  try {
    for (const [name, markdown] of [
      ['summary', summary],
      ['pull-request', body],
    ] as const) {
      await writeFile(join(out, `${name}.md`), markdown);
      await writeFile(join(out, `${name}.html`), page(name, markdown));
      screenshot(
        join(out, `${name}.html`),
        join(out, `${name}.png`),
        { width: GITHUB_WIDTH, height: 1600 },
        { chromium, profile },
      );
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  process.stdout.write(`${out}/summary.png\n${out}/pull-request.png\n`);
}

await main();
