/**
 * The seeder the registry tests, the e2e suites and the bench push their images with, against the
 * real registry (Debian's docker-registry): seeding many images at once must not race itself.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  registryTestGate,
  startRegistry,
  type RegistryServer,
} from '../../test-support/registry/registry-server.js';
import { seedMany, type SeedImageOptions } from '../../test-support/registry/seed.js';

const gate = registryTestGate();
if (gate.mustFail) {
  describe('seeder tests', () => {
    it('need docker-registry in CI', () => {
      throw new Error(gate.message);
    });
  });
}
const describeWithRegistry = gate.available ? describe : describe.skip;

describeWithRegistry('seedMany', () => {
  let registry: RegistryServer;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'open' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it.each([
    // Every tag's list names the same arm64 image (the default platforms): each list's PUT reads
    // the repository's link to it, which a second PUT of that image by digest would rewrite in
    // place meanwhile (distribution answered DIGEST_INVALID, MANIFEST_BLOB_UNKNOWN).
    ['docker-list', 'race/docker-list'],
    ['oci-index', 'race/oci-index'],
  ] as const)('pushes 24 %s images into one repository at once', async (format, path) => {
    const images: SeedImageOptions[] = Array.from({ length: 24 }, (_, i) => ({
      path,
      tags: [`v1.${i}.0`],
      created: new Date(Date.UTC(2024, 0, i + 1)).toISOString(),
      format,
    }));
    const seeded = await seedMany(registry, images, 16);
    expect(new Set(seeded.map((image) => image.digest)).size).toBe(24);
    const res = await fetch(`${registry.url}/v2/${path}/tags/list`);
    const { tags } = (await res.json()) as { tags: string[] };
    expect([...tags].sort()).toEqual(images.map((image) => image.tags[0]).sort());
  });
});
