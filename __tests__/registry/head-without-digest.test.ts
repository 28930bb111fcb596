/** A registry whose HEAD answers carry no Docker-Content-Digest: each manifest is still read once. */
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

describeWithRegistry('HEAD without a digest header', () => {
  let registry: RegistryServer | undefined;
  let front: Server | undefined;
  afterAll(async () => {
    front?.close();
    await registry?.stop();
  });

  it('hashes the manifest read by tag and does not GET it again by digest', async () => {
    registry = await startRegistry({ auth: 'open' });
    await seedImage(registry, { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' });
    const log: string[] = [];
    front = createServer((req, res) => {
      log.push(`${req.method} ${req.url}`);
      forwardRequest(registry!.url, req, res, (headers) => {
        if (req.method === 'HEAD') delete headers['docker-content-digest'];
        return headers;
      });
    });
    await new Promise<void>((resolve) => front!.listen(0, '127.0.0.1', resolve));
    const client = createRegistryClient({ http: { retries: 0 } });
    const details = await client.describeTags(`127.0.0.1:${(front.address() as AddressInfo).port}/team/app`, [
      '1.0.0',
    ]);
    expect(details.get('1.0.0')).toMatchObject({ created: new Date('2024-01-01T00:00:00Z') });
    expect(log.filter((l) => l.startsWith('GET') && l.includes('/manifests/'))).toHaveLength(1);
    expect(client.stats.getManifest).toBe(1);
  });
});
