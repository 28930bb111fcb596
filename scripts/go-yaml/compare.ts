/**
 * Holds this project's YAML reader (src/helmrelease) against gopkg.in/yaml.v2 2.4.0 and
 * ghodss/yaml as Flux v1 used them (scripts/go-yaml/main.go), over scripts/go-yaml/corpus.ts,
 * and prints every divergence: whether the file is readable at all, which documents are
 * HelmReleases, their annotations, their spec.values as Flux saw them (JSON types), the containers
 * found, and each document's scalars as yaml.v2 typed them; and any case whose pinned answer
 * (`observed`, from a test's rows) yaml.v2 no longer gives.
 *
 *   npx tsx scripts/go-yaml/compare.ts                     # runs the Go harness (needs Go, see run.sh)
 *   npx tsx scripts/go-yaml/compare.ts --save go.json      # ... and keeps its output
 *   npx tsx scripts/go-yaml/compare.ts --go-output go.json # compares with a kept output, no Go
 *   npx tsx scripts/go-yaml/compare.ts --only 'merge'      # cases whose name matches a regex
 *
 * "Ours" for values is the `yaml` package's view of the reader's tree (keys as normaliseKeys makes
 * them, aliases resolved, merge keys as the YAML spec merges them), which is not what detection
 * follows (it follows neither aliases nor merges) but shows where the two models part.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type YAMLMap,
} from 'yaml';
import { readAnnotations } from '../../src/helmrelease/annotations.js';
import { parseFile, scalarText, scalarType } from '../../src/helmrelease/go-yaml-documents.js';
import { normaliseKeys } from '../../src/helmrelease/go-yaml-keys.js';
import { firstInvalidDocument } from '../../src/helmrelease/invalid-documents.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { asMap, getValue, isMergeKey } from '../../src/helmrelease/yaml-nodes.js';
import { allCases, type Case } from './corpus.js';

interface GoDoc {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  annotations: Record<string, string> | null;
  values?: unknown;
  containers?: [string, string][];
}
interface GoOutput {
  name: string;
  error?: string;
  docs: GoDoc[];
  raw: unknown[];
  rawError?: string;
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};

function runGo(cases: readonly Case[]): GoOutput[] {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const result = spawnSync('bash', [`${dir}run.sh`], {
    input: JSON.stringify(cases),
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`the Go harness failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as GoOutput[];
}

/** A scalar as "type:value", the way main.go writes yaml.v2's values. */
function typedScalar(node: Node): string {
  if (!isScalar(node)) return 'collection:';
  const t = scalarType(node);
  switch (t.type) {
    case 'str':
      return `str:${scalarText(node)}`;
    case 'null':
      return 'null:';
    case 'bool':
      return `bool:${t.value}`;
    case 'int':
      return `int:${t.value}`;
    case 'float':
      return `float:${goFloat64(t.value)}`;
  }
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), as main.go writes floats. */
function goFloat64(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, exp] = f.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(f);
}

/** Entries of a map with merge keys applied as the YAML spec says: explicit keys win, then earlier merged maps. */
function mergedEntries(map: YAMLMap, doc: Document, seen: number): [Node | null, unknown][] {
  const explicit: [Node | null, unknown][] = [];
  const merged: [Node | null, unknown][] = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      const value = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
      const sources = isSeq(value) ? value.items : [value];
      for (const source of sources) {
        const target = isAlias(source) ? source.resolve(doc) : source;
        if (isMap(target) && seen < 50) merged.push(...mergedEntries(target, doc, seen + 1));
      }
    } else {
      explicit.push([pair.key as Node | null, pair.value]);
    }
  }
  return [...merged.reverse(), ...explicit];
}

/** The raw tree: every scalar (keys too) as "type:value", aliases resolved, merges applied. */
function rawTree(node: unknown, doc: Document, depth = 0): unknown {
  if (depth > 60) return 'too-deep:';
  if (node === null || node === undefined) return 'null:';
  if (isAlias(node)) return rawTree(node.resolve(doc), doc, depth + 1);
  if (isScalar(node)) return typedScalar(node);
  if (isSeq(node)) return node.items.map((item) => rawTree(item, doc, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of mergedEntries(node, doc, 0)) {
      let k: string;
      if (isAlias(key)) {
        const target = key.resolve(doc);
        k = target && isScalar(target) ? typedScalar(target) : 'alias:';
      } else if (isScalar(key) && scalarText(key).startsWith('\uE000')) {
        k = `aliaskey:${scalarText(key).slice(1)}`;
      } else if (isScalar(key)) {
        k = typedScalar(key);
      } else {
        k = 'collection:';
      }
      out[k] = rawTree(value, doc, depth + 1);
    }
    return out;
  }
  return 'unknown:';
}

