import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  credentialsBelongTo,
  loadPublicSuffixes,
  needsPublicSuffixes,
} from '../../src/registry/credential-hosts.js';

// Before the Public Suffix List is loaded, which the first challenge naming another host does: a
// realm on the registry's own host, or a known token service, is decided without it; any other host
// gets no credentials, and says it needs the list. (Jest runs each file in a module registry of its
// own, so the list is not loaded here until beforeAll below.)
describe('before the Public Suffix List is loaded', () => {
  it.each([
    ['https://registry.example.com:8443/auth', 'https://registry.example.com', true, false],
    ['https://auth.docker.io/token', 'https://registry-1.docker.io', true, true],
    ['https://authn.nvidia.com/token', 'https://nvcr.io', true, true],
    ['https://gitlab.example.com/jwt/auth', 'https://registry.example.com', false, true],
  ])('%s named by %s: %s (needs the list: %s)', (realm, origin, sent, needs) => {
    expect(credentialsBelongTo(realm, origin)).toBe(sent);
    expect(needsPublicSuffixes(realm, origin)).toBe(needs);
  });
});

describe('credentialsBelongTo: may a registry send its credentials to the token realm it named', () => {
  beforeAll(loadPublicSuffixes);

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
    ['https://127.0.0.1:5001/token', 'http://127.0.0.1:5000', true],
    ['https://registry.example.com:8443/auth', 'https://registry.example.com', true],
    // ...but never over plain HTTP from a registry read over HTTPS: not even on its own host
    ['http://registry.example.com:8080/token', 'https://registry.example.com', false],
    ['http://registry.example.com/token', 'https://registry.example.com', false],
    ['http://127.0.0.1:5001/token', 'https://127.0.0.1:5000', false],
    ['http://[::1]:5001/token', 'https://[::1]:5000', false],
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
    // tenants of a hosting service, which the Public Suffix List's private section names
    ['https://evil.fly.dev/token', 'https://reg.fly.dev', false],
    ['https://evil-xyz.a.run.app/token', 'https://reg-abc.a.run.app', false],
    ['https://evil.vercel.app/token', 'https://reg.vercel.app', false],
    ['https://evil.onrender.com/token', 'https://reg.onrender.com', false],
    ['https://evil.workers.dev/token', 'https://reg.workers.dev', false],
    ['https://evil.netlify.app/token', 'https://reg.netlify.app', false],
    // one tenant's own hosts below its name there
    ['https://auth.reg.fly.dev/token', 'https://registry.reg.fly.dev', true],
    ['https://authn.nvidia.com/token', 'https://registry.example.com', false],
  ])('%s named by %s: %s', (realm, origin, sent) => {
    expect(credentialsBelongTo(realm, origin)).toBe(sent);
  });
});
