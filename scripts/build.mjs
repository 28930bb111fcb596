// Bundles the two entry points with ncc: dist/index.js (the Action) and dist/cli.js (the CLI).
// ncc writes one index.js per output folder, so the CLI is built into a temporary folder and moved.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, readdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ncc = join('node_modules', '.bin', 'ncc');
rmSync('dist', { recursive: true, force: true });
execFileSync(ncc, ['build', 'src/index.ts', '-o', 'dist', '--license', 'licenses.txt', '-q'], {
  stdio: 'inherit',
});
const cliOut = mkdtempSync(join(tmpdir(), 'ncc-cli-'));
execFileSync(ncc, ['build', 'src/cli.ts', '-o', cliOut, '-q'], { stdio: 'inherit' });
for (const name of readdirSync(cliOut)) {
  // package.json ({"type":"module"}) is the same for both bundles; dist/ already has one.
  if (name === 'index.js' || name === 'package.json') continue;
  // Extra assets (none expected); keep them beside the CLI if any appear.
  renameSync(join(cliOut, name), join('dist', `cli-${name}`));
}
renameSync(join(cliOut, 'index.js'), join('dist', 'cli.js'));
chmodSync(join('dist', 'cli.js'), 0o755);
rmSync(cliOut, { recursive: true, force: true });
