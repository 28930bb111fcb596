/**
 * A registry's `Warning` headers (OCI distribution spec, "Warnings"): 299 warnings are shown once
 * each per registry, redacted, at most five; other codes and other hosts' warnings are not.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo } from 'node:net';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { MAX_WARNINGS_PER_REGISTRY, warningTexts } from '../../src/registry/registry-warnings.js';
import { sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const PASSWORD = 'Warn1ng-Pa55word-77c0';

describe('warningTexts', () => {
  it.each([
    ['299 - "Your auth token will expire in 30 seconds."', ['Your auth token will expire in 30 seconds.']],
    ['299 - "a, b", 299 - "say \\"c\\""', ['a, b', 'say "c"']],
    ['110 - "Response is Stale", 299 - "deprecated"', ['deprecated']],
    [
      '299 registry.example "with an agent" "Wed, 21 Oct 2015 07:28:00 GMT", 299 - "next"',
      ['with an agent', 'next'],
    ],
    ['299 - ""', []],
    ['299 -', []],
    ['junk, 299 - "after junk"', ['after junk']],
    [null, []],
  ])('%s', (header, texts) => {
    expect(warningTexts(header)).toEqual(texts);
  });
});

describe("a registry's warnings", () => {
  const servers: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('are shown once each, redacted, and at most five per registry', async () => {
    let page = 0;
    const warnings = Array.from({ length: 8 }, (_, i) => `299 - "warning ${i}"`);
    const registry = await startHostileServer((_req, res) => {
      page += 1;
      const next = page < 3 ? { link: `</v2/team/app/tags/list?last=${page}>; rel="next"` } : {};
      sendJson(
        res,
        200,
        { tags: [String(page)] },
        {
          warning: [
            '299 - "this registry moves to registry.example.org on 2027-01-01"',
            `299 - "token for tester:${PASSWORD}"`,
            '110 - "Response is Stale"',
            ...(page === 3 ? warnings : []),
          ].join(', '),
          ...next,
        },
      );
    });
    servers.push(registry);
    const notices: string[] = [];
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: 'tester', password: PASSWORD }]]),
      http: { retries: 0 },
      onNotice: (message) => notices.push(message),
    });

    await expect(client.listTags(`${registry.host}/team/app`)).resolves.toEqual(['1', '2', '3']);
    expect(notices).toEqual([
      `${registry.host} warns: this registry moves to registry.example.org on 2027-01-01`,
      `${registry.host} warns: token for tester:***`,
      `${registry.host} warns: warning 0`,
      `${registry.host} warns: warning 1`,
      `${registry.host} warns: warning 2`,
      `${registry.host} sent more than ${MAX_WARNINGS_PER_REGISTRY} distinct warnings; the rest are not shown`,
    ]);
  });

  it('folded across lines (obs-fold, which undici joins with a space) lose both halves of a password', async () => {
    // Node's HTTP server refuses to write a line break in a header: the answer is written by hand.
    const body = JSON.stringify({ name: 'team/app', tags: ['1'] });
    const registry = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () =>
        socket.end(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n' +
            `warning: 299 - "token for tester:${PASSWORD.slice(0, 10)}\r\n ${PASSWORD.slice(10)} expires"\r\n` +
            `content-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
        ),
      );
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
    const notices: string[] = [];
    const client = createRegistryClient({
      credentials: new Map([[host, { username: 'tester', password: PASSWORD }]]),
      http: { retries: 0 },
      onNotice: (message) => notices.push(message),
    });
    try {
      await expect(client.listTags(`${host}/team/app`)).resolves.toEqual(['1']);
    } finally {
      await new Promise<void>((resolve) => registry.close(() => resolve()));
    }
    expect(notices).toEqual([`${host} warns: token for tester:*** expires`]);
  });

  it('of a host the registry redirected to are not shown', async () => {
    const storage = await startHostileServer((_req, res) =>
      sendJson(res, 200, { tags: ['1'] }, { warning: '299 - "from the storage host"' }),
    );
    const registry = await startHostileServer((req, res) => {
      res.writeHead(307, { location: `${storage.url}${req.url}` });
      res.end();
    });
    servers.push(storage, registry);
    const notices: string[] = [];
    const client = createRegistryClient({ http: { retries: 0 }, onNotice: (m) => notices.push(m) });

    await expect(client.listTags(`${registry.host}/team/app`)).resolves.toEqual(['1']);
    expect(notices).toEqual([]);
  });
});
