import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import {
  formatBranchName,
  groupUpdates,
  parseBranchName,
  sanitizeBranchPrefix,
  sanitizeRefSegment,
  shortHash,
  type BranchKey,
} from '../../src/plan/branch-name.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const PREFIX = 'helmrelease-image-updater/';

/** Asks git itself whether a branch name is valid. */
function gitAcceptsBranch(branch: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', branch], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('formatBranchName', () => {
  const hash = shortHash('releases/mongodb.yaml');
  it.each<[string, BranchKey, string]>([
    [
      'container',
      { kind: 'container', namespace: 'data', name: 'mongodb', container: 'chart-image', fileHash: hash },
      `${PREFIX}data/mongodb/chart-image-${hash}`,
    ],
    [
      'no namespace',
      { kind: 'container', namespace: undefined, name: 'mongodb', container: 'sidecar', fileHash: hash },
      `${PREFIX}_/mongodb/sidecar-${hash}`,
    ],
    [
      'image',
      { kind: 'image', repository: 'docker.io/bitnami/mongodb', tag: '4.0.4' },
      `${PREFIX}image/docker.io/bitnami/mongodb/4.0.4`,
    ],
    [
      'release',
      { kind: 'release', namespace: 'data', name: 'mongodb', fileHash: hash },
      `${PREFIX}data/mongodb-${hash}`,
    ],
    [
      'release without a namespace',
      { kind: 'release', namespace: undefined, name: 'mongodb', fileHash: hash },
      `${PREFIX}_/mongodb-${hash}`,
    ],
    [
      'release in a namespace named image',
      { kind: 'release', namespace: 'image', name: 'app', fileHash: hash },
      `${PREFIX}image/app-${hash}`,
    ],
    [
      'image with a registry port',
      { kind: 'image', repository: 'localhost:5000/team/app', tag: 'v1.2' },
      `${PREFIX}image/localhost-5000/team/app/v1.2`,
    ],
  ])('%s', (_name, key, expected) => {
    const branch = formatBranchName(PREFIX, key);
    expect(branch).toBe(expected);
    expect(gitAcceptsBranch(branch)).toBe(true);
    expect(parseBranchName(PREFIX, branch)).toEqual(
      key.kind === 'image' ? { ...key, repository: key.repository.replace(':', '-') } : key,
    );
  });

  it('gives different branches to the same release in two files', () => {
    const a = formatBranchName(PREFIX, {
      kind: 'container',
      namespace: 'data',
      name: 'mongodb',
      container: 'chart-image',
      fileHash: shortHash('a/mongodb.yaml'),
    });
    const b = formatBranchName(PREFIX, {
      kind: 'container',
      namespace: 'data',
      name: 'mongodb',
      container: 'chart-image',
      fileHash: shortHash('b/mongodb.yaml'),
    });
    expect(a).not.toBe(b);
  });
});

describe('the three forms', () => {
  it('never read as one another, nor name the same branch, whatever the names', () => {
    const segment = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(segment, segment, segment, segment, (namespace, name, container, tag) => {
        const fileHash = shortHash(name);
        const keys: BranchKey[] = [
          { kind: 'container', namespace, name, container, fileHash },
          { kind: 'release', namespace, name, fileHash },
          { kind: 'image', repository: `${namespace || 'x'}/${name || 'y'}`, tag },
        ];
        const branches = keys.map((key) => formatBranchName(PREFIX, key));
        expect(new Set(branches).size).toBe(3);
        expect(branches.map((branch) => parseBranchName(PREFIX, branch)?.kind)).toEqual([
          'container',
          'release',
          'image',
        ]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sanitizeRefSegment', () => {
  it.each([
    ['plain', 'plain'],
    ['with space', 'with-space'],
    ['a..b', 'a.b'],
    ['.hidden', 'hidden'],
    ['-dash', 'dash'],
    ['name.lock', 'name-lock'],
    ['trailing.', 'trailing'],
    ['x@{1}', 'x-1}'],
    ['@', '_'],
    ['', '_'],
    ['a~b^c:d?e*f[g\\h', 'a-b-c-d-e-f-g-h'],
    ['tab\there', 'tab-here'],
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeRefSegment(input)).toBe(expected);
  });

  it('always yields a name git accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (name, container) => {
        const branch = formatBranchName(PREFIX, {
          kind: 'container',
          namespace: name,
          name,
          container,
          fileHash: shortHash(name),
        });
        return gitAcceptsBranch(branch);
      }),
      { numRuns: 200 },
    );
  });
});

