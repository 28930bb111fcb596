/**
 * Runs a built entry point (`dist/index.js`, `dist/cli.js`) as a child process with a controlled
 * environment. Asynchronous on purpose: the servers a test talks to (registry front proxy, GitHub
 * stand-in) live in the test's own process, so a `spawnSync` would block them and hang.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file is `test-support/e2e/child-process.ts`). */
export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** tsx's loader, as a URL for `node --import`: TypeScript of the repository run without a build. */
export function tsxLoader(): string {
  return pathToFileURL(createRequire(join(REPOSITORY_ROOT, 'package.json')).resolve('tsx')).href;
}

/** What a finished child process left. */
export interface ProcessResult {
  /** The exit code (a signal, e.g. after the timeout, gives -1). */
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * The variables every child gets from the parent: enough to find `node` and tools, nothing that
 * could change the program's behaviour (no `DOCKER_CONFIG`, `GITHUB_TOKEN`, `NODE_OPTIONS`, …).
 */
export function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'LANG', 'TZ', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** How to run a script: `node` is the binary (default the one running the tests). */
export interface RunNodeOptions {
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
  stdin?: string;
  node?: string;
  /** Flags for node before the script (e.g. `--import` of a loader). */
  nodeArgs?: readonly string[];
  /** Closes the reading end of the child's stdout at once, as `| head` does once it has read enough. */
  closeStdout?: boolean;
  /** Called with the child once it is spawned (to send it a signal, as the runner cancels a step). */
  started?: (child: ChildProcess) => void;
}

/** Runs `node <script> ...args` with exactly `env` and returns its exit code and output. */
export function runNode(
  script: string,
  args: readonly string[],
  options: RunNodeOptions,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        exitCode: code ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin.end(options.stdin ?? '');
    options.started?.(child);
  });
}