/** The JSON Flux's ghodss/yaml step would make of a subtree whose keys normaliseKeys has made strings. */
function jsonTree(node: unknown, doc: Document, depth = 0): unknown {
  if (depth > 60) return 'too-deep';
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return jsonTree(node.resolve(doc), doc, depth + 1);
  if (isScalar(node)) {
    const t = scalarType(node);
    switch (t.type) {
      case 'str':
        return scalarText(node);
      case 'null':
        return null;
      case 'bool':
        return t.value;
      case 'int':
        return Number(t.value);
      case 'float':
        return t.value;
    }
  }
  if (isSeq(node)) return node.items.map((item) => jsonTree(item, doc, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of mergedEntries(node, doc, 0)) {
      out[isScalar(key) ? String(key.value) : '?'] = jsonTree(value, doc, depth + 1);
    }
    return out;
  }
  return undefined;
}

interface OurDoc {
  name: string;
  annotations: Record<string, string>;
  values: unknown;
}

/** Our reader's HelmRelease documents (a document's List opened, not a List in it), with annotations and values. */
function ourDocs(text: string): OurDoc[] {
  const { docs, lines } = parseFile(text);
  const found: OurDoc[] = [];
  const read = (root: YAMLMap, doc: Document, l: LineCounter, depth: number) => {
    const first = root.items[0]?.key;
    if (isScalar(first) && typeof first.value === 'string') first.value = first.value.replace(/^\uFEFF/, '');
    const kindNode = getValue(root, 'kind');
    const kind = isScalar(kindNode) ? scalarText(kindNode) : '';
    if (kind === 'HelmRelease') {
      if (normaliseKeys(root).unreadable) return;
      const metadata = asMap(getValue(root, 'metadata'));
      const annotations: Record<string, string> = {};
      for (const a of readAnnotations(asMap(metadata && getValue(metadata, 'annotations')), l)) {
        annotations[a.key] = a.value;
      }
      const nameNode = metadata && getValue(metadata, 'name');
      const spec = asMap(getValue(root, 'spec'));
      found.push({
        name: isScalar(nameNode) ? scalarText(nameNode) : '',
        annotations,
        values: spec ? jsonTree(getValue(spec, 'values'), doc) : null,
      });
    } else if (kind.endsWith('List') && depth === 0) {
      const items = getValue(root, 'items');
      if (isSeq(items)) for (const item of items.items) if (isMap(item)) read(item, doc, l, depth + 1);
    }
  };
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    const root = asMap(doc.contents);
    if (root) read(root, doc, lines, 0);
  }
  return found;
}

function ourRaw(text: string): unknown[] {
  return parseFile(text).docs.map((doc) => (doc.errors.length ? 'error:' : rawTree(doc.contents, doc)));
}

