/**
 * Documents that are valid YAML and that Flux v1 could not read as a resource, failing the whole
 * file (src/helmrelease/flux-resource-refusals.ts), and near misses it read; each after a
 * HelmRelease (10 lines), with what yaml.v2 2.4.0 answered (scripts/go-yaml). Shared by
 * flux-resource-refusals.test.ts and the harness's corpus (scripts/go-yaml/corpus.ts), which checks
 * each `observed` against the real yaml.v2 again.
 */
import { release } from './release-text.js';

/** `[name, the other document, observed, the line of the error, or undefined when the file loads]`. */
export type ResourceRefusalCase = [string, string, string, number | undefined];

const CM = 'kind: ConfigMap\n';
const HR = 'kind: HelmRelease\nmetadata: {name: b}\n';

/** `levels` lists of `width` items, each item an alias of the list before (a billion laughs). */
function laughs(levels: number, width: number): string {
  const list = (item: string) => `[${Array<string>(width).fill(item).join(', ')}]`;
  let text = `x0: &a0 ${list('lol')}\n`;
  for (let i = 1; i <= levels; i += 1) text += `x${i}: &a${i} ${list(`*a${i - 1}`)}\n`;
  return text;
}

/** A map of `keys` keys aliased `count` times, after `pad` plain items. */
function aliasedMap(keys: number, count: number, pad = 0): string {
  const map = Array.from({ length: keys }, (_, i) => `k${i}: v`).join(', ');
  const padding = pad ? `pad: [${Array<string>(pad).fill('p').join(', ')}]\n` : '';
  return `big: &big {${map}}\n${padding}uses: [${Array<string>(count).fill('*big').join(', ')}]\n`;
}

