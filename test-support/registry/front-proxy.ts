/**
 * An HTTP proxy put in front of a real registry to give it the behaviour of public registries
 * that distribution 2.8 lacks (it never paginates tags and never answers 429):
 *
 *   pageSize       tags/list answered in sorted pages with `Link: <...>; rel="next"` (n/last honoured)
 *   maxPageSize    `n` above it gets 400 PAGINATION_NUMBER_INVALID (distribution 3.1)
 *   nullTagsPage   `Link` on every full page and `"tags": null` on the empty page after (3.1.0)
 *   faults         429 with Retry-After, 5xx, connection resets, never-answered or stalled
 *                  responses, extra delay - each for the first N matching requests
 *   redirectBlobs  blob GETs answered 307 to a second "object storage" server that rejects any
 *                  request carrying Authorization (as presigned S3 URLs do)
 *   latencyMs      a fixed delay before every request is forwarded (the benchmark uses 20 ms)
 *   extraHeaders   headers added per kind of request, e.g. Docker Hub's `ratelimit-remaining`
 *   linkOrigin     absolute pagination links to another origin (clients must refuse them)
 *   pathPrefix     serve the registry under a path prefix, like a mirror at https://host/dockerhub
 *   rememberAnswers  a GET or HEAD the registry answered 200 is answered from memory the next time
 *                  (same method, path, Accept and Authorization), as a remote registry would cost
 *                  the machine: nothing (the benchmark's --registry-from-memory)
 *
 * Every request is logged with its kind, so tests count requests. No jest globals: the benchmark
 * imports this under `tsx`.
 *
 *   const front = await startFrontProxy({ target: registry.url, pageSize: 2, latencyMs: 20 });
 *   ... client against front.host ...; front.count('tagPage'); await front.stop();
 */
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientClosesIdleSockets } from '../idle-sockets.js';

/** What a request to a registry is for. */
export type FrontRequestKind = 'ping' | 'tagPage' | 'headManifest' | 'getManifest' | 'getBlob' | 'other';

/** One logged request. */
export interface FrontRequestLog {
  method: string;
  /** Path and query. */
  path: string;
  kind: FrontRequestKind;
  /** Whether an Authorization header came with it. */
  authorization: boolean;
  /** Response status; 0 when the proxy reset or never answered. */
  status: number;
  /** When the request arrived and when its response was finished (performance.now()), if it was. */
  arrived?: number;
  finished?: number;
}

/** What a fault does to a matching request. */
export type FaultAction =
  | { status: number; retryAfter?: string; body?: string }
  | { reset: true }
  | { hang: true }
  | { stall: true }
  | { delayMs: number };

/** A fault injected into the first `times` requests that match. */
export interface Fault {
  kind?: FrontRequestKind;
  /** Substring of the path (and query) to match. */
  pathIncludes?: string;
  /** How many matching requests get it; default every one. */
  times?: number;
  action: FaultAction;
}

/** Options of {@link startFrontProxy}. */
export interface FrontProxyOptions {
  /** The registry URL, `http://127.0.0.1:<port>`. */
  target: string;
  latencyMs?: number;
  pageSize?: number;
  maxPageSize?: number;
  nullTagsPage?: boolean;
  redirectBlobs?: boolean;
  faults?: Fault[];
  extraHeaders?: Partial<Record<FrontRequestKind, Record<string, string>>>;
  /** Makes pagination `Link`s absolute URLs on this origin (to test that clients refuse them). */
  linkOrigin?: string;
  /** Path prefix clients must use (`/dockerhub`); stripped before forwarding. */
  pathPrefix?: string;
  /**
   * Answers a GET or HEAD from memory once the registry answered it 200 (same method, path, Accept
   * and Authorization). Only for a registry whose content no longer changes.
   */
  rememberAnswers?: boolean;
}

/** The redirect target of blob GETs. */
export interface BlobStorage {
  url: string;
  /** Requests it received; `authorization: true` entries were rejected with 400. */
  log: FrontRequestLog[];
}

