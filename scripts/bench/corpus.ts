/**
 * The benchmark's deterministic GitOps corpus (seeded PRNG): HelmRelease files in all eight value
 * shapes (top level and in subsections), alias annotations, Flux v1 and v2 apiVersions, semver,
 * glob and regex filters, locked and not-automated releases, and many other Kubernetes files that
 * cannot hold a HelmRelease. It also describes the registry content the corpus points at, so the
 * bench can seed it and compute the minimum number of requests the workload needs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Sizes of one corpus. */
export interface CorpusSize {
  helmReleaseFiles: number;
  otherFiles: number;
  /** Repositories with 20 tags each. */
  repositories: number;
  /** Tags of the one big repository used with a glob filter. */
  bigRepositoryTags: number;
  /**
   * Only semver filters (no glob/regex repositories, no big repository): the registry is asked for
   * tag listings alone, one per repository.
   */
  semverOnly?: boolean;
}

/** The issue's full size. */
export const FULL_SIZE: CorpusSize = {
  helmReleaseFiles: 2000,
  otherFiles: 8000,
  repositories: 500,
  bigRepositoryTags: 3000,
};

/**
 * `--issue-corpus`: the corpus of issue 17's comparison with Renovate, 1,000 HelmReleases reading
 * 300 repositories by semver filters, so a run is 300 tag listings and the registry floor is
 * 300 x 20 ms / 8 = 0.75 s.
 */
export const ISSUE_SIZE: CorpusSize = {
  helmReleaseFiles: 1000,
  otherFiles: 0,
  repositories: 300,
  bigRepositoryTags: 0,
  semverOnly: true,
};

/** The `--small` size CI runs. */
export const SMALL_SIZE: CorpusSize = {
  helmReleaseFiles: 200,
  otherFiles: 800,
  repositories: 50,
  bigRepositoryTags: 300,
};

/** The registry host the corpus names; the CLI maps it to the front proxy with `registry-mirrors`. */
export const BENCH_REGISTRY = 'registry.bench.example';

/** One repository of the registry and how it is to be seeded. */
export interface BenchRepository {
  /** Path inside the registry, e.g. `apps/svc-012`. */
  path: string;
  /** Every tag, sorted. */
  tags: string[];
  /**
   * Whether some glob/regex filter reads it: then every tag a filter can pick gets its own image
   * (own digest and `created`); else all tags share one image (cheap to seed: one PUT per tag).
   */
  timeOrdered: boolean;
}

/** A container the corpus holds, with what the plan will do with it. */
export interface BenchContainer {
  repository: string;
  current: string;
  /** The filter annotation value, e.g. `semver:~1.0`, `glob:main-*`, `regex:^main-[0-9]+$`. */
  filter: string;
  /** False for locked or not-automated releases (no registry lookup). */
  lookedUp: boolean;
  /** The file it is in, relative to the corpus folder. */
  file: string;
}

/** A generated corpus, in memory. */
export interface Corpus {
  /** Relative path -> text. */
  files: Map<string, string>;
  /** The text of each HelmRelease document (for the yaml-only parse baseline). */
  helmReleaseDocuments: string[];
  containers: BenchContainer[];
  repositories: BenchRepository[];
}

/** mulberry32: small, fast, deterministic. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const API_VERSIONS = [
  'helm.fluxcd.io/v1',
  'helm.fluxcd.io/v1',
  'flux.weave.works/v1beta1',
  'helm.toolkit.fluxcd.io/v2beta1',
  'helm.toolkit.fluxcd.io/v2beta2',
  'helm.toolkit.fluxcd.io/v2',
];

const SEMVER_TAGS = [...Array.from({ length: 10 }, (_, i) => `1.0.${i}`)];
const MAIN_TAGS = Array.from({ length: 10 }, (_, i) => `main-${String(i + 1).padStart(4, '0')}`);
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Tags of a 20-tag repository: semver repositories `1.0.x` and `1.1.x`, time-ordered ones `1.0.x` and `main-NNNN`. */
function repositoryTags(timeOrdered: boolean): string[] {
  const tags = timeOrdered
    ? [...SEMVER_TAGS, ...MAIN_TAGS]
    : [...SEMVER_TAGS, ...SEMVER_TAGS.map((t) => t.replace('1.0.', '1.1.'))];
  return tags.sort();
}

