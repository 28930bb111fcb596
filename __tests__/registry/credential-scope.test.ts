/**
 * Credentials and tokens reach only the registry they belong to, even when a redirect, a `Link`
 * header or another registry's challenge points elsewhere. Against the real distribution registry.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import {
  registryTestGate,
  startRegistry,
  type RegistryServer,
} from '../../test-support/registry/registry-server.js';
import { forwardRequest } from '../../test-support/registry/forward.js';
import { seedImage } from '../../test-support/registry/seed.js';

const gate = registryTestGate();
const describeWithRegistry = gate.available ? describe : describe.skip;

/** Starts an HTTP server on 127.0.0.1 and returns its port. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describeWithRegistry('credential scope', () => {
  const servers: Server[] = [];
  const registries: RegistryServer[] = [];
  afterAll(async () => {
    for (const s of servers) s.close();
    await Promise.all(registries.map((r) => r.stop()));
  });

  it('a tag listing redirected to another host never sends it the credentials, on any page', async () => {
    const registry = await startRegistry({ auth: 'basic' });
    registries.push(registry);
    await seedImage(registry, {
      path: 'team/app',
      tags: ['1.0.0', '1.1.0'],
      created: '2024-01-01T00:00:00Z',
    });
    const seen: string[] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '-');
      res.setHeader('content-type', 'application/json');
      if (!new URL(req.url!, 'http://x').searchParams.get('last')) {
        res.setHeader('link', '</v2/team/app/tags/list?n=1000&last=1.0.0>; rel="next"');
        res.end(JSON.stringify({ name: 'team/app', tags: ['1.0.0'] }));
      } else res.end(JSON.stringify({ name: 'team/app', tags: ['1.1.0'] }));
    });
    servers.push(other);
    const otherPort = await listen(other);
    const front = createServer((req, res) => {
      if (req.url!.includes('/tags/list') && req.headers.authorization) {
        res.writeHead(307, { location: `http://localhost:${otherPort}${req.url}` });
        res.end();
        return;
      }
      forwardRequest(registry.url, req, res);
    });
    servers.push(front);
    const host = `127.0.0.1:${await listen(front)}`;
    const client = createRegistryClient({
      credentials: new Map([[host, { username: 'tester', password: 'secret' }]]),
      http: { retries: 0 },
    });
    await expect(client.listTags(`${host}/team/app`)).rejects.toThrow(/links to another host/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((a) => a === '-')).toBe(true);
  });

  it("a token got with one registry's credentials is never handed to another registry naming the same realm", async () => {
    const registry = await startRegistry({ auth: 'token', token: { anonymousPull: false } });
    registries.push(registry);
    await seedImage(registry, { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' });
    const seen: string[] = [];
    const impostor = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '-');
      if (!req.headers.authorization) {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="${registry.tokenServer!.realm}",service="${registry.service}",scope="repository:team/app:pull"`,
        });
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: 'x', tags: ['1'] }));
    });
    servers.push(impostor);
    const impostorHost = `localhost:${await listen(impostor)}`;
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: 'tester', password: 'secret' }]]),
      http: { retries: 0 },
    });
    expect(await client.listTags(`${registry.host}/team/app`)).toEqual(['1.0.0']);
    await client.listTags(`${impostorHost}/team/app`).catch(() => undefined);
    // Whatever the impostor got was asked for without the credentials (an anonymous token at most).
    const subjects = seen
      .filter((a) => a.startsWith('Bearer '))
      .map(
        (a) =>
          (JSON.parse(Buffer.from(a.slice(7).split('.')[1], 'base64url').toString()) as { sub?: string }).sub,
      );
    expect(subjects.filter((sub) => sub === 'tester')).toEqual([]);
    expect(registry.tokenServer!.log.filter((entry) => entry.user === 'tester')).toHaveLength(1);
  });

  // distribution answers 401 error="insufficient_scope" to a token that does not grant the
  // repository: the credentials worked (the token service took them), the account's access did not.
  it.each([
    {
      auth: 'token' as const,
      password: 'secret',
      says: 'credentials for HOST were found, and the token service gave a token for them, but HOST says it does not grant this repository (insufficient_scope): check that the account may pull it',
    },
    {
      auth: 'basic' as const,
      password: 'wrong',
      says: 'credentials for HOST were found but not accepted: check them',
    },
  ])('a 401 to credentials over $auth says what was refused', async ({ auth, password, says }) => {
    const registry = await startRegistry({ auth, token: { anonymousPull: false, denied: ['team/private'] } });
    registries.push(registry);
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: 'tester', password }]]),
      http: { retries: 0 },
    });
    const listing = client.listTags(`${registry.host}/team/private`);
    await expect(listing).rejects.toThrow(says.replaceAll('HOST', registry.host));
  });
});
