/**
 * The bench's registry at a distance: what the bench's local registry cannot show, where a run's
 * round trips go when each costs what it costs between a runner and a registry.
 *
 * 24 HelmReleases, each of its own repository of one registry that answers over HTTPS only and asks
 * for a Bearer token from a token service on its own host (as GHCR does), then on another (as
 * Docker Hub does), reached through a relay in this process that holds every chunk, both ways, for
 * half a round trip (so a TLS handshake costs its round trip too). The built CLI runs cold (no digest cache) and warm (the cold run's cache),
 * a few times each, and the table gives each run's median wall time in milliseconds and in round
 * trips, and what the registry was asked. Cold, the first request learns the registry's scheme (a
 * 401) while the others wait and their connections are opened (connections-ahead.ts); warm, the
 * scheme is remembered (remembered-schemes.ts) and every repository starts at once.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { createServer as createNetServer, connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from '../../test-support/self-signed-certificate.js';
import { run } from './cli-runs.js';

/** What one kind of run (cold or warm) measured. */
export interface RoundTripRuns {
  /** Wall time of each run, ms. */
  wallsMs: number[];
  /** Requests of the last run, by what the registry answered. */
  challenges: number;
  tokens: number;
  listings: number;
  /** TCP connections the last run opened. */
  connections: number;
}

/** What the case measured, with the token service on the registry's host and on another. */
export interface RoundTripResult {
  repositories: number;
  roundTripMs: number;
  sameHost: { cold: RoundTripRuns; warm: RoundTripRuns };
  otherHost: { cold: RoundTripRuns; warm: RoundTripRuns };
}

const TOKEN = 'bench-token';

