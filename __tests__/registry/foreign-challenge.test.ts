/**
 * Where the registry's credentials may go, against small hostile servers of our own on 127.0.0.1:
 * only to the registry's own origin and to a token realm that registry named in its own
 * challenge; never to a host it redirected to, whatever that host asks. Also: one repository's
 * unusable realm fails that repository only; token responses are capped; auth failures say whose
 * credentials were looked up; host names compare case-insensitively.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_TOKEN_LENGTH } from '../../src/registry/token-protocol.js';
import { createRegistryClient, type RegistryClientOptions } from '../../src/registry/registry-client.js';
import { parseMirrors } from '../../src/registry/registry-names.js';
import { secretForms } from '../../src/registry/redact.js';
import { basic, sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const USER = 'tester';
const PASSWORD = 'Reg1stry-Pa55word-9f3c1e';
const IDENTITY = 'refresh-tok-7d2b5a0c1e';

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
async function start(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
  hostname: '127.0.0.1' | 'localhost' = '127.0.0.1',
): Promise<HostileServer> {
  const server = await startHostileServer(handler, hostname);
  servers.push(server);
  return server;
}

/** Every request that carried one of the secrets, in any form, anywhere (headers, URL, body). */
function leaks(server: HostileServer): string[] {
  const forms = [...secretForms(PASSWORD), ...secretForms(IDENTITY), basic(USER, PASSWORD)];
  return server.log.filter((r) => forms.some((f) => r.raw.includes(f))).map((r) => `${r.method} ${r.url}`);
}

/** A token service: logs who asked, hands out `<prefix>-<n>` tokens. */
async function startTokenService(prefix: string, hostname: '127.0.0.1' | 'localhost' = '127.0.0.1') {
  let issued = 0;
  return start((_req, res) => {
    issued += 1;
    sendJson(res, 200, { token: `${prefix}-token-${issued}`, expires_in: 300 });
  }, hostname);
}

/** A registry answering tag lists: `redirected` paths 307 to `foreign`, the rest list one tag. */
function registryHandler(options: {
  /** Accepts this Authorization (a Basic header, or a Bearer prefix). */
  accepts: (authorization: string | undefined) => boolean;
  challenge: string;
  redirected: (path: string) => string | undefined;
}) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!options.accepts(req.headers.authorization)) {
      res.writeHead(401, { 'www-authenticate': options.challenge }).end();
      return;
    }
    const target = options.redirected(req.url!);
    if (target) {
      res.writeHead(307, { location: target }).end();
      return;
    }
    sendJson(res, 200, { name: 'x', tags: ['1.0.0'] });
  };
}

/** A redirect target that asks for credentials with a Bearer realm on itself. */
async function startForeignAsker() {
  return start((req, res) => {
    if (req.url!.startsWith('/token')) {
      sendJson(res, 200, { token: 'foreign-token', expires_in: 300 });
      return;
    }
    if (req.headers.authorization === 'Bearer foreign-token') {
      sendJson(res, 200, { name: 'x', tags: ['6.6.6'] });
      return;
    }
    const self = `http://${req.headers.host}`;
    res
      .writeHead(401, {
        'www-authenticate': `Bearer realm="${self}/token",service="foreign",scope="repository:team/app:pull"`,
      })
      .end();
  }, 'localhost');
}

