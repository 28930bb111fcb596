/**
 * Starts a real CNCF distribution registry (Debian's `docker-registry`, 2.8) on 127.0.0.1 with a
 * temporary config and storage, in one of three auth modes:
 *
 *   open   - no auth
 *   basic  - htpasswd (bcrypt, made with `htpasswd -Bbn`), Basic challenges
 *   token  - Bearer challenges pointing at our own token server (./token-server.ts)
 *
 * Used by the jest suites and by the benchmark (run under `tsx`), so no jest globals here.
 *
 *   const registry = await startRegistry({ auth: 'token', users: { alice: 'secret' } });
 *   await seedImage(registry, { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' });
 *   ... registry.url (http://127.0.0.1:PORT), registry.host (127.0.0.1:PORT) ...
 *   await registry.stop();
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createSigningKeyPair,
  startTokenServer,
  type TokenServer,
  type TokenServerOptions,
} from './token-server.js';

const run = promisify(execFile);

/** The apt command that installs what these helpers need. */
export const REGISTRY_INSTALL_COMMAND = 'apt-get install docker-registry apache2-utils';

/** How the registry authenticates clients. */
export type RegistryAuthMode = 'open' | 'basic' | 'token';

/** Options of {@link startRegistry}. */
export interface StartRegistryOptions {
  /** Default `open`. */
  auth?: RegistryAuthMode;
  /** user -> password for `basic` and `token`. Default `{ tester: 'secret' }`. */
  users?: Record<string, string>;
  /** Extra options for the token server in `token` mode. */
  token?: Partial<Omit<TokenServerOptions, 'service' | 'issuer' | 'keys' | 'users'>>;
  /** bcrypt cost for htpasswd; distribution checks it on every request, so keep it low. Default 4. */
  bcryptCost?: number;
  /** Serve HTTPS with this certificate and key (files), as distribution's `http.tls` does. */
  tls?: { certificate: string; key: string };
}

/** A running registry. */
export interface RegistryServer {
  /** `http://127.0.0.1:<port>`, or `https://` with {@link StartRegistryOptions.tls}. */
  url: string;
  /** `127.0.0.1:<port>`, the registry part of a normalised repository. */
  host: string;
  auth: RegistryAuthMode;
  users: Record<string, string>;
  /** The token server in `token` mode. */
  tokenServer?: TokenServer;
  /** The token `service` in `token` mode. */
  service?: string;
  /** An Authorization header value allowing push and pull on `path`, or undefined in open mode. */
  pushAuthorization(path: string): string | undefined;
  /** The registry process (the bench reads the CPU time it spends answering a run). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** True when `docker-registry` and `htpasswd` are on PATH. */
export function isRegistryInstalled(): boolean {
  return ['docker-registry', 'htpasswd', 'openssl'].every(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0,
  );
}

/** Starts `docker-registry serve CONFIG` and resolves once it answers `/v2/`. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RegistryServer> {
  const auth = options.auth ?? 'open';
  const users = options.users ?? { tester: 'secret' };
  const dir = await mkdtemp(join(tmpdir(), 'registry-'));
  const cleanups: Array<() => Promise<void>> = [() => rm(dir, { recursive: true, force: true })];
  let tokenServer: TokenServer | undefined;
  const service = 'test-registry';
  let authConfig = '';
  try {
    if (auth === 'basic') {
      const lines: string[] = [];
      for (const [user, password] of Object.entries(users)) {
        const { stdout } = await run('htpasswd', [
          '-Bbn',
          '-C',
          String(options.bcryptCost ?? 4),
          user,
          password,
        ]);
        lines.push(stdout.trim());
      }
      await writeFile(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
      authConfig = `auth:\n  htpasswd:\n    realm: test-realm\n    path: ${join(dir, 'htpasswd')}\n`;
    } else if (auth === 'token') {
      const keys = await createSigningKeyPair();
      cleanups.push(() => keys.remove());
      tokenServer = await startTokenServer({ ...options.token, service, issuer: 'test-issuer', keys, users });
      cleanups.push(() => tokenServer!.stop());
      authConfig =
        `auth:\n  token:\n    realm: ${tokenServer.realm}\n    service: ${service}\n` +
        `    issuer: test-issuer\n    rootcertbundle: ${keys.certificatePath}\n`;
    }
    const config =
      `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\n` +
      `storage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
      `http:\n  addr: 127.0.0.1:0\n  secret: test-secret\n` +
      (options.tls
        ? `  tls:\n    certificate: ${options.tls.certificate}\n    key: ${options.tls.key}\n`
        : '') +
      authConfig;
    await writeFile(join(dir, 'config.yml'), config);
    const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanups.unshift(() => stopChild(child));
    const port = await waitForListening(child);
    const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    const basic = Object.entries(users)[0];
    return {
      url,
      host: `127.0.0.1:${port}`,
      auth,
      users,
      tokenServer,
      service: auth === 'token' ? service : undefined,
      pid: child.pid,
      pushAuthorization(path: string) {
        if (auth === 'basic') return `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
        if (auth === 'token')
          return `Bearer ${tokenServer!.mintToken([`repository:${path}:pull,push`], basic[0])}`;
        return undefined;
      },
      stop: () => runCleanups(cleanups),
    };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

async function runCleanups(cleanups: Array<() => Promise<void>>): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // SIGKILL if a graceful stop takes too long, so a test run never hangs in afterAll.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** distribution logs `listening on 127.0.0.1:<port>` with the port the kernel chose for `:0`. */
function waitForListening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`docker-registry did not start:\n${output}`)), 15000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      if (output.length < 20000) output += chunk;
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match && timer) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`docker-registry exited with ${code}:\n${output}`)));
  });
}

/**
 * Whether the registry integration tests can run here. When the tools are missing the tests are
 * skipped with `message` printed, except in CI (`CI=true`) where `mustFail` says the absence is a
 * failure (`.ci/run` installs them).
 */
export function registryTestGate(env: Record<string, string | undefined> = process.env): {
  available: boolean;
  mustFail: boolean;
  message: string;
} {
  const available = isRegistryInstalled();
  return {
    available,
    mustFail: !available && env.CI === 'true',
    message: available
      ? ''
      : `docker-registry, htpasswd or openssl is missing, so the registry integration tests ${
          env.CI === 'true' ? 'cannot run (CI=true requires them)' : 'are skipped'
        }. Install them with: ${REGISTRY_INSTALL_COMMAND}`,
  };
}
