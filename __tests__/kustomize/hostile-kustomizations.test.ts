/**
 * Kustomizations and patch files are outside input: a repository may hold anything in them. Each
 * row is a hostile kustomization tree and what the run must do with it: hold exactly the releases
 * that may be narrowed (never fewer: a lock lost is an update Flux would not make), with an error
 * at the file and line that says why and how to fix it, and finish (no hang, no crash). YAML
 * aliases and merge keys are never expanded, so Kustomize's reading of them is not known here: a
 * field it reads written through one makes the file unreadable, failing safe.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { createWorkspaceFiles, MAX_FILE_BYTES } from '../../src/adapters/workspace-files.js';
import { MAX_TARGET_PATTERN } from '../../src/kustomize/patch-targets.js';
import { APP, BASE, hold, OTHER, overlay, PROD, release } from './support.js';

/** A billion laughs: nine levels of nine aliases each, 9^9 strings if anything expanded it. */
const BILLION_LAUGHS = [
  'lol: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...Array.from({ length: 8 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`),
];

/** An inline JSON6902 patch locking every HelmRelease, in flow style. */
const LOCK_OPS = '"[{op: add, path: /metadata/annotations/fluxcd.io~1locked, value: \\"true\\"}]"';

/** An overlay whose only patch is the JSON6902 patch file ops.yaml for every HelmRelease. */
const OPS_OVERLAY = overlay('patches:', '  - target: {kind: HelmRelease}', '    path: ops.yaml');
const OPS = 'clusters/prod/ops.yaml';

/** `n` JSON6902 operations that add labels, then `last`. */
function operations(n: number, ...last: string[]): string {
  const ops = Array.from({ length: n }, (_, i) => `- op: add\n  path: /metadata/labels/l${i}\n  value: x`);
  return [...ops, ...last, ''].join('\n');
}

/**
 * `levels` levels of two kustomizations each including both of the next level (2^levels paths
 * through them), the last including the base; the prod overlay builds the first and locks.
 */
function diamond(levels: number): Record<string, string> {
  const files: Record<string, string> = {
    [PROD]: 'resources: [../../d/l0a]\ncommonAnnotations: {fluxcd.io/locked: "true"}\n',
  };
  for (let i = 0; i < levels; i++) {
    const next = i + 1 === levels ? '[../../apps/base]' : `[../l${i + 1}a, ../l${i + 1}b]`;
    for (const side of ['a', 'b']) files[`d/l${i}${side}/kustomization.yaml`] = `resources: ${next}\n`;
  }
  return files;
}

/** `n` kustomizations in a cycle, each also building the base; the prod overlay builds the first and locks. */
function cycle(n: number): Record<string, string> {
  const files: Record<string, string> = {
    [PROD]: 'resources: [../../c/k0]\ncommonAnnotations: {fluxcd.io/locked: "true"}\n',
  };
  for (let i = 0; i < n; i++) {
    files[`c/k${i}/kustomization.yaml`] = `resources: [../k${(i + 1) % n}, ../../apps/base]\n`;
  }
  return files;
}

/** Why a file with an alias is unreadable, as the error says it. */
const uses = (what: string, line: number) =>
  `it uses ${what} at line ${line}, which Kustomize follows and this tool does not`;
const ALIAS_FIX = 'until the value is written out where the alias or merge key stands';

