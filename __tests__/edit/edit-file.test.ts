/**
 * editFile: all of a file's updates in one splice pass, verified by one re-read (issue 12); a target
 * that cannot be applied is refused alone and the others still go ahead.
 */
import { describe, expect, it } from '@jest/globals';
import { editFile, type UpdateTarget } from '../../src/edit/apply-updates.js';
import { splitDocuments, type DocumentChunk } from '../../src/helmrelease/parse-documents.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';

const FILE = 'f.yaml';

/** A HelmRelease with one subsection per entry: `c<i>: {image: repo/app:<tag>}` written in block style. */
function release(tags: readonly string[], extra = ''): string {
  const values = tags.map((tag, i) => `    c${i}:\n      image: repo/app:${tag}\n`).join('');
  return `apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\n${extra}spec:\n  values:\n${values}`;
}

/** The target that sets container `c<i>` to `to`. */
function target(i: number, to: string): UpdateTarget {
  return { release: 'app', documentIndex: 0, container: `c${i}`, repository: 'docker.io/repo/app', to };
}

/** A scanner that counts its calls. */
function countingReader() {
  const reader = Object.assign(
    (file: string, text: string) => {
      reader.calls += 1;
      return scanFile(file, text);
    },
    { calls: 0 },
  );
  return reader;
}

