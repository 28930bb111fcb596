// A client that does nothing but send requests: the bench spawns it as it spawns the CLI, to
// replay the requests a CLI run made through the front at the same concurrency (baselines.ts,
// measureListingClients). No parse, no plan, no output: what any Node program needs here for the
// same requests.
//
//   node listing-client.mjs http|undici BASE_URL PATHS_FILE CONCURRENCY
//
// `http` is node:http with a keep-alive agent, the leanest client Node has; `undici` is undici's
// Agent through its dispatch handler, as the CLI sends (src/registry/http-connections.ts). Each
// request is a GET of one path of PATHS_FILE (one a line); any status but 200 exits 1.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, get } from 'node:http';
import { createRequire } from 'node:module';

const [transport, base, pathsFile, concurrencyText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const paths = readFileSync(pathsFile, 'utf8').split('\n').filter(Boolean);
const headers = { accept: 'application/json' };

function overHttp() {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: concurrency });
  const send = (path) =>
    new Promise((resolve, reject) => {
      get(`${base}${path}`, { agent, headers }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode} ${path}`)),
        );
        res.on('error', reject);
      }).on('error', reject);
    });
  return { send, close: async () => agent.destroy() };
}

function overUndici() {
  const Agent = createRequire(import.meta.url)('undici/lib/dispatcher/agent.js');
  const agent = new Agent({ connections: concurrency });
  const origin = new URL(base).origin;
  const send = (path) =>
    new Promise((resolve, reject) => {
      let status = 0;
      agent.dispatch(
        { origin, path, method: 'GET', headers, reset: false },
        {
          onConnect: () => undefined,
          onError: reject,
          onHeaders: (code) => ((status = code), true),
          onData: () => true,
          onComplete: () => (status === 200 ? resolve() : reject(new Error(`${status} ${path}`))),
        },
      );
    });
  return { send, close: () => agent.close() };
}

const client = transport === 'undici' ? overUndici() : overHttp();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < paths.length) await client.send(paths[next++]);
  }),
);
await client.close();
