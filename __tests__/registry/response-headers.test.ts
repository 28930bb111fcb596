/**
 * ResponseHeaders reads as the WHATWG `Headers` of `fetch` reads: each row is checked against a
 * `Headers` built from the same pairs, and against the value written in the row.
 */
import { describe, expect, it } from '@jest/globals';
import { ResponseHeaders } from '../../src/registry/response-headers.js';

type Pairs = Array<[string, string]>;

describe('ResponseHeaders', () => {
  it.each<[string, Pairs, string, string | null]>([
    ['a name in another case', [['Content-Type', 'application/json']], 'content-type', 'application/json'],
    ['a name in capitals', [['content-type', 'application/json']], 'CONTENT-TYPE', 'application/json'],
    [
      'two challenges, joined in the order they came',
      [
        ['WWW-Authenticate', 'Bearer realm="https://auth.example/token",service="registry"'],
        ['www-authenticate', 'Basic realm="registry"'],
      ],
      'www-authenticate',
      'Bearer realm="https://auth.example/token",service="registry", Basic realm="registry"',
    ],
    [
      'three Link headers',
      [
        ['link', '</v2/a/tags/list?last=b>; rel="next"'],
        ['Link', '<https://example/docs>; rel="help"'],
        ['LINK', '</v2/a/tags/list?last=a>; rel="prev"'],
      ],
      'link',
      '</v2/a/tags/list?last=b>; rel="next", <https://example/docs>; rel="help", </v2/a/tags/list?last=a>; rel="prev"',
    ],
    ['whitespace around a value', [['retry-after', ' \t 30 \t ']], 'retry-after', '30'],
    ['whitespace inside a value', [['x-note', 'a  \t b']], 'x-note', 'a  \t b'],
    ['a value of whitespace only', [['x-empty', ' \t ']], 'x-empty', ''],
    [
      'an empty value among others',
      [
        ['x-list', 'a'],
        ['x-list', ''],
        ['x-list', 'b'],
      ],
      'x-list',
      'a, , b',
    ],
    ['a name not sent', [['content-type', 'text/plain']], 'location', null],
    ['constructor, not sent', [], 'constructor', null],
    ['__proto__, not sent', [], '__proto__', null],
    ['toString, not sent', [], 'toString', null],
    ['constructor, sent', [['Constructor', 'k']], 'constructor', 'k'],
    ['__proto__, sent', [['__proto__', 'p']], '__proto__', 'p'],
  ])('%s', (_name, pairs, name, expected) => {
    const ours = new ResponseHeaders(pairs);
    expect(ours.get(name)).toBe(expected);
    expect(ours.get(name)).toBe(new Headers(pairs).get(name));
  });

  it.each<[string, Array<Buffer | string>, string, string | null]>([
    [
      'names and values as buffers',
      [Buffer.from('X-C'), Buffer.from('one'), Buffer.from('x-c'), Buffer.from('two ')],
      'x-c',
      'one, two',
    ],
    ['a UTF-8 value', [Buffer.from('x-label'), Buffer.from('café', 'utf8')], 'x-label', 'café'],
    ['strings', ['Docker-Content-Digest', 'sha256:abc'], 'docker-content-digest', 'sha256:abc'],
  ])("from undici's raw list: %s", (_name, raw, name, expected) => {
    expect(ResponseHeaders.fromRaw(raw).get(name)).toBe(expected);
  });
});
