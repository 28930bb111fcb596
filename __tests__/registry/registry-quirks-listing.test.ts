/**
 * Real registries' tag listing and authentication, each played by a small server on 127.0.0.1 that
 * answers as that registry was reported to answer (sources in comments by each case): every tag of
 * the repository asked about is listed, each page once, with credentials only where they belong.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { basic, sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
async function start(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<HostileServer> {
  const server = await startHostileServer(handler);
  servers.push(server);
  return server;
}

/** `n` tags from `first`, the page after `last` of a sorted list, and whether more remain. */
function page(all: readonly string[], query: URLSearchParams): { tags: string[]; more: boolean } {
  const n = Number(query.get('n') ?? '100');
  const last = query.get('last');
  const from = last === null ? 0 : all.findIndex((t) => t > last);
  const rest = from < 0 ? [] : all.slice(from);
  return { tags: rest.slice(0, n), more: rest.length > n };
}

const TAGS = Array.from({ length: 250 }, (_, i) => `1.0.${String(i).padStart(3, '0')}`);

describe('repository-path registries whose next link loses the path prefix', () => {
  // JFrog Artifactory (RTFACT-18971; renovatebot/renovate#15030, #20745): for
  // artifactory.example.com/docker/renovate/renovate it sends
  // `Link: </v2/renovate/renovate/tags/list?last=...&n=...>`, without the repository key "docker".
  // Sonatype Nexus on a connector port (sonatype/nexus-public#1011) sends an absolute link with its
  // internal `/repository/<repo>/` prefix, which the connector answers 400.
  it.each([
    ['Artifactory (prefix dropped)', (q: string) => `</v2/app/tags/list?${q}>; rel="next"`],
    [
      'Nexus connector (internal prefix added)',
      (q: string, self: string) =>
        `<${self}/repository/docker-proxy/v2/docker-local/app/tags/list?${q}>; rel="next"`,
    ],
  ])('%s: every page is read from the repository asked about', async (_name, link) => {
    const registry = await start((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname !== '/v2/docker-local/app/tags/list') {
        // Another repository of the same host: its tags must never be mixed in.
        sendJson(res, url.pathname === '/v2/app/tags/list' ? 200 : 400, { name: 'app', tags: ['9.9.9'] });
        return;
      }
      const { tags, more } = page(TAGS, url.searchParams);
      const query = new URLSearchParams({ last: tags.at(-1) ?? '', n: url.searchParams.get('n') ?? '100' });
      sendJson(
        res,
        200,
        { name: 'docker-local/app', tags },
        more ? { link: link(query.toString(), `http://${req.headers.host}`) } : {},
      );
    });
    const client = createRegistryClient({ pageSize: 100, http: { retries: 0 } });

    await expect(client.listTags(`${registry.host}/docker-local/app`)).resolves.toEqual(TAGS);
    expect(registry.log.map((r) => new URL(r.url, 'http://x').pathname)).toEqual(
      Array(3).fill('/v2/docker-local/app/tags/list'),
    );
  });
});

/** How one registry authenticates and pages its tag list, as reported (sources by each row). */
interface RegistryManner {
  /** The 401 challenge for a repository request, given the server's own URL. */
  challenge: (self: string) => string;
  /** The token service's path on the server (absent: Basic only). */
  tokenPath?: string;
  /** The token for a token request (undefined: 401), from its Authorization, query and body. */
  token?: (
    authorization: string | undefined,
    query: URLSearchParams,
    body: URLSearchParams,
  ) => string | undefined;
  /** The Authorization the registry accepts for the tag list. */
  accepts: (authorization: string | undefined) => boolean;
  /** Tags per page at most; a larger `n` is answered with this status when given. */
  maxPage: number;
  tooLarge?: number;
  /** The next-page Link for a page ending at `last`, given the server's URL and the request's `n`. */
  link: (self: string, last: string, n: number) => string;
  /** Extra fields of the tag-list body. */
  extra?: Record<string, unknown>;
  /** The tag a page starts after, from an opaque cursor in the query; default `last`. */
  after?: (query: URLSearchParams) => string | null;
  /** The client's `n`, when not its default. */
  pageSize?: number;
}