/** Builds the corpus for a size; the same size always gives the same corpus. */
export function generateCorpus(size: CorpusSize, seed = 20240601): Corpus {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number): boolean => random() < p;

  // 30% of the repositories are read by glob/regex filters (time-ordered), the rest by semver.
  const timeCount = size.semverOnly ? 0 : Math.round(size.repositories * 0.3);
  const repositories: BenchRepository[] = [];
  for (let i = 0; i < size.repositories; i += 1) {
    const timeOrdered = i < timeCount;
    repositories.push({
      path: timeOrdered ? `builds/job-${pad(i, 3)}` : `apps/svc-${pad(i, 3)}`,
      tags: repositoryTags(timeOrdered),
      timeOrdered,
    });
  }
  const big: BenchRepository = {
    path: 'ci/monorepo',
    tags: Array.from({ length: size.bigRepositoryTags }, (_, i) => `build-${pad(i + 1, 5)}`),
    timeOrdered: true,
  };
  if (!size.semverOnly) repositories.push(big);
  const semverRepos = repositories.filter((r) => !r.timeOrdered);
  const timeRepos = repositories.filter((r) => r.timeOrdered && r !== big);

  // Every repository is used at least once: the first containers walk through them in order.
  let semverCursor = 0;
  let timeCursor = 0;
  let bigUses = 0;
  const containers: BenchContainer[] = [];
  const files = new Map<string, string>();
  const helmReleaseDocuments: string[] = [];

  const chooseImage = (): { repo: BenchRepository; current: string; filter: string } => {
    // Without glob/regex repositories no random number is drawn here (the other sizes draw the same as before).
    if (!size.semverOnly && chance(0.3)) {
      // A few containers read the big repository; it must be used at least once.
      if (bigUses === 0 || chance(0.01)) {
        bigUses += 1;
        return {
          repo: big,
          current: big.tags[Math.floor(big.tags.length / 2)] as string,
          filter: 'glob:build-*',
        };
      }
      const repo = timeCursor < timeRepos.length ? timeRepos[timeCursor++]! : pick(timeRepos);
      const filter = chance(0.5) ? 'glob:main-*' : 'regex:^main-[0-9]+$';
      return { repo, current: pick(MAIN_TAGS.slice(0, 6)), filter };
    }
    const repo = semverCursor < semverRepos.length ? semverRepos[semverCursor++]! : pick(semverRepos);
    return {
      repo,
      current: pick(SEMVER_TAGS),
      filter: pick(['semver:~1.0', 'semver:^1.0.0', 'semver:>=1.0.2 <2']),
    };
  };

  const imageLines = (shape: number, indent: string, repo: string, tag: string): string[] => {
    const full = `${BENCH_REGISTRY}/${repo}`;
    switch (shape) {
      case 0:
        return [`${indent}image: ${full}:${tag}`];
      case 1:
        return [`${indent}image: ${full}`, `${indent}tag: "${tag}"`];
      case 2:
        return [`${indent}registry: ${BENCH_REGISTRY}`, `${indent}image: ${repo}`, `${indent}tag: "${tag}"`];
      case 3:
        return [`${indent}registry: ${BENCH_REGISTRY}`, `${indent}image: ${repo}:${tag}`];
      case 4:
        return [
          `${indent}image:`,
          `${indent}  repository: ${full}`,
          `${indent}  tag: "${tag}"`,
          `${indent}  pullPolicy: IfNotPresent`,
        ];
      case 5:
        return [
          `${indent}image:`,
          `${indent}  registry: ${BENCH_REGISTRY}`,
          `${indent}  repository: ${repo}`,
          `${indent}  tag: "${tag}"`,
        ];
      case 6:
        return [
          `${indent}image:`,
          `${indent}  registry: ${BENCH_REGISTRY}`,
          `${indent}  repository: ${repo}:${tag}`,
        ];
      default:
        return [`${indent}image:`, `${indent}  repository: ${full}:${tag}`];
    }
  };

  for (let i = 0; i < size.helmReleaseFiles; i += 1) {
    const name = `release-${pad(i, 4)}`;
    const apiVersion = pick(API_VERSIONS);
    const v1 = apiVersion.startsWith('helm.fluxcd.io') || apiVersion.startsWith('flux.weave.works');
    const prefix = pick(['fluxcd.io/', 'fluxcd.io/', 'flux.weave.works/']);
    const policy = random();
    // 10%: locked (5%) or not automated (5%).
    const locked = policy < 0.05;
    const automated = policy >= 0.1 || locked;
    const annotations: string[] = [];
    if (automated) annotations.push(`    ${prefix}automated: "true"`);
    if (locked) annotations.push(`    ${prefix}locked: "true"`);
    const values: string[] = [];
    const firstContainer = containers.length;
    const addContainer = (container: string, lines: (repo: string, tag: string) => string[]) => {
      const { repo, current, filter } = chooseImage();
      containers.push({
        repository: `${BENCH_REGISTRY}/${repo.path}`,
        current,
        filter,
        lookedUp: automated && !locked,
        file: '', // set once the release's file is named, below
      });
      const key = pick(['filter.fluxcd.io/', 'fluxcd.io/tag.', 'flux.weave.works/tag.']);
      annotations.push(`    ${key}${container}: "${filter}"`);
      values.push(...lines(repo.path, current));
    };
    // The chart's own image (top level) in half of the releases.
    if (chance(0.5))
      addContainer('chart-image', (repo, tag) => imageLines(Math.floor(random() * 8), '    ', repo, tag));
    values.push('    replicaCount: 2', '    service:', '      type: ClusterIP', '      port: 80');
    const subsections = 1 + Math.floor(random() * 2);
    for (let s = 0; s < subsections; s += 1) {
      const container = pick(['api', 'worker', 'proxy', 'sidecar', 'migrations']) + (s > 0 ? `${s}` : '');
      if (values.some((l) => l === `    ${container}:`)) continue;
      if (chance(0.1)) {
        // An alias: the image sits deeper than Flux looks, the annotations map it.
        const alias = `${container}-img`;
        addContainer(alias, (repo, tag) => [
          `    ${container}:`,
          `      deploy:`,
          `        img: ${BENCH_REGISTRY}/${repo}`,
          `        version: "${tag}"`,
        ]);
        annotations.push(
          `    repository.fluxcd.io/${alias}: ${container}.deploy.img`,
          `    tag.fluxcd.io/${alias}: ${container}.deploy.version`,
        );
      } else {
        addContainer(container, (repo, tag) => [
          `    ${container}:`,
          ...imageLines(Math.floor(random() * 8), '      ', repo, tag),
          '      resources:',
          '        limits: {cpu: 200m, memory: 256Mi}',
        ]);
      }
    }
    const chart = v1
      ? ['  chart:', '    repository: https://charts.example.com/', `    name: ${name}`, '    version: 1.2.3']
      : [
          '  interval: 10m',
          '  chart:',
          '    spec:',
          `      chart: ${name}`,
          '      version: 1.2.3',
          '      sourceRef: {kind: HelmRepository, name: charts, namespace: flux-system}',
        ];
    const document = [
      `apiVersion: ${apiVersion}`,
      'kind: HelmRelease',
      'metadata:',
      `  name: ${name}`,
      `  namespace: team-${i % 40}`,
      '  annotations:',
      ...annotations,
      'spec:',
      `  releaseName: ${name}`,
      ...chart,
      '  values:',
      ...values,
      '',
    ].join('\n');
    helmReleaseDocuments.push(document);
    const extra = chance(0.2)
      ? `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-values\ndata:\n  note: "rendered by ${name}"\n`
      : '';
    const file = `clusters/${pick(['prod', 'staging', 'dev'])}/team-${i % 40}/${name}/helmrelease.yaml`;
    files.set(file, document + extra);
    for (let c = firstContainer; c < containers.length; c += 1) containers[c]!.file = file;
  }

  for (let i = 0; i < size.otherFiles; i += 1) {
    const name = `object-${pad(i, 5)}`;
    const dir = `clusters/${pick(['prod', 'staging', 'dev'])}/team-${i % 40}/manifests`;
    files.set(`${dir}/${name}.${chance(0.2) ? 'yml' : 'yaml'}`, otherDocument(name, random));
  }
  return { files, helmReleaseDocuments, containers, repositories };
}

