/**
 * With NODE_USE_ENV_PROXY=1 (Node 24's switch for the proxies of the environment) the registry's
 * connections go through undici's EnvHttpProxyAgent, which warns on stderr, once per process, that
 * it is experimental: in the Action, a line in every proxied run's log. So each case runs in a fresh
 * process (the sources, through tsx), under each Node runtime (see __tests__/e2e/e2e-gate.ts).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { baseEnvironment, REPOSITORY_ROOT, runNode } from '../../test-support/e2e/child-process.js';
import { nodeWarnings } from '../../test-support/e2e/node-runtimes.js';
import { e2eRuntimes } from '../e2e/e2e-gate.js';

const CONNECTIONS = pathToFileURL(join(REPOSITORY_ROOT, 'src', 'registry', 'http-connections.ts')).href;

for (const { runtime, describe: describeUnder } of e2eRuntimes('cli')) {
  describeUnder(`registry connections under ${runtime.label}`, () => {
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'env-proxy-warning-'));
    });

    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it.each([
      ['NODE_USE_ENV_PROXY=1 and a proxy', { NODE_USE_ENV_PROXY: '1', HTTPS_PROXY: 'http://127.0.0.1:9' }],
      ['NODE_USE_ENV_PROXY=1 without one', { NODE_USE_ENV_PROXY: '1' }],
      ['no NODE_USE_ENV_PROXY', { HTTPS_PROXY: 'http://127.0.0.1:9' }],
    ])('%s: no warning of undici on stderr, and other warnings still print', async (name, env) => {
      const script = join(dir, `${name.replace(/\W+/g, '-')}.mts`);
      await writeFile(
        script,
        `import { Connections } from ${JSON.stringify(CONNECTIONS)};\n` +
          `new Connections(2, ${JSON.stringify(env)});\n` +
          `process.emitWarning('a later warning', { code: 'HRIU-LATER' });\n`,
      );
      const run = await runNode(script, [], {
        env: { ...baseEnvironment(), NODE_OPTIONS: '--import tsx' },
        cwd: REPOSITORY_ROOT,
        node: runtime.execPath,
      });
      expect({ exitCode: run.exitCode, warnings: nodeWarnings(run.stderr) }).toEqual({
        exitCode: 0,
        warnings: [expect.stringMatching(/^\(node:\d+\) \[HRIU-LATER\] Warning: a later warning$/)],
      });
    });
  });
}