/** A server playing `manner` for the repository team/app with {@link TAGS}. */
function mannerServer(manner: RegistryManner) {
  return (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url!, 'http://x');
    const self = `http://${req.headers.host}`;
    if (manner.tokenPath !== undefined && url.pathname === manner.tokenPath) {
      const token = manner.token?.(req.headers.authorization, url.searchParams, new URLSearchParams(body));
      if (token === undefined) sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'denied' }] });
      else sendJson(res, 200, { token });
      return;
    }
    if (!manner.accepts(req.headers.authorization)) {
      res.writeHead(401, { 'www-authenticate': manner.challenge(self), 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    const n = Number(url.searchParams.get('n') ?? manner.maxPage);
    if (n > manner.maxPage && manner.tooLarge !== undefined) {
      sendJson(res, manner.tooLarge, {
        errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'n too large' }],
      });
      return;
    }
    const size = Math.min(n, manner.maxPage);
    const after = manner.after ? manner.after(url.searchParams) : url.searchParams.get('last');
    const { tags, more } = page(
      TAGS,
      new URLSearchParams({ ...(after === null ? {} : { last: after }), n: String(size) }),
    );
    sendJson(
      res,
      200,
      { name: 'team/app', tags, ...manner.extra },
      more ? { link: manner.link(self, tags.at(-1)!, size) } : {},
    );
  };
}

const bearer = (token: string) => (authorization: string | undefined) => authorization === `Bearer ${token}`;
const relativeLink = (_self: string, last: string, n: number) =>
  `</v2/team/app/tags/list?last=${encodeURIComponent(last)}&n=${n}>; rel="next"`;

