/**
 * Redaction of registry-originated text: known secrets in every encoding a registry could echo,
 * and generic credential shapes whatever the secret.
 */
import { describe, expect, it } from '@jest/globals';
import { base64Cores, REDACTED, SecretRedactor, redactUserinfo } from '../../src/registry/redact.js';
import { unescapeText } from '../../src/registry/unescaped-text.js';

const SECRET = 'Reg1stry-Pa55/word+9f3c"é';
const redactor = new SecretRedactor();
redactor.add(SECRET);

const b64 = (text: string): string => Buffer.from(text).toString('base64');
/** Go's url.QueryEscape: only letters, digits and `-_.~` stay; a space is `+`. */
const goQueryEscape = (text: string): string =>
  [...Buffer.from(text)]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

describe('known secrets, in every form', () => {
  it.each([
    ['raw', `error: password ${SECRET} rejected`],
    ['base64', `echo ${b64(SECRET)}`],
    ['base64url', `echo ${Buffer.from(SECRET).toString('base64url')}`],
    ['base64 of user:secret (offset 1)', `got ${b64(`u:${SECRET}`)}`],
    ['base64 of user:secret (offset 2)', `got ${b64(`us:${SECRET}`)}`],
    ['base64 of user:secret (offset 0)', `got ${b64(`usr:${SECRET}`)}`],
    ['base64 inside a docker config auth blob', `{"x":"${b64(`{"auth":"tester:${SECRET}","y":1}`)}"}`],
    ['URL-encoded', `GET /token?password=x&p=${encodeURIComponent(SECRET)}`],
    ['form-encoded', `body ${new URLSearchParams({ refresh_token: SECRET }).toString()}`],
    ['JSON-escaped', `{"message":${JSON.stringify(`bad ${SECRET}`)}}`],
    [
      'JSON-escaped with \\/ (PHP, some Java encoders)',
      `{"m":"${JSON.stringify(SECRET).slice(1, -1).replace(/\//g, '\\/')}"}`,
    ],
    [
      'JSON \\u escapes, every character',
      `{"m":"${[...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`,
    ],
    [
      'URL-encoded in lower case',
      `p=${encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
    ],
    ["Go's url.QueryEscape (escapes ! ' ( ) *)", `p=${goQueryEscape(SECRET)}`],
    ['every byte percent-encoded', `p=${[...Buffer.from(SECRET)].map((b) => `%${b.toString(16)}`).join('')}`],
    [
      'HTML character references',
      `<p>${SECRET.replace(/"/g, '&quot;').replace(/\//g, '&#47;').replace(/-/g, '&#x2d;')}</p>`,
    ],
    ['base64 wrapped across lines', `auth:\n  ${b64(`u:${SECRET}`).replace(/(.{8})/g, '$1\r\n  ')}`],
    [
      'split across lines in a JSON string',
      `{"m":"${SECRET.slice(0, 9)}\\n${SECRET.slice(9).replace(/"/g, '\\"')}"}`,
    ],
    [
      'split across lines, then URL-encoded (a label holding a URL)',
      `https://github.com/acme/app?m=${encodeURIComponent(`${SECRET.slice(0, 9)}\n  ${SECRET.slice(9)}`)}`,
    ],
    [
      'base64 wrapped across lines, then URL-encoded',
      `p=${encodeURIComponent(b64(`u:${SECRET}`).replace(/(.{8})/g, '$1\r\n'))}`,
    ],
    [
      'split by an escaped line break in a JSON \\u escape',
      `{"m":"${SECRET.slice(0, 9)}\\u000a${SECRET.slice(9).replace(/"/g, '\\"')}"}`,
    ],
    [
      'split by a character reference',
      `<p>${SECRET.slice(0, 9)}&#10;${SECRET.slice(9).replace(/"/g, '&quot;')}</p>`,
    ],
    [
      'split by white space (a Warning header folded across lines, which undici joins with a space)',
      `299 - "password ${SECRET.slice(0, 9).replace(/"/g, '\\"')} ${SECRET.slice(9).replace(/"/g, '\\"')} rejected"`,
    ],
    ['hex', `digest ${Buffer.from(SECRET).toString('hex')}`],
  ])('%s', (_name, text) => {
    const out = redactor.redact(text);
    expect(out).toContain(REDACTED);
    for (const form of [SECRET, b64(SECRET).slice(4, -4), encodeURIComponent(SECRET), 'Pa55'])
      expect(out).not.toContain(form);
    // Nor any escape of it, nor its hex.
    expect(unescapeText(out).text).not.toContain('Pa55');
    expect(out.toLowerCase()).not.toContain(Buffer.from('Pa55').toString('hex'));
  });

  it('every base64 core is a substring of some encoding of text holding the secret, at each alignment', () => {
    const cores = base64Cores(SECRET);
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd'])
      for (const suffix of ['', 'x', 'xy', 'xyz']) {
        const encoded = b64(`${prefix}${SECRET}${suffix}`);
        expect(cores.some((core) => encoded.includes(core))).toBe(true);
      }
  });

  it('base64 of user:secret split by white space loses both halves', () => {
    const encoded = b64(`u:${SECRET}`);
    const out = redactor.redact(`299 - "got ${encoded.slice(0, 12)} ${encoded.slice(12)}"`);
    expect(out).not.toContain(encoded.slice(12, 30));
    expect(out).not.toContain(encoded.slice(4, 12));
  });

  it('a short secret is not looked for across words', () => {
    const short = new SecretRedactor();
    short.add('test');
    expect(short.redact('the latest stable tag')).toBe('the la*** stable tag');
  });

  it('the secret lower-cased, as a URL parser writes a host name holding it', () => {
    expect(redactor.redact('links to another host (evil' + SECRET.toLowerCase() + '.example)')).not.toContain(
      'pa55',
    );
  });

  it.each<[string, boolean]>([
    [`1.0-${SECRET.slice(0, 13)}`, false],
    [`1.0-${Buffer.from(`u:${SECRET}`).toString('base64url')}`, true],
    ['1.0.0', false],
  ])('holdsSecret(%j) is %s (a tag holds no escape: only forms as written count)', (text, holds) => {
    expect(redactor.holdsSecret(text)).toBe(holds);
  });

  it('holdsSecret is false with no secret known', () => {
    expect(new SecretRedactor().holdsSecret(`x${SECRET}`)).toBe(false);
  });

  it('short secrets are not redacted (removing every "ab" hides nothing)', () => {
    const r = new SecretRedactor();
    r.add('ab');
    expect(r.redact('abc abd')).toBe('abc abd');
  });
});

describe('generic shapes, whatever the secret', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig-123', 'Authorization: Bearer ***'],
    ['authorization: basic dGVzdGVyOnNlY3JldA==, next', 'authorization: basic ***, next'],
    ['{"token":"abc\\"def","expires_in":60}', '{"token":"***","expires_in":60}'],
    ['{"access_token": "xyz"}', '{"access_token": "***"}'],
    [
      'grant_type=refresh_token&refresh_token=r3fresh&client_id=c',
      'grant_type=refresh_token&refresh_token=***&client_id=c',
    ],
    ['/token?password=hunter22&user=u', '/token?password=***&user=u'],
    ['a jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_DEF-1 here', 'a jwt *** here'],
    ['see https://bob:pw@mirror.example.com/x', 'see https://***@mirror.example.com/x'],
    ['see https://bob:p@w@mirror.example.com/x', 'see https://***@mirror.example.com/x'],
    ['manifest unknown: repository team/app', 'manifest unknown: repository team/app'],
    ['https://github.com/acme/app', 'https://github.com/acme/app'],
  ])('%s', (text, expected) => {
    expect(new SecretRedactor().redact(text)).toBe(expected);
  });

  it('redactUserinfo leaves URLs without user info alone', () => {
    expect(redactUserinfo('docker.io=https://mirror.example.com/a@b')).toBe(
      'docker.io=https://mirror.example.com/a@b',
    );
    expect(redactUserinfo('docker.io=https://u:p@m/x')).toBe('docker.io=https://***@m/x');
  });
});

describe('redactAndTruncate', () => {
  it('never leaves half a secret at the cut', () => {
    for (let at = 0; at < 40; at += 1) {
      const text = `${'x'.repeat(at)}${SECRET}${'y'.repeat(100)}`;
      const out = redactor.redactAndTruncate(text, 30);
      expect(out.length).toBeLessThanOrEqual(31);
      expect(out).not.toContain('Reg1');
    }
  });

  it('bounds the work on a huge body', () => {
    const out = redactor.redactAndTruncate(`${'z'.repeat(50 << 20)}`, 200);
    expect(out).toBe(`${'z'.repeat(200)}…`);
  });
});
