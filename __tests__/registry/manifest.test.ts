import { describe, expect, it } from '@jest/globals';
import { formatCreated } from '../../src/image/created-time.js';
import {
  configPlatform,
  indexPlatforms,
  MAX_PLATFORMS,
  parseCreated,
  parseManifest,
  BUILD_DATE_LABEL as BUILD_DATE,
  CREATED_LABEL as CREATED,
  readImageConfig,
  selectIndexEntry,
  type IndexEntry,
} from '../../src/registry/manifest.js';

const D = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const amd64: IndexEntry = {
  digest: D(1),
  mediaType: OCI_MANIFEST,
  platform: { os: 'linux', architecture: 'amd64' },
};
const arm64: IndexEntry = {
  digest: D(2),
  mediaType: OCI_MANIFEST,
  platform: { os: 'linux', architecture: 'arm64' },
};
const armV7: IndexEntry = {
  digest: D(3),
  mediaType: OCI_MANIFEST,
  platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
};
const attestation: IndexEntry = {
  digest: D(4),
  mediaType: OCI_MANIFEST,
  platform: { os: 'unknown', architecture: 'unknown' },
  annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': D(1) },
};

describe('selectIndexEntry', () => {
  it.each([
    ['linux/amd64 wherever it is', [arm64, attestation, amd64], amd64],
    ['no amd64: the first entry that is not an attestation', [attestation, armV7, arm64], armV7],
    ['only attestations: none', [attestation], undefined],
    [
      'nested indexes are not images',
      [{ digest: D(5), mediaType: 'application/vnd.oci.image.index.v1+json' }],
      undefined,
    ],
  ])('%s', (_name, entries, expected) => {
    expect(selectIndexEntry(entries)).toEqual(expected);
  });
});

describe('parseManifest', () => {
  const v1 = (config: object): string =>
    JSON.stringify({ schemaVersion: 1, history: [{ v1Compatibility: JSON.stringify(config) }] });
  it.each([
    [
      'OCI index',
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [amd64],
      }),
      null,
      { kind: 'index', entries: [amd64] },
    ],
    [
      'Docker schema 2 by Content-Type',
      JSON.stringify({ schemaVersion: 2, config: { digest: D(6) }, layers: [] }),
      'application/vnd.docker.distribution.manifest.v2+json',
      { kind: 'image', configDigest: D(6) },
    ],
    [
      'schema 1 falls back to v1Compatibility',
      v1({
        created: '2019-05-06T07:08:09Z',
        config: { Labels: { 'org.opencontainers.image.source': 'https://s' } },
      }),
      'application/vnd.docker.distribution.manifest.v1+prettyjws',
      { kind: 'schema1', created: new Date('2019-05-06T07:08:09Z'), labelTimes: {}, source: 'https://s' },
    ],
    [
      'schema 1 without history',
      JSON.stringify({ schemaVersion: 1 }),
      null,
      { kind: 'schema1', created: undefined },
    ],
    ['not JSON', '<html>', 'text/html', { kind: 'unknown', reason: 'the manifest is not JSON' }],
    [
      'a media type of a megabyte is quoted in part',
      JSON.stringify({ mediaType: `application/${'x'.repeat(1 << 20)}` }),
      null,
      { kind: 'unknown', reason: `unsupported manifest type "application/${'x'.repeat(88)}…"` },
    ],
  ])('%s', (_name, body, contentType, expected) => {
    expect(parseManifest(body, contentType)).toEqual(expected);
  });
});

