// Bundles the entry points with ncc: dist/index.js (the Action), and dist/cli.js with
// dist/cli-main.js (the CLI).
// ncc writes one index.js per output folder, so each is built into a temporary folder, and dist/
// is replaced only once all built: a build stopped half-way leaves the committed dist/ as it was,
// not half deleted.
// ncc only transpiles (-t), with src/tsconfig.json; `npm run typecheck` checks the types, before CI
// and the Release workflow build. Checking them in each of the three builds took 2 min 6 s on a
// slow 2-core machine (the whole project's program, tests included, three times); 30 s without.
// The Action's bundle and the CLI's main one, which hold the dependencies, are then patched
// (scripts/bundle-patches.mjs), and the CLI's main one made a script that dist/cli.js compiles
// itself (scripts/function-script.mjs).
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patchBundle } from './bundle-patches.mjs';
import { asFunctionScript } from './function-script.mjs';

const ncc = join('node_modules', '.bin', 'ncc');
const staging = mkdtempSync(join(tmpdir(), 'ncc-'));
try {
  const actionOut = join(staging, 'dist');
  execFileSync(ncc, ['build', 'src/index.ts', '-o', actionOut, '--license', 'licenses.txt', '-q', '-t'], {
    stdio: 'inherit',
  });
  // The CLI is two bundles: dist/cli.js compiles and runs the CLI itself, dist/cli-main.js, with
  // the CLI's compile cache (src/cli-start.ts, src/cli-compile-cache.ts).
  for (const [entry, bundle] of [
    ['src/cli-start.ts', 'cli.js'],
    ['src/cli.ts', 'cli-main.js'],
  ]) {
    const out = join(staging, bundle);
    execFileSync(ncc, ['build', entry, '-o', out, '-q', '-t'], { stdio: 'inherit' });
    for (const name of readdirSync(out)) {
      // package.json ({"type":"module"}) is the same for every bundle; the Action's has one.
      if (name === 'index.js' || name === 'package.json') continue;
      // Extra assets (none expected); keep them beside the CLI if any appear.
      renameSync(join(out, name), join(actionOut, `cli-${name}`));
    }
    renameSync(join(out, 'index.js'), join(actionOut, bundle));
  }
  chmodSync(join(actionOut, 'cli.js'), 0o755);
  for (const bundle of ['index.js', 'cli-main.js']) {
    const path = join(actionOut, bundle);
    const patched = patchBundle(readFileSync(path, 'utf8'), `dist/${bundle}`);
    writeFileSync(path, bundle === 'cli-main.js' ? asFunctionScript(patched, `dist/${bundle}`) : patched);
  }
  rmSync('dist', { recursive: true, force: true });
  cpSync(actionOut, 'dist', { recursive: true });
} finally {
  rmSync(staging, { recursive: true, force: true });
}
