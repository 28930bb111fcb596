/**
 * A registry made up on the fly, for cases a real registry cannot be seeded with in reasonable
 * time (a million tags) and for hostile behaviour at the protocol level (requests that never get
 * an answer, a body that trickles forever). It speaks just enough of the distribution API for the
 * client: `GET /v2/<name>/tags/list` (Link-paginated), `HEAD`/`GET /v2/<name>/manifests/<tag or
 * digest>` (an OCI image manifest per tag) and `GET /v2/<name>/blobs/<digest>` (its config, whose
 * `created` the test chooses). Nothing is stored: manifests and configs are derived from the tag.
 *
 *   const registry = await startSyntheticRegistry({
 *     repositories: { 'big/app': { count: 1_000_000 } },   // tags build-0000000 ... build-0999999
 *     pageSize: 50_000,
 *     hang: (req) => req.path.includes('/slow/'),
 *   });
 *   ... `${registry.host}/big/app` ...; registry.count('headManifest'); await registry.stop();
 *
 * No jest globals: the benchmark imports this under `tsx`.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One repository's tags: a generated range, or a list with build times. */
export type SyntheticRepository =
  | {
      /** Tags `build-0000000` .. `build-<count-1>`, each built one minute after the previous. */
      count: number;
    }
  | {
      /** Tag -> build time (ISO 8601). */
      tags: Record<string, string>;
    };

/** What a request was for. */
export type SyntheticRequestKind = 'tagPage' | 'headManifest' | 'getManifest' | 'getBlob' | 'other';

/** One request as the registry saw it. */
export interface SyntheticRequest {
  method: string;
  path: string;
  kind: SyntheticRequestKind;
  /** The repository named in the path, when there is one. */
  repository?: string;
  /** Order of arrival and of the connection's end among all the registry's events. */
  arrived: number;
  closed?: number;
}

/** Options of {@link startSyntheticRegistry}. */
export interface SyntheticRegistryOptions {
  repositories: Record<string, SyntheticRepository>;
  /** Tags per page of the tag list, whatever `n` asks for. Default: every tag on one page. */
  pageSize?: number;
  /** Requests for which this is true are never answered (the socket stays open). */
  hang?: (request: SyntheticRequest) => boolean;
  /** Requests for which this is true get their headers, then one body byte every second, forever. */
  trickle?: (request: SyntheticRequest) => boolean;
  /** Milliseconds each request waits before it is answered (a slow registry). Default none. */
  delayMs?: (request: SyntheticRequest) => number;
}

/** A running synthetic registry. */
export interface SyntheticRegistry {
  /** `127.0.0.1:<port>`, the registry part of image references. */
  host: string;
  /** Every request, in arrival order. */
  log: SyntheticRequest[];
  /** Requests of one kind (optionally of one repository). */
  count(kind: SyntheticRequestKind, repository?: string): number;
  /** Most requests that were open at once. */
  readonly peakOpen: number;
  stop(): Promise<void>;
}

const BASE_TIME = Date.UTC(2020, 0, 1);
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const CONFIG_TYPE = 'application/vnd.oci.image.config.v1+json';

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The generated name of tag `i` (lexical order is build order). */
export function syntheticTag(i: number): string {
  return `build-${String(i).padStart(7, '0')}`;
}

/** The build time of generated tag `i`. */
export function syntheticCreated(i: number): string {
  return new Date(BASE_TIME + i * 60_000).toISOString();
}

interface Repository {
  /** Tag at an index, sorted. */
  tags: () => string[];
  created: (tag: string) => string | undefined;
}

function repositoryOf(spec: SyntheticRepository): Repository {
  if ('count' in spec) {
    let list: string[] | undefined;
    return {
      tags: () => (list ??= Array.from({ length: spec.count }, (_, i) => syntheticTag(i))),
      created: (tag) => {
        const match = /^build-(\d{7})$/.exec(tag);
        const i = match ? Number(match[1]) : -1;
        return i >= 0 && i < spec.count ? syntheticCreated(i) : undefined;
      },
    };
  }
  const sorted = Object.keys(spec.tags).sort();
  return { tags: () => sorted, created: (tag) => spec.tags[tag] };
}

