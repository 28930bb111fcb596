/**
 * End to end: the built Action (`dist/index.js`) cancelled as the runner cancels a step (the
 * **Cancel** button, a newer run of a `concurrency` group, `timeout-minutes`): SIGINT, and SIGTERM
 * 7.5 s later. Mid-way through its pull requests (the first opened, GitHub slow to answer the
 * second's, the third not reached), it must stop calling GitHub, abandon the unanswered call, and
 * publish a job summary and outputs that claim only what it finished, then fail the step well
 * before the SIGTERM. A second signal ends it at once.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import {
  startGitHubStandIn,
  WRITE_TOKEN,
  type GitHubStandIn,
  type LoggedRequest,
} from '../../test-support/github/stand-in.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry/registry-server.js';
import { seedMany } from '../../test-support/registry/seed.js';
import {
  startSyntheticRegistry,
  type SyntheticRegistry,
} from '../../test-support/registry/synthetic-registry.js';
import { helmRelease } from '../reliability/support.js';
import { e2eDescribe } from './e2e-gate.js';
import { writeFiles } from './fixture-repository.js';

/** The runner's wait between its SIGINT and its SIGTERM. */
const RUNNER_SIGTERM_AFTER_MS = 7500;

/** Three releases of one image: three pull requests, written in the order of their branches. */
async function threeReleases(registry: RegistryServer): Promise<Record<string, string>> {
  await seedMany(registry, [
    { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
    { path: 'team/app', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
  ]);
  return Object.fromEntries(
    ['a', 'b', 'c'].map((name) => [
      `apps/${name}.yaml`,
      helmRelease({ name, values: [`image: ${registry.host}/team/app:1.0.0`] }),
    ]),
  );
}

/** A promise and the function that settles it. */
function settled(): { promise: Promise<void>; settle: () => void } {
  let settle: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (settle = resolve));
  return { promise, settle };
}

/** A run cancelled mid-way and what GitHub had seen when its process ended. */
interface CancelledRun {
  run: ActionRun;
  /** Milliseconds from the first signal to the process's end. */
  afterSignalMs: number;
  /** The requests GitHub saw after the first signal. */
  afterSignal: LoggedRequest[];
  /** The pull requests on GitHub when the process ended. */
  pullsAtEnd: { number: number; head: string }[];
}

/**
 * Runs the built Action over three releases; once the first pull request is open and GitHub holds
 * the second's creation (until `held` settles), sends it `signals` one after the other.
 */
async function cancelMidway(
  standIn: GitHubStandIn,
  workspace: string,
  held: Promise<void>,
  signals: readonly NodeJS.Signals[],
): Promise<CancelledRun> {
  const midway = settled();
  // The first pull request opens; GitHub is slow to answer the second's creation.
  standIn.beforeNext('pulls/create', async () => {
    standIn.beforeNext('pulls/create', async () => {
      midway.settle();
      await held;
    });
  });
  let signalledAt = 0;
  let signalIndex = 0;
  const seen: Omit<CancelledRun, 'run'> = { afterSignalMs: -1, afterSignal: [], pullsAtEnd: [] };
  standIn.clearLog();
  const run = await runAction({
    workspace,
    repository: 'acme/gitops',
    apiUrl: standIn.url,
    token: WRITE_TOKEN,
    inputs: { automerge: 'all', dashboard: 'true' },
    timeoutMs: 30_000,
    started: (child) => {
      void midway.promise.then(() => {
        signalIndex = standIn.requests.length;
        signalledAt = Date.now();
        for (const signal of signals) child.kill(signal);
      });
      child.on('exit', () => {
        seen.afterSignalMs = Date.now() - signalledAt;
        seen.afterSignal = standIn.requests.slice(signalIndex);
        seen.pullsAtEnd = standIn.pulls('acme', 'gitops').map((p) => ({ number: p.number, head: p.head }));
      });
    },
  });
  return { run, ...seen };
}

/**
 * Registers, for the enclosing describe, a run of the built Action over three releases with
 * `signals` sent mid-way (`cancelMidway`); the returned object is filled in before its tests.
 */
function useCancelledMidway(signals: readonly NodeJS.Signals[]): CancelledRun & { standIn: GitHubStandIn } {
  const result = {} as CancelledRun & { standIn: GitHubStandIn };
  let registry: RegistryServer | undefined;
  let dir: string | undefined;
  /** The second pull request's creation, held until the Action has ended. */
  const held = settled();

  beforeAll(async () => {
    let standIn: GitHubStandIn;
    [registry, standIn] = await Promise.all([startRegistry({ auth: 'open' }), startGitHubStandIn()]);
    const files = await threeReleases(registry);
    await standIn.createRepository('acme', 'gitops', files);
    dir = await mkdtemp(join(tmpdir(), 'e2e-cancel-'));
    await writeFiles(dir, files);
    Object.assign(result, { standIn }, await cancelMidway(standIn, dir, held.promise, signals));
  }, 120_000);

  afterAll(async () => {
    held.settle();
    await Promise.all([registry?.stop(), result.standIn?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return result;
}

e2eDescribe()('the Action cancelled while it writes its pull requests', () => {
  const cancelled = useCancelledMidway(['SIGINT']);

  it('ends failed with one line saying it was cancelled, well before the runner’s SIGTERM', () => {
    expect(cancelled.run.exitCode).toBe(1);
    expect(cancelled.afterSignalMs).toBeLessThan(RUNNER_SIGTERM_AFTER_MS);
    const errors = cancelled.run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors.filter((e) => e.startsWith('Cancelled'))).toEqual([
      expect.stringMatching(/^Cancelled \(SIGINT\): the run stopped part way/),
    ]);
  });

  it('sends GitHub nothing after the signal: no third pull request, auto-merge, or dashboard issue', () => {
    // The second pull request's creation was in flight when the signal came; nothing followed it.
    expect(cancelled.afterSignal).toEqual([]);
    expect(cancelled.pullsAtEnd.map((p) => p.number)).toEqual([1]);
    expect(cancelled.standIn.issues('acme', 'gitops')).toEqual([]);
  });

  it('lists the pull request it opened, and the others as not finished or not reached', () => {
    const pulls = JSON.parse(cancelled.run.outputs['pull-requests']!) as { number: number; action: string }[];
    expect(pulls).toEqual([expect.objectContaining({ number: 1, action: 'created' })]);
    const updates = JSON.parse(cancelled.run.outputs.updates!) as {
      release: string;
      pullRequest: { action: string; number?: number; reason?: string };
    }[];
    expect(updates.map((u) => [u.release, u.pullRequest.action, u.pullRequest.number])).toEqual([
      ['apps/a', 'created', 1],
      ['apps/b', 'failed', undefined],
      ['apps/c', 'failed', undefined],
    ]);
  });

  it('heads the job summary as cancelled and says what it finished and what it left', () => {
    expect(cancelled.run.summary).toMatch(/^## HelmRelease image updates \(cancelled\)$/m);
    expect(cancelled.run.summary).toContain(
      '**Cancelled** (SIGINT): this run stopped part way. Finished: 1 pull request opened or updated, as listed below. ' +
        'Left for the next run: 1 pull request stopped part way, 1 pull request not reached (the run was cancelled).',
    );
    // The second one's branch was made before its pull request's creation was abandoned: kept,
    // and said so (the next run opens its pull request from it, or finds it opened).
    expect(cancelled.run.summary).toMatch(
      /### Failed to write\n\n- .*apps\/b\.yaml.*<br>stopped part way: POST \/repos\/acme\/gitops\/pulls was abandoned unanswered: the run was cancelled; the branch helmrelease-image-updater\/apps\/b\/chart-image-\w+ created for it was kept: the next run opens its pull request from it, or finds it opened\n/,
    );
    expect(cancelled.run.summary).toMatch(
      /### Not reached: the run was cancelled\n\n- .*apps\/c\.yaml.*<br>not reached: the run was cancelled; the next run writes it\n/,
    );
  });
});

e2eDescribe()('the Action signalled twice', () => {
  // The runner's SIGTERM, or a person who will not wait: right after the SIGINT.
  const cancelled = useCancelledMidway(['SIGINT', 'SIGTERM']);

  it('ends at once, with the status of the second signal, before the first one’s report', () => {
    expect(cancelled.run.exitCode).toBe(143);
    // Well before the in-flight call is abandoned (1.5 s): the second signal did not wait for it.
    expect(cancelled.afterSignalMs).toBeLessThan(1500);
    expect(cancelled.run.stdout).toContain('Received SIGTERM after SIGINT: ending at once.');
    expect(cancelled.afterSignal).toEqual([]);
  });
});

e2eDescribe()('the Action cancelled while a registry is slow to answer', () => {
  let registry: SyntheticRegistry;
  let standIn: GitHubStandIn;
  let dir: string;
  let runnerTemp: string;
  let run: ActionRun;
  let afterSignalMs = -1;

  beforeAll(async () => {
    // One repository answers; the other's tag listing never does.
    registry = await startSyntheticRegistry({
      repositories: {
        'fast/app': { tags: { '1.0.0': '2024-01-01T00:00:00Z', '1.1.0': '2024-02-01T00:00:00Z' } },
        'slow/app': { tags: { '1.0.0': '2024-01-01T00:00:00Z', '1.1.0': '2024-02-01T00:00:00Z' } },
      },
      hang: (request) => request.path.includes('/slow/'),
    });
    standIn = await startGitHubStandIn();
    const files = Object.fromEntries(
      ['fast', 'slow'].map((name) => [
        `apps/${name}.yaml`,
        helmRelease({ name, values: [`image: ${registry.host}/${name}/app:1.0.0`] }),
      ]),
    );
    await standIn.createRepository('acme', 'gitops', files);
    dir = await mkdtemp(join(tmpdir(), 'e2e-cancel-registry-'));
    runnerTemp = await mkdtemp(join(tmpdir(), 'e2e-cancel-temp-'));
    await writeFiles(dir, files);
    let signalledAt = 0;
    run = await runAction({
      workspace: dir,
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      runnerTemp,
      timeoutMs: 30_000,
      started: (child) => {
        const waiting = setInterval(() => {
          if (!registry.log.some((r) => r.path.includes('/slow/'))) return;
          clearInterval(waiting);
          signalledAt = Date.now();
          child.kill('SIGINT');
        }, 20);
        child.on('exit', () => {
          clearInterval(waiting);
          afterSignalMs = Date.now() - signalledAt;
        });
      },
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([registry?.stop(), standIn?.stop()]);
    for (const folder of [dir, runnerTemp]) if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('stops waiting for the registry, writes no pull request, and says what it did not check', async () => {
    expect(run.exitCode).toBe(1);
    expect(afterSignalMs).toBeGreaterThan(0);
    expect(afterSignalMs).toBeLessThan(RUNNER_SIGTERM_AFTER_MS);
    expect(standIn.pulls('acme', 'gitops')).toEqual([]);
    expect(standIn.writeRequests()).toEqual([]);
    expect(run.summary).toMatch(/^## HelmRelease image updates \(cancelled\)$/m);
    // The other repository's answers may or may not have come before the signal.
    expect(run.summary).toMatch(
      /Left for the next run: .*[12] containers? not checked \(the run was cancelled\)/,
    );
    expect(run.summary).toMatch(/could not check .*slow\/app: .*the run was cancelled/);
    const problems = JSON.parse(run.outputs.problems!) as { file: string; message: string }[];
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'apps/slow.yaml',
        message: expect.stringMatching(/the run was cancelled/),
      }),
    );
    // No digest cache written: the folder holds what it held (nothing was restored here).
    expect(await readdir(join(runnerTemp, 'helmrelease-image-updater')).catch(() => [])).toEqual([]);
  });
});

/** A moment of the Actions cache's work at which the run is cancelled, and what it must leave. */
interface CacheCase {
  name: string;
  /** The cache service: settle `asked` at the request the signal is sent at, answering or not. */
  service: (request: IncomingMessage, response: ServerResponse, asked: () => void) => void;
  check: (run: ActionRun, afterSignalMs: number, standIn: GitHubStandIn) => void;
}

const CACHE_CASES: CacheCase[] = [
  {
    // Before anything else: the report cannot be ready within its deadline.
    name: 'while the cache service holds its restore: a short summary that claims nothing, at the deadline',
    service: (_request, _response, asked) => asked(),
    check: (run, afterSignalMs, standIn) => {
      // The report's deadline (5 s), well before the runner's SIGTERM.
      expect(afterSignalMs).toBeGreaterThan(4500);
      expect(afterSignalMs).toBeLessThan(RUNNER_SIGTERM_AFTER_MS);
      expect(run.summary).toMatch(
        /^## HelmRelease image updates \(cancelled\)\n\n> \[!WARNING\]\n> \*\*Cancelled\*\* \(SIGINT\) before this run could list what it did\./,
      );
      expect(run.outputs).toEqual({});
      expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        expect.stringMatching(/^Cancelled \(SIGINT\): /),
      ]);
      expect(standIn.writeRequests()).toEqual([]);
    },
  },
  {
    // No entry to restore; the save, after the report, is never answered.
    name: 'once its report is out, while the cache service holds its save: the report kept whole',
    service: (request, response, asked) => {
      if (request.method === 'GET') response.writeHead(204).end();
      else asked();
    },
    check: (run, afterSignalMs) => {
      expect(afterSignalMs).toBeLessThan(RUNNER_SIGTERM_AFTER_MS);
      expect(run.summary).toMatch(/^## HelmRelease image updates\n/);
      expect(JSON.parse(run.outputs['pull-requests']!)).toHaveLength(3);
      expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        'Cancelled (SIGINT) after the job summary and outputs were written, which are complete; a digest cache not saved by then is left to the next run.',
      ]);
    },
  },
];

e2eDescribe().each(CACHE_CASES.map((c) => [c.name, c] as const))('the Action cancelled %s', (_name, c) => {
  let cacheService: Server;
  let registry: RegistryServer;
  let standIn: GitHubStandIn;
  let dir: string;
  let run: ActionRun;
  let afterSignalMs = -1;
  const asked = settled();

  beforeAll(async () => {
    cacheService = createServer((request, response) => c.service(request, response, asked.settle));
    await new Promise<void>((resolve) => cacheService.listen(0, '127.0.0.1', resolve));
    const { port } = cacheService.address() as AddressInfo;
    [registry, standIn] = await Promise.all([startRegistry({ auth: 'open' }), startGitHubStandIn()]);
    const files = await threeReleases(registry);
    await standIn.createRepository('acme', 'gitops', files);
    dir = await mkdtemp(join(tmpdir(), 'e2e-cancel-cache-'));
    await writeFiles(dir, files);
    let signalledAt = 0;
    run = await runAction({
      workspace: dir,
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      env: { ACTIONS_CACHE_URL: `http://127.0.0.1:${port}/`, ACTIONS_RUNTIME_TOKEN: 'runtime-token' },
      timeoutMs: 30_000,
      started: (child) => {
        void asked.promise.then(() => {
          signalledAt = Date.now();
          child.kill('SIGINT');
        });
        child.on('exit', () => (afterSignalMs = Date.now() - signalledAt));
      },
    });
  }, 120_000);

  afterAll(async () => {
    cacheService?.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => cacheService?.close(resolve)),
      registry?.stop(),
      standIn?.stop(),
    ]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fails with one line saying when the signal came, before the runner’s SIGTERM', () => {
    expect(afterSignalMs).toBeGreaterThan(0);
    expect(run.exitCode).toBe(1);
    c.check(run, afterSignalMs, standIn);
  });
});
