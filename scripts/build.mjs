// Bundles the entry points with ncc: dist/index.js (the Action), and dist/cli.js with
// dist/cli-main.js (the CLI).
// ncc writes one index.js per output folder, so each is built into a temporary folder, and dist/
// is replaced only once all built: a build stopped half-way (it takes over a minute on a slow
// machine) leaves the committed dist/ as it was, not half deleted. The Action's bundle and the
// CLI's main one, which hold the dependencies, are then patched (scripts/bundle-patches.mjs).
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

const ncc = join('node_modules', '.bin', 'ncc');
const staging = mkdtempSync(join(tmpdir(), 'ncc-'));
try {
  const actionOut = join(staging, 'dist');
  execFileSync(ncc, ['build', 'src/index.ts', '-o', actionOut, '--license', 'licenses.txt', '-q'], {
    stdio: 'inherit',
  });
  // The CLI is two bundles: dist/cli.js turns Node's compile cache on, then loads the CLI itself,
  // dist/cli-main.js, which is then compiled with the cache on (src/cli-start.ts).
  for (const [entry, bundle] of [
    ['src/cli-start.ts', 'cli.js'],
    ['src/cli.ts', 'cli-main.js'],
  ]) {
    const out = join(staging, bundle);
    execFileSync(ncc, ['build', entry, '-o', out, '-q'], { stdio: 'inherit' });
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
    writeFileSync(path, patchBundle(readFileSync(path, 'utf8'), `dist/${bundle}`));
  }
  rmSync('dist', { recursive: true, force: true });
  cpSync(actionOut, 'dist', { recursive: true });
} finally {
  rmSync(staging, { recursive: true, force: true });
}
