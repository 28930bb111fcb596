/**
 * Real registries' quirks, each played by a small server on 127.0.0.1 that answers as that
 * registry was reported to answer (sources in the test names' comments): listing, auth and
 * pagination must work, or fail naming the registry and what to do.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
