/**
 * `registry-mirrors` lines: what is accepted, and refusals that say which form is expected and
 * never repeat a password or token written into the line (in the URL's user info or query, before
 * the "=", with a space that no redaction pattern bounds).
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
    [
      'another scheme',
      'docker.io=ftp://x',
      /docker\.io needs an http\(s\) URL, not ftp; expected "registry=https/,
    ],
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
      /the URL for docker\.io has a user name or password; remove it and put the credentials in the Docker config under mirror\.example\.com/,
    ],
    [
      'a token as user name',
      'docker.io=https://Hunter2-Secret@mirror.example.com',
      /has a user name or password/,
    ],
  ])('%s', (_name, line, message) => {
    expect(() => parseMirrors([line])).toThrow(message);
  });

  const HOST_FORM =
    'give host[:port] as images name it (e.g. docker.io or registry.example.com:5000): ' +
    '"registry=https://endpoint[/prefix]" (e.g. docker.io=https://mirror.example.com/dockerhub)';
  it.each([
    [
      'a user name and password before "="',
      ['alice:Hunter2@192.0.2.2:5999=http://127.0.0.1:46119'],
      `registry-mirrors: the registry before "=" has a user name or password; ${HOST_FORM}`,
    ],
    [
      'a URL before "="',
      ['https://index.docker.io/v1/=https://mirror.example.com'],
      `registry-mirrors: "https://index.docker.io/v1/" before "=" is not a registry host; ${HOST_FORM}`,
    ],
    [
      'a path before "="',
      ['docker.io/library=https://mirror.example.com'],
      `registry-mirrors: "docker.io/library" before "=" is not a registry host; ${HOST_FORM}`,
    ],
    [
      'a query before "="',
      ['docker.io?token=Hunter2=https://mirror.example.com'],
      `registry-mirrors: the text before "=" in entry 1 is not a registry host; ${HOST_FORM}`,
    ],
    [
      'one registry twice',
      ['docker.io=https://m.example.com', 'docker.io=https://n.example.com'],
      'registry-mirrors: docker.io is given twice, as https://m.example.com and https://n.example.com',
    ],
    [
      'Docker Hub twice, by two of its names',
      ['index.docker.io=https://m.example.com', 'docker.io=https://n.example.com/hub'],
      'registry-mirrors: docker.io is given twice, as https://m.example.com and https://n.example.com/hub',
    ],
    [
      'a password with a space in it',
      ['docker.io=https://bob:Hunter2 Secret@mirror.example.com/hub'],
      'registry-mirrors: the URL for docker.io has a user name or password; remove it and put the ' +
        'credentials in the Docker config under mirror.example.com (docker login mirror.example.com)',
    ],
    [
      'a token in the query',
      ['docker.io=https://mirror.example.com/hub/?token=Hunter2'],
      'registry-mirrors: the URL for docker.io (https://mirror.example.com/hub) has a query or fragment; ' +
        'expected "registry=https://endpoint[/prefix]" (e.g. docker.io=https://mirror.example.com/dockerhub)',
    ],
    [
      'no "=" in a line holding a password',
      ['quay.io=https://q.example.com', 'docker.io https://bob:Hunter2 Secret@mirror.example.com'],
      'registry-mirrors: entry 2 (not repeated: it may hold a password) is not ' +
        '"registry=https://endpoint[/prefix]" (e.g. docker.io=https://mirror.example.com/dockerhub)',
    ],
  ])('%s, saying which and what to write, never a password', (_name, lines, message) => {
    let caught = '';
    try {
      parseMirrors(lines);
    } catch (e) {
      caught = (e as Error).message;
    }
    expect(caught).toBe(message);
    expect(caught).not.toContain('Hunter2');
  });

  it.each([
    'docker.io=https://bob:Hunter2-Secret@mirror.example.com/dockerhub',
    'docker.io=https://bob:Hunter2-Secret@/',
    'docker.io https://bob:Hunter2-Secret@mirror.example.com',
    'docker.io=ftp://bob:Hunter2-Secret@mirror.example.com',
    'docker.io=https://bob:Hunt@er2-Secret@mirror.example.com',
    'docker.io=https://bob:Hunter2 Secret@mirror.example.com',
    'docker.io=https://bob:Hunter2 Secret@',
    'docker.io=ftp://bob:Hunter2 Secret@mirror.example.com',
    'docker.io https://bob:Hunter2 Secret@mirror.example.com',
    'https://bob:Hunter2=x@mirror.example.com',
    'bob:Hunter2@docker.io=https://mirror.example.com',
    'docker.io=https://mirror.example.com/hub?token=Hunter2-Secret',
    'docker.io=https://mirror.example.com/hub#Hunter2-Secret',
    'docker.io=https://mirror.example.com/v2?access_token=Hunter2-Secret',
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
    [
      ['docker.io=https://m.example.com', 'index.docker.io=https://m.example.com/'],
      { 'docker.io': 'https://m.example.com' },
    ],
    [
      ['[fd00::1]:5000=http://10.0.0.5:5000', 'registry.example.com:5000 = https://m.example.com'],
      { '[fd00::1]:5000': 'http://10.0.0.5:5000', 'registry.example.com:5000': 'https://m.example.com' },
    ],
  ])('%j', (lines, expected) => {
    expect(parseMirrors(lines)).toEqual(expected);
  });
});
