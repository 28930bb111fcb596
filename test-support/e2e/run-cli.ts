/**
 * Runs the built CLI (`dist/cli.js`) as a user would from a shell, with a controlled environment
 * (an empty `HOME`, so no Docker config or cache of the machine running the tests is used).
 *
 *   const run = await runCli(['--dir', workspace, '--json', '--no-cache']);
 *   run.exitCode; JSON.parse(run.stdout);
 *
 * `runCliFromSource` runs `src/cli.ts` with tsx's loader the same way, for tests of the CLI's shell
 * that must not wait for a rebuilt bundle.
 *
 * Plain TypeScript without jest globals (the reliability suite reuses it under `tsx`).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnvironment, REPOSITORY_ROOT, runNode, tsxLoader, type ProcessResult } from './child-process.js';

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
  /** Flags for node before the script. */
  nodeArgs?: readonly string[];
  /** Closes the reading end of its stdout at once (a reader that went away, as `| head` does). */
  closeStdout?: boolean;
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
      ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
      ...(options.closeStdout ? { closeStdout: true } : {}),
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * Runs `src/cli.ts` with tsx's loader (no build needed), otherwise as {@link runCli}. The loader
 * goes into node itself (`--import`), not through the `tsx` command, which runs the script in a
 * second process that the kill of `timeoutMs` would leave running.
 */
export function runCliFromSource(
  args: readonly string[],
  options: Omit<RunCliOptions, 'script' | 'node' | 'nodeArgs'> = {},
): Promise<ProcessResult> {
  return runCli(args, {
    ...options,
    nodeArgs: ['--import', tsxLoader()],
    script: join(REPOSITORY_ROOT, 'src', 'cli.ts'),
  });
}
