/**
 * Property tests (fast-check) over generated HelmRelease files: random value shapes, quoting
 * styles, comments, CRLF, BOM and multi-document files, and random new tags (including ones YAML
 * would misread). Every edit changes only the bytes of one scalar, the edited file reads back to
 * exactly the planned references, and detection never throws on any text.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { needsQuoting } from '../../src/edit/splice-tag.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { releaseId } from '../../src/helmrelease/types.js';
import { planUpdates } from '../../src/plan/plan-updates.js';

type Style = 'plain' | 'single' | 'double';
type Shape = 'string' | 'image-and-tag' | 'map';

interface GeneratedContainer {
  /** `chart-image` or a subsection key. */
  name: string;
  repository: string;
  tag: string;
  shape: Shape;
  style: Style;
  comment: boolean;
}

interface GeneratedRelease {
  name: string;
  containers: GeneratedContainer[];
}

interface GeneratedFile {
  documents: (GeneratedRelease | 'configmap' | 'empty')[];
  crlf: boolean;
  bom: boolean;
  leadingSeparator: boolean;
}

const REPOSITORIES = [
  'nginx',
  'bitnami/mongodb',
  'ghcr.io/acme/app',
  'localhost:5000/team/app',
  'quay.io/x/y-z',
];
const MISREAD = ['1.10', '0x10', '1e3', 'no', 'null', '2024-01-01', 'true', 'Off', '012', '1_000', '~'];
const tagArb = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,15}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...MISREAD.filter((t) => /^[\w][\w.-]*$/.test(t))) },
);
const styleArb = fc.constantFrom<Style>('plain', 'single', 'double');

/** A scalar written in a style; a plain one that YAML would misread is double-quoted. */
function scalar(value: string, style: Style): string {
  if (style === 'single') return `'${value}'`;
  if (style === 'double' || needsQuoting(value)) return `"${value}"`;
  return value;
}

function containerArb(name: string): fc.Arbitrary<GeneratedContainer> {
  return fc.record({
    name: fc.constant(name),
    repository: fc.constantFrom(...REPOSITORIES),
    tag: tagArb,
    shape: fc.constantFrom<Shape>('string', 'image-and-tag', 'map'),
    style: styleArb,
    comment: fc.boolean(),
  });
}

const releaseArb: fc.Arbitrary<Omit<GeneratedRelease, 'name'>> = fc
  .tuple(
    fc.option(containerArb('chart-image'), { nil: undefined }),
    fc.uniqueArray(fc.constantFrom('app', 'sidecar', 'metrics', 'zz_9'), { maxLength: 3 }),
  )
  .chain(([chart, subs]) =>
    fc.tuple(...subs.map((s) => containerArb(s))).map((list) => ({
      containers: [...(chart ? [chart] : []), ...list],
    })),
  );

const fileArb: fc.Arbitrary<GeneratedFile> = fc.record({
  documents: fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: releaseArb },
        { weight: 1, arbitrary: fc.constantFrom<'configmap' | 'empty'>('configmap', 'empty') },
      ),
      {
        minLength: 1,
        maxLength: 3,
      },
    )
    .map((docs) => docs.map((d, i) => (typeof d === 'string' ? d : { ...d, name: `r${i}` }))),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  leadingSeparator: fc.boolean(),
});

function containerLines(c: GeneratedContainer, indent: string): string[] {
  const comment = c.comment ? '  # keep me' : '';
  const s = (v: string) => scalar(v, c.style);
  switch (c.shape) {
    case 'string':
      return [`${indent}image: ${s(`${c.repository}:${c.tag}`)}${comment}`];
    case 'image-and-tag':
      return [`${indent}image: ${s(c.repository)}`, `${indent}tag: ${s(c.tag)}${comment}`];
    case 'map':
      return [
        `${indent}image:`,
        `${indent}  repository: ${s(c.repository)}`,
        `${indent}  tag: ${s(c.tag)}${comment}`,
        `${indent}  pullPolicy: IfNotPresent`,
      ];
  }
}

