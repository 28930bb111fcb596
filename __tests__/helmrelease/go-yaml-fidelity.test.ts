/**
 * Documents read as Flux v1 read them (gopkg.in/yaml.v2 + ghodss/yaml), and edits that stay
 * byte-exact for them: scalar types in every place a value is read (tags, repositories, alias
 * paths, annotations), alias keys without a space (`*app:`), go-yaml's line breaks, non-string
 * keys, `kind: *List` documents, and policies that fail safe.
 */
import { describe, expect, it } from '@jest/globals';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import type { FileScan } from '../../src/helmrelease/types.js';
import { LIST_OF_RELEASES, release } from '../../test-support/helmrelease/release-text.js';

const FILE = 'releases/app.yaml';

/** `[container, reference, tag kind]` of every container. */
function containers(scan: FileScan): [string, string, string][] {
  return scan.releases.flatMap((r) =>
    r.containers.map((c): [string, string, string] => [c.container, c.reference.text, c.tag.kind]),
  );
}

function messages(scan: FileScan): string[] {
  return scan.problems.map((p) => `${p.severity} ${p.line}: ${p.message}`);
}

describe('scalar types, in every place a value is read', () => {
  // [name, written tag, read as a tag?]
  it.each<[string, boolean]>([
    ['e123456', true],
    ['2024-01-01', true],
    ['v1.2', true],
    ['0o17', false],
    ['0x1F', false],
    ['1_000', false],
    ['+1', false],
    ['1e3', false],
    ['.inf', false],
    ['~', false],
    ['yes', false],
    ['off', false],
    ['y', false],
    ['150', false],
    ['4.0', false],
  ])('tag: %s (a string: %s)', (tag, isString) => {
    const scan = scanFile(FILE, release(['image: repo/app', `tag: ${tag}`]));
    const all = containers(scan);
    if (tag === '.inf') {
      // ghodss/yaml cannot turn an infinite number into JSON: Flux could not read the release.
      expect(all).toEqual([]);
      expect(messages(scan)).toEqual([
        expect.stringMatching(
          /^error 10: HelmRelease app could not be read as Flux v1 reads it \(\.inf is an infinite number/,
        ),
      ]);
      return;
    }
    expect(all).toEqual([
      ['chart-image', isString ? `repo/app:${tag}` : 'repo/app', isString ? 'tag' : 'none'],
    ]);
  });

  it('reads tag: 1:20 as the string "1:20" (no sexagesimal), which makes no image reference', () => {
    const scan = scanFile(FILE, release(['image: repo/app', 'tag: 1:20']));
    expect(containers(scan)).toEqual([]);
    expect(messages(scan)).toEqual([
      expect.stringMatching(/"repo\/app:1:20" has more than one tag separator/),
    ]);
  });

  it.each<[string, string, string | undefined]>([
    ['an image string e123456 after the colon', 'image: repo/app:e123456', 'repo/app:e123456'],
    ['a repository that is a number is not an image', 'image: {repository: 0x1F, tag: v1}', undefined],
    ['a repository that is a boolean is not an image', 'image: {repository: yes, tag: v1}', undefined],
    [
      'a registry that is a number is ignored',
      'image: {registry: 1e3, repository: repo/app, tag: v1}',
      'repo/app:v1',
    ],
  ])('%s', (_name, line, reference) => {
    const all = containers(scanFile(FILE, release([line])));
    expect(all.map((c) => c[1])).toEqual(reference === undefined ? [] : [reference]);
  });

  it('reads an alias path whose tag is e123456', () => {
    const scan = scanFile(
      FILE,
      release(
        ['sub:', '  img: repo/app', '  ver: e123456'],
        ['repository.fluxcd.io/app: sub.img', 'tag.fluxcd.io/app: sub.ver'],
      ),
    );
    expect(containers(scan)).toEqual([['app', 'repo/app:e123456', 'tag']]);
  });

  it('reads annotation values as yaml.v2 wrote them back: a filter 1.10 is the glob "1.1"', () => {
    const scan = scanFile(FILE, release(['image: repo/app:1.0'], ['fluxcd.io/tag.chart-image: 1.10']));
    expect(scan.releases[0].containers[0].filter?.value).toBe('1.1');
  });
});

describe('documents go-yaml reads', () => {
  const aliasKeys = [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: &app web',
    '  annotations:',
    '    fluxcd.io/automated: "true"',
    '    repository.fluxcd.io/web: controllers.web.containers.web.image.repository',
    '    tag.fluxcd.io/web: controllers.web.containers.web.image.tag',
    'spec:',
    '  values:',
    '    controllers:',
    '      *app:',
    '        containers:',
    '          *app:',
    '            image:',
    '              repository: ghcr.io/acme/web',
    '              tag: 1.0.0',
    '    *app :',
    '      image: repo/web:2',
    '',
  ].join('\n');

  it('reads alias keys written without a space (`*app:`), and alias paths through them', () => {
    const scan = scanFile(FILE, aliasKeys);
    expect(messages(scan)).toEqual([]);
    expect(containers(scan)).toEqual([['web', 'ghcr.io/acme/web:1.0.0', 'tag']]);
  });

  it('edits such a file byte-exactly', () => {
    const result = applyUpdates(FILE, aliasKeys, [
      { release: 'web', documentIndex: 0, container: 'web', repository: 'ghcr.io/acme/web', to: '1.1.0' },
    ]);
    expect(result).toEqual({ ok: true, text: aliasKeys.replace('tag: 1.0.0', 'tag: 1.1.0') });
  });

  it.each<[string, string[], string[]]>([
    ['an anchor on a value of the same mapping', ['name: &n web', '*n:', '  image: repo/a:1'], ['web']],
    [
      'the last anchor of a name before the key',
      ['a: &n one', 'b: &n two', '*n:', '  image: repo/a:1'],
      ['two'],
    ],
    ['an anchor on a key', ['x:', '  &k key1: x', '*k :', '  image: repo/a:1'], ['key1']],
    ['an anchored number key', ['x:', '  &k 0x10: x', '*k:', '  image: repo/a:1'], ['16']],
  ])('resolves an alias key through %s', (_name, values, names) => {
    const scan = scanFile(FILE, release(values));
    expect(messages(scan)).toEqual([]);
    expect(containers(scan).map((c) => c[0])).toEqual(names);
  });

  it('an alias key before its anchor names no anchor', () => {
    const scan = scanFile(FILE, release(['*n:', '  image: repo/a:1', 'name: &n web']));
    expect(messages(scan)).toEqual([
      expect.stringMatching(/^error 9: .*the key \*n names no anchor &n before it/),
    ]);
  });

  it('says which anchor an alias key misses', () => {
    const scan = scanFile(FILE, release(['*nowhere:', '  image: repo/a:1']));
    expect(messages(scan)).toEqual([
      expect.stringMatching(
        /^error 9: HelmRelease app could not be read as Flux v1 reads it \(the key \*nowhere names no anchor/,
      ),
    ]);
  });

  it.each<[string, (t: string) => string]>([
    ['CR-only line ends', (t) => t.replace(/\n/g, '\r')],
    ['a stray trailing CR', (t) => `${t}\r`],
    ['CR-only line ends and a stray CR before the end', (t) => `${t.replace(/\n/g, '\r')}\r`],
    ['NEL line ends', (t) => t.replace(/\n/g, '\u0085')],
    ['LS line ends', (t) => t.replace(/\n/g, '\u2028')],
    ['mixed CRLF and CR', (t) => t.replace(/\n/g, (_m, i: number) => (i % 2 ? '\r\n' : '\r'))],
  ])('reads and edits %s', (_name, transform) => {
    const text = transform(release(['image: repo/app:1.0']));
    const scan = scanFile(FILE, text);
    expect(messages(scan)).toEqual([]);
    expect(containers(scan)).toEqual([['chart-image', 'repo/app:1.0', 'reference']]);
    expect(scan.releases[0].containers[0].line).toBe(9);
    const result = applyUpdates(FILE, text, [
      {
        release: 'app',
        documentIndex: 0,
        container: 'chart-image',
        repository: 'docker.io/repo/app',
        to: '1.1',
      },
    ]);
    expect(result).toEqual({ ok: true, text: text.replace('repo/app:1.0', 'repo/app:1.1') });
  });

  it('reads every document of a file with CR-only line ends', () => {
    const text =
      `${release(['image: repo/a:1'], [], 'a')}---\n${release(['image: repo/b:1'], [], 'b')}`.replace(
        /\n/g,
        '\r',
      );
    const scan = scanFile(FILE, text);
    expect(messages(scan)).toEqual([]);
    expect(scan.releases.map((r) => [r.name, r.line])).toEqual([
      ['a', 2],
      ['b', 12],
    ]);
  });

  it.each<[string, string, string]>([
    ['an int key', '1:', '1'],
    ['a hex key', '0x1F:', '31'],
    ['a boolean key', 'true:', 'true'],
    ['a YAML 1.1 boolean key', 'yes:', 'true'],
    ['a float key', '1.10:', '1.1'],
    ['a quoted number key stays as written', '"0x1F":', '0x1F'],
  ])('names a container by %s as ghodss/yaml does (%s -> %s)', (_name, key, container) => {
    const scan = scanFile(
      FILE,
      release([key, '  image: repo/app:1.0'], [`filter.fluxcd.io/${container}: semver:~1`]),
    );
    expect(messages(scan)).toEqual([]);
    expect(containers(scan)).toEqual([[container, 'repo/app:1.0', 'reference']]);
    expect(scan.releases[0].containers[0].filter?.value).toBe('semver:~1');
  });

  it('follows alias paths through non-string keys', () => {
    const scan = scanFile(
      FILE,
      release(
        ['1:', '  true:', '    img: repo/app', '    tag: v1'],
        ['repository.fluxcd.io/x: 1.true.img', 'tag.fluxcd.io/x: 1.true.tag'],
      ),
    );
    expect(containers(scan)).toEqual([['x', 'repo/app:v1', 'tag']]);
  });

  it.each<[string, string[], RegExp]>([
    ['a null key', ['~: x', 'image: repo/a:1'], /the mapping key ~ is null or too large/],
    [
      'a key beyond int64',
      ['9223372036854775808: x', 'image: repo/a:1'],
      /9223372036854775808 is null or too large/,
    ],
    ['a list as a key', ['? [a]', ': x', 'image: repo/a:1'], /a mapping key is a map or a list/],
    ['NaN under spec', ['image: repo/a:1', 'ratio: .nan'], /\.nan is an infinite number or NaN/],
  ])(
    'lists a release Flux could not read (%s) as an error, never drops it silently',
    (_name, values, pattern) => {
      const scan = scanFile(FILE, release(values));
      expect(scan.releases).toEqual([]);
      expect(scan.problems).toEqual([
        expect.objectContaining({ severity: 'error', message: expect.stringMatching(pattern) }),
      ]);
    },
  );
});

describe('kinds ending in List', () => {
  const list = LIST_OF_RELEASES;

  it.each(['List', 'HelmReleaseList', 'ConfigMapList'])(
    'reads the HelmReleases among the items of kind: %s',
    (kind) => {
      const scan = scanFile(FILE, list.replace('kind: List', `kind: ${kind}`));
      expect(messages(scan)).toEqual([]);
      expect(scan.releases.map((r) => [r.name, r.line, r.containers.map((c) => c.reference.text)])).toEqual([
        ['one', 5, ['repo/one:1.0']],
        ['two', 16, ['repo/two:1.0']],
      ]);
      expect(new Set(scan.releases.map((r) => r.documentIndex)).size).toBe(2);
    },
  );

  it('does not open a List inside a List, as Flux v1 took it for one resource', () => {
    const nested = [
      'kind: List',
      'items:',
      '- kind: List',
      '  items:',
      '  - apiVersion: helm.fluxcd.io/v1',
      '    kind: HelmRelease',
      '    metadata: {name: inner}',
      '    spec: {values: {image: repo/inner:1.0}}',
      '- apiVersion: helm.fluxcd.io/v1',
      '  kind: HelmRelease',
      '  metadata: {name: outer}',
      '  spec: {values: {image: repo/outer:1.0}}',
      '',
    ].join('\n');
    const scan = scanFile(FILE, nested);
    expect(scan.releases.map((r) => r.name)).toEqual(['outer']);
    expect(messages(scan)).toEqual([
      'warning 3: this List inside a List is not read: Flux v1 took it as one resource and never looked at ' +
        'its items, so a HelmRelease there is not updated; move its items to the outer List',
    ]);
  });

  it('ignores items of a kind not ending in List', () => {
    expect(scanFile(FILE, list.replace('kind: List', 'kind: Listing')).releases).toEqual([]);
  });

  it('edits a release inside a List in place, byte-exactly', () => {
    const scan = scanFile(FILE, list);
    const [one, two] = scan.releases;
    const result = applyUpdates(FILE, list, [
      {
        release: 'one',
        documentIndex: one.documentIndex,
        container: 'chart-image',
        repository: 'docker.io/repo/one',
        to: '1.1',
      },
      {
        release: 'two',
        documentIndex: two.documentIndex,
        container: 'chart-image',
        repository: 'docker.io/repo/two',
        to: '2.0',
      },
    ]);
    expect(result).toEqual({
      ok: true,
      text: list.replace('repo/one:1.0', 'repo/one:1.1').replace('repo/two:1.0', 'repo/two:2.0'),
    });
  });
});

describe('policies fail safe', () => {
  // [annotation, automated, locked, ignored, problem pattern or undefined]
  it.each<[string, boolean, boolean, boolean, RegExp | undefined]>([
    [
      'fluxcd.io/locked: true',
      true,
      true,
      false,
      /locked is the YAML boolean true.*held as locked.*Quote it/,
    ],
    ['fluxcd.io/locked: yes', true, true, false, /locked is the YAML boolean yes.*held as locked/],
    ['fluxcd.io/locked: On', true, true, false, /held as locked/],
    ['flux.weave.works/locked: TRUE', true, true, false, /held as locked/],
    ['fluxcd.io/ignore: y', true, false, true, /ignore is the YAML boolean y.*held as ignored/],
    ['fluxcd.io/locked: false', true, false, false, /the policy is off/],
    ['fluxcd.io/locked: 1', true, true, false, /the YAML value 1.*held as locked.*Quote it/],
    ['fluxcd.io/locked: 0', true, false, false, /the YAML value 0.*the policy is off/],
    [
      'fluxcd.io/locked:',
      true,
      false,
      false,
      /locked is empty, neither the string "true" nor "false".*gets no update until it is fixed/,
    ],
    ['fluxcd.io/locked: "True"', true, true, false, /is "True", not "true"; .*held as locked.*Write/],
    ["flux.weave.works/ignore: ' yes'", true, false, true, /is " yes", not "true"; .*held as ignored/],
    ['fluxcd.io/locked: "false"', true, false, false, undefined],
    ['fluxcd.io/locked: "true"', true, true, false, undefined],
  ])('%s', (annotation, automated, locked, ignored, pattern) => {
    const scan = scanFile(FILE, release(['image: repo/a:1'], [annotation]));
    const p = scan.releases[0].policies;
    expect([p.automated, p.locked, p.ignored]).toEqual([automated, locked, ignored]);
    expect(scan.problems.map((x) => x.message)).toEqual(pattern ? [expect.stringMatching(pattern)] : []);
  });

  it.each<[string, RegExp]>([
    ['fluxcd.io/automated: true', /automated is the YAML boolean true.*the policy is off/],
    ['fluxcd.io/automated: yes', /automated is the YAML boolean yes.*the policy is off/],
    ['fluxcd.io/automated: "True"', /is "True", not "true"/],
    ['fluxcd.io/automated: "yes"', /is "yes", not "true"/],
  ])('only the exact string turns automation on: %s', (annotation, pattern) => {
    const text = release(['image: repo/a:1']).replace('    fluxcd.io/automated: "true"', `    ${annotation}`);
    const scan = scanFile(FILE, text);
    expect(scan.releases[0].policies.automated).toBe(false);
    expect(scan.problems.map((x) => x.message)).toEqual([expect.stringMatching(pattern)]);
  });
});

describe('alias paths that are empty or null mean "not given"', () => {
  it.each<[string, string[], string]>([
    ['an empty registry path', ['registry.fluxcd.io/app: ""'], 'repo/app:v1'],
    ['a null registry path', ['registry.fluxcd.io/app:'], 'repo/app:v1'],
    ['a ~ registry path', ['registry.fluxcd.io/app: ~'], 'repo/app:v1'],
    ['an empty tag path', ["tag.fluxcd.io/app: ''"], 'repo/app'],
  ])('%s: the alias still resolves', (_name, extra, reference) => {
    const scan = scanFile(
      FILE,
      release(
        ['sub:', '  img: repo/app', '  ver: v1'],
        [
          'repository.fluxcd.io/app: sub.img',
          ...(extra[0].startsWith('tag.') ? [] : ['tag.fluxcd.io/app: sub.ver']),
          ...extra,
        ],
      ),
    );
    expect(scan.problems).toEqual([]);
    expect(containers(scan).map((c) => c[1])).toEqual([reference]);
  });
});

describe('unusable policy annotations block the release (issue 14)', () => {
  it.each<[string, string[], RegExp]>([
    [
      'a filter naming no container',
      ['filter.fluxcd.io/chart-imag: semver:~8.0'],
      /chart-imag names no container.*would get any tag/,
    ],
    ['both prefixes', ['filter.fluxcd.io/tag.chart-image: semver:~8.0'], /not both prefixes/],
    [
      'an invalid semver constraint',
      ['filter.fluxcd.io/chart-image: "semver:~>1..2"'],
      /not a valid semver constraint/,
    ],
    [
      'an invalid regex',
      ['filter.fluxcd.io/chart-image: "regex:(1"'],
      /not a valid Go \(RE2\) regular expression/,
    ],
    [
      'a misspelt filter domain',
      ['filter.fluxd.io/chart-image: semver:~8.0'],
      /filter\.fluxd\.io\/chart-image looks like a misspelling of filter\.fluxcd\.io\/chart-image/,
    ],
    [
      'a capitalised filter domain',
      ['Filter.fluxcd.io/chart-image: semver:~8.0'],
      /misspelling of filter\.fluxcd\.io\/chart-image/,
    ],
    [
      'tags. instead of tag.',
      ['fluxcd.io/tags.chart-image: semver:~8.0'],
      /misspelling of fluxcd\.io\/tag\.chart-image/,
    ],
    [
      'filter. under fluxcd.io',
      ['fluxcd.io/filter.chart-image: semver:~8.0'],
      /misspelling of fluxcd\.io\/tag\.chart-image/,
    ],
    [
      'a misspelt policy domain for a tag filter',
      ['fluxd.io/tag.chart-image: semver:~8.0'],
      /misspelling of fluxcd\.io\/tag\.chart-image/,
    ],
    [
      'fluxcd.io/lock',
      ['fluxcd.io/lock: "true"'],
      /fluxcd\.io\/lock looks like a misspelling of fluxcd\.io\/locked/,
    ],
    ['fluxcd.io/Locked', ['fluxcd.io/Locked: "true"'], /misspelling of fluxcd\.io\/locked/],
    ['fluxcd.io/ignored', ['fluxcd.io/ignored: "true"'], /misspelling of fluxcd\.io\/ignore/],
  ])('%s', (_name, annotations, pattern) => {
    const scan = scanFile(FILE, release(['image: repo/a:1'], annotations));
    expect(scan.releases[0].policies.blocked).toEqual(expect.stringMatching(pattern));
    expect(scan.problems).toEqual([
      expect.objectContaining({ severity: 'error', line: 7, message: expect.stringMatching(pattern) }),
    ]);
    // An invalid filter's own text ends with what Flux v1 would have done, so its ending names the filter.
    expect(scan.problems[0].message).toMatch(
      /invalid (semver|regex)/.test(_name)
        ? /; this HelmRelease is held \(no update\) until the filter is fixed$/
        : /; this HelmRelease gets no update until it is fixed$/,
    );
  });

  it.each<[string, string[], RegExp]>([
    [
      'fluxcd.io/automate',
      ['fluxcd.io/automate: "true"'],
      /fluxcd\.io\/automate looks like a misspelling of fluxcd\.io\/automated; Flux v1 ignores it/,
    ],
    ['fluxcd.io/Automated', ['fluxcd.io/Automated: "true"'], /misspelling of fluxcd\.io\/automated/],
    [
      'a filter that matches nothing stops only its container',
      ['filter.fluxcd.io/chart-image: "semvar:~1"'],
      /^$/,
    ],
  ])('warns, without blocking: %s', (_name, annotations, pattern) => {
    const scan = scanFile(FILE, release(['image: repo/a:1'], annotations));
    expect(scan.releases[0].policies.blocked).toBeUndefined();
    expect(scan.problems.map((p) => p.message)).toEqual(
      pattern.source === '^$' ? [] : [expect.stringMatching(pattern)],
    );
  });

  it.each<[string, string]>([
    ['sync checksums', 'fluxcd.io/sync-checksum: abc'],
    ['locked_msg', 'fluxcd.io/locked_msg: "waiting for QA"'],
    ['alias annotations', 'tag.fluxcd.io/x: a.b'],
    ['helm annotations', 'helm.fluxcd.io/antecedent: x'],
    ['Flux v2 annotations', 'kustomize.toolkit.fluxcd.io/reconcile: disabled'],
  ])('does not flag %s', (_name, annotation) => {
    const scan = scanFile(FILE, release(['image: repo/a:1'], [annotation]));
    expect(scan.releases[0].policies.blocked).toBeUndefined();
    expect(scan.problems.filter((p) => /misspelling/.test(p.message))).toEqual([]);
  });
});

describe('YAML syntax errors in a HelmRelease are errors at their line', () => {
  it('says to quote a filter holding ": "', () => {
    const scan = scanFile(FILE, release(['image: repo/a:1'], ['filter.fluxcd.io/chart-image: semver: ~8.0']));
    expect(scan.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 7,
        message: expect.stringMatching(
          /^HelmRelease app could not be read \(YAML syntax error: .*a filter holding ": " must be quoted.*write filter\.fluxcd\.io\/chart-image: "semver:~8\.0"\); it gets no update/,
        ),
      }),
    ]);
  });

  it.each<[string, string[], number]>([
    ['an unclosed flow map, at the line it opens', ['filter.fluxcd.io/app: {semver: "~1"', 'x.io/y: z'], 7],
    ['an unclosed flow sequence in values, at the line it opens', [], 10],
    ['an unclosed quote, at the line it opens', ['x.io/y: "abc', 'x.io/z: w'], 7],
  ])('%s', (_name, annotations, line) => {
    const values = annotations.length
      ? ['image: repo/a:1']
      : ['image: repo/a:1', 'args: [a, b', 'replicas: 2'];
    const scan = scanFile(FILE, release(values, annotations));
    expect(scan.problems.map((p) => [p.severity, p.line])).toEqual([['error', line]]);
  });

  it('a broken document that is not a HelmRelease stays a warning', () => {
    const scan = scanFile(
      FILE,
      `kind: ConfigMap\ndata:\n  note: not a HelmRelease\n  a: [b\n---\n${release(['image: repo/a:1'])}`,
    );
    expect(scan.problems.map((p) => p.severity)).toEqual(['warning']);
    expect(scan.releases.map((r) => r.name)).toEqual(['app']);
  });

  it('a document that never spells HelmRelease is not parsed, so its syntax errors are not reported', () => {
    const scan = scanFile(FILE, `kind: ConfigMap\ndata:\n  a: [b\n---\n${release(['image: repo/a:1'])}`);
    expect(scan.problems).toEqual([]);
    expect(scan.releases.map((r) => [r.name, r.documentIndex])).toEqual([['app', 1]]);
  });
});

