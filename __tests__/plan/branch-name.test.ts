import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import {
  branchKeyOf,
  formatBranchName,
  GROUP_BY_VALUES,
  MAX_BRANCH_BYTES,
  MAX_PREFIX_BYTES,
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
          // A normalised repository always has a host and a path.
          { kind: 'image', repository: `ghcr.io/acme${namespace}/${name}`, tag },
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

describe('shortHash', () => {
  it.each([
    // FNV-1a 32-bit test vectors.
    ['', '811c9dc5'],
    ['a', 'e40c292c'],
    ['foobar', 'bf9cf968'],
    // UTF-8 bytes, not UTF-16 units.
    ['é', '1e9de8c1'],
    // Eight hex digits even when the hash is small.
    ['f8', '0d226273'],
  ])('%j -> %s', (text, expected) => {
    expect(shortHash(text)).toBe(expected);
  });
});

describe('sanitizeRefSegment: each character git refuses', () => {
  it.each([
    ['a\u0000b', 'a-b'],
    ['a\u001fb', 'a-b'],
    ['a b', 'a-b'],
    ['a\u007fb', 'a-b'],
    ['a~b', 'a-b'],
    ['a^b', 'a-b'],
    ['a:b', 'a-b'],
    ['a?b', 'a-b'],
    ['a*b', 'a-b'],
    ['a[b', 'a-b'],
    ['a\\b', 'a-b'],
    ['a/b', 'a-b'],
    ['a@{b', 'a-b'],
    ['a@b!', 'a@b!'],
    ['a...b', 'a.b'],
    ['.-.x', 'x'],
    ['...', '_'],
    ['a.lock.lock', 'a.lock-lock'],
    ['a.lock.', 'a-lock'],
    ['x..', 'x'],
    ['@@', '@@'],
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeRefSegment(input)).toBe(expected);
  });
});

describe('sanitizeBranchPrefix: edges', () => {
  it.each([
    ['/', ''],
    ['//a//', 'a/'],
    ['a', 'a'],
    ['a b/c', 'a-b/c'],
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeBranchPrefix(input)).toBe(expected);
  });
});

describe('parseBranchName: shapes', () => {
  const hash = '0d226273';
  it.each<[string, string, BranchKey | undefined]>([
    [
      'an image branch',
      `${PREFIX}image/ghcr.io/a/b/1.0`,
      { kind: 'image', repository: 'ghcr.io/a/b', tag: '1.0' },
    ],
    ['an image branch needs a repository and a tag', `${PREFIX}image/a/1.0`, undefined],
    [
      'a release branch',
      `${PREFIX}data/app-${hash}`,
      { kind: 'release', namespace: 'data', name: 'app', fileHash: hash },
    ],
    [
      'a release branch without a namespace',
      `${PREFIX}_/app-${hash}`,
      { kind: 'release', namespace: undefined, name: 'app', fileHash: hash },
    ],
    [
      'a container branch without a namespace',
      `${PREFIX}_/app/c-${hash}`,
      { kind: 'container', namespace: undefined, name: 'app', container: 'c', fileHash: hash },
    ],
    [
      'a name with dashes keeps them',
      `${PREFIX}data/my-app/side-car-${hash}`,
      { kind: 'container', namespace: 'data', name: 'my-app', container: 'side-car', fileHash: hash },
    ],
    ['a hash of upper-case digits is not ours', `${PREFIX}data/app-0D226273`, undefined],
    ['a hash of seven digits is not ours', `${PREFIX}data/app/c-0d22627`, undefined],
    ['a hash of nine digits is not ours', `${PREFIX}data/app/c-0d2262730`, undefined],
    ['a hash without a name is not ours', `${PREFIX}data/-${hash}`, undefined],
    ['four plain segments are not ours', `${PREFIX}a/b/c/d-${hash}`, undefined],
    ['one segment is not ours', `${PREFIX}app-${hash}`, undefined],
    ['no prefix where one is expected', `data/app-${hash}`, undefined],
    ['a container branch with a fourth segment is not ours', `${PREFIX}data/app/c-${hash}/more`, undefined],
  ])('%s', (_name, branch, expected) => {
    expect(parseBranchName(PREFIX, branch)).toEqual(expected);
  });

  it.each([
    ['another prefix of the same length', 'updates/', `changes/data/app-${hash}`],
    ['the prefix without its slash', 'updates/', `updates-data/app-${hash}`],
  ])('rejects %s', (_name, prefix, branch) => {
    expect(parseBranchName(prefix, branch)).toBeUndefined();
  });

  it('reads branches without a prefix', () => {
    expect(parseBranchName('', `data/app-${hash}`)).toEqual({
      kind: 'release',
      namespace: 'data',
      name: 'app',
      fileHash: hash,
    });
  });
});