export const RESOURCE_REFUSAL_CASES: ResourceRefusalCase[] = [
  ['a plain scalar', 'hello\n', 'cannot unmarshal !!str `hello`', 11],
  ['a quoted "null"', '"null"\n', 'cannot unmarshal !!str `null`', 11],
  ['an empty string', '""\n', 'cannot unmarshal !!str ``', 11],
  ['a number', '1\n', 'cannot unmarshal !!int `1`', 11],
  ['a list', '- a\n', 'cannot unmarshal !!seq', 11],
  ['an empty flow list', '[]\n', 'cannot unmarshal !!seq', 11],
  ['null', '~\n', 'reads', undefined],
  ['an empty map', '{}\n', 'reads', undefined],
  ['kind a list', 'kind: [ConfigMap]\n', 'cannot unmarshal !!seq into string', 11],
  ['kind a map', 'kind: {a: 1}\n', 'cannot unmarshal !!map into string', 11],
  ['kind an alias of a list', 'x: &k [a]\nkind: *k\n', 'cannot unmarshal !!seq into string', 12],
  [
    'kind a list, then repeated as a string (the last is kept)',
    'kind: [a]\nkind: ConfigMap\n',
    'reads',
    undefined,
  ],
  ['kind a number', 'kind: 1\n', 'reads', undefined],
  ['kind null', 'kind: ~\n', 'reads', undefined],
  ['apiVersion a list', 'apiVersion: [v1]\nkind: ConfigMap\n', 'cannot unmarshal !!seq into string', 11],
  ['metadata a string', `${CM}metadata: abc\n`, 'cannot unmarshal !!str `abc` into struct', 12],
  ['metadata an empty string', `${CM}metadata: ""\n`, 'cannot unmarshal !!str `` into struct', 12],
  ['metadata a list', `${CM}metadata:\n- a\n`, 'cannot unmarshal !!seq into struct', 13],
  ['metadata null', `${CM}metadata: ~\n`, 'reads', undefined],
  ['metadata.name a map', `${CM}metadata: {name: {a: 1}}\n`, 'cannot unmarshal !!map into string', 12],
  ['metadata.name a boolean', `${CM}metadata: {name: true}\n`, 'reads', undefined],
  [
    'metadata.namespace a list',
    `${CM}metadata:\n  namespace: [a]\n`,
    'cannot unmarshal !!seq into string',
    13,
  ],
  [
    'metadata.annotations a list',
    `${CM}metadata: {annotations: [a]}\n`,
    'cannot unmarshal !!seq into map',
    12,
  ],
  [
    'metadata.annotations a string',
    `${CM}metadata: {annotations: abc}\n`,
    'cannot unmarshal !!str `abc` into map',
    12,
  ],
  [
    'metadata.annotations a number',
    `${CM}metadata: {annotations: 1}\n`,
    'cannot unmarshal !!int `1` into map',
    12,
  ],
  ['metadata.annotations null', `${CM}metadata: {annotations: }\n`, 'reads', undefined],
  [
    'an annotation a list',
    `${CM}metadata:\n  annotations:\n    a: [b]\n`,
    'cannot unmarshal !!seq into string',
    14,
  ],
  [
    'an annotation a map',
    `${CM}metadata: {annotations: {a: {b: c}}}\n`,
    'cannot unmarshal !!map into string',
    12,
  ],
  [
    'an annotation a number, another null',
    `${CM}metadata: {annotations: {a: 1, b: ~}}\n`,
    'reads',
    undefined,
  ],
  ['metadata.labels a list (not read)', `${CM}metadata: {labels: [a]}\n`, 'reads', undefined],
  ['!!int abc', `${CM}data:\n  x: !!int abc\n`, 'cannot decode !!str `abc` as a !!int', 13],
  ['!!float yes', `${CM}data:\n  x: !!float yes\n`, 'cannot decode !!bool `yes` as a !!float', 13],
  ['!!null abc', `${CM}data:\n  x: !!null abc\n`, 'cannot decode !!str `abc` as a !!null', 13],
  ['!!timestamp abc', `${CM}data:\n  x: !!timestamp abc\n`, 'cannot decode !!str `abc` as a !!timestamp', 13],
  [
    '!!binary that is not base64',
    `${CM}data:\n  x: !!binary "%%%"\n`,
    '!!binary value contains invalid base64 data',
    13,
  ],
  ['!!int abc as a key', `${CM}data:\n  !!int abc: 1\n`, 'cannot decode !!str `abc` as a !!int', 13],
  ['!!int "12"', `${CM}data:\n  x: !!int "12"\n`, 'reads', undefined],
  ['a tag of its own (!foo)', `${CM}data:\n  x: !foo abc\n`, 'reads', undefined],
  ['!!str on a map', `${CM}data:\n  x: !!str {a: 1}\n`, 'reads', undefined],
  // yaml.v2's first decode (go-yaml-decode-refusals.ts)
  ['an alias naming no anchor', `${CM}data:\n  x: *nope\n`, "unknown anchor 'nope' referenced", 13],
  ['an alias key naming no anchor', `${CM}data:\n  *nope : b\n`, "unknown anchor 'nope' referenced", 13],
  ['an alias before its anchor', `${CM}data:\n  x: *a\n  y: &a b\n`, "unknown anchor 'a' referenced", 13],
  ['an alias after its anchor', `${CM}data:\n  y: &a b\n  x: *a\n`, 'reads', undefined],
  ['a list as a key', `${CM}data:\n  ? [a]\n  : b\n`, 'invalid map key: []interface {}{"a"}', 13],
  [
    'a map as a key, in flow',
    `${CM}data: {{a: 1}: b}\n`,
    'invalid map key: map[interface {}]interface {}',
    12,
  ],
  ['an alias of a list as a key', `x: &l [a]\n${CM}data:\n  *l : b\n`, 'invalid map key', 14],
  ['an alias of a string as a key', `x: &l a\n${CM}data:\n  *l : b\n`, 'reads', undefined],
  ['a list as a key in a List item', `kind: List\nitems:\n- ? [a]\n  : b\n`, 'invalid map key', 13],
  ['a merge of a string', `${CM}data:\n  <<: abc\n`, 'map merge requires map or sequence of maps', 13],
  ['a merge of null', `${CM}data:\n  <<: ~\n`, 'map merge requires map or sequence of maps', 13],
  [
    'a merge of a list of strings',
    `${CM}data:\n  <<: [a]\n`,
    'map merge requires map or sequence of maps',
    13,
  ],
  ['a merge of an alias of a string', `x: &s abc\n${CM}data:\n  <<: *s\n`, 'map merge requires map', 14],
  ['a merge of an empty list', `${CM}data:\n  <<: []\n`, 'reads', undefined],
  ['a merge of a list of maps', `x: &m {a: 1}\n${CM}data:\n  <<: [*m, {b: 2}]\n`, 'reads', undefined],
  ['a quoted "<<" of a string, in data', `${CM}data:\n  "<<": abc\n`, 'reads', undefined],
  ['!!merge on another key', `${CM}data:\n  !!merge k: abc\n`, 'reads', undefined],
  // Merge keys in what the baseObject reads, followed as yaml.v2 did
  [
    'metadata merging a list name',
    `${CM}metadata: {<<: {name: [a]}}\n`,
    'cannot unmarshal !!seq into string',
    12,
  ],
  ['kind a list merged after kind', `${CM}<<: {kind: [a]}\n`, 'cannot unmarshal !!seq into string', 12],
  [
    'a merged list name, then name',
    `x: &m {name: [a]}\n${CM}metadata:\n  <<: *m\n  name: b\n`,
    'reads',
    undefined,
  ],
  [
    'merged maps, the first a list name',
    `${CM}metadata:\n  <<: [{name: [a]}, {name: b}]\n`,
    'cannot unmarshal !!seq into string',
    13,
  ],
  [
    'merged maps, the last a list name',
    `${CM}metadata:\n  <<: [{name: b}, {name: [a]}]\n`,
    'reads',
    undefined,
  ],
  ['an annotation merged in', `${CM}metadata:\n  annotations:\n    <<: {a: b}\n`, 'reads', undefined],
  [
    'a list annotation merged in',
    `${CM}metadata:\n  annotations:\n    <<: {a: [b]}\n`,
    'cannot unmarshal !!seq into string',
    14,
  ],
  [
    'a quoted "<<" of a list name',
    `${CM}metadata:\n  "<<": {name: [a]}\n`,
    'cannot unmarshal !!seq into string',
    13,
  ],
  [
    'a quoted "<<" of a string, in metadata',
    `${CM}metadata:\n  "<<": abc\n`,
    'map merge requires map or sequence of maps',
    13,
  ],
  // A List's items (what is wrong inside an item Flux ignored)
  ['List items a string', 'kind: List\nitems: abc\n', 'cannot unmarshal !!str `abc` into []map', 12],
  [
    'List items a list of strings',
    'kind: ConfigMapList\nitems: [a]\n',
    'cannot unmarshal !!str `a` into map',
    12,
  ],
  ['List items a null', 'kind: List\nitems: [~]\n', 'has no kind; Flux v1 panicked', 12],
  [
    'List item with kind a list',
    'kind: List\nitems:\n- kind: [a]\n',
    'cannot unmarshal !!seq into string',
    13,
  ],
  [
    'List item with no kind',
    'kind: List\nitems:\n- {metadata: {name: a}}\n',
    'has no kind; Flux v1 panicked',
    13,
  ],
  [
    'List inside a List with an item of no kind (never opened)',
    'kind: List\nitems:\n- kind: List\n  items: [{}]\n',
    'reads',
    undefined,
  ],
  // Aliases expanded past yaml.v2's bound ("excessive aliasing", go-yaml-alias-ratio.ts)
  ['a billion laughs, 3 levels of 10', laughs(3, 10), 'excessive aliasing', 14],
  ['laughs, 2 levels of 10 (under the bound)', laughs(2, 10), 'reads', undefined],
  ['laughs, 3 levels of 5 (under the bound)', laughs(3, 5), 'reads', undefined],
  ['a map of 60 keys aliased 1,500 times', aliasedMap(60, 1500), 'excessive aliasing', 12],
  ['a map of 50 keys aliased 3,000 times (99% aliased at most)', aliasedMap(50, 3000), 'reads', undefined],
  [
    'a map of 100 keys aliased 2,000 times after 1,000 plain items',
    aliasedMap(100, 2000, 1000),
    'excessive aliasing',
    13,
  ],
  [
    'a map of 100 keys aliased 2,000 times after 3,000 plain items',
    aliasedMap(100, 2000, 3000),
    'reads',
    undefined,
  ],
  [
    'merged twice in each of 500 maps, 100 keys',
    `big: &big {${Array.from({ length: 100 }, (_, i) => `k${i}: v`).join(', ')}}\nuses: [${Array<string>(500).fill('{<<: [*big, *big]}').join(', ')}]\n`,
    'excessive aliasing',
    12,
  ],
  // Another HelmRelease: ghodss/yaml's JSON step (helm-release-json-refusals.ts)
  ['a HelmRelease with spec a list', `${HR}spec: [a]\n`, 'cannot unmarshal array into Go struct field', 13],
  [
    'a HelmRelease with spec a string',
    `${HR}spec: abc\n`,
    'cannot unmarshal string into Go struct field',
    13,
  ],
  [
    'a HelmRelease with spec a boolean',
    `${HR}spec: true\n`,
    'cannot unmarshal bool into Go struct field',
    13,
  ],
  ['a HelmRelease with spec null', `${HR}spec:\n`, 'reads', undefined],
  ['a HelmRelease with values a list', `${HR}spec:\n  values: [a]\n`, 'field .Spec.Values', 14],
  ['a HelmRelease with values ""', `${HR}spec:\n  values: ""\n`, 'cannot unmarshal string', 14],
  ['a HelmRelease with values null', `${HR}spec:\n  values: ~\n`, 'reads', undefined],
  [
    'a HelmRelease with Values a list (JSON ignores case)',
    `${HR}spec:\n  Values: [a]\n`,
    'field .Spec.Values',
    14,
  ],
  ['a HelmRelease with SPEC a list', `${HR}SPEC: [a]\n`, 'cannot unmarshal array', 13],
  [
    'a HelmRelease with values an alias of a list',
    `x: &l [a]\n${HR}spec: {values: *l}\n`,
    'field .Spec.Values',
    14,
  ],
  ['a HelmRelease with values merged in', `${HR}spec:\n  <<: {values: [b]}\n`, 'field .Spec.Values', 14],
  ['a HelmRelease with meta a string', `${HR}meta: abc\n`, 'into Go struct field helmRelease.Meta', 13],
  [
    'a HelmRelease with meta.name a map',
    `${HR}meta: {name: {a: b}}\n`,
    'field .Meta.Name of type string',
    13,
  ],
  ['a HelmRelease with Kind a list', `${HR}Kind: [a]\n`, 'field helmRelease.Kind of type string', 13],
  // ghodss/yaml writes a number as text only for string fields it sees, and baseObject's it does not.
  [
    'a HelmRelease with apiVersion a number',
    `${HR}apiVersion: 1\n`,
    'cannot unmarshal number into Go struct field helmRelease.APIVersion',
    13,
  ],
  ['a HelmRelease with apiVersion yes', `${HR}apiVersion: yes\n`, 'cannot unmarshal bool into Go struct', 13],
  ['a HelmRelease with APIVERSION 1.0', `${HR}APIVERSION: 1.0\n`, 'cannot unmarshal number into Go', 13],
  ['a HelmRelease with meta.name a number', `${HR}meta: {name: 1}\n`, 'field .Meta.Name of type string', 13],
  [
    'a HelmRelease with a meta annotation a number',
    `${HR}meta: {annotations: {a: 1}}\n`,
    'field .Meta.Annotations of type string',
    13,
  ],
  ['a HelmRelease with apiVersion null', `${HR}apiVersion: ~\n`, 'reads', undefined],
  [
    'a HelmRelease with .nan in its values',
    `${HR}spec:\n  values:\n    x: [1, .nan]\n`,
    'unsupported value: NaN',
    15,
  ],
  ['a HelmRelease with .inf in a label', `${HR}status: -.inf\n`, 'unsupported value: -Inf', 13],
  ['a HelmRelease with a null key', `${HR}spec:\n  values:\n    ~: x\n`, 'Unsupported map key', 15],
  ['a HelmRelease with .nan as a key', `${HR}spec:\n  values:\n    .nan: x\n`, 'reads', undefined],
  ['a HelmRelease with keys 1 and "1"', `${HR}spec:\n  values: {1: a, "1": b}\n`, 'reads', undefined],
  ['a HelmRelease with a number under values', `${HR}spec:\n  values: {image: 1}\n`, 'reads', undefined],
  [
    'a HelmRelease with an annotation a number',
    `kind: HelmRelease\nmetadata: {annotations: {a: 1}}\n`,
    'reads',
    undefined,
  ],
  [
    'a HelmRelease with a timestamp',
    `${HR}spec: {values: {x: 2001-12-14t21:59:43.10-05:00}}\n`,
    'reads',
    undefined,
  ],
  ['a FluxHelmRelease with spec a list', 'kind: FluxHelmRelease\nspec: [a]\n', 'cannot unmarshal array', 12],
  ['a ConfigMap with spec a list', `${CM}spec: [a]\n`, 'reads', undefined],
  ['a ConfigMap with .nan', `${CM}data: {x: .nan}\n`, 'reads', undefined],
  [
    'a List item HelmRelease with spec a list',
    'kind: List\nitems:\n- kind: HelmRelease\n  spec: [a]\n',
    'Flux v1 then panicked on the nil item',
    14,
  ],
].map(([name, doc, observed, line]) => [
  name as string,
  `${release(['image: repo/a:1'], [], 'a')}---\n${doc as string}`,
  observed as string,
  line as number | undefined,
]);
