/**
 * A registry read over HTTPS that names a token realm over plain HTTP on its own host (another
 * port) gets its credentials sent there by no run: they would cross the wire in clear, as a
 * redirect to http:// would have them (which drops them). The realm is asked without them, and the
 * refusal says why. The registry is a small HTTPS server on 127.0.0.1 (its certificate trusted
 * through NODE_EXTRA_CA_CERTS), reached as the mirror of registry.example.com; the CLI runs from
 * the source (`src/cli.ts` under tsx).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';
import { selfSignedCertificate } from '../../test-support/self-signed-certificate.js';
import { helmRelease } from '../reliability/support.js';

const PASSWORD = 'only-over-tls-s3cret';
const basic = `Basic ${Buffer.from(`robot:${PASSWORD}`).toString('base64')}`;

let dir: string;
let cert: string;
let registry: Server;
let registryHost: string;
let plainRealm: HttpServer;
let plainRealmHost: string;
/** The realm the registry names, per test. */
let realmUrl = '';
/** The Authorization header of each token request, by the realm's scheme ('' for none). */
const tokenRequests: Array<[string, string]> = [];

const answerToken = (
  scheme: string,
  authorization: string | undefined,
  res: import('node:http').ServerResponse,
) => {
  tokenRequests.push([scheme, authorization ?? '']);
  if (authorization !== basic) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ details: 'incorrect username or password' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ token: 'registry-token-0123456789' }));
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-plain-http-realm-'));
  const pems = await selfSignedCertificate(dir);
  cert = pems.cert;
  registry = createServer({ key: await readFile(pems.key), cert: await readFile(cert) }, (req, res) => {
    if (req.url!.startsWith('/token')) return answerToken('https', req.headers.authorization, res);
    if (req.headers.authorization !== 'Bearer registry-token-0123456789') {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realmUrl}",service="registry"` });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name: 'team/app', tags: ['1.0.0'] }));
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryHost = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
  plainRealm = createHttpServer((req, res) => answerToken('http', req.headers.authorization, res));
  await new Promise<void>((resolve) => plainRealm.listen(0, '127.0.0.1', resolve));
  plainRealmHost = `127.0.0.1:${(plainRealm.address() as AddressInfo).port}`;
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ auths: { [registryHost]: { username: 'robot', password: PASSWORD } } }),
  );
  await writeFile(
    join(dir, 'app.yaml'),
    helmRelease({ values: ['image: registry.example.com/team/app:1.0.0'] }),
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => registry.close(() => resolve()));
  await new Promise<void>((resolve) => plainRealm.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

it.each([
  // the realm the registry names, the scheme it is reached by, whether the credentials go there
  ['https, its own host and port', (): string => `https://${registryHost}/token`, 'https', true],
  ['plain http, its own host on another port', (): string => `http://${plainRealmHost}/token`, 'http', false],
])('a registry read over HTTPS naming a realm over %s', async (_case, realm, scheme, sent) => {
  realmUrl = realm();
  tokenRequests.length = 0;
  const run = await runCliFromSource(
    [
      '--dir', dir, '--paths', 'app.yaml', '--json', '--no-cache',
      '--registry-mirrors', `registry.example.com=https://${registryHost}`,
    ], // prettier-ignore
    { env: { DOCKER_CONFIG: dir, NODE_EXTRA_CA_CERTS: cert } },
  );
  expect(tokenRequests.length).toBeGreaterThan(0);
  expect(tokenRequests.every(([s]) => s === scheme)).toBe(true);
  const [container] = JSON.parse(run.stdout).containers;
  if (sent) {
    expect(tokenRequests.map(([, a]) => a)).toContain(basic);
    // Listed with the token; the tag's manifest is beyond this registry.
    expect(container.reason).not.toMatch(/credentials|authentication/);
  } else {
    expect(tokenRequests.map(([, a]) => a)).toEqual(tokenRequests.map(() => ''));
    expect(container.reason).toContain(
      `credentials for ${registryHost} were found but not sent to ${plainRealmHost} over plain HTTP, ` +
        `named by ${registryHost} over HTTPS: its credentials never leave HTTPS (have the registry name an https:// token realm)`,
    );
  }
});