/** Deep equality with numbers compared as Go's float64 and "float:" texts as numbers. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && a.startsWith('float:') && b.startsWith('float:')) {
    const num = (s: string) => {
      const v = s.slice(6);
      return v === '+Inf' || v === 'Infinity'
        ? Infinity
        : v === '-Inf' || v === '-Infinity'
          ? -Infinity
          : Number(v);
    };
    const [x, y] = [num(a), num(b)];
    return x === y || (Number.isNaN(x) && Number.isNaN(y));
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      same(ka, kb) &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}

/** Where two trees first differ, as a path and both sides. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (!same(x, y)) return firstDifference(x, y, `${path}/${k}`);
    }
  }
  return `${path || '/'}: yaml.v2 ${JSON.stringify(a)} / ours ${JSON.stringify(b)}`;
}

export interface Divergence {
  case: string;
  what: string;
  detail: string;
}

export function compare(c: Case, go: GoOutput): Divergence[] {
  const out: Divergence[] = [];
  const add = (what: string, detail: string) => out.push({ case: c.name, what, detail });
  const scan = scanFile('case.yaml', c.text);
  const errors = scan.problems.filter((p) => p.severity === 'error');
  const skipped = scan.problems.filter((p) =>
    /YAML syntax error|could not parse|document skipped|nests too deeply/.test(p.message),
  );
  if (
    c.observed !== undefined &&
    (c.observed === 'reads' ? go.error !== undefined : !go.error?.includes(c.observed))
  )
    add(
      'pinned',
      `a test pins yaml.v2's answer as "${c.observed}"; yaml.v2 says ${go.error ?? 'nothing (reads)'}`,
    );
  const goReleases = go.docs.filter((d) => d.kind === 'HelmRelease');
  // What the plan holds a file for: a document Flux v1 could not load, whichever it is.
  const invalid = firstInvalidDocument(c.text, () => false);
  const ourUnreadable = errors.length > 0 || skipped.length > 0 || invalid !== undefined;
  if (go.error && !ourUnreadable) {
    add(
      'file',
      `yaml.v2 refuses the file (${go.error}); ours reads it with no error (${scan.releases.length} release(s))`,
    );
  } else if (!go.error && errors.length > 0) {
    add('file', `yaml.v2 reads the file; ours: ${errors.map((e) => `${e.line}: ${e.message}`).join(' | ')}`);
  } else if (!go.error && skipped.length > 0) {
    add('file', `yaml.v2 reads the file; ours skips a document: ${skipped[0].message}`);
  } else if (!go.error && invalid) {
    add('file', `yaml.v2 reads the file; ours holds it: ${invalid.line}: ${invalid.what}`);
  }
  if (!go.error && errors.length === 0) {
    const goNames = goReleases.map((d) => d.name);
    const ourNames = scan.releases.map((r) => r.name);
    if (!same(goNames, ourNames))
      add('releases', `yaml.v2 ${JSON.stringify(goNames)} / ours ${JSON.stringify(ourNames)}`);
    const docs = ourDocs(c.text);
    goReleases.forEach((g, i) => {
      const r = scan.releases[i];
      const o = docs[i];
      if (!r || !o) return;
      // Only references Flux's image.ParseRef would take (one tag separator after the last `/`, no
      // empty part); how a reference is parsed is not the YAML reader's business.
      const parses = (ref: string) => {
        const path = ref.split('@')[0];
        const last = path.slice(path.lastIndexOf('/') + 1);
        return (
          !/^\/|\/$|\/\/|\s/.test(path) && last.split(':').length <= 2 && !/^:|:$/.test(last) && path !== ''
        );
      };
      const goContainers = (g.containers ?? []).filter(([, ref]) => parses(ref)).map(([n, ref]) => [n, ref]);
      const ourContainers = r.containers
        .map((x) => [x.container, x.reference.text])
        .sort((p, q) => (p[0] < q[0] ? -1 : 1));
      if (!same(goContainers, ourContainers)) {
        add(
          'containers',
          `${g.name}: yaml.v2 ${JSON.stringify(goContainers)} / ours ${JSON.stringify(ourContainers)}`,
        );
      }
      if (!same(g.annotations ?? {}, o.annotations))
        add('annotations', `${g.name}: ${firstDifference(g.annotations ?? {}, o.annotations)}`);
      if (!same(g.values ?? null, o.values ?? null))
        add('values', `${g.name}: ${firstDifference(g.values ?? null, o.values ?? null)}`);
    });
  }
  if (!go.rawError) {
    const raw = ourRaw(c.text);
    const comparable = raw.filter((r) => r !== 'null:' && r !== 'error:');
    const goRaw = go.raw.filter((r) => r !== 'null:');
    if (
      comparable.length === goRaw.length &&
      !same(goRaw, comparable) &&
      !JSON.stringify(comparable).includes('aliaskey:')
    ) {
      add('raw', firstDifference(goRaw, comparable));
    }
  }
  return out;
}

function main() {
  const only = option('--only');
  const cases = allCases().filter((c) => !only || new RegExp(only).test(c.name));
  const kept = option('--go-output');
  const go = kept ? (JSON.parse(readFileSync(kept, 'utf8')) as GoOutput[]) : runGo(cases);
  const save = option('--save');
  if (save) writeFileSync(save, JSON.stringify(go, null, 1));
  const byName = new Map(go.map((g) => [g.name, g]));
  let count = 0;
  for (const c of cases) {
    const g = byName.get(c.name);
    if (!g) continue;
    for (const d of compare(c, g)) {
      count += 1;
      console.log(`[${d.what}] ${d.case}\n    ${d.detail}`);
    }
  }
  console.log(`${cases.length} cases, ${count} divergences`);
}

main();
