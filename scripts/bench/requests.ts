/**
 * The bench's request CPU case (issue 17): what one registry request costs this process in CPU,
 * apart from the registry. A local server that answers every `GET /v2/<name>/tags/list` at once
 * with a 20-tag list (the issue corpus's repositories, with distribution's headers) runs in a
 * child process, so its CPU is not counted; this process sends N tag-list requests at the
 * CLI's concurrency (8 in flight per host) and reads `process.cpuUsage()` around them:
 *
 * - through the registry client (`listTags` of N distinct repositories: the tag listing, the
 *   session's auth check, the repository's deadline, HttpClient and the connection);
 * - through HttpClient alone (`request` of the same URLs).
 *
 * Each round starts a fresh client (the registry client memoises tag lists); a first round warms
 * undici, the JIT and the connections up and is not counted. Prints the median of the rounds and
 * their range, in CPU ms per request (user + system, every thread of this process).
 *
 * The CLI sends its requests cold: 300 listings on the issue corpus, in a process that loads and
 * compiles what they use on first use. So the case also runs the first 300 listings of fresh
 * processes (this module run as a script, `--cold <n>`), each measured from its first request on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { HttpClient } from '../../src/registry/http.js';

/** What the case measured, CPU ms per request. */
export interface RequestsResult {
  requests: number;
  rounds: number;
  registryClient: number[];
  httpClient: number[];
  /** The first {@link COLD_LISTINGS} listings of fresh processes, one figure per process. */
  cold: number[];
}

/** The listings of the issue corpus's runs, which the cold figure sends. */
const COLD_LISTINGS = 300;

/** Listings in flight at once: a few more than the host's 8 slots, so the slots stay full. */
const LISTINGS_AT_ONCE = 16;

/** The answering server, as a script for `node -e`: no dependency, no TypeScript. */
const SERVER = `
const { createServer } = require('node:http');
const tags = [];
for (let i = 0; i < 10; i += 1) tags.push('1.0.' + i, '1.1.' + i);
const server = createServer((req, res) => {
  const match = /^\\/v2\\/(.+)\\/tags\\/list(\\?|$)/.exec(req.url);
  const body = JSON.stringify(match ? { name: match[1], tags } : { errors: [{ code: 'NOT_FOUND' }] });
  res.writeHead(match ? 200 : 404, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'docker-distribution-api-version': 'registry/2.0',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

/** Starts the server in a child process; resolves with it and its `host:port`. */
async function startServer(): Promise<{ child: ChildProcess; host: string }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, host: `127.0.0.1:${line.toString('utf8').trim()}` };
}

/** Runs `send(i)` for i in [0, n), `atOnce` at a time; resolves with the CPU ms it took. */
async function cpuOf(n: number, atOnce: number, send: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await send(next++);
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: atOnce }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** One round through the registry client: `n` listings of distinct repositories. */
async function registryClientRound(host: string, n: number): Promise<number> {
  const client = createRegistryClient();
  const ms = await cpuOf(n, LISTINGS_AT_ONCE, async (i) => {
    const tags = await client.listTags(`${host}/bench/app-${i}`);
    if (tags.length !== 20) throw new Error(`listing ${i}: ${tags.length} tags`);
  });
  if (client.stats.tagPage !== n) throw new Error(`${client.stats.tagPage} tag pages sent, not ${n}`);
  return ms / n;
}

/** One round through HttpClient alone: `n` GETs of the same URLs. */
async function httpClientRound(host: string, n: number): Promise<number> {
  const http = new HttpClient();
  const ms = await cpuOf(n, LISTINGS_AT_ONCE, async (i) => {
    const response = await http.request({
      url: `http://${host}/v2/bench/app-${i}/tags/list?n=1000`,
      kind: 'tagPage',
      flow: `bench/app-${i}`,
    });
    if (response.status !== 200) throw new Error(`request ${i}: ${response.status}`);
  });
  return ms / n;
}

/** One cold round in a fresh process (this module as a script under tsx). */
async function coldRound(host: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--cold', host, String(COLD_LISTINGS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the cold round exited with ${code}`);
  return Number(output.trim());
}

/** Measures `rounds` rounds of `requests` requests each way, after one warm-up round each. */
export async function benchRequests(requests: number, rounds: number): Promise<RequestsResult> {
  const { child, host } = await startServer();
  try {
    const cold: number[] = [];
    for (let round = 0; round < rounds; round += 1) cold.push(await coldRound(host));
    await registryClientRound(host, requests);
    await httpClientRound(host, requests);
    const result: RequestsResult = { requests, rounds, registryClient: [], httpClient: [], cold };
    // Interleaved, so a change in the machine's load moves both alike.
    for (let round = 0; round < rounds; round += 1) {
      result.registryClient.push(await registryClientRound(host, requests));
      result.httpClient.push(await httpClientRound(host, requests));
    }
    return result;
  } finally {
    child.kill();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The case as lines of the bench's output. */
export function renderRequests(result: RequestsResult): string {
  const line = (name: string, values: readonly number[]): string =>
    `  ${name}: ${median(values).toFixed(3)} ms (${Math.min(...values).toFixed(3)}-${Math.max(...values).toFixed(3)})`;
  return [
    `CPU per tag-list request, ${result.requests.toLocaleString('en-US')} requests a round, median of ${result.rounds} rounds (range), instant local server:`,
    line('registry client (listTags)', result.registryClient),
    line('HttpClient alone (request)', result.httpClient),
    line(`registry client, first ${COLD_LISTINGS} listings of a fresh process`, result.cold),
    '',
  ].join('\n');
}

// A cold round: `--cold <host> <n>` prints the CPU ms per listing of this fresh process's first n.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--cold') {
  const [host, n] = process.argv.slice(3);
  registryClientRound(host!, Number(n)).then(
    // Exits at once: the client's idle connections would keep it alive for seconds.
    (ms) => process.stdout.write(`${ms}\n`, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