/** A running front proxy. */
export interface FrontProxy {
  url: string;
  /** `127.0.0.1:<port>`, usable as the registry of a normalised repository. */
  host: string;
  log: FrontRequestLog[];
  storage?: BlobStorage;
  /** Number of logged requests of a kind (optionally only those whose path includes a string). */
  count(kind: FrontRequestKind, pathIncludes?: string): number;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Empties the request logs (also the storage's). */
  clearLog(): void;
  stop(): Promise<void>;
}

/** Classifies a registry API request. */
export function classifyRequest(method: string, path: string): FrontRequestKind {
  const pathname = path.split('?')[0];
  if (pathname === '/v2/' || pathname === '/v2') return 'ping';
  if (/\/tags\/list$/.test(pathname)) return 'tagPage';
  if (/\/manifests\/[^/]+$/.test(pathname)) return method === 'HEAD' ? 'headManifest' : 'getManifest';
  if (/\/blobs\/sha256:[0-9a-f]+$/.test(pathname) && method === 'GET') return 'getBlob';
  return 'other';
}

function listen(server: Server): Promise<number> {
  clientClosesIdleSockets(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Starts the proxy (and, with `redirectBlobs`, the storage server) on 127.0.0.1. */
export async function startFrontProxy(options: FrontProxyOptions): Promise<FrontProxy> {
  const target = new URL(options.target);
  const log: FrontRequestLog[] = [];
  const faults: Array<Fault & { left: number }> = [];
  const addFault = (fault: Fault): void => {
    faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY });
  };
  (options.faults ?? []).forEach(addFault);

  const stored = new Map<string, Buffer>();
  let storage: (BlobStorage & { server: Server }) | undefined;
  if (options.redirectBlobs) {
    const storageLog: FrontRequestLog[] = [];
    const server = createServer((req, res) => {
      const entry: FrontRequestLog = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        kind: 'getBlob',
        authorization: req.headers.authorization !== undefined,
        status: 0,
      };
      storageLog.push(entry);
      const body = stored.get((req.url ?? '').replace(/^\/objects\//, '').split('?')[0]);
      // Presigned S3 URLs answer 400 InvalidArgument "Only one auth mechanism allowed".
      if (entry.authorization) entry.status = 400;
      else entry.status = body ? 200 : 404;
      res.writeHead(entry.status, { 'content-type': 'application/octet-stream' });
      res.end(entry.status === 200 ? body : 'Only one auth mechanism allowed');
    });
    const port = await listen(server);
    storage = { url: `http://127.0.0.1:${port}`, log: storageLog, server };
  }

  const remembered = new Map<string, Upstream>();
  const forward = async (req: IncomingMessage, path: string, body: Buffer): Promise<Upstream> => {
    const key =
      options.rememberAnswers && (req.method === 'GET' || req.method === 'HEAD') && body.length === 0
        ? `${req.method} ${path} ${req.headers.accept ?? ''} ${req.headers.authorization ?? ''}`
        : undefined;
    const known = key === undefined ? undefined : remembered.get(key);
    if (known) return known;
    const answer = await forwardToRegistry(req, path, body);
    if (key !== undefined && answer.status === 200) remembered.set(key, answer);
    return answer;
  };
  const forwardToRegistry = (req: IncomingMessage, path: string, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers };
      delete headers['content-length'];
      if (body.length > 0 || req.method === 'PUT' || req.method === 'POST' || req.method === 'PATCH') {
        headers['content-length'] = String(body.length);
      }
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const paginate = async (req: IncomingMessage, path: string, body: Buffer): Promise<Upstream> => {
    const url = new URL(path, 'http://front');
    const pageSize = options.pageSize!;
    const requested = url.searchParams.get('n');
    if (requested !== null && options.maxPageSize !== undefined && Number(requested) > options.maxPageSize) {
      return {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(
          JSON.stringify({
            errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number of results requested' }],
          }),
        ),
      };
    }
    const upstream = await forward(req, url.pathname, body);
    if (upstream.status !== 200) return upstream;
    const parsed = JSON.parse(upstream.body.toString('utf8')) as { name: string; tags: string[] | null };
    const all = [...(parsed.tags ?? [])].sort();
    const n = Math.min(requested === null ? pageSize : Number(requested), pageSize);
    const last = url.searchParams.get('last');
    const start =
      last === null ? 0 : all.findIndex((t) => t > last) < 0 ? all.length : all.findIndex((t) => t > last);
    const page = all.slice(start, start + n);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const more = options.nullTagsPage ? page.length === n && n > 0 : start + n < all.length;
    if (more) {
      const next = `${options.linkOrigin ?? ''}${prefix}${url.pathname}?n=${n}&last=${encodeURIComponent(page[page.length - 1])}`;
      headers.link = `<${next}>; rel="next"`;
    }
    const tags = page.length === 0 && options.nullTagsPage ? null : page;
    return { status: 200, headers, body: Buffer.from(JSON.stringify({ name: parsed.name, tags })) };
  };

  const redirectBlob = async (req: IncomingMessage, path: string, body: Buffer): Promise<Upstream> => {
    const upstream = await forward(req, path, body);
    if (upstream.status !== 200) return upstream;
    const id = randomUUID();
    stored.set(id, upstream.body);
    return {
      status: 307,
      headers: { location: `${storage!.url}/objects/${id}`, 'content-length': '0' },
      body: Buffer.alloc(0),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, entry: FrontRequestLog): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (options.latencyMs) await sleep(options.latencyMs);
    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        (f.kind === undefined || f.kind === entry.kind) &&
        (f.pathIncludes === undefined || entry.path.includes(f.pathIncludes)),
    );
    if (fault) {
      fault.left -= 1;
      const action = fault.action;
      if ('reset' in action) {
        req.socket.destroy();
        return;
      }
      if ('hang' in action) return;
      if ('stall' in action) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"name":');
        return;
      }
      if ('delayMs' in action) await sleep(action.delayMs);
      else {
        entry.status = action.status;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (action.retryAfter !== undefined) headers['retry-after'] = action.retryAfter;
        const code = action.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE';
        res.writeHead(action.status, headers);
        res.end(action.body ?? JSON.stringify({ errors: [{ code, message: `injected ${action.status}` }] }));
        return;
      }
    }
    let upstream: Upstream;
    if (entry.kind === 'tagPage' && options.pageSize !== undefined)
      upstream = await paginate(req, entry.path, body);
    else if (entry.kind === 'getBlob' && storage) upstream = await redirectBlob(req, entry.path, body);
    else upstream = await forward(req, entry.path, body);
    entry.status = upstream.status;
    const headers = { ...upstream.headers, ...(options.extraHeaders?.[entry.kind] ?? {}) };
    delete headers['transfer-encoding'];
    delete headers.connection;
    if (req.method !== 'HEAD') headers['content-length'] = String(upstream.body.length);
    res.writeHead(upstream.status, headers);
    res.end(req.method === 'HEAD' ? undefined : upstream.body);
  };

  const prefix = options.pathPrefix ?? '';
  const server = createServer((req, res) => {
    const raw = req.url ?? '/';
    if (!raw.startsWith(`${prefix}/`)) {
      log.push({ method: req.method ?? 'GET', path: raw, kind: 'other', authorization: false, status: 404 });
      res.writeHead(404).end();
      return;
    }
    const path = raw.slice(prefix.length);
    const entry: FrontRequestLog = {
      method: req.method ?? 'GET',
      path,
      kind: classifyRequest(req.method ?? 'GET', path),
      authorization: req.headers.authorization !== undefined,
      status: 0,
      arrived: performance.now(),
    };
    log.push(entry);
    res.on('finish', () => (entry.finished = performance.now()));
    handle(req, res, entry).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    log,
    storage: storage && { url: storage.url, log: storage.log },
    count: (kind, pathIncludes) =>
      log.filter((e) => e.kind === kind && (pathIncludes === undefined || e.path.includes(pathIncludes)))
        .length,
    addFault,
    clearFaults: () => {
      faults.length = 0;
    },
    clearLog: () => {
      log.length = 0;
      if (storage) storage.log.length = 0;
    },
    stop: async () => {
      await close(server);
      if (storage) await close(storage.server);
    },
  };
}
