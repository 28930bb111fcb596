/**
 * The CLI, run from the source (`src/cli.ts` under tsx), sends GITHUB_TOKEN to ghcr.io only when
 * it is a github.com token, as the Action does with its `token`: with GITHUB_SERVER_URL naming a
 * GitHub Enterprise server (GHES, GHE.com), the token is that server's and ghcr.io gets none.
 * ghcr.io is a small HTTPS registry on 127.0.0.1 that asks for Basic credentials and records the
 * Authorization it gets, reached by its name through a forward proxy
 * (NODE_USE_ENV_PROXY=1), its certificate trusted through NODE_EXTRA_CA_CERTS.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';
import { startForwardProxy, type ForwardProxy } from '../../test-support/forward-proxy.js';
import { selfSignedCertificate } from '../../test-support/self-signed-certificate.js';
import { helmRelease } from '../reliability/support.js';

const TOKEN = 'ghs_the_workflow_token_0123456789';

let dir: string;
let server: Server;
let proxy: ForwardProxy;
let cert: string;
/** The Authorization header of each request ghcr.io got ('' for none). */
const received: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-ghcr-token-'));
  const pems = await selfSignedCertificate(dir, ['ghcr.io']);
  cert = pems.cert;
  server = createServer({ key: await readFile(pems.key), cert: await readFile(cert) }, (req, res) => {
    received.push(req.headers.authorization ?? '');
    if (!req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="ghcr"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name: 'acme/app', tags: ['1.0.0'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy = await startForwardProxy({
    hosts: { 'ghcr.io:443': `127.0.0.1:${(server.address() as AddressInfo).port}` },
  });
  await writeFile(join(dir, 'app.yaml'), helmRelease({ values: ['image: ghcr.io/acme/app:1.0.0'] }));
});

afterAll(async () => {
  await proxy?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const basic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;

it.each([
  ['GITHUB_SERVER_URL unset (github.com)', true, {}],
  ['GITHUB_SERVER_URL https://github.com', true, { GITHUB_SERVER_URL: 'https://github.com' }],
  ['a GitHub Enterprise Server', false, { GITHUB_SERVER_URL: 'https://ghe.example.com' }],
  ['a GHE.com tenant', false, { GITHUB_SERVER_URL: 'https://acme.ghe.com' }],
])('%s: ghcr.io is sent the token: %s', async (_name, sent, server: Record<string, string>) => {
  received.length = 0;
  const run = await runCliFromSource(['--dir', dir, '--json', '--no-cache'], {
    env: {
      GITHUB_TOKEN: TOKEN,
      ...server,
      NODE_USE_ENV_PROXY: '1',
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: cert,
    },
  });
  expect(received.length).toBeGreaterThan(0);
  expect(received.includes(basic)).toBe(sent);
  if (!sent) expect(received.every((authorization) => authorization === '')).toBe(true);
  // Without the token, ghcr.io's refusal is the container's error, saying no credentials were found.
  const [container] = (JSON.parse(run.stdout) as { containers: { reason: string }[] }).containers;
  expect(/no credentials for ghcr\.io were found/.test(container!.reason)).toBe(!sent);
});
