/**
 * `replaceFile` (the CLI's `--write` and the digest cache file) stopped by a signal while the new
 * file beside the path is being written: Ctrl-C (SIGINT), the Actions **Cancel** button (SIGINT,
 * then SIGTERM), a terminal closed (SIGHUP). In a Node process of its own, held inside the write
 * (its `prepare` step) until the signal comes, so the test meets the window every time.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPOSITORY_ROOT, tsxLoader } from '../../test-support/e2e/child-process.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'replace-file-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Runs `replaceFile(path, after)` in a child held in its write, sends it `signal`, and says how it ended. */
async function interruptedWrite(
  path: string,
  after: string,
  signal: NodeJS.Signals,
  ownListener = false,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const module = pathToFileURL(join(REPOSITORY_ROOT, 'src', 'registry', 'replace-file.ts')).href;
  const script = [
    `const { replaceFile } = await import(${JSON.stringify(module)});`,
    // Keeps the process alive while the write is held.
    'setInterval(() => undefined, 1000);',
    // A listener of the process's own (the Action's cancellation): it says how often the signal
    // came, a moment later, and ends the process as it chooses.
    ...(ownListener
      ? [
          'let received = 0;',
          `process.on(${JSON.stringify(signal)}, () => {`,
          '  received += 1;',
          '  setTimeout(() => { process.stdout.write(`received ${received}\\n`); process.exit(7); }, 300);',
          '});',
        ]
      : []),
    'await replaceFile(process.env.TARGET, process.env.AFTER, 0o600, async () => {',
    "  process.stdout.write('writing\\n');",
    '  await new Promise(() => undefined);',
    '});',
  ].join('\n');
  const child = spawn(process.execPath, ['--import', tsxLoader(), '--input-type=module', '-e', script], {
    env: { ...process.env, TARGET: path, AFTER: after },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('writing')) resolve();
    });
    child.on('exit', () => reject(new Error('the child ended before it wrote')));
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout })),
  );
  child.kill(signal);
  return ended;
}

describe('replaceFile stopped by a signal while writing', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s: the file as it was, no new file left beside it, and the process ends of the signal',
    async (signal) => {
      const path = join(root, 'app.yaml');
      await writeFile(path, 'tag: 1.0.0\n');
      expect(await interruptedWrite(path, 'tag: 1.0.1\n', signal)).toMatchObject({ code: null, signal });
      expect(await readFile(path, 'utf8')).toBe('tag: 1.0.0\n');
      expect(await readdir(root)).toEqual(['app.yaml']);
    },
  );

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s with a listener of the process: the file as it was, no new file left, and the listener decides, told once',
    async (signal) => {
      // The Action's cancellation listens: raising the signal again would be its second signal,
      // which ends the run at once, before its job summary.
      const path = join(root, 'app.yaml');
      await writeFile(path, 'tag: 1.0.0\n');
      const ended = await interruptedWrite(path, 'tag: 1.0.1\n', signal, true);
      expect(ended).toMatchObject({ code: 7, signal: null });
      expect(ended.stdout).toContain('received 1\n');
      expect(await readFile(path, 'utf8')).toBe('tag: 1.0.0\n');
      expect(await readdir(root)).toEqual(['app.yaml']);
    },
  );
});