/** Runs the case against the CLI at `cli`: `runs` cold runs, then `runs` warm ones. */
export async function benchRoundTrips(
  cli: string,
  node: string,
  { repositories = 24, roundTripMs = 50, runs = 3 } = {},
): Promise<RoundTripResult> {
  const work = await mkdtemp(join(tmpdir(), 'hriu-bench-round-trips-'));
  const sockets = new Set<Socket>();
  let registry: Server | undefined;
  let relay: ReturnType<typeof createNetServer> | undefined;
  let tokenRelay: ReturnType<typeof createNetServer> | undefined;
  try {
    const certificate = await selfSignedCertificate(work);
    const counts = { challenges: 0, tokens: 0, listings: 0, connections: 0 };
    let relayPort = 0;
    let realmPort = 0;
    registry = createServer(
      { key: await readFile(certificate.key), cert: await readFile(certificate.cert) },
      (req, res) => {
        const json = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.url!.startsWith('/token')) {
          counts.tokens += 1;
          json(200, { token: TOKEN, expires_in: 300 });
        } else if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          counts.challenges += 1;
          res
            .writeHead(401, {
              'www-authenticate': `Bearer realm="https://127.0.0.1:${realmPort}/token",service="bench"`,
            })
            .end();
        } else {
          counts.listings += 1;
          const name = /^\/v2\/(.+)\/tags\/list/.exec(req.url!)?.[1] ?? '';
          json(200, { name, tags: ['1.0.0', '1.1.0'] });
        }
      },
    );
    await new Promise<void>((resolve) => registry!.listen(0, '127.0.0.1', resolve));
    const registryPort = (registry.address() as AddressInfo).port;
    const half = roundTripMs / 2;
    relay = createNetServer((client) => {
      counts.connections += 1;
      const upstream = connect(registryPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      }
      const forward = (from: Socket, to: Socket) => {
        from.on('data', (chunk) => setTimeout(() => to.write(chunk), half));
        from.on('end', () => setTimeout(() => to.end(), half));
        from.on('error', () => to.destroy());
      };
      forward(client, upstream);
      forward(upstream, client);
    });
    await new Promise<void>((resolve) => relay!.listen(0, '127.0.0.1', resolve));
    relayPort = (relay.address() as AddressInfo).port;
    // The same registry and relay on another port: another origin, as auth.docker.io is to Docker
    // Hub's registry-1.docker.io.
    tokenRelay = createNetServer((client) => relay!.emit('connection', client));
    await new Promise<void>((resolve) => tokenRelay!.listen(0, '127.0.0.1', resolve));
    const tokenRelayPort = (tokenRelay.address() as AddressInfo).port;

    const workspace = join(work, 'repo');
    await mkdir(workspace);
    for (let i = 0; i < repositories; i += 1) {
      await writeFile(
        join(workspace, `app${i}.yaml`),
        [
          'apiVersion: helm.fluxcd.io/v1',
          'kind: HelmRelease',
          'metadata:',
          `  name: app${i}`,
          '  namespace: apps',
          '  annotations:',
          '    fluxcd.io/automated: "true"',
          '    filter.fluxcd.io/chart-image: semver:~1',
          'spec:',
          '  chart: {repository: https://charts.example.com, name: app, version: 1.0.0}',
          '  values:',
          `    image: registry.example/team/app${i}:1.0.0`,
          '',
        ].join('\n'),
      );
    }
    const cacheFile = join(work, 'cache.json');
    const args = [
      cli,
      '--dir',
      workspace,
      '--json',
      '--cache-file',
      cacheFile,
      '--registry-mirrors',
      `registry.example=https://127.0.0.1:${relayPort}`,
    ];
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: certificate.cert };
    const measure = async (cold: boolean): Promise<RoundTripRuns> => {
      const wallsMs: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        if (cold) await rm(cacheFile, { force: true });
        else if (run === 0) await runChild(node, args, env, repositories); // the cache to start from
        Object.assign(counts, { challenges: 0, tokens: 0, listings: 0, connections: 0 });
        const started = performance.now();
        await runChild(node, args, env, repositories);
        wallsMs.push(performance.now() - started);
      }
      return { wallsMs, ...counts };
    };
    realmPort = relayPort;
    const sameHost = { cold: await measure(true), warm: await measure(false) };
    realmPort = tokenRelayPort;
    const otherHost = { cold: await measure(true), warm: await measure(false) };
    return { repositories, roundTripMs, sameHost, otherHost };
  } finally {
    for (const socket of sockets) socket.destroy();
    await Promise.all(
      [tokenRelay, relay, registry].map(
        (server) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
      ),
    );
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs the CLI; fails unless it proposes one update per repository. */
async function runChild(
  node: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  updates: number,
): Promise<void> {
  const { status, stdout, stderr } = await run(node, args, undefined, env);
  let proposed: unknown[] | undefined;
  try {
    proposed = (JSON.parse(stdout) as { updates: unknown[] }).updates;
  } catch {
    // Reported below.
  }
  if (status !== 0 || proposed?.length !== updates)
    throw new Error(`the CLI failed (exit ${status}): ${stderr.slice(0, 2000)}`);
}

export function renderRoundTrips(r: RoundTripResult): string {
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const row = (name: string, runs: RoundTripRuns) => {
    const wall = median(runs.wallsMs);
    return `| ${name} | ${Math.round(wall).toLocaleString('en-US')} ms | ${(wall / r.roundTripMs).toFixed(1)} | ${runs.challenges} | ${runs.tokens} | ${runs.listings} | ${runs.connections} |`;
  };
  const runs = r.sameHost.cold.wallsMs.length;
  return [
    `A registry at a distance: ${r.repositories} repositories of one registry over HTTPS with a Bearer token service, a ${r.roundTripMs} ms round trip (a relay holds every chunk ${r.roundTripMs / 2} ms each way); ${runs === 1 ? 'one run each' : `the median of ${runs} runs each`}`,
    '',
    '| token service, run | wall | in round trips | 401s | token requests | listings | connections |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row("on the registry's host (GHCR), cold (no cache)", r.sameHost.cold),
    row("on the registry's host, warm (the cold run's cache)", r.sameHost.warm),
    row('on another host (Docker Hub), cold', r.otherHost.cold),
    row('on another host, warm', r.otherHost.warm),
    '',
  ].join('\n');
}
