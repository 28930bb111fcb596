/**
 * The parts of deep detection (issue 18) one at a time: the detection annotation, the filter a
 * container gets from a dotted prefix of its name, the names of list items, and the warning for a
 * path whose name is already taken.
 */
import { describe, expect, it } from '@jest/globals';
import type { YAMLMap } from 'yaml';
import type { Annotation } from '../../src/helmrelease/annotations.js';
import {
  DETECTION_ANNOTATION,
  DETECTION_MODES,
  detectDeepImages,
  filterByPrefix,
  namesContainerOrPrefix,
  readDetectionMode,
} from '../../src/helmrelease/detect-deep.js';
import { detectValueImages, type DetectContext } from '../../src/helmrelease/detect-images.js';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';
import { normaliseKeys } from '../../src/helmrelease/go-yaml-keys.js';

const FILE = 'apps/app.yaml';

function annotation(key: string, value: string, isString = true): Annotation {
  return { key, value, isString, isNull: false, source: value, line: 4 };
}

describe('readDetectionMode', () => {
  it('names its annotation and modes', () => {
    expect(DETECTION_ANNOTATION).toBe('helmrelease-image-updater.io/detection');
    expect(DETECTION_MODES).toEqual(['flux-v1', 'deep']);
  });

  it.each<[string, Annotation[], 'flux-v1' | 'deep', 'flux-v1' | 'deep', string[]]>([
    ['no annotation: the input', [annotation('other', 'deep')], 'deep', 'deep', []],
    ['deep', [annotation(DETECTION_ANNOTATION, 'deep')], 'flux-v1', 'deep', []],
    ['flux-v1', [annotation(DETECTION_ANNOTATION, 'flux-v1')], 'deep', 'flux-v1', []],
    [
      'an unknown mode blocks, and the input is used',
      [annotation(DETECTION_ANNOTATION, 'Deep')],
      'flux-v1',
      'flux-v1',
      ['4: helmrelease-image-updater.io/detection is "Deep"; write "flux-v1" or "deep"'],
    ],
    [
      'a value that is not a string blocks',
      [annotation(DETECTION_ANNOTATION, 'deep', false)],
      'deep',
      'deep',
      ['4: helmrelease-image-updater.io/detection is "deep"; write "flux-v1" or "deep"'],
    ],
  ])('%s', (_name, annotations, fallback, mode, blocked) => {
    const found: string[] = [];
    expect(
      readDetectionMode(annotations, fallback, (line, message) => found.push(`${line}: ${message}`)),
    ).toBe(mode);
    expect(found).toEqual(blocked);
  });
});

describe('filterByPrefix: a container its own filter, else the longest dotted prefix', () => {
  const filters = new Map([
    ['a', 'A'],
    ['a.b', 'AB'],
    ['x.y.z', 'XYZ'],
    ['chart-image', 'C'],
  ]);
  it.each<[string, string | undefined]>([
    ['a', 'A'],
    ['a.b', 'AB'],
    ['a.b.c.d', 'AB'],
    ['a.c', 'A'],
    ['ab', undefined],
    ['x.y', undefined],
    ['x.y.z.w', 'XYZ'],
    ['.a', undefined],
    ['chart-image', 'C'],
    ['b.a', undefined],
    ['x.y.zz.w', undefined],
  ])('%s -> %s', (container, filter) => {
    expect(filterByPrefix(filters, container)).toBe(filter);
  });
});

describe('namesContainerOrPrefix', () => {
  it.each<[string, boolean]>([
    ['app', true],
    ['controllers', true],
    ['controllers.main', true],
    ['controllers.ma', false],
    ['controllers.main.containers.app', true],
    ['main', false],
    ['ap', false],
    ['web', true],
    ['web-x', true],
    ['web.x', false],
    ['zz', false],
  ])('%s: %s', (filter, expected) => {
    // Unsorted, and `web-x` sorts between `web` and `web.y`.
    const containers = ['web.y', 'controllers.main.containers.app', 'web-x', 'app'];
    expect(namesContainerOrPrefix(containers)(filter)).toBe(expected);
  });
});