describe('sanitizeBranchPrefix', () => {
  it.each([
    ['updates/', 'updates/'],
    ['updates-', 'updates-'],
    ['', ''],
    ['a//b/', 'a/b/'],
    ['bad prefix.lock/', 'bad-prefix-lock/'],
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeBranchPrefix(input)).toBe(expected);
  });
});

describe('parseBranchName', () => {
  it.each([
    ['other/data/mongodb/chart-image-1234abcd'],
    [`${PREFIX}data/mongodb`],
    [`${PREFIX}data/mongodb/chart-image`],
  ])('rejects %j', (branch) => {
    expect(parseBranchName(PREFIX, branch)).toBeUndefined();
  });
});

describe('groupUpdates', () => {
  const mongo = makeUpdate();
  const sidecar = makeUpdate({ container: 'sidecar', line: 20 });
  const otherRelease = makeUpdate({ name: 'other', release: 'data/other', file: 'releases/other.yaml' });
  const sameText = makeUpdate({ container: 'alias' });
  const otherTag = makeUpdate({ container: 'old', line: 30, to: '4.0.2', image: 'bitnami/mongodb:4.0.1' });

  it('makes one request per container by default', () => {
    const requests = groupUpdates([mongo, sidecar, otherRelease], 'container', PREFIX);
    expect(requests.map((r) => [r.branch, r.updates.map((u) => u.container)])).toEqual([
      [`${PREFIX}data/mongodb/chart-image-${shortHash(mongo.file)}`, ['chart-image']],
      [`${PREFIX}data/mongodb/sidecar-${shortHash(mongo.file)}`, ['sidecar']],
      [`${PREFIX}data/other/chart-image-${shortHash(otherRelease.file)}`, ['chart-image']],
    ]);
  });

  it('keeps two containers on the same text in one request', () => {
    const requests = groupUpdates([mongo, sameText], 'container', PREFIX);
    expect(requests).toHaveLength(1);
    expect(requests[0].updates.map((u) => u.container)).toEqual(['chart-image', 'alias']);
  });

  it('groups every container of a release with group-by release', () => {
    const requests = groupUpdates([mongo, sidecar, otherRelease, otherTag, sameText], 'release', PREFIX);
    expect(requests.map((r) => [r.branch, r.updates.map((u) => u.container)])).toEqual([
      [`${PREFIX}data/mongodb-${shortHash(mongo.file)}`, ['chart-image', 'sidecar', 'old', 'alias']],
      [`${PREFIX}data/other-${shortHash(otherRelease.file)}`, ['chart-image']],
    ]);
  });

  it('keeps the same release in two files apart with group-by release', () => {
    const copy = makeUpdate({ file: 'staging/mongodb.yaml' });
    expect(groupUpdates([mongo, copy], 'release', PREFIX).map((r) => r.branch)).toEqual([
      `${PREFIX}data/mongodb-${shortHash(mongo.file)}`,
      `${PREFIX}data/mongodb-${shortHash(copy.file)}`,
    ]);
  });

  it('groups by repository and new tag with group-by image', () => {
    const requests = groupUpdates([mongo, sidecar, otherRelease, otherTag], 'image', PREFIX);
    expect(requests.map((r) => [r.branch, r.updates.map((u) => `${u.release}/${u.container}`)])).toEqual([
      [
        `${PREFIX}image/docker.io/bitnami/mongodb/4.0.4`,
        ['data/mongodb/chart-image', 'data/mongodb/sidecar', 'data/other/chart-image'],
      ],
      [`${PREFIX}image/docker.io/bitnami/mongodb/4.0.2`, ['data/mongodb/old']],
    ]);
  });
});
