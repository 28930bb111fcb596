/**
 * Reads a Kustomize kustomization file (`kustomization.yaml`, `kustomization.yml`, `Kustomization`)
 * for what can put Flux annotations on a HelmRelease it builds: `commonAnnotations`, patches,
 * components, and the `resources` they apply to. Only these fields are read; files named otherwise
 * are never parsed. Pure.
 *
 *   apiVersion: kustomize.config.k8s.io/v1beta1     (or no apiVersion; kind Kustomization,
 *   kind: Kustomization                              Component, or none)
 *   resources: [../../base, release.yaml]           files and folders, relative to this folder
 *   components: [../../components/locked]
 *   namePrefix: prod-                               names Kustomize gives what it builds
 *   namespace: prod
 *   commonAnnotations: {fluxcd.io/locked: "true"}   put on every resource it builds
 *   patches:                                        strategic merge or JSON6902, file or inline
 *     - target: {kind: HelmRelease, name: app}
 *       patch: |
 *         - op: add
 *           path: /metadata/annotations/fluxcd.io~1locked
 *           value: "true"
 *     - path: lock-patch.yaml
 *   patchesStrategicMerge: [lock-patch.yaml]         (older fields, still read by Kustomize)
 *   patchesJson6902: [{target: {...}, path: ops.yaml}]
 *
 * Flux's own `Kustomization` (kustomize.toolkit.fluxcd.io) is another thing and is not read.
 */
import { isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { readAnnotations, type Annotation } from '../helmrelease/annotations.js';
import { parseFile } from '../helmrelease/go-yaml-documents.js';
import { STACK_OVERFLOW } from '../helmrelease/syntax-errors.js';
import { asGoString, asMap, getValue, lineOf } from '../helmrelease/yaml-nodes.js';
import { misreadFieldIn, READ_FIELDS } from './kustomization-fields.js';
import { firstUnfollowedIn, stringScalars, UNFOLLOWED_FIX, unfollowedReason } from './unfollowed-aliases.js';

/** The file names Kustomize looks for in a folder, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** True for a path whose file name is one Kustomize reads as a kustomization. */
export function isKustomizationPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(name);
}

/** A path written in a kustomization, and its line. */
export interface PathEntry {
  path: string;
  line: number;
}

/** A patch target (`target:`); each field an anchored regular expression, as in Kustomize. */
export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** A label or annotation selector, which is not evaluated here. */
  selector?: string;
}

/** A patch of a kustomization: its text inline, or a file. */
export interface PatchEntry {
  /** The field it is written under. */
  field: 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';
  /** The entry's line. */
  line: number;
  target?: PatchTarget;
  /** The patch's text written inline, with the line of its first line when that is known. */
  inline?: { text: string; firstLine?: number };
  /** The patch file, as written. */
  path?: string;
}

/** What a kustomization says that can put annotations on a HelmRelease. */
export interface Kustomization {
  file: string;
  /** The folder it is in ('' for the workspace's root). */
  folder: string;
  resources: PathEntry[];
  components: PathEntry[];
  commonAnnotations: Annotation[];
  /**
   * Its commonLabels, read as annotations: a Flux policy key among them (`fluxcd.io/locked`) was
   * meant as an annotation, and Flux ignores labels.
   */
  commonLabels: Annotation[];
  /** The pairs of its `labels` entries (the newer commonLabels), read alike. */
  labels: Annotation[];
  patches: PatchEntry[];
  namePrefix: string;
  nameSuffix: string;
  namespace?: string;
  /** `kind: Component`: its annotations and patches apply to what the kustomization including it builds. */
  component: boolean;
}

/** The folder of a workspace path ('' at the root). */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** A kustomization file that cannot be read: why (a clause, "it is not valid YAML: …"), and where. */
export interface InvalidKustomization {
  invalid: string;
  line?: number;
  /** How to make it readable, when that is more than "it can be read". */
  fix?: string;
  /** What it may list as resources, when that is known better than from its lines. */
  paths?: string[];
  /**
   * True when what cannot be read is a patch entry: its patch file, not read, may narrow, though
   * the kustomization's own text names no policy.
   */
  inPatch?: true;
}

/**
 * The kustomization in `text`; undefined when it is not one Kustomize reads (Flux's own
 * Kustomization, another kind, not a mapping), `invalid` when it is not valid YAML or reaches a
 * field it reads through an alias or merge key (unfollowed-aliases.ts).
 */
