/**
 * The bench's many-updates-in-one-file case (issue 12): one file of HelmRelease documents whose every
 * container has a newer tag, scanned, planned and edited in process (no registry: each repository's
 * tags are given). Before the one-pass splice, 543 updates in one 455 KB file took 441 s and 4,887
 * never finished, because every update re-applied and re-parsed the file.
 */
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { planUpdates, type RepositoryData } from '../../src/plan/plan-updates.js';

/** What the case measured. */
export interface OneFileResult {
  updates: number;
  releases: number;
  bytes: number;
  /** Scanning the file (one parse). */
  scanMs: number;
  /** Planning every update and making the file's edit (one splice pass and one verifying parse). */
  planMs: number;
  /** Ten pull requests' edits (one bump each), applied to the base text as the PR writer does. */
  writeMs: number;
  /** True when the edit carried every update and every pull request's edit was made. */
  consistent: boolean;
}

const CONTAINERS_PER_RELEASE = 5;
const PULL_REQUESTS = 10;

/** A file of `updates / 5` HelmReleases with five subsections each, every image at tag 1.0.0. */
function oneFile(updates: number): { text: string; repositories: Map<string, RepositoryData> } {
  const documents: string[] = [];
  const repositories = new Map<string, RepositoryData>();
  for (let r = 0; r * CONTAINERS_PER_RELEASE < updates; r += 1) {
    const values: string[] = [];
    for (let c = 0; c < CONTAINERS_PER_RELEASE && r * CONTAINERS_PER_RELEASE + c < updates; c += 1) {
      const path = `team${r % 50}/app${c}`;
      repositories.set(`registry.bench.example/${path}`, {
        ok: true,
        tags: ['1.0.0', '1.0.1', '1.1.0'],
        details: new Map(), // semver filters need no build times
      });
      values.push(
        `    app${c}:`,
        `      image:`,
        `        repository: registry.bench.example/${path}`,
        `        tag: 1.0.0 # pinned by the bench`,
        `      replicas: 2`,
      );
    }
    documents.push(
      [
        'apiVersion: helm.fluxcd.io/v1',
        'kind: HelmRelease',
        'metadata:',
        `  name: release-${r}`,
        `  namespace: team-${r % 50}`,
        '  annotations:',
        '    fluxcd.io/automated: "true"',
        ...Array.from(
          { length: CONTAINERS_PER_RELEASE },
          (_, c) => `    filter.fluxcd.io/app${c}: semver:~1.0`,
        ),
        'spec:',
        '  releaseName: app',
        '  chart:',
        '    repository: https://charts.example.com',
        '    name: app',
        '    version: 1.2.3',
        '  values:',
        ...values,
        '',
      ].join('\n'),
    );
  }
  return { text: documents.join('---\n'), repositories };
}

/** Scans, plans and edits one file with `updates` updates; times each step. */
export function benchOneFile(updates: number): OneFileResult {
  const file = 'releases/all.yaml';
  const { text, repositories } = oneFile(updates);
  let t = performance.now();
  const scan = scanFile(file, text);
  const scanMs = performance.now() - t;
  t = performance.now();
  const plan = planUpdates([scan], new Map([[file, text]]), repositories, { requireAutomated: true });
  const planMs = performance.now() - t;
  // The Action's default max-pull-requests: ten bumps, each applied to the base text on its own.
  const bumps = new Map<string, typeof plan.updates>();
  for (const u of plan.updates) bumps.set(u.repository, [...(bumps.get(u.repository) ?? []), u]);
  t = performance.now();
  const written = [...bumps.values()].slice(0, PULL_REQUESTS).map((bump) => applyUpdates(file, text, bump));
  const writeMs = performance.now() - t;
  const edit = plan.edits[0];
  return {
    updates: plan.updates.length,
    releases: scan.releases.length,
    bytes: Buffer.byteLength(text),
    scanMs,
    planMs,
    writeMs,
    consistent: edit !== undefined && edit.updates.length === updates && written.every((w) => w.ok),
  };
}

/** The case as lines of the bench's output. */
export function renderOneFile(result: OneFileResult): string {
  const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
  return [
    `${result.updates.toLocaleString('en-US')} updates in one file (${result.releases.toLocaleString('en-US')} HelmReleases, ${Math.round(result.bytes / 1024)} KB):`,
    `  scan ${ms(result.scanMs)}, plan + edit ${ms(result.planMs)} (one splice pass, one re-read of the changed documents), ` +
      `${PULL_REQUESTS} pull requests' edits (one bump each) ${ms(result.writeMs)}; ${result.consistent ? 'every update made' : 'INCONSISTENT'}`,
    '',
  ].join('\n');
}
