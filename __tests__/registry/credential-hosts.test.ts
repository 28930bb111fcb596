import { describe, expect, it } from '@jest/globals';
import { credentialsBelongTo } from '../../src/registry/credential-hosts.js';

describe('credentialsBelongTo: may a registry send its credentials to the token realm it named', () => {
  it.each([
    // realm                                             registry origin                          sent
    ['https://auth.docker.io/token', 'https://registry-1.docker.io', true],
    ['https://gitlab.com/jwt/auth', 'https://registry.gitlab.com', true],
    ['https://gitlab.example.com/jwt/auth', 'https://registry.example.com', true],
    ['https://example.com/token', 'https://registry.example.com', true],
    ['https://auth.example.co.uk/token', 'https://registry.example.co.uk', true],
    ['https://ghcr.io/token', 'https://ghcr.io', true],
    ['https://authn.nvidia.com/token', 'https://nvcr.io', true],
    ['https://myreg.azurecr.io/oauth2/token', 'https://myreg.azurecr.io', true],
    ['https://REGISTRY.example.com/token', 'https://registry.example.com', true],
    // the registry's own host on another port or scheme: a token service beside it
    ['http://127.0.0.1:5001/token', 'http://127.0.0.1:5000', true],
    ['https://registry.example.com:8443/auth', 'https://registry.example.com', true],
    // another host
    ['http://localhost:5001/token', 'http://127.0.0.1:5000', false],
    ['http://127.0.0.2:5001/token', 'http://127.0.0.1:5000', false],
    ['https://[::1]:5001/token', 'https://127.0.0.1:5000', false],
    ['https://evil.example/token', 'https://registry-1.docker.io', false],
    ['https://docker.io.evil.example/token', 'https://registry-1.docker.io', false],
    ['https://evildocker.io/token', 'https://registry-1.docker.io', false],
    ['https://auth.docker.io/token', 'https://quay.io', false],
    // the same domain over plain HTTP
    ['http://auth.docker.io/token', 'https://registry-1.docker.io', false],
    // a shared or public parent says nothing about the owner
    ['https://other.azurecr.io/oauth2/token', 'https://myreg.azurecr.io', false],
    ['https://456.dkr.ecr.eu-west-1.amazonaws.com/', 'https://123.dkr.ecr.eu-west-1.amazonaws.com', false],
    ['https://evil.co.uk/token', 'https://example.co.uk', false],
    ['https://evil.com/token', 'https://example.com', false],
    ['https://other.github.io/token', 'https://me.github.io', false],
    ['https://authn.nvidia.com/token', 'https://registry.example.com', false],
  ])('%s named by %s: %s', (realm, origin, sent) => {
    expect(credentialsBelongTo(realm, origin)).toBe(sent);
  });
});
