/**
 * `explain FILE` and a run agree on every container: for each kind of decision the planner makes,
 * a checkout is planned by the core (`runUpdate`, against an in-memory registry listing each
 * repository's tags oldest first) and explained in process (`explainCommand`, given each
 * repository's tags with `--tags REPOSITORY=…`, as the README says to), and explain's verdict for
 * each container, read back from its text, must be the run's decision (its new tag, for an update).
 * A repository the registry cannot list gets no `--tags`: explain must then promise nothing.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createWorkspaceFiles } from '../../src/adapters/workspace-files.js';
import { CLI_DEFAULTS, parseArgs } from '../../src/cli-args.js';
import { explainCommand } from '../../src/cli-explain.js';
import { parseSettings } from '../../src/settings.js';
import type { RegistryPort, TagDetails } from '../../src/ports.js';
import { runUpdate } from '../../src/run-update.js';
import { explainedFates, explainedProblems, type Fate } from '../../test-support/explain-verdicts.js';
import { patchDocument } from '../../test-support/helmrelease/flux-v1-documents.js';
import { temporaryCheckouts } from '../../test-support/temporary-checkouts.js';

/** What the registry holds for one repository: its tags oldest first, each built a day after the last. */
interface Listing {
  tags: string[];
  /** The newest tag was built this many ms before now (default: years ago, like the others). */
  newestAgeMs?: number;
  /** The listing fails with this message. */
  fails?: string;
}

const NOW = new Date();
const DAY = 86_400_000;

/** An in-memory registry of these repositories (normalised names). */
function registryOf(listings: Record<string, Listing>): RegistryPort {
  const listing = (repository: string): Listing => {
    const found = listings[repository];
    if (found === undefined) throw new Error(`${repository}: 404 Not Found (name unknown)`);
    if (found.fails !== undefined) throw new Error(found.fails);
    return found;
  };
  return {
    listTags: async (repository) => [...listing(repository).tags],
    describeTags: async (repository, tags) => {
      const { tags: all, newestAgeMs } = listing(repository);
      const newest = NOW.getTime() - (newestAgeMs ?? 5000 * DAY);
      return new Map<string, TagDetails>(
        tags.map((tag) => [
          tag,
          {
            digest: `sha256:${String(all.indexOf(tag)).padStart(64, '0')}`,
            created: new Date(newest - (all.length - 1 - all.indexOf(tag)) * DAY),
          },
        ]),
      );
    },
  };
}

const log = { info: () => undefined, group: <T>(_: string, work: () => Promise<T>) => work() };

const checkouts = temporaryCheckouts('cli-explain-agrees-');
afterAll(checkouts.removeAll);

