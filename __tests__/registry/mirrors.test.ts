/**
 * `registry-mirrors` lines: what is accepted, and refusals that say which form is expected and
 * never repeat a password written into the URL.
 */
import { describe, expect, it } from '@jest/globals';
import { parseMirrors } from '../../src/registry/registry-names.js';
import { parseSettings } from '../../src/settings.js';

describe('parseMirrors refuses', () => {
  it.each([
    [
      'no "="',
      'docker.io',
      /is not "registry=https:\/\/endpoint\[\/prefix\]" \(e\.g\. docker\.io=https:\/\/mirror/,
    ],
    ['no URL', 'docker.io=mirror.example.com', /has no valid URL after "="; expected "registry=https/],
    ['another scheme', 'docker.io=ftp://x', /needs an http\(s\) URL; expected "registry=https/],
    [
      'an endpoint ending in /v2',
      'docker.io=https://mirror.example.com/dockerhub/v2/',
      /ends in \/v2; give the endpoint without it .*: docker\.io=https:\/\/mirror\.example\.com\/dockerhub$/,
    ],
    ['a bare /v2', 'docker.io=https://mirror.example.com/v2', /docker\.io=https:\/\/mirror\.example\.com$/],
    ['a query', 'docker.io=https://mirror.example.com/?x=1', /has a query or fragment/],
    [
      'a user name and password',
      'docker.io=https://bob:Hunter2-Secret@mirror.example.com/dockerhub',
      /the URL for docker\.io has a user name or password \("docker\.io=https:\/\/\*\*\*@mirror\.example\.com\/dockerhub"\); remove it and put the credentials in the Docker config under mirror\.example\.com/,
    ],
    [
      'a token as user name',
      'docker.io=https://Hunter2-Secret@mirror.example.com',
      /has a user name or password/,
    ],
  ])('%s', (_name, line, message) => {
    expect(() => parseMirrors([line])).toThrow(message);
  });

  it.each([
    'docker.io=https://bob:Hunter2-Secret@mirror.example.com/dockerhub',
    'docker.io=https://bob:Hunter2-Secret@/',
    'docker.io https://bob:Hunter2-Secret@mirror.example.com',
    'docker.io=ftp://bob:Hunter2-Secret@mirror.example.com',
    'docker.io=https://bob:Hunt@er2-Secret@mirror.example.com',
  ])('%s: the message (also as an input error) never repeats the password', (line) => {
    let message = '';
    try {
      parseSettings((name) => (name === 'registry-mirrors' ? line : undefined));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/registry-mirrors/);
    expect(message).not.toMatch(/Hunter2|er2-Secret|bob/);
  });
});

describe('parseMirrors accepts', () => {
  it.each([
    [
      ['docker.io=https://mirror.example.com/dockerhub/'],
      { 'docker.io': 'https://mirror.example.com/dockerhub' },
    ],
    [['Registry.IO=https://Mirror.Example.com/x'], { 'registry.io': 'https://mirror.example.com/x' }],
    [
      ['docker.io=https://mirror.example.com/v2-cache'],
      { 'docker.io': 'https://mirror.example.com/v2-cache' },
    ],
  ])('%j', (lines, expected) => {
    expect(parseMirrors(lines)).toEqual(expected);
  });
});