describe('editFile', () => {
  it('applies 2,000 updates to one file with one verifying re-read', () => {
    const n = 2000;
    const text = release(Array<string>(n).fill('1.0'));
    const reader = countingReader();
    const result = editFile(
      FILE,
      text,
      Array.from({ length: n }, (_, i) => target(i, '1.1')),
      undefined,
      reader,
    );
    expect(result.outcomes.every((o) => o.ok)).toBe(true);
    expect(result.text).toBe(release(Array<string>(n).fill('1.1')));
    expect(reader.calls).toBe(1);
  });

  it.each<[string, string[], string[]]>([
    // name, the targets' new tags (one per container, all from 1.0), the expected outcome per target
    ['a bad target in the middle', ['1.1', '1.1 #x', '1.1'], ['ok', 'error', 'ok']],
    ['a bad target first', ['2 #x', '1.1', '1.1', '1.1'], ['error', 'ok', 'ok', 'ok']],
    ['a bad target last', ['1.1', '1.1', '2 #x'], ['ok', 'ok', 'error']],
    [
      'every other target bad',
      ['1.1', '2 #x', '1.2', '3 #y', '1.3', '4 #z'],
      ['ok', 'error', 'ok', 'error', 'ok', 'error'],
    ],
    ['only bad targets', ['2 #x', '3 #y'], ['error', 'error']],
  ])('%s: refused alone, the others applied and verified', (_name, tos, expected) => {
    const text = release(tos.map(() => '1.0'));
    const reader = countingReader();
    const result = editFile(
      FILE,
      text,
      tos.map((to, i) => target(i, to)),
      undefined,
      reader,
    );
    expect(result.outcomes.map((o) => (o.ok ? 'ok' : o.conflict ? 'conflict' : 'error'))).toEqual(expected);
    for (const outcome of result.outcomes) {
      if (!outcome.ok)
        expect(outcome.reason).toMatch(
          /^the edited file would read c\d of app as repo\/app:[\d.]+, not repo\/app:[\d.]+ #[xyz]; the edit was refused$/,
        );
    }
    expect(result.text).toBe(release(tos.map((to) => (to.includes('#') ? '1.0' : to))));
    // The halving costs a few re-reads per bad target, never one per target.
    expect(reader.calls).toBeLessThanOrEqual(
      1 + expected.filter((e) => e !== 'ok').length * (Math.ceil(Math.log2(tos.length)) + 3),
    );
  });

  it('re-reads only the documents it changed', () => {
    const text = [0, 1, 2].map((i) => release(['1.0']).replace('name: app', `name: app${i}`)).join('---\n');
    const reread: number[][] = [];
    const reader = (file: string, edited: string, only?: (chunk: DocumentChunk) => boolean) => {
      reread.push((splitDocuments(edited) ?? []).flatMap((chunk, i) => (only?.(chunk) ? [i] : [])));
      return scanFile(file, edited, only);
    };
    const result = editFile(
      FILE,
      text,
      [{ ...target(0, '1.1'), release: 'app1', documentIndex: 1 }],
      undefined,
      reader,
    );
    expect(result.outcomes).toEqual([{ ok: true }]);
    expect(result.text).toBe(text.replace(/(name: app1[^]*?repo\/app:)1\.0/, '$11.1'));
    expect(reread).toEqual([[1]]);
  });

  describe('text another container reads is written only when every reader is a target writing the same', () => {
    const aliases =
      '  annotations:\n    repository.fluxcd.io/twin: c0.image\n    repository.fluxcd.io/triplet: c0.image\n';
    const text = release(['1.0'], aliases);
    const named = (i: number, to: string, container: string) => ({ ...target(i, to), container });
    const refused = (other: string, what: string) => ({
      ok: false,
      conflict: true,
      reason: `it conflicts with ${other} on the same text: the text at line 11 is also read by ${other} of app, ${what}`,
    });
    it.each([
      // name, the targets, their outcomes, whether the text is written
      [
        'all three to one tag',
        [target(0, '1.1'), named(0, '1.1', 'twin'), named(0, '1.1', 'triplet')],
        [{ ok: true }, { ok: true }, { ok: true }],
        true,
      ],
      [
        'a reader that is not a target (its filter kept its tag)',
        [target(0, '1.1'), named(0, '1.1', 'twin')],
        [
          refused('triplet', 'which is not updated to 1.1 with it'),
          refused('triplet', 'which is not updated to 1.1 with it'),
        ],
        false,
      ],
      [
        'one reader writes another tag: none is written, whichever comes first',
        [named(0, '1.2', 'triplet'), target(0, '1.1'), named(0, '1.1', 'twin')],
        [
          refused('c0', 'which is updated to 1.1 there'),
          refused('triplet', 'which is updated to 1.2 there'),
          refused('triplet', 'which is updated to 1.2 there'),
        ],
        false,
      ],
    ])('%s', (_name, targets, outcomes, written) => {
      const result = editFile(FILE, text, targets);
      expect(result.outcomes).toEqual(outcomes);
      expect(result.text).toBe(written ? release(['1.1'], aliases) : text);
    });

    it('a container the given scan missed: the re-read refuses the edit that moves it', () => {
      const scan = scanFile(FILE, text);
      const release0 = scan.releases[0]!;
      const missed = {
        ...scan,
        releases: [{ ...release0, containers: release0.containers.filter((c) => c.container === 'c0') }],
      };
      const result = editFile(FILE, text, [target(0, '1.1')], missed);
      expect(result.outcomes).toEqual([
        {
          ok: false,
          conflict: false,
          reason:
            'the edited file would read triplet of app as repo/app:1.1, not no such container; the edit was refused',
        },
      ]);
      expect(result.text).toBe(text);
    });
  });

  describe("an alias whose tag is another image's digest key: the two edits of that text", () => {
    const B = `sha256:${'b'.repeat(64)}`;
    const text = release(
      [],
      '  annotations:\n    repository.fluxcd.io/twin: c0.image.repository\n    tag.fluxcd.io/twin: c0.image.digest\n',
    ).concat(
      '    c0:\n      image:\n        repository: repo/app\n        tag: 1.0.0\n        digest: "1.0"\n',
    );
    // c0 moves to 1.1.0 pinned to B; the twin reads the digest key as its tag and moves it to 1.1.
    const c0: UpdateTarget = { ...target(0, '1.1.0'), from: '1.0.0', toDigest: B, fromDigest: '1.0' };
    const twin: UpdateTarget = { ...target(0, '1.1'), container: 'twin', from: '1.0' };
    const refused = (other: string, what: string) => ({
      ok: false,
      conflict: true,
      reason: `it conflicts with ${other} on the same text: the text at line 14 is also read by ${other} of app, ${what}`,
    });
    it.each([
      // the targets in order
      ['the twin first', [twin, c0]],
      ['the image first', [c0, twin]],
    ])('%s: neither is written, each a conflict naming the other', (_order, targets) => {
      expect(scanFile(FILE, text).releases[0]!.containers.map((c) => c.container)).toEqual(['c0', 'twin']);
      const result = editFile(FILE, text, targets);
      const outcomes = {
        c0: refused('twin', 'which is updated to 1.1 there'),
        twin: refused('c0', `which is updated to ${B} there`),
      };
      expect(result.outcomes).toEqual(targets.map((t) => outcomes[t.container as 'c0' | 'twin']));
      expect(result.text).toBe(text);
    });
  });

  it('refuses targets it cannot find, keeping the others', () => {
    const text = release(['1.0', '1.0']);
    const result = editFile(FILE, text, [
      { ...target(0, '1.1'), release: 'ns/other' },
      target(1, '1.1'),
      { ...target(0, '1.1'), repository: 'docker.io/repo/else' },
    ]);
    expect(result.outcomes).toEqual([
      { ok: false, conflict: false, reason: 'HelmRelease ns/other is not in f.yaml' },
      { ok: true },
      {
        ok: false,
        conflict: false,
        reason: 'container c0 of app now uses docker.io/repo/app, not docker.io/repo/else',
      },
    ]);
    expect(result.text).toBe(release(['1.0', '1.1']));
  });
});

