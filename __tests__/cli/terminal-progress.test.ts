/**
 * The CLI's progress on a terminal (a pseudo-terminal made by util-linux's `script`; skipped where
 * it is missing), run from its source (src/cli.ts under tsx) against a registry that never answers.
 * Ctrl-C clears the live progress line, so the shell's prompt starts on a clean row, and the CLI
 * still ends of the signal (status 130 to the shell); before, the line was left with the prompt
 * after it: `Registries: 0/1 repositories (3 s)$ `. A terminal that obeys no escape sequence gets
 * none.
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

/**
 * Runs the CLI on a pseudo-terminal whose TERM is `term`, waits until its output holds `waitFor`
 * and then `afterMs` more, and sends it SIGINT (Ctrl-C); returns its status and all it printed.
 */
async function interruptOnTerminal(
  term: string,
  waitFor: string,
  afterMs = 0,
): Promise<{ status: number | null; output: string }> {
  const pidFile = join(workspace, 'cli.pid');
  // `script -e` exits with the command's status; the shell writes its pid, then becomes the CLI.
  const command = 'echo $$ > "$PID_FILE"; exec "$NODE" --import "$LOADER" "$CLI" --dir "$DIR" --no-cache';
  const child = spawn('script', ['-qfec', `sh -c '${command}'`, '/dev/null'], {
    env: {
      ...baseEnvironment(),
      HOME: workspace,
      TERM: term,
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
  while (!output.includes(waitFor) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(output).toContain(waitFor);
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGINT');
  return { status: await exited, output };
}

(hasScript ? describe : describe.skip)('the CLI on a terminal, while a registry is asked', () => {
  it('Ctrl-C clears the live line and ends the CLI of the signal (130)', async () => {
    const { status, output } = await interruptOnTerminal('xterm', 'Registries: 0/1');
    expect({ status, end: output.slice(output.lastIndexOf('Registries:')) }).toEqual({
      status: 130,
      // The line, then a carriage return and an erase of the line, and nothing after.
      end: expect.stringMatching(new RegExp(String.raw`^Registries: 0/1 repositories \(\d+ s\)\r\x1b\[2K$`)),
    });
  }, 30_000);

  // A terminal that obeys no escape sequence (TERM=dumb: Emacs's shell, some CI consoles) showed
  // the live line's erase as text, a second at a time: it gets the lines a log gets instead.
  it('with TERM=dumb, prints no escape sequence', async () => {
    const { status, output } = await interruptOnTerminal('dumb', 'Querying 1 repository', 1500);
    expect({ status, escapes: output.includes('\x1b') }).toEqual({ status: 130, escapes: false });
  }, 30_000);
});
