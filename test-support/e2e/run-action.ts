/**
 * Runs the built Action (`dist/index.js`, or its source with `fromSource`) the way the GitHub Actions runner runs a `node24`
 * Action's `main`: a child process whose environment carries the step's inputs as `INPUT_<NAME>`
 * (defaults from `action.yml`, `${{ github.token }}` evaluated), the `GITHUB_*` context variables,
 * and the paths of the `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_ENV`, `GITHUB_PATH` and
 * `GITHUB_STATE` files, then reads those files back.
 *
 *   const run = await runAction({ workspace, repository: 'acme/gitops', apiUrl: standIn.url,
 *     token: WRITE_TOKEN, inputs: { 'dry-run': 'true' } });
 *   run.exitCode; run.outputs.updates; run.summary; run.annotations;
 *
 * Plain TypeScript without jest globals (the reliability suite reuses it under `tsx`).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnvironment, REPOSITORY_ROOT, runNode, tsxLoader } from './child-process.js';
import {
  inputEnvironment,
  parseAnnotations,
  parseOutputFile,
  readActionMetadata,
  type Annotation,
} from './workflow-commands.js';

/** How to run the Action. */
export interface RunActionOptions {
  /** The checkout (`GITHUB_WORKSPACE`, also the working directory). */
  workspace: string;
  /** `owner/name` (`GITHUB_REPOSITORY`). */
  repository: string;
  /** `GITHUB_API_URL`, e.g. the stand-in's URL. */
  apiUrl: string;
  /** `GITHUB_SERVER_URL`; default `https://github.com`. */
  serverUrl?: string;
  /** What `${{ github.token }}` evaluates to; default ''. */
  token?: string;
  /** The step's `with:` inputs (kebab-case names), over the defaults of `action.yml`. */
  inputs?: Record<string, string>;
  /** Extra environment variables (the step's `env:`), applied last. */
  env?: Record<string, string>;
  /** `GITHUB_RUN_ID`; default 1000. */
  runId?: string;
  /** `GITHUB_RUN_NUMBER`; default 1. */
  runNumber?: string;
  /** `RUNNER_TEMP`; default a fresh temporary folder, removed afterwards. */
  runnerTemp?: string;
  /** The Action's folder (holding `action.yml`); default this repository. */
  actionRoot?: string;
  /** Kill the process after this long; default 60 s. */
  timeoutMs?: number;
  /** The node binary (see node-runtimes.ts); default the one running the tests. */
  node?: string;
  /**
   * Run `src/index.ts` with tsx's loader instead of the bundle `runs.main` names, for tests of the
   * Action's shell that must not wait for a rebuilt `dist/`.
   */
  fromSource?: boolean;
  /** Flags for node before the script (after tsx's loader when `fromSource`). */
  nodeArgs?: readonly string[];
  /** Called with the process once it is spawned (to cancel it as the runner does: SIGINT, then SIGTERM). */
  started?: (child: ChildProcess) => void;
}

/** What the step left behind. */
export interface ActionRun {
  /** 0, or 1 after `core.setFailed`. */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The step's outputs, from `GITHUB_OUTPUT`. */
  outputs: Record<string, string>;
  /** The job summary Markdown, from `GITHUB_STEP_SUMMARY`. */
  summary: string;
  /** `::error`/`::warning`/`::notice` commands from stdout. */
  annotations: Annotation[];
  /** The environment the process ran with (for diagnosing a failure). */
  env: Record<string, string>;
}

/** Runs `runs.main` of `action.yml` as the runner would and collects its results. */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const actionRoot = options.actionRoot ?? REPOSITORY_ROOT;
  const metadata = readActionMetadata(join(actionRoot, 'action.yml'));
  const files = await mkdtemp(join(tmpdir(), 'e2e-step-'));
  const runnerTemp = options.runnerTemp ?? join(files, 'runner-temp');
  try {
    await mkdir(runnerTemp, { recursive: true });
    // An empty home: no ~/.docker/config.json of the machine running the tests leaks in.
    const home = join(files, 'home');
    await mkdir(home);
    const paths = {
      GITHUB_OUTPUT: join(files, 'output'),
      GITHUB_STEP_SUMMARY: join(files, 'step-summary'),
      GITHUB_ENV: join(files, 'env'),
      GITHUB_PATH: join(files, 'path'),
      GITHUB_STATE: join(files, 'state'),
    };
    for (const path of Object.values(paths)) await writeFile(path, '');
    const [owner = ''] = options.repository.split('/');
    const env: Record<string, string> = {
      ...baseEnvironment(),
      HOME: home,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION: 'helmrelease-image-updater',
      GITHUB_ACTOR: owner,
      GITHUB_REPOSITORY: options.repository,
      GITHUB_REPOSITORY_OWNER: owner,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_API_URL: options.apiUrl,
      GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
      GITHUB_SERVER_URL: options.serverUrl ?? 'https://github.com',
      GITHUB_RUN_ID: options.runId ?? '1000',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_RUN_NUMBER: options.runNumber ?? '1',
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_WORKFLOW: 'Update images',
      GITHUB_WORKFLOW_REF: `${options.repository}/.github/workflows/update-images.yml@refs/heads/main`,
      GITHUB_JOB: 'update',
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      ...paths,
      ...inputEnvironment(metadata, options.inputs ?? {}, options.token ?? ''),
      ...options.env,
    };
    const script = options.fromSource
      ? join(REPOSITORY_ROOT, 'src', 'index.ts')
      : join(actionRoot, metadata.runs.main);
    const result = await runNode(script, [], {
      env,
      cwd: options.workspace,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.node ? { node: options.node } : {}),
      ...(options.started ? { started: options.started } : {}),
      nodeArgs: [...(options.fromSource ? ['--import', tsxLoader()] : []), ...(options.nodeArgs ?? [])],
    });
    return {
      ...result,
      outputs: parseOutputFile(await readFile(paths.GITHUB_OUTPUT, 'utf8')),
      summary: await readFile(paths.GITHUB_STEP_SUMMARY, 'utf8'),
      annotations: parseAnnotations(result.stdout),
      env,
    };
  } finally {
    await rm(files, { recursive: true, force: true });
  }
}
