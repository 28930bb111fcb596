import { describe, expect, it } from '@jest/globals';
import {
  basicHeader,
  MAX_TOKEN_LENGTH,
  MAX_TOKEN_RESPONSE_BYTES,
  readTokenAnswer,
  tokenRequest,
  tokenGrants,
  tokenServiceWords,
} from '../../src/registry/token-protocol.js';

const ASKED = Date.parse('2026-12-05T12:00:00Z');
const SERVICE = 'auth.example.com';

describe('readTokenAnswer', () => {
  it.each([
    ['token.md `token`', { token: 't1' }, 't1', ASKED + 60_000 - 10_000],
    ['OAuth2 `access_token`', { access_token: 'a1' }, 'a1', ASKED + 60_000 - 10_000],
    ['`token` over `access_token`', { token: 't1', access_token: 'a1' }, 't1', ASKED + 50_000],
    ['a `token` that is no string: `access_token`', { token: 7, access_token: 'a1' }, 'a1', ASKED + 50_000],
    ['`expires_in` in seconds', { token: 't', expires_in: 300 }, 't', ASKED + 300_000 - 10_000],
    ['a short life: the margin is at most half of it', { token: 't', expires_in: 4 }, 't', ASKED + 2_000],
    ['`expires_in` 0: the default', { token: 't', expires_in: 0 }, 't', ASKED + 50_000],
    ['`expires_in` as a string: the default', { token: 't', expires_in: '300' }, 't', ASKED + 50_000],
    [
      '`issued_at` before it was asked: counted from then',
      { token: 't', expires_in: 300, issued_at: '2026-12-05T11:58:00Z' },
      't',
      ASKED - 120_000 + 300_000 - 10_000,
    ],
    [
      '`issued_at` after it was asked (a clock ahead of ours): counted from the asking',
      { token: 't', expires_in: 300, issued_at: '2026-12-05T13:00:00Z' },
      't',
      ASKED + 300_000 - 10_000,
    ],
    [
      '`issued_at` more than half its life before it was asked (a clock behind ours): half of it left',
      { token: 't', expires_in: 300, issued_at: '2026-12-05T11:50:00Z' },
      't',
      ASKED + 150_000 - 10_000,
    ],
    ['an unreadable `issued_at`', { token: 't', issued_at: 'yesterday' }, 't', ASKED + 50_000],
    [
      'a token of the longest length',
      { token: 'x'.repeat(MAX_TOKEN_LENGTH) },
      'x'.repeat(MAX_TOKEN_LENGTH),
      ASKED + 50_000,
    ],
  ])('%s', (_name, body, value, expiresAt) => {
    expect(readTokenAnswer(JSON.stringify(body), SERVICE, ASKED, 10_000)).toEqual({
      ok: true,
      token: { value, expiresAt },
    });
  });

  it.each<[string, string, string | RegExp]>([
    ['no JSON', '<html>sign in</html>', 'the token service auth.example.com sent no JSON'],
    ['JSON that is no object', 'null', 'the token service auth.example.com sent no token'],
    ['a list', '["t"]', 'the token service auth.example.com sent no token'],
    ['no token', '{"expires_in":60}', 'the token service auth.example.com sent no token'],
    ['an empty token', '{"token":""}', 'the token service auth.example.com sent no token'],
    [
      'a token that is no string',
      '{"token":{"value":"t"}}',
      'the token service auth.example.com sent no token',
    ],
    [
      'a token too long',
      JSON.stringify({ token: 'x'.repeat(MAX_TOKEN_LENGTH + 1) }),
      'the token service auth.example.com sent a token of 65,537 characters, more than the 65,536 accepted; refusing it',
    ],
    ...[
      ['a line break', 'tok\nen'],
      ['a NUL', 'tok\u0000en'],
      ['characters past Latin-1', 'tök✓en'],
    ].map(([what, token]): [string, string, string] => [
      `a token with ${what}`,
      JSON.stringify({ token }),
      'the token service auth.example.com sent a token that no HTTP header can carry (a line break, a control character or a character past Latin-1); refusing it',
    ]),
    [
      'JSON nested too deeply to read',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      /^the token service auth\.example\.com sent JSON that /,
    ],
  ])('%s: refused', (_name, body, reason) => {
    const read = readTokenAnswer(body, SERVICE, ASKED, 10_000);
    expect(read.ok).toBe(false);
    expect(read.ok ? undefined : read.reason).toMatch(reason);
  });
});