/** The containers deep detection adds below `spec.values` written as `values`, and the problems. */
function deep(values: string) {
  const { docs, lines } = parseFile(values);
  const root = docs[0].contents as YAMLMap;
  normaliseKeys(root);
  const ctx: DetectContext = { file: FILE, lines, problems: [] };
  const known = detectValueImages(ctx, root);
  const found = detectDeepImages(ctx, root, known);
  return {
    known: known.map((k) => k.container),
    found: found.map((f) => `${f.container} ${f.reference.text}`),
    problems: ctx.problems.map((p) => `${p.line}: ${p.message}`),
  };
}

describe('detectDeepImages', () => {
  it.each<[string, string, string[]]>([
    [
      'list items by unique name, else by index; digits-only, empty and dotted names are not names',
      `list:
  - {name: web, image: a/web:1}
  - {name: "7", image: a/seven:1}
  - {name: "", image: a/empty:1}
  - {name: a.b, image: a/dot:1}
  - {name: 3, image: a/number:1}
  - {name: twice, image: a/one:1}
  - {name: twice, image: a/two:1}
  - {name: web1, image: a/web1:1}
  - {name: 1web, image: a/1web:1}`,
      [
        'list.web a/web:1',
        'list.1 a/seven:1',
        'list.2 a/empty:1',
        'list.3 a/dot:1',
        'list.4 a/number:1',
        'list.5 a/one:1',
        'list.6 a/two:1',
        'list.web1 a/web1:1',
        'list.1web a/1web:1',
      ],
    ],
    [
      'lists in lists, maps in lists',
      `top:
  - - image: a/x:1
  - inner:
      image: a/y:1`,
      ['top.0.0 a/x:1', 'top.1.inner a/y:1'],
    ],
    [
      'merge keys and aliases are not followed',
      `base: &b
  deeper:
    image: a/base:1
app:
  <<: {inner: {image: a/merged:1}}
  other: *b
  items: [*b]`,
      ['base.deeper a/base:1'],
    ],
    [
      // Observed from yaml.v2 2.4.0 (scripts/go-yaml): Flux wrote the document back before reading
      // it, unquoted, so a quoted "<<" merged too; like any merge key it is not followed.
      'a quoted "<<" is a merge key too, not followed',
      `app:
  "<<":
    inner: {image: a/quoted:1}
  <<:
    inner: {image: a/merged:1}`,
      [],
    ],
    [
      'keys that are not strings are not paths',
      `app:
  1:
    inner: {image: a/one:1}
  ? [k]
  : inner: {image: a/list:1}`,
      ['app.1.inner a/one:1'],
    ],
    [
      'source order, depth first',
      `a:\n  z: {image: a/z:1}\n  b: {c: {image: a/c:1}}\nb:\n  a: {image: a/a:1}`,
      ['a.z a/z:1', 'a.b.c a/c:1', 'b.a a/a:1'],
    ],
  ])('%s', (_name, values, found) => {
    expect(deep(values).found).toEqual(found);
  });

  it('a path named like a Flux v1 container is not added, with a warning', () => {
    expect(deep(`a.b:\n  image: x/top:1\na:\n  b:\n    image: x/deep:2\n`)).toEqual({
      known: ['a.b'],
      found: [],
      problems: [
        '5: spec.values.a.b is named a.b by deep detection, a name already taken; it is not updated',
      ],
    });
  });

  it('a map inside a Flux v1 container is tried too; the container is not found again', () => {
    expect(deep(`app:\n  image: x/app:1\n  inner:\n    image: x/inner:1\n`)).toEqual({
      known: ['app'],
      found: ['app.inner x/inner:1'],
      problems: [],
    });
  });

  it('reports the problems of an image it finds, not those of maps that are no image', () => {
    expect(deep(`a:\n  b:\n    image: x/y\n    tag: 4.0\n  c:\n    image: 5\n`).problems).toEqual([
      '4: spec.values.a.b.tag is the number 4.0, not a string, so it is ignored and the image counts as untagged (it will not be updated); quote it: tag: "4.0"',
    ]);
  });
});
