/**
 * `--write`'s write of one file, on the real file system: the file holds the text the run read or
 * the edited text, never part of either, and a file that is no longer what the run read is left
 * alone. The write that fails part way is a real one, in a Node process of its own
 * (`writeUnderLimit`): once it has loaded the module, it lowers its own file size limit
 * (`prlimit`), and the kernel refuses the write past it (EFBIG; Node ignores SIGXFSZ), as it does
 * on a full disk. Not in the test's own process: jest's listens for SIGXFSZ (signal-exit, through
 * @jest/transform's write-file-atomic) and raises it again with Node's own disposition undone,
 * which killed CI's whole test run.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  chmod,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileNotWrittenError, writeWorkspaceFile } from '../../src/adapters/write-workspace-file.js';
import { REPOSITORY_ROOT, tsxLoader } from '../../test-support/e2e/child-process.js';

const run = promisify(execFile);

/** A release of about `bytes` bytes whose tag is `tag`. */
const release = (tag: string, bytes = 200): string =>
  [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '# '.padEnd(Math.max(2, bytes - 120), 'x'),
    'spec:',
    '  values:',
    `    image: registry.example/app:${tag}`,
    '',
  ].join('\n');

const BEFORE = release('1.0.0');
const AFTER = release('1.0.1');

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'write-workspace-file-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('writeWorkspaceFile', () => {
  it.each([
    ['644', 0o644],
    ['640', 0o640],
    ['755', 0o755],
    ['600', 0o600],
    // Set-group-ID: kept when root gives the file back its owner, which clears it, before the mode.
    ['2755', 0o2755],
  ])(
    'a file as the run read it (mode %s): the edited text, the same mode, nothing left beside it',
    async (_shown, mode) => {
      await writeFile(join(root, 'app.yaml'), BEFORE);
      await chmod(join(root, 'app.yaml'), mode);
      await writeWorkspaceFile(root, 'app.yaml', BEFORE, AFTER);
      expect(await readFile(join(root, 'app.yaml'), 'utf8')).toBe(AFTER);
      expect((await stat(join(root, 'app.yaml'))).mode & 0o7777).toBe(mode);
      expect(await readdir(root)).toEqual(['app.yaml']);
    },
  );

  it('a file in a folder: the path is workspace-relative, with / separators', async () => {
    await mkdir(join(root, 'apps', 'web'), { recursive: true });
    await writeFile(join(root, 'apps', 'web', 'release.yaml'), BEFORE);
    await writeWorkspaceFile(root, 'apps/web/release.yaml', BEFORE, AFTER);
    expect(await readFile(join(root, 'apps', 'web', 'release.yaml'), 'utf8')).toBe(AFTER);
  });

  it.each<[string, (path: string) => Promise<void>, string, string]>([
    [
      'a file edited after the run read it',
      (path) => writeFile(path, release('1.0.0-edited')),
      'it changed after the run read it',
      'run again, to plan from what it holds now',
    ],
    [
      'a file that grew after the run read it',
      (path) => writeFile(path, `${BEFORE}# more\n`),
      'it changed after the run read it',
      'run again, to plan from what it holds now',
    ],
    [
      'a link where the file was',
      async (path) => {
        await writeFile(join(root, 'elsewhere.yaml'), BEFORE);
        await rm(path);
        await symlink(join(root, 'elsewhere.yaml'), path);
      },
      'it is a link now, not the file the run read',
      'run again, to plan from what is there now',
    ],
  ])('%s: left as it is, and said', async (_name, change, reason, advice) => {
    const path = join(root, 'app.yaml');
    await writeFile(path, BEFORE);
    await change(path);
    const now = await readFile(path, 'utf8');
    const thrown = await writeWorkspaceFile(root, 'app.yaml', BEFORE, AFTER).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(FileNotWrittenError);
    expect(thrown).toMatchObject({ message: reason, advice });
    expect(await readFile(path, 'utf8')).toBe(now);
    expect((await readdir(root)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a file with another hard link: written in place, so both names hold the edit', async () => {
    await writeFile(join(root, 'app.yaml'), BEFORE);
    await link(join(root, 'app.yaml'), join(root, 'same.yaml'));
    await writeWorkspaceFile(root, 'app.yaml', BEFORE, AFTER);
    expect(await readFile(join(root, 'app.yaml'), 'utf8')).toBe(AFTER);
    expect(await readFile(join(root, 'same.yaml'), 'utf8')).toBe(AFTER);
  });

  it('a write that fails part way (past a file size limit): the file as the run read it', async () => {
    const big = release('1.0.0', 8192);
    const edited = release('1.0.1', 8192);
    await writeFile(join(root, 'app.yaml'), big);
    expect(await writeUnderLimit(4096, root, 'app.yaml', big, edited)).toMatchObject({ code: 'EFBIG' });
    expect(await readFile(join(root, 'app.yaml'), 'utf8')).toBe(big);
    expect(await readdir(root)).toEqual(['app.yaml']);
  });
});

/**
 * {@link writeWorkspaceFile} in a Node process of its own whose file size limit is `bytes` from
 * the call on; resolves with what it threw (`code` and `message`), or `written`.
 */
async function writeUnderLimit(
  bytes: number,
  ...args: Parameters<typeof writeWorkspaceFile>
): Promise<{ code?: string; message?: string } | 'written'> {
  const module = pathToFileURL(join(REPOSITORY_ROOT, 'src', 'adapters', 'write-workspace-file.ts')).href;
  const script = [
    "import { execFileSync } from 'node:child_process';",
    `const { writeWorkspaceFile } = await import(${JSON.stringify(module)});`,
    `execFileSync('prlimit', ['--pid', String(process.pid), '--fsize=${bytes}'], { stdio: 'pipe' });`,
    'const args = JSON.parse(process.env.WRITE_ARGS);',
    'const outcome = await writeWorkspaceFile(...args).then(',
    "  () => 'written',",
    '  (e) => ({ code: e.code, message: e.message }),',
    ');',
    'process.stdout.write(JSON.stringify(outcome));',
  ].join('\n');
  const { stdout } = await run(
    process.execPath,
    ['--import', tsxLoader(), '--input-type=module', '-e', script],
    { env: { ...process.env, WRITE_ARGS: JSON.stringify(args) } },
  );
  return JSON.parse(stdout) as { code?: string; message?: string } | 'written';
}
