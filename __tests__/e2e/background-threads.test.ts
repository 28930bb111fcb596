/**
 * End to end: the built CLI and Action leave every thread at their main thread's priority, read
 * from /proc as each process exits. Rounds 29 and 30 lowered V8's worker threads 10 nice steps
 * below it, which took 2-4% off a run on an idle two-core machine (up to 15% off a CPU-bound
 * one); beside one or two busy processes the same runs took 14-57% longer (docs/performance.md,
 * round 31): the main thread waits at times for work a worker has taken, and a worker that low
 * got little of a contended core. Node 24 names V8's workers (`V8Worker`), so there the check
 * finds them.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../../test-support/e2e/run-action.js';
import { runCli } from '../../test-support/e2e/run-cli.js';
import { majorOf, type NodeRuntime } from '../../test-support/e2e/node-runtimes.js';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { helmRelease } from '../reliability/support.js';
import { e2eDescribe, e2eRuntimes } from './e2e-gate.js';

const describeE2e = e2eDescribe();

/** A thread as the hook reports it: its name, its nice value, and whether it is the main thread. */
interface ReportedThread {
  name: string;
  nice: number;
  main: boolean;
}

const MARK = 'THREADS ';

/** Node flags that print, as the process exits, each of its threads' name and nice value. */
const REPORTING_THREADS = [
  '--import',
  `data:text/javascript,${encodeURIComponent(
    [
      "import { readdirSync, readFileSync } from 'node:fs';",
      "process.on('exit', () => {",
      "  const threads = readdirSync('/proc/self/task').map((id) => {",
      "    const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');",
      '    return {',
      "      name: readFileSync(`/proc/self/task/${id}/comm`, 'utf8').trimEnd(),",
      // The fields after the name, in parentheses: the state is the third, the nice value the 19th.
      "      nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]),",
      '      main: Number(id) === process.pid,',
      '    };',
      '  });',
      `  process.stderr.write(${JSON.stringify(MARK)} + JSON.stringify(threads) + '\\n');`,
      '});',
    ].join('\n'),
  )}`,
];

function reportedThreads(stderr: string): ReportedThread[] {
  const line = stderr.split('\n').find((l) => l.startsWith(MARK));
  if (line === undefined) throw new Error(`no report of the threads on stderr:\n${stderr}`);
  return JSON.parse(line.slice(MARK.length)) as ReportedThread[];
}

/** Every thread of the report at its main thread's nice value, V8's workers among them on Node 24. */
function expectMainThreadsPriority(threads: readonly ReportedThread[], runtime: NodeRuntime): void {
  const major = runtime.major ?? majorOf(process.version);
  const main = threads.find((t) => t.main);
  // Node 24, the Action's runtime, names them: its check must not pass by finding none.
  if (major >= 24) expect(threads.some((t) => t.name === 'V8Worker')).toBe(true);
  expect(threads).toEqual(threads.map((t) => ({ ...t, nice: main!.nice })));
}

describeE2e("V8 worker threads at the main thread's priority", () => {
  let dir: string;
  let standIn: GitHubStandIn;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2e-threads-'));
    await mkdir(join(dir, 'workspace', '.git'), { recursive: true });
    await writeFile(join(dir, 'workspace', 'app.yaml'), helmRelease({ values: ['replicas: 2'] }));
    standIn = await startGitHubStandIn();
    await standIn.createRepository('acme', 'gitops', { 'README.md': 'x\n' });
  }, 30_000);

  afterAll(async () => {
    await standIn?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const { runtime, describe: describeUnder } of e2eRuntimes('cli')) {
    describeUnder(`the CLI under ${runtime.label}`, () => {
      it('leaves them there for a run that plans', async () => {
        const run = await runCli(['--dir', join(dir, 'workspace'), '--json', '--no-cache'], {
          node: runtime.execPath,
          nodeArgs: REPORTING_THREADS,
        });
        expect(run.exitCode).toBe(0);
        expectMainThreadsPriority(reportedThreads(run.stderr), runtime);
      });
    });
  }

  for (const { runtime, describe: describeUnder } of e2eRuntimes('action')) {
    describeUnder(`the Action under ${runtime.label}`, () => {
      it('leaves them there for a dry run', async () => {
        const run = await runAction({
          workspace: join(dir, 'workspace'),
          repository: 'acme/gitops',
          apiUrl: standIn.url,
          token: WRITE_TOKEN,
          inputs: { 'dry-run': 'true' },
          node: runtime.execPath,
          nodeArgs: REPORTING_THREADS,
        });
        expect(run.exitCode).toBe(0);
        expectMainThreadsPriority(reportedThreads(run.stderr), runtime);
      });
    });
  }
});
