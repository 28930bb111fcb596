/**
 * The bad-input catalogue: every row runs a whole update (real workspace adapter, in-memory
 * registry) and checks the exact problems reported, the updates still planned, and that nothing
 * threw. Then tags from registries that YAML would misread are written and read back.
 */
import { describe, expect, it } from '@jest/globals';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { chooseTag, isCandidate, parseFilter } from '../../src/filters/index.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { BAD_INPUT_CASES, DEFAULT_REGISTRY, FILE } from './bad-input-cases.js';
import { helmRelease, memoryRegistry, runOnFiles } from './support.js';

describe('bad-input catalogue', () => {
  it('has at least 40 cases', () => {
    expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD_INPUT_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const report = await runOnFiles(c.files, memoryRegistry(c.registry ?? DEFAULT_REGISTRY));
    const actual = report.problems.map((p) => [p.file, p.line, p.message] as const);
    const inRange = (i: number, [first, last]: [number, number]) => {
      const line = actual[i]?.[1] ?? -1;
      return line >= first && line <= last ? line : first;
    };
    expect(actual).toEqual(
      c.problems.map(([file, line, pattern], i) => [
        file,
        Array.isArray(line) ? inRange(i, line) : line,
        expect.stringMatching(pattern),
      ]),
    );
    expect(report.plan.updates.map((u) => [u.file, u.container, u.newImage])).toEqual(c.updates);
    // Every planned edit re-reads to the planned references (applyUpdates verified it; check again).
    for (const edit of report.plan.edits) {
      const reread = scanFile(edit.file, edit.after);
      const images = reread.releases.flatMap((r) => r.containers.map((o) => o.reference.text));
      for (const update of edit.updates) expect(images).toContain(update.newImage);
      expect(reread.problems).toEqual(scanFile(edit.file, edit.before).problems);
    }
  });

  it('keeps the BOM and CRLF line ends through the edit, changing only the tag', async () => {
    const text = `\uFEFF${helmRelease({ values: ['image: nginx:1.0'] }).replace(/\n/g, '\r\n')}`;
    const report = await runOnFiles({ [FILE]: text }, memoryRegistry(DEFAULT_REGISTRY));
    expect(report.plan.edits.map((e) => e.after)).toEqual([text.replace('nginx:1.0', 'nginx:1.2')]);
  });

  it('refuses the alias bomb as yaml.v2 did, without expanding it', () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i += 1)
      bomb.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(',')}]`,
      );
    const heapBefore = process.memoryUsage().heapUsed;
    const scan = scanFile(FILE, helmRelease({ values: [...bomb, 'image: nginx:1.0', 'other: *l11'] }));
    expect(scan.problems.map((p) => [p.severity, p.line, p.message])).toEqual([
      ['error', 17, expect.stringContaining('("document contains excessive aliasing")')],
    ]);
    expect(scan.releases).toEqual([]);
    // 9^12 strings expanded would be terabytes; counting them costs next to nothing.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('tags from registries', () => {
  // Each would be read back as something other than the string if written plain.
  const MISREAD = [
    '1.10',
    '0x10',
    '1e3',
    'no',
    'null',
    '2024-01-01',
    'true',
    'Off',
    '012',
    '1_000',
    '190_20',
    '0e_0', // a float only to yaml.v2 (underscores removed first)
    '1_0e1_0',
  ];

  it.each(
    MISREAD.flatMap((tag) => (['plain', 'single', 'double'] as const).map((style) => [tag, style] as const)),
  )('writes %s into a %s tag scalar so that it reads back as that string', (tag, style) => {
    const quote = { plain: '', single: "'", double: '"' }[style];
    const text = helmRelease({ values: ['image:', '  repository: nginx', `  tag: ${quote}v1${quote}`] });
    const result = applyUpdates(FILE, text, [
      {
        release: 'apps/app',
        documentIndex: 0,
        container: 'chart-image',
        repository: 'docker.io/library/nginx',
        to: tag,
      },
    ]);
    expect(result.ok).toBe(true);
    const after = (result as { text: string }).text;
    const written = style === 'plain' ? `"${tag}"` : `${quote}${tag}${quote}`;
    expect(after).toBe(text.replace(`tag: ${quote}v1${quote}`, `tag: ${written}`));
    expect(scanFile(FILE, after).releases[0]?.containers[0]?.reference.text).toBe(`nginx:${tag}`);
  });

  it.each(MISREAD)('writes %s at the end of an image string unquoted, and it reads back', (tag) => {
    const text = helmRelease({ values: ['image: nginx:v1'] });
    const result = applyUpdates(FILE, text, [
      {
        release: 'apps/app',
        documentIndex: 0,
        container: 'chart-image',
        repository: 'docker.io/library/nginx',
        to: tag,
      },
    ]);
    expect(result).toEqual({ ok: true, text: text.replace('nginx:v1', `nginx:${tag}`) });
    expect(scanFile(FILE, (result as { text: string }).text).releases[0]?.containers[0]?.reference.text).toBe(
      `nginx:${tag}`,
    );
  });

  const INVALID = [
    '',
    ' ',
    '9 9',
    '-9',
    '.9',
    '9/9',
    '9:9',
    '9@9',
    '9\u00e9',
    `9${'9'.repeat(128)}`,
    '9\n',
    '9\t',
    '9"',
    "9'",
    '9#9',
  ];
  it.each(INVALID.map((tag) => [JSON.stringify(tag), tag] as const))(
    'never proposes the invalid tag %s, whatever the filter',
    (_shown, tag) => {
      for (const value of ['glob:*', `glob:${tag}`, 'regex:.*', 'semver:*']) {
        const filter = parseFilter(value);
        expect(isCandidate(filter, tag)).toBe(false);
        const choice = chooseTag({ filter, current: '1.0.0', tags: ['1.0.0', tag], details: new Map() });
        expect(choice.decision).not.toMatchObject({ kind: 'update', tag });
      }
    },
  );
});
