/**
 * Where plain HTTP may go: a loopback host however it is written, or a host insecure-registries
 * lists; everything else only over HTTPS.
 */
import { describe, expect, it } from '@jest/globals';
import { PlainHttpHosts } from '../../src/registry/plain-http.js';

describe('PlainHttpHosts.allows', () => {
  it.each([
    // host (as an image names it)      insecure-registries             plain HTTP
    ['localhost:5000', [], true],
    ['registry.localhost', [], true],
    ['127.0.0.1:5000', [], true],
    ['127.3.2.1', [], true],
    ['[::1]:5000', [], true],
    // the same loopback addresses written out in full, as URLs shorten them
    ['[0:0:0:0:0:0:0:1]:5000', [], true],
    ['[0000:0000:0000:0000:0000:0000:0000:0001]', [], true],
    ['127.1:5000', [], true],
    ['LOCALHOST:5000', [], true],
    // not loopback
    ['registry.example.com', [], false],
    ['[::2]:5000', [], false],
    ['10.0.0.1:5000', [], false],
    ['localhost.example.com', [], false],
    ['registry.example.com:5000', ['registry.example.com:5000'], true],
    ['registry.example.com:5000', ['registry.example.com'], true],
    ['registry.example.com:5001', ['registry.example.com:5000'], false],
  ] as const)('%s with insecure-registries %j: %s', (host, insecure, allowed) => {
    expect(new PlainHttpHosts(insecure).allows(host)).toBe(allowed);
  });
});
