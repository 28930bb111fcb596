/**
 * The value shapes of `spec.values` (FLUX-V1-RULES §3) and the alias annotations (§4), read by
 * detect-images.ts directly: which container each shape gives, which scalar holds its tag, and the
 * whole text and line of every problem. Fixtures are `spec.values` as written (line 1 is its
 * first line).
 */
import { describe, expect, it } from '@jest/globals';
import type { YAMLMap } from 'yaml';
import type { AliasPaths } from '../../src/helmrelease/annotations.js';
import {
  CHART_IMAGE,
  detectAliasImage,
  detectValueImages,
  type DetectContext,
} from '../../src/helmrelease/detect-images.js';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';
import { normaliseKeys } from '../../src/helmrelease/go-yaml-keys.js';
import type { ImageOccurrence } from '../../src/helmrelease/types.js';

const FILE = 'apps/app.yaml';

function contextOf(values: string): { ctx: DetectContext; root: YAMLMap | undefined; text: string } {
  const { docs, lines } = parseFile(values);
  const root = docs[0]?.contents as YAMLMap | undefined;
  const { anchors } = root ? normaliseKeys(root) : { anchors: new Map() };
  return { ctx: { file: FILE, lines, problems: [], anchors }, root, text: values };
}

/** `container reference kind tag-text line` for each occurrence, and the problems as `line: message`. */
function summary(text: string, found: Omit<ImageOccurrence, 'filter'>[], ctx: DetectContext) {
  return {
    found: found.map(
      (f) =>
        `${f.container} ${f.reference.text} ${f.tag.kind}${f.tag.scalar ? ` ${text.slice(f.tag.scalar.range.start, f.tag.scalar.range.end)}` : ''}${f.tag.ignoredTagReported ? ' ignored-tag' : ''}${f.digestKey ? ` digest=${f.digestKey.value}` : ''} @${f.line} ${f.source}`,
    ),
    problems: ctx.problems.map((p) => `${p.line}: ${p.message}`),
  };
}

function detect(values: string) {
  const { ctx, root, text } = contextOf(values);
  return summary(text, detectValueImages(ctx, root!), ctx);
}

describe('detectValueImages: the shapes (R3.4)', () => {
  it('names the top-level container chart-image', () => {
    expect(CHART_IMAGE).toBe('chart-image');
  });

  it.each<[string, string, string[]]>([
    [
      'image with its tag',
      'image: repo/app:1.0',
      ['chart-image repo/app:1.0 reference repo/app:1.0 @1 detected'],
    ],
    ['image and tag', 'image: repo/app\ntag: "1.0"', ['chart-image repo/app:1.0 tag "1.0" @2 detected']],
    [
      'registry, image and tag',
      'registry: r.io\nimage: repo/app\ntag: v1',
      ['chart-image r.io/repo/app:v1 tag v1 @3 detected'],
    ],
    [
      'registry and image with its tag',
      'registry: r.io\nimage: repo/app:v1',
      ['chart-image r.io/repo/app:v1 reference repo/app:v1 @2 detected'],
    ],
    ['an untagged image', 'image: repo/app', ['chart-image repo/app none @1 detected']],
    [
      'image.repository and image.tag',
      'image:\n  repository: repo/app\n  tag: v1',
      ['chart-image repo/app:v1 tag v1 @3 detected'],
    ],
    [
      'image.registry, repository and tag',
      'image:\n  registry: r.io\n  repository: repo/app\n  tag: v1',
      ['chart-image r.io/repo/app:v1 tag v1 @4 detected'],
    ],
    [
      'image.repository with its tag',
      'image: {repository: repo/app:v2}',
      ['chart-image repo/app:v2 reference repo/app:v2 @1 detected'],
    ],
    ['a subsection', 'app:\n  image: repo/app:1.0', ['app repo/app:1.0 reference repo/app:1.0 @2 detected']],
    [
      'chart-image first, then subsections in source order',
      'b:\n  image: x/b:1\nimage: x/top:1\na:\n  image: x/a:1',
      [
        'chart-image x/top:1 reference x/top:1 @3 detected',
        'b x/b:1 reference x/b:1 @2 detected',
        'a x/a:1 reference x/a:1 @5 detected',
      ],
    ],
    ['nothing deeper than a subsection', 'app:\n  inner:\n    image: x/y:1', []],
    ['nothing in lists', 'app:\n  - image: x/y:1', []],
    [
      'a subsection keyed by a number is named by its text',
      '1:\n  image: x/y:1',
      ['1 x/y:1 reference x/y:1 @2 detected'],
    ],
    ['a map without image', 'app:\n  repository: x/y\n  tag: "1"', []],
    ['an image map that is a chart setting', 'image: {pullPolicy: Always}', []],
    ['image left empty', 'image:\ntag: "1"', []],
    [
      'a digest beside the tag is noted',
      'image:\n  repository: x/y\n  tag: "1"\n  digest: sha256:abc',
      ['chart-image x/y:1 tag "1" digest=sha256:abc @3 detected'],
    ],
    [
      'a blank digest is not',
      'image:\n  repository: x/y\n  tag: "1"\n  digest: " "',
      ['chart-image x/y:1 tag "1" @3 detected'],
    ],
    [
      'a digest beside a string image',
      'image: x/y:1\ndigest: sha256:abc',
      ['chart-image x/y:1 reference x/y:1 digest=sha256:abc @1 detected'],
    ],
    [
      'a map under registry is a chart setting',
      'image: x/y:1\nregistry: {url: r.io}',
      ['chart-image x/y:1 reference x/y:1 @1 detected'],
    ],
    ['an empty tag counts as no tag, quietly', 'image: x/y\ntag:', ['chart-image x/y none @1 detected']],
  ])('%s', (_name, values, found) => {
    expect(detect(values)).toEqual({ found, problems: [] });
  });
});

