/**
 * A hostile registry's content, from real servers on 127.0.0.1 fed to the real client: tag lists
 * whose tags are megabytes long, `Link` headers that are no URL, manifests naming content by
 * something that is not a digest. Each is bounded, or a precise problem for that repository or
 * tag, and never read as if it were good.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { sendJson, startHostileServer, type HostileHandler, type HostileServer } from './hostile-server.js';

/** The longest a Docker tag can be (128 characters). */
const LONGEST_TAG = 'a'.repeat(128);

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(handler: HostileHandler): Promise<HostileServer> {
  const server = await startHostileServer(handler);
  servers.push(server);
  return server;
}

describe('tag lists', () => {
  it('tags longer than any Docker tag are not kept, so pages of them cannot fill the memory', async () => {
    // Each page offers one real tag and a few of 10,000 characters; 100 pages of 32 MiB of such
    // tags once held 3.4 GB.
    const long = (page: number, i: number) => `${page}-${i}-`.padEnd(10_000, 'x');
    const registry = await start((req, res) => {
      const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? 1);
      sendJson(
        res,
        200,
        { tags: [`1.${page}.0`, long(page, 1), long(page, 2), LONGEST_TAG] },
        page < 3 ? { link: `</v2/team/app/tags/list?page=${page + 1}>; rel="next"` } : {},
      );
    });
    const client = createRegistryClient({ http: { retries: 0 } });
    expect(await client.listTags(`${registry.host}/team/app`)).toEqual([
      '1.1.0',
      '1.2.0',
      '1.3.0',
      LONGEST_TAG,
    ]);
  });

  it('a next page that is not a URL is a problem saying so', async () => {
    const registry = await start((_req, res) =>
      sendJson(res, 200, { tags: ['1.0.0'] }, { link: '<http://[::>; rel="next"' }),
    );
    const client = createRegistryClient({ http: { retries: 0 } });
    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      `the tag list of ${registry.host}/team/app links to a next page that is not a valid URL; refusing to follow it`,
    );
  });
});
