/**
 * A hostile registry's content, from real servers on 127.0.0.1 fed to the real client: tag lists
 * whose tags are megabytes long, `Link` headers that are no URL, manifests naming content by
 * something that is not a digest. Each is bounded, or a precise problem for that repository or
 * tag, and never read as if it were good.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { isRegistrySideError } from '../../src/plan/unchecked-reason.js';
import { secretForms } from '../../src/registry/redact.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import {
  basic,
  sendJson,
  startHostileServer,
  type HostileHandler,
  type HostileServer,
} from './hostile-server.js';

/** The longest a Docker tag can be (128 characters). */
const LONGEST_TAG = 'a'.repeat(128);

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function start(handler: HostileHandler): Promise<HostileServer> {
  const server = await startHostileServer(handler);
  servers.push(server);
  return server;
}

describe('tag lists', () => {
  it('tags longer than any Docker tag are not kept, so pages of them cannot fill the memory', async () => {
    // Each page offers one real tag and a few of 10,000 characters; 100 pages of 32 MiB of such
    // tags once held 3.4 GB.
    const long = (page: number, i: number) => `${page}-${i}-`.padEnd(10_000, 'x');
    const registry = await start((req, res) => {
      const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? 1);
      sendJson(
        res,
        200,
        { tags: [`1.${page}.0`, long(page, 1), long(page, 2), LONGEST_TAG] },
        page < 3 ? { link: `</v2/team/app/tags/list?page=${page + 1}>; rel="next"` } : {},
      );
    });
    const client = createRegistryClient({ http: { retries: 0 } });
    expect(await client.listTags(`${registry.host}/team/app`)).toEqual([
      '1.1.0',
      '1.2.0',
      '1.3.0',
      LONGEST_TAG,
    ]);
  });

  // JSON, but not an object: read as one, `null` was `null.tags`, a TypeError for a message.
  it.each([
    ['null', 'JSON null'],
    ['[]', 'a JSON array'],
    ['"1.3.0"', 'a JSON string'],
    ['42', 'a JSON number'],
    ['true', 'JSON true'],
  ])('a tag list body of %s is a problem saying it is not a tag list', async (body, kind) => {
    const registry = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const client = createRegistryClient({ http: { retries: 0 } });
    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      `the tag list of ${registry.host}/team/app is not a tag list (${kind})`,
    );
  });

  // Read as an empty page, each of these was "the repository has no tags": an image that could
  // not be checked reported as up to date.
  it.each([
    ['"tags": "1.3.0"', { tags: '1.3.0' }, '"tags" is a JSON string'],
    ['"tags" as an object', { tags: { 0: '1.3.0' } }, '"tags" is a JSON object'],
    ['"tags": true', { tags: true }, '"tags" is JSON true'],
    ['tags that are numbers', { tags: [1, 2] }, '"tags" holds a JSON number'],
    ['a null among the tags', { tags: ['1.3.0', null] }, '"tags" holds JSON null'],
  ])('a tag list with %s is a problem saying it is not a tag list', async (_name, body, problem) => {
    const registry = await start((_req, res) => sendJson(res, 200, body));
    const client = createRegistryClient({ http: { retries: 0 } });
    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      `the tag list of ${registry.host}/team/app is not a tag list (${problem})`,
    );
  });

  it.each([
    ['"tags": null (distribution 3.1.0)', { name: 'team/app', tags: null }],
    ['no "tags" at all', { name: 'team/app' }],
    ['"tags": []', { name: 'team/app', tags: [] }],
  ])('a page with %s is a repository without tags', async (_name, body) => {
    const registry = await start((_req, res) => sendJson(res, 200, body));
    const client = createRegistryClient({ http: { retries: 0 } });
    await expect(client.listTags(`${registry.host}/team/app`)).resolves.toEqual([]);
  });

  it.each([
    [
      'a 404 for the tag list says the registry has no such repository, and what to check',
      404,
      { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] },
      "the tag list of HOST/team/app not found (HOST has no such repository: check the image's name, and for a mirror or pull-through cache, registry-mirrors or registry-aliases): NAME_UNKNOWN repository name not known to registry",
    ],
    [
      "Go's answer to plain HTTP at an HTTPS port (the distribution registry's) says what to do",
      400,
      'Client sent an HTTP request to an HTTPS server.\n',
      'HOST answered 400 for the tag list of HOST/team/app: it speaks HTTPS, not the plain HTTP it was asked in (a registry on a loopback address is read over plain HTTP; to read this one over HTTPS, give it in registry-mirrors as HOST=https://HOST): Client sent an HTTP request to an HTTPS server.',
    ],
    [
      "nginx's answer to plain HTTP at an HTTPS port says what to do",
      400,
      '<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>',
      'HOST answered 400 for the tag list of HOST/team/app: it speaks HTTPS, not the plain HTTP it was asked in (a registry on a loopback address is read over plain HTTP; to read this one over HTTPS, give it in registry-mirrors as HOST=https://HOST): <html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>',
    ],
    [
      'another 400 is only a 400',
      400,
      'bad request',
      'HOST answered 400 for the tag list of HOST/team/app: bad request',
    ],
    [
      'an error whose code and message are no strings quotes neither (it read [object Object])',
      500,
      { errors: [{ code: { a: 1 }, message: ['x'] }] },
      'HOST answered 500 for the tag list of HOST/team/app',
    ],
  ])('%s', async (_name, status, body, message) => {
    // A string is the answer's text as it is; anything else is sent as JSON.
    const registry = await start((_req, res) =>
      typeof body === 'string' ? res.writeHead(status).end(body) : sendJson(res, status, body),
    );
    const client = createRegistryClient({ http: { retries: 0 } });
    const listing = client.listTags(`${registry.host}/team/app`);
    await expect(listing).rejects.toThrow(message.replaceAll('HOST', registry.host));
    expect(await listing.catch((e: Error) => e.message)).toBe(message.replaceAll('HOST', registry.host));
  });

  it('a next page that is not a URL is a problem saying so', async () => {
    const registry = await start((_req, res) =>
      sendJson(res, 200, { tags: ['1.0.0'] }, { link: '<http://[::>; rel="next"' }),
    );
    const client = createRegistryClient({ http: { retries: 0 } });
    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      `the tag list of ${registry.host}/team/app links to a next page that is not a valid URL; refusing to follow it`,
    );
  });
});

