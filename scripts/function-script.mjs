// Turns the CLI's main bundle (an ES module, as ncc writes it) into a script holding one async
// function, which dist/cli.js compiles with node:vm so that it can keep V8's code cache of the
// bundle *after a run* (src/cli-compile-cache.ts): Node's own compile cache keeps only what V8
// compiled before the module ran, not the thousand functions a run compiles as it first calls
// them. ncc's module form is checked, not assumed: anything but the shape below stops the build.
import { Script } from 'node:vm';

/** The one import ncc writes at the top of the bundle. */
const IMPORT_LINE = 'import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";';
/** What `import.meta.url` becomes: the function's second parameter, the bundle's file URL. */
export const BUNDLE_URL_PARAMETER = '__bundleUrl';
// ncc's last statement, `export { local as name, ... };`, after webpack's margin of stars.
const EXPORT_STATEMENT =
  /\n(?:\/\*{6}\/ )?export \{ ([\w$]+ as [\w$]+(?:, [\w$]+ as [\w$]+)*) \};\s*(?:\/\*{6}\/\s*)*$/;

/**
 * The script: `(async function (__WEBPACK_EXTERNAL_createRequire, __bundleUrl) { ... })`, which,
 * called, runs the bundle's top level and resolves to its exports. Throws, naming `bundle`, when
 * the module is not of the shape ncc writes (another import, `import.meta` other than its url, a
 * dynamic import, an export list where it is not expected), or the result does not compile.
 */
export function asFunctionScript(code, bundle) {
  const fail = (why) => {
    throw new Error(`${bundle}: cannot make it a function script: ${why}`);
  };
  if (!code.startsWith(`${IMPORT_LINE}\n`)) fail(`its first line is not ${IMPORT_LINE}`);
  const exported = EXPORT_STATEMENT.exec(code);
  if (!exported) fail('it does not end with one export statement');
  let body = code.slice(IMPORT_LINE.length + 1, exported.index);
  if (/^\s*(import|export)\b/m.test(body)) fail('it has another import or export statement');
  body = body.replaceAll('import.meta.url', BUNDLE_URL_PARAMETER);
  if (/\bimport\s*\.\s*meta\b/.test(body)) fail('it reads import.meta other than its url');
  if (/\bimport\s*\(/.test(body.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) fail('it has a dynamic import()');
  const returned = exported[1]
    .split(', ')
    .map((pair) => {
      const [local, name] = pair.split(' as ');
      return `${name}: ${local}`;
    })
    .join(', ');
  // Strict, as a module is.
  const script =
    `(async function (__WEBPACK_EXTERNAL_createRequire, ${BUNDLE_URL_PARAMETER}) {\n'use strict';\n` +
    `${body}\nreturn { ${returned} };\n})\n`;
  try {
    new Script(script, { filename: bundle });
  } catch (e) {
    fail(`the result does not compile: ${e.message}`);
  }
  return script;
}
