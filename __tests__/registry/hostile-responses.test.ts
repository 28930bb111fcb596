/**
 * Property test: random hostile registry behaviour (statuses, redirects, challenges, Link headers,
 * oversized and echoing bodies) from real HTTP servers on 127.0.0.1, fed to the real client.
 *
 * Three servers play the parts:
 *   registry  the registry being read; its credentials are configured
 *   realm     a token service on the registry's host, another port: legitimate when the registry names it
 *   foreign   another host: a redirect target, a realm an attacker names, a Link target
 *
 * Whatever they answer, the registry's credentials (password, identity token, registry token, in
 * any encoding) and the tokens the realm issued reach only the registry and, for credentials, a
 * realm on its host that the registry named in its own challenge; every call settles with data or a short,
 * redacted RegistryError; and no body over the size limit is read past it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from '../../src/ports.js';
import type { RegistryCredentials } from '../../src/registry/auth.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { secretForms } from '../../src/registry/redact.js';
import { basic, sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const USER = 'tester';
const PASSWORD = 'Reg1stry-Pa55word+9f3c1e';
const IDENTITY = 'refresh-tok-7d2b5a0c1e';
const REGISTRY_TOKEN = 'static-registry-tok-51a8e2';
/** Credentials configured for the foreign host: never used, since nothing is read from it. */
const FOREIGN_PASSWORD = 'Foreign-Pa55word-0b7e44';
/** Body cap given to the client, and how much a hostile body offers (streamed with backpressure). */
const BODY_LIMIT = 256 << 10;
const BIG_BODY = 64 << 20;
/** Bytes a server may push into socket buffers after the client stopped reading. */
const BUFFER_SLACK = 16 << 20;

type Server = 'registry' | 'realm' | 'foreign';

/** One answer a server gives; each server cycles through its script. */
type Answer =
  | { kind: 'tags'; link: 'none' | 'own-relative' | 'own-absolute' | 'foreign' | 'realm' }
  | { kind: 'token'; size: 'normal' | 'over-length' | 'over-body' }
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; to: Server | 'userinfo' | 'self' }
  | { kind: 'challenge'; realm: Server | 'self' | 'garbage' | 'public-http' | 'basic' }
  | { kind: 'status'; status: 400 | 403 | 404 | 405 | 429 | 500 | 503; retryAfter: boolean }
  | { kind: 'big'; declared: boolean }
  | { kind: 'echo'; status: 401 | 404 | 500 }
  | { kind: 'garbage' };

const serverArb = fc.constantFrom<Server>('registry', 'realm', 'foreign');
const answerArb: fc.Arbitrary<Answer> = fc.oneof(
  fc.record({
    kind: fc.constant('tags' as const),
    link: fc.constantFrom('none', 'own-relative', 'own-absolute', 'foreign', 'realm') as fc.Arbitrary<
      'none' | 'own-relative' | 'own-absolute' | 'foreign' | 'realm'
    >,
  }),
  fc.record({
    kind: fc.constant('token' as const),
    size: fc.constantFrom('normal', 'normal', 'over-length', 'over-body') as fc.Arbitrary<
      'normal' | 'over-length' | 'over-body'
    >,
  }),
  fc.record({
    kind: fc.constant('redirect' as const),
    status: fc.constantFrom(301, 302, 303, 307, 308) as fc.Arbitrary<301 | 302 | 303 | 307 | 308>,
    to: fc.oneof(serverArb, fc.constantFrom('userinfo', 'self')) as fc.Arbitrary<
      Server | 'userinfo' | 'self'
    >,
  }),
  fc.record({
    kind: fc.constant('challenge' as const),
    realm: fc.oneof(serverArb, fc.constantFrom('self', 'garbage', 'public-http', 'basic')) as fc.Arbitrary<
      Server | 'self' | 'garbage' | 'public-http' | 'basic'
    >,
  }),
  fc.record({
    kind: fc.constant('status' as const),
    status: fc.constantFrom(400, 403, 404, 405, 429, 500, 503) as fc.Arbitrary<
      400 | 403 | 404 | 405 | 429 | 500 | 503
    >,
    retryAfter: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('big' as const), declared: fc.boolean() }),
  fc.record({
    kind: fc.constant('echo' as const),
    status: fc.constantFrom(401, 404, 500) as fc.Arbitrary<401 | 404 | 500>,
  }),
  fc.constant({ kind: 'garbage' as const }),
);

interface Scenario {
  credentials: 'password' | 'identity' | 'registryToken';
  scripts: Record<Server, Answer[]>;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  credentials: fc.constantFrom('password', 'identity', 'registryToken') as fc.Arbitrary<
    'password' | 'identity' | 'registryToken'
  >,
  scripts: fc.record({
    registry: fc.array(answerArb, { minLength: 1, maxLength: 8 }),
    realm: fc.array(answerArb, { minLength: 1, maxLength: 4 }),
    foreign: fc.array(answerArb, { minLength: 1, maxLength: 6 }),
  }),
});

