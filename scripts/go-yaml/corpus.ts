/**
 * The inputs scripts/go-yaml/compare.ts reads with both yaml.v2 (scripts/go-yaml/main.go) and
 * this project's reader: the cases of go-yaml-fidelity.test.ts and go-scalars.test.ts, the known
 * suspects, a generated corpus of tricky scalars and document shapes, and the rows of
 * go-yaml-refusals.test.ts (whose pinned answers compare.ts checks against yaml.v2 again).
 */
import { readFileSync } from 'node:fs';
import {
  CONTROL_CHARACTER_CASES,
  DIRECTIVE_CASES,
  END_MARKER_CASES,
  ESCAPE_CASES,
  TAB_LINE_CASES,
} from '../../test-support/helmrelease/go-yaml-refusal-cases.js';
import { LIST_OF_RELEASES, release } from '../../test-support/helmrelease/release-text.js';
import { RESOURCE_REFUSAL_CASES } from '../../test-support/helmrelease/resource-refusal-cases.js';

export interface Case {
  name: string;
  text: string;
  /** What a test pins as yaml.v2's answer: `reads`, or a part of the error Flux saw. */
  observed?: string;
}

/** The rows of go-yaml-refusals.test.ts, with yaml.v2's answer each pins. */
function refusalCases(): Case[] {
  return [
    ...TAB_LINE_CASES,
    ...CONTROL_CHARACTER_CASES,
    ...DIRECTIVE_CASES,
    ...END_MARKER_CASES,
    ...ESCAPE_CASES,
  ].map(([name, text, observed]) => ({ name: `refusal: ${name}`, text, observed }));
}

/** The rows of flux-resource-refusals.test.ts, with yaml.v2's answer each pins. */
function resourceRefusalCases(): Case[] {
  return RESOURCE_REFUSAL_CASES.map(([name, text, observed]) => ({
    name: `resource: ${name}`,
    text,
    observed,
  }));
}

/** Every scalar text of go-scalars.test.ts's resolvePlainScalar rows. */
function goScalarsTexts(): string[] {
  const source = readFileSync(
    new URL('../../__tests__/helmrelease/go-scalars.test.ts', import.meta.url),
    'utf8',
  );
  const texts = new Set<string>();
  for (const m of source.matchAll(
    /\[\s*'[^']*',\s*'((?:[^'\\]|\\.)*)',\s*'(?:str|null|bool|int|float)'\s*\]/g,
  )) {
    texts.add(JSON.parse(`"${m[1].replace(/"/g, '\\"')}"`) as string);
  }
  for (const w of ['y Y yes Yes YES true True TRUE on On ON', 'n N no No NO false False FALSE off Off OFF']) {
    for (const t of w.split(' ')) texts.add(t);
  }
  // The key and annotation-value tables.
  for (const m of source.matchAll(/\['((?:[^'\\]|\\.)*)', (?:'[^']*'|undefined)\]/g)) texts.add(m[1]);
  return [...texts];
}

