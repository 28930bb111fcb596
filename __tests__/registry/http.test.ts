/**
 * The HTTP edge against real local HTTP servers that misbehave on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import diagnostics from 'node:diagnostics_channel';
import { HttpClient, HttpError } from '../../src/registry/http.js';

type Step = (req: IncomingMessage, res: ServerResponse) => void;

interface ScriptedServer {
  url: string;
  /** Requests seen per path, with their Authorization header. */
  seen: Map<string, Array<string | undefined>>;
  /** Paths in the order requests arrived. */
  arrivals: string[];
  maxConcurrent: number;
  script(path: string, steps: Step[]): void;
  stop(): Promise<void>;
}

/** A server answering each path with its steps in order (the last one repeats). */
async function startScriptedServer(): Promise<ScriptedServer> {
  const scripts = new Map<string, Step[]>();
  const seen = new Map<string, Array<string | undefined>>();
  const arrivals: string[] = [];
  let active = 0;
  const state = { maxConcurrent: 0 };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const list = seen.get(path) ?? [];
    list.push(req.headers.authorization);
    seen.set(path, list);
    arrivals.push(path);
    active += 1;
    state.maxConcurrent = Math.max(state.maxConcurrent, active);
    res.on('close', () => (active -= 1));
    const steps = scripts.get(path) ?? [(_q, r) => r.writeHead(404).end()];
    const step = steps.length > 1 ? steps.shift()! : steps[0];
    step(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    arrivals,
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    script: (path, steps) => scripts.set(path, steps),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ok: Step = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
const status =
  (code: number, headers: Record<string, string> = {}): Step =>
  (_req, res) =>
    res.writeHead(code, headers).end();
const reset: Step = (req) => req.socket.destroy();
const hang: Step = () => undefined;
const stall: Step = (_req, res) => {
  res.writeHead(200, { 'content-length': '100' });
  res.write('partial');
};
const redirect =
  (location: string, code = 307): Step =>
  (_req, res) =>
    res.writeHead(code, { location }).end();

describe('HttpClient', () => {
  let a: ScriptedServer;
  let b: ScriptedServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([startScriptedServer(), startScriptedServer()]);
  });
  afterAll(() => Promise.all([a.stop(), b.stop()]));

  const client = (options: ConstructorParameters<typeof HttpClient>[0] = {}): HttpClient =>
    new HttpClient({ retries: 2, retryBaseDelayMs: 0, timeoutMs: 2000, ...options });

  it.each([
    ['429 with Retry-After', '/r429', [status(429, { 'retry-after': '0' }), ok], 200, 2],
    ['503 then success', '/r503', [status(503), status(502), ok], 200, 3],
    ['a connection reset', '/reset', [reset, ok], 200, 2],
    ['5xx until retries run out', '/always500', [status(500)], 500, 3],
    ['no retry on 404', '/missing', [status(404)], 404, 1],
    [
      'a Retry-After longer than allowed is not waited for',
      '/hub429',
      [status(429, { 'retry-after': '21600' })],
      429,
      1,
    ],
    // Docker Hub's pull limit: no Retry-After, none left for the rest of a 6-hour window.
    [
      'a 429 with none left is not retried',
      '/none-left',
      [status(429, { 'ratelimit-remaining': '0;w=21600' })],
      429,
      1,
    ],
    [
      'a 429 with some left is',
      '/some-left',
      [status(429, { 'ratelimit-remaining': '10;w=21600' }), ok],
      200,
      2,
    ],
  ])('%s', async (_name, path, steps, expectedStatus, requests) => {
    a.script(path, [...steps]);
    const http = client();
    const response = await http.request({ url: `${a.url}${path}`, kind: 'other' });
    expect(response.status).toBe(expectedStatus);
    expect(a.seen.get(path)).toHaveLength(requests);
    expect(http.stats.other).toBe(requests);
    expect(http.stats.retries).toBe(requests - 1);
  });

  it.each([
    ['no response at all', '/hang', hang],
    ['a body that never ends', '/stall', stall],
  ])('times out on %s, retries, then rejects', async (_name, path, step) => {
    a.script(path, [step]);
    const request = client({ timeoutMs: 150, retries: 1 }).request({ url: `${a.url}${path}`, kind: 'other' });
    await expect(request).rejects.toBeInstanceOf(HttpError);
    await expect(request).rejects.toThrow(/timed out/);
    expect(a.seen.get(path)).toHaveLength(2);
  });

  it('drops Authorization on a redirect to another port, keeps it on the same origin', async () => {
    a.script('/blob', [redirect('/blob2')]);
    a.script('/blob2', [redirect(`${b.url}/object`)]);
    b.script('/object', [(req, res) => res.writeHead(req.headers.authorization ? 400 : 200).end('data')]);
    const http = client();
    const response = await http.request({
      url: `${a.url}/blob`,
      kind: 'getBlob',
      headers: { Authorization: 'Bearer secret' },
    });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('data');
    expect(response.url).toBe(`${b.url}/object`);
    expect(a.seen.get('/blob')).toEqual(['Bearer secret']);
    expect(a.seen.get('/blob2')).toEqual(['Bearer secret']);
    expect(b.seen.get('/object')).toEqual([undefined]);
    expect(http.stats).toMatchObject({ getBlob: 3, redirects: 2 });
  });

  it('stops after five redirects', async () => {
    a.script('/loop', [redirect('/loop', 302)]);
    await expect(client().request({ url: `${a.url}/loop`, kind: 'other' })).rejects.toThrow(
      /more than 5 redirects/,
    );
    expect(a.seen.get('/loop')).toHaveLength(6);
  });

  it('refuses plain HTTP to a host that is neither loopback nor insecure, before sending', async () => {
    await expect(client().request({ url: 'http://registry.example.com/v2/', kind: 'other' })).rejects.toThrow(
      /refusing http to registry\.example\.com/,
    );
  });

  // Every refused scheme was once told as plain HTTP: "refusing file to : plain HTTP is only used
  // for loopback hosts ...". Only the scheme is repeated, never a URL's user info. <host> is the
  // server that redirects.
  it.each([
    [
      'file:',
      'file:///etc/passwd',
      '<host> redirected to a URL that is not http or https (file:); not following it',
    ],
    [
      'ftp:',
      'ftp://registry.example.com/v2/',
      '<host> redirected to a URL that is not http or https (ftp:); not following it',
    ],
    [
      'ftp: with user info',
      'ftp://user:s3cret@registry.example.com/',
      '<host> redirected to a URL with a user name or password; not following it',
    ],
    [
      'a long scheme',
      `${'x'.repeat(100)}:/v2/`,
      `<host> redirected to a URL that is not http or https (${'x'.repeat(32)}…); not following it`,
    ],
    [
      'plain HTTP to a public host',
      'http://registry.example.com/v2/',
      'refusing http to registry.example.com: plain HTTP is only used for loopback hosts and hosts listed in insecure-registries',
    ],
  ])('a redirect to %s is refused, saying why', async (_name, location, message) => {
    a.script('/elsewhere', [redirect(location)]);
    const error = await client()
      .request({ url: `${a.url}/elsewhere`, kind: 'other' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toBe(message.replace('<host>', new URL(a.url).host));
  });

  it('refuses a request to a URL that is not http or https, before sending', async () => {
    await expect(client().request({ url: 'ftp://registry.example.com/v2/', kind: 'other' })).rejects.toThrow(
      'refusing a URL that is not http or https (ftp:)',
    );
  });

  it.each([
    ['127.0.0.1:5000', [], true],
    ['localhost', [], true],
    ['[::1]:5000', [], true],
    ['registry.example.com', [], false],
    ['registry.example.com:5000', ['registry.example.com:5000'], true],
    ['registry.example.com:5000', ['registry.example.com'], true],
    ['other.example.com', ['registry.example.com'], false],
  ])('plain HTTP to %s with insecure %j: %s', (host, insecureHosts, allowed) => {
    expect(new HttpClient({ insecureHosts }).allowsPlainHttp(host)).toBe(allowed);
  });

  it('answers the same for a host asked again, past the hosts it remembers', () => {
    const http = new HttpClient({ insecureHosts: ['insecure.example.com'] });
    const hosts = Array.from(
      { length: 300 },
      (_, i) =>
        [`127.0.0.${i % 250}:${i}`, `h${i}.example.com`, `insecure.example.com:${i}`, `[::1]:${i}`][i % 4],
    );
    const first = hosts.map((host) => http.allowsPlainHttp(host));
    expect(first.filter(Boolean)).toHaveLength(225);
    expect(hosts.map((host) => http.allowsPlainHttp(host))).toEqual(first);
    expect([...hosts].reverse().map((host) => http.allowsPlainHttp(host))).toEqual([...first].reverse());
  });

  it('keeps at most maxInFlightPerHost requests in flight per host', async () => {
    a.script('/slow', [(_req, res) => setTimeout(() => ok(_req, res), 30)]);
    const http = client({ maxInFlightPerHost: 3 });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => http.request({ url: `${a.url}/slow`, kind: 'other' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(a.maxConcurrent).toBe(3);
  });

  // With one request in flight and a registry answering each in 20 s, listings queued behind a
  // few others were given what their 90 s deadline had left (9,956 ms, then 1 ms) and timed out.
  it("does not count a request's wait for a slot against its timeout or deadline", async () => {
    a.script('/queued', [(_req, res) => setTimeout(() => ok(_req, res), 200)]);
    // Five in a row take 1 s; each answer takes 200 ms of a request's own 500.
    const http = client({ maxInFlightPerHost: 1, timeoutMs: 500, requestDeadlineMs: 500, retries: 0 });
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => http.request({ url: `${a.url}/queued`, kind: 'tagPage' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(5).fill(200));
  });

  // The repository deadlines' clocks (deadlines.ts) count what the request deadline counts.
  it("tells the service watcher a flow is served through its request's waits to retry", async () => {
    a.script('/retried', [status(503), status(503), ok]);
    const words: string[] = [];
    const http = client({
      retryBaseDelayMs: 30,
      random: () => 1,
      serviceWatcher: {
        started: (flow) => words.push(`started ${flow}`),
        stopped: (flow) => words.push(`stopped ${flow}`),
      },
    });
    const response = await http.request({ url: `${a.url}/retried`, kind: 'tagPage', flow: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    expect([response.status, ...words]).toEqual([200, 'started a', 'stopped a']);
  });

  it('still ends the retries of a request that waited for its slot at its own deadline', async () => {
    a.script('/holding', [(_req, res) => setTimeout(() => ok(_req, res), 600)]);
    a.script('/failing', [status(503)]);
    // Retries 100 ms apart, as many as 1,000 ms of its own allow (ten), after 600 ms queued
    // (which, counted against it, would have left four). Wide enough apart that a loaded machine
    // does not blur the two.
    const http = client({
      maxInFlightPerHost: 1,
      requestDeadlineMs: 1000,
      retries: 100,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 100,
      random: () => 1,
    });
    const holding = http.request({ url: `${a.url}/holding`, kind: 'other' });
    // Its last attempt ends with the 503, or with what was left of its deadline running out.
    const failing = await http.request({ url: `${a.url}/failing`, kind: 'other' }).then(
      (answer) => answer.status,
      (e: unknown) => (e as Error).message,
    );
    await holding;
    // The deadline ended it, not the retries, nor the wait.
    expect(String(failing)).toMatch(/^503$|timed out/);
    expect(a.seen.get('/failing')!.length).toBeGreaterThanOrEqual(6);
    expect(a.seen.get('/failing')!.length).toBeLessThanOrEqual(10);
  });

  // The answer's reader runs on the thread that writes requests: handed on at once, it held back
  // the write of the request waiting for its slot, which undici makes two immediates later (issue 17).
  it.each([
    {
      when: 'no request waits for its slot, an answer is handed on at once',
      waiting: false,
      events: ['/first read', '/first handed on', 'an immediate after'],
    },
    {
      when: 'a request waits for its slot, an answer is handed on once that request is written',
      waiting: true,
      events: ['/first read', 'an immediate after', '/second written', '/first handed on'],
    },
  ])('when $when', async ({ waiting, events }) => {
    a.script('/first', [(_req, res) => setTimeout(() => ok(_req, res), 30)]);
    a.script('/second', [ok]);
    const seen: string[] = [];
    const pathOf = (message: unknown) => (message as { request: { path: string } }).request.path;
    const onRead = (message: unknown) => {
      if (pathOf(message) !== '/first') return;
      seen.push('/first read');
      setImmediate(() => seen.push('an immediate after'));
    };
    const onWritten = (message: unknown) => {
      if (pathOf(message) === '/second') seen.push('/second written');
    };
    diagnostics.subscribe('undici:request:trailers', onRead);
    diagnostics.subscribe('undici:client:sendHeaders', onWritten);
    try {
      const http = client({ maxInFlightPerHost: 1 });
      const first = http.request({ url: `${a.url}/first`, kind: 'other' }).then((r) => {
        seen.push('/first handed on');
        return r;
      });
      const second = waiting ? http.request({ url: `${a.url}/second`, kind: 'other' }) : undefined;
      await Promise.all([first, second]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual(events);
    } finally {
      diagnostics.unsubscribe('undici:request:trailers', onRead);
      diagnostics.unsubscribe('undici:client:sendHeaders', onWritten);
    }
  });

  it('serves a waiting listing chain first, then first tag pages and tokens, then manifests and blobs', async () => {
    a.script('/busy', [(_req, res) => setTimeout(() => ok(_req, res), 50)]);
    for (const path of ['/blob', '/manifest', '/first-page', '/token', '/next-page']) a.script(path, [ok]);
    const http = client({ maxInFlightPerHost: 1 });
    a.arrivals.length = 0;
    const busy = http.request({ url: `${a.url}/busy`, kind: 'other' });
    // Queued while /busy holds the only slot, least urgent first.
    const queued = [
      http.request({ url: `${a.url}/blob`, kind: 'getBlob' }),
      http.request({ url: `${a.url}/manifest`, kind: 'headManifest' }),
      http.request({ url: `${a.url}/first-page`, kind: 'tagPage' }),
      http.request({ url: `${a.url}/token`, kind: 'token' }),
      http.request({ url: `${a.url}/next-page`, kind: 'tagPage', priority: 'chain' }),
    ];
    await Promise.all([busy, ...queued]);
    expect(a.arrivals).toEqual(['/busy', '/next-page', '/first-page', '/token', '/blob', '/manifest']);
  });
});

/** Resolves once `test` holds, checking every 5 ms. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("the caller's signal", () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(() => server.stop());

  /** Where the request is when its signal aborts, and how to get it there. */
  interface Case {
    name: string;
    path: string;
    steps: Step[];
    /** Resolves once the request is where the case aborts it; `paused` resolves at a backoff. */
    reach: (paused: Promise<void>) => Promise<void>;
    maxInFlightPerHost?: number;
    /** Requests the server sees for the path. */
    seen: number;
  }
  const seen = (path: string, count: number) => () =>
    until(() => (server.seen.get(path)?.length ?? 0) >= count);

  it.each<Case>([
    { name: 'before it is sent', path: '/early', steps: [ok], reach: async () => undefined, seen: 0 },
    { name: 'waiting for the headers', path: '/hang', steps: [hang], reach: seen('/hang', 1), seen: 1 },
    { name: 'reading the body', path: '/stall', steps: [stall], reach: seen('/stall', 1), seen: 1 },
    {
      name: 'waiting for a retry',
      path: '/busy503',
      steps: [status(503), ok],
      reach: (paused) => paused,
      seen: 1,
    },
    {
      name: 'waiting for a slot',
      path: '/queued',
      steps: [ok],
      // The one slot is held by a request that is never answered (below).
      reach: seen('/blocker', 1),
      maxInFlightPerHost: 1,
      seen: 0,
    },
  ])('ends the request at once $name, with its reason', async (c) => {
    server.script(c.path, [...c.steps]);
    server.script('/blocker', [hang]);
    let onPause = (): void => undefined;
    const paused = new Promise<void>((resolve) => (onPause = resolve));
    // Long enough that only the signal can end the request within the test's time.
    const http = new HttpClient({
      timeoutMs: 60_000,
      retries: 3,
      maxInFlightPerHost: c.maxInFlightPerHost ?? 8,
      sleep: () => {
        onPause();
        return new Promise(() => undefined);
      },
    });
    const blocker = new AbortController();
    const blocked = c.maxInFlightPerHost
      ? http
          .request({ url: `${server.url}/blocker`, kind: 'other', signal: blocker.signal })
          .catch(() => 'ended')
      : undefined;
    const caller = new AbortController();
    if (c.name === 'before it is sent') caller.abort(new Error(`gave up on ${c.path}`));
    const request = http.request({ url: `${server.url}${c.path}`, kind: 'other', signal: caller.signal });
    await c.reach(paused);
    caller.abort(new Error(`gave up on ${c.path}`));
    await expect(request).rejects.toThrow(new HttpError(`gave up on ${c.path}`, `${server.url}${c.path}`));
    expect(server.seen.get(c.path)?.length ?? 0).toBe(c.seen);
    blocker.abort(new Error('done'));
    expect(await blocked).toBe(c.maxInFlightPerHost ? 'ended' : undefined);
  });
});