describe('Flux variables (${VAR}) are named as such', () => {
  it.each<[string, string[], string]>([
    ['in the image', ['image: ghcr.io/acme/app:${TAG}'], '${TAG}'],
    ['in a tag key', ['image: repo/app', 'tag: ${APP_TAG}'], '${APP_TAG}'],
    [
      'in the registry, with a default',
      ['image: {registry: "${REGISTRY:=ghcr.io}", repository: acme/app, tag: v1}'],
      '${REGISTRY:=ghcr.io}',
    ],
    ['in an upper-case repository', ['image: ${REPO}/App:v1'], '${REPO}'],
  ])('%s', (_name, values, variable) => {
    const scan = scanFile(FILE, release(values));
    expect(containers(scan)).toEqual([]);
    expect(scan.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        `holds the Flux variable ${variable} (post-build substitution); images with variables are not updated`,
      ),
    ]);
  });
});

describe('string fields read through ghodss/yaml', () => {
  it.each<[string, string, string]>([
    ['a numeric name', '123', '123'],
    ['a boolean name', 'yes', 'true'],
    ['a hex name', '0x10', '16'],
    ['a quoted name', '"0x10"', '0x10'],
  ])('%s', (_name, written, read) => {
    const scan = scanFile(FILE, release(['image: repo/a:1'], [], written));
    expect(scan.releases.map((r) => r.name)).toEqual([read]);
  });
});

