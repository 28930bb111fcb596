/**
 * Whether the e2e suites can run: they need the bundles (`npm run build`) and the registry tools.
 * Missing tools skip them with a message, except in CI, where a missing tool or bundle fails.
 * The key scenarios also run under each Node runtime (`e2eRuntimes`); one that is not configured
 * is skipped the same way, and fails the same way in CI.
 */
import { describe, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../test-support/e2e/child-process.js';
import { listNodeRuntimes, type Bundle, type NodeRuntime } from '../../test-support/e2e/node-runtimes.js';
import { registryTestGate } from '../../test-support/registry/registry-server.js';

/** `describe`, or `describe.skip` with a printed reason when the suite cannot run here. */
export function e2eDescribe(): typeof describe | typeof describe.skip {
  const built = ['index.js', 'cli.js', 'cli-main.js'].every((f) =>
    existsSync(join(REPOSITORY_ROOT, 'dist', f)),
  );
  const gate = registryTestGate();
  const reasons = [
    ...(gate.available ? [] : [gate.message]),
    ...(built ? [] : ['dist/ is not built, so the e2e tests cannot run; run npm run build first']),
  ];
  if (reasons.length === 0) return describe;
  if (process.env.CI === 'true') {
    describe('e2e prerequisites', () => {
      it('are present in CI', () => {
        throw new Error(reasons.join('\n'));
      });
    });
  } else {
    console.warn(reasons.join('\n'));
  }
  return describe.skip;
}

/** A Node runtime with the `describe` to run its tests under: `describe.skip` when it is not configured. */
export interface E2eRuntime {
  runtime: NodeRuntime;
  describe: typeof describe | typeof describe.skip;
}

/**
 * The runtimes to run a key scenario of `bundle` under, each over the same test bodies:
 *
 *   for (const { runtime, describe: describeUnder } of e2eRuntimes('cli')) {
 *     describeUnder(`the CLI under ${runtime.label}`, () => { ... runCli(args, { node: runtime.execPath }) ... });
 *   }
 *
 * An unavailable runtime prints why and is skipped; in CI (`CI=true`; `.ci/run` sets the variables
 * itself) it adds a failing test instead, so a skip never passes for a run there.
 */
export function e2eRuntimes(
  bundle: Bundle,
  env: Record<string, string | undefined> = process.env,
): E2eRuntime[] {
  return listNodeRuntimes(bundle, env).map((runtime) => {
    if (runtime.unavailable === undefined) return { runtime, describe };
    if (env.CI === 'true') {
      describe(`e2e runtime ${runtime.label}`, () => {
        it(`is configured in CI (${runtime.variable})`, () => {
          throw new Error(runtime.unavailable);
        });
      });
    } else {
      console.warn(runtime.unavailable);
    }
    return { runtime, describe: describe.skip };
  });
}
