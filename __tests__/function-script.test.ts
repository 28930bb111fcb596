/**
 * The build's making of the CLI's main bundle into a function script (scripts/function-script.mjs):
 * ncc's module form becomes a script that dist/cli.js compiles with node:vm, or the build stops,
 * naming what it did not expect; and the committed dist/cli-main.js is such a script.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import { asFunctionScript } from '../scripts/function-script.mjs';
import { REPOSITORY_ROOT } from '../test-support/e2e/child-process.js';

const IMPORT = 'import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";';
/** A module of ncc's shape: its import, a body, and its exports after webpack's margin. */
const moduleOf = (body: string, exports = 'export { __webpack_exports__main as main };') =>
  `${IMPORT}\n/******/ var __webpack_modules__ = ({});\n${body}\n/******/ ${exports}\n/******/ \n`;

type Exports = Record<string, unknown>;
const run = async (script: string, url: string): Promise<Exports> =>
  (runInThisContext(script) as (r: typeof createRequire, u: string) => Promise<Exports>)(createRequire, url);

describe('asFunctionScript', () => {
  it('runs the body with a require for its URL and import.meta.url as that URL, awaiting as the module did', async () => {
    const script = asFunctionScript(
      moduleOf(
        [
          'const path = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");',
          'var __webpack_exports__main = await Promise.resolve(path.basename(new URL(import.meta.url).pathname));',
        ].join('\n'),
      ),
      'dist/x.js',
    );
    const url = pathToFileURL('/somewhere/cli-main.js').href;
    await expect(run(script, url)).resolves.toEqual({ main: 'cli-main.js' });
  });

  it('returns every export by its name', async () => {
    const script = asFunctionScript(
      moduleOf('var a = 1; var b = () => 2;', 'export { a as one, b as two };'),
      'dist/x.js',
    );
    const exported = await run(script, 'file:///x.js');
    expect([exported.one, (exported.two as () => number)()]).toEqual([1, 2]);
  });

  it('keeps the strict mode of a module', async () => {
    const script = asFunctionScript(
      moduleOf('var __webpack_exports__main = (function () { return this; })();'),
      'dist/x.js',
    );
    await expect(run(script, 'file:///x.js')).resolves.toEqual({ main: undefined });
  });

  it.each([
    ['another first line', `// a comment\n${moduleOf('')}`, `its first line is not ${IMPORT}`],
    [
      'no export statement at its end',
      `${IMPORT}\nvar a = 1;\n`,
      'it does not end with one export statement',
    ],
    ['another import', moduleOf('import fs from "node:fs";'), 'it has another import or export statement'],
    [
      'import.meta other than its url',
      moduleOf('const d = import.meta.dirname;'),
      'it reads import.meta other than its url',
    ],
    ['a dynamic import', moduleOf('const m = await import("node:fs");'), 'it has a dynamic import()'],
    ['a body that does not compile', moduleOf('var = ;'), 'the result does not compile: '],
  ])('stops the build, naming the bundle, on %s', (_name, code, why) => {
    expect(() => asFunctionScript(code, 'dist/x.js')).toThrow(
      `dist/x.js: cannot make it a function script: ${why}`,
    );
  });

  it('takes an import() in a comment for no import', () => {
    expect(() =>
      asFunctionScript(moduleOf('/** @type {import("x")} */\nvar __webpack_exports__main = 1;'), 'dist/x.js'),
    ).not.toThrow();
  });
});

describe('the committed dist/cli-main.js', () => {
  const code = readFileSync(join(REPOSITORY_ROOT, 'dist', 'cli-main.js'), 'utf8');
  it('is a function script, neither importing nor reading import.meta', () => {
    expect(code.startsWith('(async function (__WEBPACK_EXTERNAL_createRequire, __bundleUrl) {\n')).toBe(true);
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).not.toContain('import.meta');
    expect(
      code
        .trimEnd()
        .endsWith('return { main: __webpack_exports__main, ranAPlan: __webpack_exports__ranAPlan };\n})'),
    ).toBe(true);
  });
});
