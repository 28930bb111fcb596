import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestCache, loadDigestCache, saveDigestCache } from '../../src/registry/digest-cache.js';
import {
  digestCacheKeys,
  restoreDigestCacheFile,
  saveDigestCacheFile,
  type CacheBackend,
} from '../../src/registry/actions-cache.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

describe('DigestCache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digest-cache-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips through a file', async () => {
    const cache = new DigestCache();
    expect(cache.changed).toBe(false);
    cache.set(D1, { created: '2024-01-02T03:04:05.000Z', source: 'https://github.com/o/r' });
    cache.set(D2, { created: null });
    expect(cache.changed).toBe(true);
    const path = join(dir, 'nested', 'digests.json');
    await saveDigestCache(path, cache);
    const loaded = await loadDigestCache(path);
    expect(loaded.size).toBe(2);
    expect(loaded.changed).toBe(false);
    expect(loaded.get(D1)).toEqual({ created: '2024-01-02T03:04:05.000Z', source: 'https://github.com/o/r' });
    expect(loaded.get(D2)).toEqual({ created: null });
  });

  it.each([
    ['missing file', undefined],
    ['not JSON', '{'],
    ['another version', JSON.stringify({ version: 99, entries: { [D1]: { created: null } } })],
  ])('starts empty on a %s', async (_name, content) => {
    const path = join(dir, `${_name}.json`);
    if (content !== undefined) await writeFile(path, content);
    expect((await loadDigestCache(path)).size).toBe(0);
  });

  it('drops malformed entries', () => {
    const cache = DigestCache.fromJSON({
      version: 1,
      entries: {
        [D1]: { created: 'not a date' },
        'sha256:short': { created: null },
        [D2]: { created: null },
      },
    });
    expect(cache.toJSON()).toEqual({ version: 1, entries: { [D2]: { created: null } } });
  });
});

describe('actions cache keys', () => {
  const location = { path: '/tmp/x/digests.json', prefix: 'hiu-digests-v1', runId: '42-1' };

  it('rolls forward: saves under the run id, restores by prefix', async () => {
    expect(digestCacheKeys(location)).toEqual({
      key: 'hiu-digests-v1-42-1',
      restoreKeys: ['hiu-digests-v1-'],
    });
    const calls: unknown[] = [];
    const backend: CacheBackend = {
      isFeatureAvailable: () => true,
      restoreCache: async (...args) => {
        calls.push(['restore', ...args]);
        return 'hiu-digests-v1-41-1';
      },
      saveCache: async (...args) => {
        calls.push(['save', ...args]);
        return 7;
      },
    };
    expect(await restoreDigestCacheFile(location, undefined, backend)).toBe('hiu-digests-v1-41-1');
    expect(await saveDigestCacheFile(location, undefined, backend)).toBe(true);
    expect(calls).toEqual([
      ['restore', ['/tmp/x/digests.json'], 'hiu-digests-v1-42-1', ['hiu-digests-v1-']],
      ['save', ['/tmp/x/digests.json'], 'hiu-digests-v1-42-1'],
    ]);
  });

  it('never fails the run', async () => {
    const notices: string[] = [];
    const backend: CacheBackend = {
      isFeatureAvailable: () => true,
      restoreCache: async () => {
        throw new Error('cache service down');
      },
      saveCache: async () => {
        throw new Error('Unable to reserve cache');
      },
    };
    expect(await restoreDigestCacheFile(location, (m) => notices.push(m), backend)).toBeUndefined();
    expect(await saveDigestCacheFile(location, (m) => notices.push(m), backend)).toBe(false);
    expect(notices).toHaveLength(2);
  });
});
