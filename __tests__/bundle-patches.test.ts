/**
 * The build's patches to dependencies' code in the bundles (scripts/bundle-patches.mjs): each applies
 * to exactly one occurrence or stops the build, and the committed bundles carry them.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