/** A HelmRelease apps/NAME with these annotation lines and these lines under spec.values. */
function helmRelease(name: string, annotations: string[], values: string[]): string {
  return [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${name}`,
    '  namespace: apps',
    ...(annotations.length > 0 ? ['  annotations:', ...annotations.map((a) => `    ${a}`)] : []),
    'spec:',
    '  chart:',
    '    repository: https://charts.example.com',
    `    name: ${name}`,
    '    version: 1.0.0',
    '  values:',
    ...values.map((v) => `    ${v}`),
    '',
  ].join('\n');
}

const AUTOMATED = 'fluxcd.io/automated: "true"';

/** What the run decided for each container of `file`, as a fate. */
function ranFates(
  report: Awaited<ReturnType<typeof runUpdate>>,
  file: string,
  explained: ReadonlyMap<string, Fate>,
): Map<string, Fate> {
  const fates = new Map<string, Fate>();
  for (const c of report.plan.containers.filter((c) => c.file === file)) {
    const key = `${c.release} ${c.container}`;
    // A reason explain says as the run gives it (a skip, an error of the file) is the run's decision.
    const said = `said: ${c.reason.replace(/\s+/g, ' ')}`;
    const fate =
      c.decision === 'update'
        ? `update ${c.update!.to}`
        : explained.get(key) === said || (c.decision === 'skipped' && !/governs this file/.test(c.reason))
          ? said
          : c.decision;
    fates.set(key, fate);
  }
  return fates;
}

/** The run's problems at `file`, as explain shows a problem of the file it explains. */
function problemsAt(report: Awaited<ReturnType<typeof runUpdate>>, file: string): string[] {
  return report.problems
    .filter((p) => p.file === file)
    .map((p) => `${p.severity} line ${p.line}: ${p.message.replace(/\s+/g, ' ')}`);
}

interface Case {
  files: Record<string, string>;
  /** The file explained (default: the first). */
  file?: string;
  registry: Record<string, Listing>;
  /** Its release cannot be read: neither reads a container, and explain says the run's error. */
  unread?: true;
  /** Flags given to both (`--require-automated false`). */
  flags?: string[];
}

const APP = 'apps/app.yaml';
const NGINX = 'docker.io/library/nginx';
const TAGS_1_1 = { [NGINX]: { tags: ['1.0', '1.1'] } };

/** The release at {@link APP}, built by a prod overlay whose patch document sets its image. */
const IMAGE_PATCHED: Record<string, string> = {
  [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']),
  'apps/kustomization.yaml': 'resources:\n  - app.yaml\n',
  'clusters/prod/kustomization.yaml': 'resources:\n  - ../../apps\npatches:\n  - path: image.yaml\n',
  'clusters/prod/image.yaml': patchDocument([], ['image: nginx:1.0']),
};

/** The checkout planned and explained, with each container's fate in each. */
async function bothOf(c: Case): Promise<{
  ran: Map<string, Fate>;
  explained: Map<string, Fate>;
  stdout: string;
  runProblems: string[];
}> {
  const root = await checkouts.write(c.files);
  const file = c.file ?? Object.keys(c.files)[0]!;
  const flags = c.flags ?? [];
  const runArgs = parseArgs(['--dir', root, ...flags], {});
  const runSettings = parseSettings((name) => runArgs.inputs.get(name)?.join('\n'), CLI_DEFAULTS);
  const report = await runUpdate(runSettings, {
    workspace: createWorkspaceFiles(root),
    registry: registryOf(c.registry),
    log,
    clock: () => NOW,
  });
  // Each repository the registry lists, by name, as a user would copy them from it.
  const tagFlags = Object.entries(c.registry)
    .filter(([, listing]) => listing.fails === undefined)
    .flatMap(([repository, listing]) => ['--tags', `${repository}=${listing.tags.join(',')}`]);
  const args = parseArgs(['explain', join(root, file), '--dir', root, ...flags, ...tagFlags], {});
  const settings = parseSettings((name) => args.inputs.get(name)?.join('\n'), CLI_DEFAULTS);
  let stdout = '';
  let stderr = '';
  const exitCode = await explainCommand(join(root, file), args, settings, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
  const explained = explainedFates(stdout);
  return { ran: ranFates(report, file, explained), explained, stdout, runProblems: problemsAt(report, file) };
}

/**
 * The run's fate as explain may say it: a repository the registry could not list is not looked up
 * by explain (no tags were given for it), which promises nothing either.
 */
function asExplainable(
  ran: Map<string, Fate>,
  explained: ReadonlyMap<string, Fate>,
  c: Case,
  stdout: string,
): Map<string, Fate> {
  // A file the run does not scan: no container of it is decided.
  if (ran.size === 0) return new Map([...explained.keys()].map((k) => [k, 'not scanned']));
  const failing = Object.values(c.registry).some((l) => l.fails !== undefined);
  return new Map(
    [...ran].map(([k, fate]) => {
      if (failing && fate === 'error' && /give --tags/.test(stdout)) return [k, 'not looked up'];
      // An update on the condition of the release's minimum release age: the run held the image
      // back (too new) or proposed an update, the one explain names or an older tag old enough.
      const once = explained.get(k);
      if (once?.endsWith(' once old enough') && (fate === 'too-new' || fate.startsWith('update ')))
        return [k, once];
      return [k, fate];
    }),
  );
}

describe('explain FILE says what the run decides, container by container', () => {
  it.each<[string, Case]>([
    [
      'updated',
      { files: { [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']) }, registry: TAGS_1_1 },
    ],
    [
      'up to date',
      { files: { [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.1']) }, registry: TAGS_1_1 },
    ],
    [
      'locked',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED, 'fluxcd.io/locked: "true"'], ['image: nginx:1.0']) },
        registry: TAGS_1_1,
      },
    ],
    [
      'ignored',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED, 'fluxcd.io/ignore: "true"'], ['image: nginx:1.0']) },
        registry: TAGS_1_1,
      },
    ],
    [
      'not automated (require-automated, the default)',
      { files: { [APP]: helmRelease('app', [], ['image: nginx:1.0']) }, registry: TAGS_1_1 },
    ],
    [
      'not automated, with --require-automated false',
      {
        files: { [APP]: helmRelease('app', [], ['image: nginx:1.0']) },
        registry: TAGS_1_1,
        flags: ['--require-automated', 'false'],
      },
    ],
    [
      'filtered out: semver refuses the newer tag',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'filter.fluxcd.io/chart-image: semver:~1.0'],
            ['image: nginx:1.0.0'],
          ),
        },
        registry: { [NGINX]: { tags: ['1.0.0', '1.1.0'] } },
      },
    ],
    [
      'no tag passes the filter',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'filter.fluxcd.io/chart-image: semver:~2'],
            ['image: nginx:1.0.0'],
          ),
        },
        registry: { [NGINX]: { tags: ['1.0.0', '1.1.0'] } },
      },
    ],
    [
      'glob by build time',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'filter.fluxcd.io/chart-image: glob:main-*'],
            ['image: nginx:main-b'],
          ),
        },
        registry: { [NGINX]: { tags: ['main-c', 'main-b', 'main-a'] } },
      },
    ],
    ['no tag', { files: { [APP]: helmRelease('app', [AUTOMATED], ['image: nginx']) }, registry: TAGS_1_1 }],
    [
      'digest pin with a tag',
      {
        files: {
          [APP]: helmRelease('app', [AUTOMATED], [`image: nginx:1.0@sha256:${'0'.repeat(64)}`]),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'digest pin without a tag',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED], [`image: nginx@sha256:${'0'.repeat(64)}`]) },
        registry: TAGS_1_1,
      },
    ],
    [
      'alias annotations',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'repository.fluxcd.io/web: web.repo', 'tag.fluxcd.io/web: web.tag'],
            ['web:', '  repo: nginx', '  tag: "1.0"'],
          ),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'deep detection (annotation)',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'helmrelease-image-updater.io/detection: deep'],
            ['a:', '  b:', '    c:', '      image: nginx:1.0'],
          ),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'deep detection (--detection deep)',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED], ['a:', '  b:', '    c:', '      image: nginx:1.0']) },
        registry: TAGS_1_1,
        flags: ['--detection', 'deep'],
      },
    ],
    [
      "minimum release age (the release's annotation), the newest tag built an hour ago",
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'helmrelease-image-updater.io/minimum-release-age: "3d"'],
            ['image: nginx:1.0.0'],
          ),
        },
        registry: { [NGINX]: { tags: ['1.0.0', '1.1.0'], newestAgeMs: 3_600_000 } },
      },
    ],
    [
      "minimum release age (the release's annotation), every tag years old",
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'helmrelease-image-updater.io/minimum-release-age: "3d"'],
            ['image: nginx:1.0.0'],
          ),
        },
        registry: { [NGINX]: { tags: ['1.0.0', '1.1.0'] } },
      },
    ],
    [
      'a kustomization locking it',
      {
        files: {
          [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']),
          'apps/kustomization.yaml': 'resources:\n  - app.yaml\n',
          'clusters/prod/kustomization.yaml':
            'resources:\n  - ../../apps\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n',
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'a .flux.yaml above it',
      {
        files: {
          [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']),
          'apps/.flux.yaml': 'version: 1\npatchUpdated: {}\n',
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'a Kustomize patch document locking it',
      {
        files: {
          [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']),
          'apps/kustomization.yaml': 'resources:\n  - app.yaml\n',
          'clusters/prod/kustomization.yaml': 'resources:\n  - ../../apps\npatches:\n  - path: lock.yaml\n',
          'clusters/prod/lock.yaml': patchDocument(['fluxcd.io/locked: "true"']),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'an invalid YAML document beside it',
      {
        files: { [APP]: `${helmRelease('app', [AUTOMATED], ['image: nginx:1.0'])}---\nkey: [unclosed\n` },
        registry: TAGS_1_1,
      },
    ],
    [
      'a filter that names no container',
      {
        files: {
          [APP]: helmRelease('app', [AUTOMATED, 'filter.fluxcd.io/nginx: semver:~1'], ['image: nginx:1.0']),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'an unusable filter',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'filter.fluxcd.io/chart-image: semver:~~1'],
            ['image: nginx:1.0'],
          ),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'the same release in two files',
      {
        files: {
          [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']),
          'apps/copy.yaml': helmRelease('app', [AUTOMATED], ['image: nginx:1.0']),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'two containers, two repositories',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'filter.fluxcd.io/metrics: semver:~0.1'],
            ['image: nginx:1.0', 'metrics:', '  image: prom/exporter:0.1.0'],
          ),
        },
        registry: { ...TAGS_1_1, 'docker.io/prom/exporter': { tags: ['0.1.0', '0.1.1', '0.2.0'] } },
      },
    ],
    [
      'a registry that answers 401',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']) },
        registry: { [NGINX]: { tags: [], fails: 'docker.io: 401 Unauthorized' } },
      },
    ],
    [
      'a registry that is unreachable',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']) },
        registry: { [NGINX]: { tags: [], fails: 'docker.io: connect ECONNREFUSED' } },
      },
    ],
    [
      'a frozen registry (k8s.gcr.io)',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED], ['image: k8s.gcr.io/pause:3.1']) },
        registry: { 'k8s.gcr.io/pause': { tags: ['3.1', '3.2'] } },
      },
    ],
    [
      'a SOPS-encrypted file',
      {
        files: {
          [APP]: `${helmRelease('app', [AUTOMATED], ['image: nginx:1.0'])}sops:\n  mac: ENC[AES256_GCM,data:abc]\n  version: 3.7.3\n`,
        },
        registry: TAGS_1_1,
        unread: true,
      },
    ],
    [
      'a repeated annotation key',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'fluxcd.io/locked: "false"', 'fluxcd.io/locked: "true"'],
            ['image: nginx:1.0'],
          ),
        },
        registry: TAGS_1_1,
        unread: true,
      },
    ],
    [
      'a tag Flux does not read (image with imageTag)',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED], ['image: nginx', 'imageTag: "1.0"']) },
        registry: TAGS_1_1,
      },
    ],
    [
      'a tag that is a number',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED], ['image:', '  repository: nginx', '  tag: 1.0']) },
        registry: TAGS_1_1,
      },
    ],
    [
      'one tag text anchored and shared by two containers',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED],
            [
              'image:',
              '  repository: nginx',
              '  tag: &t "1.0"',
              'sidecar:',
              '  image:',
              '    repository: nginx',
              '    tag: *t',
            ],
          ),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'a List of two releases',
      {
        files: {
          [APP]: [
            'apiVersion: v1',
            'kind: List',
            'items:',
            ...helmRelease('app', [AUTOMATED], ['image: nginx:1.0'])
              .trimEnd()
              .split('\n')
              .map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)),
            '',
          ].join('\n'),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'a Flux v2 HelmRelease',
      {
        files: {
          [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']).replace(
            'helm.fluxcd.io/v1',
            'helm.toolkit.fluxcd.io/v2',
          ),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'a misspelt policy annotation',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED, 'fluxcd.io/lokced: "true"'], ['image: nginx:1.0']) },
        registry: TAGS_1_1,
      },
    ],
    [
      'fluxcd.io/automated unquoted (a YAML boolean)',
      {
        files: { [APP]: helmRelease('app', ['fluxcd.io/automated: true'], ['image: nginx:1.0']) },
        registry: TAGS_1_1,
      },
    ],
    [
      'a misspelt kustomization field (commonAnotations) over it',
      {
        files: {
          [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']),
          'apps/kustomization.yaml': 'resources:\n  - app.yaml\n',
          'clusters/prod/kustomization.yaml':
            'resources:\n  - ../../apps\ncommonAnotations:\n  fluxcd.io/locked: "true"\n',
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'an unusable minimum-release-age annotation',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'helmrelease-image-updater.io/minimum-release-age: "3 days"'],
            ['image: nginx:1.0'],
          ),
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'a regex filter choosing by build time',
      {
        files: {
          [APP]: helmRelease(
            'app',
            [AUTOMATED, 'filter.fluxcd.io/chart-image: "regex:^v\\\\d+$"'],
            ['image: nginx:v1'],
          ),
        },
        registry: { [NGINX]: { tags: ['v1', 'v3', 'v2', 'x9'] } },
      },
    ],
    [
      'a file that is not YAML by its name (notes.txt)',
      {
        files: { 'apps/notes.txt': helmRelease('app', [AUTOMATED], ['image: nginx:1.0']), [APP]: 'a: 1\n' },
        registry: TAGS_1_1,
      },
    ],
    [
      'a Kustomize patch document that sets the image (the patch file explained)',
      {
        file: 'clusters/prod/image.yaml',
        files: IMAGE_PATCHED,
        registry: TAGS_1_1,
      },
    ],
    [
      'a Kustomize patch document that sets the image (the base explained)',
      {
        files: IMAGE_PATCHED,
        registry: TAGS_1_1,
      },
    ],
    [
      'a file under node_modules (no run lists it)',
      {
        files: {
          'node_modules/chart/app.yaml': helmRelease('app', [AUTOMATED], ['image: nginx:1.0']),
          [APP]: 'a: 1\n',
        },
        registry: TAGS_1_1,
      },
    ],
    [
      'a file --exclude leaves out',
      {
        files: { [APP]: helmRelease('app', [AUTOMATED], ['image: nginx:1.0']), 'apps/other.yaml': 'a: 1\n' },
        registry: TAGS_1_1,
        flags: ['--exclude', APP],
      },
    ],
  ])('%s', async (_name, c) => {
    const { ran, explained, stdout, runProblems } = await bothOf(c);
    // Each problem the run gives at the file is said by explain too, but a registry's (explain asks none).
    const said = runProblems.filter((p) => !/: could not check /.test(p));
    expect(explainedProblems(stdout)).toEqual(expect.arrayContaining(said));
    if (c.unread) {
      // No container was read, by either: explain shows the run's reason (above) rather than stopping.
      expect({ ran, explained }).toEqual({ ran: new Map(), explained: new Map() });
      // The lists given for its containers are said to have found none, not dropped silently.
      expect(stdout).toContain(`  --tags ${NGINX}=…: no container was read in this file to give it to\n`);
      expect(runProblems).not.toEqual([]);
      return;
    }
    expect(explained.size).toBeGreaterThan(0);
    expect(explained).toEqual(asExplainable(ran, explained, c, stdout));
  });
});
