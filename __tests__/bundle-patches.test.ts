/**
 * The build's patches to dependencies' code in the bundles (scripts/bundle-patches.mjs): each applies
 * to exactly one occurrence or stops the build, and the committed bundles carry them.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document } from 'yaml';
import { BUNDLE_PATCHES, type BundlePatch, patchBundle } from '../scripts/bundle-patches.mjs';
import { REPOSITORY_ROOT } from '../test-support/e2e/child-process.js';

const PATCH = [{ name: 'the switch', find: 'if (env.DEBUG)', replace: 'if (false)' }];
// A module's id as the bundler numbered it, which differs between checkouts.
const LAZY = [{ name: 'the module', find: /const m = load\((\d+)\)/, replace: 'const m = () => load($1)' }];

describe('patchBundle', () => {
  it.each([
    ['once', 'a();\nif (env.DEBUG) log();\nb();', 'a();\nif (false) log();\nb();'],
    ['once, at the very start', 'if (env.DEBUG) log();', 'if (false) log();'],
  ])('replaces a snippet found %s', (_, code, patched) => {
    expect(patchBundle(code, 'dist/x.js', PATCH)).toBe(patched);
  });

  it.each([
    ['missing (a dependency rewrote it)', 'if (env.DEBUG_ALL) log();', 0],
    ['twice (which of them is meant is not known)', 'if (env.DEBUG) a();\nif (env.DEBUG) b();', 2],
  ])('stops the build, naming the bundle and the patch, when the snippet is %s', (_, code, count) => {
    expect(() => patchBundle(code, 'dist/x.js', PATCH)).toThrow(
      `dist/x.js: the switch: expected "if (env.DEBUG)" once, found it ${count} times`,
    );
  });

  it.each([
    ['8788', 'a();\nconst m = load(8788);\n', 'a();\nconst m = () => load(8788);\n'],
    ['another id (node_modules linked from elsewhere)', 'const m = load(41);', 'const m = () => load(41);'],
  ])('replaces a pattern found once, keeping what it read: %s', (_, code, patched) => {
    expect(patchBundle(code, 'dist/x.js', LAZY)).toBe(patched);
  });

  it.each([
    ['missing', 'const m = require(8788);', 0],
    ['twice', 'const m = load(1);\nconst m = load(2);', 2],
  ])('stops the build when the pattern is %s', (_, code, count) => {
    expect(() => patchBundle(code, 'dist/x.js', LAZY)).toThrow(
      `dist/x.js: the module: expected /const m = load\\((\\d+)\\)/ once, found it ${count} times`,
    );
  });
});

/** How often `code` holds a patch's snippet before and after it is applied. */
function occurrences(code: string, patch: BundlePatch): { find: number; replace: number } {
  if (typeof patch.find === 'string') {
    return { find: code.split(patch.find).length - 1, replace: code.split(patch.replace).length - 1 };
  }
  // The replacement as a pattern: its text as written, each group it names any id.
  const replaced = patch.replace
    .split(/\$\d/)
    .map((text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('\\d+');
  return {
    find: code.match(new RegExp(patch.find.source, 'g'))?.length ?? 0,
    replace: code.match(new RegExp(replaced, 'g'))?.length ?? 0,
  };
}

describe.each(['index.js', 'cli-main.js'])('the committed dist/%s', (bundle) => {
  const code = readFileSync(join(REPOSITORY_ROOT, 'dist', bundle), 'utf8');
  it.each(BUNDLE_PATCHES.map((patch) => ({ name: patch.name, patch })))(
    'carries the patch of $name',
    ({ patch }) => {
      expect(occurrences(code, patch)).toEqual({ find: 0, replace: 1 });
    },
  );

  it("reads no `yaml` debug switch from the environment (they would print the files' content)", () => {
    expect(code.match(/env\.LOG_(TOKENS|STREAM)\b/g)).toBeNull();
  });
});

/**
 * The `yaml` package's CommonJS build, as ncc bundles it, with the node-kind patches applied to
 * its own files (in a temporary copy): the documents it reads must be the package's, node for node.
 */
describe("yaml with its node kinds on the classes (the bundles' patch)", () => {
  const patchNamed = (name: string) => BUNDLE_PATCHES.find((patch) => patch.name === name)!;
  const NODE_TYPE = Symbol.for('yaml.node.type');
  const copy = mkdtempSync(join(tmpdir(), 'hriu-yaml-kind-'));
  cpSync(join(REPOSITORY_ROOT, 'node_modules', 'yaml', 'dist'), join(copy, 'dist'), { recursive: true });
  writeFileSync(join(copy, 'package.json'), '{ "type": "commonjs" }');
  for (const [file, patch] of [
    ['nodes/Node.js', patchNamed("yaml's node kind (src/nodes/Node.ts)")],
    ['nodes/Pair.js', patchNamed("yaml's pair kind (src/nodes/Pair.ts)")],
  ] as const) {
    const path = join(copy, 'dist', file);
    writeFileSync(path, patchBundle(readFileSync(path, 'utf8'), file, [patch]));
  }
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  const require = createRequire(import.meta.url);
  const patched = require(join(copy, 'dist', 'index.js')) as typeof import('yaml');
  const original = require(
    join(REPOSITORY_ROOT, 'node_modules', 'yaml', 'dist', 'index.js'),
  ) as typeof import('yaml');

  /** Each node of each document, in order: its path and what each of the package's tests says it is. */
  function kinds(yaml: typeof import('yaml'), source: string): string[] {
    const seen: string[] = [];
    for (const doc of yaml.parseAllDocuments(source, { version: '1.1', schema: 'failsafe' }) as Document[]) {
      seen.push(`doc ${yaml.isDocument(doc)}`);
      yaml.visit(doc, (key, node, path) => {
        const tests: ((node: unknown) => boolean)[] = [
          yaml.isScalar,
          yaml.isMap,
          yaml.isSeq,
          yaml.isPair,
          yaml.isAlias,
          yaml.isNode,
        ];
        seen.push(`${path.length}/${String(key)}: ${tests.map((test) => Number(test(node))).join('')}`);
      });
    }
    return seen;
  }

  const SOURCE = [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata: {name: a, annotations: {fluxcd.io/automated: "true"}}',
    'spec:',
    '  values:',
    '    image: &img repo/app:1.2.3',
    '    sidecars: [*img, {image: "x/y:2"}]',
    '    list:',
    '      - one',
    '      - ? complex',
    '        : key',
    '---',
    '- plain',
    '- |',
    '  block',
  ].join('\n');

  it('tells every node apart as the package does', () => {
    const read = kinds(patched, SOURCE);
    expect(read).toEqual(kinds(original, SOURCE));
    // Every kind is there: scalar, map, sequence, pair, alias, and the documents.
    for (const kind of ['100001', '010001', '001001', '000100', '000011', 'doc true'])
      expect(read.some((line) => line.endsWith(kind))).toBe(true);
  });

  it('reads the same values', () => {
    const read = (yaml: typeof import('yaml')) => yaml.parseAllDocuments(SOURCE).map((d) => d.toJS());
    expect(read(patched)).toEqual(read(original));
  });

  it('gives the nodes their kind through their class, not one by one', () => {
    const doc = patched.parseDocument('a: [b, *c]\n&c d: e');
    const nodes: object[] = [];
    patched.visit(doc, (_, node) => void nodes.push(node as object));
    expect(nodes.length).toBeGreaterThan(5);
    for (const node of nodes) expect(Object.getOwnPropertySymbols(node)).not.toContain(NODE_TYPE);
    // The package as it ships defines it on each node.
    const shipped = original.parseDocument('a: b').contents as object;
    expect(Object.getOwnPropertySymbols(shipped)).toContain(NODE_TYPE);
  });

  it('keeps the kind of a cloned node', () => {
    const scalar = patched.parseDocument('a: b').get('a', true);
    const clone = (scalar as { clone(): unknown }).clone();
    expect([patched.isScalar(clone), patched.isMap(clone)]).toEqual([true, false]);
  });

  it("gives a node its own kind when its class already has another (its first node's)", () => {
    const { Collection } = require(join(copy, 'dist', 'nodes', 'Collection.js')) as {
      Collection: new (type: symbol) => object;
    };
    const { MAP, SEQ } = require(join(copy, 'dist', 'nodes', 'identity.js')) as Record<string, symbol>;
    class Either extends Collection {}
    const map = new Either(MAP!);
    const seq = new Either(SEQ!);
    expect([patched.isMap(map), patched.isSeq(map), patched.isMap(seq), patched.isSeq(seq)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });
});