describe("a redirect target's challenge", () => {
  it.each([
    ['Basic registry, password', 'basic', { username: USER, password: PASSWORD }],
    [
      'Bearer registry (realm on its own token host), password',
      'bearer',
      { username: USER, password: PASSWORD },
    ],
    ['Bearer registry, identity token (POST flow)', 'bearer', { identityToken: IDENTITY }],
  ] as const)(
    '%s: the foreign host and its realm get no credential, and it does not become the registry scheme',
    async (_name, kind, credentials) => {
      const foreign = await startForeignAsker();
      const realm = await startTokenService('own');
      const registry = await start(
        registryHandler({
          accepts: (a) =>
            kind === 'basic' ? a === basic(USER, PASSWORD) : (a ?? '').startsWith('Bearer own-token'),
          challenge:
            kind === 'basic'
              ? 'Basic realm="registry"'
              : `Bearer realm="${realm.url}/token",service="registry"`,
          redirected: (path) => (path.includes('/team/app/') ? `${foreign.url}${path}` : undefined),
        }),
      );
      const client = createRegistryClient({
        credentials: new Map([[registry.host, credentials]]),
        http: { retries: 0 },
      });

      await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
        `redirected to ${foreign.host}, which asked for credentials`,
      );
      // The registry's other repositories still use the registry's own scheme.
      expect(await client.listTags(`${registry.host}/team/other`)).toEqual(['1.0.0']);

      expect(foreign.log.length).toBeGreaterThan(0);
      expect(foreign.log.filter((r) => r.url.startsWith('/token'))).toEqual([]);
      expect(foreign.log.filter((r) => r.authorization !== undefined)).toEqual([]);
      expect(leaks(foreign)).toEqual([]);
      expect(registry.log.filter((r) => r.authorization?.includes('foreign'))).toEqual([]);
    },
  );

  it('a token POST redirected to another host is not followed (its body carries the refresh token)', async () => {
    const foreign = await startForeignAsker();
    const realm = await start((_req, res) => {
      res.writeHead(307, { location: `${foreign.url}/token` }).end();
    });
    const registry = await start(
      registryHandler({
        accepts: (a) => a !== undefined,
        challenge: `Bearer realm="${realm.url}/token",service="registry"`,
        redirected: () => undefined,
      }),
    );
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { identityToken: IDENTITY }]]),
      http: { retries: 0 },
    });
    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      /redirected a POST with a body to another host/,
    );
    expect(foreign.log).toEqual([]);
  });

  it('a redirect to a URL with user info is not followed', async () => {
    const registry = await start((req, res) => {
      res.writeHead(307, { location: `http://user:pw@localhost:1${req.url}` }).end();
    });
    const client = createRegistryClient({ http: { retries: 0 } });
    const error = await client.listTags(`${registry.host}/team/app`).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/redirected to a URL with a user name or password/);
    expect((error as Error).message).not.toContain('user:pw');
  });
});

describe('a Link to a URL with user info', () => {
  it('is not followed, once, and its user info is not repeated', async () => {
    const registry = await start((req, res) => {
      if (req.url!.includes('last=')) return sendJson(res, 200, { tags: ['2.0.0'] });
      const next = `http://bob:Hunter2-Secret@${req.headers.host}/v2/team/app/tags/list?last=1.0.0`;
      sendJson(res, 200, { tags: ['1.0.0'] }, { link: `<${next}>; rel="next"` });
    });
    const client = createRegistryClient({ http: { retries: 2, retryBaseDelayMs: 0 } });
    const error = await client.listTags(`${registry.host}/team/app`).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /links to a URL with a user name or password; refusing to follow it/,
    );
    expect((error as Error).message).not.toMatch(/bob|Hunter2/);
    expect(registry.log.map((r) => r.url)).toEqual(['/v2/team/app/tags/list?n=1000']);
  });
});