/** `sha256:<hex>` of a body. */
function digestOf(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * A registry whose one tag `1.0.0` is `manifest` (by tag or digest); any other path answers a
 * config with a build time, as if it were one, so reading it would be seen.
 */
async function startServing(manifest: object): Promise<HostileServer> {
  const body = JSON.stringify(manifest);
  return start((req, res) => {
    const ref = new URL(req.url!, 'http://x').pathname.split('/manifests/')[1];
    if (ref !== '1.0.0' && ref !== digestOf(body))
      return sendJson(res, 200, { created: '2099-01-01T00:00:00Z' });
    const type = (JSON.parse(body) as { mediaType: string }).mediaType;
    res.writeHead(200, { 'content-type': type, 'docker-content-digest': digestOf(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

/** An image manifest naming its config by `configDigest`. */
const image = (configDigest: string) => ({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: 2 },
  layers: [],
});

describe('manifests naming content by something that is not a digest', () => {
  const index = (digest: string) => ({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest, size: 2, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  });

  it.each([
    [
      'a config named by a path',
      image('md5:../../../../v2/other/tags/list'),
      'the manifest names its config by something that is not a sha256 digest',
    ],
    [
      'a config named by a 100,000-character digest',
      image(`sha256:${'a'.repeat(100_000)}`),
      'the manifest names its config by something that is not a sha256 digest',
    ],
    [
      "an index's image named by a path",
      index('sha512:../../blobs/x'),
      'names its image by something that is not a sha256 digest',
    ],
  ])(
    '%s: the tag is a problem saying so, and nothing of its naming is requested',
    async (_name, manifest, message) => {
      const registry = await startServing(manifest);
      const client = createRegistryClient({ http: { retries: 0 } });
      const details = await client.describeTags(`${registry.host}/team/app`, ['1.0.0']);
      const result = details.get('1.0.0');
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toContain(message);
      expect((result as Error).message.length).toBeLessThan(300);
      // The registry answered: the fault is the image's, not counted with the registry's failures.
      expect(isRegistrySideError(result as Error)).toBe(false);
      expect(registry.log.map((r) => r.url).filter((url) => !url.includes('/manifests/'))).toEqual([]);
    },
  );
});

describe('tag lists echoing the credentials', () => {
  // A tag holding the password would be shown in problems, kept in the digest cache (which goes
  // to the Actions cache) and, if chosen, written into a pull request.
  const password = 'Tag-Pa55word-9c2d';
  it.each([
    ['the password', `1.9.9-${password}`],
    [
      'base64 of user:password (a Basic header)',
      `1.9.8-${Buffer.from(`tester:${password}`).toString('base64').replace(/=+$/, '')}`,
    ],
    ['the password lower-cased', `1.9.7-${password.toLowerCase()}`],
  ])('a tag holding %s: the listing fails, saying so without the tag', async (_name, echoed) => {
    const auth = basic('tester', password);
    const registry = await start((req, res) => {
      if (req.headers.authorization !== auth) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
        return;
      }
      sendJson(res, 200, { name: 'team/app', tags: ['1.0.0', echoed, '1.1.0'] });
    });
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: 'tester', password }]]),
      http: { retries: 0 },
    });
    const listing = client.listTags(`${registry.host}/team/app`);
    await expect(listing).rejects.toThrow(
      `the tag list of ${registry.host}/team/app has 1 tag holding a credential this run sends to the registry ` +
        '(it echoes what it is sent); none of its tags is used',
    );
    const message = await listing.catch((e: Error) => e.message);
    expect(message).not.toContain(echoed);
    expect(JSON.stringify(client.digestCache.toJSON())).not.toContain(echoed);
  });

  it('tags are kept when no credential is sent, whatever they hold', async () => {
    const registry = await start((_req, res) => sendJson(res, 200, { tags: ['1.0.0', 'eyJhbGc.eyJzdWI.x'] }));
    const client = createRegistryClient({ http: { retries: 0 } });
    expect(await client.listTags(`${registry.host}/team/app`)).toEqual(['1.0.0', 'eyJhbGc.eyJzdWI.x']);
  });
});

