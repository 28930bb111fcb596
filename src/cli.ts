/**
 * The local CLI's shell: plan against the real registries from a local checkout. It never talks
 * to GitHub and never needs a token. Exit status: 0 when the plan was made, 1 when any problem is
 * an error (an image not checked, a release held back by a mistake), 2 for bad usage, 3 for a
 * failure nothing expected (a bug, unexpected-failure.ts).
 */
import { opendir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import packageJson from '../package.json' with { type: 'json' };
import { inertTerminalText } from './adapters/inert-terminal-text.js';
import { liveProgress, periodicProgress } from './adapters/progress-sinks.js';
import { setUpRegistry } from './adapters/registry-setup.js';
import { cliLoginAdvice } from './login-advice.js';
import { createWorkspaceFiles } from './adapters/workspace-files.js';
import { writeWorkspaceFile } from './adapters/write-workspace-file.js';
import { writeEdits } from './adapters/write-edits.js';
import { ProxySettingError } from './registry/http-connections.js';
import { ghcrToken } from './registry/registry-endpoint.js';
import { makeDirectories } from './registry/make-directories.js';
import type { ProgressLog } from './ports.js';
import { containersOutput, problemsOutput, updatesOutput } from './report/outputs.js';
import { renderPlanText } from './report/plan-text.js';
import { plural } from './plural.js';
import { runUpdate } from './run-update.js';
import { ineffectiveInputs } from './ineffective-inputs.js';
import { InputError, parseSettings } from './settings.js';
import { explainCommand } from './cli-explain.js';
import { checkoutAbove, subfolderRefusal } from './cli-checkout-root.js';
import { UNEXPECTED_FAILURE_STATUS, unexpectedFailureText } from './unexpected-failure.js';
import { checkExplainFlags, CLI_DEFAULTS, HELP, parseArgs, usageMessage, type CliArgs } from './cli-args.js';

/**
 * Prints to stdout or stderr. The report quotes files and registries, so a control character in
 * it is shown as its escape rather than obeyed by the terminal (inert-terminal-text.ts).
 */
function print(stream: NodeJS.WriteStream, text: string): void {
  if (!readerGone.has(stream)) stream.write(inertTerminalText(text));
}

/**
 * The output streams whose reader has gone (`--json | head`: a pipe closed early). That is the
 * reader's choice, not a failure of the run: what is left to print is dropped, and the run ends
 * with its own status. Without this, the write's EPIPE reached the handler of uncaught errors,
 * which called it a bug and exited 3.
 */
const readerGone = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    readerGone.add(stream);
  });
}

/**
 * Whether this process has planned: the compile cache keeps what V8 compiled once a run has
 * (cli-compile-cache.ts), rather than what `--version` or `--help` compiled.
 */
let planned = false;

/** Whether this process has planned (see {@link planned}). */
export function ranAPlan(): boolean {
  return planned;
}

