/**
 * A base + overlay tree for the kustomization tests, scanned and held as a run does: which
 * releases are held, the errors, and which files were read.
 */
import { holdPatchedReleases } from '../../src/helmrelease/patched-releases.js';
import { mayHoldHelmRelease, scanFile } from '../../src/helmrelease/scan-file.js';
import { releaseId } from '../../src/helmrelease/types.js';
import { holdKustomizedReleases } from '../../src/kustomize/kustomize-holds.js';
import { readKustomizeFiles } from '../../src/kustomize/read-kustomize-files.js';
import type { WorkspacePort } from '../../src/ports.js';

/** An automated HelmRelease of `name` in namespace apps with one image. */
export function release(name: string, image: string): string {
  return `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: ${name}
  namespace: apps
  annotations:
    fluxcd.io/automated: "true"
spec:
  chart:
    repository: https://charts.example.com
    name: ${name}
    version: 1.0.0
  values:
    image: ${image}
`;
}

/** The base every case builds on: two releases and their kustomization. */
export const BASE: Record<string, string> = {
  'apps/base/app.yaml': release('app', 'nginx:1.0'),
  'apps/base/other.yaml': release('other', 'redis:1.0'),
  'apps/base/kustomization.yaml': 'resources:\n  - app.yaml\n  - other.yaml\n',
  'docs/notes.md': '# not YAML at all\n',
};

export const APP = 'apps/app in apps/base/app.yaml';
export const OTHER = 'apps/other in apps/base/other.yaml';
export const PROD = 'clusters/prod/kustomization.yaml';

/** A prod overlay of the base with these lines after its resources. */
export function overlay(...lines: string[]): string {
  return [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '  - ../../apps/base',
    ...lines,
    '',
  ].join('\n');
}

/** The text of a file the workspace refuses to read. */
export const UNREADABLE = '<unreadable>';

/** An in-memory workspace that records what it read. */
export function workspace(tree: Record<string, string>, reads: string[]): WorkspacePort {
  return {
    listFiles: async () => Object.keys(tree).sort(),
    readFile: async (path) => {
      reads.push(path);
      const text = tree[path];
      if (text === UNREADABLE) return { ok: false, reason: 'it is larger than 1 MiB' };
      return text === undefined ? { ok: false, reason: 'no such file' } : { ok: true, text };
    },
  };
}

/**
 * Scans the tree as a run does and holds what its kustomizations narrow (require-automated on
 * unless said), reading the files through `port` (the in-memory workspace unless said).
 */
export async function hold(files: Record<string, string>, requireAutomated = true, port?: WorkspacePort) {
  const tree = { ...BASE, ...files };
  const listing = Object.keys(tree).sort();
  const reads: string[] = [];
  const scans = listing.filter((f) => mayHoldHelmRelease(tree[f])).map((f) => scanFile(f, tree[f]));
  const input = await readKustomizeFiles(listing, port ?? workspace(tree, reads), new Map(), () => undefined);
  const result = holdKustomizedReleases(holdPatchedReleases(scans), input, requireAutomated);
  const held = result.scans.flatMap((s) =>
    s.releases.filter((r) => r.policies.blocked !== undefined).map((r) => `${releaseId(r)} in ${s.file}`),
  );
  const patchedProblems = result.scans.flatMap((s) =>
    s.problems.filter((p) => p.message.includes('Kustomize')),
  );
  return { held, problems: [...patchedProblems, ...result.problems], reads, result, scans };
}