describe('readImageConfig', () => {
  it.each([
    ['RFC 3339', { created: '2024-01-02T03:04:05Z' }, new Date('2024-01-02T03:04:05Z')],
    [
      'nine fractional digits (buildkit)',
      { created: '2024-01-02T03:04:05.123456789Z' },
      new Date('2024-01-02T03:04:05.123Z'),
    ],
    ['offset', { created: '2024-01-02T05:04:05+02:00' }, new Date('2024-01-02T03:04:05Z')],
    ['epoch (reproducible builds) is a time', { created: '1970-01-01T00:00:00Z' }, new Date(0)],
    ['absent', {}, undefined],
    ['garbage', { created: 'yesterday-ish' }, undefined],
  ])('%s', (_name, config, created) => {
    expect(readImageConfig(config).created).toEqual(created);
  });

  it('reads the source label', () => {
    expect(
      readImageConfig({ config: { Labels: { 'org.opencontainers.image.source': 'https://github.com/o/r' } } })
        .source,
    ).toBe('https://github.com/o/r');
  });

  it.each([
    [
      'source and revision',
      'https://github.com/o/r',
      'abc123',
      { source: 'https://github.com/o/r', revision: 'abc123' },
    ],
    // Labels are anyone's text: a 40,000-character one is no URL, and is not kept (nor cached).
    ['a 40,000-character source', 'x'.repeat(40_000), 'abc123', { revision: 'abc123' }],
    [
      'a 300-character revision',
      'https://github.com/o/r',
      'r'.repeat(300),
      { source: 'https://github.com/o/r' },
    ],
    ['labels that are not strings', 7, ['a'], {}],
  ])('labels: %s', (_name, source, revision, expected) => {
    const config = {
      config: {
        Labels: { 'org.opencontainers.image.source': source, 'org.opencontainers.image.revision': revision },
      },
    };
    expect(readImageConfig(config)).toEqual({ created: undefined, labelTimes: {}, ...expected });
  });

  // FLUX-V1-RULES R10.2: a label that is absent, empty, not a string or not RFC 3339 is ignored
  // (Flux logged it and kept the image's other data); the other label still counts.
  const GOOD = '2024-05-06T07:08:09Z';
  it.each([
    [
      'both labels',
      { [CREATED]: GOOD, [BUILD_DATE]: '2023-01-01T00:00:00+02:00' },
      { created: GOOD, buildDate: '2022-12-31T22:00:00Z' },
    ],
    ['only the OCI label', { [CREATED]: GOOD }, { created: GOOD }],
    ['only the Label Schema label', { [BUILD_DATE]: GOOD }, { buildDate: GOOD }],
    ['neither', { 'org.opencontainers.image.source': 'https://s' }, {}],
    ['an empty label', { [CREATED]: '', [BUILD_DATE]: GOOD }, { buildDate: GOOD }],
    ['a date without a time', { [CREATED]: '2019-05-23', [BUILD_DATE]: GOOD }, { buildDate: GOOD }],
    ['compact digits', { [CREATED]: '20190523', [BUILD_DATE]: '20190523' }, {}],
    ['no zone', { [CREATED]: '2024-05-06T07:08:09' }, {}],
    ['a number', { [CREATED]: 1714979289 }, {}],
    // Go's zero time: Flux's IsZero() skipped it for the next label, as for an absent one.
    ["Go's zero time", { [CREATED]: '0001-01-01T00:00:00Z', [BUILD_DATE]: GOOD }, { buildDate: GOOD }],
    ['zero time written with a zone', { [BUILD_DATE]: '0001-01-01T02:00:00+02:00' }, {}],
    [
      'a second after the zero time',
      { [BUILD_DATE]: '0001-01-01T00:00:01Z' },
      { buildDate: '0001-01-01T00:00:01Z' },
    ],
    ['a month 13', { [BUILD_DATE]: '2024-13-01T00:00:00Z' }, {}],
    ['65 characters', { [CREATED]: `2024-05-06T07:08:09.${'1'.repeat(44)}Z` }, {}],
    ['labels not an object', 'labels', {}],
  ])('label times: %s', (_name, labels, expected) => {
    const { labelTimes } = readImageConfig({ created: '1970-01-01T00:00:00Z', config: { Labels: labels } });
    const iso = (time: Date | undefined) => time?.toISOString().replace('.000Z', 'Z');
    expect({ created: iso(labelTimes?.created), buildDate: iso(labelTimes?.buildDate) }).toEqual({
      created: undefined,
      buildDate: undefined,
      ...expected,
    });
  });

  it('keeps a label time to the nanosecond, as Go did', () => {
    const { labelTimes } = readImageConfig({
      config: { Labels: { [CREATED]: '2024-05-06T07:08:09.123456789Z' } },
    });
    expect(labelTimes?.created && formatCreated(labelTimes.created)).toBe('2024-05-06T07:08:09.123456789Z');
  });
});

