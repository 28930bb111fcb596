import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MAX_DOCKER_CONFIG_BYTES,
  dockerConfigPath,
  parseDockerConfig,
  readDockerConfig,
} from '../../src/registry/docker-config.js';
import { normaliseRegistryKey } from '../../src/registry/registry-names.js';
import { InputError } from '../../src/settings.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('normaliseRegistryKey', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['ghcr.io/v1/', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['http://Registry.Example.com:8443/v2/', 'registry.example.com:8443'],
  ])('%s -> %s', (key, expected) => {
    expect(normaliseRegistryKey(key)).toBe(expected);
  });
});

describe('parseDockerConfig', () => {
  it.each([
    [
      'auth as base64 user:password (password may contain ":")',
      { auths: { 'https://index.docker.io/v1/': { auth: b64('me:pa:ss') } } },
      { 'docker.io': { username: 'me', password: 'pa:ss' } },
    ],
    [
      'username and password fields',
      { auths: { 'https://ghcr.io': { username: 'me', password: 'pw' } } },
      { 'ghcr.io': { username: 'me', password: 'pw' } },
    ],
    [
      'identitytoken (ACR)',
      {
        auths: {
          'x.azurecr.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'rt' },
        },
      },
      {
        'x.azurecr.io': {
          username: '00000000-0000-0000-0000-000000000000',
          password: '',
          identityToken: 'rt',
        },
      },
    ],
    [
      'registrytoken',
      { auths: { 'r.example.com': { registrytoken: 'bt' } } },
      { 'r.example.com': { registryToken: 'bt' } },
    ],
    ['empty entry (helper keeps the secret)', { auths: { 'ghcr.io': {} } }, {}],
  ])('%s', (_name, config, expected) => {
    const masked: string[] = [];
    const result = parseDockerConfig(JSON.stringify(config), (s) => masked.push(s));
    expect(Object.fromEntries(result.credentials)).toEqual(expected);
    for (const entry of Object.values(expected) as Array<Record<string, string>>) {
      for (const secret of [entry.password, entry.identityToken, entry.registryToken].filter(Boolean)) {
        expect(masked).toContain(secret);
      }
    }
  });

  it.each([
    [
      'not JSON',
      '{',
      'The docker config /x/config.json is not valid JSON (line 1, column 2: the text ends before the JSON is complete);',
    ],
    [
      'an auth value that is not user:password',
      { auths: { 'ghcr.io': { auth: b64('nocolon') } } },
      'The docker config entry for ghcr.io in /x/config.json has an "auth" value',
    ],
    [
      'an entry that is not an object',
      { auths: { 'https://ghcr.io/v1/': b64('u:p') } },
      'The docker config entry for ghcr.io in /x/config.json is not a JSON object (write {"auth": "<base64 of user:password>"} or {"username": "...", "password": "..."}); it is ignored.',
    ],
  ])('problem naming the file: %s', (_name, config, message) => {
    const text = typeof config === 'string' ? config : JSON.stringify(config);
    const { problems } = parseDockerConfig(text, () => undefined, '/x/config.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'warning', message: expect.stringContaining(message) });
  });

  it('an entry that is the auth value itself is masked, though not used', () => {
    const masked: string[] = [];
    parseDockerConfig(JSON.stringify({ auths: { 'ghcr.io': b64('me:s3cret-pw') } }), (s) => masked.push(s));
    expect(masked).toEqual([b64('me:s3cret-pw')]);
  });

  // A 401 for these hosts says their credentials could not be read, as the warning does, not
  // that none were found.
  it.each<[string, object, string[]]>([
    // config, the hosts whose configured credentials could not be read
    [
      'an auth value that is not base64 of user:password',
      { auths: { 'ghcr.io': { auth: b64('nocolon') } } },
      ['ghcr.io'],
    ],
    [
      'a bad auth value beside a username and password (those are used)',
      { auths: { 'ghcr.io': { auth: b64('nocolon'), username: 'u', password: 'p' } } },
      [],
    ],
    ['a good auth value', { auths: { 'ghcr.io': { auth: b64('u:p') } } }, []],
    ['an entry without credentials (docker login put them in the store)', { auths: { 'ghcr.io': {} } }, []],
    ['a credHelpers entry that is no helper name', { credHelpers: { 'https://gcr.io': '../x' } }, ['gcr.io']],
    [
      'an entry that is the auth value itself, not an object',
      { auths: { 'ghcr.io': b64('u:p') } },
      ['ghcr.io'],
    ],
    ['an entry that is a list', { auths: { 'ghcr.io': [{ auth: b64('u:p') }] } }, ['ghcr.io']],
    ['an entry that is null (an empty entry to Docker)', { auths: { 'ghcr.io': null } }, []],
    [
      'a credsStore that is no helper name, for the hosts logged in through it',
      { auths: { 'ghcr.io': {}, 'quay.io': { auth: b64('u:p') } }, credsStore: 'a b' },
      ['ghcr.io'],
    ],
  ])('%s', (_name, config, unreadable) => {
    const result = parseDockerConfig(JSON.stringify(config), () => undefined, '/x/config.json');
    expect([...result.unreadable]).toEqual(unreadable);
    // Each has its warning (the message points there).
    expect(unreadable.length === 0 || result.problems.length > 0).toBe(true);
  });

  // Nothing is known of what such a config holds: a 401 says its credentials could not be read
  // (and where), not that none were found; each has a warning naming the file.
  it.each<[string, string, string | undefined, string | undefined]>([
    // case, the config's text, the config recorded as unreadable, the warning
    [
      'not JSON',
      '{"auths": {',
      '/x/config.json',
      'The docker config /x/config.json is not valid JSON (line 1, column 12: the text ends before the JSON is complete); registries are accessed anonymously.',
    ],
    [
      'JSON null',
      'null',
      '/x/config.json',
      'The docker config /x/config.json is not a JSON object; registries are accessed anonymously.',
    ],
    [
      'a JSON list',
      '[{"auths": {}}]',
      '/x/config.json',
      'The docker config /x/config.json is not a JSON object; registries are accessed anonymously.',
    ],
    ['an empty object (nothing configured, readable)', '{}', undefined, undefined],
  ])('a config that is %s', (_name, text, unreadableConfig, message) => {
    const result = parseDockerConfig(text, () => undefined, '/x/config.json');
    expect(result.unreadableConfig).toBe(unreadableConfig);
    expect(result.problems.map((p) => p.message)).toEqual(message ? [message] : []);
  });

  it('reads which helper serves which registry (credential-helper.test.ts runs them)', () => {
    const result = parseDockerConfig(
      JSON.stringify({
        auths: { 'ghcr.io': {}, 'https://index.docker.io/v1/': {}, 'quay.io': { auth: b64('u:p') } },
        credsStore: 'desktop',
        credHelpers: {
          '1.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login',
          'https://gcr.io': 'gcloud',
          'x.io': '',
        },
      }),
      () => undefined,
      '/x/config.json',
    );
    expect(result.problems).toEqual([]);
    expect(Object.fromEntries(result.helpers)).toEqual({
      '1.dkr.ecr.us-east-1.amazonaws.com': { helper: 'ecr-login', source: '/x/config.json' },
      'gcr.io': { helper: 'gcloud', source: '/x/config.json' },
    });
    expect(result.store).toEqual({ helper: 'desktop', source: '/x/config.json' });
    expect([...result.storeHosts]).toEqual(['ghcr.io', 'docker.io']);
  });
});

describe('readDockerConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { 'ghcr.io': { auth: b64('u:file') } } }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads $DOCKER_CONFIG/config.json', async () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: dir })).toBe(join(dir, 'config.json'));
    expect(dockerConfigPath({}, '/home/u')).toBe('/home/u/.docker/config.json');
    const result = await readDockerConfig(() => undefined, { env: { DOCKER_CONFIG: dir } });
    expect(result.credentials.get('ghcr.io')).toEqual({ username: 'u', password: 'file' });
  });

  it('lets DOCKER_AUTH_CONFIG override the file entry by entry', async () => {
    const env = {
      DOCKER_CONFIG: dir,
      DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { 'ghcr.io': { auth: b64('u:env') } } }),
    };
    const result = await readDockerConfig(() => undefined, { env });
    expect(result.credentials.get('ghcr.io')).toEqual({ username: 'u', password: 'env' });
  });

  it('treats a missing file at the default place ($DOCKER_CONFIG) as no credentials', async () => {
    const result = await readDockerConfig(() => undefined, { env: { DOCKER_CONFIG: join(dir, 'empty') } });
    expect(result).toEqual({
      credentials: new Map(),
      problems: [],
      helpers: new Map(),
      storeHosts: new Set(),
      unreadable: new Set(),
    });
  });

  it.each([
    ['a missing file', 'nope.json'],
    ['a path under a file', 'config.json/config.json'],
  ])('refuses a path given (the docker-config input) to %s, naming the input', async (_name, file) => {
    const path = join(dir, file);
    const read = readDockerConfig(() => undefined, { path, env: { DOCKER_CONFIG: dir } });
    await expect(read).rejects.toThrow(InputError);
    await expect(read).rejects.toThrow(
      `Input "docker-config": ${path} does not exist; give the path of a docker config file, ` +
        'or leave it out to use $DOCKER_CONFIG/config.json or ~/.docker/config.json',
    );
  });

  it('refuses a directory given (the docker-config input), naming the file in it', async () => {
    // DOCKER_CONFIG names a folder; the input names the file: given the folder, the run would go on
    // without the credentials meant, and the registry would be blamed.
    const read = readDockerConfig(() => undefined, { path: dir, env: {} });
    await expect(read).rejects.toThrow(InputError);
    await expect(read).rejects.toThrow(
      `Input "docker-config": ${dir} is a directory; give the path of the docker config file in it ` +
        `(${join(dir, 'config.json')}), or leave it out to use $DOCKER_CONFIG/config.json or ~/.docker/config.json`,
    );
  });

  // DOCKER_CONFIG set to the file itself (a common slip; Docker reads $DOCKER_CONFIG/config.json)
  // was taken as no file at all: registries were read anonymously without a word, and a 401
  // advised a `docker login` that fails the same way.
  it.each([
    ['config.json', (folder: string) => folder],
    ['credentials.json', () => 'the folder that holds config.json'],
  ])('reads DOCKER_CONFIG naming a file (%s) as a warning and no credentials', async (name, fix) => {
    const file = join(dir, name);
    await writeFile(file, JSON.stringify({ auths: { 'ghcr.io': { auth: b64('u:file') } } }));
    const result = await readDockerConfig(() => undefined, { env: { DOCKER_CONFIG: file } });
    expect(result.credentials.size).toBe(0);
    expect(result.problems.map((p) => p.message)).toEqual([
      `DOCKER_CONFIG names the file ${file}, not a folder: the docker config is read from ` +
        `$DOCKER_CONFIG/config.json; set DOCKER_CONFIG to ${fix(dir)}. Registries are accessed anonymously.`,
    ]);
    expect(result.unreadableConfig).toBe(join(file, 'config.json'));
  });

  it('reads a directory at the default place as a warning and no credentials', async () => {
    const folder = join(dir, 'as-folder');
    await mkdir(join(folder, 'config.json'), { recursive: true });
    const result = await readDockerConfig(() => undefined, { env: { DOCKER_CONFIG: folder } });
    expect(result.credentials.size).toBe(0);
    expect(result.problems.map((p) => p.message)).toEqual([
      `The docker config ${join(folder, 'config.json')} is a directory, not a file; registries are accessed anonymously.`,
    ]);
    expect(result.unreadableConfig).toBe(join(folder, 'config.json'));
  });

  it.each<[string, string | undefined, string, string | undefined]>([
    // case, the file's text (none: no file), DOCKER_AUTH_CONFIG, the config recorded as unreadable
    ['the file is fine, the variable not JSON', '{}', '{', 'DOCKER_AUTH_CONFIG'],
    ['the file not JSON, the variable fine: the file', '{', '{}', 'FILE'],
    ['both not JSON: the file', '{', '{', 'FILE'],
    ['no file, the variable fine', undefined, '{}', undefined],
  ])('DOCKER_AUTH_CONFIG beside the file: %s', async (name, file, variable, unreadable) => {
    const folder = join(dir, name.replace(/\W+/g, '-'));
    await mkdir(folder, { recursive: true });
    if (file !== undefined) await writeFile(join(folder, 'config.json'), file);
    const result = await readDockerConfig(() => undefined, {
      env: { DOCKER_CONFIG: folder, DOCKER_AUTH_CONFIG: variable },
    });
    expect(result.unreadableConfig).toBe(unreadable === 'FILE' ? join(folder, 'config.json') : unreadable);
  });
});

describe('readDockerConfig on hostile paths', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docker-config-hostile-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['a FIFO (never blocks)', (path: string) => execFileSync('mkfifo', [path]), 'is a FIFO, not a file'],
    [
      'a file over the limit',
      async (path: string) => {
        await writeFile(path, '');
        await truncate(path, MAX_DOCKER_CONFIG_BYTES + 1);
      },
      'is 4,194,305 bytes, over the 4,194,304-byte limit',
    ],
  ])('%s is a warning naming it, and no credentials', async (name, make, why) => {
    const path = join(dir, `${name.split(' ')[1]}.json`);
    await make(path);
    const result = await readDockerConfig(() => undefined, { path, env: {} });
    expect(result.credentials.size).toBe(0);
    expect(result.unreadableConfig).toBe(path);
    expect(result.problems.map((p) => p.message)).toEqual([
      `The docker config ${path} ${why}; registries are accessed anonymously.`,
    ]);
  });
});