describe('image labels echoing the credentials', () => {
  it('are redacted before the digest cache keeps them (the file goes to the Actions cache)', async () => {
    const password = 'Label-Pa55word-4e1b7c';
    const auth = basic('tester', password);
    const config = JSON.stringify({
      created: '2024-01-01T00:00:00Z',
      config: {
        Labels: {
          'org.opencontainers.image.source': `https://github.com/acme/app?p=${encodeURIComponent(password)}`,
          'org.opencontainers.image.revision': auth,
        },
      },
    });
    const manifest = JSON.stringify(image(digestOf(config)));
    const registry = await start((req, res) => {
      if (req.headers.authorization !== auth) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
        return;
      }
      if (req.url!.includes('/blobs/')) return sendJson(res, 200, JSON.parse(config));
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': digestOf(manifest) });
      res.end(req.method === 'HEAD' ? undefined : manifest);
    });
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: 'tester', password }]]),
      http: { retries: 0 },
    });
    const details = await client.describeTags(`${registry.host}/team/app`, ['1.0.0']);
    expect(details.get('1.0.0')).toMatchObject({ source: expect.stringContaining('github.com/acme/app') });
    const file = JSON.stringify(client.digestCache.toJSON());
    expect(file).toContain('github.com/acme/app');
    for (const form of secretForms(password)) expect(file).not.toContain(form);
    expect(file).not.toContain(auth.slice('Basic '.length));
  });
});