describe("one repository's unusable realm fails that repository only", () => {
  it.each([
    ['a plain-HTTP realm on a non-loopback host', 'http://203.0.113.7/token'],
    ['a realm that is not a URL', 'not a url'],
    ['a realm that is not http(s)', 'ftp://127.0.0.1/token'],
    ['a realm with user info', 'http://u:p@127.0.0.1:1/token'],
  ])('%s', async (_name, badRealm) => {
    const realm = await startTokenService('own');
    const registry = await start((req, res) => {
      const own = (req.headers.authorization ?? '').startsWith('Bearer own-token');
      if (req.url!.includes('/team/bad/')) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${badRealm}",service="registry"` }).end();
      } else if (!own) {
        res
          .writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="registry"` })
          .end();
      } else sendJson(res, 200, { name: 'x', tags: ['1.0.0'] });
    });
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: USER, password: PASSWORD }]]),
      http: { retries: 0 },
    });
    await expect(client.listTags(`${registry.host}/team/bad`)).rejects.toThrow(/realm|token service/);
    expect(await client.listTags(`${registry.host}/team/good`)).toEqual(['1.0.0']);
    expect(await client.listTags(`${registry.host}/team/other`)).toEqual(['1.0.0']);
  });
});

describe('token responses are capped, and must hold a token', () => {
  it.each([
    [
      'a 20 MB token',
      (res: ServerResponse) => {
        // Streamed without a length, so only reading it can tell its size.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"token":"');
        const chunk = 'A'.repeat(1 << 20);
        for (let i = 0; i < 20; i += 1) res.write(chunk);
        res.end('"}');
      },
      'larger than the 1,048,576 bytes (1 MiB) accepted',
    ],
    [
      'a declared 20 MB body',
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(20 << 20) });
        res.write('{"token":"');
        res.end();
      },
      'of 20,971,520 bytes (20 MiB) is larger than the 1,048,576 bytes (1 MiB) accepted',
    ],
    [
      'a token just over the length cap in a small body',
      (res: ServerResponse) => sendJson(res, 200, { token: 'B'.repeat(MAX_TOKEN_LENGTH + 1) }),
      'a token of 65,537 characters, more than the 65,536 accepted',
    ],
    [
      // Read as an object, `null.token` was a TypeError for a message.
      'a body of JSON null',
      (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('null'),
      'sent no token',
    ],
    ['a body of a JSON array', (res: ServerResponse) => sendJson(res, 200, ['a-token']), 'sent no token'],
  ])('%s is refused for that registry, once, and never masked', async (_name, answer, message) => {
    const realm = await start((_req, res) => answer(res));
    const registry = await start((_req, res) => {
      res
        .writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="registry"` })
        .end();
    });
    const masked: string[] = [];
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: USER, password: PASSWORD }]]),
      maskSecret: (s) => masked.push(s),
      http: { retries: 2, retryBaseDelayMs: 0 },
    });
    const error = await client.listTags(`${registry.host}/team/app`).catch((e: Error) => e);
    expect(error).toMatchObject({ host: registry.host });
    expect((error as Error).message).toContain(`token service ${realm.host}`);
    expect((error as Error).message).toContain(message);
    expect(realm.log).toHaveLength(1);
    expect(Math.max(...masked.map((s) => s.length))).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
  });
});

describe('a token realm on a host the credentials do not belong to', () => {
  // The registry is on 127.0.0.1; a realm on `localhost` is another host, whatever the registry says.
  it.each([
    ['a password', { username: USER, password: PASSWORD }],
    ['an identity token (POST flow)', { identityToken: IDENTITY }],
  ] as const)(
    '%s: the realm is asked without credentials, and the refusal says why',
    async (_name, credentials) => {
      const realm = await startTokenService('anonymous', 'localhost');
      const registry = await start(
        registryHandler({
          accepts: () => false,
          challenge: `Bearer realm="${realm.url}/token",service="registry"`,
          redirected: () => undefined,
        }),
      );
      const client = createRegistryClient({
        credentials: new Map([[registry.host, credentials]]),
        http: { retries: 0 },
      });
      await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
        `credentials for ${registry.host} were found but not sent to ${realm.host}, which is neither ` +
          `${registry.host}'s host nor a host of its domain`,
      );
      expect(realm.log.map((r) => [r.method, r.authorization])).toEqual([['GET', undefined]]);
      expect(leaks(realm)).toEqual([]);
    },
  );

  it('a public image still lists with the anonymous token', async () => {
    const realm = await startTokenService('anonymous', 'localhost');
    const registry = await start(
      registryHandler({
        accepts: (a) => (a ?? '').startsWith('Bearer anonymous-token'),
        challenge: `Bearer realm="${realm.url}/token",service="registry"`,
        redirected: () => undefined,
      }),
    );
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: USER, password: PASSWORD }]]),
      http: { retries: 0 },
    });
    expect(await client.listTags(`${registry.host}/team/app`)).toEqual(['1.0.0']);
    expect(leaks(realm)).toEqual([]);
  });

  it("a realm on the registry's own host (another port) gets them", async () => {
    const realm = await startTokenService('own');
    const registry = await start(
      registryHandler({
        accepts: (a) => (a ?? '').startsWith('Bearer own-token'),
        challenge: `Bearer realm="${realm.url}/token",service="registry"`,
        redirected: () => undefined,
      }),
    );
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: USER, password: PASSWORD }]]),
      http: { retries: 0 },
    });
    expect(await client.listTags(`${registry.host}/team/app`)).toEqual(['1.0.0']);
    expect(realm.log.map((r) => r.authorization)).toEqual([basic(USER, PASSWORD)]);
  });
});