/** Runs the CLI and returns its exit status. */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let args: CliArgs;
  let settings;
  try {
    args = parseArgs(argv, env);
    if (args.help) {
      print(process.stdout, HELP);
      return 0;
    }
    if (args.version) {
      print(process.stdout, `helmrelease-image-updater ${packageJson.version}\n`);
      return 0;
    }
    checkExplainFlags(args);
    settings = parseSettings((name) => args.inputs.get(name)?.join('\n'), CLI_DEFAULTS);
    // Refused rather than ignored: whoever adds --dry-run expects no file to change.
    if (args.write && settings.dryRun) {
      throw new InputError('write', '--dry-run asks for no writes; leave out one of them');
    }
    // A mistyped --dir is bad usage, not a crash with a stack trace.
    const info = await stat(resolve(args.dir)).catch(() => undefined);
    if (!info?.isDirectory()) throw new InputError('dir', `${args.dir} is not a directory`);
    // So is one that cannot be listed (no permission): the run's listing would throw, and the
    // CLI would call that a bug (exit 3) where explain says the folder could not be listed.
    await opendir(resolve(args.dir)).then(
      (opened) => opened.close(),
      (e: Error) => {
        throw new InputError('dir', `${args.dir} could not be listed: ${e.message}`);
      },
    );
    if (!args.dirGiven && args.explain === undefined) {
      const root = await checkoutAbove(resolve(args.dir));
      if (root !== undefined) throw new Error(subfolderRefusal(resolve(args.dir), root));
    }
  } catch (e) {
    print(
      process.stderr,
      `helmrelease-image-updater: ${usageMessage(e)}\nRun with --help to list the flags.\n`,
    );
    return 2;
  }
  if (args.explain !== undefined) {
    return explainCommand(args.explain, args, settings, {
      stdout: (text) => print(process.stdout, text),
      stderr: (text) => print(process.stderr, text),
    });
  }
  const dir = resolve(args.dir);
  const log: ProgressLog = {
    info: (message) => {
      if (!args.json) print(process.stderr, `${message}\n`);
    },
    group: (_name, work) => work(),
  };
  const notices: string[] = [];
  const githubToken = ghcrToken(env.GITHUB_TOKEN, env.GITHUB_SERVER_URL);
  let registry: Awaited<ReturnType<typeof setUpRegistry>>;
  try {
    registry = await setUpRegistry(settings, {
      // The CLI prints no secrets; nothing to mask.
      maskSecret: () => undefined,
      onNotice: (message) => notices.push(message),
      // As in the Action: a GitHub Enterprise Server's token (GITHUB_SERVER_URL) is not ghcr.io's.
      ...(githubToken ? { githubToken } : {}),
      loginAdvice: cliLoginAdvice(settings.dockerConfig),
      ...(args.cacheFile ? { cacheFile: args.cacheFile } : {}),
      env,
      workspace: dir,
    });
  } catch (e) {
    // A setting of the environment or a flag (a --docker-config that names no file), like a bad
    // flag: a sentence, not a stack trace (which for a proxy URL would print its password).
    if (!(e instanceof ProxySettingError) && !(e instanceof InputError)) throw e;
    print(process.stderr, `helmrelease-image-updater: ${usageMessage(e)}\n`);
    return 2;
  }
  const workspaceFiles = createWorkspaceFiles(dir);
  // On a terminal, a live line on stderr (cleared at the end, so it mixes with --json too);
  // otherwise a line every few seconds, like the Action's log, unless stdout is JSON for a script.
  // A terminal that obeys no escape sequence (TERM=dumb: Emacs's shell) showed the line's redraws
  // as text, so it gets the lines.
  const liveTerminal = process.stderr.isTTY && env.TERM !== 'dumb';
  const progress = liveTerminal
    ? liveProgress({
        // Its own escape sequences redraw the line; its text is counts.
        write: (text) => process.stderr.write(text),
        columns: process.stderr.columns || 100,
      })
    : args.json
      ? undefined
      : periodicProgress({ write: (line) => print(process.stderr, `${line}\n`), intervalMs: 5000 });
  // Said in the CLI's terms: a user at a terminal has no job to add actions/checkout to, but may
  // have run it from the wrong folder.
  const noReleaseAdvice = `Check --paths, and that --dir names the checkout to scan (this run scanned ${dir}).`;
  // Ctrl-C while the live line is drawn clears it, so the shell's prompt starts on a clean row;
  // the signal is then raised again, with no listener left, so the CLI ends of it as it would have
  // (status 130 to the shell).
  const interrupted = (): void => {
    progress?.finish();
    process.kill(process.pid, 'SIGINT');
  };
  if (liveTerminal) process.once('SIGINT', interrupted);
  const report = await runUpdate(
    { ...settings, noReleaseAdvice },
    {
      workspace: workspaceFiles,
      registry: registry.client,
      log,
      ...(progress ? { progress } : {}),
    },
  );
  process.removeListener('SIGINT', interrupted);
  planned = true;
  // As in the Action: a workflow's settings tried here get its warnings too.
  report.problems.unshift(...ineffectiveInputs(settings), ...registry.problems, ...workspaceFiles.problems);
  await registry.saveCache();

  const written = args.write
    ? await writeEdits(report.plan.edits, (edit) =>
        writeWorkspaceFile(dir, edit.file, edit.before, edit.after),
      )
    : undefined;
  if (written) report.problems.push(...written.problems);
  if (args.json) {
    print(
      process.stdout,
      `${JSON.stringify(
        {
          containers: containersOutput(report),
          updates: updatesOutput(report),
          problems: problemsOutput(report.problems),
          notices,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    print(process.stdout, renderPlanText(report));
    for (const notice of notices) print(process.stderr, `${notice}\n`);
    if (written) print(process.stdout, `Wrote ${plural(written.files, 'file')}.\n`);
  }
  if (args.statsFile) {
    const stats = {
      counts: report.counts,
      timings: report.timings,
      requests: registry.client.stats,
      trustedTagDigests: registry.client.trustedTagDigests,
    };
    try {
      await makeDirectories(dirname(resolve(args.statsFile)));
      await writeFile(args.statsFile, JSON.stringify(stats, null, 2));
    } catch (e) {
      // A flag's value that cannot be used: one line and bad usage's status, not a stack trace
      // and the status of an image that could not be checked.
      print(
        process.stderr,
        `helmrelease-image-updater: --stats-file: ${args.statsFile} could not be written: ${(e as Error).message}\n`,
      );
      return 2;
    }
  }
  if (report.stopped) return 2;
  const failed = report.problems.some((p) => p.severity === 'error');
  return failed && settings.failOnError ? 1 : 0;
}

// An error nothing caught is a bug: said without its fields, which may hold a credential. One
// thrown from a timer or a promise nobody awaited ends the process the same way.
const failUnexpectedly = (thrown: unknown): void => {
  print(process.stderr, unexpectedFailureText(thrown));
  process.exit(UNEXPECTED_FAILURE_STATUS);
};
process.on('uncaughtException', failUnexpectedly);
process.on('unhandledRejection', failUnexpectedly);
process.exitCode = await main().catch((thrown: unknown) => {
  print(process.stderr, unexpectedFailureText(thrown));
  return UNEXPECTED_FAILURE_STATUS;
});
