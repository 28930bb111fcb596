/**
 * The bad-input catalogue: one row per kind of broken input, each with the exact problems a run
 * must report (file, line, message pattern) and the updates it must still plan.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchDocument } from '../../test-support/helmrelease/flux-v1-documents.js';
import { helmRelease, type MemoryRepository } from './support.js';

/** The file most rows write. */
export const FILE = 'releases/app.yaml';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'reliability');

/** A fixture from `__tests__/fixtures/reliability/`. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** One catalogue row. */
export interface BadInputCase {
  name: string;
  /** The workspace: path to content (a string is UTF-8 text, a Buffer is raw bytes). */
  files: Record<string, string | Buffer>;
  /** Registry data by normalised repository (default: nginx and busybox have newer tags). */
  registry?: Record<string, MemoryRepository>;
  /**
   * Every problem, in order: `[file, line, message pattern]`. A `[first, last]` line is for the
   * one case where the line depends on the stack size (where the parser ran out of it).
   */
  problems: [string, number | [number, number], RegExp][];
  /** Every planned update: `[file, container, new image]`. */
  updates: [string, string, string][];
}

const NGINX = 'docker.io/library/nginx';
const BUSYBOX = 'docker.io/library/busybox';
/** Registry data most rows use. */
export const DEFAULT_REGISTRY: Record<string, MemoryRepository> = {
  [NGINX]: ['1.0', '1.1', '1.2'],
  [BUSYBOX]: ['1.30', '1.31'],
};

/** A good release in a file of its own, so every row also proves the rest of the run goes on. */
const GOOD = { 'releases/good.yaml': helmRelease({ name: 'good', values: ['image: busybox:1.30'] }) };
const GOOD_UPDATE: [string, string, string] = ['releases/good.yaml', 'chart-image', 'busybox:1.31'];

/** A release whose values are `lines`, next to the good one. */
function values(lines: string[], annotations: string[] = []): Record<string, string> {
  return { [FILE]: helmRelease({ values: lines, annotations }), ...GOOD };
}

/** Values line `i` (0-based) of a release with `a` extra annotations. */
const V = (i: number, a = 0): number => 14 + a + i;
/** Annotation line `i` (0-based, after `fluxcd.io/automated`). */
const A = (i: number): number => 8 + i;

/** `levels` nested flow sequences or maps on one line. */
function deepFlow(open: string, close: string, levels: number): string {
  return `${open.repeat(levels)}${close.repeat(levels)}`;
}

