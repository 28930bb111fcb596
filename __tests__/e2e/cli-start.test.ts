/**
 * End to end: what the built CLI loads as it starts. Node's modules for HTTP/2, TLS and child
 * processes cost its start about 8 ms together (issue 17), and a run may need none of them, so
 * the bundle loads each when it is first needed (scripts/bundle-patches.mjs,
 * src/registry/undici-dispatchers.ts, src/registry/credential-helper.ts). A registry over HTTPS
 * still works then: TLS is loaded on its first connection.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test-support/e2e/run-cli.js';
import { selfSignedCertificate } from '../../test-support/self-signed-certificate.js';
import { helmRelease } from '../reliability/support.js';
import { e2eDescribe, e2eRuntimes } from './e2e-gate.js';

const describeE2e = e2eDescribe();

/** Node flags that print, as the process exits, which of `modules` it loaded (JSON, on stderr). */
function reportingLoaded(modules: readonly string[]): string[] {
  const hook =
    `const wanted = ${JSON.stringify(modules.map((m) => `NativeModule ${m}`))};` +
    'process.on("exit", () => process.stderr.write(JSON.stringify(' +
    'process.moduleLoadList.filter((m) => wanted.includes(m)).map((m) => m.slice(13)))));';
  return ['--import', `data:text/javascript,${encodeURIComponent(hook)}`];
}

const DEFERRED = ['http2', 'tls', 'child_process'];

describeE2e('the built CLI as it starts', () => {
  let dir: string;
  let server: Server;
  let cert: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2e-cli-start-'));
    const certificate = await selfSignedCertificate(dir);
    cert = certificate.cert;
    // A registry of one repository, over HTTPS only.
    server = createServer(
      { key: await readFile(certificate.key), cert: await readFile(cert) },
      (req, res) => {
        const path = new URL(req.url ?? '/', 'https://registry').pathname;
        if (path === '/v2/team/app/tags/list') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ name: 'team/app', tags: ['1.0.0', '1.1.0', '2.0.0'] }));
          return;
        }
        res.writeHead(path === '/v2/' ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const workspace = join(dir, 'workspace');
    await mkdir(join(workspace, 'apps'), { recursive: true });
    await writeFile(
      join(workspace, 'apps', 'app.yaml'),
      helmRelease({
        annotations: ['fluxcd.io/tag.chart-image: semver:~1'],
        values: ['image: registry.example/team/app:1.0.0'],
      }),
    );
  }, 30_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('loads none of HTTP/2, TLS and child processes for --version', async () => {
    const run = await runCli(['--version'], { nodeArgs: reportingLoaded(DEFERRED) });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stderr)).toEqual([]);
  });

  it('reads a registry over HTTPS, loading TLS for it and neither of the others', async () => {
    const { port } = server.address() as AddressInfo;
    const run = await runCli(
      [
        '--dir',
        join(dir, 'workspace'),
        '--json',
        '--no-cache',
        '--registry-mirrors',
        `registry.example=https://127.0.0.1:${port}`,
      ],
      { env: { NODE_EXTRA_CA_CERTS: cert }, nodeArgs: reportingLoaded(DEFERRED) },
    );
    expect(run.exitCode).toBe(0);
    const output = JSON.parse(run.stdout) as { updates: { to: string }[]; problems: unknown[] };
    expect(output.problems).toEqual([]);
    expect(output.updates.map((u) => u.to)).toEqual(['1.1.0']);
    expect(JSON.parse(run.stderr)).toEqual(['tls']);
  });
});

// The CLI's compile cache (src/cli-compile-cache.ts): dist/cli.js compiles the CLI's bundle,
// dist/cli-main.js, with V8's code cache of it, which it keeps after a run: once after its first
// run of any kind, once more after its first run that plans, and then no more while V8 takes it.
for (const { runtime, describe: describeUnder } of e2eRuntimes('cli')) {
  describeUnder(`the built CLI's compile cache under ${runtime.label}`, () => {
    let cacheHome: string;
    let workspace: string;
    const cli = (args: readonly string[]) =>
      runCli(args, { node: runtime.execPath, env: { XDG_CACHE_HOME: cacheHome } });
    /** The one entry, its size and its time, after setting its time a minute back. */
    const entry = async () => {
      const folder = join(cacheHome, 'helmrelease-image-updater', 'compile-cache');
      // One folder per Node version and architecture, holding one entry: the bundle's.
      const [version, ...others] = await readdir(folder);
      expect(others).toEqual([]);
      const entries = await readdir(join(folder, version!));
      expect(entries).toEqual([expect.stringMatching(/^[0-9a-f]{8}\.v8$/)]);
      const path = join(folder, version!, entries[0]!);
      const { size, mtimeMs } = await stat(path);
      const back = Math.round(mtimeMs / 1000) - 60;
      await utimes(path, back, back);
      return { path, size, back };
    };
    const writtenAt = async (path: string) => Math.round((await stat(path)).mtimeMs / 1000);

    beforeEach(async () => {
      cacheHome = await mkdtemp(join(tmpdir(), 'e2e-compile-cache-'));
      // A workspace of one HelmRelease without images: a plan with no registry to ask.
      workspace = join(cacheHome, 'workspace');
      await mkdir(workspace);
      await writeFile(join(workspace, 'app.yaml'), helmRelease({ values: ['replicas: 2'] }));
    });
    afterEach(() => rm(cacheHome, { recursive: true, force: true }));

    it('keeps the bundle compiled after a run, again after its first plan, and then reads it', async () => {
      const version = await cli(['--version']);
      expect([version.exitCode, version.stdout]).toEqual([
        0,
        expect.stringMatching(/^helmrelease-image-updater \S+\n$/),
      ]);
      const first = await entry();
      // Read, not written again, by a run like the one that wrote it.
      expect((await cli(['--version'])).stdout).toBe(version.stdout);
      expect(await writtenAt(first.path)).toBe(first.back);
      // A plan compiles much more of the bundle: its first keeps that too.
      const plan = await cli(['--dir', workspace, '--json']);
      expect(plan.exitCode).toBe(0);
      const planned = await entry();
      expect(planned.path).toBe(first.path);
      expect(planned.size).toBeGreaterThan(first.size * 1.2);
      expect((await cli(['--dir', workspace, '--json'])).stdout).toBe(plan.stdout);
      expect((await cli(['--version'])).stdout).toBe(version.stdout);
      expect(await writtenAt(planned.path)).toBe(planned.back);
    });

    it('keeps none with --no-cache', async () => {
      const run = await cli(['--no-cache', '--version']);
      expect(run.exitCode).toBe(0);
      expect(await readdir(cacheHome)).toEqual(['workspace']);
    });
  });
}
