/**
 * Spec-exact tests for HelmRelease image detection (issue 2, "Detection" and "Must show").
 *
 * Each case states the containers `scanFile` must return as compact tuples
 *   [container, source, reference text, tag kind, text.slice(tag scalar range), line]
 * and the problems it must report as [line, message regex]. A line is written either as a number or
 * as a piece of text that occurs on exactly one line of the input (so the fixtures stay readable and a
 * shifted fixture, e.g. with a leading `---`, keeps its expectations); an array of lines means "any of
 * these", used only where the rules leave the line open.
 *
 * Rules: FLUX-V1-RULES §1–§5 and §9, and the spec `helm-operator-integration.txt`.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import type { FileScan, ImageOccurrence } from '../../src/helmrelease/types.js';

const FILE = 'releases/app.yaml';
const DIGEST = `sha256:${'a'.repeat(64)}`;

type Line = number | string;
type Lines = Line | Line[];
type Source = 'detected' | 'alias';
type Kind = 'tag' | 'reference' | 'none';
/** [container, source, reference text, tag kind, tag scalar source text, line] */
type Container = [string, Source, string, Kind, string | undefined, Lines];
/** [line, message regex] */
type ExpectedProblem = [Lines, RegExp];

// Distinctive pieces of problem messages whose exact wording the rules leave open.
const NUMERIC = /number|numeric|not a string|quot/i;

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/detect/${name}`, import.meta.url), 'utf8');
}

/** The 1-based line of `line` in `text`: a number as is, a string names the one line containing it. */
function resolveLine(text: string, line: Line): number {
  if (typeof line === 'number') return line;
  const hits = text
    .split(/\r?\n/)
    .map((l, i) => (l.includes(line) ? i + 1 : 0))
    .filter((n) => n > 0);
  if (hits.length !== 1) throw new Error(`test bug: "${line}" is on ${hits.length} lines, not exactly one`);
  return hits[0] ?? 0;
}

function resolveLines(text: string, lines: Lines): number[] {
  return (Array.isArray(lines) ? lines : [lines]).map((l) => resolveLine(text, l));
}

/** Picks the actual line when it is one of the allowed ones, so a diff shows only real differences. */
function pickLine(allowed: number[], actual: number | undefined): number {
  return actual !== undefined && allowed.includes(actual) ? actual : (allowed[0] ?? 0);
}

function tuple(
  text: string,
  c: ImageOccurrence,
): [string, string, string, string, string | undefined, number] {
  const scalar = c.tag.scalar;
  return [
    c.container,
    c.source,
    c.reference.text,
    c.tag.kind,
    scalar ? text.slice(scalar.range.start, scalar.range.end) : undefined,
    c.line,
  ];
}

/** Every container of every release, in release order. */
function allContainers(scan: FileScan): ImageOccurrence[] {
  return scan.releases.flatMap((r) => r.containers);
}

/** Checks the invariants that hold for every occurrence, whatever the case. */
function expectConsistent(text: string, scan: FileScan): void {
  expect(scan.file).toBe(FILE);
  for (const p of scan.problems) {
    expect(p.file).toBe(FILE);
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.message.length).toBeGreaterThan(0);
  }
  for (const release of scan.releases) {
    expect(release.file).toBe(FILE);
    for (const c of release.containers) {
      const scalar = c.tag.scalar;
      if (c.tag.kind === 'none') {
        expect(scalar).toBeUndefined();
        expect(c.reference.tag).toBeUndefined();
        continue;
      }
      expect(scalar).toBeDefined();
      if (!scalar) continue;
      const source = text.slice(scalar.range.start, scalar.range.end);
      // The range is the scalar's own source, quotes (or a block header) included.
      if (scalar.style === 'block') expect(source).toMatch(/^[|>]/);
      else expect(source).not.toMatch(/[\r\n]/);
      expect(text.slice(0, scalar.range.start).split('\n').length).toBe(scalar.range.line);
      if (scalar.style === 'plain') expect(source).toBe(scalar.value);
      if (scalar.style === 'single') expect(source).toBe(`'${scalar.value.replace(/'/g, "''")}'`);
      if (scalar.style === 'double') expect(source).toBe(JSON.stringify(scalar.value));
      if (c.tag.kind === 'tag') {
        expect(scalar.value).toBe(c.reference.tag);
        expect(c.reference.text.endsWith(`:${scalar.value}`)).toBe(true);
        expect(c.line).toBe(scalar.range.line);
      } else {
        // The image/repository string carries the tag; the reference ends with that string.
        expect(c.reference.text.endsWith(scalar.value)).toBe(true);
        expect(c.reference.tag).toBeDefined();
        expect(scalar.value).toContain(`:${c.reference.tag}`);
        expect(c.line).toBe(scalar.range.line);
      }
    }
  }
}

interface Expectation {
  containers: Container[];
  problems?: ExpectedProblem[];
  /** When true, problems beyond the expected ones are allowed (the rules do not say whether to warn). */
  moreProblemsAllowed?: boolean;
}

/** Scans `text` and asserts its containers and problems. Returns the scan for further checks. */
function expectScan(text: string, { containers, problems = [], moreProblemsAllowed = false }: Expectation) {
  const scan = scanFile(FILE, text);
  expectConsistent(text, scan);
  const actual = allContainers(scan).map((c) => tuple(text, c));
  const expected = containers.map(([name, source, ref, kind, tagText, lines], i) => [
    name,
    source,
    ref,
    kind,
    tagText,
    pickLine(resolveLines(text, lines), actual[i]?.[5]),
  ]);
  expect(actual).toEqual(expected);
  expectProblems(text, scan, problems, moreProblemsAllowed);
  return scan;
}

function expectProblems(
  text: string,
  scan: FileScan,
  problems: ExpectedProblem[],
  moreAllowed: boolean,
): void {
  const left = [...scan.problems];
  const missing: string[] = [];
  for (const [lines, regex] of problems) {
    const allowed = resolveLines(text, lines);
    const i = left.findIndex((p) => allowed.includes(p.line) && regex.test(p.message));
    if (i < 0) missing.push(`line ${allowed.join('|')}: ${String(regex)}`);
    else left.splice(i, 1);
  }
  const unexpected = moreAllowed ? [] : left.map((p) => `line ${p.line}: ${p.message}`);
  expect({ missing, unexpected, all: missing.length + unexpected.length ? scan.problems : [] }).toEqual({
    missing: [],
    unexpected: [],
    all: [],
  });
}

function indent(block: string, by: number): string {
  return block
    .split('\n')
    .map((l) => (l === '' ? l : ' '.repeat(by) + l))
    .join('\n');
}