/** The "billion laughs": ten levels of nine aliases each (9^10 strings if expanded). */
function aliasBomb(indent: string): string[] {
  const lines = [`${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  const names = 'abcdefghijk';
  for (let i = 1; i < names.length; i += 1) {
    const alias = `*${names[i - 1]}`;
    lines.push(`${indent}${names[i]}: &${names[i]} [${Array(9).fill(alias).join(', ')}]`);
  }
  return lines;
}

const DIGEST = `sha256:${'a'.repeat(64)}`;
/** The error for container `container`, whose tag is `how` and reused by an alias at `line`. */
const ANCHORED = (container: string, how: string, line: number, anchor: string): RegExp =>
  new RegExp(
    `^apps/app ${container}: not updated to 1\\.2: its tag is ${how.replace(/[()]/g, '\\$&')} and reused at line ${line} \\(\\*${anchor}\\), so an edit would change what that line reads too; write the .* in each place instead of &${anchor} and \\*${anchor} to have it updated$`,
  );
/** A HelmRelease with a YAML syntax error: an error naming the release, which gets no update. */
const BROKEN = (what: string, name = 'app'): RegExp =>
  new RegExp(
    `^HelmRelease ${name} could not be read \\(YAML syntax error: ${what}.*\\); it gets no update until this is fixed$`,
  );
const SYNTAX = BROKEN('', 'two');
const DEEP =
  /^HelmRelease app could not be read \(YAML nests too deeply to be read \(stack overflow\)\); it gets no update/;

export const BAD_INPUT_CASES: BadInputCase[] = [
  // ------------------------------------------------------------------ YAML
  {
    name: 'YAML: an unclosed flow sequence',
    files: { [FILE]: fixture('unclosed-flow.yaml'), ...GOOD },
    problems: [[FILE, 16, BROKEN('Flow sequence .* end with a \\]')]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: an unclosed double quote',
    files: { [FILE]: fixture('unclosed-quote.yaml'), ...GOOD },
    problems: [[FILE, 15, BROKEN('Missing closing "quote')]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: a nested mapping in a compact mapping',
    files: values(['image: nginx: 1.0']),
    problems: [
      [
        FILE,
        V(0),
        BROKEN(
          'Nested mappings are not allowed in compact mappings; a value holding ": " must be quoted: image: "nginx: 1.0"',
        ),
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: a tab used as indentation',
    files: values(['image:', '\trepository: nginx']),
    // yaml.v2 refuses the line before the `yaml` package's own error for it (go-yaml-refusals.ts).
    problems: [
      [
        FILE,
        V(1),
        BROKEN(
          'line \\d+ is indented with a tab, which Flux v1 .yaml.v2. cannot read here: indent it with spaces',
        ),
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: a tab inside a value is just text',
    files: values(['image: nginx:1.0', 'note: "a\tb"']),
    problems: [],
    updates: [[FILE, 'chart-image', 'nginx:1.2'], GOOD_UPDATE],
  },
  {
    name: 'YAML: duplicate keys in spec.values',
    files: values(['image: nginx:1.0', 'image: nginx:1.1']),
    problems: [[FILE, V(1), BROKEN('Map keys must be unique')]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: duplicate top-level keys',
    files: { [FILE]: `kind: ConfigMap\n${helmRelease({ values: ['image: nginx:1.0'] })}`, ...GOOD },
    problems: [[FILE, 3, BROKEN('Map keys must be unique')]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'SOPS: an encrypted HelmRelease is never edited, and said so once',
    files: {
      [FILE]: [
        helmRelease({
          values: [
            'image:',
            '    repository: nginx',
            '    tag: 1.0',
            'password: ENC[AES256_GCM,data:pw==,type:str]',
          ],
        }),
        helmRelease({ name: 'two', values: ['image: nginx:1.0'] }),
      ]
        .join('---\n')
        .concat('sops:\n  mac: ENC[AES256_GCM,data:bWFj,type:str]\n  version: 3.8.1\n'),
      ...GOOD,
    },
    problems: [[FILE, 33, /encrypted with SOPS .*Flux could no longer decrypt the file/]],
    updates: [GOOD_UPDATE],
  },
  {
    // The other release is still read, but not updated: Flux v1 failed the whole file.
    name: 'YAML: one broken document does not hide the others in the file, and holds back their updates',
    files: {
      [FILE]: `${helmRelease({ values: ['image: nginx:1.0'] })}---\n${helmRelease({ name: 'two', values: ['image: [nginx'] })}`,
    },
    problems: [
      [FILE, 29, SYNTAX],
      [
        FILE,
        29,
        /^this document is not valid YAML \(.*\); Flux v1 fails the whole file on it, so no HelmRelease/,
      ],
    ],
    updates: [],
  },
  {
    name: 'YAML: an image that is an alias is not expanded',
    files: values(['base: &img nginx:1.0', 'image: *img']),
    problems: [[FILE, V(1), /spec\.values\.image is a YAML alias; an image must be a string/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: an alias to a map holding an image (a subsection) is not expanded, and the map is not edited',
    files: values(['base: &app {image: nginx:1.0}', 'other: *app']),
    problems: [
      [
        FILE,
        V(1),
        /^spec\.values\.other is a YAML alias \(\*app\); aliases are not followed, so container other is not detected/,
      ],
      [FILE, V(0), ANCHORED('base', 'inside a map or list anchored &app', V(1), 'app')],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: a merge key into a subsection is not followed, and the merged map is not edited',
    files: values(['base: &app', '  image: nginx:1.0', 'other:', '  <<: *app']),
    problems: [
      [
        FILE,
        V(3),
        /^spec\.values\.other uses a YAML merge key \(<<\), which is not followed, to bring in image settings/,
      ],
      [FILE, V(1), ANCHORED('base', 'inside a map or list anchored &app', V(3), 'app')],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: a tag anchored and reused by another container is never edited',
    files: values(['third:', '  image: nginx', '  tag: &t "1.0"', 'fourth:', '  image: nginx', '  tag: *t']),
    problems: [
      [
        FILE,
        V(5),
        /^spec\.values\.fourth\.tag is a YAML alias \(\*t\); .* an anchored tag an alias reads is never edited\)$/,
      ],
      [FILE, V(2), ANCHORED('third', 'anchored (&t)', V(5), 't')],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: "YAML: in a List, an alias naming an earlier item's anchor is read, and that anchored tag is not edited",
    files: { [FILE]: fixture('list-anchor-across-items.yaml'), ...GOOD },
    problems: [
      [FILE, 26, /^spec\.values\.tag is a YAML alias \(\*prodtag\); aliases are not followed/],
      [
        FILE,
        14,
        /^apps\/staging chart-image: not updated to 1\.2: its tag is anchored \(&prodtag\) and reused at line 26 /,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    // Detection never expands an alias; yaml.v2 refused the document ("excessive aliasing") at the
    // first list whose aliases pass its bound, and Flux v1 the whole file.
    name: 'YAML: an alias bomb next to an image',
    files: values([...aliasBomb(''), 'image: nginx:1.0']),
    problems: [[FILE, V(3), /excessive aliasing/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: an alias bomb as the image',
    files: values([...aliasBomb(''), 'image: *k']),
    problems: [[FILE, V(3), /excessive aliasing/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: 10,000 nested flow sequences',
    files: values(['image: nginx:1.0', `deep: ${deepFlow('[', ']', 10_000)}`]),
    problems: [[FILE, V(1), DEEP]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: 10,000 nested flow maps',
    files: values(['image: nginx:1.0', `deep: ${deepFlow('{a: ', '}', 10_000)}`]),
    problems: [[FILE, V(1), DEEP]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: 10,000 nested block sequences',
    files: values(['image: nginx:1.0', `deep:`, `  ${'- '.repeat(10_000)}x`]),
    problems: [[FILE, V(2), DEEP]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'YAML: 2,000 levels of indentation',
    files: values([
      'image: nginx:1.0',
      'deep:',
      ...Array.from({ length: 2000 }, (_, i) => `${' '.repeat(2 + i)}k${i}:`),
      `${' '.repeat(2002)}x`,
    ]),
    problems: [[FILE, [V(2), V(2002)], DEEP]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'file: 50 MB is skipped with its size',
    files: {
      [FILE]: Buffer.concat([
        Buffer.from(helmRelease({ values: ['image: nginx:1.0'] })),
        Buffer.alloc(50 * 1024 * 1024, '# padding\n'),
      ]),
      ...GOOD,
    },
    problems: [
      [FILE, 0, /^releases\/app\.yaml was not read: it is 52,429,\d{3} bytes, over the 4,194,304-byte limit/],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'file: binary (NUL bytes) is skipped',
    files: {
      [FILE]: Buffer.concat([
        Buffer.from(helmRelease({ values: ['image: nginx:1.0'] })),
        Buffer.from([0, 1, 2]),
      ]),
      ...GOOD,
    },
    problems: [[FILE, 0, /was not read: it is a binary file/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'file: UTF-16 with a byte order mark (Windows PowerShell) is skipped, saying to save it as UTF-8',
    files: {
      [FILE]: Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(helmRelease({ values: ['image: nginx:1.0'] }), 'utf16le'),
      ]),
      ...GOOD,
    },
    problems: [[FILE, 0, /was not read: it is encoded in UTF-16 LE .*; save it as UTF-8 to have it read/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'file: a file locked by git-crypt is skipped, naming git-crypt',
    files: {
      [FILE]: Buffer.concat([Buffer.from('\0GITCRYPT\0', 'latin1'), Buffer.from('c1f3a9e2d4b8', 'hex')]),
      ...GOOD,
    },
    problems: [[FILE, 0, /was not read: it is encrypted with git-crypt \(locked\)/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'file: a PNG named .yaml is skipped',
    files: {
      'releases/logo.yaml': Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      ...GOOD,
    },
    problems: [['releases/logo.yaml', 0, /was not read: it is a binary file/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'file: invalid UTF-8 is skipped',
    files: {
      [FILE]: Buffer.concat([
        Buffer.from(helmRelease({ values: ['image: nginx:1.0'] })),
        Buffer.from([0xc3, 0x28]),
      ]),
      ...GOOD,
    },
    problems: [[FILE, 0, /was not read: it is not valid UTF-8/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'file: a UTF-8 BOM is read (and kept by the edit)',
    files: { [FILE]: `\uFEFF${helmRelease({ values: ['image: nginx:1.0'] })}`, ...GOOD },
    problems: [],
    updates: [[FILE, 'chart-image', 'nginx:1.2'], GOOD_UPDATE],
  },
  {
    name: 'file: CRLF line ends are read (and kept by the edit)',
    files: { [FILE]: helmRelease({ values: ['image: nginx:1.0'] }).replace(/\n/g, '\r\n'), ...GOOD },
    problems: [],
    updates: [[FILE, 'chart-image', 'nginx:1.2'], GOOD_UPDATE],
  },
  {
    name: 'shape: spec is a list',
    files: {
      [FILE]:
        'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  - image: nginx:1.0\n',
      ...GOOD,
    },
    problems: [[FILE, 6, /^spec is a list, not a map; no images read$/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'shape: spec is a string',
    files: {
      [FILE]:
        'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec: image=nginx:1.0\n',
      ...GOOD,
    },
    problems: [[FILE, 5, /^spec is a string, not a map; no images read$/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'shape: spec.values is a list',
    files: {
      [FILE]: helmRelease({ values: [] }).replace('  values:\n', '  values:\n    - image: nginx:1.0\n'),
      ...GOOD,
    },
    problems: [[FILE, 14, /^spec\.values is a list, not a map; no images read$/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'shape: spec.values is a string',
    files: {
      [FILE]: helmRelease({ values: [] }).replace('  values:\n', '  values: "image: nginx:1.0"\n'),
      ...GOOD,
    },
    problems: [[FILE, 13, /^spec\.values is a string, not a map; no images read$/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'shape: metadata.annotations is a list',
    files: {
      [FILE]: helmRelease({ values: ['image: nginx:1.0'] }).replace(
        '  annotations:\n    fluxcd.io/automated: "true"\n',
        '  annotations:\n    - fluxcd.io/automated\n',
      ),
      ...GOOD,
    },
    problems: [
      [FILE, 7, /^metadata\.annotations is a list, not a map$/],
      // Flux v1's reading of the release's own fields fails on it, and with it the whole file.
      [
        FILE,
        7,
        /^Flux v1 cannot load HelmRelease app \(metadata\.annotations is a list.*fails the whole file/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'shape: a HelmRelease of an unknown API',
    files: {
      [FILE]: helmRelease({ values: ['image: nginx:1.0'] }).replace('helm.fluxcd.io/v1', 'example.com/v1'),
      ...GOOD,
    },
    problems: [
      [FILE, 2, /apiVersion "example\.com\/v1" is skipped; known apiVersions: helm\.fluxcd\.io\/v1/],
    ],
    updates: [GOOD_UPDATE],
  },
  // ------------------------------------------------------------------ annotations
  {
    name: 'filter: an unknown prefix (semvar:)',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: "semvar:~1"']),
    problems: [[FILE, A(0), /unknown prefix `semvar:`.*did you mean `semver:~1`\?/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: an upper-case prefix (SemVer:)',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: "SemVer:~1"']),
    problems: [[FILE, A(0), /unknown prefix `SemVer:`.*prefixes are lower-case.*did you mean `semver:~1`\?/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: a space after glob:',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: "glob: 1.*"']),
    problems: [[FILE, A(0), /contains a space \(nothing is trimmed\).*did you mean `glob:1\.\*`\?/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: a space after regex:',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: "regex: ^1"']),
    problems: [[FILE, A(0), /starts with a space.*did you mean `regex:\^1`\?/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: an empty value',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: ""']),
    problems: [
      [FILE, A(0), /filter `` is empty.*write a pattern, or `glob:\*` for every tag.*is held \(no update\)/],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: a non-string value (a YAML number)',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: 1.1']),
    problems: [[FILE, A(0), /is not a string; quote the filter: filter\.fluxcd\.io\/chart-image: "1\.1"/]],
    updates: [[FILE, 'chart-image', 'nginx:1.1'], GOOD_UPDATE],
  },
  {
    name: 'filter: a map instead of a string',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: {semver: "~1"}']),
    // yaml.v2 refuses it ("cannot unmarshal !!map into string"; observed with scripts/go-yaml).
    problems: [
      [FILE, A(0), /the annotation filter\.fluxcd\.io\/chart-image is a map, which Flux cannot read/],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: an invalid semver constraint',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: "semver:~>1..2"']),
    problems: [
      [
        FILE,
        A(0),
        /is not a valid semver constraint.*matched every version tag.*is held \(no update\) until the filter is fixed$/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: an invalid regex',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: "regex:(1"']),
    problems: [
      [
        FILE,
        A(0),
        /is not a valid Go \(RE2\) regular expression.*matched every tag.*is held \(no update\) until the filter is fixed$/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: a backreference (RE2 has none)',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: "regex:(1)\\\\1"']),
    problems: [
      [
        FILE,
        A(0),
        /is not a valid Go \(RE2\) regular expression.*matched every tag.*is held \(no update\) until the filter is fixed$/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: naming a container the release does not have',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/sidecar: "semver:~1"']),
    problems: [
      [
        FILE,
        A(0),
        /filter\.fluxcd\.io\/sidecar names no container of this HelmRelease, so the container it was meant for would get any tag \(glob:\*\); its containers are: chart-image; this HelmRelease gets no update until it is fixed$/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'filter: both prefixes at once (filter.fluxcd.io/tag.x)',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/tag.chart-image: "semver:~1"']),
    problems: [
      [
        FILE,
        A(0),
        /names no container.*write filter\.fluxcd\.io\/chart-image or fluxcd\.io\/tag\.chart-image, not both prefixes.*gets no update/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'policy: automated written as a YAML boolean',
    files: {
      [FILE]: helmRelease({ values: ['image: nginx:1.0'] }).replace(
        'fluxcd.io/automated: "true"',
        'fluxcd.io/automated: true',
      ),
      ...GOOD,
    },
    problems: [
      [
        FILE,
        7,
        /fluxcd\.io\/automated is the YAML boolean true, not the string "true".*the policy is off\. Quote it/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  // Flux reads these as off (R2.2); whoever wrote them meant the release held, so it is held.
  ...(
    [
      ['fluxcd.io/locked: "True"', 'locked'],
      ["flux.weave.works/locked: 'yes'", 'locked'],
      ['fluxcd.io/ignore: "true "', 'ignored'],
      ['flux.weave.works/ignore: "1"', 'ignored'],
    ] as const
  ).map(([annotation, held]): BadInputCase => ({
    name: `policy: ${annotation} holds the release`,
    files: values(['image: nginx:1.0'], [annotation]),
    problems: [
      [
        FILE,
        A(0),
        new RegExp(
          `^${annotation.slice(0, annotation.indexOf(':')).replaceAll('.', '\\.')} is ".*", not "true"; the release is held as ${held} .*Write .*: "true"$`,
        ),
      ],
    ],
    updates: [GOOD_UPDATE],
  })),
  // Flux reads these as off and would update the release; its author most likely meant it held.
  ...['fluxcd.io/locked: "treu"', 'flux.weave.works/ignore: ""'].map((annotation): BadInputCase => ({
    name: `policy: ${annotation} blocks the release`,
    files: values(['image: nginx:1.0'], [annotation]),
    problems: [[FILE, A(0), /is ".*", neither "true" nor "false": .*; this HelmRelease gets no update/]],
    updates: [GOOD_UPDATE],
  })),
  {
    name: 'policy: a lock under metadata.labels blocks the release (Flux v1 ignored it)',
    files: {
      [FILE]: helmRelease({ values: ['image: nginx:1.0'] }).replace(
        '  annotations:',
        '  labels:\n    fluxcd.io/locked: "true"\n  annotations:',
      ),
      ...GOOD,
    },
    problems: [
      [
        FILE,
        7,
        /^fluxcd\.io\/locked is under metadata\.labels, but Flux v1 reads .* only from metadata\.annotations.*; move it to metadata\.annotations, or remove it; this HelmRelease gets no update/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'policy: a filter under spec.values.podAnnotations blocks the release',
    files: values(['image: nginx:1.0', 'podAnnotations:', '  filter.fluxcd.io/chart-image: glob:1.0*']),
    problems: [
      [
        FILE,
        V(2),
        /^filter\.fluxcd\.io\/chart-image is under spec\.values\.podAnnotations, .*this HelmRelease gets no update/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'policy: a Kustomize patch that locks a release in another file holds it back',
    files: {
      [FILE]: helmRelease({ values: ['image: nginx:1.0'] }),
      'overlays/prod/app-patch.yaml': patchDocument(['fluxcd.io/locked: "true"']),
      ...GOOD,
    },
    problems: [
      [
        'overlays/prod/app-patch.yaml',
        7,
        /^fluxcd\.io\/locked in overlays\/prod\/app-patch\.yaml is for HelmRelease apps\/app in releases\/app\.yaml: .*Kustomize patch.*; apps\/app in releases\/app\.yaml gets no update until/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'alias: a repository path that does not exist',
    files: values(['image: nginx:1.0'], ['repository.fluxcd.io/app: sub.img']),
    problems: [
      [
        FILE,
        A(0),
        /^alias "app": repository path spec\.values\.sub\.img does not exist; the alias is ignored$/,
      ],
    ],
    updates: [[FILE, 'chart-image', 'nginx:1.2'], GOOD_UPDATE],
  },
  {
    name: 'alias: a path with an empty segment',
    files: values(['sub:', '  img: nginx:1.0'], ['repository.fluxcd.io/app: sub..img']),
    problems: [[FILE, A(0), /^alias "app": repository path spec\.values\.sub\.\.img does not exist/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'alias: a path that names a map',
    files: values(['sub:', '  img:', '    name: nginx'], ['repository.fluxcd.io/app: sub.img']),
    problems: [[FILE, A(0), /^alias "app": repository path spec\.values\.sub\.img is a map, not a string/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'alias: a tag path without a repository annotation',
    files: values(['sub:', '  tag: "1.0"'], ['tag.fluxcd.io/app: sub.tag']),
    problems: [
      [FILE, A(0), /^alias "app" has a tag path but no repository\.fluxcd\.io\/app; the alias is ignored$/],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: "alias: on the tag of a container its filter keeps (up to date), the alias's update is refused",
    files: values(
      ['app:', '  image: nginx', '  tag: "1.0"'],
      [
        'filter.fluxcd.io/app: semver:~1.0',
        'repository.fluxcd.io/other: app.image',
        'tag.fluxcd.io/other: app.tag',
      ],
    ),
    problems: [
      [
        FILE,
        V(2, 3),
        /^apps\/app other: not updated to 1\.2: the text at line 19 is also read by app, which is not updated: up to date .*; one edit would change both/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'alias: a tag path that does not exist',
    files: values(
      ['sub:', '  img: nginx'],
      ['repository.fluxcd.io/app: sub.img', 'tag.fluxcd.io/app: sub.nope'],
    ),
    problems: [
      [FILE, A(1), /^alias "app": tag path spec\.values\.sub\.nope does not exist; the alias is ignored$/],
    ],
    updates: [GOOD_UPDATE],
  },
  // ------------------------------------------------------------------ images
  {
    name: 'image: empty',
    files: values(['image: ""']),
    problems: [[FILE, V(0), /spec\.values\.image: the image reference is empty; not treated as an image/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: longer than 255 characters',
    files: values([`image: example.com/${'a'.repeat(300)}:1.0`]),
    problems: [[FILE, V(0), /spec\.values\.image: "example\.com\/a+:1\.0" .*255/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: upper case',
    files: values(['image: Nginx:1.0']),
    problems: [
      [FILE, V(0), /has upper-case letters in the repository name "Nginx"; image names must be lower case/],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: illegal characters',
    files: values(['image: "ngi$nx:1.0"']),
    problems: [[FILE, V(0), /invalid repository name "ngi\$nx"/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: white space',
    files: values(['image: "nginx :1.0"']),
    problems: [[FILE, V(0), /contains white space/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: a digest without a name',
    files: values([`image: "@${DIGEST}"`]),
    problems: [[FILE, V(0), /is a digest without an image name/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: a bad digest',
    files: values(['image: nginx@sha256:abc']),
    problems: [[FILE, V(0), /has an invalid digest "sha256:abc"/]],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: ":" without a tag',
    files: values(['image: "nginx:"']),
    problems: [
      [FILE, V(0), /^spec\.values\.image: "nginx:" has a ":" but no tag after it; not treated as an image$/],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: an invalid tag',
    files: values(['image: nginx:-1.0']),
    problems: [
      [
        FILE,
        V(0),
        /^spec\.values\.image: "nginx:-1\.0" has an invalid tag "-1\.0" \(allowed: .*\); not treated as an image$/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: pinned by digest without a tag is never updated',
    files: values([`image: nginx@${DIGEST}`]),
    problems: [
      [FILE, V(0), /apps\/app chart-image: pinned by digest without a tag, so there is no tag to follow/],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: a digest: key beside the tag moves with it',
    files: values(['image:', '  repository: nginx', '  tag: "1.0"', `  digest: ${DIGEST}`]),
    problems: [],
    updates: [[FILE, 'chart-image', 'nginx:1.2'], GOOD_UPDATE],
  },
  {
    name: 'image: an empty digest: key beside the tag is no pin',
    files: values(['image:', '  repository: nginx', '  tag: "1.0"', '  digest: ""']),
    problems: [],
    updates: [[FILE, 'chart-image', 'nginx:1.2'], GOOD_UPDATE],
  },
  {
    name: 'image: untagged is never updated',
    files: values(['image: nginx']),
    problems: [
      [
        FILE,
        V(0),
        /apps\/app chart-image: the image has no tag \(no tag key, and none after ":" in the image\)/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'image: a tag YAML reads as a number',
    files: values(['image: nginx', 'tag: 1.10']),
    // Said once, at the tag's line: not again as "no tag".
    problems: [[FILE, V(1), /spec\.values\.tag is the number 1\.10, not a string.*quote it: tag: "1\.10"/]],
    updates: [GOOD_UPDATE],
  },
  // ------------------------------------------------------------------ Flux v1 manifest generation
  {
    name: 'generation: a .flux.yaml above the file holds its releases back, with one warning',
    files: {
      'apps/.flux.yaml':
        'version: 1\npatchUpdated:\n  generators:\n    - command: kustomize build .\n  patchFile: flux-patch.yaml\n',
      'apps/base/app.yaml': helmRelease({ values: ['image: nginx:1.0', 'sidecar: {image: busybox:1.30}'] }),
      ...GOOD,
    },
    problems: [
      [
        'apps/base/app.yaml',
        2,
        /^Flux v1 manifest generation: apps\/\.flux\.yaml governs this file, and Flux wrote image updates through the config's updaters \(a patchUpdated patch file, or commandUpdated commands\), not into this file; it is not edited\. If Flux v1 no longer deploys from it \(Flux v2 ignores \.flux\.yaml\), delete apps\/\.flux\.yaml$/,
      ],
    ],
    updates: [GOOD_UPDATE],
  },
  {
    name: 'generation: a .flux.yaml in a sibling folder does not govern the file',
    files: {
      'other/.flux.yaml': 'version: 1\n',
      [FILE]: helmRelease({ values: ['image: nginx:1.0'] }),
    },
    problems: [],
    updates: [[FILE, 'chart-image', 'nginx:1.2']],
  },
  // ------------------------------------------------------------------ tags from registries
  {
    name: 'registry: tags that are not valid Docker tags are never proposed',
    files: values(['image: nginx:1.0']),
    registry: {
      [NGINX]: ['1.0', '1.1', '9 9', '-9', '.9', '9/9', '9:9', '9\u00e9', `9${'9'.repeat(128)}`, '', '9\n'],
      [BUSYBOX]: ['1.30', '1.31'],
    },
    problems: [],
    updates: [[FILE, 'chart-image', 'nginx:1.1'], GOOD_UPDATE],
  },
  {
    name: 'registry: a 128-character tag (the longest valid one) is proposed',
    files: values(['image: nginx:1.0'], ['filter.fluxcd.io/chart-image: "glob:1.*"']),
    registry: { [NGINX]: ['1.0', `1.${'x'.repeat(126)}`], [BUSYBOX]: ['1.30', '1.31'] },
    problems: [],
    updates: [[FILE, 'chart-image', `nginx:1.${'x'.repeat(126)}`], GOOD_UPDATE],
  },
  {
    name: 'registry: a repository that cannot be listed fails only its containers',
    files: values(['image: nginx:1.0']),
    registry: { [NGINX]: new Error('connection refused'), [BUSYBOX]: ['1.30', '1.31'] },
    problems: [
      [FILE, V(0), /apps\/app chart-image: could not check docker\.io\/library\/nginx: connection refused/],
    ],
    updates: [GOOD_UPDATE],
  },
];
