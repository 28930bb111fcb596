/**
 * `makeDirectories`, the `mkdir -p` of the cache and stats files: it creates what is missing, and
 * every failure is an error naming the level (Node's recursive mkdir spins forever under `/proc`;
 * that case runs in a child process with a kill timer in cli/output-files.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectories } from '../../src/registry/make-directories.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'make-directories-'));
  await writeFile(join(dir, 'file'), 'x');
  await mkdir(join(dir, 'existing'));
  await symlink(join(dir, 'existing'), join(dir, 'link'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('makeDirectories', () => {
  it.each([
    ['one missing level', 'a'],
    ['several missing levels', 'a/b/c'],
    ['a folder that exists', 'existing'],
    ['under a folder that exists', 'existing/a/b'],
    ['through a link to a folder', 'link/a'],
    ['a relative path with ..', 'existing/../a/b'],
  ])('%s: the folder is there afterwards', async (_name, path) => {
    await makeDirectories(join(dir, path));
    expect((await stat(join(dir, path))).isDirectory()).toBe(true);
  });

  it.each([
    ['a file', 'file', /\/file is not a folder$/],
    ['under a file', 'file/a/b', /\/file is not a folder$/],
  ])('%s: an error naming it', async (_name, path, message) => {
    await expect(makeDirectories(join(dir, path))).rejects.toThrow(message);
  });
});
