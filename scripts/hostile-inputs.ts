/**
 * `npx tsx scripts/hostile-inputs.ts [case-regex] [sizes]`: feeds pathological files within the
 * 4 MiB read cap to scanFile and, when a container is found, to editFile (one bump of the last
 * container), printing the size, time and outcome of each case at each size (default 1000,10000),
 * so that growth faster than the size shows. A case over the cap is skipped. Used to find the
 * quadratics of the "Bounded" standard (deep filter names, syntax advice, long semver
 * constraints); figures are in those commits. No assertions: the behaviour is tested in
 * __tests__/helmrelease/scan-scale.test.ts.
 */
import { scanFile } from '../src/helmrelease/scan-file.js';
import { editFile } from '../src/edit/apply-updates.js';

const HEAD = (annotations: string[] = []) =>
  [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '  annotations:',
    '    fluxcd.io/automated: "true"',
    ...annotations.map((a) => `    ${a}`),
    'spec:',
    '  values:',
  ].join('\n') + '\n';
const CAP = 4 * 1024 * 1024;
/** Each case makes a file from a size n. */
const cases: Record<string, (n: number) => string> = {
  nestedBlockMaps: (n) =>
    HEAD() + Array.from({ length: n }, (_, i) => ' '.repeat(4 + i) + `k${i}:`).join('\n') + ' x\n',
  nestedFlowSeq: (n) => HEAD() + '    deep: ' + '['.repeat(n) + ']'.repeat(n) + '\n',
  nestedFlowMap: (n) => HEAD() + '    deep: ' + '{a: '.repeat(n) + '1' + '}'.repeat(n) + '\n',
  nestedBlockSeq: (n) => HEAD() + '    deep:\n' + '      ' + '- '.repeat(n) + 'x\n',
  nestedDeepMode: (n) =>
    HEAD(['helmrelease-image-updater.io/detection: deep']) +
    Array.from({ length: n }, (_, i) => ' '.repeat(4 + i) + `k${i}:`).join('\n') +
    ' {image: repo/x:1.0}\n',
  nestedDeepSeq: (n) =>
    HEAD(['helmrelease-image-updater.io/detection: deep']) +
    '    a:\n      b: ' +
    '['.repeat(n) +
    '{image: repo/x:1.0}' +
    ']'.repeat(n) +
    '\n',
  laughsDeep: (n) =>
    HEAD(['helmrelease-image-updater.io/detection: deep']) +
    '    l0: &l0 [{image: r/x:1}, a]\n' +
    Array.from(
      { length: n },
      (_, i) => `    l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`,
    ).join('\n') +
    '\n',
  nestedDeepFlowMap: (n) =>
    HEAD(['helmrelease-image-updater.io/detection: deep']) +
    '    a:\n      b: ' +
    '{a: '.repeat(n) +
    '{image: repo/x:1.0}' +
    '}'.repeat(n) +
    '\n',
  laughs: (n) =>
    HEAD() +
    '    l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n' +
    Array.from(
      { length: n },
      (_, i) => `    l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`,
    ).join('\n') +
    '\n',
  laughsMerge: (n) =>
    HEAD() +
    '    m0: &m0 {image: repo/x:1.0}\n' +
    Array.from({ length: n }, (_, i) => `    m${i + 1}: &m${i + 1} {<<: [*m${i}, *m${i}], k${i}: v}`).join(
      '\n',
    ) +
    '\n',
  manyAnchorsAliases: (n) =>
    HEAD() +
    Array.from({ length: n }, (_, i) => `    a${i}: &a${i} {image: repo/x${i}:1.0}\n    b${i}: *a${i}`).join(
      '\n',
    ) +
    '\n',
  sameAnchorManyAliasKeys: (n) =>
    HEAD() +
    Array.from({ length: n }, (_, i) => `    x${i}: &a k${i}\n    m${i}: {*a : v}`).join('\n') +
    '\n',
  manyDocs: (n) => HEAD() + '    c: {image: repo/x:1.0}\n' + '---\n'.repeat(n),
  manyDocsHR: (n) =>
    Array.from(
      { length: n },
      (_, i) => `kind: HelmRelease\nmetadata: {name: a${i}}\nspec: {values: {image: r/x:1}}\n---`,
    ).join('\n') + '\n',
  manyBrokenDocsHR: (n) =>
    Array.from({ length: n }, (_, i) => `kind: HelmRelease\nmetadata: {name: a${i}}\nspec: [\n---`).join(
      '\n',
    ) + '\n',
  containers: (n) =>
    HEAD() + Array.from({ length: n }, (_, i) => `    c${i}: {image: repo/x${i}:1.0}`).join('\n') + '\n',
  containersDeep: (n) =>
    HEAD(['helmrelease-image-updater.io/detection: deep']) +
    '    list:\n' +
    Array.from({ length: n }, (_, i) => `    - {name: c${i}, image: repo/x${i}:1.0}`).join('\n') +
    '\n',
  annotations: (n) =>
    HEAD(Array.from({ length: n }, (_, i) => `fluxcd.io/tag.c${i}: glob:*`)) +
    '    c0: {image: repo/x:1.0}\n',
  annotationsOther: (n) =>
    HEAD(Array.from({ length: n }, (_, i) => `example.com/a${i}: v${i}`)) + '    c0: {image: repo/x:1.0}\n',
  nearMisses: (n) =>
    HEAD(Array.from({ length: n }, (_, i) => `fluxcd.io/tagg.c${i}: glob:*`)) +
    '    c0: {image: repo/x:1.0}\n',
  filtersDeepNoMatch: (n) =>
    HEAD([
      'helmrelease-image-updater.io/detection: deep',
      ...Array.from({ length: n }, (_, i) => `filter.fluxcd.io/zz${i}: glob:*`),
    ]) +
    '    a:\n      list:\n' +
    Array.from({ length: n }, (_, i) => `      - {name: c${i}, image: repo/x${i}:1.0}`).join('\n') +
    '\n',
  longScalar: (n) => HEAD() + '    c: {image: repo/x:1.0}\n    big: ' + 'x'.repeat(n) + '\n',
  longQuoted: (n) => HEAD() + '    c: {image: repo/x:1.0}\n    big: "' + 'x\\n'.repeat(n / 3) + '"\n',
  longLineFlow: (n) =>
    HEAD() +
    '    c: {image: repo/x:1.0}\n    big: [' +
    Array(n / 2)
      .fill('a')
      .join(',') +
    ']\n',
  comments: (n) => HEAD() + '    c: {image: repo/x:1.0}\n' + '# comment line\n'.repeat(n),
  commentsIndented: (n) => HEAD() + '    c: {image: repo/x:1.0}\n' + '    # comment HelmRelease\n'.repeat(n),
  dupKeys: (n) => HEAD() + Array.from({ length: n }, () => `    c: {image: repo/x:1.0}`).join('\n') + '\n',
  crlf: (n) =>
    (
      HEAD() +
      Array.from({ length: n }, (_, i) => `    c${i}: {image: repo/x${i}:1.0}`).join('\n') +
      '\n'
    ).replace(/\n/g, '\r\n'),
  crOnly: (n) =>
    (
      HEAD() +
      Array.from({ length: n }, (_, i) => `    c${i}: {image: repo/x${i}:1.0}`).join('\n') +
      '\n'
    ).replace(/\n/g, '\r'),
  boms: (n) =>
    Array.from(
      { length: n },
      (_, i) => `\uFEFFkind: HelmRelease\nmetadata: {name: a${i}}\nspec: {values: {image: r/x:1}}\n---`,
    ).join('\n'),
  sopsKeys: (n) =>
    HEAD() +
    '    c: {image: repo/x:1.0}\n' +
    Array.from({ length: n }, (_, i) => `sops${i}:\n  mac: x`).join('\n') +
    '\nsops:\n  mac: ENC\n',
  sopsManyDocs: (n) =>
    Array.from({ length: n }, (_, i) => `sops:\n  mac: m${i}\n---`).join('\n') + '\nkind: HelmRelease\n',
  aliasKeyRuns: (n) =>
    HEAD() +
    '    x: &a k\n' +
    Array.from({ length: n }, (_, i) => `    m${i}:\n      *a: v`).join('\n') +
    '\n',
  listKind: (n) =>
    'kind: List\nitems:\n' +
    Array.from(
      { length: n },
      (_, i) => `- kind: HelmRelease\n  metadata: {name: a${i}}\n  spec: {values: {image: r/x${i}:1}}`,
    ).join('\n') +
    '\n',
  nestedLists: (n) =>
    'kind: HelmRelease\n' + 'x: ' + '{kind: List, items: ['.repeat(n) + ']}'.repeat(n) + '\n',
  colonValues: (n) => HEAD() + Array.from({ length: n }, (_, i) => `    c${i}: a: b`).join('\n') + '\n',
  unclosedQuote: (n) => HEAD() + '    c: "' + 'x\n'.repeat(n),
  unclosedFlow: (n) => HEAD() + '    c: [' + 'x,\n'.repeat(n),
  // What yaml.v2 refuses (go-yaml-refusals.ts): each kind is looked for once per line.
  tabLinesInFlow: (n) =>
    HEAD() + '    c: {image: repo/x:1.0}\n    f: [a,\n' + '      \t\n'.repeat(n) + '      b]\n',
  tabLinesInBlockScalar: (n) =>
    HEAD() + '    c: {image: repo/x:1.0}\n    b: |\n      a\n' + '        \t\n'.repeat(n) + '      b\n',
  tabLinesAfterPlain: (n) =>
    HEAD() + '    c: {image: repo/x:1.0}\n    p: a\n' + '       \t\n'.repeat(n) + '    q: 1\n',
  tabLineDocs: (n) =>
    Array.from(
      { length: n },
      (_, i) => `kind: HelmRelease\nmetadata: {name: a${i}}\n\t\nspec: {values: {image: r/x:1}}\n---`,
    ).join('\n') + '\n',
  controlCharacters: (n) => HEAD() + '    c: {image: repo/x:1.0}\n    z: "' + '\u0007'.repeat(n) + '"\n',
  controlCharacterDocs: (n) =>
    Array.from(
      { length: n },
      (_, i) =>
        `kind: HelmRelease\nmetadata: {name: a${i}}\nx: "\u0007"\nspec: {values: {image: r/x:1}}\n---`,
    ).join('\n') + '\n',
  endMarkers: (n) => HEAD() + '    c: {image: repo/x:1.0}\n' + '...\n'.repeat(n) + 'x: 1\n',
  directives: (n) => '%YAML 1.1\n'.repeat(n) + '---\n' + HEAD() + '    c: {image: repo/x:1.0}\n',
};

