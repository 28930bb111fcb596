/**
 * Real registries' quirks, each played by a small server on 127.0.0.1 that answers as that
 * registry was reported to answer (sources in the test names' comments): listing, auth and
 * pagination must work, or fail naming the registry and what to do.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseTag, tagsNeedingDetails } from '../../src/filters/choose-tag.js';
import { parseFilter } from '../../src/filters/parse-filter.js';
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

/** `n` tags from `first`, the page after `last` of a sorted list, and whether more remain. */
function page(all: readonly string[], query: URLSearchParams): { tags: string[]; more: boolean } {
  const n = Number(query.get('n') ?? '100');
  const last = query.get('last');
  const from = last === null ? 0 : all.findIndex((t) => t > last);
  const rest = from < 0 ? [] : all.slice(from);
  return { tags: rest.slice(0, n), more: rest.length > n };
}

const TAGS = Array.from({ length: 250 }, (_, i) => `1.0.${String(i).padStart(3, '0')}`);

describe('repository-path registries whose next link loses the path prefix', () => {
  // JFrog Artifactory (RTFACT-18971; renovatebot/renovate#15030, #20745): for
  // artifactory.example.com/docker/renovate/renovate it sends
  // `Link: </v2/renovate/renovate/tags/list?last=...&n=...>`, without the repository key "docker".
  // Sonatype Nexus on a connector port (sonatype/nexus-public#1011) sends an absolute link with its
  // internal `/repository/<repo>/` prefix, which the connector answers 400.
  it.each([
    ['Artifactory (prefix dropped)', (q: string) => `</v2/app/tags/list?${q}>; rel="next"`],
    [
      'Nexus connector (internal prefix added)',
      (q: string, self: string) =>
        `<${self}/repository/docker-proxy/v2/docker-local/app/tags/list?${q}>; rel="next"`,
    ],
  ])('%s: every page is read from the repository asked about', async (_name, link) => {
    const registry = await start((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname !== '/v2/docker-local/app/tags/list') {
        // Another repository of the same host: its tags must never be mixed in.
        sendJson(res, url.pathname === '/v2/app/tags/list' ? 200 : 400, { name: 'app', tags: ['9.9.9'] });
        return;
      }
      const { tags, more } = page(TAGS, url.searchParams);
      const query = new URLSearchParams({ last: tags.at(-1) ?? '', n: url.searchParams.get('n') ?? '100' });
      sendJson(
        res,
        200,
        { name: 'docker-local/app', tags },
        more ? { link: link(query.toString(), `http://${req.headers.host}`) } : {},
      );
    });
    const client = createRegistryClient({ pageSize: 100, http: { retries: 0 } });

    await expect(client.listTags(`${registry.host}/docker-local/app`)).resolves.toEqual(TAGS);
    expect(registry.log.map((r) => new URL(r.url, 'http://x').pathname)).toEqual(
      Array(3).fill('/v2/docker-local/app/tags/list'),
    );
  });
});

/** A content-addressed blob or manifest: its bytes and `sha256:` digest. */
function content(value: unknown): { body: string; digest: string } {
  const body = JSON.stringify(value);
  return { body, digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
}

/**
 * A registry serving `manifests` by tag and digest (Content-Type from their mediaType) and
 * `blobs` by digest, with a tag list of the manifests' tags.
 */
function contentRegistry(
  manifests: Record<string, { body: string; digest: string }>,
  blobs: Array<{ body: string; digest: string }>,
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://x');
    const [, , ...rest] = url.pathname.split('/');
    const kind = rest.at(-2);
    const ref = decodeURIComponent(rest.at(-1)!);
    if (url.pathname.endsWith('/tags/list')) {
      sendJson(res, 200, { name: 'team/app', tags: Object.keys(manifests) });
      return;
    }
    const manifest =
      kind === 'manifests'
        ? (manifests[ref] ?? Object.values(manifests).find((m) => m.digest === ref))
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
    res.end(req.method === 'HEAD' ? undefined : found.body);
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