describe('parseCreated', () => {
  it.each([
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05.123456789Z', '2024-01-02T03:04:05.123Z'],
    ['2024-01-02T03:04:05+02:00', '2024-01-02T01:04:05.000Z'],
    ['1', undefined],
    ['garbage 12', undefined],
    ['March 7', undefined],
    ['2024-02-30T00:00:00Z', undefined],
    ['2024-01-02T03:04:05', undefined],
    ['', undefined],
  ])('%j', (text, iso) => {
    expect(parseCreated(text)?.toISOString()).toBe(iso);
  });
});

describe('indexPlatforms', () => {
  const image = (platform: IndexEntry['platform'], n = 6): IndexEntry => ({
    digest: D(n),
    mediaType: OCI_MANIFEST,
    ...(platform ? { platform } : {}),
  });
  const many = (count: number) =>
    Array.from({ length: count }, (_, i) => image({ os: 'linux', architecture: `arch${i}` }));
  it.each<[string, IndexEntry[], string[] | undefined]>([
    [
      'the images, in the index order, attestations left out',
      [arm64, attestation, amd64, armV7],
      ['linux/arm64', 'linux/amd64', 'linux/arm/v7'],
    ],
    [
      'Windows images that differ only in os.version count once',
      [image({ os: 'windows', architecture: 'amd64' }), image({ os: 'windows', architecture: 'amd64' }, 7)],
      ['windows/amd64'],
    ],
    [
      'nested indexes are not images',
      [amd64, { digest: D(5), mediaType: 'application/vnd.oci.image.index.v1+json' }],
      ['linux/amd64'],
    ],
    ['no image: unknown', [attestation], undefined],
    ['an image without a platform: unknown, never a partial list', [amd64, image(undefined)], undefined],
    ['a part with markup: unknown', [amd64, image({ os: 'linux', architecture: '<b>arm</b>' })], undefined],
    [
      'a part longer than 32 characters: unknown',
      [amd64, image({ os: 'linux', architecture: 'a'.repeat(33) })],
      undefined,
    ],
    [
      'a variant that is not a string: unknown',
      [image({ os: 'linux', architecture: 'arm', variant: 7 as unknown as string })],
      undefined,
    ],
    [
      `${MAX_PLATFORMS} platforms: kept`,
      many(MAX_PLATFORMS),
      many(MAX_PLATFORMS).map((e) => `linux/${e.platform!.architecture}`),
    ],
    [`${MAX_PLATFORMS + 1} platforms: unknown`, many(MAX_PLATFORMS + 1), undefined],
  ])('%s', (_name, entries, expected) => {
    expect(indexPlatforms(entries)).toEqual(expected);
  });
});

describe('configPlatform', () => {
  it.each<[string, unknown, string | undefined]>([
    ['os and architecture', { os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    ['with a variant', { os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm/v7'],
    ['an empty variant is none', { os: 'linux', architecture: 'arm64', variant: '' }, 'linux/arm64'],
    ['no architecture', { os: 'linux' }, undefined],
    ['a slash inside a part', { os: 'linux/evil', architecture: 'amd64' }, undefined],
    ['not an object', 'linux/amd64', undefined],
  ])('%s', (_name, config, expected) => {
    expect(configPlatform(config)).toBe(expected);
    expect(readImageConfig(config).platform).toBe(expected);
  });
});