describe('tokenRequest', () => {
  const endpoint = { realm: 'https://auth.example.com/token?x=1', service: 'registry.example.com' };

  it('asks by GET with the service and one scope parameter per scope, anonymously without credentials', () => {
    const request = tokenRequest(endpoint, 'repository:a/b:pull repository:c:pull', undefined);
    expect(request).toMatchObject({ headers: {}, kind: 'token', maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES });
    expect(request.method).toBeUndefined();
    expect(String(request.url)).toBe(
      'https://auth.example.com/token?x=1&service=registry.example.com&scope=repository%3Aa%2Fb%3Apull&scope=repository%3Ac%3Apull',
    );
  });

  it('sends a username and password as Basic, and no service it was not named', () => {
    const request = tokenRequest({ realm: endpoint.realm, service: undefined }, 'repository:a:pull', {
      username: 'u',
      password: 'p:w',
    });
    expect(request.headers).toEqual({ authorization: `Basic ${Buffer.from('u:p:w').toString('base64')}` });
    expect(new URL(String(request.url)).searchParams.has('service')).toBe(false);
  });

  it('exchanges a refresh token by POST (oauth.md), never in the URL', () => {
    const request = tokenRequest(endpoint, 'repository:a:pull', {
      username: 'u',
      password: 'p',
      identityToken: 'refresh-secret',
    });
    expect(request).toMatchObject({
      url: endpoint.realm,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES,
    });
    expect(Object.fromEntries(new URLSearchParams(request.body!))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-secret',
      client_id: 'helmrelease-image-updater',
      scope: 'repository:a:pull',
      service: 'registry.example.com',
    });
    expect(String(request.url)).not.toContain('refresh-secret');
  });
});

describe('basicHeader', () => {
  it.each([
    ['a username and password', { username: 'u', password: 'p' }, `Basic ${btoa('u:p')}`],
    ['an empty password', { username: 'u', password: '' }, `Basic ${btoa('u:')}`],
    ['no password', { username: 'u' }, undefined],
    ['no username', { password: 'p' }, undefined],
    ['no credentials', undefined, undefined],
  ])('%s', (_name, credentials, header) => {
    expect(basicHeader(credentials)).toBe(header);
  });
});

describe('tokenServiceWords', () => {
  it.each([
    [
      "the distribution spec's errors[0] (GHCR)",
      '{"errors":[{"code":"DENIED","message":"installation not allowed to Read organization package"}]}',
      'DENIED installation not allowed to Read organization package',
    ],
    [
      "Docker Hub's details",
      '{"details":"incorrect username or password"}',
      'incorrect username or password',
    ],
    [
      "OAuth2's error and description",
      '{"error":"invalid_grant","error_description":"expired"}',
      'invalid_grant expired',
    ],
    ['an HTML page', '<html>denied</html>', ''],
    ['no body', '', ''],
    ['JSON that is no object', '"denied"', ''],
  ])('%s', (_name, text, words) => {
    expect(tokenServiceWords(text)).toBe(words);
  });
});

describe('tokenGrants', () => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = (claims: unknown) => `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2ln`;
  const access = [
    { type: 'repository', name: 'team/app', actions: ['pull'] },
    { type: 'repository', name: 'team/both', actions: ['pull', 'push'] },
    { type: 'repository', name: 'team/all', actions: ['*'] },
    { type: 'repository', name: 'team/none', actions: [] },
    { type: 'registry', name: 'catalog', actions: ['*'] },
  ];
  it.each<[string, string, string, boolean | undefined]>([
    ['a scope it names with its action', jwt({ access }), 'repository:team/app:pull', true],
    ['every action of a scope', jwt({ access }), 'repository:team/both:pull,push', true],
    ['an action it does not name', jwt({ access }), 'repository:team/app:pull,push', false],
    ['any action, by `*`', jwt({ access }), 'repository:team/all:pull', true],
    ['a repository with no actions', jwt({ access }), 'repository:team/none:pull', false],
    ['a repository it does not name', jwt({ access }), 'repository:team/other:pull', false],
    ['a repository named only as another type', jwt({ access }), 'repository:catalog:pull', false],
    ['a scope of another type', jwt({ access }), 'registry:catalog:*', undefined],
    ['a scope of no known shape', jwt({ access }), 'pull', undefined],
    [
      'a claim of entries that are no objects',
      jwt({ access: ['team/app'] }),
      'repository:team/app:pull',
      false,
    ],
  ])('%s', (_case, token, scope, expected) => {
    expect(tokenGrants(token)?.(scope)).toBe(expected);
  });

  it.each<[string, string]>([
    ['an opaque token (GHCR)', 'djE6dGVhbS9hcHA6MTcwMDAwMDAwMA=='],
    ['two parts', `${part({})}.${part({ access })}`],
    ['a payload that is no JSON', `${part({})}.bm90IGpzb24.c2ln`],
    ['a payload that is no object', `${part({})}.${part([access])}.c2ln`],
    ['an access claim that is no list', `${part({})}.${part({ access: { name: 'team/app' } })}.c2ln`],
    ['a JWT without an access claim', jwt({ sub: 'x' })],
  ])('says nothing of %s', (_case, token) => {
    expect(tokenGrants(token)).toBeUndefined();
  });
});