describe('authentication failures say whose credentials were looked up', () => {
  const registryAsking = () =>
    start((req, res) => {
      if (req.headers.authorization === basic(USER, PASSWORD)) sendJson(res, 200, { tags: ['1'] });
      else res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
    });

  const NOT_THERE = 'registries also answer 401 for repositories that do not exist';

  it.each<[string, (host: string) => RegistryClientOptions, (host: string) => string]>([
    // what the run has for the host, the client's options, what the parentheses say
    [
      'none found, no advice given: the neutral one',
      () => ({}),
      (host) =>
        `no credentials for ${host} were found: add credentials for ${host} to the Docker config; ${NOT_THERE}`,
    ],
    [
      "none found: the shell's advice for that host",
      () => ({ loginAdvice: (host) => `log in with \`docker login ${host}\`` }),
      (host) => `no credentials for ${host} were found: log in with \`docker login ${host}\`; ${NOT_THERE}`,
    ],
    // A helper that is not installed, an "auths" value not base64: a warning said why, and
    // "none were found" would contradict it; logging in is not the fix either.
    [
      'configured, but they could not be read',
      (host) => ({ unreadableCredentials: new Set([host]), loginAdvice: () => 'log in' }),
      (host) =>
        `the credentials configured for ${host} could not be read: the warning about the Docker config says why; ${NOT_THERE}`,
    ],
    // A Docker config that exists but could not be read at all (unreadable, not JSON): what it
    // holds is unknown, so "none were found" would be a guess; the message names the file.
    [
      'the Docker config could not be read at all',
      () => ({ unreadableConfig: '/home/u/.docker/config.json', loginAdvice: () => 'log in' }),
      (host) =>
        `credentials for ${host} could not be read, as the Docker config /home/u/.docker/config.json could not be read: the warning about the Docker config says why; ${NOT_THERE}`,
    ],
    [
      'the Docker config could not be read, but the host has credentials from elsewhere: those are named',
      (host) => ({
        unreadableConfig: 'DOCKER_AUTH_CONFIG',
        credentials: new Map([[host, { username: USER, password: 'wrong-password', origin: 'the file' }]]),
      }),
      (host) => `credentials for ${host} were found (the file) but not accepted: check them; ${NOT_THERE}`,
    ],
  ])('%s', async (_name, options, says) => {
    const registry = await registryAsking();
    const client = createRegistryClient({ http: { retries: 0 }, ...options(registry.host) });
    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      `authentication failed for the tag list of ${registry.host}/team/app (${says(registry.host)})`,
    );
  });

  it('found but refused', async () => {
    const registry = await registryAsking();
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: USER, password: 'wrong-password' }]]),
      http: { retries: 0 },
    });
    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      `credentials for ${registry.host} were found but not accepted`,
    );
  });

  it("a mirror's are looked up by the mirror's host", async () => {
    const mirror = await registryAsking();
    const client = createRegistryClient({
      credentials: new Map([['docker.io', { username: USER, password: PASSWORD }]]),
      mirrors: parseMirrors([`docker.io=${mirror.url}/dockerhub`]),
      http: { retries: 0 },
    });
    await expect(client.listTags('docker.io/library/nginx')).rejects.toThrow(
      `no credentials for ${mirror.host} were found`,
    );
    // docker.io's credentials are not the mirror's.
    expect(leaks(mirror)).toEqual([]);
  });
});

