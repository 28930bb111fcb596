/**
 * The rules of README's "Upgrading and rolling back", one table each: the state this version writes
 * (a pull request's marker, the dashboard issue, the digest cache file), kept as fixtures under
 * `__tests__/fixtures/versions/` exactly as this version wrote them, must stay readable by the next;
 * and state a newer version wrote is never taken for this version's. A change that breaks a row
 * changes what another version of the Action does with the same pull requests, issue or cache: give
 * the format a new version number instead, and a rule here.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MARKER_PREFIX,
  markerOf,
  parseMarker,
  parseNewerMarker,
  renderMarker,
} from '../../src/plan/pull-request-text.js';
import { DASHBOARD_MARKER, dashboardMarker } from '../../src/report/dashboard-issue.js';
import { dashboardKey, parseDashboardTicks } from '../../src/report/dashboard-ticks.js';
import { cacheFormatOf, DigestCache } from '../../src/registry/digest-cache.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'versions');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

// The pull request the fixtures were written for.
const BRANCH = 'helmrelease-image-updater/data/mongodb/chart-image-c439fbb3';
const UPDATE = makeUpdate({ file: 'releases/mongodb.yaml', line: 18, to: '4.0.4' });
const MARKED = {
  file: 'releases/mongodb.yaml',
  release: 'data/mongodb',
  container: 'chart-image',
  repository: 'docker.io/bitnami/mongodb',
  from: '4.0.3',
  to: '4.0.4',
};
const BODY = fixture('pull-request-body.md');
const markerLine = (body: string): string => body.split('\n').find((line) => line.startsWith(MARKER_PREFIX))!;

describe('a pull request this version wrote is read back as this version wrote it', () => {
  it('its marker, today', () => {
    expect(parseMarker(BODY)).toEqual({
      version: 1,
      branch: BRANCH,
      updates: [MARKED],
      written: '7fb400a563f9563b',
    });
    expect(parseNewerMarker(BODY)).toBeUndefined();
  });

  it('the marker written today is the fixture, byte for byte (a change needs a new version)', () => {
    expect(renderMarker({ ...markerOf(BRANCH, [UPDATE]), written: '7fb400a563f9563b' })).toBe(
      markerLine(BODY),
    );
  });

  it.each([
    ['superseded by a newer one', { supersededBy: 7 }],
    ['closed as obsolete', { obsolete: true as const }],
    ['written before the stamp', { written: undefined }],
  ])('closed or written by this version: %s', (_name, fields) => {
    const marker = { ...parseMarker(BODY)!, ...fields };
    const body = BODY.replace(markerLine(BODY), renderMarker(marker));
    expect(parseMarker(body)).toEqual(JSON.parse(JSON.stringify(marker)));
  });
});

describe("a newer version's pull request is never taken for this version's", () => {
  const marker = JSON.parse(markerLine(BODY).slice(MARKER_PREFIX.length, -'-->'.length)) as object;
  const body = (value: unknown): string =>
    BODY.replace(markerLine(BODY), `${MARKER_PREFIX} ${JSON.stringify(value)} -->`);
  it.each<[string, unknown, string, boolean]>([
    ['a higher version', { ...marker, version: 2 }, 'its marker is version 2', true],
    [
      'an unknown field',
      { ...marker, pin: 'x' },
      'its marker has fields this version does not know: pin',
      true,
    ],
    [
      'an unknown field in an update',
      { ...marker, updates: [{ ...MARKED, digest: 'sha256:0' }] },
      'its marker has fields this version does not know: updates[].digest',
      true,
    ],
    [
      'a higher version without readable updates',
      { version: 9, changes: [] },
      'its marker is version 9',
      false,
    ],
  ])('%s', (_name, value, why, readable) => {
    expect(parseMarker(body(value))).toBeUndefined();
    expect(parseNewerMarker(body(value))).toEqual({ why, updates: readable ? [MARKED] : undefined });
  });

  it.each<[string, unknown]>([
    ['no version', { ...marker, version: undefined }],
    ['version 0', { ...marker, version: 0 }],
    ['version in text', { ...marker, version: '2' }],
    ['a known field of the wrong type', { ...marker, supersededBy: 'seven' }],
  ])(
    "a broken marker is neither this version's nor a newer one's (a person's pull request): %s",
    (_name, value) => {
      expect([parseMarker(body(value)), parseNewerMarker(body(value))]).toEqual([undefined, undefined]);
    },
  );
});

describe('the dashboard issue this version wrote is found again, and its ticks act', () => {
  const DASHBOARD = fixture('dashboard-body.md');

  it('by its marker (the default title keeps the unkeyed marker of every earlier version)', () => {
    expect(DASHBOARD.split('\n')[0]).toBe(DASHBOARD_MARKER);
    expect(dashboardMarker('HelmRelease image updates')).toBe(DASHBOARD_MARKER);
  });

  it('its ticked Open now box names the pull request by the key this version computes', () => {
    const ticks = parseDashboardTicks(DASHBOARD);
    expect([[...ticks.retry], [...ticks['open-now']]]).toEqual([[], [dashboardKey(BRANCH, [UPDATE])]]);
  });
});

describe('a digest cache file is read by format', () => {
  const DIGEST = `sha256:${'a'.repeat(64)}`;
  const NOW = Date.parse('2026-12-08T00:30:00Z');

  it.each<[string, unknown, string, object | undefined]>([
    [
      'format 2, this version',
      JSON.parse(fixture('digest-cache.v2.json')),
      'current',
      {
        created: '2026-12-01T10:00:00.000Z',
        labels: { created: '2026-12-01T09:59:00Z' },
        source: 'https://github.com/bitnami/containers',
        revision: 'abc123',
        platforms: ['linux/amd64', 'linux/arm64'],
      },
    ],
    [
      'format 1, older versions',
      JSON.parse(fixture('digest-cache.v1.json')),
      'older',
      { created: '2026-12-01T10:00:00.000Z', source: 'https://github.com/bitnami/containers' },
    ],
    [
      'format 3, a newer version: not trusted',
      { ...JSON.parse(fixture('digest-cache.v2.json')), version: 3 },
      'newer',
      undefined,
    ],
    [
      'no format: not trusted',
      { ...JSON.parse(fixture('digest-cache.v2.json')), version: undefined },
      'unknown',
      undefined,
    ],
  ])('%s', (_name, file, format, entry) => {
    expect(cacheFormatOf(file).kind).toBe(format);
    const cache = DigestCache.fromJSON(file, NOW);
    expect(cache.get(DIGEST)).toEqual(entry);
  });

  it("format 2's tag records are trusted for their refresh", () => {
    const cache = DigestCache.fromJSON(JSON.parse(fixture('digest-cache.v2.json')), NOW);
    expect(cache.toJSON().tags).toEqual({
      'docker.io/bitnami/mongodb': {
        '4.0.4': { digest: DIGEST, checked: '2026-12-08T00:00:00.000Z', refresh: 3600 },
      },
    });
  });
});
