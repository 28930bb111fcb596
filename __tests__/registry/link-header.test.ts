/**
 * The `rel="next"` target of a tag list's `Link` header, as registries send it (link-header.ts),
 * and a listing's refusal of a next link that leaves the registry, against a server on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { parseNextLink } from '../../src/registry/link-header.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

describe('parseNextLink', () => {
  it.each([
    ['</v2/a/tags/list?n=2&last=b>; rel="next"', '/v2/a/tags/list?n=2&last=b'],
    ['<https://r/v2/a/tags/list?last=b>; rel=next', 'https://r/v2/a/tags/list?last=b'],
    ['</p>; rel="prev", </n>; rel="next"', '/n'],
    ['</p>; rel="prev"', undefined],
    ['</n>; title="x"; REL="prev next"', '/n'],
    ['</n>; rel="nextpage"', undefined],
    [null, undefined],
    // A quoted value is one value: what it holds is no parameter, and no end of a link.
    ['</p>; title="a;rel=next"; rel="prev"', undefined],
    ['</p>; title="a, </n>; rel=next"; rel="prev"', undefined],
    ['</p>; title="say \\"hi\\"; rel=next"; rel="prev", </n>; rel="next"', '/n'],
    // A parameter given twice counts the first time (RFC 8288 §3).
    ['</p>; rel="prev"; rel="next"', undefined],
    // Text that is no link is skipped up to the next comma outside quotes.
    ['junk; rel="next", </n>; rel="next"', '/n'],
    ['</n; rel="next"', undefined],
  ])('%s', (header, expected) => {
    expect(parseNextLink(header)).toBe(expected);
  });

  // A pattern backtracking over the spaces took 1.8 s for 16 KB; over a megabyte it would not end
  // within the test's time, while one pass takes milliseconds (no clock is read here).
  it('reads a megabyte of spaces in one pass', () => {
    expect(parseNextLink(`</n>; rel=${' '.repeat(1_000_000)}`)).toBeUndefined();
    expect(parseNextLink(`</n>; rel=${' '.repeat(1_000_000)}next`)).toBe('/n');
  });
});

describe("a next link that leaves the registry's origin", () => {
  const servers: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it.each([
    {
      leads: 'to another scheme on the same host and port',
      link: (host: string) => `<https://${host}/v2/team/app/tags/list?last=a>; rel="next"`,
      says: (host: string) => `links to https://${host}, not the registry's http://${host}; refusing`,
    },
    {
      leads: 'to another host',
      link: () => '<http://127.0.0.2:9/v2/team/app/tags/list?last=a>; rel="next"',
      says: () => 'links to another host (127.0.0.2:9); refusing',
    },
  ])('$leads: is not followed, and the message says what differs', async ({ link, says }) => {
    const registry = await startHostileServer((_req, res) =>
      sendJson(res, 200, { name: 'team/app', tags: ['a'] }, { link: link(registry.host) }),
    );
    servers.push(registry);
    const client = createRegistryClient({ http: { retries: 0 } });

    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(says(registry.host));
    expect(registry.log).toHaveLength(1);
  });
});