/** Starts a synthetic registry on 127.0.0.1; see the module comment. */
export async function startSyntheticRegistry(options: SyntheticRegistryOptions): Promise<SyntheticRegistry> {
  const repositories = new Map(
    Object.entries(options.repositories).map(([name, spec]) => [name, repositoryOf(spec)]),
  );
  const log: SyntheticRequest[] = [];
  /** Content by digest, filled as manifests are made. */
  const content = new Map<string, { type: string; body: string }>();
  const trickles = new Set<NodeJS.Timeout>();
  let open = 0;
  let events = 0;
  let peakOpen = 0;

  const manifestFor = (name: string, tag: string, created: string) => {
    const config = JSON.stringify({
      created,
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { tag } },
    });
    const configDigest = sha256(config);
    content.set(configDigest, { type: CONFIG_TYPE, body: config });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: CONFIG_TYPE, digest: configDigest, size: Buffer.byteLength(config) },
      layers: [],
      annotations: { repository: name },
    });
    const digest = sha256(manifest);
    content.set(digest, { type: MANIFEST_TYPE, body: manifest });
    return { digest, manifest };
  };

  const notFound = (res: ServerResponse, what: string) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: `${what} not found` }] }));
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const match = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+)$/.exec(url.pathname);
    const method = req.method ?? 'GET';
    const section = match?.[2] ?? '';
    const kind: SyntheticRequestKind = section.startsWith('tags')
      ? 'tagPage'
      : section.startsWith('manifests')
        ? method === 'HEAD'
          ? 'headManifest'
          : 'getManifest'
        : section.startsWith('blobs')
          ? 'getBlob'
          : 'other';
    const entry: SyntheticRequest = {
      method,
      path: `${url.pathname}${url.search}`,
      kind,
      ...(match ? { repository: match[1] } : {}),
      arrived: (events += 1),
    };
    log.push(entry);
    open += 1;
    peakOpen = Math.max(peakOpen, open);
    res.on('close', () => {
      open -= 1;
      entry.closed = events += 1;
    });
    if (options.hang?.(entry)) return;
    if (options.trickle?.(entry)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 1000);
      trickles.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        trickles.delete(timer);
      });
      return;
    }
    const delay = options.delayMs?.(entry) ?? 0;
    if (delay <= 0) return respond(res, match, url, kind, section);
    const timer = setTimeout(() => respond(res, match, url, kind, section), delay);
    res.on('close', () => clearTimeout(timer));
  });

  /** Answers a request from the repositories made up. */
  const respond = (
    res: ServerResponse,
    match: RegExpExecArray | null,
    url: URL,
    kind: SyntheticRequestKind,
    section: string,
  ): void => {
    const repository = match ? repositories.get(match[1]!) : undefined;
    if (!match || !repository) return notFound(res, 'repository');
    const name = match[1]!;
    if (kind === 'tagPage') {
      const tags = repository.tags();
      const last = url.searchParams.get('last');
      let start = 0;
      if (last !== null) {
        // Binary search: the tags are sorted.
        let lo = 0;
        let hi = tags.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((tags[mid] as string) <= last) lo = mid + 1;
          else hi = mid;
        }
        start = lo;
      }
      const size = options.pageSize ?? tags.length;
      const page = tags.slice(start, start + size);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (start + size < tags.length) {
        headers.link = `</v2/${name}/tags/list?n=${size}&last=${encodeURIComponent(page[page.length - 1] ?? '')}>; rel="next"`;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify({ name, tags: page }));
      return;
    }
    const reference = decodeURIComponent(section.slice(section.indexOf('/') + 1));
    if (kind === 'headManifest' || kind === 'getManifest') {
      let found: { type: string; body: string; digest: string } | undefined;
      if (reference.startsWith('sha256:')) {
        const stored = content.get(reference);
        if (stored) found = { ...stored, digest: reference };
      } else {
        const created = repository.created(reference);
        if (created !== undefined) {
          const made = manifestFor(name, reference, created);
          found = { type: MANIFEST_TYPE, body: made.manifest, digest: made.digest };
        }
      }
      if (!found) return notFound(res, 'manifest');
      res.writeHead(200, {
        'content-type': found.type,
        'docker-content-digest': found.digest,
        'content-length': String(Buffer.byteLength(found.body)),
      });
      res.end(kind === 'headManifest' ? undefined : found.body);
      return;
    }
    const blob = content.get(reference);
    if (!blob) return notFound(res, 'blob');
    res.writeHead(200, { 'content-type': blob.type, 'docker-content-digest': reference });
    res.end(blob.body);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    log,
    count: (kind, repository) =>
      log.filter((r) => r.kind === kind && (repository === undefined || r.repository === repository)).length,
    get peakOpen() {
      return peakOpen;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const timer of trickles) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
