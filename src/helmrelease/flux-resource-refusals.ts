/**
 * What Flux v1 refused in a document that is valid YAML, failing its whole file (FLUX-V1-RULES §0
 * step 1). ParseMultidoc decoded each document with yaml.v2, wrote it back and read that into its
 * baseObject (`unmarshalObject`: `apiVersion` and `kind` strings, `metadata` of `name` and
 * `namespace` strings and `annotations`, a map of strings). Observed from yaml.v2 2.4.0
 * (scripts/go-yaml), the file failed on
 *
 *   an explicit tag its value does not fit    `x: !!int abc` ("cannot decode !!str `abc` as a
 *                                             !!int"), anywhere in the document (go-scalars.ts)
 *   a document that is not a map              `hello`, `"null"`, `1`, `- a`, `[]` ("cannot unmarshal
 *                                             !!str `hello` into resource.baseObject")
 *   a map or a list where a string goes       `kind`, `apiVersion`, `metadata.name`,
 *                                             `metadata.namespace`, an annotation's value
 *   anything but a map where a map goes       `metadata` and `metadata.annotations` as a list or a
 *                                             scalar (`""` too)
 *
 * A null is read as nothing, a number or a boolean as its text, so neither is refused; nor is any
 * other field (`metadata.labels: [a]`). A repeated key is read as its last value (yaml.v2 kept
 * it), an alias as what it names, and a merge key (`<<`) as yaml.v2 merged it ({@link fields}); a
 * `kind` ending in `List` needs `items` to be a list of maps. A HelmRelease's own reading is
 * read-release.ts's; this reads the documents the scan does not (invalid-documents.ts). Pure.
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type YAMLMap } from 'yaml';

import { decodeRefusal } from './go-yaml-decode-refusals.js';
import { explicitTagProblem } from './go-scalars.js';
import { scalarText } from './go-yaml-documents.js';
import { describe, field, fields, type Field } from './go-yaml-fields.js';
import { helmReleaseJsonRefusal, helmReleaseShapeRefusal } from './helm-release-json-refusals.js';
import { isNull, isWrittenBackMergeKey } from './yaml-nodes.js';

/** Why Flux v1 could not load a document that is valid YAML, at an offset of it. */
export interface ResourceRefusal {
  pos: number;
  what: string;
}

/**
 * A quoted `"<<"` in a map the baseObject reads, on anything but a map or a list of them: yaml.v2
 * read it as a key, but the write-back unquoted it, and the second read refused the merge.
 */
function writtenBackMerge(doc: Document, map: YAMLMap, path: string): ResourceRefusal | undefined {
  for (const pair of map.items) {
    if (!isWrittenBackMergeKey(pair.key)) continue;
    const value = (isAlias(pair.value) ? pair.value.resolve(doc) : pair.value) as Node | null | undefined;
    const maps = (node: unknown) => isMap(isAlias(node) ? node.resolve(doc) : node);
    if (isMap(value) || (isSeq(value) && value.items.every(maps))) continue;
    return {
      pos: (pair.key as Node).range?.[0] ?? 0,
      what: `a "<<" key in ${path} is not on a map, and Flux v1 wrote it back as a merge key (<<), which takes maps: rename it, or remove it`,
    };
  }
  return undefined;
}

/** A map or a list where Flux read a string. */
function notString(doc: Document, map: YAMLMap, key: string, path: string, fix = 'write a single value') {
  const { node, pos } = field(doc, map, key);
  if (!isMap(node) && !isSeq(node)) return undefined;
  return { pos, what: `${path} is ${describe(node)}, which Flux v1 reads as a string: ${fix}` };
}

/** Anything but a map (or null) where Flux read a map. */
function notMap({ node, pos }: Field, path: string, fix: string): ResourceRefusal | undefined {
  if (node === undefined || isNull(node) || isMap(node)) return undefined;
  return { pos, what: `${path} is ${describe(node)}, which Flux v1 reads as a map: ${fix}` };
}

/**
 * A `kind` ending in `List` whose `items` Flux v1 could not read: not a list of maps (nulls pass
 * that read), and, for the document's own List (not `nested` in another), an item it could not
 * read as a resource or that has no kind. Its unmarshalList stopped at such an item, left it and
 * the rest nil (as it leaves an item of no kind), and ParseMultidoc then called ResourceID on the
 * nil: fluxd panicked. A List inside a List was one resource to Flux, its items never looked at.
 */
function listRefusal(doc: Document, root: YAMLMap, nested: boolean): ResourceRefusal | undefined {
  const { node: kind } = field(doc, root, 'kind');
  if (!isScalar(kind) || !scalarText(kind).endsWith('List')) return undefined;
  const items = field(doc, root, 'items');
  if (isNull(items.node)) return undefined;
  const fix = 'write each item as a map (kind, metadata, ...), or remove it';
  if (!isSeq(items.node))
    return { pos: items.pos, what: `items is ${describe(items.node as Node)}, not a list: ${fix}` };
  for (const item of items.node.items) {
    const node = (isAlias(item) ? item.resolve(doc) : item) as Node | null;
    const pos = (item as Node | null)?.range?.[0] ?? items.pos;
    if (node !== null && !isNull(node) && !isMap(node))
      return { pos, what: `an item of items is ${describe(node)}, not a map: ${fix}` };
    if (nested) continue;
    const itemKind = isMap(node) ? field(doc, node, 'kind').node : undefined;
    if (isNull(itemKind) || (isScalar(itemKind) && scalarText(itemKind) === '')) {
      return {
        pos,
        what:
          'an item of items has no kind, and Flux v1 failed on the empty resource it made of it: ' +
          'give the item its kind, or remove it',
      };
    }
    const refused = baseObjectRefusal(doc, node as YAMLMap, true);
    if (refused) return { ...refused, what: `in an item of items, ${refused.what}` };
  }
  return undefined;
}