/** Tricky scalars: booleans in every case, numbers in every base, sexagesimal, specials, dates. */
function trickyScalars(): string[] {
  const words = ['y', 'yes', 'on', 'off', 'n', 'no', 'true', 'false', 'null', '.inf', '.nan'];
  const cased = words.flatMap((w) => [
    w,
    w.toUpperCase(),
    w[0].toUpperCase() + w.slice(1),
    w.replace(/.$/, (c) => c.toUpperCase()),
  ]);
  return [
    ...new Set(cased),
    '0o17',
    '0O17',
    '017',
    '0o',
    '0',
    '00',
    '-0',
    '+0',
    '0x1F',
    '0X1F',
    '-0x1F',
    '0x',
    '0b101',
    '0b',
    '1_000',
    '1__000_',
    '1:20',
    '1:20:30',
    '-1:20',
    '1:20.5',
    '190:20:30.15',
    '1:2:3:4',
    '+1:20',
    '.inf',
    '-.inf',
    '+.inf',
    '.Inf',
    '.INF',
    '.nan',
    '.NaN',
    '.NAN',
    'inf',
    'nan',
    'Infinity',
    'NaN',
    '2024-01-01',
    '2024-1-1',
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10 -5',
    '2001-12-15T02:59:43.1Z',
    '20240101',
    '~',
    'null',
    '',
    '1.0',
    '1.10',
    '1.',
    '.5',
    '1e3',
    '1E3',
    '1e+3',
    '1.5e-3',
    '1e999',
    '-1e999',
    '1.2.3',
    'v1.2',
    'e123456',
    '1234567',
    '0123456',
    '089',
    '0.1',
    '1.0000000001',
    '16777217.0',
    '0.1234567891',
    '123456789012345678901',
    '9223372036854775807',
    '9223372036854775808',
    '18446744073709551615',
    '18446744073709551616',
    '-9223372036854775809',
    '=',
    '<<',
    '?',
    '-',
    '+',
    '.',
    '..',
    '...x',
    '0x1p3',
    '1_',
    '_1',
    '+_1',
    '0b1_0',
    '0x_1F',
    '0o_17',
    'latest',
    'stable-1',
    'sha256:abc',
    'a: b'.replace(': ', ':'),
    "it's",
    '"quoted"',
  ];
}

