/**
 * Whether the e2e suites can run: they need the bundles (`npm run build`) and the registry tools.
 * Missing tools skip them with a message, except in CI, where a missing tool or bundle fails.
 */
import { describe, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../test-support/e2e/child-process.js';
import { registryTestGate } from '../../test-support/registry/registry-server.js';

/** `describe`, or `describe.skip` with a printed reason when the suite cannot run here. */
export function e2eDescribe(): typeof describe | typeof describe.skip {
  const built = ['index.js', 'cli.js'].every((f) => existsSync(join(REPOSITORY_ROOT, 'dist', f)));
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
