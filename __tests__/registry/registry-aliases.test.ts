/**
 * `registry-aliases` (issue 18): Renovate's registryAliases, the namespace inside the repository
 * name; against the real registry with the images seeded under a namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpRegistry } from '../../src/adapters/registry-setup.js';
import { aliasedRepository, parseRegistryAliases } from '../../src/registry/registry-aliases.js';
import { parseSettings } from '../../src/settings.js';
import {
  registryTestGate,
  startRegistry,
  type RegistryServer,
} from '../../test-support/registry/registry-server.js';
import { seedImage } from '../../test-support/registry/seed.js';

describe('parseRegistryAliases', () => {
  it.each([
    ['docker.io=harbor.example.com/dockerhub-proxy', { 'docker.io': 'harbor.example.com/dockerhub-proxy' }],
    ['index.docker.io=Harbor.example.com:8443/proxy/', { 'docker.io': 'harbor.example.com:8443/proxy' }],
    [
      'ghcr.io/acme = artifactory.example.com/ghcr-acme',
      { 'ghcr.io/acme': 'artifactory.example.com/ghcr-acme' },
    ],
    ['quay.io=mirror.gcr.io', { 'quay.io': 'mirror.gcr.io' }],
  ])('reads %s', (line, expected) => {
    expect(parseRegistryAliases([line])).toEqual(expected);
  });

  it.each([
    ['docker.io', /is not "registry\[\/namespace\]=host/],
    ['docker.io=https://harbor.example.com/proxy', /has a URL; .*registry-mirrors takes endpoint URLs/],
    ['docker.io=harbor.example.com/Proxy', /"Proxy" is not a lower-case repository path component/],
    ['docker.io=harbor_example/proxy', /"harbor_example" is not a registry host/],
    ['docker.io=a.example/x\ndocker.io=b.example/y', /docker.io is given twice/],
  ])('refuses %s', (lines, message) => {
    expect(() => parseRegistryAliases(lines.split('\n'))).toThrow(message);
  });

  const HIDDEN = 'entry 1 (not repeated: it may hold a password)';
  it.each([
    [
      'user info before "="',
      'https://robot:s3cr3t@docker.io=harbor.example.com',
      'the registry before "=" in entry 1 has a user name or password',
    ],
    ['a URL with a token', 'docker.io=https://harbor.example.com/proxy?token=s3cr3t', `${HIDDEN} has a URL`],
    [
      'a token in a path',
      'docker.io=harbor.example.com/proxy?token=s3cr3t',
      `${HIDDEN}: the alias after "=" is not a registry host`,
    ],
    [
      'a token as a key',
      'docker.io?token=s3cr3t=harbor.example.com',
      `${HIDDEN}: the registry before "=" is not a registry host`,
    ],
    ['no "=", with spaces', 'docker.io harbor.example.com s3cr3t', `${HIDDEN} is not "registry`],
  ])('refuses %s without repeating the line', (_name, line, message) => {
    let refused = '';
    try {
      parseRegistryAliases([line]);
    } catch (e) {
      refused = (e as Error).message;
    }
    expect(refused).toContain(message);
    expect(refused).not.toMatch(/s3cr3t|robot/);
  });

  it('refuses user info without repeating it', () => {
    let message = '';
    try {
      parseRegistryAliases(['docker.io=robot:s3cr3t@harbor.example.com/proxy']);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/user name or password; .*docker login harbor.example.com/);
    expect(message).not.toMatch(/s3cr3t|robot/);
  });
});

describe('aliasedRepository', () => {
  const aliases = parseRegistryAliases([
    'docker.io=harbor.example.com/dockerhub-proxy',
    'ghcr.io/acme=harbor.example.com/acme',
    'ghcr.io=harbor.example.com/ghcr',
  ]);
  it.each([
    ['docker.io/library/nginx', 'harbor.example.com/dockerhub-proxy/library/nginx'],
    ['ghcr.io/acme/app', 'harbor.example.com/acme/app'],
    ['ghcr.io/acme-other/app', 'harbor.example.com/ghcr/acme-other/app'],
    ['quay.io/x/y', 'quay.io/x/y'],
  ])('%s is read as %s', (repository, expected) => {
    expect(aliasedRepository(aliases, repository)).toBe(expected);
  });
});

describe('registry-aliases input', () => {
  const read = (inputs: Record<string, string>) => () => parseSettings((name) => inputs[name]);
  it('names the input on a bad line', () => {
    expect(read({ 'registry-aliases': 'docker.io' })).toThrow(
      /^Input "registry-aliases": "docker.io" is not/,
    );
  });
  it('refuses a registry given as both a mirror and an alias', () => {
    expect(
      read({
        'registry-aliases': 'docker.io=harbor.example.com/proxy',
        'registry-mirrors': 'docker.io=https://mirror.example.com',
      }),
    ).toThrow(/docker.io is also in registry-mirrors/);
  });
});

const gate = registryTestGate();
const describeWithRegistry = gate.available ? describe : describe.skip;

describeWithRegistry('registry-aliases against the real registry', () => {
  let registry: RegistryServer;
  let configDir: string;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic', users: { robot: 'harbor-secret' } });
    await seedImage(registry, {
      path: 'dockerhub-proxy/library/nginx',
      tags: ['1.27.0', '1.27.1'],
      created: '2024-01-01T00:00:00Z',
    });
    configDir = await mkdtemp(join(tmpdir(), 'docker-config-'));
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  /** A client with the alias and `auths` for `authHost` (none when undefined). */
  async function client(authHost: string | undefined) {
    const auths = authHost
      ? { [authHost]: { auth: Buffer.from('robot:harbor-secret').toString('base64') } }
      : {};
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ auths }));
    const settings = parseSettings((name) =>
      name === 'registry-aliases' ? `docker.io=${registry.host}/dockerhub-proxy` : undefined,
    );
    const setup = await setUpRegistry(settings, {
      maskSecret: () => undefined,
      onNotice: () => undefined,
      env: { DOCKER_CONFIG: configDir, PATH: process.env.PATH },
    });
    return setup.client;
  }

  it('reads nginx at <alias host>/v2/dockerhub-proxy/library/nginx with the alias host credentials', async () => {
    const c = await client(registry.host);
    expect(await c.listTags('docker.io/library/nginx')).toEqual(['1.27.0', '1.27.1']);
    const details = await c.describeTags('docker.io/library/nginx', ['1.27.1']);
    expect(details.get('1.27.1')).toMatchObject({ created: new Date('2024-01-01T00:00:00Z') });
    // The current image of a pull request, for its platforms: read at the alias too.
    expect((await c.describePlatforms('docker.io/library/nginx', ['1.27.0'])).get('1.27.0')).toEqual([]);
  });

  it('sends no credentials stored for docker.io to the alias host', async () => {
    const c = await client('docker.io');
    await expect(c.listTags('docker.io/library/nginx')).rejects.toThrow(/401|credentials|authenticat/i);
  });
});
