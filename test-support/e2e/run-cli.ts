/**
 * Runs the built CLI (`dist/cli.js`) as a user would from a shell, with a controlled environment
 * (an empty `HOME`, so no Docker config or cache of the machine running the tests is used).
 *
 *   const run = await runCli(['--dir', workspace, '--json', '--no-cache']);
 *   run.exitCode; JSON.parse(run.stdout);
 *
 * `runCliFromSource` runs `src/cli.ts` through `tsx` the same way, for tests of the CLI's shell that
 * must not wait for a rebuilt bundle.
 *
 * Plain TypeScript without jest globals (the reliability suite reuses it under `tsx`).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnvironment, REPOSITORY_ROOT, runNode, type ProcessResult } from './child-process.js';

/** How to run the CLI. */
export interface RunCliOptions {
  /** Working directory; default the repository root. */
  cwd?: string;
  /** Extra environment variables, applied last (e.g. `GITHUB_TOKEN`, `DOCKER_CONFIG`). */
  env?: Record<string, string>;
  /** The script; default `dist/cli.js` of this repository. */
  script?: string;
  /** Kill the process after this long; default 60 s. */
  timeoutMs?: number;
  /** The node binary (see node-runtimes.ts); default the one running the tests. */
  node?: string;
}

/** Runs `node dist/cli.js ...args` (with `options.node` if given) and returns its exit code and output. */
export async function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<ProcessResult> {
  const home = await mkdtemp(join(tmpdir(), 'e2e-cli-home-'));
  try {
    await mkdir(join(home, '.cache'), { recursive: true });
    return await runNode(options.script ?? join(REPOSITORY_ROOT, 'dist', 'cli.js'), args, {
      env: { ...baseEnvironment(), HOME: home, XDG_CACHE_HOME: join(home, '.cache'), ...options.env },
      cwd: options.cwd ?? REPOSITORY_ROOT,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.node ? { node: options.node } : {}),
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Runs `src/cli.ts` through `tsx` (no build needed), otherwise as {@link runCli}. */
export function runCliFromSource(
  args: readonly string[],
  options: Omit<RunCliOptions, 'script' | 'node'> = {},
): Promise<ProcessResult> {
  return runCli(args, {
    ...options,
    node: join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsx'),
    script: join(REPOSITORY_ROOT, 'src', 'cli.ts'),
  });
}