/** What the servers saw during one scenario. */
interface Observed {
  /** Requests per server, with their raw text (headers, URL and body). */
  requests: Record<Server, string[]>;
  /** The servers the registry itself named as its token realm in a challenge. */
  named: Set<Server>;
  /** Tokens the servers issued (the realm's and any other's). */
  tokens: string[];
  /** Bytes written of each oversized body. */
  bigWrites: number[];
}

describe('random hostile registry responses', () => {
  const servers = {} as Record<Server, HostileServer>;
  let scenario: Scenario;
  let observed: Observed;
  const counters = {
    scenarios: 0,
    realmGotCredentials: 0,
    foreignAsked: 0,
    foreignChallenges: 0,
    refusedBig: 0,
  };

  const urlOf = (server: Server): string => servers[server].url;

  /** Streams up to BIG_BODY bytes, as fast as the client reads them, counting what was written. */
  function streamBig(req: IncomingMessage, res: ServerResponse, declared: boolean): void {
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(declared ? { 'content-length': String(BIG_BODY) } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    const chunk = Buffer.alloc(64 << 10, 'a');
    let sent = 0;
    let closed = false;
    res.on('close', () => {
      closed = true;
      observed.bigWrites.push(sent);
    });
    const pump = (): void => {
      while (!closed && sent < BIG_BODY) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!closed) res.end();
    };
    pump();
  }

  function answer(server: Server, req: IncomingMessage, res: ServerResponse): void {
    const script = scenario.scripts[server];
    const index = observed.requests[server].length - 1;
    const a = script[index % script.length]!;
    const self = urlOf(server);
    const path = req.url!;
    switch (a.kind) {
      case 'tags': {
        const next = '/v2/team/a/tags/list?last=1.0.0';
        const link = {
          none: undefined,
          'own-relative': next,
          'own-absolute': `${self}${next}`,
          foreign: `${urlOf('foreign')}${next}`,
          realm: `${urlOf('realm')}${next}`,
        }[a.link];
        sendJson(
          res,
          200,
          { name: 'team/a', tags: ['1.0.0', '1.1.0'] },
          link ? { link: `<${link}>; rel="next"` } : {},
        );
        return;
      }
      case 'token': {
        const token = `${server}-token-${observed.requests[server].length}-c0ffee`;
        observed.tokens.push(token);
        if (a.size === 'over-length') return sendJson(res, 200, { token: 'T'.repeat(70_000) });
        if (a.size === 'over-body') return streamBig(req, res, false);
        return sendJson(res, 200, { token, access_token: token, expires_in: 300 });
      }
      case 'redirect': {
        const target =
          a.to === 'userinfo'
            ? `http://${USER}:${PASSWORD}@${servers.foreign.host}${path}`
            : a.to === 'self'
              ? path
              : `${urlOf(a.to)}${path}`;
        res.writeHead(a.status, { location: target }).end();
        return;
      }
      case 'challenge': {
        if (a.realm === 'basic') {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
          return;
        }
        const realm =
          a.realm === 'self'
            ? `${self}/token`
            : a.realm === 'garbage'
              ? '::not a url'
              : a.realm === 'public-http'
                ? 'http://203.0.113.9/token'
                : `${urlOf(a.realm)}/token`;
        if (server === 'registry' && a.realm !== 'garbage' && a.realm !== 'public-http')
          observed.named.add(a.realm === 'self' ? 'registry' : a.realm);
        if (server === 'foreign') counters.foreignChallenges += 1;
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="svc"` }).end();
        return;
      }
      case 'status':
        res.writeHead(a.status, a.retryAfter ? { 'retry-after': '1' } : {}).end('{"errors":[]}');
        return;
      case 'big':
        return streamBig(req, res, a.declared);
      case 'echo':
        sendJson(res, a.status, {
          errors: [{ code: 'DENIED', message: `you sent ${JSON.stringify(req.headers)} ${path}` }],
        });
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"tags": [unterminated');
        return;
    }
  }

  beforeAll(async () => {
    for (const [name, hostname] of [
      ['registry', '127.0.0.1'],
      // A token service beside the registry (its own host, another port), and another host.
      ['realm', '127.0.0.1'],
      ['foreign', 'localhost'],
    ] as const) {
      servers[name] = await startHostileServer((req, res, body) => {
        observed.requests[name].push(servers[name].log.at(-1)!.raw);
        void body;
        answer(name, req, res);
      }, hostname);
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  });

  it('never send a credential or a realm token elsewhere, settle every call, and read no body past its limit', async () => {
    const credentialForms = [
      ...secretForms(PASSWORD),
      ...secretForms(IDENTITY),
      ...secretForms(REGISTRY_TOKEN),
      basic(USER, PASSWORD),
    ];
    const foreignForms = [...secretForms(FOREIGN_PASSWORD), basic(USER, FOREIGN_PASSWORD)];
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        scenario = s;
        observed = {
          requests: { registry: [], realm: [], foreign: [] },
          named: new Set(),
          tokens: [],
          bigWrites: [],
        };
        const credentials: RegistryCredentials =
          s.credentials === 'password'
            ? { username: USER, password: PASSWORD }
            : s.credentials === 'identity'
              ? { identityToken: IDENTITY }
              : { registryToken: REGISTRY_TOKEN };
        const client = createRegistryClient({
          credentials: new Map([
            [servers.registry.host, credentials],
            [servers.foreign.host, { username: USER, password: FOREIGN_PASSWORD }],
          ]),
          maxPages: 5,
          http: {
            retries: 1,
            retryBaseDelayMs: 0,
            maxRetryAfterMs: 0,
            timeoutMs: 5000,
            maxBodyBytes: BODY_LIMIT,
          },
        });
        const repository = `${servers.registry.host}/team/a`;
        const outcomes: unknown[] = [];
        outcomes.push(await client.listTags(repository).catch((e: unknown) => e));
        outcomes.push(await client.listTags(`${servers.registry.host}/team/b`).catch((e: unknown) => e));
        const described = await client.describeTags(repository, ['1.0.0']);
        outcomes.push(...described.values());

        // Credentials: the registry may get them, the token service on its own host only when the
        // registry named it as its realm in its own challenge, another host never.
        const has = (raw: string, forms: string[]) => forms.some((f) => raw.includes(f));
        for (const server of ['realm', 'foreign'] as const) {
          if (server === 'foreign' || !observed.named.has(server)) {
            expect(observed.requests[server].filter((r) => has(r, credentialForms))).toEqual([]);
          } else if (observed.requests[server].some((r) => has(r, credentialForms))) {
            counters.realmGotCredentials += 1;
          }
        }
        // The foreign host's own credentials: nothing was read from it, so nobody gets them.
        for (const server of ['registry', 'realm', 'foreign'] as const)
          expect(observed.requests[server].filter((r) => has(r, foreignForms))).toEqual([]);
        // Tokens are sent to the registry only.
        const bearer = (t: string) => `Bearer ${t}`;
        for (const server of ['realm', 'foreign'] as const)
          expect(observed.requests[server].filter((r) => has(r, observed.tokens.map(bearer)))).toEqual([]);
        // A challenge from elsewhere never becomes the registry's scheme: unless the registry named a
        // realm itself (which may redirect to wherever it likes), it gets no issued token at all.
        if (observed.named.size === 0)
          expect(observed.requests.registry.filter((r) => has(r, observed.tokens.map(bearer)))).toEqual([]);
        if (observed.requests.foreign.length > 0) counters.foreignAsked += 1;

        // Every call settled with data or a short RegistryError that quotes no secret.
        for (const outcome of outcomes) {
          if (Array.isArray(outcome) || (outcome && typeof outcome === 'object' && 'digest' in outcome))
            continue;
          expect(outcome).toBeInstanceOf(RegistryError);
          const message = (outcome as RegistryError).message;
          expect(message.length).toBeLessThan(1500);
          expect(has(message, [...credentialForms, ...observed.tokens])).toBe(false);
          if (/larger than the 262,144 bytes accepted/.test(message)) counters.refusedBig += 1;
        }
        // Bounded: an oversized body stops being read at the limit (plus what socket buffers hold).
        for (const written of observed.bigWrites) expect(written).toBeLessThan(BODY_LIMIT + BUFFER_SLACK);
        counters.scenarios += 1;
      }),
      {
        numRuns: 100,
        // Besides the random ones: one scenario per path the property is about, so each is always
        // exercised (a redirect to a host asking for credentials; a realm the registry named; a
        // body too large).
        examples: [
          [
            {
              credentials: 'password',
              scripts: {
                registry: [
                  { kind: 'challenge', realm: 'realm' },
                  { kind: 'redirect', status: 307, to: 'foreign' },
                ],
                realm: [{ kind: 'token', size: 'normal' }],
                foreign: [{ kind: 'challenge', realm: 'self' }],
              },
            },
          ],
          [
            {
              credentials: 'identity',
              scripts: {
                registry: [{ kind: 'big', declared: false }],
                realm: [{ kind: 'token', size: 'normal' }],
                foreign: [{ kind: 'challenge', realm: 'realm' }],
              },
            },
          ],
        ],
      },
    );
    // The paths that matter were exercised, so the property could have failed.
    expect(counters).toMatchObject({ scenarios: 100 });
    expect(counters.realmGotCredentials).toBeGreaterThan(0);
    expect(counters.foreignAsked).toBeGreaterThan(0);
    expect(counters.foreignChallenges).toBeGreaterThan(0);
    expect(counters.refusedBig).toBeGreaterThan(0);
  }, 300_000);
});