/** [case, files over the base, releases held, [file, line, texts the error holds][]]. */
const CASES: [
  string,
  Record<string, string>,
  string[],
  [string, number, string[], ('error' | 'warning')?][],
][] = [
  [
    'commonAnnotations written as an alias of a lock',
    { [PROD]: overlay('locks: &locks', '  fluxcd.io/locked: "true"', 'commonAnnotations: *locks') },
    [APP, OTHER],
    [[PROD, 7, [`${PROD}, which could not be read (${uses('a YAML alias (*locks)', 7)})`, ALIAS_FIX]]],
  ],
  [
    'commonAnnotations merging a lock in (<<)',
    { [PROD]: overlay('locks: &locks {fluxcd.io/locked: "true"}', 'commonAnnotations:', '  <<: *locks') },
    [APP, OTHER],
    [[PROD, 7, [uses('a YAML merge key (<<)', 7)]]],
  ],
  [
    'an annotation whose key is an alias',
    { [PROD]: overlay('key: &k fluxcd.io/locked', 'commonAnnotations:', '  *k: "true"') },
    [APP, OTHER],
    [[PROD, 7, [uses('a YAML alias (*k) as a key', 7)]]],
  ],
  [
    'an annotation whose value is an alias',
    { [PROD]: overlay('yes: &t "true"', 'commonAnnotations:', '  fluxcd.io/locked: *t') },
    [APP, OTHER],
    [[PROD, 7, [uses('a YAML alias (*t)', 7)]]],
  ],
  [
    'the whole kustomization merged in at its top level',
    {
      [PROD]:
        'common: &common\n  resources: [../../apps/base]\n  commonAnnotations: {fluxcd.io/locked: "true"}\n<<: *common\n',
    },
    [APP, OTHER],
    [[PROD, 4, [uses('a YAML merge key (<<)', 4)]]],
  ],
  [
    'resources written as an alias: every string of the file is taken as a path',
    { [PROD]: 'r: &r [../../apps/base]\nresources: *r\ncommonAnnotations: {fluxcd.io/locked: "true"}\n' },
    [APP, OTHER],
    [[PROD, 2, [uses('a YAML alias (*r)', 2)]]],
  ],
  [
    'a resource written as an alias of an anchored path',
    { [PROD]: 'r: &r ../../apps/base\nresources: [*r]\ncommonAnnotations: {fluxcd.io/locked: "true"}\n' },
    [APP, OTHER],
    [[PROD, 2, [uses('a YAML alias (*r)', 2)]]],
  ],
  [
    'patches written as an alias',
    { [PROD]: overlay('p: &p', `  - {target: {kind: HelmRelease}, patch: ${LOCK_OPS}}`, 'patches: *p') },
    [APP, OTHER],
    [[PROD, 7, [uses('a YAML alias (*p)', 7)]]],
  ],
  [
    "a patch's text written as an alias",
    { [PROD]: overlay(`t: &t ${LOCK_OPS}`, 'patches:', '  - target: {kind: HelmRelease}', '    patch: *t') },
    [APP, OTHER],
    [[PROD, 8, [uses('a YAML alias (*t)', 8)]]],
  ],
  [
    'a patch file whose annotations are an alias',
    {
      [PROD]: overlay('patches: [{path: lock.yaml}]'),
      'clusters/prod/lock.yaml':
        'x: &a {fluxcd.io/locked: "true"}\nkind: HelmRelease\nmetadata:\n  name: app\n  annotations: *a\n',
    },
    [APP, OTHER],
    [[PROD, 5, [`the patch lock.yaml in ${PROD} may lock or filter`, `${uses('a YAML alias (*a)', 5)}`]]],
  ],
  [
    'a patch file merging annotations in',
    {
      [PROD]: overlay('patches: [{path: lock.yaml}]'),
      'clusters/prod/lock.yaml':
        'x: &a {fluxcd.io/locked: "true"}\nkind: HelmRelease\nmetadata:\n  name: app\n  annotations:\n    <<: *a\n',
    },
    [APP, OTHER],
    [[PROD, 5, [uses('a YAML merge key (<<)', 6), ALIAS_FIX]]],
  ],
  [
    'an inline JSON6902 operation written as an alias: the line is the kustomization’s',
    {
      [PROD]: overlay(
        'patches:',
        '  - target: {kind: HelmRelease}',
        '    patch: |',
        '      - &lock {op: add, path: /metadata/annotations/fluxcd.io~1locked, value: "true"}',
        '      - *lock',
      ),
    },
    [APP, OTHER],
    [[PROD, 6, [uses('a YAML alias (*lock)', 9)]]],
  ],
  [
    'a billion laughs in a field that is not read costs nothing and changes nothing',
    {
      [PROD]: overlay(
        ...BILLION_LAUGHS,
        'configMapGenerator: [{name: x, literals: *l8}]',
        'commonAnnotations:',
        '  fluxcd.io/locked: "true"',
      ),
    },
    [APP, OTHER],
    [[PROD, 16, [`fluxcd.io/locked in commonAnnotations of ${PROD} is for HelmReleases`]]],
  ],
  [
    'a billion laughs in commonAnnotations is not expanded: the file is unreadable',
    {
      [PROD]: overlay(...BILLION_LAUGHS, 'commonAnnotations:', '  fluxcd.io/locked: "true"', '  laughs: *l8'),
    },
    [APP, OTHER],
    [[PROD, 16, [uses('a YAML alias (*l8)', 16)]]],
  ],
  [
    'a billion laughs in resources and patches',
    {
      [PROD]: overlay(
        ...BILLION_LAUGHS,
        'patches: [*l8]',
        'commonAnnotations: {fluxcd.io/locked: "true"}',
      ).replace('resources:\n  - ../../apps/base', 'resources: [../../apps/base, *l8]'),
    },
    [APP, OTHER],
    [[PROD, 3, [uses('a YAML alias (*l8)', 3)]]],
  ],
  [
    'flow collections nested 100,000 deep in a kustomization',
    {
      [PROD]: overlay(
        'commonAnnotations:',
        '  fluxcd.io/locked: "true"',
        `x: ${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      ),
    },
    [APP, OTHER],
    [
      [
        PROD,
        7,
        [
          `${PROD}, which could not be read (it is not valid YAML: flow collections ([ or {) open more than 10,000 levels deep here, which Flux v1 (yaml.v2) refuses ("exceeded max depth of 10000") at line 7, column 10004)`,
        ],
      ],
    ],
  ],
  [
    'flow maps nested 20,000 deep in a patch file',
    { [PROD]: OPS_OVERLAY, [OPS]: `- ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n# fluxcd.io/locked\n` },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        [
          'the patch ops.yaml',
          'it is not valid YAML (flow collections ([ or {) open more than 10,000 levels deep here, which Flux v1 (yaml.v2) refuses ("exceeded max depth of 10000") at line 1, column',
          'the patch is valid YAML',
        ],
      ],
    ],
  ],
  [
    'a JSON6902 patch of 40,000 operations, the last a lock',
    {
      [PROD]: OPS_OVERLAY,
      [OPS]: operations(
        40_000,
        '- op: add',
        '  path: /metadata/annotations/fluxcd.io~1locked',
        '  value: "true"',
      ),
    },
    [APP, OTHER],
    [[PROD, 6, [`fluxcd.io/locked in ops.yaml, a patch in ${PROD} is for HelmReleases`]]],
  ],
  [
    'JSON pointer escapes: ~1 is a slash, ~0 a tilde, and \\u escapes are the same key',
    {
      [PROD]: OPS_OVERLAY,
      [OPS]: '- op: add\n  path: "/metadata/annotations/fluxcd.io\\u007e1locked"\n  value: "true"\n',
    },
    [APP, OTHER],
    [[PROD, 6, ['fluxcd.io/locked in ops.yaml']]],
  ],
  [
    '~01 is a literal ~1, not a slash: a key Flux does not read, which holds nothing, as in Flux',
    {
      [PROD]: OPS_OVERLAY,
      [OPS]: '- op: add\n  path: /metadata/annotations/fluxcd.io~01locked\n  value: "true"\n',
    },
    [],
    [],
  ],
  [
    'a lookalike slash (U+2215) is another key, which Flux does not read either',
    {
      [PROD]: OPS_OVERLAY,
      [OPS]: '- op: add\n  path: "/metadata/annotations/fluxcd.io\\u2215locked"\n  value: "true"\n',
    },
    [],
    [],
  ],
  [
    'a target name of (a+)+$ against a 100,000-character name: RE2, no backtracking',
    {
      [PROD]: overlay(
        'patches:',
        `  - target: {kind: HelmRelease, name: "(a+)+$"}`,
        `    patch: ${LOCK_OPS}`,
      ),
      'apps/base/app.yaml': BASE['apps/base/app.yaml'].replace(
        'name: app\n',
        `name: ${'a'.repeat(100_000)}b\n`,
      ),
    },
    [],
    // It selects neither release, so it holds nothing: said, with the long name cut short.
    [
      [
        PROD,
        6,
        [`selects no HelmRelease that ${PROD} builds (it builds ${'a'.repeat(64)}…, other)`],
        'warning',
      ],
    ],
  ],
  [
    `a target name longer than ${MAX_TARGET_PATTERN} characters is not compiled: it is for every release`,
    {
      [PROD]: overlay(
        'patches:',
        `  - target: {kind: HelmRelease, name: "${'(a|b)'.repeat(1_000_000)}"}`,
        `    patch: ${LOCK_OPS}`,
      ),
    },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        [
          `its target's name is 5,000,000 characters long, more than the 4,096 read as a regular expression here, so every HelmRelease it may be for is held`,
        ],
      ],
    ],
  ],
  [
    'a diamond of 18 levels (262,144 paths to the base): each kustomization is walked once',
    diamond(18),
    [APP, OTHER],
    [
      [
        PROD,
        2,
        [
          `fluxcd.io/locked in commonAnnotations of ${PROD} is for HelmReleases ${APP}, ${OTHER}:`,
          // No bound was met on the way.
          'without a .flux.yaml); they get no update until',
        ],
      ],
    ],
  ],
  [
    'a cycle through 3 folders: Kustomize refuses it; the base it builds on the way is held',
    cycle(3),
    [APP, OTHER],
    [[PROD, 2, [`fluxcd.io/locked in commonAnnotations of ${PROD} is for HelmReleases`]]],
  ],
  [
    'a cycle through 1,000 folders meets the depth bound: every release of the workspace is held, saying so',
    cycle(1000),
    [APP, OTHER],
    [
      [
        PROD,
        2,
        ['kustomizations include each other more than 20 deep, so every HelmRelease it may be for is held'],
      ],
    ],
  ],
];

