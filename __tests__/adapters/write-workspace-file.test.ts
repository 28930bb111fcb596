/**
 * `--write`'s write of one file, on the real file system: the file holds the text the run read or
 * the edited text, never part of either, and a file that is no longer what the run read is left
 * alone. The write that fails part way is a real one: this process's file size limit is lowered
 * (`prlimit`) for the length of the call, and the kernel refuses the write past it (EFBIG; Node
 * ignores SIGXFSZ), as a full disk does.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
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
    const limit = (value: string) =>
      execFileSync('prlimit', ['--pid', String(process.pid), `--fsize=${value}`], { stdio: 'pipe' });
    limit('4096:unlimited');
    let thrown: unknown;
    try {
      thrown = await writeWorkspaceFile(root, 'app.yaml', big, edited).catch((e: unknown) => e);
    } finally {
      limit('unlimited:unlimited');
    }
    expect(thrown).toMatchObject({ code: 'EFBIG' });
    expect(await readFile(join(root, 'app.yaml'), 'utf8')).toBe(big);
    expect(await readdir(root)).toEqual(['app.yaml']);
  });
});