/**
 * Held against the real gopkg.in/yaml.v2 2.4.0 and ghodss/yaml, read the way Flux v1 read a file
 * (scripts/go-yaml; docs/contributing.md "Checking the reader against yaml.v2"): every expected
 * value below was observed from that harness, not reasoned from the library's source.
 */
describe('observed from yaml.v2 2.4.0 (scripts/go-yaml)', () => {
  const withLabels = release(['image: repo/a:1']).replace(
    '  annotations:',
    '  labels: {a: .inf}\n  annotations:',
  );
  const aliasKeyToSpec = [
    'kind: HelmRelease',
    'metadata: {name: &s spec}',
    '*s :',
    '  values:',
    '    image: repo/a:1',
    '    r: .inf',
    '',
  ].join('\n');

  // yaml.v2 (or ghodss/yaml's JSON step, which takes the whole document) refused these: Flux v1
  // could not read the file at all, so the release must not be updated here either.
  it.each<[string, string, RegExp]>([
    [
      '.inf in metadata.labels ("json: unsupported value: +Inf": the whole document becomes JSON)',
      withLabels,
      /\.inf is an infinite number or NaN/,
    ],
    [
      '.nan in an annotation value',
      release(['image: repo/a:1'], ['x.io/y: .nan']),
      /\.nan is an infinite number or NaN/,
    ],
    ['.inf under status', `${release(['image: repo/a:1'])}status: {x: .inf}\n`, /\.inf is an infinite/],
    ['.inf under an alias key naming spec', aliasKeyToSpec, /\.inf is an infinite number or NaN/],
    [
      '!!float yes ("cannot decode !!bool `yes` as a !!float")',
      release(['image: repo/a:1', 'x: !!float yes']),
      /yes tagged !!float is a bool, which yaml\.v2 refuses/,
    ],
    ['!!int on text', release(['image: repo/a:1', 'x: !!int abc']), /abc tagged !!int is a str/],
    ['!!int on quoted text', release(['image: repo/a:1', 'x: !!int "abc"']), /abc tagged !!int is a str/],
    ['!!bool on a number', release(['image: repo/a:1', 'x: !!bool 5']), /5 tagged !!bool is an int/],
    ['!!null on text', release(['image: repo/a:1', 'x: !!null x']), /x tagged !!null is a str/],
    [
      '!!float on an integer beyond int64',
      release(['image: repo/a:1', 'x: !!float 18446744073709551615']),
      /18446744073709551615 tagged !!float is an int/,
    ],
    [
      '!!timestamp on a day that does not exist',
      release(['image: repo/a:1', 'x: !!timestamp 2001-02-30']),
      /2001-02-30 tagged !!timestamp is not a date/,
    ],
    [
      '!!timestamp with a bare hour offset',
      release(['image: repo/a:1', 'x: !!timestamp 2001-12-14 21:59:43.10 -5']),
      /tagged !!timestamp is not a date/,
    ],
    ['!!timestamp on a number', release(['image: repo/a:1', 'x: !!timestamp 20240101']), /is not a date/],
    [
      '!!binary that is not padded base64',
      release(['image: repo/a:1', 'x: !!binary djEuMA']),
      /the !!binary value djEuMA is not base64/,
    ],
    ['a tagged key', release(['image: repo/a:1', '!!int x: 1']), /x tagged !!int is a str/],
    [
      'an alias before its anchor ("unknown anchor \'i\' referenced")',
      release(['image: *i', 'x: &i repo/a:1']),
      /the alias \*i names no anchor &i before it/,
    ],
    [
      'an alias to an anchor of another document',
      `a: &x 1\n---\n${release(['image: repo/a', 'tag: *x'])}`,
      /the alias \*x names no anchor &x before it/,
    ],
    [
      'a map as an annotation value ("cannot unmarshal !!map into string")',
      release(['image: repo/a:1'], ['x.io/y: {a: 1}']),
      /the annotation x\.io\/y is a map, which Flux cannot read/,
    ],
    [
      'a list as an annotation value',
      release(['image: repo/a:1'], ['x.io/y: [a]']),
      /the annotation x\.io\/y is a list, which Flux cannot read/,
    ],
  ])('%s: an error, and the release is not read', (_name, text, pattern) => {
    const scan = scanFile(FILE, text);
    expect(scan.releases).toEqual([]);
    expect(scan.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/could not be read as Flux v1 reads it/),
      }),
    ]);
    expect(scan.problems[0].message).toMatch(pattern);
  });

  it.each<[string, string[], [string, string, string][]]>([
    [
      // yaml.v2 registers the map's anchor, then its first key's: `*k` names the key.
      'suspect a: `*k` names the key anchored with its map, not the map',
      ['x: &k', '  &k image: repo/a:1', '*k :', '  image: repo/b:2'],
      [
        ['image', 'repo/b:2', 'reference'],
        ['x', 'repo/a:1', 'reference'],
      ],
    ],
    [
      '`! 150` is the string "150" (the non-specific tag)',
      ['image: repo/app', 'tag: ! 150'],
      [['chart-image', 'repo/app:150', 'tag']],
    ],
    [
      '`! yes` is the string "yes"',
      ['image: repo/app', 'tag: ! yes'],
      [['chart-image', 'repo/app:yes', 'tag']],
    ],
    ['`!!float 5` is a number', ['image: repo/app', 'tag: !!float 5'], [['chart-image', 'repo/app', 'none']]],
    ['`!!int "5"` is a number', ['image: repo/app', 'tag: !!int "5"'], [['chart-image', 'repo/app', 'none']]],
    [
      '`!!timestamp 2024-1-1` stays text',
      ['image: repo/app', 'tag: !!timestamp 2024-1-1'],
      [['chart-image', 'repo/app:2024-1-1', 'tag']],
    ],
    [
      '`!!timestamp` with a time and zone stays text',
      [
        'image: repo/app',
        'x: !!timestamp 2001-12-14t21:59:43.10-05:00',
        'y: !!timestamp 2001-12-14 21:59:43.10',
      ],
      [['chart-image', 'repo/app', 'none']],
    ],
    [
      // yaml.v2 decodes it (to "v1.0"); this reader keeps the base64 text, so it is not read as a tag.
      'a !!binary tag is not read',
      ['image: repo/app', 'tag: !!binary djEuMA=='],
      [['chart-image', 'repo/app', 'none']],
    ],
    ['a !!binary image is not an image', ['image: !!binary cmVwby9hOjE='], []],
    [
      'a merge key before the keys it shares leaves them as written',
      ['d: &d {image: repo/b, tag: v2}', 'sub:', '  <<: *d', '  image: repo/a', '  tag: v1'],
      [
        ['d', 'repo/b', 'tag'],
        ['sub', 'repo/a', 'tag'],
      ],
    ],
  ])('%s', (_name, values, expected) => {
    const scan = scanFile(FILE, release(values));
    expect(scan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(containers(scan).map(([c, ref, kind]) => [c, ref.replace(/:v\d$/, ''), kind])).toEqual(
      expected.map(([c, ref, kind]) => [c, ref.replace(/:v\d$/, ''), kind]),
    );
  });

  // A merge key after keys it also brings in overrides them in yaml.v2 (Flux read the merged
  // value); the written value is dead, so it is not updated, and a warning says why.
  it.each<[string, string[], string[], RegExp]>([
    [
      'in a subsection',
      ['d: &d {image: repo/b, tag: v2}', 'sub:', '  image: repo/a', '  tag: v1', '  <<: *d'],
      ['d'],
      /spec\.values\.sub\.image is overridden by the merge key \(<<\) after it/,
    ],
    [
      'at spec.values',
      ['image: repo/a:1', '<<: {image: repo/b:2}'],
      [],
      /spec\.values\.image is overridden by the merge key \(<<\) after it/,
    ],
    [
      'a whole subsection',
      ['sub: {image: repo/a:1}', '<<: {sub: {image: repo/b:2}}'],
      [],
      /spec\.values\.sub is overridden by the merge key \(<<\) after it/,
    ],
    [
      'in an image map',
      ['image:', '  repository: repo/a', '  tag: v1', '  <<: {tag: v2}'],
      [],
      /spec\.values\.image\.tag is overridden by the merge key \(<<\) after it/,
    ],
    [
      'through a merge list',
      ['a: &a {x: 1}', 'b: &b {tag: v2}', 'sub:', '  image: repo/a', '  tag: v1', '  <<: [*a, *b]'],
      [],
      /spec\.values\.sub\.tag is overridden/,
    ],
  ])('a merge key overriding the image %s: not detected', (_name, values, names, pattern) => {
    const scan = scanFile(FILE, release(values));
    expect(containers(scan).map(([c]) => c)).toEqual(names);
    expect(scan.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(pattern));
  });

  it('a merge key after keys it does not bring in leaves them be', () => {
    const scan = scanFile(FILE, release(['sub:', '  image: repo/a:1', '  <<: {other: 1}']));
    expect(containers(scan)).toEqual([['sub', 'repo/a:1', 'reference']]);
  });

  it('a merge key is never a container of its own (yaml.v2 merges it away)', () => {
    const scan = scanFile(FILE, release(['<<: {image: repo/b:2}', 'image: repo/a:1']));
    expect(containers(scan).map(([c]) => c)).toEqual(['chart-image']);
  });

  // Annotations this reader does not follow the way yaml.v2 does: a merge key (it replaces keys
  // written before it, or the whole annotations map) or an alias; the release is held.
  it.each<[string, string, RegExp]>([
    [
      'a merge key in annotations',
      release(['image: repo/a:1'], ['<<: {fluxcd.io/locked: "true"}']),
      /metadata\.annotations uses a YAML merge key \(<<\)/,
    ],
    [
      'a merge key in metadata (it replaced the annotations map: Flux read only the merged one)',
      release(['image: repo/a:1'])
        .replace('spec:', '  <<: *m\nspec:')
        .replace('kind: HelmRelease', 'kind: HelmRelease\nm: &m {annotations: {fluxcd.io/locked: "true"}}'),
      /metadata uses a YAML merge key \(<<\)/,
    ],
    [
      'an alias as an annotation value',
      release(['image: repo/a:1'], ['x.io/f: &f "true"', 'fluxcd.io/locked: *f']),
      /the annotation fluxcd\.io\/locked is a YAML alias/,
    ],
    [
      'an alias as the annotations',
      `x: &ann {fluxcd.io/automated: "true"}\n${release(['image: repo/a:1'])}`.replace(
        '  annotations:\n    fluxcd.io/automated: "true"',
        '  annotations: *ann',
      ),
      /metadata\.annotations is a YAML alias/,
    ],
  ])('%s: an error, and the release is not read', (_name, text, pattern) => {
    const scan = scanFile(FILE, text);
    expect(scan.releases).toEqual([]);
    expect(scan.problems.map((p) => [p.severity, p.message])).toEqual([
      ['error', expect.stringMatching(pattern)],
    ]);
  });

  it.each<[string, string]>([
    // yaml.v2 writes floats back with 64 bits (strconv 'g', -1, 64) before reading them as strings.
    ['16777217.0', '1.6777217e+07'],
    ['1.0000000001', '1.0000000001'],
    ['0.1234567891', '0.1234567891'],
    ['123456789012345678901', '1.2345678901234568e+20'],
    ['1e6', '1e+06'],
    ['1.10', '1.1'],
  ])('an annotation value %s reads as %j', (written, read) => {
    const scan = scanFile(FILE, release(['image: repo/app:1.0'], [`fluxcd.io/tag.chart-image: ${written}`]));
    expect(scan.releases[0].containers[0].filter?.value).toBe(read);
  });
});

