/**
 * The spec.values paths a Kustomize patch document writes, which replace the base's in what
 * Kustomize builds: an image tag written there is the one deployed, not the base's.
 */
import { describe, expect, it } from '@jest/globals';
import { parseDocument } from 'yaml';
import { writesTagOf, writtenValuePaths } from '../../src/helmrelease/patch-values.js';

const paths = (text: string) => [...writtenValuePaths(parseDocument(text).contents)].sort();

/** [case, patch document, paths written]. */
const CASES: [string, string, string[]][] = [
  [
    'strategic merge: the leaves under spec.values',
    'kind: HelmRelease\nspec:\n  chart: {spec: {version: "1.0"}}\n  values:\n    image: {tag: "1.1"}\n    replicas: 2\n    env: [a]\n    empty: {}\n',
    ['empty', 'env', 'image/tag', 'replicas'],
  ],
  ['strategic merge without values writes none', 'kind: HelmRelease\nmetadata: {name: app}\n', []],
  [
    'JSON6902: add and replace under /spec/values, pointer escapes read',
    '- {op: replace, path: /spec/values/image/tag, value: "1.1"}\n- {op: add, path: /spec/values/a~1b~0c, value: 1}\n- {op: add, path: /spec/values/sidecar, value: {image: busybox:1.0}}\n',
    ['a/b~c', 'image/tag', 'sidecar/image'],
  ],
  [
    'JSON6902: a whole values map, and operations elsewhere or that write nothing',
    '- {op: add, path: /spec/values, value: {tag: "2.0"}}\n- {op: remove, path: /spec/values/image}\n- {op: replace, path: /spec/interval, value: 5m}\n- {op: copy, from: /spec/values/a, path: /spec/values/image}\n',
    ['tag'],
  ],
];

describe('writtenValuePaths', () => {
  it.each(CASES)('%s', (_name, text, expected) => {
    expect(paths(text)).toEqual(expected);
  });

  it('is bounded in depth: a deeper map counts as written where the walk stops', () => {
    const deep = `spec:\n  values:\n${Array.from({ length: 80 }, (_, i) => `${'  '.repeat(i + 2)}k:`).join('\n')} 1\n`;
    const [only] = paths(deep);
    expect(only.split('/')).toHaveLength(64);
  });
});

describe('writesTagOf', () => {
  it.each([
    [['image'], 'chart-image', true],
    [['image/tag'], 'chart-image', true],
    [['tag'], 'chart-image', true],
    [['image/repository'], 'chart-image', false],
    [['sidecar/image/tag'], 'sidecar', true],
    [['image/tag'], 'sidecar', false],
  ])('%j writes the tag of %s: %s', (written, container, expected) => {
    expect(writesTagOf(new Set(written), container)).toBe(expected);
  });
});