describe('detectValueImages: values Flux ignored (R3.5, R3.6)', () => {
  it.each<[string, string, string[], string[]]>([
    [
      'a numeric tag: untagged, reported at the tag',
      'image: x/y\ntag: 4.0',
      ['chart-image x/y none ignored-tag @2 detected'],
      [
        '2: spec.values.tag is the number 4.0, not a string, so it is ignored and the image counts as untagged (it will not be updated); quote it: tag: "4.0"',
      ],
    ],
    [
      "a numeric tag beside an image with a tag of its own: the image's tag is used, and no quoting is advised",
      'image: x/y:1.0.0\ntag: 150',
      ['chart-image x/y:1.0.0 reference x/y:1.0.0 @1 detected'],
      [
        "2: spec.values.tag is the number 150, not a string, so it is ignored and the image's own tag (1.0.0) is used",
      ],
    ],
    [
      "a numeric image.tag beside a repository with a tag of its own: the repository's tag is used",
      'image:\n  registry: r.io\n  repository: x/y:2\n  tag: 5',
      ['chart-image r.io/x/y:2 reference x/y:2 @3 detected'],
      [
        "4: spec.values.image.tag is the number 5, not a string, so it is ignored and the image's own tag (2) is used",
      ],
    ],
    [
      'a boolean registry',
      'app:\n  registry: yes\n  image: x/y:1',
      ['app x/y:1 reference x/y:1 @3 detected'],
      [
        '2: spec.values.app.registry is the boolean yes, not a string, so it is ignored; quote it: registry: "yes"',
      ],
    ],
    [
      'an image.tag that is a number',
      'image:\n  repository: x/y\n  tag: 5',
      ['chart-image x/y none ignored-tag @3 detected'],
      [
        '3: spec.values.image.tag is the number 5, not a string, so it is ignored and the image counts as untagged (it will not be updated); quote it: tag: "5"',
      ],
    ],
    [
      'a tag that is an alias',
      'v: &v "1.0"\napp:\n  image: x/y\n  tag: *v',
      ['app x/y none ignored-tag @4 detected'],
      [
        '4: spec.values.app.tag is a YAML alias (*v); aliases are not followed, so it is ignored and the image counts as untagged (write the tag itself here, and where the anchor is, to have both updated: an anchored tag an alias reads is never edited)',
      ],
    ],
    [
      "a tag that is an alias beside an image with a tag of its own: the image's tag is used",
      'v: &v "1.0"\napp:\n  image: x/y:2\n  tag: *v',
      ['app x/y:2 reference x/y:2 @3 detected'],
      [
        "4: spec.values.app.tag is a YAML alias (*v); aliases are not followed, so it is ignored and the image's own tag (2) is used",
      ],
    ],
    [
      'a registry that is an alias',
      'v: &v r.io\napp:\n  image: x/y:1\n  registry: *v',
      ['app x/y:1 reference x/y:1 @3 detected'],
      ['4: spec.values.app.registry is a YAML alias (*v); aliases are not followed, so it is ignored'],
    ],
    ['a tag that is a map', 'image: x/y\ntag: {a: b}', ['chart-image x/y none ignored-tag @2 detected'], []],
    [
      'an image map with a tag and no repository',
      'app:\n  image:\n    name: x/y\n    tag: "1"',
      [],
      [
        '4: spec.values.app.image has a tag but no repository, so it is not detected as an image; use image.repository, or map it with repository.fluxcd.io/<alias> annotations',
      ],
    ],
    [
      'a repository that is not a string',
      'image:\n  repository: [x/y]\n  tag: "1"',
      [],
      ['2: spec.values.image.repository is a list, not a string; not treated as an image'],
    ],
    [
      'an image.registry that is a number',
      'image:\n  registry: 5\n  repository: x/y\n  tag: "1"',
      ['chart-image x/y:1 tag "1" @4 detected'],
      [
        '2: spec.values.image.registry is the number 5, not a string, so it is ignored; quote it: registry: "5"',
      ],
    ],
    [
      'an image.repository that is not a reference',
      'app:\n  image:\n    repository: "x/y:1:2"',
      [],
      [
        expect.stringMatching(
          /^3: spec\.values\.app\.image: .+; not treated as an image$/,
        ) as unknown as string,
      ],
    ],
    [
      'a repository that is a number',
      'image:\n  repository: 12\n',
      [],
      ['2: spec.values.image.repository is the number 12, not a string; not treated as an image'],
    ],
    [
      'an image that is a number',
      'app:\n  image: 3',
      [],
      ['2: spec.values.app.image is the number 3; an image must be a string or a map with a repository'],
    ],
    [
      'an image that is a list',
      'image: [x/y:1]',
      [],
      ['1: spec.values.image is a list; an image must be a string or a map with a repository'],
    ],
    [
      'an image that is not a reference',
      'image: "x/y:1:2"',
      [],
      [expect.stringMatching(/^1: spec\.values\.image: .+; not treated as an image$/) as unknown as string],
    ],
    [
      'a tag that makes the reference invalid is reported at the tag',
      'image: x/y\ntag: "a b"',
      [],
      [expect.stringMatching(/^2: spec\.values\.image: .+; not treated as an image$/) as unknown as string],
    ],
  ])('%s', (_name, values, found, problems) => {
    expect(detect(values)).toEqual({ found, problems });
  });
});