describe('how real registries authenticate and page tag lists', () => {
  it.each<
    [string, RegistryManner, { username?: string; password?: string; identityToken?: string } | undefined]
  >([
    [
      // ghcr.io: anonymous token for a public image; the challenge names the scope; no expires_in in
      // the token answer; 100 tags a page with a relative Link (REGISTRIES.md §2, §4; toddysm.com 2024).
      'GHCR, public image, anonymous',
      {
        challenge: (self) =>
          `Bearer realm="${self}/token",service="ghcr.io",scope="repository:team/app:pull"`,
        tokenPath: '/token',
        token: (authorization, query) =>
          authorization === undefined && query.get('scope') === 'repository:team/app:pull'
            ? 'djE6Z2hjcg=='
            : undefined,
        accepts: bearer('djE6Z2hjcg=='),
        maxPage: 100,
        link: relativeLink,
      },
      undefined,
    ],
    [
      // Quay.io before 2024: 50 a page whatever `n`, an opaque next_page token, `last` ignored
      // (regclient/regclient#272, dependabot-core#3989).
      'Quay.io, opaque next_page',
      {
        challenge: (self) => `Bearer realm="${self}/v2/auth",service="quay.io"`,
        tokenPath: '/v2/auth',
        token: () => 'quay-token',
        accepts: bearer('quay-token'),
        maxPage: 50,
        link: (_self, last) =>
          `</v2/team/app/tags/list?n=50&next_page=${Buffer.from(last).toString('base64url')}>; rel="next"`,
        after: (query) => {
          const cursor = query.get('next_page');
          return cursor === null ? null : Buffer.from(cursor, 'base64url').toString();
        },
      },
      undefined,
    ],
    [
      // gcr.io / Artifact Registry: `_json_key` with the service account's JSON (colons, quotes,
      // newlines) as Basic to the token service; tags/list adds `manifest` and `child` (firebase-tools
      // src/gcp/docker.ts; REGISTRIES.md §4).
      'GCR, _json_key, extra manifest and child fields',
      {
        challenge: (self) => `Bearer realm="${self}/v2/token",service="gcr.io"`,
        tokenPath: '/v2/token',
        token: (authorization) =>
          authorization ===
          basic('_json_key', '{\n  "type": "service_account",\n  "private_key": "-----BEGIN"\n}')
            ? 'gcr-token'
            : undefined,
        accepts: bearer('gcr-token'),
        maxPage: 1000,
        link: relativeLink,
        extra: {
          child: ['sub'],
          manifest: {
            'sha256:aa': {
              imageSizeBytes: '1',
              mediaType: 'x',
              tag: ['1.0.000'],
              timeCreatedMs: '0',
              timeUploadedMs: '0',
            },
          },
        },
      },
      {
        username: '_json_key',
        password: '{\n  "type": "service_account",\n  "private_key": "-----BEGIN"\n}',
      },
    ],
    [
      // Amazon ECR: Basic with user AWS; n above 1000 is refused (renovate ecr.ts); the Link is
      // absolute, its `last` an opaque token.
      'ECR, Basic AWS, absolute Link',
      {
        challenge: (self) => `Basic realm="${self}/",service="ecr.amazonaws.com"`,
        accepts: (authorization) => authorization === basic('AWS', 'eyJwYXlsb2FkIjoi'),
        maxPage: 1000,
        tooLarge: 405,
        link: (self, last, n) =>
          `<${self}/v2/team/app/tags/list?last=${encodeURIComponent(Buffer.from(last).toString('base64'))}&n=${n}>; rel="next"`,
        after: (query) => {
          const cursor = query.get('last');
          return cursor === null ? null : Buffer.from(cursor, 'base64').toString();
        },
        pageSize: 100,
      },
      { username: 'AWS', password: 'eyJwYXlsb2FkIjoi' },
    ],
    [
      // ECR Public: the challenge's scope is "aws", and its token service answers any scope
      // (anonymous `curl https://public.ecr.aws/token/`).
      'ECR Public, scope="aws"',
      {
        challenge: (self) => `Bearer realm="${self}/token/",service="public.ecr.aws",scope="aws"`,
        tokenPath: '/token/',
        token: () => 'ecr-public-token',
        accepts: bearer('ecr-public-token'),
        maxPage: 1000,
        link: relativeLink,
      },
      undefined,
    ],
    [
      // Azure ACR after `az acr login`: user 00000000-0000-0000-0000-000000000000 and the refresh
      // token as `identitytoken`, traded by POST /oauth2/token with grant_type=refresh_token,
      // service and scope (Azure/acr docs/AAD-OAuth.md); relative Link with `orderby=`.
      'ACR, identity token (refresh token POST)',
      {
        challenge: (self) => `Bearer realm="${self}/oauth2/token",service="myreg.azurecr.io"`,
        tokenPath: '/oauth2/token',
        token: (_authorization, _query, body) =>
          body.get('grant_type') === 'refresh_token' &&
          body.get('refresh_token') === 'acr-refresh' &&
          body.get('service') === 'myreg.azurecr.io' &&
          body.get('scope') === 'repository:team/app:pull'
            ? 'acr-access'
            : undefined,
        accepts: bearer('acr-access'),
        maxPage: 100,
        link: (_self, last, n) => `</v2/team/app/tags/list?last=${last}&n=${n}&orderby=>; rel="next"`,
      },
      { username: '00000000-0000-0000-0000-000000000000', identityToken: 'acr-refresh' },
    ],
    [
      // Harbor: robot accounts are `robot$<project>+<name>`; the realm is on the registry's host.
      'Harbor, robot$ account',
      {
        challenge: (self) => `Bearer realm="${self}/service/token",service="harbor-registry"`,
        tokenPath: '/service/token',
        token: (authorization) =>
          authorization === basic('robot$team+ci', 'Harb0r-secret') ? 'harbor-token' : undefined,
        accepts: bearer('harbor-token'),
        maxPage: 1000,
        link: relativeLink,
      },
      { username: 'robot$team+ci', password: 'Harb0r-secret' },
    ],
    [
      // GitLab's registry: n above its maximum is 400 PAGINATION_NUMBER_INVALID (distribution 3.1
      // behaviour, which GitLab's fork shares), JWT realm /jwt/auth.
      'GitLab, n above the maximum',
      {
        challenge: (self) => `Bearer realm="${self}/jwt/auth",service="container_registry"`,
        tokenPath: '/jwt/auth',
        token: (authorization) =>
          authorization === basic('gitlab-ci-token', 'glcbt-1') ? 'gl-jwt' : undefined,
        accepts: bearer('gl-jwt'),
        maxPage: 100,
        tooLarge: 400,
        link: relativeLink,
      },
      { username: 'gitlab-ci-token', password: 'glcbt-1' },
    ],
  ])('%s: every tag is listed', async (_name, manner, credentials) => {
    const registry = await start(mannerServer(manner));
    const client = createRegistryClient({
      credentials: new Map(credentials ? [[registry.host, credentials]] : []),
      ...(manner.pageSize === undefined ? {} : { pageSize: manner.pageSize }),
      http: { retries: 0 },
    });

    await expect(client.listTags(`${registry.host}/team/app`)).resolves.toEqual(TAGS);
    // Every page read once (no page asked twice, none skipped), after the refused first `n` if any.
    const asked = manner.pageSize ?? 1000;
    const refused = manner.tooLarge !== undefined && asked > manner.maxPage ? 1 : 0;
    const pages = registry.log.filter((r) => r.url.includes('/tags/list') && manner.accepts(r.authorization));
    expect(pages.length).toBe(refused + Math.ceil(TAGS.length / Math.min(asked, manner.maxPage)));
  });
});