/** Paths that leave the workspace or are fetched from elsewhere: Kustomize builds nothing of it from them. */
const ELSEWHERE = [
  '../../../../etc',
  '/etc/passwd',
  'https://example.com/base?ref=main',
  'git@github.com:owner/repo.git',
  '../../apps/base/../../..',
];

describe('hostile kustomizations', () => {
  it.each(CASES)('%s', async (_name, files, held, problems) => {
    const result = await hold(files);
    expect(result.held.sort()).toEqual([...held].sort());
    expect(result.problems.map((p) => [p.file, p.line, p.severity])).toEqual(
      problems.map(([f, l, , severity = 'error']) => [f, l, severity]),
    );
    result.problems.forEach((p, i) => problems[i][2].forEach((text) => expect(p.message).toContain(text)));
  });

  it('a kustomization that is not YAML holds what its flow list names, and its error quotes none of its text', async () => {
    const secret = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
    const { held, problems } = await hold({
      [PROD]: `resources: [../../apps/base]\ncommonAnnotations: {fluxcd.io/locked: "true"\npassword: ${secret}\n`,
    });
    expect(held.sort()).toEqual([APP, OTHER]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([[PROD, 3]]);
    expect(problems[0].message).toContain(`${PROD}, which could not be read (it is not valid YAML: `);
    expect(problems[0].message).not.toContain(secret);
    expect(problems[0].message).not.toContain('password');
  });

  it('paths outside the workspace (.., absolute, URLs) build nothing here and are never read', async () => {
    const quoted = ELSEWHERE.map((path) => JSON.stringify(path));
    const { held, problems, reads } = await hold({
      [PROD]: [
        `resources: [${quoted.join(', ')}]`,
        `components: [${quoted.join(', ')}]`,
        `patches: [${quoted.map((path) => `{path: ${path}}`).join(', ')}]`,
        'commonAnnotations: {fluxcd.io/locked: "true"}',
        '',
      ].join('\n'),
    });
    expect(reads.sort()).toEqual(['apps/base/kustomization.yaml', PROD]);
    // Kustomize cannot build such a kustomization; a component it cannot read may hold any release
    // it builds, and it builds none of this workspace's.
    expect([held, problems]).toEqual([[], []]);
  });

  /** What the error says of a resource of the prod overlay that names nothing. */
  const namesNothing = (path: string) =>
    `; ${path} in ${PROD} names nothing in the repository (correct the path): Kustomize cannot build ${PROD} and Flux keeps what it applied last, so what its other paths build is held;`;

  it.each([
    ['~ (Kustomize does not expand it)', '~/base'],
    ['a NUL byte', 'a\0b'],
    ['backslashes (a file name on Linux)', '..\\..\\apps\\base'],
    ['a folder the checkout lacks', '../../components/missing'],
    ['a file the checkout lacks', 'missing.yaml'],
  ])(
    'a resource naming nothing, %s: Kustomize cannot build the overlay, so what its other paths build is held, saying so',
    async (_, path) => {
      const { held, problems, reads } = await hold({
        [PROD]: `resources: [${JSON.stringify(path)}, ../../apps/base/app.yaml]\ncommonAnnotations: {fluxcd.io/locked: "true"}\n`,
      });
      expect(held.sort()).toEqual([APP]);
      expect(reads.sort()).toEqual(['apps/base/kustomization.yaml', PROD]);
      expect(problems.map((p) => [p.file, p.line])).toEqual([[PROD, 2]]);
      expect(problems[0].message).toContain(namesNothing(path));
      expect(problems[0].message).not.toContain('so every HelmRelease it may be for is held');
    },
  );

  it('a component naming nothing holds what its kustomization builds, not every release', async () => {
    const { held, problems } = await hold({
      [PROD]: 'resources: [../../apps/base/app.yaml]\ncomponents: [../../components/missing]\n',
    });
    expect(held).toEqual([APP]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([[PROD, 2]]);
    expect(problems[0].message).toContain(
      'the component ../../components/missing in clusters/prod/kustomization.yaml may lock or filter HelmRelease apps/app in apps/base/app.yaml:',
    );
    expect(problems[0].message).toContain(
      '; it names nothing in the repository (Kustomize cannot build the kustomization until its path is corrected, and Flux keeps what it applied last), so every HelmRelease it may be for is held;',
    );
    expect(problems[0].message).toContain(namesNothing('../../components/missing'));
  });
});

/** 50 MB of text: `head`, then comment lines. */
function fiftyMegabytes(head: string): string {
  const line = `# ${'x'.repeat(98)}\n`;
  return head + line.repeat((50_000_000 - head.length) / line.length);
}

describe('through the real workspace port: links, and files over its size bound', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  /**
   * Holds the tree as written to disk, with `links` (path: target, in the workspace unless
   * absolute), listed and read through the real workspace port. `hidden` files are written into
   * folders the listing cannot enter (permission denied, injected: tests run as root).
   */
  async function holdOnDisk(
    files: Record<string, string>,
    links: Record<string, string> = {},
    hidden: Record<string, string> = {},
  ) {
    root = await mkdtemp(join(tmpdir(), 'kz-hostile-'));
    const denied = new Set(Object.keys(hidden).map((path) => join(root!, dirname(path))));
    for (const [path, text] of Object.entries({ ...BASE, ...files, ...hidden })) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
    for (const [path, target] of Object.entries(links)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await symlink(isAbsolute(target) ? target : join(root, target), join(root, path));
    }
    const port = createWorkspaceFiles(root, undefined, {
      readDirectory: (path) => {
        if (denied.has(path))
          throw Object.assign(new Error('EACCES: permission denied, scandir'), { code: 'EACCES' });
        return readdirSync(path, { withFileTypes: true });
      },
    });
    const listing = await port.listFiles();
    return { ...(await hold(files, true, port)), listing };
  }

  const EXTRA = 'apps/extra in apps/extra/extra.yaml';
  const LOCK = 'commonAnnotations: {fluxcd.io/locked: "true"}';

  it.each([
    [
      'a linked folder: what it builds',
      { [PROD]: `resources: [../linked-base]\n${LOCK}\n` },
      { 'clusters/linked-base': 'apps/base' },
      [APP, OTHER],
    ],
    [
      'a link to a linked folder, and a file through it',
      { [PROD]: `resources: [../via/app.yaml]\n${LOCK}\n` },
      { 'clusters/linked-base': 'apps/base', 'clusters/via': 'clusters/linked-base' },
      [APP],
    ],
    [
      'a link to the workspace, and a folder through it',
      { [PROD]: `resources: [../all/apps/base]\n${LOCK}\n` },
      { 'clusters/all': '' },
      [APP, OTHER],
    ],
    [
      'a linked file (listed under its target only)',
      { [PROD]: `resources: [app-link.yaml]\n${LOCK}\n` },
      { 'clusters/prod/app-link.yaml': 'apps/base/app.yaml' },
      [APP],
    ],
  ])(
    'a Kustomize path through %s is followed, as Kustomize follows it',
    async (_, files, links, expected) => {
      const extra = { 'apps/extra/extra.yaml': release('extra', 'nginx:1.0') };
      const result = await holdOnDisk({ ...files, ...extra }, links);
      // The port lists what the tree holds: neither the links nor the files through them.
      expect(result.listing).toEqual(Object.keys({ ...BASE, ...files, ...extra }).sort());
      expect(result.held.sort()).toEqual(expected);
      expect(result.held).not.toContain(EXTRA);
      expect(result.problems.map((p) => [p.file, p.line])).toEqual([[PROD, 2]]);
      expect(result.problems[0].message).not.toContain('names nothing');
    },
  );

  it('a component through a linked folder is read: its lock holds what the overlay builds', async () => {
    const component = 'components/locked/kustomization.yaml';
    const { held, problems } = await holdOnDisk(
      {
        [PROD]: 'resources: [../../apps/base/app.yaml]\ncomponents: [../linked-component]\n',
        [component]: `kind: Component\n${LOCK}\n`,
      },
      { 'clusters/linked-component': 'components/locked' },
    );
    expect(held).toEqual([APP]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([[component, 2]]);
  });

  it('a resource through a link leaving the workspace builds nothing here; a component through it may lock', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'kz-outside-'));
    try {
      await writeFile(join(outside, 'kustomization.yaml'), `resources: [app.yaml]\n${LOCK}\n`);
      const { held, problems } = await holdOnDisk(
        {
          [PROD]: `resources: [../outside, ../../apps/base/app.yaml]\n${LOCK}\n`,
          'clusters/other/kustomization.yaml':
            'resources: [../../apps/base/other.yaml]\ncomponents: [../outside]\n',
        },
        { 'clusters/outside': outside },
      );
      expect(held.sort()).toEqual([APP, OTHER]);
      expect(problems.map((p) => [p.file, p.line])).toEqual([
        ['clusters/other/kustomization.yaml', 2],
        [PROD, 2],
      ]);
      expect(problems[0].message).toContain(
        'the component ../outside in clusters/other/kustomization.yaml may lock or filter HelmRelease apps/other in apps/base/other.yaml:',
      );
      expect(problems[0].message).toContain('; it links outside the workspace and is not read here,');
      expect(problems[1].message).toContain(`is for HelmRelease ${APP}:`);
      expect(problems.map((p) => p.message).join('\n')).not.toContain('names nothing');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  // A folder the listing could not enter is no typo: the path may well be there. What a resource
  // there builds is not known (a kustomization in it may name ../../apps), so every release of the
  // workspace the overlay's lock may be for is held (a component's too); a patch there holds as unread.
  const SECRET = { 'apps/secret/secret.yaml': release('secret', 'nginx:1.0') };
  const NOT_LISTED = (path: string, folder: string) =>
    `; what it builds is not known: ${path} in ${PROD} is in ${folder}, which the run could not list (permission denied), so every HelmRelease it may be for is held;`;

  it.each<[string, Record<string, string>, Record<string, string>, string[], string]>([
    [
      'a resource file in it: every release of the workspace is held',
      { [PROD]: `resources: [../../apps/secret/secret.yaml, ../../apps/base/app.yaml]\n${LOCK}\n` },
      SECRET,
      [APP, EXTRA, OTHER],
      NOT_LISTED('../../apps/secret/secret.yaml', 'apps/secret'),
    ],
    [
      'the folder itself as a resource: likewise',
      { [PROD]: `resources: [../../apps/secret, ../../apps/base/app.yaml]\n${LOCK}\n` },
      SECRET,
      [APP, EXTRA, OTHER],
      NOT_LISTED('../../apps/secret', 'apps/secret'),
    ],
    [
      'a folder below it: likewise',
      { [PROD]: `resources: [../../apps/secret/deeper, ../../apps/base/app.yaml]\n${LOCK}\n` },
      SECRET,
      [APP, EXTRA, OTHER],
      NOT_LISTED('../../apps/secret/deeper', 'apps/secret'),
    ],
    [
      'a component in it: every release of the workspace is held',
      { [PROD]: 'resources: [../../apps/base/app.yaml]\ncomponents: [../../components/secret]\n' },
      { 'components/secret/kustomization.yaml': `kind: Component\n${LOCK}\n` },
      // Nor is what it builds itself (its resources): every release of the workspace.
      [APP, EXTRA, OTHER],
      '; it is in components/secret, which the run could not list (permission denied); what it builds is not known:',
    ],
    [
      'a patch file in it: the releases its target selects are held',
      { [PROD]: overlay('patches: [{path: secret/lock.yaml, target: {kind: HelmRelease, name: app}}]') },
      {
        'clusters/prod/secret/lock.yaml':
          '- op: add\n  path: /metadata/annotations/fluxcd.io~1locked\n  value: "true"\n',
      },
      [APP],
      'it could not be read (clusters/prod/secret could not be listed: permission denied)',
    ],
  ])(
    'a path in a folder the listing could not enter, %s, saying so (not "names nothing")',
    async (_, files, hidden, expected, says) => {
      const extra = { 'apps/extra/extra.yaml': release('extra', 'nginx:1.0') };
      const result = await holdOnDisk({ ...files, ...extra }, {}, hidden);
      expect(result.listing).toEqual(Object.keys({ ...BASE, ...files, ...extra }).sort());
      expect(result.held.sort()).toEqual(expected);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0].message).toContain(says);
      expect(result.problems[0].message).not.toMatch(/names nothing|no such file/);
    },
  );

  const tooLarge = (bytes: number) =>
    `it is ${bytes.toLocaleString('en-US')} bytes, over the ${MAX_FILE_BYTES.toLocaleString('en-US')}-byte limit for scanned files`;

  it('a 50 MB kustomization is not read: what it builds may be anywhere, so every release is held, saying why', async () => {
    const text = fiftyMegabytes(overlay('commonAnnotations: {fluxcd.io/locked: "true"}'));
    const { held, problems } = await holdOnDisk({ [PROD]: text });
    expect(held.sort()).toEqual([APP, OTHER]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([[PROD, 1]]);
    expect(problems[0].message).toContain(
      `${PROD}, which could not be read (${tooLarge(text.length)}), may lock`,
    );
    expect(problems[0].message).toContain(
      'what it builds is not known (it may build any file of the workspace)',
    );
  });

  it('a 50 MB patch file is not read: the releases its target selects are held, saying why', async () => {
    const text = fiftyMegabytes(
      '- op: add\n  path: /metadata/annotations/fluxcd.io~1locked\n  value: "true"\n',
    );
    const { held, problems } = await holdOnDisk({
      [PROD]: overlay('patches: [{path: big.yaml, target: {kind: HelmRelease, name: app}}]'),
      'clusters/prod/big.yaml': text,
    });
    expect(held).toEqual([APP]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([[PROD, 5]]);
    expect(problems[0].message).toContain(
      `the patch big.yaml in ${PROD} may lock or filter HelmRelease ${APP}`,
    );
    expect(problems[0].message).toContain(`it could not be read (${tooLarge(text.length)})`);
  });
});