const only = process.argv[2] ? new RegExp(process.argv[2]) : undefined;
for (const [name, make] of Object.entries(cases)) {
  if (only && !only.test(name)) continue;
  for (const n of (process.argv[3] ?? '1000,10000').split(',').map(Number)) {
    // A quadratic case can pass JavaScript's string limit long before the cap: over the cap too.
    let text: string;
    try {
      text = make(n);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      console.log(`${name} n=${n} larger than a string holds, OVER CAP, skipped`);
      continue;
    }
    const size = Buffer.byteLength(text);
    if (size > CAP) {
      console.log(`${name} n=${n} size=${size} OVER CAP, skipped`);
      continue;
    }
    const t0 = performance.now();
    let summary: string;
    try {
      const scan = scanFile('f.yaml', text);
      const containers = scan.releases.reduce((s, r) => s + r.containers.length, 0);
      summary =
        `releases=${scan.releases.length} containers=${containers} problems=${scan.problems.length}` +
        (scan.problems[0]
          ? ` first="${scan.problems[0].message.slice(0, 110)}" @${scan.problems[0].line}`
          : '');
      const t1 = performance.now();
      const r = scan.releases.find((x) => x.containers.length > 0);
      if (r) {
        const c = r.containers[r.containers.length - 1];
        const det = r.detection;
        const out = editFile(
          'f.yaml',
          text,
          [
            {
              release: r.namespace ? `${r.namespace}/${r.name}` : r.name,
              documentIndex: r.documentIndex,
              container: c.container,
              repository: c.reference.repository,
              to: '9.9.9',
              ...(det ? { detection: det } : {}),
            } as never,
          ],
          scan,
        );
        summary += ` | edit ${(performance.now() - t1).toFixed(0)}ms ok=${out.outcomes[0].ok}${out.outcomes[0].ok ? '' : ' ' + (out.outcomes[0] as { reason: string }).reason.slice(0, 80)}`;
      }
    } catch (e) {
      summary = `THREW ${(e as Error).name}: ${(e as Error).message.slice(0, 100)}`;
    }
    console.log(
      `${name} n=${n} size=${(size / 1024).toFixed(0)}KiB scan+edit ${(performance.now() - t0).toFixed(0)}ms ${summary}`,
    );
  }
}