describe('observed from yaml.v2 2.4.0 (scripts/go-yaml): more documents Flux could not read', () => {
  it.each<[string, string[], string, RegExp]>([
    ['a merge of a scalar', ['image: repo/a:1', 'sub:', '  <<: x'], 'app', /a merge key \(<<\) takes a map/],
    ['a merge of a list of scalars', ['image: repo/a:1', 'sub:', '  <<: [x]'], 'app', /takes a map/],
    [
      'a merge of an alias to a scalar',
      ['s: &s x', 'image: repo/a:1', 'sub:', '  <<: *s'],
      'app',
      /takes a map/,
    ],
    [
      'a merge of an alias to a list',
      ['l: &l [{a: 1}]', 'image: repo/a:1', 'sub:', '  <<: *l'],
      'app',
      /takes a map/,
    ],
    ['a merge of nothing', ['image: repo/a:1', 'sub:', '  <<:'], 'app', /takes a map/],
    [
      'a map as metadata.name ("cannot unmarshal !!map into string")',
      ['image: repo/a:1'],
      '{a: 1}',
      /metadata\.name is a map/,
    ],
    ['a list as metadata.name', ['image: repo/a:1'], '[a]', /metadata\.name is a list/],
    [
      'a map as metadata.namespace',
      ['image: repo/a:1'],
      'app\n  namespace: {a: 1}',
      /metadata\.namespace is a map/,
    ],
    [
      'a merge of a list holding a map and a scalar',
      ['a: &a {x: 1}', 'image: repo/a:1', 'sub:', '  <<: [*a, x]'],
      'app',
      /takes a map/,
    ],
    [
      'a merge of an alias naming no anchor (said as the alias, not as the merge)',
      ['image: repo/a:1', 'sub:', '  <<: *nowhere'],
      'app',
      /the alias \*nowhere names no anchor &nowhere before it/,
    ],
  ])('%s: an error, and the release is not read', (_name, values, name, pattern) => {
    const scan = scanFile(FILE, release(values, [], name));
    expect(scan.releases).toEqual([]);
    expect(scan.problems.map((p) => [p.severity, p.message])).toEqual([
      ['error', expect.stringMatching(pattern)],
    ]);
  });

  it('a merge of a map, an alias of one, or a list of those is read', () => {
    const scan = scanFile(
      FILE,
      release([
        'a: &a {x: 1}',
        'sub:',
        '  <<: [*a, {y: 2}]',
        '  image: repo/a:1',
        'other:',
        '  <<: *a',
        '  image: repo/b:1',
      ]),
    );
    expect(scan.problems).toEqual([]);
    expect(containers(scan).map(([c]) => c)).toEqual(['other', 'sub']);
  });
});

