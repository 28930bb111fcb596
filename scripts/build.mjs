// Bundles the two entry points with ncc: dist/index.js (the Action) and dist/cli.js (the CLI).
// ncc writes one index.js per output folder, so each is built into a temporary folder, and dist/
// is replaced only once both built: a build stopped half-way (it takes over a minute on a slow
// machine) leaves the committed dist/ as it was, not half deleted. Both bundles are then patched
// (scripts/bundle-patches.mjs).
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
  const cliOut = join(staging, 'cli');
  execFileSync(ncc, ['build', 'src/cli.ts', '-o', cliOut, '-q'], { stdio: 'inherit' });
  for (const name of readdirSync(cliOut)) {
    // package.json ({"type":"module"}) is the same for both bundles; the Action's has one.
    if (name === 'index.js' || name === 'package.json') continue;
    // Extra assets (none expected); keep them beside the CLI if any appear.
    renameSync(join(cliOut, name), join(actionOut, `cli-${name}`));
  }
  renameSync(join(cliOut, 'index.js'), join(actionOut, 'cli.js'));
  chmodSync(join(actionOut, 'cli.js'), 0o755);
  for (const bundle of ['index.js', 'cli.js']) {
    const path = join(actionOut, bundle);
    writeFileSync(path, patchBundle(readFileSync(path, 'utf8'), `dist/${bundle}`));
  }
  rmSync('dist', { recursive: true, force: true });
  cpSync(actionOut, 'dist', { recursive: true });
} finally {
  rmSync(staging, { recursive: true, force: true });
}
