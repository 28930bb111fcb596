/**
 * What real registries serve and how they refuse, each played by a small server on 127.0.0.1 that
 * answers as reported (sources in comments by each case): signature tags beside images,
 * multi-platform indexes, chunked and HTTP/2-only answers, Docker Hub's pull limit, GHCR refusing
 * the workflow's token. Details are read right, or the error names the registry and what to do.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tagsNeedingDetails } from '../../src/filters/candidate-tags.js';
import { chooseTag } from '../../src/filters/choose-tag.js';
import { parseFilter } from '../../src/filters/parse-filter.js';
import { GITHUB_TOKEN_ORIGIN } from '../../src/registry/credential-messages.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
async function start(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<HostileServer> {
  const server = await startHostileServer(handler);
  servers.push(server);
  return server;
}

/** A content-addressed blob or manifest: its bytes and `sha256:` digest. */
function content(value: unknown): { body: string; digest: string } {
  const body = JSON.stringify(value);
  return { body, digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
}

/**
 * A registry serving `manifests` by tag and digest (Content-Type from their mediaType), `untagged`
 * manifests by digest and `blobs` by digest, with a tag list of the manifests' tags. `chunked`:
 * every body goes out in small chunks without Content-Length.
 */
function contentRegistry(
  manifests: Record<string, { body: string; digest: string }>,
  blobs: Array<{ body: string; digest: string }>,
  {
    untagged = [],
    chunked = false,
  }: { untagged?: Array<{ body: string; digest: string }>; chunked?: boolean } = {},
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://x');
    const [, , ...rest] = url.pathname.split('/');
    const kind = rest.at(-2);
    const ref = decodeURIComponent(rest.at(-1)!);
    if (url.pathname.endsWith('/tags/list')) {
      const body = JSON.stringify({ name: 'team/app', tags: Object.keys(manifests) });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (chunked) for (let at = 0; at < body.length; at += 7) res.write(body.slice(at, at + 7));
      res.end(chunked ? undefined : body);
      return;
    }
    const manifest =
      kind === 'manifests'
        ? (manifests[ref] ?? [...Object.values(manifests), ...untagged].find((m) => m.digest === ref))
        : undefined;
    const blob = kind === 'blobs' ? blobs.find((b) => b.digest === ref) : undefined;
    const found = manifest ?? blob;
    if (!found) {
      sendJson(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
      return;
    }
    const type = manifest
      ? (JSON.parse(found.body) as { mediaType: string }).mediaType
      : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'docker-content-digest': found.digest });
    if (chunked && req.method !== 'HEAD')
      for (let at = 0; at < found.body.length; at += 7) res.write(found.body.slice(at, at + 7));
    res.end(req.method === 'HEAD' || chunked ? undefined : found.body);
  };
}

describe('signatures, attestations and SBOMs stored as tags', () => {
  // cosign stores them beside the image as tags `sha256-<image digest>.sig|.att|.sbom`, OCI image
  // manifests whose config has an empty os and architecture; from cosign 1.10 to 2.1.1, and since
  // 2.2.4 with --record-creation-timestamp, `created` is the signing time (sigstore/cosign#522,
  // #2108, #3298, #3549, #3657, #3797), so the signature is the newest build in the repository.
  // The OCI 1.1 referrers tag schema (distribution-spec "Referrers Tag Schema") adds a bare
  // `sha256-<digest>` tag holding an index of them.
  it.each([
    ['a cosign signature (.sig)', 'sig'],
    ['a cosign attestation (.att)', 'att'],
    ['a cosign SBOM (.sbom)', 'sbom'],
    ['a referrers index (no suffix)', undefined],
  ])('%s tag newer than the image is never chosen under glob:*', async (_name, suffix) => {
    const imageConfig = content({
      architecture: 'amd64',
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      rootfs: { type: 'layers', diff_ids: [] },
      config: {},
    });
    const image = content({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 1, digest: imageConfig.digest },
      layers: [],
    });
    const signatureConfig = content({
      architecture: '',
      created: '2026-01-02T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: [] },
      config: {},
    });
    const signature = content({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        size: 1,
        digest: signatureConfig.digest,
      },
      layers: [
        {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          size: 1,
          digest: `sha256:${'4'.repeat(64)}`,
        },
      ],
    });
    const artifactTag = `${image.digest.replace(':', '-')}${suffix ? `.${suffix}` : ''}`;
    const registry = await start(
      contentRegistry({ '1.0.0': image, [artifactTag]: signature }, [imageConfig, signatureConfig]),
    );
    const client = createRegistryClient({ http: { retries: 0 } });
    const repository = `${registry.host}/team/app`;
    const filter = parseFilter('glob:*');
    const tags = await client.listTags(repository);
    const details = await client.describeTags(repository, tagsNeedingDetails(filter, '1.0.0', tags));

    expect(tags).toEqual(['1.0.0', artifactTag].sort());
    expect(chooseTag({ filter, current: '1.0.0', tags, details }).decision).toMatchObject({
      kind: 'up-to-date',
    });
  });
});