describe('groupUpdates: containers on the same text share a pull request', () => {
  const first = makeUpdate({ container: 'a' });
  it.each<[string, Parameters<typeof makeUpdate>[0], number]>([
    ['the same text', { container: 'b', to: '4.0.5' }, 1],
    ['another file', { container: 'b', to: '4.0.5', file: 'other.yaml' }, 2],
    ['another document', { container: 'b', to: '4.0.5', documentIndex: 1 }, 2],
    ['another line', { container: 'b', to: '4.0.5', line: 13 }, 2],
    ['another image as written', { container: 'b', to: '4.0.5', image: 'bitnami/mongodb:4.0.2' }, 2],
    // An alias reading the tag key of a detected image through another repository path.
    [
      'another image as written, to the same tag on the same line',
      { container: 'b', image: 'bitnami/other:4.0.3', repository: 'docker.io/bitnami/other' },
      1,
    ],
    [
      'the same tag on another line',
      { container: 'b', image: 'bitnami/other:4.0.3', repository: 'docker.io/bitnami/other', line: 13 },
      2,
    ],
  ])('%s', (_name, overrides, requests) => {
    const grouped = groupUpdates([first, makeUpdate(overrides)], 'image', PREFIX);
    expect(grouped).toHaveLength(requests);
    expect(grouped[0]!.branch).toBe(`${PREFIX}image/docker.io/bitnami/mongodb/4.0.4`);
  });
});

describe('group-by values', () => {
  const update = makeUpdate();
  const hash = shortHash(update.file);
  /** Each documented value, with the branch form it gives and the key that branch reads back as. */
  const forms: [string, string, BranchKey][] = [
    [
      'container',
      `${PREFIX}data/mongodb/chart-image-${hash}`,
      { kind: 'container', namespace: 'data', name: 'mongodb', container: 'chart-image', fileHash: hash },
    ],
    [
      'image',
      `${PREFIX}image/docker.io/bitnami/mongodb/4.0.4`,
      { kind: 'image', repository: 'docker.io/bitnami/mongodb', tag: '4.0.4' },
    ],
    [
      'release',
      `${PREFIX}data/mongodb-${hash}`,
      { kind: 'release', namespace: 'data', name: 'mongodb', fileHash: hash },
    ],
  ];

  it('are the three documented ones, in the documented order', () => {
    expect(GROUP_BY_VALUES).toEqual(forms.map(([groupBy]) => groupBy));
  });

  it.each(forms)('group-by %s: its branch reads back as the key it was made from', (groupBy, branch, key) => {
    const made = branchKeyOf(update, groupBy as (typeof GROUP_BY_VALUES)[number]);
    expect(made).toEqual(key);
    expect(formatBranchName(PREFIX, made)).toBe(branch);
    expect(parseBranchName(PREFIX, branch)).toEqual(key);
  });
});

describe('groupUpdates: a container on the same text as any update of a request joins it', () => {
  it('joins a request whose second update is on its text, not its first', () => {
    const first = makeUpdate({ container: 'a', line: 12 });
    const second = makeUpdate({ container: 'b', line: 20 });
    const onSecondsText = makeUpdate({ container: 'c', line: 20, to: '4.0.5' });
    const grouped = groupUpdates([first, second, onSecondsText], 'image', PREFIX);
    expect(grouped.map((r) => [r.branch, r.updates.map((u) => u.container)])).toEqual([
      [`${PREFIX}image/docker.io/bitnami/mongodb/4.0.4`, ['a', 'b', 'c']],
    ]);
  });
});