describe('a full page without a Link', () => {
  // A Nexus group repository pages by `n` and `last` but sends no Link (NEXUS-35956,
  // sonatype/nexus-public#117, #209): the listing must go on with `last` after a page of exactly `n`.
  // A registry that ignores `last` (answering the same page) or has no more ends the listing.
  it.each([
    ['Nexus group: honours n and last, never links', TAGS, true, true, 3],
    ['exactly n tags, last honoured', TAGS.slice(0, 100), true, true, 2],
    ['exactly n tags, last ignored', TAGS.slice(0, 100), false, true, 2],
    ['n ignored (distribution 2.8): all at once, not asked again', TAGS, false, false, 1],
  ] as const)('%s', async (_name, all, honoursLast, honoursN, requests) => {
    const registry = await start((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const query = new URLSearchParams(url.searchParams);
      if (!honoursLast) query.delete('last');
      if (!honoursN) query.set('n', '100000');
      sendJson(res, 200, { name: 'team/app', tags: page(all, query).tags });
    });
    const client = createRegistryClient({ pageSize: 100, http: { retries: 0 } });

    await expect(client.listTags(`${registry.host}/team/app`)).resolves.toEqual(all);
    expect(registry.log).toHaveLength(requests);
  });

  it.each([400, 404, 405, 422])(
    'a registry that refuses the `last` it never sent (%i) ends the listing where it was',
    async (status) => {
      const registry = await start((req, res) => {
        const url = new URL(req.url!, 'http://x');
        if (url.searchParams.has('last'))
          sendJson(res, status, { errors: [{ code: 'UNSUPPORTED', message: 'last' }] });
        else sendJson(res, 200, { name: 'team/app', tags: TAGS.slice(0, 100) });
      });
      const client = createRegistryClient({ pageSize: 100, http: { retries: 0 } });

      await expect(client.listTags(`${registry.host}/team/app`)).resolves.toEqual(TAGS.slice(0, 100));
    },
  );

  // The page after may hold the newest tags: cut there, the listing would choose an older one and
  // say nothing. A server error or a rate limit fails the repository, as on any other page.
  it.each([
    [500, {}, 'answered 500'],
    [503, {}, 'answered 503'],
    [429, { 'retry-after': '3600' }, 'rate-limited the request for the tag list'],
  ] as const)('a `last` page answered %i fails the repository', async (status, headers, message) => {
    const registry = await start((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.searchParams.has('last')) sendJson(res, status, { errors: [] }, headers);
      else sendJson(res, 200, { name: 'team/app', tags: TAGS.slice(0, 100) });
    });
    const client = createRegistryClient({ pageSize: 100, http: { retries: 0 } });

    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(message);
  });
});

// A 429 or 503 whose Retry-After asks for longer than the client waits (60 s) is not tried again:
// the message says when the registry will answer, rather than only that it did not.
describe('a Retry-After longer than a run waits', () => {
  it.each([
    { status: 429, retryAfter: () => '3600', says: '; it asked to be asked again in 1h (Retry-After)' },
    {
      status: 503,
      retryAfter: () => new Date(Date.now() + 2 * 3_600_000).toUTCString(),
      says: '; it asked to be asked again in 2h (Retry-After)',
    },
    { status: 503, retryAfter: () => '99999999999999999999', says: 'again in more than a day (Retry-After)' },
  ])('a $status with Retry-After says when to run again', async ({ status, retryAfter, says }) => {
    const registry = await start((_req, res) =>
      sendJson(res, status, { errors: [] }, { 'retry-after': retryAfter() }),
    );
    const client = createRegistryClient({ http: { retries: 3 } });

    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      `${says}, longer than the 1m a run waits: run again after that`,
    );
    expect(registry.log).toHaveLength(1);
  });

  it('a Retry-After the client waited out is not repeated', async () => {
    const registry = await start((_req, res) => sendJson(res, 503, { errors: [] }, { 'retry-after': '0' }));
    const client = createRegistryClient({ http: { retries: 1, retryBaseDelayMs: 0 } });

    await expect(client.listTags(`${registry.host}/team/app`)).rejects.toThrow(
      /answered 503 for the tag list of [^;]*$/,
    );
    expect(registry.log).toHaveLength(2);
  });
});

// A token service whose clock is behind ours (an on-premises Harbor or GitLab without NTP) says it
// issued its tokens earlier than they were asked for; distribution judges them by its own clock.
describe('a token service whose clock is behind ours', () => {
  it('one token serves every page, not a token per request', async () => {
    const tokens = await start((_req, res) =>
      sendJson(res, 200, {
        token: 'skewed-token',
        expires_in: 300,
        issued_at: new Date(Date.now() - 10 * 60_000).toISOString(),
      }),
    );
    const registry = await start((req, res) => {
      if (req.headers.authorization !== 'Bearer skewed-token') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokens.url}/token",service="registry"` });
        res.end();
        return;
      }
      const url = new URL(req.url!, 'http://x');
      const { tags, more } = page(TAGS, url.searchParams);
      const next = `</v2/team/app/tags/list?n=100&last=${tags.at(-1)}>; rel="next"`;
      sendJson(res, 200, { name: 'team/app', tags }, more ? { link: next } : {});
    });
    const client = createRegistryClient({ pageSize: 100, http: { retries: 0 } });

    await expect(client.listTags(`${registry.host}/team/app`)).resolves.toEqual(TAGS);
    expect(tokens.log).toHaveLength(1);
  });
});