describe('detectValueImages: deep mode', () => {
  it('adds the shapes below the Flux v1 places', () => {
    const { ctx, root, text } = contextOf('image: x/top:1\na:\n  b:\n    image: x/deep:1\n');
    expect(summary(text, detectValueImages(ctx, root!, 'deep'), ctx).found).toEqual([
      'chart-image x/top:1 reference x/top:1 @1 detected',
      'a.b x/deep:1 reference x/deep:1 @4 detected',
    ]);
    expect(summary(text, detectValueImages(ctx, root!, 'flux-v1'), ctx).found).toEqual([
      'chart-image x/top:1 reference x/top:1 @1 detected',
    ]);
  });
});

describe('detectValueImages: merge keys are not followed', () => {
  const MERGED =
    'spec.values uses a YAML merge key (<<), which is not followed, to bring in image settings; images it brings in are not updated';
  it.each<[string, string, string[]]>([
    ['an anchored map with an image key', 'd: &d {image: x/y:1}\n<<: *d', [`2: ${MERGED}`]],
    ['an inline map with a tag key', '<<: {tag: "1"}', [`1: ${MERGED}`]],
    [
      'a list of merged maps, one with registry',
      'a: &a {x: 1}\nb: &b {registry: r}\n<<: [*a, *b]',
      [`3: ${MERGED}`],
    ],
    [
      'a map holding a subsection image, at the top level',
      'd: &d {app: {image: x/y:1}}\n<<: *d',
      [`2: ${MERGED}`],
    ],
    ['a merge of a merge', 'd: &d {<<: {x: 1}}\n<<: *d', [`2: ${MERGED}`]],
    ['a merged map with no image keys', 'd: &d {pullPolicy: Always}\n<<: *d', []],
    ['a merged scalar', '<<: 5', []],
    ['an alias naming no anchor', '<<: {}', []],
    [
      'in a subsection, only its own image keys count',
      'd: &d {inner: {image: x/y:1}}\napp:\n  <<: *d\nsub:\n  <<: {repository: x/z}',
      [
        '5: spec.values.sub uses a YAML merge key (<<), which is not followed, to bring in image settings; images it brings in are not updated',
      ],
    ],
    // Observed from yaml.v2 2.4.0 (scripts/go-yaml): Flux wrote the document back before reading it,
    // unquoted, so a quoted "<<" merged too.
    ['a quoted "<<" merges too', '"<<": {image: x/y:1}', [`1: ${MERGED}`]],
  ])('%s', (_name, values, problems) => {
    expect(detect(values).problems).toEqual(problems);
  });
});

