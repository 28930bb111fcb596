/**
 * End to end: hostile text cannot issue a workflow command through the Action's log. The
 * runner reads every line a step prints (test-support/e2e/runner-commands.ts reads them its way);
 * here a registry's error body, a GitHub error message and a HelmRelease file's name each carry
 * lines that would set an output, forge an error annotation on another file or stop command
 * processing, and the only commands in the log are the ones the Action issues itself. The Action
 * runs from its source (`src/index.ts` under tsx) as the runner starts it, so the test needs no
 * rebuilt `dist/`.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { runnerCommands } from '../../test-support/e2e/runner-commands.js';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { startFrontProxy, type FrontProxy } from '../../test-support/registry/front-proxy.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry/registry-server.js';
import { seedMany } from '../../test-support/registry/seed.js';
import { helmRelease } from '../reliability/support.js';
import { e2eDescribe } from './e2e-gate.js';
import { writeFiles } from './fixture-repository.js';

/** Lines that would each do something to the step if the runner took them for commands. */
const INJECTED = [
  '::set-output name=updates::[]',
  '::error file=.github/workflows/ci.yml,line=1,title=forged::forged annotation',
  '::stop-commands::hostile-token',
  '  ##[set-output name=pull-requests;][]',
].join('\n');

/** A name with terminal controls, written with YAML's escapes: concealed text, a window title, a CR. */
const CONTROLS = String.raw`\e[8mconcealed\e]0;retitled\a\rover`;

/** The commands the Action issues itself. */
const OURS = new Set(['add-mask', 'group', 'endgroup', 'warning', 'error', 'notice']);

e2eDescribe()('hostile text in the Action’s log', () => {
  let registry: RegistryServer;
  let front: FrontProxy;
  let standIn: GitHubStandIn;
  let dir: string;
  let run: ActionRun;

  beforeAll(async () => {
    [registry, standIn] = await Promise.all([startRegistry({ auth: 'open' }), startGitHubStandIn()]);
    await seedMany(registry, [
      { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
      { path: 'team/app', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
    ]);
    // A registry whose error body holds the lines.
    front = await startFrontProxy({
      target: registry.url,
      faults: [
        {
          pathIncludes: '/team/broken/',
          action: {
            status: 404,
            body: JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: `gone\n${INJECTED}` }] }),
          },
        },
      ],
    });
    const base = {
      'apps/app.yaml': helmRelease({ name: 'app', values: [`image: ${registry.host}/team/app:1.0.0`] }),
      'apps/broken.yaml': helmRelease({ name: 'broken', values: [`image: ${front.host}/team/broken:1.0.0`] }),
      // A kustomization naming a remote component by terminal controls: the release it builds is held,
      // and the error at the kustomization quotes the name.
      'held/app.yaml': helmRelease({ name: 'held', values: [`image: ${registry.host}/team/app:1.0.0`] }),
      'held/kustomization.yaml': `resources: [app.yaml]\ncomponents: ["https://example.com/${CONTROLS}"]\n`,
    };
    await standIn.createRepository('acme', 'gitops', base);
    // GitHub refusing the pull request with the lines in its message.
    standIn.injectFault({
      operationId: 'pulls/create',
      kind: { status: 422, message: `Validation Failed\n${INJECTED}` },
    });
    dir = await mkdtemp(join(tmpdir(), 'e2e-commands-'));
    await writeFiles(dir, {
      ...base,
      // A file named with the lines, in the checkout but not on the base branch.
      [`apps/new\n${INJECTED}\n.yaml`]: helmRelease({
        name: 'new',
        values: [`image: ${registry.host}/team/app:1.0.0`],
      }),
    });
    run = await runAction({
      workspace: dir,
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs: { 'fail-on-error': 'false' },
      fromSource: true,
    });
  }, 120_000);

  afterAll(async () => {
    await front?.stop();
    await Promise.all([registry?.stop(), standIn?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('printed the hostile text (so there was something to take for a command)', () => {
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('set-output name=updates::[]');
    expect(run.stdout).toContain('stop-commands::hostile-token');
    expect(standIn.pulls('acme', 'gitops')).toEqual([]);
  });

  it('leaves only the commands the Action issues itself', () => {
    // The runner reads stderr for commands as well; the Action writes nothing there itself.
    expect(runnerCommands(run.stderr)).toEqual([]);
    const commands = runnerCommands(run.stdout);
    expect(commands.filter((c) => !OURS.has(c.name)).map((c) => c.line)).toEqual([]);
    expect(commands.filter((c) => c.data === 'forged annotation').map((c) => c.line)).toEqual([]);
    // Every annotation after the first (our own) is still read: nothing stopped the commands.
    expect(commands.filter((c) => c.name === 'warning' || c.name === 'error').length).toBe(
      run.annotations.length,
    );
  });

  it('shows terminal controls from the repository as escapes, in plain lines and annotations alike', () => {
    const held = run.annotations.find((a) => a.message.includes('the component'));
    expect(held?.message).toContain(
      'the component https://example.com/\\u001b[8mconcealed\\u001b]0;retitled\\u0007\\u000dover in',
    );
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/[\u001b\u0007]/);
  });

  it('keeps the outputs the Action set', () => {
    expect(JSON.parse(run.outputs.updates)).toHaveLength(2);
  });
});