describe('long names: GitHub refuses refs over 255 bytes', () => {
  const bytes = (text: string): number => Buffer.byteLength(text);
  const hash = shortHash('releases/mongodb.yaml');
  const LONG_PREFIX = `${'p'.repeat(MAX_PREFIX_BYTES - 1)}/`;
  const long = (char: string, count = 300): string => char.repeat(count);
  const keys: [string, string, BranchKey][] = [
    [
      'a long release name',
      PREFIX,
      { kind: 'release', namespace: 'data', name: long('r', 253), fileHash: hash },
    ],
    [
      'a long container name',
      PREFIX,
      { kind: 'container', namespace: 'data', name: 'mongodb', container: long('c'), fileHash: hash },
    ],
    [
      'a long release and container with the longest prefix',
      LONG_PREFIX,
      {
        kind: 'container',
        namespace: long('n', 63),
        name: long('r', 253),
        container: long('c'),
        fileHash: hash,
      },
    ],
    ['a long image path', PREFIX, { kind: 'image', repository: `ghcr.io/${long('a/', 120)}app`, tag: '1.0' }],
    ['a long tag', LONG_PREFIX, { kind: 'image', repository: 'ghcr.io/acme/app', tag: long('t', 128) }],
    [
      'multi-byte characters',
      PREFIX,
      { kind: 'release', namespace: 'data', name: long('é'), fileHash: hash },
    ],
    [
      'a cut just after a dot',
      PREFIX,
      { kind: 'release', namespace: 'data', name: `${long('r', 191)}.lock${long('x')}`, fileHash: hash },
    ],
  ];

  it.each(keys)('%s: fits, is accepted by git and is the same every run', (_name, prefix, key) => {
    const branch = formatBranchName(prefix, key);
    expect(bytes(branch)).toBeLessThanOrEqual(MAX_BRANCH_BYTES);
    expect(bytes(`refs/heads/${branch}`)).toBeLessThanOrEqual(255);
    expect(branch.startsWith(prefix)).toBe(true);
    expect(branch).toMatch(/-[0-9a-f]{16}$/);
    expect(gitAcceptsBranch(branch)).toBe(true);
    expect(formatBranchName(prefix, structuredClone(key))).toBe(branch);
  });

  it('keeps names that differ only past the cut apart', () => {
    const a = formatBranchName(PREFIX, {
      kind: 'release',
      namespace: 'data',
      name: `${long('r')}a`,
      fileHash: hash,
    });
    const b = formatBranchName(PREFIX, {
      kind: 'release',
      namespace: 'data',
      name: `${long('r')}b`,
      fileHash: hash,
    });
    const otherFile = formatBranchName(PREFIX, {
      kind: 'release',
      namespace: 'data',
      name: `${long('r')}a`,
      fileHash: shortHash('other.yaml'),
    });
    expect(new Set([a, b, otherFile]).size).toBe(3);
  });

  it('leaves a name that fits as it was (re-runs find existing branches)', () => {
    const name = long('r', MAX_BRANCH_BYTES - bytes(`${PREFIX}data/-${hash}`));
    const branch = formatBranchName(PREFIX, { kind: 'release', namespace: 'data', name, fileHash: hash });
    expect(branch).toBe(`${PREFIX}data/${name}-${hash}`);
    expect(bytes(branch)).toBe(MAX_BRANCH_BYTES);
    const longer = formatBranchName(PREFIX, {
      kind: 'release',
      namespace: 'data',
      name: `${name}r`,
      fileHash: hash,
    });
    expect(longer).not.toBe(`${PREFIX}data/${name}r-${hash}`);
    expect(bytes(longer)).toBeLessThanOrEqual(MAX_BRANCH_BYTES);
  });

  it('always fits and is accepted by git, whatever the names', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300, size: 'max' }),
        fc.string({ maxLength: 300, size: 'max' }),
        (name, container) => {
          const branch = formatBranchName(PREFIX, {
            kind: 'container',
            namespace: 'data',
            name,
            container,
            fileHash: shortHash(name),
          });
          return bytes(branch) <= MAX_BRANCH_BYTES && gitAcceptsBranch(branch);
        },
      ),
      { numRuns: 50, endOnFailure: true },
    );
  });
});