/** An image of `platform` built at `created`: its manifest of `mediaType` and its config. */
function builtImage(
  created: string,
  platform: { os: string; architecture: string },
  mediaType = 'application/vnd.oci.image.manifest.v1+json',
) {
  const config = content({ ...platform, created, rootfs: { type: 'layers', diff_ids: [] }, config: {} });
  const manifest = content({
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: mediaType.includes('oci')
        ? 'application/vnd.oci.image.config.v1+json'
        : 'application/vnd.docker.container.image.v1+json',
      size: config.body.length,
      digest: config.digest,
    },
    layers: [],
  });
  return { config, manifest };
}

describe('multi-platform images (OCI image index, Docker manifest list)', () => {
  // The build time is linux/amd64's (Flux v1 R10.1), whatever comes first in the index: buildx puts
  // attestation manifests (platform unknown/unknown, vnd.docker.reference.type) beside the images
  // (REGISTRIES.md §7); the tag's digest is the index's own.
  it.each([
    [
      'OCI image index',
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
    ],
    [
      'Docker manifest list',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ],
  ])(
    '%s: the linux/amd64 image gives the build time, the index the digest',
    async (_name, indexType, imageType) => {
      const arm = builtImage('2026-03-03T00:00:00Z', { os: 'linux', architecture: 'arm64' }, imageType);
      const amd = builtImage(
        '2026-02-02T00:00:00.123456789Z',
        { os: 'linux', architecture: 'amd64' },
        imageType,
      );
      const attestation = builtImage('2026-04-04T00:00:00Z', { os: 'unknown', architecture: 'unknown' });
      const entry = (m: { body: string; digest: string }, platform: object, extra: object = {}) => ({
        mediaType: (JSON.parse(m.body) as { mediaType: string }).mediaType,
        size: m.body.length,
        digest: m.digest,
        platform,
        ...extra,
      });
      const index = content({
        schemaVersion: 2,
        mediaType: indexType,
        manifests: [
          entry(
            attestation.manifest,
            { os: 'unknown', architecture: 'unknown' },
            {
              annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
            },
          ),
          entry(arm.manifest, { os: 'linux', architecture: 'arm64' }),
          entry(amd.manifest, { os: 'linux', architecture: 'amd64' }),
        ],
      });
      const registry = await start(
        contentRegistry({ '2.0.0': index }, [arm.config, amd.config, attestation.config], {
          untagged: [arm.manifest, amd.manifest, attestation.manifest],
        }),
      );
      const client = createRegistryClient({ http: { retries: 0 } });

      const details = await client.describeTags(`${registry.host}/team/app`, ['2.0.0']);

      expect(details.get('2.0.0')).toMatchObject({
        digest: index.digest,
        created: new Date('2026-02-02T00:00:00.123Z'),
        platforms: ['linux/arm64', 'linux/amd64'],
      });
    },
  );
});

describe('chunked answers (no Content-Length)', () => {
  it('tag lists, manifests and configs sent in 7-byte chunks read whole', async () => {
    const image = builtImage('2026-01-05T00:00:00Z', { os: 'linux', architecture: 'amd64' });
    const registry = await start(
      contentRegistry({ '1.0.0': image.manifest }, [image.config], { chunked: true }),
    );
    const client = createRegistryClient({ http: { retries: 0 } });

    await expect(client.listTags(`${registry.host}/team/app`)).resolves.toEqual(['1.0.0']);
    const details = await client.describeTags(`${registry.host}/team/app`, ['1.0.0']);
    expect(details.get('1.0.0')).toMatchObject({
      digest: image.manifest.digest,
      created: new Date('2026-01-05T00:00:00Z'),
    });
  });
});

describe("Docker Hub's pull limit", () => {
  // docker/docs content/manuals/docker-hub/usage/pulls.md: a manifest GET is a pull, a HEAD is not;
  // both carry `ratelimit-limit: 100;w=21600` and `ratelimit-remaining: 0;w=21600`; over the limit a
  // GET is `429` "You have reached your pull rate limit..." with no Retry-After, for the rest of the
  // 6-hour window (docker/getting-started#101 shows a HEAD's 200 with 0 left; docker/hub-feedback
  // #2197: denied requests were counted against the limit too).
  const hub = (ratelimit: Record<string, string>) => (req: IncomingMessage, res: ServerResponse) => {
    if (req.url!.includes('/tags/list')) {
      sendJson(res, 200, { name: 'library/nginx', tags: ['1.27.0'] });
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, {
        'content-type': 'application/vnd.oci.image.index.v1+json',
        'docker-content-digest': `sha256:${'d'.repeat(64)}`,
        ...ratelimit,
      });
      res.end();
      return;
    }
    const message =
      'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit';
    sendJson(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message }] }, ratelimit);
  };

  it('no pulls left: the manifest GET is not asked again, and the error says what to do', async () => {
    const registry = await start(
      hub({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' }),
    );
    const notices: string[] = [];
    const client = createRegistryClient({
      mirrors: { 'docker.io': registry.url },
      onNotice: (message) => notices.push(message),
      http: { retries: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 2 },
      // The shell's words (the CLI's or the Action's), for the host whose credentials are used.
      loginAdvice: (host) => `run docker login ${host}`,
    });

    const details = await client.describeTags('docker.io/library/nginx', ['1.27.0']);

    expect(String(details.get('1.27.0'))).toMatch(
      new RegExp(
        `^RegistryError: docker\\.io rate-limited the request for the manifest docker\\.io/library/nginx@sha256:d{64} \\(ratelimit-remaining 0\\); no pulls are left until the rate-limit window ends: run docker login ${registry.host} for a higher limit, and keep the digest cache between runs to pull less: TOOMANYREQUESTS You have reached your pull rate limit`,
      ),
    );
    expect(registry.log.filter((r) => r.method === 'GET' && r.url.includes('/manifests/'))).toHaveLength(1);
    expect(notices).toEqual([
      `docker.io: 0 pulls left of 100 in the current rate-limit window; run docker login ${registry.host} for a higher limit, or keep the digest cache to use fewer pulls`,
    ]);
  });

  it('the abuse limit (a 429 with pulls left) is retried', async () => {
    const registry = await start(
      hub({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '60;w=21600' }),
    );
    const client = createRegistryClient({
      mirrors: { 'docker.io': registry.url },
      http: { retries: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 2 },
    });

    await client.describeTags('docker.io/library/nginx', ['1.27.0']);

    expect(registry.log.filter((r) => r.method === 'GET' && r.url.includes('/manifests/'))).toHaveLength(4);
  });
});

