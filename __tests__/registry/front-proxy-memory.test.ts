// The benchmark's front proxy with `rememberAnswers` (--registry-from-memory): what it takes from
// the registry once, and what it never answers from memory.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFrontProxy, type FrontProxy } from '../../test-support/registry/index.js';

/** A registry stand-in that counts what reaches it: 200 for tag lists, 404 for anything else. */
let upstream: Server;
const reached: string[] = [];
let front: FrontProxy;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    reached.push(`${req.method} ${req.url} ${req.headers.accept ?? ''}`);
    req.resume();
    if (req.url?.endsWith('/tags/list')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'app', tags: [`t${reached.length}`] }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    }
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  front = await startFrontProxy({ target: `http://127.0.0.1:${port}`, rememberAnswers: true });
});

afterAll(async () => {
  await front.stop();
  await new Promise((resolve) => upstream.close(resolve));
});

async function ask(path: string, init: RequestInit = {}): Promise<[number, string]> {
  const response = await fetch(`${front.url}${path}`, init);
  return [response.status, await response.text()];
}

describe('front proxy remembering answers', () => {
  it.each([
    // what is asked twice, how many times it reaches the registry, the request
    ['a GET answered 200', 1, '/v2/app/tags/list', {}],
    ['a GET with another Accept', 1, '/v2/app/tags/list', { headers: { accept: 'application/x' } }],
    ['a GET answered 404', 2, '/v2/app/manifests/missing', {}],
    ['a PUT', 2, '/v2/app/tags/list', { method: 'PUT', body: 'x' }],
  ] as Array<[string, number, string, RequestInit]>)(
    '%s twice reaches the registry %d time(s)',
    async (_what, times, path, init) => {
      const before = reached.length;
      const first = await ask(path, init);
      const second = await ask(path, init);
      expect(reached.length - before).toBe(times);
      // The registry numbers its tag lists: an answer from memory is the first one again.
      if (times === 1) expect(second).toEqual(first);
      else expect(second[0]).toBe(first[0]);
    },
  );

  it('logs every request, answered from memory or not', () => {
    expect(front.count('tagPage')).toBe(6);
  });
});