export function readKustomization(
  file: string,
  text: string,
): Kustomization | InvalidKustomization | undefined {
  let root: YAMLMap | undefined;
  let lines: LineCounter;
  try {
    const parsed = parseFile(text);
    lines = parsed.lines;
    const broken = parsed.docs.find((d) => d.errors.length > 0);
    if (broken) {
      const [error] = broken.errors;
      const line = error.linePos?.[0].line;
      return { invalid: notYaml(error.message, ': '), ...(line ? { line } : {}) };
    }
    root = asMap(parsed.docs.find((d) => d.contents !== null)?.contents);
  } catch (e) {
    return { invalid: notYaml((e as Error).message, ': ') };
  }
  if (root === undefined) return undefined;
  const apiVersion = asGoString(getValue(root, 'apiVersion'));
  const kind = asGoString(getValue(root, 'kind'));
  if (apiVersion !== undefined && !apiVersion.startsWith('kustomize.config.k8s.io/')) return undefined;
  if (kind !== undefined && kind !== 'Kustomization' && kind !== 'Component') return undefined;
  const unfollowed = firstUnfollowedIn(root, READ_FIELDS, lines);
  if (unfollowed) {
    return {
      invalid: unfollowedReason(unfollowed),
      line: unfollowed.line,
      fix: UNFOLLOWED_FIX,
      paths: stringScalars(root),
    };
  }
  const misread = misreadFieldIn(root, lines);
  if (misread) return { ...misread, paths: stringScalars(root) };
  const annotations = getValue(root, 'commonAnnotations');
  return {
    file,
    folder: folderOf(file),
    resources: readPaths(getValue(root, 'resources'), lines).concat(
      readPaths(getValue(root, 'bases'), lines),
    ),
    components: readPaths(getValue(root, 'components'), lines),
    commonAnnotations: readAnnotations(asMap(annotations), lines),
    commonLabels: readAnnotations(asMap(getValue(root, 'commonLabels')), lines),
    labels: readLabelPairs(getValue(root, 'labels'), lines),
    patches: [
      ...readPatches('patches', getValue(root, 'patches'), lines),
      ...readPatches('patchesStrategicMerge', getValue(root, 'patchesStrategicMerge'), lines),
      ...readPatches('patchesJson6902', getValue(root, 'patchesJson6902'), lines),
    ],
    namePrefix: asGoString(getValue(root, 'namePrefix')) ?? '',
    nameSuffix: asGoString(getValue(root, 'nameSuffix')) ?? '',
    ...optional('namespace', asGoString(getValue(root, 'namespace'))),
    component: kind === 'Component',
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * The first line of a YAML error: the parser adds the lines around the error, which quote the
 * file's text (a value there may be a secret).
 */
function firstLine(message: string): string {
  return message.split('\n')[0];
}

/**
 * Why a text is not read, from the parser's error: "it is not valid YAML" and the error's first
 * line (after `separator`, or in parentheses), or, for the parser's own stack overflow on deep
 * nesting (100,000 `[`), that it nests too deeply, rather than "Maximum call stack size".
 */
export function notYaml(message: string, separator: ': ' | '()'): string {
  const first = firstLine(message);
  if (STACK_OVERFLOW.test(first)) {
    return `it nests too deeply to be read (${first.replace(STACK_OVERFLOW, 'stack overflow').replace(/:$/, '')})`;
  }
  return separator === ': ' ? `it is not valid YAML: ${first}` : `it is not valid YAML (${first})`;
}

/** The strings of a list of paths. */
function readPaths(node: Node | undefined, lines: LineCounter): PathEntry[] {
  if (!isSeq(node)) return [];
  const paths: PathEntry[] = [];
  for (const item of node.items) {
    const path = asGoString(item);
    if (path !== undefined && path !== '') paths.push({ path, line: lineOf(item, lines) });
  }
  return paths;
}

/**
 * The pairs of `labels:` entries (`- pairs: {team: x}`, with includeSelectors, includeTemplates
 * and fields beside them, which say only where Kustomize puts them), as annotations.
 */
function readLabelPairs(node: Node | undefined, lines: LineCounter): Annotation[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    const entry = asMap(item);
    return entry ? readAnnotations(asMap(getValue(entry, 'pairs')), lines) : [];
  });
}

/** The entries of one of the patch fields. */
function readPatches(field: PatchEntry['field'], node: Node | undefined, lines: LineCounter): PatchEntry[] {
  if (!isSeq(node)) return [];
  const entries: PatchEntry[] = [];
  for (const item of node.items) {
    const line = lineOf(item, lines);
    // patchesStrategicMerge lists file paths or inline patches as plain strings.
    if (isScalar(item)) {
      const text = asGoString(item);
      if (text === undefined || text.trim() === '') continue;
      entries.push(
        text.includes('\n') || text.trimStart().startsWith('{')
          ? { field, line, inline: { text, ...blockFirstLine(item, lines) } }
          : { field, line, path: text.trim() },
      );
      continue;
    }
    const map = asMap(item);
    if (!map) continue;
    const patch = getValue(map, 'patch');
    const path = asGoString(getValue(map, 'path'));
    const target = readTarget(asMap(getValue(map, 'target')));
    const entry: PatchEntry = { field, line, ...(target ? { target } : {}) };
    if (isScalar(patch) && typeof patch.value === 'string') {
      entries.push({ ...entry, inline: { text: patch.value, ...blockFirstLine(patch, lines) } });
    } else if (path !== undefined && path !== '') {
      entries.push({ ...entry, path });
    }
  }
  return entries;
}

/** For a literal block scalar (`|`), the line its text starts on: its lines are the file's. */
function blockFirstLine(node: Node, lines: LineCounter): { firstLine?: number } {
  if (!isScalar(node) || node.type !== 'BLOCK_LITERAL' || !node.range) return {};
  return { firstLine: lines.linePos(node.range[0]).line + 1 };
}

/** A patch's `target:`, or undefined without one. */
function readTarget(map: YAMLMap | undefined): PatchTarget | undefined {
  if (map === undefined) return undefined;
  const field = (key: string) => asGoString(getValue(map, key));
  const selector = [field('labelSelector'), field('annotationSelector')].filter((s) => s).join(', ');
  return {
    ...optional('group', field('group')),
    ...optional('version', field('version')),
    ...optional('kind', field('kind')),
    ...optional('name', field('name')),
    ...optional('namespace', field('namespace')),
    ...optional('selector', selector),
  };
}