describe('image platforms echoing the credentials', () => {
  // Platform names are checked to hold no markup ([A-Za-z0-9._-]), which many passwords pass: one
  // holding the password makes the image's platforms unknown, never cached or shown.
  const password = 'Platform-Pa55word-9c2d';
  const auth = basic('tester', password);
  const config = JSON.stringify({ created: '2024-01-01T00:00:00Z', os: 'linux', architecture: 'amd64' });
  const child = JSON.stringify(image(digestOf(config)));
  const indexOf = (platforms: object[]) =>
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: platforms.map((platform) => ({
        mediaType: OCI_MANIFEST,
        digest: digestOf(child),
        size: 2,
        platform,
      })),
    });

  it.each([
    [
      'an index, as a variant',
      indexOf([
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: password },
      ]),
    ],
    [
      'an index, as an os',
      indexOf([
        { os: 'linux', architecture: 'amd64' },
        { os: password, architecture: 'amd64' },
      ]),
    ],
    [
      "a single image's config, as its architecture",
      JSON.stringify(
        image(
          digestOf(JSON.stringify({ created: '2024-01-01T00:00:00Z', os: 'linux', architecture: password })),
        ),
      ),
    ],
  ])('in %s: the platforms are unknown, and the cache holds no form of it', async (_name, top) => {
    const ownConfig = JSON.stringify({
      created: '2024-01-01T00:00:00Z',
      os: 'linux',
      architecture: password,
    });
    const registry = await start((req, res) => {
      if (req.headers.authorization !== auth) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
        return;
      }
      const ref = new URL(req.url!, 'http://x').pathname.split('/').pop()!;
      if (req.url!.includes('/blobs/'))
        return sendJson(res, 200, JSON.parse(ref === digestOf(config) ? config : ownConfig));
      const body = ref === digestOf(child) ? child : top;
      const type = (JSON.parse(body) as { mediaType: string }).mediaType;
      res.writeHead(200, { 'content-type': type, 'docker-content-digest': digestOf(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    const client = createRegistryClient({
      credentials: new Map([[registry.host, { username: 'tester', password }]]),
      http: { retries: 0 },
    });
    const details = await client.describeTags(`${registry.host}/team/app`, ['1.0.0']);
    expect(details.get('1.0.0')).toMatchObject({ digest: digestOf(top) });
    expect(details.get('1.0.0')).not.toHaveProperty('platforms');
    const platforms = await client.describePlatforms(`${registry.host}/team/app`, ['1.0.0']);
    // Unknown for an index; a single image's manifest names none (`[]`: its config's is read above).
    expect(platforms.get('1.0.0') ?? []).toEqual([]);
    const file = JSON.stringify(client.digestCache.toJSON());
    for (const form of secretForms(password)) expect(file).not.toContain(form);
  });
});

/**
 * A signed schema 1 manifest as distribution writes it (libtrust's pretty signature): the payload
 * without its closing `\n}`, the signatures, and the `\n}`; its digest is the payload's.
 */
function signedSchema1(created: string): { body: string; digest: string } {
  const history = [{ v1Compatibility: JSON.stringify({ created }) }];
  const payload = JSON.stringify({ schemaVersion: 1, name: 'team/app', tag: '1.0.0', history }, null, 3);
  const formatLength = payload.length - 2;
  const formatTail = Buffer.from(payload.slice(formatLength)).toString('base64url');
  const header = Buffer.from(JSON.stringify({ formatLength, formatTail })).toString('base64url');
  const signatures = `,\n   "signatures": [{"header": {}, "signature": "c2ln", "protected": "${header}"}]`;
  return {
    body: payload.slice(0, formatLength) + signatures + payload.slice(formatLength),
    digest: digestOf(payload),
  };
}

const SCHEMA1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
const REAL_TIME = '2019-05-06T07:08:09Z';
const MADE_UP_TIME = '2099-01-01T00:00:00Z';

describe('content checked against its digest', () => {
  /** A registry answering every manifest request with `body` as `type`, and HEAD with `digest`. */
  async function startAnswering(body: string, type: string, digest: string): Promise<HostileServer> {
    return start((req, res) => {
      if (req.url!.includes('/blobs/')) return sendJson(res, 200, { created: MADE_UP_TIME });
      res.writeHead(200, { 'content-type': type, 'docker-content-digest': digest });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  }

  it('a signed schema 1 manifest is read, checked by its payload', async () => {
    const signed = signedSchema1(REAL_TIME);
    const registry = await startAnswering(signed.body, SCHEMA1_SIGNED, signed.digest);
    const client = createRegistryClient({ http: { retries: 0 } });
    const details = await client.describeTags(`${registry.host}/team/app`, ['1.0.0']);
    expect(details.get('1.0.0')).toMatchObject({ digest: signed.digest, created: new Date(REAL_TIME) });
  });

  const laterHistory = `,"history":[{"v1Compatibility":${JSON.stringify(JSON.stringify({ created: MADE_UP_TIME }))}}]`;
  it.each([
    [
      'any body labelled schema 1: refused',
      JSON.stringify(image(digestOf(JSON.stringify({ created: MADE_UP_TIME })))),
      'does not match its digest',
    ],
    [
      'a signed schema 1 manifest whose body says more than its signed payload (a later key wins in JSON): the payload is read',
      signedSchema1(REAL_TIME).body.replace(/\n}$/, `${laterHistory}\n}`),
      undefined,
    ],
  ])(
    "%s; what one registry says under an image's digest never becomes another's build time",
    async (_name, body, refusal) => {
      // The real image, on its own registry, and one that names its digest for other content.
      const real = signedSchema1(REAL_TIME);
      const hostile = await startAnswering(body, SCHEMA1_SIGNED, real.digest);
      const registry = await startAnswering(real.body, SCHEMA1_SIGNED, real.digest);
      const client = createRegistryClient({ http: { retries: 0 } });

      const answer = (await client.describeTags(`${hostile.host}/team/app`, ['1.0.0'])).get('1.0.0');
      if (refusal === undefined) expect(answer).toMatchObject({ created: new Date(REAL_TIME) });
      else expect((answer as Error).message).toContain(`${refusal} ${real.digest}`);
      const details = await client.describeTags(`${registry.host}/team/app`, ['1.0.0']);
      expect(details.get('1.0.0')).toMatchObject({ created: new Date(REAL_TIME) });
    },
  );
});

describe('bodies built to cost memory', () => {
  /** JSON nesting `depth` arrays around `inner`. */
  const nested = (depth: number, inner = '1'): string => '['.repeat(depth) + inner + ']'.repeat(depth);

  /** A registry whose tag 1.0.0 is an image whose config is `config`. */
  async function startWithConfig(config: string): Promise<HostileServer> {
    const manifest = JSON.stringify(image(digestOf(config)));
    return start((req, res) => {
      if (req.url!.includes('/blobs/')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(config);
        return;
      }
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': digestOf(manifest) });
      res.end(req.method === 'HEAD' ? undefined : manifest);
    });
  }

  // Whether it counts with the registry's failures: a config that was read but cannot be used is
  // the image's fault; one refused for its size is not told apart from a failed read yet.
  it.each([
    [
      'a config nesting 100 arrays deep',
      `{"created":"2024-01-01T00:00:00Z","x":${nested(100)}}`,
      'the image config of',
      'nests deeper than 64 levels; not read',
      false,
    ],
    [
      'a config of 5 MiB',
      JSON.stringify({ created: '2024-01-01T00:00:00Z', x: 'x'.repeat(5 << 20) }),
      '',
      'larger than the 4,194,304 bytes (4 MiB) accepted',
      true,
    ],
  ])('%s is a problem for that tag', async (_name, config, subject, message, registrySide) => {
    const registry = await startWithConfig(config);
    const client = createRegistryClient({ http: { retries: 0 } });
    const result = (await client.describeTags(`${registry.host}/team/app`, ['1.0.0'])).get('1.0.0');
    expect((result as Error).message).toContain(subject);
    expect((result as Error).message).toContain(message);
    expect(isRegistrySideError(result as Error)).toBe(registrySide);
  });

  it('a tag list nesting 100 arrays deep is a problem for that repository', async () => {
    const registry = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"tags":${nested(100, '"1.0.0"')}}`);
    });
    const client = createRegistryClient({ http: { retries: 0 } });
    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      `the tag list of ${registry.host}/team/app nests deeper than 64 levels; not read`,
    );
  });
});
