/**
 * Test and benchmark helpers around a real distribution registry; one import for all of them:
 *
 *   import { startRegistry, seedMany, startFrontProxy } from '../test-support/registry/index.js';
 *
 *   const registry = await startRegistry({ auth: 'open' });           // or 'basic' / 'token'
 *   await seedMany(registry, tags.map((tag, i) => ({ path: 'bench/big', tags: [tag], created: times[i] })));
 *   const front = await startFrontProxy({ target: registry.url, latencyMs: 20, pageSize: 100 });
 *   const repository = `${front.host}/bench/big`;                    // what the client is given
 *   ... front.count('getManifest'), front.log ...
 *   await front.stop(); await registry.stop();
 */
export * from './front-proxy.js';
export * from './registry-server.js';
export * from './seed.js';
export * from './token-server.js';