/**
 * What Flux v1 refused in the `items` of a document that is a List, or undefined (no List, or one
 * it read): for the scan, which reads a List's HelmReleases only when Flux could.
 */
export function listItemsRefusal(doc: Document, root: YAMLMap): ResourceRefusal | undefined {
  return listRefusal(doc, root, false);
}

/** What Flux v1's baseObject refused in a document's root, or undefined. */
function baseObjectRefusal(doc: Document, root: Node, nested = false): ResourceRefusal | undefined {
  if (!isMap(root)) {
    if (isNull(root)) return undefined;
    return {
      pos: root.range?.[0] ?? 0,
      what:
        `the document is ${describe(root)}, not a resource (a map of kind, metadata, ...), which Flux v1 ` +
        'reads every document as: remove it, or make it a comment',
    };
  }
  const kind =
    writtenBackMerge(doc, root, 'the document') ??
    notString(doc, root, 'kind', 'kind') ??
    notString(doc, root, 'apiVersion', 'apiVersion');
  if (kind) return kind;
  const kindText = field(doc, root, 'kind').node;
  return (
    metadataRefusal(doc, root) ??
    listRefusal(doc, root, nested) ??
    (isScalar(kindText) ? helmReleaseJsonRefusal(doc, root, scalarText(kindText)) : undefined)
  );
}

/**
 * What Flux v1 refused in a HelmRelease document's own fields (`apiVersion: [v1]`, `metadata: ""`,
 * `metadata.annotations: [a]`, `spec: [a]`, `apiVersion: 1`), which failed its whole file, or
 * undefined. For the scan, which reads only the fields it uses and takes the rest as Flux did
 * (go-yaml-keys.ts refuses the keys and values yaml.v2 or JSON could not hold, so they are not
 * walked again here), and whose release's document the plan takes as loaded when it edits it.
 */
export function helmReleaseFieldsRefusal(doc: Document, root: YAMLMap): ResourceRefusal | undefined {
  return (
    writtenBackMerge(doc, root, 'the document') ??
    notString(doc, root, 'kind', 'kind') ??
    notString(doc, root, 'apiVersion', 'apiVersion') ??
    metadataRefusal(doc, root) ??
    helmReleaseShapeRefusal(doc, root)
  );
}

/** What Flux v1's baseObject refused in a document's metadata, or undefined. */
function metadataRefusal(doc: Document, root: YAMLMap): ResourceRefusal | undefined {
  const metadata = field(doc, root, 'metadata');
  const notAMap = notMap(
    metadata,
    'metadata',
    'write name, namespace and annotations under it, or remove it',
  );
  if (notAMap || !isMap(metadata.node)) return notAMap;
  const name =
    writtenBackMerge(doc, metadata.node, 'metadata') ??
    notString(doc, metadata.node, 'name', 'metadata.name') ??
    notString(doc, metadata.node, 'namespace', 'metadata.namespace');
  if (name) return name;
  const annotations = field(doc, metadata.node, 'annotations');
  const notAnnotations = notMap(
    annotations,
    'metadata.annotations',
    'write each annotation as a key: value line under it, or remove it',
  );
  if (notAnnotations || !isMap(annotations.node)) return notAnnotations;
  const merged = writtenBackMerge(doc, annotations.node, 'metadata.annotations');
  if (merged) return merged;
  for (const [key, { node, pos }] of fields(doc, annotations.node)) {
    if (!isMap(node) && !isSeq(node)) continue;
    return {
      pos,
      what: `the annotation ${key} is ${describe(node)}, which Flux v1 reads as a string: quote it, or write a single value`,
    };
  }
  return undefined;
}

/** The first scalar in the document whose explicit tag yaml.v2 refuses (`!!int abc`), or undefined. */
function tagRefusal(doc: Document): ResourceRefusal | undefined {
  let found: ResourceRefusal | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (node.tag === undefined) return undefined;
      const problem = explicitTagProblem(scalarText(node), node.tag);
      if (problem === undefined) return undefined;
      found = {
        pos: node.range?.[0] ?? 0,
        what: `${problem}: remove the tag, or give it a value of that type`,
      };
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Why Flux v1 could not load `doc`, a document of `text` with no syntax error, or undefined when
 * it could: what its first decode refused (go-yaml-decode-refusals.ts, and the tags, looked at only
 * when the document's text has a `!`), else what its baseObject refused.
 */
export function resourceRefusal(doc: Document, text: string): ResourceRefusal | undefined {
  const [start, , end] = doc.range ?? [0, 0, text.length];
  const bang = text.indexOf('!', start);
  const tagged = bang !== -1 && bang < end ? tagRefusal(doc) : undefined;
  // Both are yaml.v2's first decode, which stopped at the first in the text.
  const decoded = decodeRefusal(doc);
  if (tagged || decoded) return decoded && (!tagged || decoded.pos < tagged.pos) ? decoded : tagged;
  return doc.contents === null ? undefined : baseObjectRefusal(doc, doc.contents);
}