/** Each scalar as a tag, as a container key, as an annotation value, and tagged/quoted forms. */
function scalarCases(texts: readonly string[]): Case[] {
  const cases: Case[] = [];
  const plainOk = (t: string) => t !== '' && !/^[-?:,[\]{}#&*!|>'"%@`]|: | #|^<<$/.test(t) && t.trim() === t;
  for (const t of texts) {
    const shown = t === '' ? '(empty)' : t;
    if (t === '' || plainOk(t)) {
      cases.push({ name: `tag: ${shown}`, text: release(['image: repo/app', `tag: ${t}`]) });
      if (t !== '') {
        cases.push({ name: `key ${shown}:`, text: release([`${t}:`, '  image: repo/app:1.0']) });
        cases.push({
          name: `annotation value ${shown}`,
          text: release(['image: repo/app:1.0'], [`fluxcd.io/tag.chart-image: ${t}`]),
        });
      }
    }
    const single = `'${t.replace(/'/g, "''")}'`;
    cases.push({ name: `tag: ${single}`, text: release(['image: repo/app', `tag: ${single}`]) });
  }
  return cases;
}

/** Explicit tags on scalars (go-scalars.test.ts resolveScalar rows and more). */
function taggedCases(): Case[] {
  const rows: [string, string][] = [];
  const values = [
    '150',
    '5',
    'yes',
    'off',
    'true',
    'x',
    'abc',
    '1.5',
    '0x10',
    '~',
    '',
    '2024-01-01',
    '1:20',
    '.inf',
    '.nan',
    'djEuMA==',
    'v1.0',
  ];
  for (const tag of [
    '!!str',
    '!!int',
    '!!float',
    '!!bool',
    '!!null',
    '!!binary',
    '!!timestamp',
    '!custom',
    '!',
    '!<tag:yaml.org,2002:int>',
    '!<tag:example.com,2002:int>',
  ]) {
    for (const v of values) {
      rows.push([`${tag} ${v}`, `${tag} ${v}`]);
      rows.push([`${tag} "${v}"`, `${tag} "${v}"`]);
    }
  }
  return rows.map(([name, written]) => ({
    name: `tag: ${name}`,
    text: release(['image: repo/app', `tag: ${written}`]),
  }));
}

/** The cases of go-yaml-fidelity.test.ts, as its helpers build them. */
function fidelityCases(): Case[] {
  const cases: Case[] = [];
  const add = (name: string, text: string) => cases.push({ name: `fidelity: ${name}`, text });
  for (const tag of [
    'e123456',
    '2024-01-01',
    'v1.2',
    '0o17',
    '0x1F',
    '1_000',
    '+1',
    '1e3',
    '.inf',
    '~',
    'yes',
    'off',
    'y',
    '150',
    '4.0',
    '1:20',
  ]) {
    add(`tag: ${tag}`, release(['image: repo/app', `tag: ${tag}`]));
  }
  add('image e123456', release(['image: repo/app:e123456']));
  add('repository a number', release(['image: {repository: 0x1F, tag: v1}']));
  add('repository a boolean', release(['image: {repository: yes, tag: v1}']));
  add('registry a number', release(['image: {registry: 1e3, repository: repo/app, tag: v1}']));
  add(
    'alias path tag e123456',
    release(
      ['sub:', '  img: repo/app', '  ver: e123456'],
      ['repository.fluxcd.io/app: sub.img', 'tag.fluxcd.io/app: sub.ver'],
    ),
  );
  add('annotation 1.10', release(['image: repo/app:1.0'], ['fluxcd.io/tag.chart-image: 1.10']));
  const aliasKeys = [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: &app web',
    '  annotations:',
    '    fluxcd.io/automated: "true"',
    '    repository.fluxcd.io/web: controllers.web.containers.web.image.repository',
    '    tag.fluxcd.io/web: controllers.web.containers.web.image.tag',
    'spec:',
    '  values:',
    '    controllers:',
    '      *app:',
    '        containers:',
    '          *app:',
    '            image:',
    '              repository: ghcr.io/acme/web',
    '              tag: 1.0.0',
    '    *app :',
    '      image: repo/web:2',
    '',
  ].join('\n');
  add('alias keys', aliasKeys);
  add('alias key to a value', release(['name: &n web', '*n:', '  image: repo/a:1']));
  add('alias key last anchor', release(['a: &n one', 'b: &n two', '*n:', '  image: repo/a:1']));
  add('alias key anchor on a key', release(['&k key1: x', '*k :', '  image: repo/a:1']));
  add('alias key anchored number key', release(['&k 0x10: x', '*k:', '  image: repo/a:1']));
  add('alias key before its anchor', release(['*n:', '  image: repo/a:1', 'name: &n web']));
  add('alias key naming nothing', release(['*nowhere:', '  image: repo/a:1']));
  const base = release(['image: repo/app:1.0']);
  add('CR-only', base.replace(/\n/g, '\r'));
  add('stray CR', `${base}\r`);
  add('CR-only and stray CR', `${base.replace(/\n/g, '\r')}\r`);
  add('NEL', base.replace(/\n/g, '\u0085'));
  add('LS', base.replace(/\n/g, '\u2028'));
  add('PS', base.replace(/\n/g, '\u2029'));
  add('CRLF', base.replace(/\n/g, '\r\n'));
  add(
    'mixed CRLF CR',
    base.replace(/\n/g, (_m, i: number) => (i % 2 ? '\r\n' : '\r')),
  );
  add(
    'two docs CR',
    `${release(['image: repo/a:1'], [], 'a')}---\n${release(['image: repo/b:1'], [], 'b')}`.replace(
      /\n/g,
      '\r',
    ),
  );
  for (const [key, container] of [
    ['1:', '1'],
    ['0x1F:', '31'],
    ['true:', 'true'],
    ['yes:', 'true'],
    ['1.10:', '1.1'],
    ['"0x1F":', '0x1F'],
  ]) {
    add(`key ${key}`, release([key, '  image: repo/app:1.0'], [`filter.fluxcd.io/${container}: semver:~1`]));
  }
  add(
    'alias path through non-string keys',
    release(
      ['1:', '  true:', '    img: repo/app', '    tag: v1'],
      ['repository.fluxcd.io/x: 1.true.img', 'tag.fluxcd.io/x: 1.true.tag'],
    ),
  );
  add('null key', release(['~: x', 'image: repo/a:1']));
  add('key beyond int64', release(['9223372036854775808: x', 'image: repo/a:1']));
  add('list key', release(['? [a]', ': x', 'image: repo/a:1']));
  add('NaN under spec', release(['image: repo/a:1', 'ratio: .nan']));
  const list = LIST_OF_RELEASES;
  for (const kind of ['List', 'HelmReleaseList', 'ConfigMapList', 'Listing'])
    add(`kind ${kind}`, list.replace('kind: List', `kind: ${kind}`));
  add(
    'List in List',
    [
      'kind: List',
      'items:',
      '- kind: List',
      '  items:',
      '  - apiVersion: helm.fluxcd.io/v1',
      '    kind: HelmRelease',
      '    metadata: {name: inner}',
      '    spec: {values: {image: repo/inner:1.0}}',
      '- apiVersion: helm.fluxcd.io/v1',
      '  kind: HelmRelease',
      '  metadata: {name: outer}',
      '  spec: {values: {image: repo/outer:1.0}}',
      '',
    ].join('\n'),
  );
  for (const a of [
    'fluxcd.io/locked: true',
    'fluxcd.io/locked: yes',
    'fluxcd.io/locked: On',
    'flux.weave.works/locked: TRUE',
    'fluxcd.io/ignore: y',
    'fluxcd.io/locked: false',
    'fluxcd.io/locked: 1',
    'fluxcd.io/locked:',
    'fluxcd.io/locked: "True"',
  ]) {
    add(`policy ${a}`, release(['image: repo/a:1'], [a]));
  }
  for (const a of ['fluxcd.io/automated: true', 'fluxcd.io/automated: yes']) {
    add(`policy ${a}`, release(['image: repo/a:1']).replace('    fluxcd.io/automated: "true"', `    ${a}`));
  }
  for (const extra of [
    'registry.fluxcd.io/app: ""',
    'registry.fluxcd.io/app:',
    'registry.fluxcd.io/app: ~',
  ]) {
    add(
      `alias ${extra}`,
      release(
        ['sub:', '  img: repo/app', '  ver: v1'],
        ['repository.fluxcd.io/app: sub.img', 'tag.fluxcd.io/app: sub.ver', extra],
      ),
    );
  }
  add('filter with ": "', release(['image: repo/a:1'], ['filter.fluxcd.io/chart-image: semver: ~8.0']));
  add(
    'unclosed flow map',
    release(['image: repo/a:1'], ['filter.fluxcd.io/app: {semver: "~1"', 'x.io/y: z']),
  );
  add('unclosed flow seq', release(['image: repo/a:1', 'args: [a, b', 'replicas: 2']));
  add(
    'broken ConfigMap then release',
    `kind: ConfigMap\ndata:\n  note: not a HelmRelease\n  a: [b\n---\n${release(['image: repo/a:1'])}`,
  );
  add(
    'broken unspelled doc then release',
    `kind: ConfigMap\ndata:\n  a: [b\n---\n${release(['image: repo/a:1'])}`,
  );
  for (const [n, written] of [
    ['numeric name', '123'],
    ['boolean name', 'yes'],
    ['hex name', '0x10'],
    ['quoted name', '"0x10"'],
  ]) {
    add(n, release(['image: repo/a:1'], [], written));
  }
  return cases;
}

/** The known suspects, and document shapes: merges, anchors, duplicates, BOMs, tabs, markers. */
function shapeCases(): Case[] {
  const cases: Case[] = [];
  const add = (name: string, text: string) => cases.push({ name, text });
  add(
    'suspect a: map and its first key anchored alike',
    release(['x: &k', '  &k a: 1', '*k : v', 'image: repo/a:1']),
  );
  add('suspect a (b first)', release(['x: &k', '  &k a:', '    image: repo/a:1', 'y:', '  *k : v']));
  add(
    'suspect b: alias key resolving to spec',
    [
      'kind: HelmRelease',
      'metadata: {name: &s spec}',
      '*s :',
      '  values:',
      '    image: repo/a:1',
      '    r: .inf',
      '',
    ].join('\n'),
  );
  add(
    'suspect b2: alias key resolving to spec (values only)',
    ['kind: HelmRelease', 'metadata: {name: &s spec}', '*s :', '  values:', '    image: repo/a:1', ''].join(
      '\n',
    ),
  );
  add('suspect c: !!float yes', release(['image: repo/a:1', 'x: !!float yes']));
  add(
    '.inf in metadata.labels',
    release(['image: repo/a:1']).replace('  annotations:', '  labels: {a: .inf}\n  annotations:'),
  );
  add('.nan in an annotation', release(['image: repo/a:1'], ['x.io/y: .nan']));
  add('.inf in status', `${release(['image: repo/a:1'])}status: {x: .inf}\n`);
  add('.inf as a key under spec', release(['.inf: x', 'image: repo/a:1']));
  add('.nan outside HelmRelease', 'kind: ConfigMap\ndata: {a: .nan}\n---\n' + release(['image: repo/a:1']));
  // merges
  add(
    'merge before explicit',
    release(['d: &d {image: repo/b, tag: v2}', 'sub:', '  <<: *d', '  image: repo/a', '  tag: v1']),
  );
  add(
    'merge after explicit',
    release(['d: &d {image: repo/b, tag: v2}', 'sub:', '  image: repo/a', '  tag: v1', '  <<: *d']),
  );
  add('merge at top level after image', release(['image: repo/a:1', '<<: {image: repo/b:2}']));
  add(
    'merge list order',
    release(['a: &a {image: repo/a:1}', 'b: &b {image: repo/b:2}', 'sub:', '  <<: [*a, *b]']),
  );
  add('merge of a scalar', release(['image: repo/a:1', 'sub:', '  <<: x']));
  add('merge of a list of scalars', release(['image: repo/a:1', 'sub:', '  <<: [x]']));
  add('merge alias to a scalar', release(['s: &s x', 'image: repo/a:1', 'sub:', '  <<: *s']));
  add('quoted << key', release(['image: repo/a:1', 'sub:', '  "<<": {image: repo/b:2}']));
  add('merge of an empty value', release(['image: repo/a:1', 'sub:', '  <<:']));
  add('merge in annotations', release(['image: repo/a:1'], ['<<: {fluxcd.io/tag.chart-image: "glob:1.*"}']));
  add(
    'merge overriding an annotation',
    release(
      ['image: repo/a:1'],
      ['fluxcd.io/tag.chart-image: "glob:1.*"', '<<: {fluxcd.io/tag.chart-image: "glob:2.*"}'],
    ),
  );
  add('two merge keys', release(['sub:', '  <<: {image: repo/a:1}', '  <<: {image: repo/b:2}']));
  // anchors and aliases
  add('alias to an image map', release(['a: &i {image: repo/a:1}', 'b: *i']));
  add('alias value before anchor', release(['b: *i', 'a: &i {image: repo/a:1}']));
  add('redefined anchor', release(['a: &i repo/a:1', 'b: &i repo/b:2', 'image: *i']));
  add('alias as image value', release(['i: &i repo/a:1', 'image: *i']));
  add('alias as tag', release(['t: &t v1', 'image: repo/a', 'tag: *t']));
  add('alias to a number tag', release(['t: &t 1.0', 'image: repo/a', 'tag: *t']));
  add('anchor across documents', `a: &x 1\n---\n${release(['image: repo/a', 'tag: *x'])}`);
  add('alias key to a number anchor', release(['&k 1.10: x', '*k :', '  image: repo/a:1']));
  add('alias key to a map', release(['m: &m {a: 1}', '*m : x', 'image: repo/a:1']));
  add(
    'alias in annotations',
    release(['image: repo/a:1'], ['fluxcd.io/tag.chart-image: &f "glob:1.*"', 'x.io/y: *f']),
  );
  add(
    'alias as annotations map',
    `${release(['image: repo/a:1'])}`
      .replace('  annotations:\n    fluxcd.io/automated: "true"', '  annotations: *ann')
      .replace('apiVersion:', 'x: &ann {fluxcd.io/automated: "true"}\napiVersion:'),
  );
  // duplicates
  add('duplicate value key', release(['image: repo/a:1', 'image: repo/b:2']));
  add('duplicate key 1 and 01', release(['1: a', '01: b', 'image: repo/a:1']));
  add('duplicate key 1 and "1"', release(['1: a', '"1": b', 'image: repo/a:1']));
  add('duplicate key 0x10 and 16', release(['0x10: a', '16: b', 'image: repo/a:1']));
  add('duplicate key yes and true', release(['yes: a', 'true: b', 'image: repo/a:1']));
  add('duplicate key 1.0 and 1', release(['1.0: a', '1: b', 'image: repo/a:1']));
  add('duplicate key .nan', release(['.nan: a', '.nan: b', 'image: repo/a:1']));
  add(
    'duplicate annotation',
    release(
      ['image: repo/a:1'],
      ['fluxcd.io/tag.chart-image: "glob:1.*"', 'fluxcd.io/tag.chart-image: "glob:2.*"'],
    ),
  );
  add(
    'duplicate kind',
    release(['image: repo/a:1']).replace('kind: HelmRelease', 'kind: HelmRelease\nkind: ConfigMap'),
  );
  add(
    'duplicate kind (HelmRelease last)',
    release(['image: repo/a:1']).replace('kind: HelmRelease', 'kind: ConfigMap\nkind: HelmRelease'),
  );
  add('duplicate metadata', release(['image: repo/a:1']).replace('spec:', 'metadata: {name: other}\nspec:'));
  add(
    'duplicate in another document',
    `kind: ConfigMap\ndata: {a: 1, a: 2, x: HelmRelease}\n---\n${release(['image: repo/a:1'])}`,
  );
  // documents and markers
  add('leading ---', `---\n${release(['image: repo/a:1'])}`);
  add('--- then ...', `---\n${release(['image: repo/a:1'])}...\n`);
  add(
    '... between documents',
    `${release(['image: repo/a:1'], [], 'a')}...\n---\n${release(['image: repo/b:1'], [], 'b')}`,
  );
  add(
    '... without ---',
    `${release(['image: repo/a:1'], [], 'a')}...\n${release(['image: repo/b:1'], [], 'b')}`,
  );
  add('empty documents', `---\n---\n${release(['image: repo/a:1'])}---\n`);
  add('comment-only document', `# hi\n---\n${release(['image: repo/a:1'])}`);
  add('%YAML directive', `%YAML 1.1\n---\n${release(['image: repo/a:1'])}`);
  add('%YAML 1.2 directive', `%YAML 1.2\n---\n${release(['image: repo/a:1'])}`);
  add(
    '%TAG directive',
    `%TAG !e! tag:example.com,2000:\n---\n${release(['image: repo/a:1', 'x: !e!foo 1'])}`,
  );
  for (const [tags, tag] of [
    ['%TAG !! tag:example.com:', '!!float 1.0'],
    ['%TAG !! tag:example.com:', '!!str 1.0'],
    ['%TAG ! tag:yaml.org,2002:', '!int 1.0.0'],
  ]) {
    add(
      `${tags} before an earlier document, ${tag}`,
      `${tags}\n---\n${release(['image: repo/a:1'], [], 'a')}---\n${release(['image: repo/b', `tag: ${tag}`], [], 'b')}`,
    );
  }
  add('--- with a value', `--- !!map\n${release(['image: repo/a:1'])}`);
  add('document that is a scalar', `hello\n---\n${release(['image: repo/a:1'])}`);
  add('document that is a list', `- a\n---\n${release(['image: repo/a:1'])}`);
  add('kind a list', release(['image: repo/a:1']).replace('kind: HelmRelease', 'kind: [HelmRelease]'));
  add('name a map', release(['image: repo/a:1'], [], '{a: 1}'));
  add('annotation value a map', release(['image: repo/a:1'], ['x.io/y: {a: 1}']));
  add('annotation value a list', release(['image: repo/a:1'], ['x.io/y: [a]']));
  add(
    'annotations a list',
    release(['image: repo/a:1']).replace(
      '  annotations:\n    fluxcd.io/automated: "true"',
      '  annotations: [a]',
    ),
  );
  add('values a list', release([]).replace('  values:\n', '  values: [a]\n'));
  add('spec a string', release([]).replace('spec:\n  values:\n', 'spec: x\n'));
  add('kind a number', 'kind: 1\n---\n' + release(['image: repo/a:1']));
  add('quoted kind', release(['image: repo/a:1']).replace('kind: HelmRelease', 'kind: "HelmRelease"'));
  add(
    'kind with a tag',
    release(['image: repo/a:1']).replace('kind: HelmRelease', 'kind: !!str HelmRelease'),
  );
  add(
    'kind via alias',
    `x: &k HelmRelease\n${release(['image: repo/a:1']).replace('kind: HelmRelease', 'kind: *k')}`,
  );
  add('FluxHelmRelease', release(['image: repo/a:1']).replace('kind: HelmRelease', 'kind: FluxHelmRelease'));
  // BOMs
  add('BOM at start', `\uFEFF${release(['image: repo/a:1'])}`);
  add(
    'BOM after ---',
    `${release(['image: repo/a:1'], [], 'a')}---\n\uFEFF${release(['image: repo/b:1'], [], 'b')}`,
  );
  add('BOM inside a document', release(['image: repo/a:1', '\uFEFFtag: v2']));
  add('BOM before --- ', `\uFEFF---\n${release(['image: repo/a:1'])}`);
  add('BOM in a value', release(['image: repo/a:1\uFEFF']));
  // tabs
  add('tab indentation', release(['image: repo/a:1']).replace('    image', '\timage'));
  add('tab after colon', release(['image:\trepo/a:1']));
  add('tab before comment', release(['image: repo/a:1\t# c']));
  add('tab in a value', release(['image: repo/a:1', 'x: a\tb']));
  add('tab in a flow map', release(['image: {repository: repo/a,\ttag: v1}']));
  add('tab-only line', release(['image: repo/a:1', '\t', 'x: 1']));
  add('trailing tab', release(['image: repo/a:1\t']));
  // Found while pinning go-yaml-refusals.test.ts: yaml.v2 reads these, the `yaml` package does not.
  add('tab-only line in a double-quoted value', release(['image: repo/a:1', 'x: "a', '\t', '  b"']));
  add('% at column 0 in a double-quoted value', release(['image: repo/a:1', 'x: "a', '%b"']));
  add('... at column 0 in a double-quoted value', release(['image: repo/a:1', 'x: "a', '...', '  b"']));
  add(
    '%YAML 1.1 before a later document without ...',
    `${release(['image: repo/a:1'], [], 'a')}%YAML 1.1\n---\n${release(['image: repo/b:1'], [], 'b')}`,
  );
  // CRLF details
  add('CRLF in a block scalar', release(['image: repo/a:1', 'x: |', '  a', '  b']).replace(/\n/g, '\r\n'));
  add('CRLF in a quoted scalar', release(['image: repo/a:1', 'x: "a', '  b"']).replace(/\n/g, '\r\n'));
  add('CR inside a quoted value', release(['image: repo/a:1', 'x: "a\rb"']));
  // block scalars and quoting of tags
  add('block literal tag', release(['image: repo/a', 'tag: |', '  v1']));
  add('block literal strip tag', release(['image: repo/a', 'tag: |-', '  v1']));
  add('folded image', release(['image: >-', '  repo/a:1']));
  add('multi-line plain image', release(['image: repo/a', '  :1']));
  add('double-quoted escapes', release(['image: "repo/a:\\x31"']));
  add('double-quoted \\u', release(['image: "repo/a:\\u0031"']));
  add('double-quoted line folding', release(['image: "repo/a:', '  1"']));
  add('single-quoted folding', release(["image: 'repo/a:", "  1'"]));
  add('plain with trailing spaces', release(['image: repo/a:1   ']));
  add('plain with # inside', release(['image: repo/a:1#x']));
  add('comment right after colon', release(['image: repo/a:1 #x', 'tag: #c']));
  add('flow map with plain colon', release(['image: {repository: repo/a:1}']));
  add('key with trailing space before colon', release(['image : repo/a:1']));
  add('explicit key', release(['? image', ': repo/a:1']));
  add('complex flow key', release(['{a: 1}: x', 'image: repo/a:1']));
  add('empty key', release([': x', 'image: repo/a:1']));
  add('long key over 1024', release([`${'k'.repeat(1100)}: x`, 'image: repo/a:1']));
  add('indented sequence under key', release(['image: repo/a:1', 'args:', '- a', '- b']));
  add('anchor on values', release(['image: repo/a:1']).replace('  values:', '  values: &v'));
  add('tag on values map', release(['image: repo/a:1']).replace('  values:', '  values: !!map'));
  add('custom tag on values map', release(['image: repo/a:1']).replace('  values:', '  values: !foo'));
  add('!!set', release(['image: repo/a:1', 'x: !!set {a, b}']));
  add('!!omap', release(['image: repo/a:1', 'x: !!omap [a: 1]']));
  add('!!str on a map', release(['image: repo/a:1', 'x: !!str {a: 1}']));
  add('!!binary image', release(['image: !!binary cmVwby9hOjE=']));
  add('!!binary tag', release(['image: repo/a', 'tag: !!binary djEuMA==']));
  add('!!binary invalid', release(['image: repo/a:1', 'x: !!binary "%%%"']));
  add('unicode escapes in key', release(['"im\\u0061ge": repo/a:1']));
  add('non-UTF-8 byte', release(['image: repo/a:1', 'x: a\u0080b']));
  add('NUL in a quoted value', release(['image: repo/a:1', 'x: "a\\0b"']));
  add('control character raw', release(['image: repo/a:1', 'x: a\u0007b']));
  // Found while checking the above (each pinned in go-yaml-fidelity.test.ts).
  add(
    'suspect a: key anchored with its map',
    release(['x: &k', '  &k image: repo/a:1', '*k :', '  image: repo/b:2']),
  );
  add('suspect a: list and its first item', release(['x: &k', '  - &k image', '*k :', '  image: repo/b:2']));
  add('!!float beyond int64', release(['image: repo/a:1', 'x: !!float 18446744073709551615']));
  for (const ts of [
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10',
    '2024-1-1',
    '2024-13-45',
    '2001-12-14T21:59:43Z',
    '2001-12-14 21:59:43.10 -5',
    '20240101',
    '2001-02-30',
  ]) {
    add(`!!timestamp ${ts}`, release(['image: repo/a:1', `x: !!timestamp ${ts}`]));
  }
  add('!!binary over lines', release(['image: repo/a:1', 'x: !!binary |', '  djEu', '  MA==']));
  add('!!binary unpadded', release(['image: repo/a:1', 'x: !!binary djEuMA']));
  add('tagged key', release(['image: repo/a:1', '!!int x: 1']));
  add(
    'merge in metadata',
    release(['image: repo/a:1'])
      .replace('spec:', '  <<: *m\nspec:')
      .replace('kind: HelmRelease', 'kind: HelmRelease\nm: &m {annotations: {fluxcd.io/locked: "true"}}'),
  );
  add(
    'merge bringing a subsection after it',
    release(['sub: {image: repo/a:1}', '<<: {sub: {image: repo/b:2}}']),
  );
  add(
    'merge bringing a subsection before it',
    release(['<<: {sub: {image: repo/b:2}}', 'sub: {image: repo/a:1}']),
  );
  add('merge in an image map', release(['image:', '  repository: repo/a', '  tag: v1', '  <<: {tag: v2}']));
  add('keys yes and "true"', release(['yes: {image: repo/a:1}', '"true": {image: repo/b:2}']));
  add('alias key repeating its anchor key', release(['&k key1: x', '*k :', '  image: repo/a:1']));
  add('NaN in another document', 'kind: ConfigMap\ndata: {a: .nan}\n---\n' + release(['image: repo/a:1']));
  add(
    'tag mismatch in another document',
    'kind: ConfigMap\nx: !!int abc\n---\n' + release(['image: repo/a:1']),
  );
  add('very long line', release(['image: repo/a:1', `x: ${'a'.repeat(5000)}`]));
  add('deep nesting', release(['image: repo/a:1', `x: ${'['.repeat(100)}${']'.repeat(100)}`]));
  return cases;
}

export function allCases(): Case[] {
  return [
    ...fidelityCases(),
    ...shapeCases(),
    ...scalarCases([...new Set([...goScalarsTexts(), ...trickyScalars()])]),
    ...taggedCases(),
    ...refusalCases(),
    ...resourceRefusalCases(),
  ];
}