/** A HelmRelease with the given values (unindented YAML) and annotation lines. */
function release(values: string, annotations: string[] = [], apiVersion = 'helm.fluxcd.io/v1'): string {
  const meta = annotations.length ? ['  annotations:', ...annotations.map((a) => `    ${a}`)] : [];
  return [
    `apiVersion: ${apiVersion}`,
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '  namespace: apps',
    ...meta,
    'spec:',
    '  values:',
    indent(values, 4),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// R3.7: the eight shapes, at the top level (chart-image) and in a subsection (named by its key).

const SHAPES: [string, string, string, Kind, string, string, boolean?][] = [
  // name, values, reference, kind, tag source, line of, whether problems may be reported
  [
    '1 image: repo:tag',
    'image: repo/image:version',
    'repo/image:version',
    'reference',
    'repo/image:version',
    'image:',
  ],
  ['2 image + tag', 'image: repo/image\ntag: version', 'repo/image:version', 'tag', 'version', 'tag:'],
  [
    '3 registry + image + tag',
    'registry: docker.io\nimage: repo/image\ntag: version',
    'docker.io/repo/image:version',
    'tag',
    'version',
    'tag:',
  ],
  [
    '4 image.repository + image.tag',
    'image:\n  repository: repo/image\n  tag: version',
    'repo/image:version',
    'tag',
    'version',
    'tag:',
  ],
  [
    '5 image.registry + image.repository + image.tag',
    'image:\n  registry: docker.io\n  repository: repo/image\n  tag: version',
    'docker.io/repo/image:version',
    'tag',
    'version',
    'tag:',
  ],
  [
    '6 registry + image: repo:tag',
    'registry: quay.io\nimage: repo/image:version',
    'quay.io/repo/image:version',
    'reference',
    'repo/image:version',
    'image:',
  ],
  [
    '7 image.registry + image.repository: repo:tag',
    'image:\n  registry: quay.io\n  repository: repo/image:version',
    'quay.io/repo/image:version',
    'reference',
    'repo/image:version',
    'repository:',
  ],
  [
    '8 image.repository: repo:tag',
    'image:\n  repository: repo/image:version',
    'repo/image:version',
    'reference',
    'repo/image:version',
    'repository:',
  ],
  // Variations of the same shapes: quoting, flow maps, comments, other keys, ports, odd types.
  ['1 double-quoted', 'image: "repo/image:1.0"', 'repo/image:1.0', 'reference', '"repo/image:1.0"', 'image:'],
  [
    '2 single-quoted numeric-looking tag',
    "image: repo/image\ntag: '150'",
    'repo/image:150',
    'tag',
    "'150'",
    'tag:',
  ],
  [
    '2 trailing comments are not part of the range',
    'image: repo/image # the image\ntag: 1.2.3 # pinned',
    'repo/image:1.2.3',
    'tag',
    '1.2.3',
    'tag:',
  ],
  [
    '2 date-like tag stays a string',
    'image: repo/image\ntag: 2020-01-01',
    'repo/image:2020-01-01',
    'tag',
    '2020-01-01',
    'tag:',
  ],
  [
    '4 flow mapping',
    "image: {repository: repo/image, tag: '4.0'}",
    'repo/image:4.0',
    'tag',
    "'4.0'",
    'image:',
  ],
  [
    '3 registry with a port',
    "registry: localhost:5000\nimage: team/app\ntag: '1.2'",
    'localhost:5000/team/app:1.2',
    'tag',
    "'1.2'",
    'tag:',
  ],
  [
    '4 other keys mixed in are ignored',
    'pullPolicy: IfNotPresent\nimage:\n  pullPolicy: Always\n  repository: repo/image\n  tag: v1\nport: 4040',
    'repo/image:v1',
    'tag',
    'v1',
    'tag: v1',
  ],
  [
    '4 an outer registry does not apply to an image map',
    'registry: quay.io\nimage:\n  repository: repo/image\n  tag: v1',
    'repo/image:v1',
    'tag',
    'v1',
    'tag:',
  ],
  [
    '3 a non-string registry does not count',
    'registry: 5000\nimage: repo/image\ntag: v1',
    'repo/image:v1',
    'tag',
    'v1',
    'tag:',
    true,
  ],
  [
    '5 a non-string image.registry does not count',
    'image:\n  registry: [quay.io]\n  repository: repo/image\n  tag: v1',
    'repo/image:v1',
    'tag',
    'v1',
    'tag:',
    true,
  ],
  [
    '1 digest-pinned with a tag is reported with its digest',
    `image: repo/image:1.0@${DIGEST}`,
    `repo/image:1.0@${DIGEST}`,
    'reference',
    `repo/image:1.0@${DIGEST}`,
    'image:',
  ],
];

describe('scanFile: value shapes (R3.4, R3.7)', () => {
  // A warning about a value that is ignored (`registry: 5000`) is allowed but not required.
  // (The last parameter has a default so that jest does not take it for a `done` callback.)
  it.each(SHAPES)(
    'top level: shape %s',
    (_name, values, ref, kind, tagText, line, moreProblemsAllowed = false) => {
      expectScan(release(values), {
        containers: [['chart-image', 'detected', ref, kind, tagText, line]],
        moreProblemsAllowed,
      });
    },
  );

  it.each(SHAPES)(
    'subsection: shape %s',
    (_name, values, ref, kind, tagText, line, moreProblemsAllowed = false) => {
      const text = release(`persistent: true\nsubsystem:\n${indent(values, 2)}\nport: 4040`);
      expectScan(text, {
        containers: [['subsystem', 'detected', ref, kind, tagText, line]],
        moreProblemsAllowed,
      });
    },
  );

  it('records value and style of the tag scalar', () => {
    const text = fixture('formatting.yaml');
    const scan = expectScan(text, {
      containers: [
        ['chart-image', 'detected', 'repo/double:1.0.0', 'reference', '"repo/double:1.0.0"', 10],
        ['commented', 'detected', 'repo/commented:3.0.0', 'tag', '3.0.0', 15],
        ['flow', 'detected', 'repo/flow:4.0.0', 'tag', "'4.0.0'", 17],
        ['quoted', 'detected', 'repo/quoted:5.0.0', 'tag', '"5.0.0"', 21],
        ['single', 'detected', 'repo/single:2.0.0', 'reference', "'repo/single:2.0.0'", 12],
        ['withPort', 'detected', 'localhost:5000/team/app:v6', 'tag', 'v6', 25],
      ],
    });
    const styles = allContainers(scan).map((c) => [c.container, c.tag.scalar?.value, c.tag.scalar?.style]);
    expect(styles).toEqual([
      ['chart-image', 'repo/double:1.0.0', 'double'],
      ['commented', '3.0.0', 'plain'],
      ['flow', '4.0.0', 'single'],
      ['quoted', '5.0.0', 'double'],
      ['single', 'repo/single:2.0.0', 'single'],
      ['withPort', 'v6', 'plain'],
    ]);
    const quoted = allContainers(scan).find((c) => c.container === 'quoted');
    expect(quoted?.filter).toEqual({ key: 'filter.fluxcd.io/quoted', value: 'semver:~1.0', line: 7 });
  });

  it('parses the reference it builds (R5)', () => {
    const scan = scanFile(FILE, release('image: docker.io/mongo:4\nsub:\n  image: localhost:5000/x'));
    expect(allContainers(scan).map((c) => c.reference)).toEqual([
      {
        text: 'docker.io/mongo:4',
        registry: 'docker.io',
        path: 'mongo',
        tag: '4',
        digest: undefined,
        repository: 'docker.io/library/mongo',
      },
      {
        text: 'localhost:5000/x',
        registry: 'localhost:5000',
        path: 'x',
        tag: undefined,
        digest: undefined,
        repository: 'localhost:5000/x',
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// R3.1–R3.3, R3.8: names, depth limit, lists, order.

describe('scanFile: where containers are looked for (R3.1–R3.3, R3.8)', () => {
  it.each<[string, string, Container[], ExpectedProblem[]?]>([
    ['nothing deeper than one level', 'a:\n  b:\n    image: repo/deep:1.0', []],
    ['nothing deeper, even with a tag key', 'a:\n  b:\n    image: repo/deep\n    tag: v1', []],
    ['nothing inside a list under a key', 'x:\n  - image: repo/listed:1.0\n  - name: y', []],
    ['nothing inside a list of images', 'images:\n  - repo/listed:1.0', []],
    [
      'the key `image` is a subsection too (issue #3365)',
      'image:\n  image: repo/image:1.0',
      [['image', 'detected', 'repo/image:1.0', 'reference', 'repo/image:1.0', 'image: repo']],
    ],
    [
      'a top-level image map is chart-image, not a container named image',
      'image:\n  repository: repo/image\n  tag: v1',
      [['chart-image', 'detected', 'repo/image:v1', 'tag', 'v1', 'tag:']],
    ],
    [
      'chart-image first, then names in byte order',
      [
        'zeta:',
        '  image: repo/zeta:1',
        'alpha:',
        '  image: repo/alpha:1',
        'Beta:',
        '  image: repo/beta:1',
        '_under:',
        '  image: repo/under:1',
        'image: repo/top:1',
      ].join('\n'),
      [
        ['chart-image', 'detected', 'repo/top:1', 'reference', 'repo/top:1', 'repo/top:1'],
        ['Beta', 'detected', 'repo/beta:1', 'reference', 'repo/beta:1', 'repo/beta:1'],
        ['_under', 'detected', 'repo/under:1', 'reference', 'repo/under:1', 'repo/under:1'],
        ['alpha', 'detected', 'repo/alpha:1', 'reference', 'repo/alpha:1', 'repo/alpha:1'],
        ['zeta', 'detected', 'repo/zeta:1', 'reference', 'repo/zeta:1', 'repo/zeta:1'],
      ],
    ],
    [
      'the same image under two keys gives two containers',
      'a:\n  image: repo/same:1\nb:\n  image: repo/same:1',
      // Values start on line 8 of `release()`.
      [
        ['a', 'detected', 'repo/same:1', 'reference', 'repo/same:1', 9],
        ['b', 'detected', 'repo/same:1', 'reference', 'repo/same:1', 11],
      ],
    ],
    ['scalars and lists at the top level are not subsections', 'port: 80\nlist: [1, 2]\nname: x', []],
  ])('%s', (_name, values, containers, problems = []) => {
    expectScan(release(values), { containers, problems });
  });

  it.each<[string, string]>([
    [
      'values is a list',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  values:\n    - image: repo/x:1\n',
    ],
    ['values is a scalar', 'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  values: 5\n'],
    ['values is null', 'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  values:\n'],
    ['no values', 'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  chart:\n    name: x\n'],
    [
      'only spec.values is read (R1.4)',
      [
        'apiVersion: helm.fluxcd.io/v1',
        'kind: HelmRelease',
        'image: repo/root:1',
        'spec:',
        '  image: repo/spec:1',
        '  valuesFrom:',
        '    - image: repo/from:1',
        '  chart:',
        '    image: repo/chart:1',
        '',
      ].join('\n'),
    ],
  ])('a release with no containers: %s', (_name, text) => {
    const scan = scanFile(FILE, text);
    expectConsistent(text, scan);
    expect(scan.releases).toHaveLength(1);
    expect(allContainers(scan)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// R3.4–R3.6, §9: values that are not strings, and references that do not parse.

describe('scanFile: odd values (R3.4–R3.6, §9)', () => {
  // Not containers at all; whether to warn is left open, so only "no container" is asserted.
  it.each<[string, string]>([
    ['image: 42', 'image: 42'],
    ['image: null', 'image: null'],
    ['image: (empty)', 'image:'],
    ['image: ~ with a tag', 'image: ~\ntag: v1'],
    ['image: a list', 'image: [repo/a:1, repo/b:2]'],
    ['image: a boolean', 'image: true'],
    ['image map without repository', 'image:\n  registry: quay.io\n  tag: v1'],
    ['image map with a numeric repository', 'image:\n  repository: 42\n  tag: v1'],
    ['image map with a null repository', 'image:\n  repository:\n  tag: v1'],
    ['no image key at all', 'repository: repo/image\ntag: v1'],
  ])('not a container: %s', (_name, values) => {
    expectScan(release(values), { containers: [], moreProblemsAllowed: true });
    expectScan(release(`sub:\n${indent(values, 2)}`), { containers: [], moreProblemsAllowed: true });
  });

  // R3.5: the joined reference does not parse: not a container, and a problem says so.
  it.each<[string, string, RegExp, Line[]]>([
    ['tag: ""', 'image: repo/image\ntag: ""', /repo\/image:/, ['image:', 'tag:']],
    ["image.tag: ''", "image:\n  repository: repo/image\n  tag: ''", /repo\/image:/, ['repository:', 'tag:']],
    [
      'registry: ""',
      'registry: ""\nimage: repo/image\ntag: v1',
      /\/repo\/image/,
      ['registry:', 'image:', 'tag:'],
    ],
    ['repo:1:2', 'image: repo:1\ntag: "2"', /repo:1:2/, ['image:', 'tag:']],
    ['upper case', 'image: Repo/Image:1', /Repo\/Image/, ['image:']],
    ['white space', 'image: "repo/image :1"', /repo\/image :1/, ['image:']],
    ['bad digest', 'image: repo/image@sha256:abc', /sha256:abc/, ['image:']],
  ])('invalid reference: %s', (_name, values, message, lines) => {
    expectScan(release(values), { containers: [], problems: [[lines, message]] });
    expectScan(release(`sub:\n${indent(values, 2)}`), { containers: [], problems: [[lines, message]] });
  });

  // R3.6, R7.7, §9: untagged images are containers without a tag (the plan skips them). Numeric tags
  // are numbers, so the image is untagged, and a problem says why (issue 2, rule 2). Whether a plain
  // untagged image is reported while scanning or while planning is left open.
  it.each<[string, string, string, Lines, ExpectedProblem[], boolean?]>([
    ['no tag at all', 'image: repo/image', 'repo/image', 'image:', [], true],
    [
      'image map without tag',
      'image:\n  repository: repo/image',
      'repo/image',
      ['image:', 'repository:'],
      [],
      true,
    ],
    [
      'tag: 150',
      'image: repo/image\ntag: 150',
      'repo/image',
      ['image:', 'tag:'],
      [[['tag:', 'image:'], NUMERIC]],
      true,
    ],
    [
      'tag: 4.0',
      'image: repo/image\ntag: 4.0',
      'repo/image',
      ['image:', 'tag:'],
      [[['tag:', 'image:'], NUMERIC]],
      true,
    ],
    [
      'image.tag: 1.10',
      'image:\n  repository: repo/image\n  tag: 1.10',
      'repo/image',
      ['image:', 'repository:', 'tag:'],
      // The message names the value as written (1.10), not as a number (1.1).
      [[['tag:', 'repository:', 'image:'], /1\.10/]],
      true,
    ],
    ['tag: true', 'image: repo/image\ntag: true', 'repo/image', ['image:', 'tag:'], [], true],
    ['tag: null', 'image: repo/image\ntag: null', 'repo/image', ['image:', 'tag:'], [], true],
    ['digest only', `image: repo/image@${DIGEST}`, `repo/image@${DIGEST}`, 'image:', [], true],
  ])('untagged: %s', (_name, values, ref, line, problems, moreProblemsAllowed = false) => {
    expectScan(release(values), {
      containers: [['chart-image', 'detected', ref, 'none', undefined, line]],
      problems,
      moreProblemsAllowed,
    });
  });

  it('a numeric tag keeps the reference untagged and names the value in the problem', () => {
    const scan = expectScan(release('sub:\n  image: repo/image\n  tag: 4.0'), {
      containers: [['sub', 'detected', 'repo/image', 'none', undefined, ['image:', 'tag:']]],
      problems: [[['tag:', 'image:'], /4\.0/]],
      moreProblemsAllowed: true,
    });
    expect(allContainers(scan)[0]?.reference.tag).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// §4: alias annotations.

const ALIAS_VALUES = [
  'appImage: repo/image1:1.0',
  'appRepo: repo/image1',
  'appTag: "1.0"',
  'appNumber: 42',
  'appUpper: Repo/Upper',
  'reg: quay.io',
  'nested:',
  '  deep:',
  '    repo: repo/deep',
  '    tag: v2',
  'listed:',
  '  - repo/listed',
].join('\n');

describe('scanFile: alias annotations (R4.1–R4.3)', () => {
  it.each<[string, string[], Container[], ExpectedProblem[], boolean?]>([
    [
      'repository only (a full repo:tag)',
      ['repository.fluxcd.io/app: appImage'],
      [['app', 'alias', 'repo/image1:1.0', 'reference', 'repo/image1:1.0', 'appImage:']],
      [],
    ],
    [
      'repository + tag',
      ['repository.fluxcd.io/app: appRepo', 'tag.fluxcd.io/app: appTag'],
      [['app', 'alias', 'repo/image1:1.0', 'tag', '"1.0"', 'appTag:']],
      [],
    ],
    [
      'registry + repository (repository carries the tag)',
      ['registry.fluxcd.io/app: reg', 'repository.fluxcd.io/app: appImage'],
      [['app', 'alias', 'quay.io/repo/image1:1.0', 'reference', 'repo/image1:1.0', 'appImage:']],
      [],
    ],
    [
      'registry + repository + tag, nested paths',
      [
        'registry.fluxcd.io/app: reg',
        'repository.fluxcd.io/app: nested.deep.repo',
        'tag.fluxcd.io/app: nested.deep.tag',
      ],
      [['app', 'alias', 'quay.io/repo/deep:v2', 'tag', 'v2', 'tag: v2']],
      [],
    ],
    [
      'repository only, untagged',
      ['repository.fluxcd.io/app: appRepo'],
      [['app', 'alias', 'repo/image1', 'none', undefined, 'appRepo:']],
      [],
      true,
    ],
    [
      'tag only is ignored',
      ['tag.fluxcd.io/app: appTag'],
      [],
      [['tag.fluxcd.io/app', /repository\.fluxcd\.io/]],
    ],
    [
      'registry only is ignored',
      ['registry.fluxcd.io/app: reg'],
      [],
      [['registry.fluxcd.io/app', /repository\.fluxcd\.io/]],
    ],
    [
      'registry + tag is ignored',
      ['registry.fluxcd.io/app: reg', 'tag.fluxcd.io/app: appTag'],
      [],
      [[['registry.fluxcd.io/app', 'tag.fluxcd.io/app'], /repository\.fluxcd\.io/]],
    ],
    [
      'a missing repository path drops the alias',
      ['repository.fluxcd.io/app: nowhere.at.all'],
      [],
      [['repository.fluxcd.io/app', /nowhere\.at\.all/]],
    ],
    [
      'a numeric repository value drops the alias',
      ['repository.fluxcd.io/app: appNumber'],
      [],
      [['repository.fluxcd.io/app', /appNumber/]],
    ],
    [
      'a repository path to a map drops the alias',
      ['repository.fluxcd.io/app: nested.deep'],
      [],
      [['repository.fluxcd.io/app', /nested\.deep/]],
    ],
    [
      'a path through a list drops the alias (no list indexing)',
      ['repository.fluxcd.io/app: listed.0'],
      [],
      [['repository.fluxcd.io/app', /listed\.0/]],
    ],
    [
      'a missing tag path drops the alias',
      ['repository.fluxcd.io/app: appRepo', 'tag.fluxcd.io/app: appVersion'],
      [],
      [['tag.fluxcd.io/app', /appVersion/]],
    ],
    [
      'a numeric tag value drops the alias',
      ['repository.fluxcd.io/app: appRepo', 'tag.fluxcd.io/app: appNumber'],
      [],
      [['tag.fluxcd.io/app', /appNumber/]],
    ],
    [
      'a missing registry path drops the alias',
      ['registry.fluxcd.io/app: nowhere', 'repository.fluxcd.io/app: appImage'],
      [],
      [['registry.fluxcd.io/app', /nowhere/]],
    ],
    [
      'a joined reference that does not parse drops the alias',
      ['repository.fluxcd.io/app: appUpper', 'tag.fluxcd.io/app: appTag'],
      [],
      [[['repository.fluxcd.io/app', 'tag.fluxcd.io/app', 'appUpper:', 'appTag:'], /Repo\/Upper/]],
    ],
    [
      'two aliases, sorted by name',
      [
        'repository.fluxcd.io/zz: appImage',
        'repository.fluxcd.io/aa: nested.deep.repo',
        'tag.fluxcd.io/aa: nested.deep.tag',
      ],
      [
        ['aa', 'alias', 'repo/deep:v2', 'tag', 'v2', 'tag: v2'],
        ['zz', 'alias', 'repo/image1:1.0', 'reference', 'repo/image1:1.0', 'appImage:'],
      ],
      [],
    ],
  ])('%s', (_name, annotations, containers, problems, moreProblemsAllowed = false) => {
    expectScan(release(ALIAS_VALUES, annotations), { containers, problems, moreProblemsAllowed });
  });
});

describe('scanFile: aliases and detected containers (R4.4, R4.5)', () => {
  const values = [
    'image: repo/top:1.0',
    'other: repo/other',
    'otherTag: v3',
    'subsystem:',
    '  image:',
    '    repository: repo/sub',
    '    tag: "2.0"',
  ].join('\n');

  it.each<[string, string[], Container[], ExpectedProblem[]]>([
    [
      'no aliases: what detection finds',
      [],
      [
        ['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['subsystem', 'detected', 'repo/sub:2.0', 'tag', '"2.0"', 'tag: "2.0"'],
      ],
      [],
    ],
    [
      'an alias named chart-image replaces the detected one',
      ['repository.fluxcd.io/chart-image: other', 'tag.fluxcd.io/chart-image: otherTag'],
      [
        ['chart-image', 'alias', 'repo/other:v3', 'tag', 'v3', 'otherTag:'],
        ['subsystem', 'detected', 'repo/sub:2.0', 'tag', '"2.0"', 'tag: "2.0"'],
      ],
      [],
    ],
    [
      'an alias named like a subsection replaces it',
      ['repository.fluxcd.io/subsystem: other', 'tag.fluxcd.io/subsystem: otherTag'],
      [
        ['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['subsystem', 'alias', 'repo/other:v3', 'tag', 'v3', 'otherTag:'],
      ],
      [],
    ],
    [
      'an unresolvable alias leaves the detected container as it was',
      ['repository.fluxcd.io/chart-image: missing', 'tag.fluxcd.io/chart-image: otherTag'],
      [
        ['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['subsystem', 'detected', 'repo/sub:2.0', 'tag', '"2.0"', 'tag: "2.0"'],
      ],
      [['repository.fluxcd.io/chart-image', /missing/]],
    ],
    [
      'a tag-only alias does not replace the detected container',
      ['tag.fluxcd.io/subsystem: otherTag'],
      [
        ['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['subsystem', 'detected', 'repo/sub:2.0', 'tag', '"2.0"', 'tag: "2.0"'],
      ],
      [['tag.fluxcd.io/subsystem', /repository\.fluxcd\.io/]],
    ],
    [
      'an alias with another name on the same value is a second container',
      ['repository.fluxcd.io/mirror: image'],
      [
        ['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['mirror', 'alias', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['subsystem', 'detected', 'repo/sub:2.0', 'tag', '"2.0"', 'tag: "2.0"'],
      ],
      [],
    ],
    [
      'same tag value twice through nested paths',
      ['repository.fluxcd.io/copy: subsystem.image.repository', 'tag.fluxcd.io/copy: subsystem.image.tag'],
      [
        ['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['copy', 'alias', 'repo/sub:2.0', 'tag', '"2.0"', 'tag: "2.0"'],
        ['subsystem', 'detected', 'repo/sub:2.0', 'tag', '"2.0"', 'tag: "2.0"'],
      ],
      [],
    ],
  ])('%s', (_name, annotations, containers, problems) => {
    expectScan(release(values, annotations), { containers, problems });
  });

  it('gives both containers of one value the same range', () => {
    const text = release(values, ['repository.fluxcd.io/mirror: image']);
    const [chart, mirror] = allContainers(scanFile(FILE, text));
    expect(mirror?.tag.scalar?.range).toEqual(chart?.tag.scalar?.range);
  });
});

// ---------------------------------------------------------------------------------------------
// §2: filters and policies.

describe('scanFile: filter annotations (R2.1, R2.5–R2.7, R4.6)', () => {
  const values = 'image: repo/top:1.0\nsubsystem:\n  image: repo/sub:2.0';
  type Filter = [string, string, Line] | undefined;

  it.each<[string, string[], { 'chart-image': Filter; subsystem: Filter }, ExpectedProblem[]]>([
    ['no filter means none recorded (glob:*)', [], { 'chart-image': undefined, subsystem: undefined }, []],
    [
      'filter.fluxcd.io/<c>',
      ['filter.fluxcd.io/chart-image: semver:~1.0'],
      {
        'chart-image': ['filter.fluxcd.io/chart-image', 'semver:~1.0', 'filter.fluxcd.io'],
        subsystem: undefined,
      },
      [],
    ],
    [
      'fluxcd.io/tag.<c>',
      ['fluxcd.io/tag.subsystem: glob:2.*'],
      { 'chart-image': undefined, subsystem: ['fluxcd.io/tag.subsystem', 'glob:2.*', 'fluxcd.io/tag'] },
      [],
    ],
    [
      'flux.weave.works/tag.<c>',
      ['flux.weave.works/tag.subsystem: regex:^2\\.'],
      { 'chart-image': undefined, subsystem: ['flux.weave.works/tag.subsystem', 'regex:^2\\.', 'weave'] },
      [],
    ],
    [
      'the value is kept exactly as written, spaces included',
      ["filter.fluxcd.io/chart-image: 'glob: *'"],
      {
        'chart-image': ['filter.fluxcd.io/chart-image', 'glob: *', 'filter.fluxcd.io'],
        subsystem: undefined,
      },
      [],
    ],
    [
      'filter.fluxcd.io beats fluxcd.io/tag, with a warning',
      ['fluxcd.io/tag.chart-image: glob:1.*', 'filter.fluxcd.io/chart-image: semver:~1.0'],
      {
        'chart-image': ['filter.fluxcd.io/chart-image', 'semver:~1.0', 'filter.fluxcd.io'],
        subsystem: undefined,
      },
      [[['fluxcd.io/tag', 'filter.fluxcd.io'], /fluxcd\.io\/tag\.chart-image/]],
    ],
    [
      'fluxcd.io/tag beats flux.weave.works/tag, with a warning',
      ['flux.weave.works/tag.subsystem: glob:1.*', 'fluxcd.io/tag.subsystem: glob:2.*'],
      { 'chart-image': undefined, subsystem: ['fluxcd.io/tag.subsystem', 'glob:2.*', 'fluxcd.io/tag'] },
      [[['weave', 'fluxcd.io/tag'], /flux\.weave\.works\/tag\.subsystem/]],
    ],
    [
      'filter.fluxcd.io beats flux.weave.works/tag, with a warning',
      ['filter.fluxcd.io/subsystem: glob:3.*', 'flux.weave.works/tag.subsystem: glob:1.*'],
      { 'chart-image': undefined, subsystem: ['filter.fluxcd.io/subsystem', 'glob:3.*', 'filter.fluxcd.io'] },
      [[['weave', 'filter.fluxcd.io'], /flux\.weave\.works\/tag\.subsystem/]],
    ],
    [
      'three forms that agree: no warning',
      [
        'flux.weave.works/tag.chart-image: semver:~1.0',
        'fluxcd.io/tag.chart-image: semver:~1.0',
        'filter.fluxcd.io/chart-image: semver:~1.0',
      ],
      {
        'chart-image': ['filter.fluxcd.io/chart-image', 'semver:~1.0', 'filter.fluxcd.io'],
        subsystem: undefined,
      },
      [],
    ],
    [
      'filter.fluxcd.io/tag.chart-image names no container (issue #3206)',
      ['filter.fluxcd.io/tag.chart-image: semver:~1.0'],
      { 'chart-image': undefined, subsystem: undefined },
      [['filter.fluxcd.io', /tag\.chart-image/]],
    ],
    [
      'a filter for a container that does not exist',
      ['filter.fluxcd.io/nats: regex:^0.6.*'],
      { 'chart-image': undefined, subsystem: undefined },
      [['filter.fluxcd.io', /nats/]],
    ],
    [
      'fluxcd.io/tag.<c> for a container that does not exist',
      ['fluxcd.io/tag.nats: glob:*'],
      { 'chart-image': undefined, subsystem: undefined },
      [['fluxcd.io/tag', /nats/]],
    ],
    [
      'flux.weave.works/tag.<c> for a container that does not exist',
      ['flux.weave.works/tag.nats: glob:*'],
      { 'chart-image': undefined, subsystem: undefined },
      [['weave', /nats/]],
    ],
    [
      'the filter prefix is case-sensitive: a different container name',
      ['filter.fluxcd.io/Subsystem: glob:*'],
      { 'chart-image': undefined, subsystem: undefined },
      [['filter.fluxcd.io', /Subsystem/]],
    ],
  ])('%s', (_name, annotations, filters, problems) => {
    const text = release(values, annotations);
    const scan = expectScan(text, {
      containers: [
        ['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['subsystem', 'detected', 'repo/sub:2.0', 'reference', 'repo/sub:2.0', 'image: repo/sub'],
      ],
      problems,
    });
    const actual = Object.fromEntries(allContainers(scan).map((c) => [c.container, c.filter]));
    const expected = Object.fromEntries(
      Object.entries(filters).map(([name, f]) => [
        name,
        f === undefined ? undefined : { key: f[0], value: f[1], line: resolveLine(text, f[2]) },
      ]),
    );
    expect(actual).toEqual(expected);
  });

  it('a filter naming an alias that was dropped is a problem too', () => {
    const text = release(values, ['repository.fluxcd.io/app: nowhere', 'filter.fluxcd.io/app: glob:*']);
    expectScan(text, {
      containers: [
        ['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image: repo/top'],
        ['subsystem', 'detected', 'repo/sub:2.0', 'reference', 'repo/sub:2.0', 'image: repo/sub'],
      ],
      problems: [
        ['repository.fluxcd.io/app', /nowhere/],
        ['filter.fluxcd.io/app', /\bapp\b/],
      ],
    });
  });

  it('a filter for an alias uses the alias name', () => {
    const text = release('img: repo/x:1', ['repository.fluxcd.io/app: img', 'fluxcd.io/tag.app: semver:~1']);
    const scan = expectScan(text, {
      containers: [['app', 'alias', 'repo/x:1', 'reference', 'repo/x:1', 'img:']],
    });
    expect(allContainers(scan)[0]?.filter).toEqual({
      key: 'fluxcd.io/tag.app',
      value: 'semver:~1',
      line: resolveLine(text, 'fluxcd.io/tag.app'),
    });
  });
});

describe('scanFile: policy annotations (R2.2–R2.5)', () => {
  type Policies = [automated: boolean, locked: boolean, ignored: boolean];
  it.each<[string, string[], Policies, ExpectedProblem[], boolean?]>([
    ['none', [], [false, false, false], []],
    ['fluxcd.io/automated: "true"', ['fluxcd.io/automated: "true"'], [true, false, false], []],
    ["fluxcd.io/automated: 'true'", ["fluxcd.io/automated: 'true'"], [true, false, false], []],
    ['flux.weave.works/automated: "true"', ['flux.weave.works/automated: "true"'], [true, false, false], []],
    ['fluxcd.io/automated: "false"', ['fluxcd.io/automated: "false"'], [false, false, false], []],
    ['"True" is not "true"', ['fluxcd.io/automated: "True"'], [false, false, false], [], true],
    ['"yes" is not "true"', ['fluxcd.io/automated: "yes"'], [false, false, false], [], true],
    [
      'an unquoted boolean is a problem, not automation',
      ['fluxcd.io/automated: true'],
      [false, false, false],
      [['fluxcd.io/automated', /automated/]],
    ],
    [
      'an unquoted boolean in the older form too',
      ['flux.weave.works/automated: true'],
      [false, false, false],
      [['flux.weave.works/automated', /automated/]],
    ],
    [
      'fluxcd.io/automated beats flux.weave.works/automated (off)',
      ['flux.weave.works/automated: "true"', 'fluxcd.io/automated: "false"'],
      [false, false, false],
      [],
      true,
    ],
    [
      'fluxcd.io/automated beats flux.weave.works/automated (on)',
      ['flux.weave.works/automated: "false"', 'fluxcd.io/automated: "true"'],
      [true, false, false],
      [],
      true,
    ],
    [
      'fluxcd.io/locked',
      ['fluxcd.io/automated: "true"', 'fluxcd.io/locked: "true"'],
      [true, true, false],
      [],
    ],
    ['flux.weave.works/locked', ['flux.weave.works/locked: "true"'], [false, true, false], []],
    [
      'an unquoted boolean locked holds the release (fail safe), with the quote-it warning',
      ['fluxcd.io/locked: true'],
      [false, true, false],
      [['fluxcd.io/locked', /fluxcd\.io\/locked is the YAML boolean true.*held as locked.*Quote it/]],
    ],
    [
      'fluxcd.io/ignore',
      ['fluxcd.io/automated: "true"', 'fluxcd.io/ignore: "true"'],
      [true, false, true],
      [],
    ],
    ['flux.weave.works/ignore', ['flux.weave.works/ignore: "true"'], [false, false, true], []],
    ['ignore: sync_only does not ignore', ['fluxcd.io/ignore: sync_only'], [false, false, false], [], true],
    [
      'unrelated annotations are fine',
      ['fluxcd.io/sync-checksum: abc', 'helm.sh/hook: pre-install', 'fluxcd.io/automated: "true"'],
      [true, false, false],
      [],
    ],
  ])('%s', (_name, annotations, [automated, locked, ignored], problems, moreProblemsAllowed = false) => {
    const text = release('image: repo/top:1.0', annotations);
    const scan = expectScan(text, {
      containers: [['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image:']],
      problems,
      moreProblemsAllowed,
    });
    // Which key holds the release (lockedBy, ignoredBy) is annotations.test.ts's.
    const on = scan.releases.map(({ policies: p }) => ({
      automated: p.automated,
      locked: p.locked,
      ignored: p.ignored,
    }));
    expect(on).toEqual([{ automated, locked, ignored }]);
  });
});

// ---------------------------------------------------------------------------------------------
// §1: documents and apiVersions.

describe('scanFile: which documents are HelmReleases (R1.1–R1.3)', () => {
  it.each([
    'helm.fluxcd.io/v1',
    'flux.weave.works/v1beta1',
    'helm.toolkit.fluxcd.io/v2beta1',
    'helm.toolkit.fluxcd.io/v2beta2',
    'helm.toolkit.fluxcd.io/v2',
  ])('accepts apiVersion %s', (apiVersion) => {
    const text = release('image: repo/top:1.0', [], apiVersion);
    const scan = expectScan(text, {
      containers: [['chart-image', 'detected', 'repo/top:1.0', 'reference', 'repo/top:1.0', 'image:']],
    });
    expect(
      scan.releases.map(({ apiVersion: a, name, namespace, line, documentIndex }) => ({
        a,
        name,
        namespace,
        line,
        documentIndex,
      })),
    ).toEqual([{ a: apiVersion, name: 'app', namespace: 'apps', line: 2, documentIndex: 0 }]);
  });

  it.each<[string, string]>([
    [
      'another kind',
      'apiVersion: helm.fluxcd.io/v1\nkind: Deployment\nspec:\n  values:\n    image: repo/x:1\n',
    ],
    [
      'kind is case-sensitive',
      'apiVersion: helm.fluxcd.io/v1\nkind: helmrelease\nspec:\n  values:\n    image: repo/x:1\n',
    ],
    [
      'an unknown apiVersion',
      'apiVersion: example.com/v1\nkind: HelmRelease\nspec:\n  values:\n    image: repo/x:1\n',
    ],
    ['a plain scalar document', 'just text\n'],
    ['a list document', '- kind: HelmRelease\n  spec:\n    values:\n      image: repo/x:1\n'],
    ['an empty file', ''],
    ['only a separator', '---\n'],
    ['only comments', '# nothing here\n# at all\n'],
  ])('not a HelmRelease: %s', (_name, text) => {
    const scan = scanFile(FILE, text);
    expectConsistent(text, scan);
    expect(scan.releases).toEqual([]);
  });

  it('reads name, namespace and line; no namespace is undefined', () => {
    const text =
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nmetadata:\n  name: bare\nspec:\n  values: {}\n';
    const scan = scanFile(FILE, text);
    expectConsistent(text, scan);
    expect(scan.releases.map((r) => [r.name, r.namespace, r.line, r.documentIndex])).toEqual([
      ['bare', undefined, 1, 0],
    ]);
    expect(scan.problems).toEqual([]);
  });

  describe.each([
    ['as written', (t: string) => t],
    ['with a leading ---', (t: string) => `---\n${t}`],
    ['with a trailing ---', (t: string) => `${t}---\n`],
  ])('a multi-document file %s', (_name, shape) => {
    const text = shape(fixture('multi-document.yaml'));

    it('finds the HelmReleases only, with their document index and line', () => {
      const scan = expectScan(text, {
        containers: [
          ['chart-image', 'detected', 'repo/first:1.0', 'reference', 'repo/first:1.0', 'repo/first'],
          ['db', 'detected', 'repo/second:2.0', 'tag', '"2.0"', 'tag: "2.0"'],
        ],
      });
      expect(scan.releases.map((r) => [r.name, r.namespace, r.apiVersion, r.documentIndex, r.line])).toEqual([
        // `kind: HelmRelease` is two lines above the name.
        ['first', undefined, 'helm.fluxcd.io/v1', 3, resolveLine(text, 'name: first') - 2],
        ['second', 'flux', 'helm.toolkit.fluxcd.io/v2', 5, resolveLine(text, 'name: second') - 2],
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// §1: files that do not parse; nothing ever throws.

describe('scanFile: files that do not parse (R1, STYLE rule 3)', () => {
  it.each<[string, string, Lines]>([
    [
      'bad indentation',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  values:\n    image: a\n   tag: x\n',
      6,
    ],
    [
      'an unclosed quote',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  values:\n    image: "repo/x:1\n',
      [5, 6],
    ],
    [
      'an unclosed flow sequence',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  values:\n    image: [unclosed\n    tag: x\n',
      [5, 6],
    ],
    [
      'a broken second document',
      `${release('image: repo/top:1.0')}---\napiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  values:\n    image: a\n   tag: x\n`,
      'tag: x',
    ],
    [
      'a duplicate key',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nspec:\n  values:\n    image: repo/a:1\n    image: repo/b:2\n',
      [5, 6],
    ],
  ])('%s gives a problem with its line', (_name, text, lines) => {
    let scan: FileScan | undefined;
    expect(() => {
      scan = scanFile(FILE, text);
    }).not.toThrow();
    if (!scan) return;
    expectConsistent(text, scan);
    const allowed = resolveLines(text, lines);
    expect(scan.problems.filter((p) => allowed.includes(p.line))).not.toEqual([]);
  });

  it.each<[string, string]>([
    ['spec is a scalar', 'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nspec: 5\n'],
    [
      'metadata is a scalar',
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nmetadata: 5\nspec:\n  values:\n    image: a:1\n',
    ],
    [
      'annotations is a list',
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nmetadata:\n  annotations: [a]\n',
    ],
    [
      'an annotation that is a map',
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nmetadata:\n  annotations:\n    repository.fluxcd.io/x: {a: b}\n    filter.fluxcd.io/x: [1]\n    fluxcd.io/automated: {a: b}\n',
    ],
    ['kind is a list', 'kind: [HelmRelease]\nspec:\n  values:\n    image: a:1\n'],
    [
      'anchors and YAML aliases',
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nspec:\n  values:\n    image: &i repo/a:1\n    sub:\n      image: *i\n    other: *i\n',
    ],
    [
      'a merge key',
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nspec:\n  values:\n    base: &b {image: repo/a:1}\n    sub:\n      <<: *b\n',
    ],
    [
      'a block scalar tag',
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nspec:\n  values:\n    image: repo/a\n    tag: |-\n      v1\n',
    ],
    [
      'non-string keys',
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nspec:\n  values:\n    1: {image: repo/a:1}\n    ? [a]\n    : {image: repo/b:1}\n',
    ],
    ['tabs', 'kind: HelmRelease\n\tspec:\n'],
    ['binary junk', '\u0000\u0001\u0002: \u0003\n---\n\uFFFF'],
  ])('never throws: %s', (_name, text) => {
    const scan = scanFile(FILE, text);
    expectConsistent(text, scan);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expectConsistent(text, scanFile(FILE, text));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a mangled HelmRelease', () => {
    const base = fixture('spec-aliases.yaml');
    fc.assert(
      fc.property(
        fc.nat(base.length),
        fc.nat(40),
        fc.constantFrom('', ':', '- ', '\n', ' ', '"', "'", '{', '[', '&a ', '*a', '---\n', '\t', '#'),
        (at, cut, insert) => {
          const text = base.slice(0, at) + insert + base.slice(Math.min(base.length, at + cut));
          expectConsistent(text, scanFile(FILE, text));
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Line endings and a BOM: ranges still slice exactly the scalar; lines do not move.

describe('scanFile: CRLF and BOM', () => {
  const variants: [string, (t: string) => string][] = [
    ['CRLF', (t) => t.replace(/\n/g, '\r\n')],
    ['BOM', (t) => `\uFEFF${t}`],
    ['BOM and CRLF', (t) => `\uFEFF${t.replace(/\n/g, '\r\n')}`],
  ];
  const fixtures = ['formatting.yaml', 'spec-two-images.yaml', 'spec-aliases.yaml', 'multi-document.yaml'];

  it.each(fixtures.flatMap((f) => variants.map(([v, shape]) => [f, v, shape] as const)))(
    '%s with %s gives the same containers as with LF',
    (name, _variant, shape) => {
      const lf = fixture(name);
      const text = shape(lf);
      const want = scanFile(FILE, lf);
      const got = scanFile(FILE, text);
      expectConsistent(text, got);
      expect(allContainers(got).map((c) => tuple(text, c))).toEqual(
        allContainers(want).map((c) => tuple(lf, c)),
      );
      expect(got.releases.map((r) => [r.name, r.line, r.documentIndex])).toEqual(
        want.releases.map((r) => [r.name, r.line, r.documentIndex]),
      );
      expect(allContainers(got).map((c) => c.filter)).toEqual(allContainers(want).map((c) => c.filter));
      expect(got.problems).toEqual(want.problems);
    },
  );

  it('offsets count the BOM and the carriage returns', () => {
    const lf = release('image: repo/a\ntag: v1');
    const text = `\uFEFF${lf.replace(/\n/g, '\r\n')}`;
    const [c] = allContainers(scanFile(FILE, text));
    const line = resolveLine(lf, 'tag: v1');
    const start = 1 + lf.indexOf('tag: v1') + 'tag: '.length + (line - 1);
    expect(c?.tag.scalar?.range).toEqual({ start, end: start + 2, line });
  });
});

// ---------------------------------------------------------------------------------------------
// Every example in the spec document, with the container names it gives.

describe('scanFile: the examples of helm-operator-integration', () => {
  it('the five value shapes', () => {
    const text = fixture('spec-value-shapes.yaml');
    const scan = expectScan(text, {
      containers: [
        ['chart-image', 'detected', 'repo/image:version', 'reference', 'repo/image:version', 9],
        ['chart-image', 'detected', 'repo/image:version', 'tag', 'version', 18],
        ['chart-image', 'detected', 'docker.io/repo/image:version', 'tag', 'version', 28],
        ['chart-image', 'detected', 'repo/image:version', 'tag', 'version', 38],
        ['chart-image', 'detected', 'docker.io/repo/image:version', 'tag', 'version', 49],
      ],
    });
    expect(scan.releases.map((r) => [r.name, r.documentIndex, r.line])).toEqual([
      ['shape-1', 0, 4],
      ['shape-2', 1, 12],
      ['shape-3', 2, 21],
      ['shape-4', 3, 31],
      ['shape-5', 4, 41],
    ]);
    expect(allContainers(scan).map((c) => c.reference.repository)).toEqual([
      'docker.io/repo/image',
      'docker.io/repo/image',
      'docker.io/repo/image',
      'docker.io/repo/image',
      'docker.io/repo/image',
    ]);
  });

  it('a values section with two images: chart-image and subsystem', () => {
    expectScan(fixture('spec-two-images.yaml'), {
      containers: [
        ['chart-image', 'detected', 'repo/image1:version', 'reference', 'repo/image1:version', 10],
        ['subsystem', 'detected', 'repo/image2:version', 'tag', 'version', 16],
      ],
    });
  });

  it('alias annotations: app and submarine', () => {
    const scan = expectScan(fixture('spec-aliases.yaml'), {
      containers: [
        ['app', 'alias', 'repo/image1:version', 'tag', 'version', 19],
        ['submarine', 'alias', 'domain.com/repo/image2:version', 'tag', 'version', 25],
      ],
    });
    expect(allContainers(scan).map((c) => [c.container, c.filter, c.reference.repository])).toEqual([
      ['app', { key: 'filter.fluxcd.io/app', value: 'glob: *', line: 9 }, 'docker.io/repo/image1'],
      ['submarine', undefined, 'domain.com/repo/image2'],
    ]);
  });

  it('top level filter example: chart-image, automated', () => {
    const scan = expectScan(fixture('spec-filter-top-level.yaml'), {
      containers: [['chart-image', 'detected', 'bitnami/mongodb:4.0.3', 'tag', '4.0.3', 12]],
    });
    const [hr] = scan.releases;
    expect(hr?.policies).toEqual({ automated: true, locked: false, ignored: false });
    expect(hr?.containers[0]?.filter).toEqual({
      key: 'filter.fluxcd.io/chart-image',
      value: 'semver:~4.0',
      line: 7,
    });
  });

  it('sub-section filter example: alertmanager, nats, prometheus', () => {
    const scan = expectScan(fixture('spec-filter-subsections.yaml'), {
      containers: [
        [
          'alertmanager',
          'detected',
          'prom/alertmanager:v0.15.0',
          'reference',
          'prom/alertmanager:v0.15.0',
          15,
        ],
        ['nats', 'detected', 'nats-streaming:0.6.0', 'tag', '0.6.0', 19],
        ['prometheus', 'detected', 'prom/prometheus:v2.3.1', 'reference', 'prom/prometheus:v2.3.1', 13],
      ],
    });
    const [hr] = scan.releases;
    expect(hr?.policies).toEqual({ automated: true, locked: false, ignored: false });
    expect(
      hr?.containers.map((c) => [c.container, c.filter?.value, c.filter?.line, c.reference.repository]),
    ).toEqual([
      ['alertmanager', 'glob:v0.15.*', 8, 'docker.io/prom/alertmanager'],
      ['nats', 'regex:^0.6.*', 9, 'docker.io/library/nats-streaming'],
      ['prometheus', 'semver:~2.3', 7, 'docker.io/prom/prometheus'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Edges where a plausible implementation goes wrong.

describe('scanFile: more edges', () => {
  it.each<[string, string, Container[]]>([
    [
      'an explicit !!str tag is a string; the range is the value only',
      release('image: repo/image\ntag: !!str 4.0'),
      [['chart-image', 'detected', 'repo/image:4.0', 'tag', '4.0', 'tag:']],
    ],
    [
      'an anchor on the tag is not part of the range',
      release('image: repo/image\ntag: &t v1'),
      [['chart-image', 'detected', 'repo/image:v1', 'tag', 'v1', 'tag:']],
    ],
    [
      'astral characters before the scalar (offsets are UTF-16 code units)',
      release('# 🚀 rocket, ünïcödé\nimage: "repo/image" # 🚀\ntag: "v1" # 🚀🚀'),
      [['chart-image', 'detected', 'repo/image:v1', 'tag', '"v1"', 'tag:']],
    ],
    [
      'flow-style spec and values',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata: {name: flow}\nspec: {values: {image: "repo/a:1", sub: {image: {repository: repo/b, tag: "2"}}}}\n',
      [
        ['chart-image', 'detected', 'repo/a:1', 'reference', '"repo/a:1"', 4],
        ['sub', 'detected', 'repo/b:2', 'tag', '"2"', 4],
      ],
    ],
    [
      'a registry value with a path is joined as written',
      release('registry: registry.example.com/team\nimage: app\ntag: "1.0"'),
      [['chart-image', 'detected', 'registry.example.com/team/app:1.0', 'tag', '"1.0"', 'tag:']],
    ],
    [
      'a registry without a dot joins into a Docker Hub path',
      release('registry: myorg\nimage: app\ntag: v1'),
      [['chart-image', 'detected', 'myorg/app:v1', 'tag', 'v1', 'tag:']],
    ],
    [
      'kind after spec: the release line is the kind line',
      'spec:\n  values:\n    image: repo/a:1\napiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\n',
      [['chart-image', 'detected', 'repo/a:1', 'reference', 'repo/a:1', 3]],
    ],
  ])('%s', (_name, text, containers) => {
    expectScan(text, { containers });
  });

  it('no metadata: name is empty and namespace undefined; kind line is reported', () => {
    const text = 'spec:\n  values:\n    image: repo/a:1\napiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\n';
    const scan = scanFile(FILE, text);
    expect(scan.releases.map((r) => [r.name, r.namespace, r.line])).toEqual([['', undefined, 5]]);
  });

  it('filters and aliases belong to their own release', () => {
    const text = [
      release('image: repo/a:1', ['filter.fluxcd.io/sub: glob:*', 'repository.fluxcd.io/app: other']),
      '---',
      release('sub:\n  image: repo/b:1\nother: repo/c:1'),
    ].join('\n');
    const scan = expectScan(text, {
      containers: [
        ['chart-image', 'detected', 'repo/a:1', 'reference', 'repo/a:1', 'repo/a:1'],
        ['sub', 'detected', 'repo/b:1', 'reference', 'repo/b:1', 'repo/b:1'],
      ],
      problems: [
        ['filter.fluxcd.io/sub', /\bsub\b/],
        ['repository.fluxcd.io/app', /\bother\b/],
      ],
    });
    expect(scan.releases.map((r) => [r.documentIndex, r.containers.map((c) => c.filter)])).toEqual([
      [0, [undefined]],
      [1, [undefined]],
    ]);
  });

  it('a filter applies to the alias that overrules a detected container', () => {
    const text = release('image: repo/a:1\nother: repo/c:2', [
      'repository.fluxcd.io/chart-image: other',
      'filter.fluxcd.io/chart-image: semver:~2',
    ]);
    const scan = expectScan(text, {
      containers: [['chart-image', 'alias', 'repo/c:2', 'reference', 'repo/c:2', 'other:']],
    });
    expect(allContainers(scan)[0]?.filter?.value).toBe('semver:~2');
  });

  it('a non-string alias annotation value drops the alias with a problem', () => {
    expectScan(release('image: repo/a:1', ['repository.fluxcd.io/app: 42']), {
      containers: [['chart-image', 'detected', 'repo/a:1', 'reference', 'repo/a:1', 'repo/a:1']],
      problems: [['repository.fluxcd.io/app', /./]],
    });
  });

  it('a BOM before a leading --- still gives exact ranges', () => {
    const lf = `---\n${release('image: repo/a\ntag: "v1"')}`;
    const text = `\uFEFF${lf}`;
    expectScan(text, { containers: [['chart-image', 'detected', 'repo/a:v1', 'tag', '"v1"', 'tag:']] });
  });
});

describe('scanFile: more edges with problems', () => {
  it.each<[string, string, Container[], ExpectedProblem[]]>([
    [
      'quoted keys are keys like any other',
      release('"image": repo/a\n\'tag\': v1\nsub:\n  "image":\n    "repository": repo/b\n    "tag": v2'),
      [
        ['chart-image', 'detected', 'repo/a:v1', 'tag', 'v1', "'tag'"],
        ['sub', 'detected', 'repo/b:v2', 'tag', 'v2', '"tag"'],
      ],
      [],
    ],
    [
      'a filter for a container whose reference does not parse',
      release('sub:\n  image: repo/a\n  tag: ""', ['filter.fluxcd.io/sub: glob:*']),
      [],
      [
        [['image: repo/a', 'tag: ""'], /repo\/a:/],
        ['filter.fluxcd.io/sub', /\bsub\b/],
      ],
    ],
    [
      'a filter on a release without containers',
      release('port: 80', ['fluxcd.io/tag.chart-image: glob:*']),
      [],
      [['fluxcd.io/tag.chart-image', /chart-image/]],
    ],
    [
      'an empty repository path is "not given", so the alias is not there',
      release('image: repo/a:1', ['repository.fluxcd.io/app: ""']),
      [['chart-image', 'detected', 'repo/a:1', 'reference', 'repo/a:1', 'repo/a:1']],
      [],
    ],
    [
      'an alias joining a tagged repository and a tag does not parse, so it is dropped',
      release('image: repo/a:1\nversion: v3', [
        'repository.fluxcd.io/app: image',
        'tag.fluxcd.io/app: version',
      ]),
      [['chart-image', 'detected', 'repo/a:1', 'reference', 'repo/a:1', 'repo/a:1']],
      [[['repository.fluxcd.io/app', 'tag.fluxcd.io/app', 'image: repo/a:1', 'version: v3'], /repo\/a:1:v3/]],
    ],
    [
      'an unquoted boolean ignore is a problem',
      release('image: repo/a:1', ['fluxcd.io/ignore: true']),
      [['chart-image', 'detected', 'repo/a:1', 'reference', 'repo/a:1', 'repo/a:1']],
      [['fluxcd.io/ignore', /ignore/]],
    ],
  ])('%s', (_name, text, containers, problems) => {
    expectScan(text, { containers, problems });
  });
});

describe('scanFile: YAML aliases (*name) in values', () => {
  // Whether a tag given as a YAML alias counts is left open (yaml.v2 resolved it; editing it would
  // change the anchor), but the problem must not tell the user to write the alias name as the tag.
  it('the problem for `tag: *t` does not suggest `tag: "t"`', () => {
    const text = release('image: repo/x\ntag: *t\nother: &t v1');
    const scan = scanFile(FILE, text);
    expectConsistent(text, scan);
    const onTag = scan.problems.filter((p) => p.line === resolveLine(text, 'tag: *t'));
    expect(onTag.map((p) => p.message)).toEqual([expect.stringMatching(/alias/i)]);
    expect(onTag.map((p) => p.message).join('\n')).not.toContain('tag: "t"');
  });
});

describe('YAML merge keys', () => {
  it('are not followed, and a warning says so at the merge key', () => {
    const text = [
      'apiVersion: helm.fluxcd.io/v1',
      'kind: HelmRelease',
      'metadata: {name: a}',
      'spec:',
      '  values:',
      '    base: &b',
      '      image: x:1',
      '    other:',
      '      <<: *b',
      '',
    ].join('\n');
    const scan = scanFile('f.yaml', text);
    expect(scan.releases[0].containers.map((c) => c.container)).toEqual(['base']);
    expect(scan.problems.map((p) => [p.line, p.message])).toEqual([
      [
        9,
        'spec.values.other uses a YAML merge key (<<), which is not followed, to bring in image settings; images it brings in are not updated',
      ],
    ]);
  });
});

describe('fluxcd.io/locked_msg', () => {
  it.each([
    [['fluxcd.io/locked: "true"', 'fluxcd.io/locked_msg: "1.12 is in staging"'], '1.12 is in staging'],
    [
      ['flux.weave.works/locked: "true"', 'flux.weave.works/locked_msg: waiting for the migration'],
      'waiting for the migration',
    ],
    [['fluxcd.io/locked: "true"'], undefined],
    [['fluxcd.io/locked: "true"', 'fluxcd.io/locked_msg: "  "'], undefined],
    // A message without the lock is no lock.
    [['fluxcd.io/locked_msg: "old reason"'], undefined],
  ])('%j', (annotations, message) => {
    const scan = scanFile(FILE, release('image: repo/app:1.0.0', annotations));
    expect(scan.releases[0]?.policies.lockedMessage).toEqual(message);
  });
});
