import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import {
  FRONT_RT_PRIORITY,
  frontPriorityChoice,
  raiseToRealtime,
  renderFrontPriority,
} from '../../scripts/bench/front-priority.js';
import { statFields } from '../../scripts/bench/registry-side-cpu.js';

describe('frontPriorityChoice', () => {
  it.each<[string, string[], boolean, string]>([
    ['from memory, no flag: real-time', ['--issue-corpus'], true, 'realtime'],
    ['from the local registry, no flag: normal', ['--issue-corpus'], false, 'normal'],
    ['from memory, asked normal', ['--front-priority=normal'], true, 'normal'],
    ['from memory, asked real-time', ['--front-priority=realtime'], true, 'realtime'],
    [
      'asked without the registry from memory',
      ['--front-priority=realtime'],
      false,
      'Error: --front-priority runs only with --registry-from-memory',
    ],
    [
      'a value of neither kind',
      ['--front-priority=fifo'],
      true,
      'Error: --front-priority: "fifo" is neither realtime nor normal',
    ],
    ['no value', ['--front-priority'], true, 'Error: --front-priority: "" is neither realtime nor normal'],
    ['a flag that only starts alike', ['--front-priority-x=normal'], true, 'realtime'],
  ])('%s', (_name, argv, fromMemory, expected) => {
    expect(String(frontPriorityChoice(argv, fromMemory))).toBe(expected);
  });
});

/** The scheduling policy of a thread (SCHED_OTHER 0, SCHED_FIFO 1), from /proc's stat. */
function policyOf(pid: number, tid: number = pid): number {
  // policy is field 41 of proc(5).
  return Number(statFields(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))[41 - 3]);
}

const threadsOf = (pid: number) => readdirSync(`/proc/${pid}/task`).map(Number);

describe('raiseToRealtime', () => {
  // A process that, told to on its stdin, starts a child and prints the child's pid.
  const SPAWNER = `
    const { spawn } = require('node:child_process');
    process.stdin.on('data', () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
      process.stdout.write(child.pid + '\\n');
    });
    process.stdout.write('ready\\n');`;
  let spawner: ChildProcess;
  const started: number[] = [];

  beforeEach(async () => {
    spawner = spawn(process.execPath, ['-e', SPAWNER], { stdio: ['pipe', 'pipe', 'inherit'] });
    await once(spawner.stdout!, 'data');
  });
  afterEach(() => {
    for (const pid of started.splice(0)) process.kill(pid);
    spawner.kill();
  });

  const startChild = async (): Promise<number> => {
    spawner.stdin!.write('go\n');
    const [data] = (await once(spawner.stdout!, 'data')) as [Buffer];
    const pid = Number(String(data).trim());
    started.push(pid);
    return pid;
  };

  const permitted = process.platform === 'linux' && process.getuid?.() === 0;

  (permitted ? it : it.skip)(
    'raises every thread to SCHED_FIFO; what it then starts runs at the normal policy; restore undoes it',
    async () => {
      const raised = await raiseToRealtime(spawner.pid!);
      expect(raised).toMatchObject({ ok: true, threads: threadsOf(spawner.pid!).length });
      for (const tid of threadsOf(spawner.pid!)) expect(policyOf(spawner.pid!, tid)).toBe(1);
      const child = await startChild();
      for (const tid of threadsOf(child)) expect(policyOf(child, tid)).toBe(0);
      if (raised.ok) await raised.restore();
      for (const tid of threadsOf(spawner.pid!)) expect(policyOf(spawner.pid!, tid)).toBe(0);
    },
  );

  it('says why when a thread cannot be raised, and puts back those it raised', async () => {
    const calls: string[][] = [];
    const threads = threadsOf(spawner.pid!);
    const raised = await raiseToRealtime(spawner.pid!, async (file, args) => {
      calls.push([file, ...args]);
      // The second thread refuses, as chrt does without the right to.
      if (args.includes('--fifo') && args.at(-1) === String(threads[1]))
        throw Object.assign(new Error('Command failed'), {
          stderr: `chrt: failed to set pid ${threads[1]}'s policy: Operation not permitted\n`,
        });
    });
    expect(raised).toEqual({
      ok: false,
      reason: `chrt could not raise thread ${threads[1]}: chrt: failed to set pid ${threads[1]}'s policy: Operation not permitted`,
    });
    expect(calls).toEqual([
      ['chrt', '--reset-on-fork', '--fifo', '--pid', String(FRONT_RT_PRIORITY), String(threads[0])],
      ['chrt', '--reset-on-fork', '--fifo', '--pid', String(FRONT_RT_PRIORITY), String(threads[1])],
      ['chrt', '--other', '--pid', '0', String(threads[0])],
    ]);
  });
});

describe('renderFrontPriority', () => {
  it.each([
    {
      name: 'asked normal',
      text: renderFrontPriority('normal', undefined),
      expected:
        "The front ran at the normal policy (--front-priority=normal), beside the runs' own threads.\n",
    },
    {
      name: 'raised',
      text: renderFrontPriority('realtime', { ok: true, threads: 11, restore: async () => undefined }),
      expected:
        'The front ran at real-time priority (SCHED_FIFO 10, 11 threads, reset on fork: the runs themselves ' +
        'at the normal policy), so that it answers when its 20 ms are up, as a remote registry does, not ' +
        "after the CLI's threads leave a core.\n",
    },
    {
      name: 'asked, but not permitted',
      text: renderFrontPriority('realtime', { ok: false, reason: 'chrt could not raise thread 7: denied' }),
      expected:
        'The front ran at the normal policy: real-time priority was asked for, but chrt could not raise ' +
        'thread 7: denied.\n',
    },
  ])('$name', ({ text, expected }) => {
    expect(text).toBe(expected);
  });
});
