/**
 * A docker config that is not valid JSON is reported without a character of its text: from Node 22
 * on, V8's `JSON.parse` message quotes about ten characters around the bad token, a piece of a
 * password that no mask covers (the runner masks the whole value, or nothing of a file). The message
 * differs between Node versions, so each case runs in a fresh process (the sources, through tsx)
 * under each Node runtime (see __tests__/e2e/e2e-gate.ts), Node 24 (the Action's) among them.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { baseEnvironment, REPOSITORY_ROOT, runNode } from '../../test-support/e2e/child-process.js';
import { e2eRuntimes } from '../e2e/e2e-gate.js';

const DOCKER_CONFIG = pathToFileURL(join(REPOSITORY_ROOT, 'src', 'registry', 'docker-config.ts')).href;

/** No three characters of it occur in English text or in the messages. */
const SECRET = 'Zq7#Xv9!Kp2$Wm';

/** Each broken config puts the secret right at (or next to) the position JSON.parse complains about. */
const CASES: Array<[string, string, string]> = [
  ['single-quoted', `'${SECRET}'`, 'line 1, column 65: a single quote where JSON needs a double quote'],
  [
    'unquoted',
    SECRET,
    'line 1, column 65: expected a value (a quoted string, number, true, false, null, object or array)',
  ],
  [
    'a quote inside',
    `"Zq7#"Xv9!Kp2$Wm"`,
    'line 1, column 71: expected "," or "}" (a comma or a quote missing?)',
  ],
  [
    'a backslash inside',
    `"Zq7#\\Xv9!Kp2$Wm"`,
    'line 1, column 70: a backslash that starts no valid escape (write \\\\ for a backslash)',
  ],
  [
    'a line break inside',
    `"Zq7#\nXv9!Kp2$Wm"`,
    'line 1, column 70: a line break or other control character inside a string (a quote missing?)',
  ],
  ['cut off after it', `"${SECRET}`, 'line 1, column 83: a string that is never closed'],
];

/** The config with `password` written as given (not JSON-encoded). */
const brokenConfig = (password: string): string =>
  `{"auths":{"registry.example.com":{"username":"alice","password":${password}}}}`;

/** Every three characters of the secret, so a failure shows which piece leaked. */
const pieces = (secret: string): string[] =>
  Array.from({ length: secret.length - 2 }, (_, i) => secret.slice(i, i + 3));

for (const { runtime, describe: describeUnder } of e2eRuntimes('cli')) {
  describeUnder(`a broken docker config under ${runtime.label}`, () => {
    let dir: string;
    /** Case name -> the messages of the file, then of DOCKER_AUTH_CONFIG. */
    let messages: Record<string, string[]>;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'docker-config-secrets-'));
      for (const [name, password] of CASES)
        await writeFile(join(dir, `${name}.json`), brokenConfig(password));
      const script = join(dir, 'probe.mts');
      await writeFile(
        script,
        `import { readDockerConfig } from ${JSON.stringify(DOCKER_CONFIG)};\n` +
          `const cases = ${JSON.stringify(CASES.map(([name, password]) => [name, brokenConfig(password)]))};\n` +
          'const out = {};\n' +
          'for (const [name, text] of cases) {\n' +
          `  const path = ${JSON.stringify(dir)} + '/' + name + '.json';\n` +
          '  const read = await readDockerConfig(() => undefined, { path, env: { DOCKER_AUTH_CONFIG: text } });\n' +
          '  out[name] = read.problems.map((p) => p.message);\n' +
          '}\n' +
          'process.stdout.write(JSON.stringify(out));\n',
      );
      const run = await runNode(script, [], {
        env: { ...baseEnvironment(), NODE_OPTIONS: '--import tsx' },
        cwd: REPOSITORY_ROOT,
        node: runtime.execPath,
      });
      expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
      messages = JSON.parse(run.stdout);
    });

    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it.each(CASES)(
      'password %s: the place and the kind of mistake, no piece of it',
      (name, _password, where) => {
        const file = join(dir, `${name}.json`);
        const reported = messages[name]!;
        expect(pieces(SECRET).filter((piece) => reported.some((m) => m.includes(piece)))).toEqual([]);
        expect(reported).toEqual([
          `The docker config ${file} is not valid JSON (${where}); registries are accessed anonymously.`,
          `The docker config DOCKER_AUTH_CONFIG is not valid JSON (${where}); registries are accessed anonymously.`,
        ]);
      },
    );
  });
}