describe('repeated keys (observed from yaml.v2 2.4.0, scripts/go-yaml)', () => {
  // yaml.v2 as Flux called it (not strict) keeps the last of two equal keys; this reader refuses
  // the document instead, on purpose: a repeated key is a mistake, and the last one silently
  // winning could pick a filter or an image nobody meant.
  it('a repeated key, which yaml.v2 reads as the last, is an error here by choice', () => {
    const scan = scanFile(FILE, release(['image: repo/a:1', 'image: repo/b:2']));
    expect(scan.releases).toEqual([]);
    expect(scan.problems.map((p) => [p.severity, p.message])).toEqual([
      ['error', expect.stringMatching(/Map keys must be unique/)],
    ]);
  });

  // Two keys yaml.v2 keeps apart (1 and "1", 1.0 and 1) become one JSON key in ghodss/yaml, and Go's
  // map order picks which value survives, at random: Flux's reading was not even stable.
  it.each<[string, string[]]>([
    ['1 and "1"', ['1: {image: repo/a:1}', '"1": {image: repo/b:2}']],
    ['1.0 and 1', ['1.0: {image: repo/a:1}', '1: {image: repo/b:2}']],
    ['yes and "true"', ['yes: {image: repo/a:1}', '"true": {image: repo/b:2}']],
  ])('keys %s that ghodss/yaml makes one: an error', (_name, values) => {
    const scan = scanFile(FILE, release(values));
    expect(scan.releases).toEqual([]);
    expect(scan.problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'error',
        expect.stringMatching(/both become the key "(1|true)" for Flux, which keeps one of them at random/),
      ],
    ]);
  });

  it('an alias key repeating its anchor key in one map (yaml.v2 keeps the last): an error, as any repeated key', () => {
    const scan = scanFile(FILE, release(['&k key1: x', '*k :', '  image: repo/a:1']));
    expect(scan.releases).toEqual([]);
    expect(scan.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/the key "key1" is repeated through an alias key, and repeated keys are refused/),
    ]);
  });

  it('an alias key written before the plain key it repeats: an error at the plain key, as any repeated key', () => {
    const text = release([
      'a: {&k key1: x}',
      'sub:',
      '  *k : {image: repo/a:1}',
      '  key1: {image: repo/b:2}',
    ]);
    const scan = scanFile(FILE, text);
    expect(scan.releases).toEqual([]);
    expect(messages(scan)).toEqual([
      expect.stringMatching(
        /^error 12: .*the key "key1" is repeated through an alias key, and repeated keys are refused/,
      ),
    ]);
  });

  // yaml.v2 applies every merge key of a map in turn; "<<" is never a key of its own, so two of
  // them (plain or quoted, which Flux wrote back unquoted) never make one key twice.
  it.each<[string, string[]]>([
    [
      'two plain merge keys',
      ['a: &a {x: 1}', 'b: &b {y: 2}', 'sub:', '  image: repo/a:1', '  <<: *a', '  <<: *b'],
    ],
    [
      'a plain and a quoted merge key',
      ['a: &a {x: 1}', 'sub:', '  image: repo/a:1', '  <<: *a', '  "<<": {y: 2}'],
    ],
  ])('%s in one map: read, no repeated key', (_name, values) => {
    const scan = scanFile(FILE, release(values));
    expect(containers(scan)).toEqual([['sub', 'repo/a:1', 'reference']]);
    expect(messages(scan)).toEqual([]);
  });
});