describe('editFile refuses an edit that does not read back as planned', () => {
  const A = `sha256:${'a'.repeat(64)}`;
  const B = `sha256:${'b'.repeat(64)}`;
  const C = `sha256:${'c'.repeat(64)}`;
  type Scan = ReturnType<typeof scanFile>;
  type Container = Scan['releases'][number]['containers'][number];
  /** A reader that changes what it read with `change` (each container of each release). */
  const lying =
    (change: (container: Container) => Container | undefined) =>
    (file: string, text: string, only?: (chunk: DocumentChunk) => boolean): Scan => {
      const scan = scanFile(file, text, only);
      return {
        ...scan,
        releases: scan.releases.map((r) => ({
          ...r,
          containers: r.containers.flatMap((c) => change(c) ?? []),
        })),
      };
    };
  const pinned = `apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n    c0:\n      image:\n        repository: repo/app\n        tag: 1.0.0\n        digest: ${A}\n    c1:\n      image: repo/app:1.0\n`;
  const toB: UpdateTarget = { ...target(0, '1.1.0'), toDigest: B };

  it.each<[string, string, UpdateTarget[], (c: Container) => Container | undefined, string]>([
    [
      'another tag',
      release(['1.0']),
      [target(0, '1.1')],
      (c) => ({ ...c, reference: { ...c.reference, text: 'repo/app:9.9' } }),
      'the edited file would read c0 of app as repo/app:9.9, not repo/app:1.1; the edit was refused',
    ],
    [
      'an untouched container changed',
      release(['1.0', '1.0']),
      [target(0, '1.1')],
      (c) => (c.container === 'c1' ? { ...c, reference: { ...c.reference, text: 'repo/app:2.0' } } : c),
      'the edited file would read c1 of app as repo/app:2.0, not repo/app:1.0; the edit was refused',
    ],
    [
      'a container that was not there',
      release(['1.0']),
      [target(0, '1.1')],
      (c) => ({ ...c, container: 'new' }),
      'the edited file would read new of app as repo/app:1.1, not no such container; the edit was refused',
    ],
    [
      'a container missing',
      release(['1.0', '1.0']),
      [target(0, '1.1')],
      (c) => (c.container === 'c1' ? undefined : c),
      'the edited file would no longer have the same containers; the edit was refused',
    ],
    [
      'another digest',
      pinned,
      [toB],
      (c) => (c.digestKey ? { ...c, digestKey: { ...c.digestKey, value: C } } : c),
      `the edited file would read the digest of c0 of app as ${C}, not ${B}; the edit was refused`,
    ],
    [
      'no digest',
      pinned,
      [toB],
      (c) => ({ ...c, digestKey: undefined }),
      `the edited file would read the digest of c0 of app as none, not ${B}; the edit was refused`,
    ],
    [
      'a digest where there was none',
      pinned,
      [toB],
      (c) => (c.container === 'c1' ? { ...c, digestKey: { ...c.reference, value: C } as never } : c),
      `the edited file would read the digest of c1 of app as ${C}, not none; the edit was refused`,
    ],
  ])('%s', (_what, text, targets, change, reason) => {
    const result = editFile(FILE, text, targets, undefined, lying(change));
    expect(result.outcomes).toEqual([{ ok: false, conflict: false, reason }]);
    expect(result.text).toBe(text);
  });

  it.each([
    // how many targets, the names of the accepted ones in the reason
    [5, 'c0, c1, c2, 1 more'],
    [4, 'c0, c1, c2'],
  ])(
    'names the first three accepted containers, then how many more, for a target refused only beside them (%s targets)',
    (n, names) => {
      const last = `c${n - 1}`;
      const tags = Array<string>(n).fill('1.0');
      const text = release(tags);
      // The fifth edit reads back wrong only when the others were made too.
      const reader = (file: string, edited: string, only?: (chunk: DocumentChunk) => boolean) => {
        const scan = scanFile(file, edited, only);
        const all = !edited.includes('repo/app:1.0');
        return all
          ? {
              ...scan,
              releases: scan.releases.map((r) => ({
                ...r,
                containers: r.containers.map((c) =>
                  c.container === last ? { ...c, reference: { ...c.reference, text: 'repo/app:0' } } : c,
                ),
              })),
            }
          : scan;
      };
      const result = editFile(
        FILE,
        text,
        tags.map((_, i) => target(i, '1.1')),
        undefined,
        reader,
      );
      expect(result.outcomes.slice(0, -1)).toEqual(tags.slice(0, -1).map(() => ({ ok: true })));
      expect(result.outcomes.at(-1)).toEqual({
        ok: false,
        conflict: true,
        reason: `it conflicts with ${names} on the same text (the edited file would read ${last} of app as repo/app:0, not repo/app:1.1; the edit was refused)`,
      });
      expect(result.text).toBe(release([...tags.slice(0, -1).map(() => '1.1'), '1.0']));
    },
  );
});