/** A Kubernetes object that is not a HelmRelease (Deployments with images, Services, ...). */
function otherDocument(name: string, random: () => number): string {
  const kind = Math.floor(random() * 5);
  switch (kind) {
    case 0: {
      const containers = 1 + Math.floor(random() * 3);
      const lines = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${name}`,
        '  labels: {app.kubernetes.io/name: web, app.kubernetes.io/part-of: shop}',
        'spec:',
        '  replicas: 3',
        `  selector: {matchLabels: {app: ${name}}}`,
        '  template:',
        `    metadata: {labels: {app: ${name}}}`,
        '    spec:',
        '      containers:',
      ];
      for (let c = 0; c < containers; c += 1) {
        lines.push(
          `        - name: c${c}`,
          `          image: ${BENCH_REGISTRY}/apps/svc-00${c}:1.0.${c}`,
          '          ports: [{containerPort: 8080}]',
          '          env:',
          '            - {name: LOG_LEVEL, value: info}',
          '            - {name: FEATURE_FLAGS, value: "a,b,c"}',
          '          resources: {limits: {cpu: 500m, memory: 512Mi}, requests: {cpu: 100m, memory: 128Mi}}',
        );
      }
      return `${lines.join('\n')}\n`;
    }
    case 1:
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
    case 2:
      return `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: https://charts.example.com/\n`;
    case 3:
      return `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - helmrelease.yaml\n  - ${name}.yaml\nnamespace: team-${Math.floor(random() * 40)}\n`;
    default:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${Array.from(
        { length: 5 + Math.floor(random() * 20) },
        (_, i) => `  key${i}: "value ${i} ${random().toString(36).slice(2)}"`,
      ).join('\n')}\n`;
  }
}

/** Writes the corpus under `dir`. */
export async function writeCorpus(corpus: Corpus, dir: string): Promise<void> {
  const dirs = new Set([...corpus.files.keys()].map((f) => dirname(join(dir, f))));
  for (const d of dirs) await mkdir(d, { recursive: true });
  const entries = [...corpus.files];
  for (let i = 0; i < entries.length; i += 64) {
    await Promise.all(entries.slice(i, i + 64).map(([file, text]) => writeFile(join(dir, file), text)));
  }
}

/** Flux v1's glob (only `*` is special) and the corpus's regexes, for the minimum computation. */
export function filterMatches(filter: string, tag: string): boolean {
  if (filter.startsWith('glob:')) {
    const pattern = filter.slice(5);
    const [head, tail] = pattern.split('*') as [string, string | undefined];
    return tail === undefined ? tag === head : tag.startsWith(head) && tag.endsWith(tail);
  }
  if (filter.startsWith('regex:')) return new RegExp(filter.slice(6)).test(tag);
  return false;
}
