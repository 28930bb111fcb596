/**
 * Ctrl-C while the CLI waits for a registry, on a terminal (a pseudo-terminal made by util-linux's
 * `script`; skipped where it is missing): the live progress line is cleared, so the shell's prompt
 * starts on a clean row, and the CLI still ends of the signal (status 130 to the shell). It ran
 * from its source (src/cli.ts under tsx). Before, the line was left with the prompt after it:
 * `Registries: 0/1 repositories (3 s)$ `.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnvironment, REPOSITORY_ROOT, tsxLoader } from '../../test-support/e2e/child-process.js';

const hasScript = spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status === 0;
if (!hasScript)
  console.warn('util-linux `script` is not installed, so the Ctrl-C test on a terminal is skipped');

/** A registry that answers /v2/ and then never answers a tag list. */
let registry: Server;
let workspace: string;
beforeAll(async () => {
  registry = createServer((request, response) => {
    if (request.url === '/v2/') response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  const { port } = registry.address() as AddressInfo;
  workspace = await mkdtemp(join(tmpdir(), 'cli-interrupt-'));
  await writeFile(
    join(workspace, 'app.yaml'),
    [
      'apiVersion: helm.fluxcd.io/v1',
      'kind: HelmRelease',
      'metadata:',
      '  name: app',
      '  annotations:',
      '    fluxcd.io/automated: "true"',
      'spec:',
      '  chart:',
      '    repository: https://charts.example.com',
      '    name: app',
      '    version: 1.0.0',
      '  values:',
      '    image:',
      `      repository: 127.0.0.1:${port}/team/app`,
      '      tag: 1.0.0',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  registry.closeAllConnections();
  await new Promise((resolve) => registry.close(resolve));
  await rm(workspace, { recursive: true, force: true });
});

(hasScript ? describe : describe.skip)('Ctrl-C on a terminal, while a registry is asked', () => {
  it('clears the live line and ends of the signal (130)', async () => {
    const pidFile = join(workspace, 'cli.pid');
    // `script -e` exits with the command's status; the shell writes its pid, then becomes the CLI.
    const command = 'echo $$ > "$PID_FILE"; exec "$NODE" --import "$LOADER" "$CLI" --dir "$DIR" --no-cache';
    const child = spawn('script', ['-qfec', `sh -c '${command}'`, '/dev/null'], {
      env: {
        ...baseEnvironment(),
        HOME: workspace,
        TERM: 'xterm',
        PID_FILE: pidFile,
        NODE: process.execPath,
        LOADER: tsxLoader(),
        CLI: join(REPOSITORY_ROOT, 'src', 'cli.ts'),
        DIR: workspace,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (!output.includes('Registries: 0/1') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(output).toContain('Registries: 0/1');
    process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGINT');
    const status = await exited;
    expect({ status, end: output.slice(output.lastIndexOf('Registries:')) }).toEqual({
      status: 130,
      // The line, then a carriage return and an erase of the line, and nothing after.
      end: expect.stringMatching(new RegExp(String.raw`^Registries: 0/1 repositories \(\d+ s\)\r\x1b\[2K$`)),
    });
  }, 30_000);
});