// Flux v1 wrote each document back (yaml.Marshal) before reading it, and yaml.v2 writes a quoted
// "<<" key unquoted: it then merged like <<, first, since keys are written back sorted (observed
// from yaml.v2 2.4.0, scripts/go-yaml).
describe('a quoted "<<" key (observed from yaml.v2 2.4.0, scripts/go-yaml)', () => {
  it.each<[string, string, RegExp]>([
    [
      'of a scalar, refused',
      release(['image: repo/a:1', 'sub:', '  "<<": x']),
      /a merge key \(<<\) takes a map/,
    ],
    [
      'in annotations, merged',
      release(['image: repo/a:1'], ['"<<": {fluxcd.io/locked: "true"}']),
      /metadata\.annotations uses a YAML merge key \(<<\)/,
    ],
  ])('%s: an error, and the release is not read', (_name, text, pattern) => {
    const scan = scanFile(FILE, text);
    expect(scan.releases).toEqual([]);
    expect(scan.problems.map((p) => [p.severity, p.message])).toEqual([
      ['error', expect.stringMatching(pattern)],
    ]);
  });

  it('merges before the keys written beside it, so they stay as written', () => {
    const scan = scanFile(FILE, release(['sub: {image: repo/a:1, "<<": {image: repo/b:2}}']));
    expect(containers(scan)).toEqual([['sub', 'repo/a:1', 'reference']]);
  });

  it('is never a container of its own', () => {
    const scan = scanFile(FILE, release(['image: repo/a:1', '"<<": {image: repo/b:2}']));
    expect(containers(scan).map(([c]) => c)).toEqual(['chart-image']);
  });
});

describe('alias paths through a merge key (observed from yaml.v2 2.4.0, scripts/go-yaml)', () => {
  it('a path to a key a later merge key replaces: Flux read the merged value, so the alias is not used', () => {
    const scan = scanFile(
      FILE,
      release(
        ['sub:', '  img: repo/app', '  ver: v1', '  <<: {ver: v2}'],
        ['repository.fluxcd.io/app: sub.img', 'tag.fluxcd.io/app: sub.ver'],
      ),
    );
    expect(containers(scan)).toEqual([]);
    expect(scan.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/tag path spec\.values\.sub\.ver is overridden by the merge key \(<<\) after it/),
    ]);
  });

  it('a merge key before the key leaves the path as written', () => {
    const scan = scanFile(
      FILE,
      release(
        ['sub:', '  <<: {ver: v2}', '  img: repo/app', '  ver: v1'],
        ['repository.fluxcd.io/app: sub.img', 'tag.fluxcd.io/app: sub.ver'],
      ),
    );
    expect(containers(scan)).toEqual([['app', 'repo/app:v1', 'tag']]);
  });
});