function renderRelease(r: GeneratedRelease): string {
  const lines = [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${r.name}`,
    '  namespace: ns # the namespace',
    'spec:',
    '  values:',
    '    replicas: 2',
  ];
  for (const c of r.containers) {
    if (c.name === 'chart-image') lines.push(...containerLines(c, '    '));
    else lines.push(`    ${c.name}:`, '      enabled: true', ...containerLines(c, '      '));
  }
  return `${lines.join('\n')}\n`;
}

function renderFile(f: GeneratedFile): string {
  const docs = f.documents.map((d) =>
    d === 'configmap'
      ? 'apiVersion: v1\nkind: ConfigMap\ndata:\n  HelmRelease: "no"\n'
      : d === 'empty'
        ? '# nothing here\n'
        : renderRelease(d),
  );
  let text = `${f.leadingSeparator ? '---\n' : ''}${docs.join('---\n')}`;
  if (f.crlf) text = text.replace(/\n/g, '\r\n');
  return `${f.bom ? '\uFEFF' : ''}${text}`;
}

/** The references a scan reads, keyed by document, release and container. */
function references(text: string): Map<string, string> {
  const scan = scanFile('f.yaml', text);
  return new Map(
    scan.releases.flatMap((r) =>
      r.containers.map((c) => [`${r.name}/${c.container}`, c.reference.text] as const),
    ),
  );
}

/** `[start, end)` of the before-text that differs from the after-text (prefix/suffix trimmed). */
function changedRegion(before: string, after: string): [number, number] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let tail = 0;
  while (
    tail < before.length - start &&
    tail < after.length - start &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail += 1;
  return [start, before.length - tail];
}

/** The text with every tag scalar's source replaced by a placeholder. */
function withoutTagScalars(text: string): string {
  const ranges = scanFile('f.yaml', text)
    .releases.flatMap((r) => r.containers.map((c) => c.tag.scalar!.range))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const r of ranges) out = `${out.slice(0, r.start)}\u0000${out.slice(r.end)}`;
  return out;
}

const RUNS = { numRuns: 300 };

describe('generated HelmRelease files', () => {
  it('detection reads exactly the generated containers, without problems', () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const text = renderFile(file);
        const expected = new Map<string, string>();
        file.documents.forEach((d) => {
          if (typeof d === 'string') return;
          for (const c of d.containers) expected.set(`${d.name}/${c.name}`, `${c.repository}:${c.tag}`);
        });
        expect(scanFile('f.yaml', text).problems).toEqual([]);
        expect(references(text)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('each edit changes only the bytes of the one tag scalar and re-reads to the planned references', () => {
    fc.assert(
      fc.property(fileArb, tagArb, fc.nat(), (file, newTag, pick) => {
        const text = renderFile(file);
        const scan = scanFile('f.yaml', text);
        const all = scan.releases.flatMap((r) => r.containers.map((c) => ({ r, c })));
        fc.pre(all.length > 0);
        const { r, c } = all[pick % all.length]!;
        fc.pre(c.reference.tag !== newTag);
        const result = applyUpdates('f.yaml', text, [
          {
            release: releaseId(r),
            documentIndex: r.documentIndex,
            container: c.container,
            repository: c.reference.repository,
            to: newTag,
          },
        ]);
        expect(result.ok).toBe(true);
        const after = (result as { text: string }).text;
        const [start, end] = changedRegion(text, after);
        const range = c.tag.scalar!.range;
        expect(start).toBeGreaterThanOrEqual(range.start);
        expect(end).toBeLessThanOrEqual(range.end);
        const want = references(text);
        want.set(
          `${r.name}/${c.container}`,
          `${c.reference.text.slice(0, -c.reference.tag!.length)}${newTag}`,
        );
        expect(references(after)).toEqual(want);
      }),
      RUNS,
    );
  });

  it('the plan for random tag lists edits only tag scalars and re-reads to exactly the planned references', () => {
    let edited = 0;
    fc.assert(
      fc.property(fileArb, fc.array(tagArb, { maxLength: 8 }), (file, extra) => {
        const text = renderFile(file);
        const scan = scanFile('f.yaml', text);
        const byRepository = new Map<string, string[]>();
        for (const c of scan.releases.flatMap((r) => r.containers)) {
          byRepository.set(c.reference.repository, [
            ...(byRepository.get(c.reference.repository) ?? []),
            c.reference.tag!,
          ]);
        }
        // Current tags are the oldest builds, the extra tags newer in list order (glob:* by time).
        const repositories = new Map(
          [...byRepository].map(([name, current]) => {
            const tags = [...new Set([...current, ...extra])];
            const details = new Map(
              tags.map((t, i) => [t, { digest: 'sha256:0', created: new Date(Date.UTC(2020, 0, 1 + i)) }]),
            );
            return [name, { ok: true as const, tags, details }] as const;
          }),
        );
        const plan = planUpdates([scan], new Map([['f.yaml', text]]), repositories, {
          requireAutomated: false,
        });
        expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
        for (const edit of plan.edits) {
          const want = references(text);
          for (const u of edit.updates) want.set(`${u.name}/${u.container}`, u.newImage);
          expect(references(edit.after)).toEqual(want);
          expect(withoutTagScalars(edit.after)).toBe(withoutTagScalars(text));
          edited += edit.updates.length;
        }
      }),
      { numRuns: 200 },
    );
    // The property must have been exercised, not vacuously true.
    expect(edited).toBeGreaterThan(100);
  });
});

describe('detection never throws', () => {
  const texts = [
    fc.string({ maxLength: 300 }).map((s) => `kind: HelmRelease\n${s}`),
    fc.string({ unit: 'binary', maxLength: 300 }).map((s) => `${s}HelmRelease`),
    fc
      .array(
        fc.constantFrom(
          'kind: HelmRelease\n',
          'spec:\n',
          '  values:\n',
          '    image: ',
          'nginx:1',
          '&a ',
          '*a',
          '[',
          ']',
          '{',
          '}',
          '"',
          "'",
          '\t',
          '- ',
          '---\n',
          '#',
          ': ',
          '\n',
          '  ',
          '\r\n',
          '\uFEFF',
          '!!str ',
          '<<: ',
          '%YAML 1.1\n',
          '|\n',
          '? ',
        ),
        { maxLength: 60 },
      )
      .map((parts) => parts.join('')),
  ];

  it.each(texts.map((arb, i) => [i, arb] as const))('on arbitrary text (generator %i)', (_i, arb) => {
    fc.assert(
      fc.property(arb, (text) => {
        const scan = scanFile('f.yaml', text);
        for (const p of scan.problems) expect(p.line).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('on generated files with random bytes changed', () => {
    fc.assert(
      fc.property(
        fileArb,
        fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 3 })), { maxLength: 5 }),
        (file, edits) => {
          let text = renderFile(file);
          for (const [at, insert, remove] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + remove);
          }
          scanFile('f.yaml', text);
        },
      ),
      { numRuns: 500 },
    );
  });
});