describe('editFile re-reads the documents where the edits land', () => {
  it.each([
    // documents edited (of 4), the new tag; a long tag moves every later edit further
    [[0, 2], '1.1'],
    [[0, 2], `1.1-${'x'.repeat(120)}`],
    [[1, 3], `1.1-${'x'.repeat(120)}`],
    [[0, 1, 2, 3], `1.1-${'x'.repeat(120)}`],
    [[3], '1'],
    // targets out of the file's order
    [[2, 0], `1.1-${'x'.repeat(120)}`],
    [[3, 1, 0], `1.1-${'x'.repeat(120)}`],
  ])('documents %j, tag %s', (edited, to) => {
    const docs = [0, 1, 2, 3].map((i) => release(['1.0']).replace('name: app', `name: app${i}`));
    const text = docs.join('---\n');
    const reread: number[][] = [];
    const reader = (file: string, after: string, only?: (chunk: DocumentChunk) => boolean) => {
      reread.push((splitDocuments(after) ?? []).flatMap((chunk, i) => (only?.(chunk) ? [i] : [])));
      return scanFile(file, after, only);
    };
    const targets = edited.map((i) => ({ ...target(0, to), release: `app${i}`, documentIndex: i }));
    const result = editFile(FILE, text, targets, undefined, reader);
    expect(result.outcomes).toEqual(edited.map(() => ({ ok: true })));
    expect(result.text).toBe(
      docs
        .map((doc, i) => (edited.includes(i) ? doc.replace('repo/app:1.0', `repo/app:${to}`) : doc))
        .join('---\n'),
    );
    expect(reread).toEqual([[...edited].sort()]);
  });
});

describe('editFile: what it writes and what it re-reads', () => {
  it.each<[string, string, UpdateTarget[], string, number]>([
    // what, the text, the targets, the text after, how many re-reads
    ['no targets: nothing written, nothing re-read', release(['1.0']), [], release(['1.0']), 0],
    [
      'every tag already as planned: nothing written, nothing re-read',
      release(['1.1', '1.1']),
      [target(0, '1.1'), target(1, '1.1')],
      release(['1.1', '1.1']),
      0,
    ],
    [
      'an untagged image beside the edited one stays as it is',
      release(['1.0']).concat('    c1:\n      image: repo/other\n'),
      [target(0, '1.1')],
      release(['1.1']).concat('    c1:\n      image: repo/other\n'),
      1,
    ],
    [
      'a file with a document end marker is re-read whole, the other document as it was',
      `${release(['1.0']).replace('name: app', 'name: app0')}...\n---\n${release(['1.0'])}`,
      [target(0, '1.1')],
      `${release(['1.0']).replace('name: app', 'name: app0')}...\n---\n${release(['1.1'])}`,
      1,
    ],
    [
      'an alias on the text of a detected image, both to the same tag: one change',
      release(['1.0'], '  annotations:\n    repository.fluxcd.io/twin: c0.image\n'),
      [target(0, '1.1'), { ...target(0, '1.1'), container: 'twin' }],
      release(['1.1'], '  annotations:\n    repository.fluxcd.io/twin: c0.image\n'),
      1,
    ],
  ])('%s', (_what, text, targets, after, rereads) => {
    const reader = countingReader();
    const result = editFile(FILE, text, targets, undefined, reader);
    expect(result).toEqual({ text: after, outcomes: targets.map(() => ({ ok: true })) });
    expect(reader.calls).toBe(rereads);
  });

  it('reads the text with the detection its targets were planned with', () => {
    const text = release([]).concat('    a:\n      b:\n        image: repo/app:1.0\n');
    const deep: UpdateTarget = { ...target(0, '1.1'), container: 'a.b', detection: 'deep' };
    expect(editFile(FILE, text, [deep])).toEqual({
      text: text.replace('repo/app:1.0', 'repo/app:1.1'),
      outcomes: [{ ok: true }],
    });
    expect(editFile(FILE, text, [{ ...deep, detection: undefined }]).outcomes).toEqual([
      { ok: false, conflict: false, reason: 'container a.b is not in HelmRelease app' },
    ]);
  });

  it.each([
    // the targets' new tags (all from 1.0; '#' makes one that does not read back), the re-reads
    [['2 #x'], 1],
    [['1.1', '2 #x'], 3],
    [['2 #x', '1.1'], 3],
    [['1.1', '1.1', '1.1', '2 #x'], 4],
  ])('a bad target costs a few re-reads: %j takes %s', (tos, rereads) => {
    const reader = countingReader();
    const result = editFile(
      FILE,
      release(tos.map(() => '1.0')),
      tos.map((to, i) => target(i, to)),
      undefined,
      reader,
    );
    expect(result.outcomes.map((o) => o.ok)).toEqual(tos.map((to) => !to.includes('#')));
    expect(reader.calls).toBe(rereads);
  });
});