describe("a token service's refusal says what happened, and blames credentials only when they were sent", () => {
  const DOCKER_CONFIG = (host: string): RegistryClientOptions => ({
    credentials: new Map([[host, { username: USER, password: PASSWORD }]]),
  });

  it.each<[string, number, object | string, (host: string) => RegistryClientOptions, (r: string) => string]>([
    // case, the token service's status and body, the client's options, what follows "refused a token for <registry>"
    [
      'none sent: said as a fact, with how to give some',
      401,
      { details: 'no' },
      () => ({ loginAdvice: (host) => `run docker login ${host}` }),
      (r) =>
        `(401: no); it was asked without credentials (no credentials for ${r} were found); if the repository is private: run docker login ${r}`,
    ],
    [
      'none sent, as those configured could not be read',
      401,
      { details: 'no' },
      (host) => ({ unreadableCredentials: new Set([host]), loginAdvice: () => 'log in' }),
      (r) =>
        `(401: no); it was asked without credentials: the credentials configured for ${r} could not be read; the warning about the Docker config says why`,
    ],
    [
      'none sent, as the Docker config could not be read',
      401,
      { details: 'no' },
      () => ({ unreadableConfig: '/home/u/.docker/config.json', loginAdvice: () => 'log in' }),
      (r) =>
        `(401: no); it was asked without credentials: credentials for ${r} could not be read, as the Docker config /home/u/.docker/config.json could not be read; the warning about the Docker config says why`,
    ],
    [
      "none sent, and the service's page is no JSON: no words quoted",
      403,
      '<html><body>Forbidden</body></html>',
      () => ({ loginAdvice: () => 'log in' }),
      (r) =>
        `(403); it was asked without credentials (no credentials for ${r} were found); if the repository is private: log in`,
    ],
    // Docker Hub's words for a wrong password.
    [
      'sent and refused (401): check them',
      401,
      { details: 'incorrect username or password' },
      DOCKER_CONFIG,
      (r) =>
        `(401: incorrect username or password); the credentials for ${r} (from the Docker config) were sent: check them`,
    ],
    // Accepted as who they are, but not for this repository: not "check them".
    [
      'sent, and denied this repository (403)',
      403,
      { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] },
      DOCKER_CONFIG,
      (r) =>
        `(403: DENIED requested access to the resource is denied); the credentials for ${r} (from the Docker config) were sent and may not read this repository: check that they are allowed to pull it`,
    ],
    // A service that echoes what it was sent: its words are quoted without the secret.
    [
      'sent, and echoed back',
      401,
      { details: `bad password ${PASSWORD} for ${USER}` },
      DOCKER_CONFIG,
      (r) =>
        `(401: bad password *** for ${USER}); the credentials for ${r} (from the Docker config) were sent: check them`,
    ],
  ])('%s', async (_name, status, body, options, says) => {
    const realm = await start((_req, res) =>
      typeof body === 'string'
        ? res.writeHead(status, { 'content-type': 'text/html' }).end(body)
        : sendJson(res, status, body),
    );
    const registry = await start((_req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="r"` }).end();
    });
    const client = createRegistryClient({ http: { retries: 0 }, ...options(registry.host) });
    const error = await client.listTags(`${registry.host}/team/app`).catch((e: Error) => e);
    expect((error as Error).message).toContain(
      `the token service at ${realm.host} refused a token for ${registry.host} ${says(registry.host)}`,
    );
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  // Not a refusal: no credentials are mentioned, whatever was sent.
  it.each([500, 404])('a token service answering %d says that alone', async (status) => {
    const realm = await start((_req, res) => sendJson(res, status, { details: 'broken' }));
    const registry = await start((_req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="r"` }).end();
    });
    const client = createRegistryClient({ http: { retries: 0 }, ...DOCKER_CONFIG(registry.host) });
    const error = await client.listTags(`${registry.host}/team/app`).catch((e: Error) => e);
    expect((error as Error).message).toContain(`the token service ${realm.host} answered ${status}`);
    expect((error as Error).message).not.toMatch(/credentials/);
  });
});

describe('host names compare case-insensitively', () => {
  it("an upper-case registry host finds the lower-case Docker config key's credentials", async () => {
    const registry = await start((req, res) => {
      if (req.headers.authorization === basic(USER, PASSWORD)) sendJson(res, 200, { tags: ['1.0.0'] });
      else res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
    }, 'localhost');
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: USER, password: PASSWORD }]]),
      http: { retries: 0 },
    });
    expect(await client.listTags(`${registry.host.toUpperCase()}/team/app`)).toEqual(['1.0.0']);
  });

  it('an upper-case registry host finds its mirror', async () => {
    const mirror = await start((_req, res) => sendJson(res, 200, { tags: ['2.0.0'] }));
    const client = createRegistryClient({
      mirrors: parseMirrors([`registry.io=${mirror.url}`]),
      http: { retries: 0 },
    });
    expect(await client.listTags('Registry.IO/team/app')).toEqual(['2.0.0']);
    expect(mirror.log.map((r) => r.url)).toEqual(['/v2/team/app/tags/list?n=1000']);
  });
});