describe('detectAliasImage (R4.2, R4.3)', () => {
  const VALUES = [
    'sub:', //                     1
    '  img: repo/sub', //          2
    '  reg: r.io', //              3
    '  tag: "2.0"', //             4
    '  num: 5', //                 5
    '  list: [a]', //              6
    'full: repo/full:1.0', //      7
  ].join('\n');

  function alias(paths: Partial<Record<'repository' | 'registry' | 'tag', string>>): AliasPaths {
    const result: AliasPaths = { alias: 'app' };
    let line = 20;
    for (const part of ['repository', 'registry', 'tag'] as const) {
      const path = paths[part];
      if (path !== undefined) result[part] = { path, line: (line += 1) };
    }
    return result;
  }

  function detectAlias(values: string | undefined, paths: AliasPaths) {
    const { ctx, root, text } = contextOf(values ?? 'x: 1');
    const found = detectAliasImage(ctx, values === undefined ? undefined : root, paths);
    return summary(text, found ? [found] : [], ctx);
  }

  it.each<[string, AliasPaths, string[], string[]]>([
    [
      'repository only',
      alias({ repository: 'full' }),
      ['app repo/full:1.0 reference repo/full:1.0 @7 alias'],
      [],
    ],
    [
      'repository, registry and tag',
      alias({ repository: 'sub.img', registry: 'sub.reg', tag: 'sub.tag' }),
      ['app r.io/repo/sub:2.0 tag "2.0" @4 alias'],
      [],
    ],
    [
      'no repository path',
      alias({ tag: 'sub.tag' }),
      [],
      ['21: alias "app" has a tag path but no repository.fluxcd.io/app; the alias is ignored'],
    ],
    [
      'registry and tag but no repository',
      alias({ registry: 'sub.reg', tag: 'sub.tag' }),
      [],
      ['22: alias "app" has a registry and tag path but no repository.fluxcd.io/app; the alias is ignored'],
    ],
    [
      'a path that does not exist',
      alias({ repository: 'sub.image' }),
      [],
      ['21: alias "app": repository path spec.values.sub.image does not exist; the alias is ignored'],
    ],
    [
      'a path through a string',
      alias({ repository: 'full.x' }),
      [],
      ['21: alias "app": repository path spec.values.full.x passes through a string; the alias is ignored'],
    ],
    [
      'a path to a number',
      alias({ repository: 'sub.img', tag: 'sub.num' }),
      [],
      ['22: alias "app": tag path spec.values.sub.num is the number 5, not a string; the alias is ignored'],
    ],
    [
      'a path to a list',
      alias({ repository: 'sub.list' }),
      [],
      ['21: alias "app": repository path spec.values.sub.list is a list, not a string; the alias is ignored'],
    ],
    [
      'a path to a map',
      alias({ repository: 'sub' }),
      [],
      ['21: alias "app": repository path spec.values.sub is a map, not a string; the alias is ignored'],
    ],
  ])('%s', (_name, paths, found, problems) => {
    expect(detectAlias(VALUES, paths)).toEqual({ found, problems });
  });

  it('an alias whose parts make no reference', () => {
    expect(detectAlias('bad: "x/y:1:2"', alias({ repository: 'bad' })).problems).toEqual([
      expect.stringMatching(/^1: alias "app": .+; not treated as an image$/),
    ]);
  });

  it('a release without spec.values', () => {
    expect(detectAlias(undefined, alias({ repository: 'sub.img' }))).toEqual({
      found: [],
      problems: ['21: alias "app": the release has no spec.values; the alias is ignored'],
    });
  });

  it('an alias without any path is reported at line 0', () => {
    expect(detectAlias(VALUES, { alias: 'app' }).problems).toEqual([
      '0: alias "app" has a  path but no repository.fluxcd.io/app; the alias is ignored',
    ]);
  });

  it('paths through a large mapping (more than 16 keys) find the first of a repeated key', () => {
    const keys = Array.from({ length: 20 }, (_, i) => `  k${i}: repo/k${i}:1`);
    const values = ['big:', ...keys, '  k3: repo/again:2', '  num: 4', ''].join('\n');
    expect(detectAlias(values, alias({ repository: 'big.k3' })).found).toEqual([
      'app repo/k3:1 reference repo/k3:1 @5 alias',
    ]);
    expect(detectAlias(values, alias({ repository: 'big.k19' })).found).toEqual([
      'app repo/k19:1 reference repo/k19:1 @21 alias',
    ]);
    expect(detectAlias(values, alias({ repository: 'big.none' })).problems).toEqual([
      '21: alias "app": repository path spec.values.big.none does not exist; the alias is ignored',
    ]);
    expect(detectAlias(values, alias({ repository: 'big.num' })).problems).toEqual([
      '21: alias "app": repository path spec.values.big.num is the number 4, not a string; the alias is ignored',
    ]);
  });
});