describe('a registry that speaks only HTTP/2', () => {
  // Node's client speaks HTTP/1.1; a cleartext HTTP/2-only server answers it with HTTP/2 frames.
  it('fails naming the registry and what to do', async () => {
    const server = createHttp2Server((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createRegistryClient({ http: { retries: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 2 } });
    try {
      await expect(client.listTags(`127.0.0.1:${port}/team/app`)).rejects.toThrow(
        `GET 127.0.0.1:${port}/v2/team/app/tags/list: it does not answer in HTTP/1.1 (an HTTP/2-only endpoint?), ` +
          'the only protocol this client speaks; serve it over HTTP/1.1 too, or read it through a mirror that is (registry-mirrors)',
      );
      // Retried like any unreadable answer (a HEAD answered with a body garbles the next one alike).
      expect(client.stats).toMatchObject({ tagPage: 3, retries: 2 });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a registry on 127.0.0.1 whose port speaks TLS', () => {
  // A loopback registry is read over plain HTTP; a TLS port sends back an alert (protocol_version),
  // which is neither HTTP/1.1 nor HTTP/2.
  it('fails saying the port speaks HTTPS, and how to read it so', async () => {
    const server = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', () => socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createRegistryClient({ http: { retries: 0 } });
    try {
      await expect(client.listTags(`${host}/team/app`)).rejects.toThrow(
        `GET ${host}/v2/team/app/tags/list: the port answered in TLS: it speaks HTTPS, not the plain HTTP it was asked in ` +
          `(a registry on a loopback address is read over plain HTTP; to read this one over HTTPS, give it in registry-mirrors as ${host}=https://${host})`,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("GHCR refusing the workflow's token", () => {
  // ghcr.io's token service refuses a token that may not read the package: 403 "denied"
  // (actions/runner#1039 "installation not allowed to Read organization package"; esnet/gdg#122).
  // The workflow's token is used for ghcr.io without the user asking, so "check them" says nothing.
  const githubToken = { username: 'x-access-token', password: 'ghs_workflow', origin: GITHUB_TOKEN_ORIGIN };
  const advice =
    "give the job `permissions: packages: read`; a private package of another repository must grant this repository access (the package's settings, Manage Actions access), or log in to ghcr.io with a token that can read it";

  it.each([
    [
      'by its token service',
      'token',
      (host: string) =>
        `the token service at ${host} refused a token for ${host} (403: DENIED installation not allowed to Read organization package); the credentials for ${host} (the GitHub token) were sent: ${advice}`,
    ],
    [
      'by the registry',
      'registry',
      (host: string) =>
        `access denied to the tag list of ${host}/team/app (credentials for ${host} were found (the GitHub token): ${advice})`,
    ],
  ] as const)('%s: the error says what GitHub needs', async (_name, refuser, expected) => {
    const registry = await start((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/token') {
        if (refuser === 'token')
          sendJson(res, 403, {
            errors: [{ code: 'DENIED', message: 'installation not allowed to Read organization package' }],
          });
        else sendJson(res, 200, { token: 'djE6Z2hjcg==' });
        return;
      }
      if (req.headers.authorization === 'Bearer djE6Z2hjcg==') {
        sendJson(res, 403, {
          errors: [{ code: 'DENIED', message: 'installation not allowed to Read organization package' }],
        });
        return;
      }
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="ghcr.io",scope="repository:team/app:pull"`,
      });
      res.end();
    });
    const client = createRegistryClient({
      credentials: new Map([[registry.host, githubToken]]),
      http: { retries: 0 },
    });

    const error = await client.listTags(`${registry.host}/team/app`).catch((e: unknown) => e);

    expect(String(error)).toContain(expected(registry.host));
  });
});
