/**
 * What Flux v1 refused in a HelmRelease document that yaml.v2 read: unmarshalKind read a
 * `HelmRelease` (and a `FluxHelmRelease`) with ghodss/yaml, which turned the whole document into
 * JSON and decoded that into Flux's struct, failing the whole file (FLUX-V1-RULES §0 step 1) on,
 * observed from yaml.v2 2.4.0 and ghodss/yaml (scripts/go-yaml),
 *
 *   a value JSON cannot hold                  `.nan`, `.inf`, `-.inf` anywhere in the document
 *                                             ("json: unsupported value: NaN")
 *   a key JSON cannot hold                    `~: x`, `null: x`, an integer past int64
 *                                             ("Unsupported map key of type")
 *   a list or a scalar where the struct       `spec: [a]`, `spec: abc`, `spec.values: [a]`,
 *   reads a map                               `spec.values: ""` ("cannot unmarshal array into Go
 *                                             struct field .Spec.Values")
 *   a map or a list where it reads a string   `Kind: [a]`, `meta: {name: {a: b}}`
 *   a number or a boolean where it reads a    `apiVersion: 1`, `apiVersion: yes`, `meta: {name: 1}`
 *   string                                    ("cannot unmarshal number into Go struct field
 *                                             helmRelease.APIVersion of type string")
 *
 * JSON matches a key to a field without regard to case (`Spec`, `SPEC`, `Values` are read as
 * `spec` and `values`), and Flux's struct reads `meta` (its field's name), not `metadata` (whose
 * `name: 1` yaml.v2 read as "1"). A null where a string goes is read, and so is anything under a
 * key the struct does not have. The items of a `kind: List` are not looked at:
 * Flux v1 dropped what it found wrong in them. Pure.
 */
import { isMap, isScalar, isSeq, visit, type Document, type Node, type YAMLMap } from 'yaml';

import type { ResourceRefusal } from './flux-resource-refusals.js';
import { goKeyString, isJsonScalar } from './go-scalars.js';
import { scalarText, scalarType } from './go-yaml-documents.js';
import { describe, fields } from './go-yaml-fields.js';
import { isMergeKey, isNull } from './yaml-nodes.js';

/** What a field of Flux's HelmRelease struct holds: a string, a map of anything, a map of strings, or a struct. */
type FieldShape = 'string' | 'map' | 'map of strings' | StructShape;
interface StructShape {
  [foldedName: string]: FieldShape;
}

/** Flux v1's `HelmRelease` (helmrelease.go, its baseObject in resource.go), as JSON names its fields. */
const HELM_RELEASE: StructShape = {
  apiversion: 'string',
  kind: 'string',
  meta: { namespace: 'string', name: 'string', annotations: 'map of strings' },
  spec: { values: 'map' },
};

/** The kinds unmarshalKind read with ghodss/yaml. */
const JSON_READ_KINDS = new Set(['HelmRelease', 'FluxHelmRelease']);

/**
 * A key as encoding/json compares it with a field's name (bytes.EqualFold): without case, the long
 * s (`ſ`) as an `s` and the Kelvin sign as a `k` (which lowercasing already makes a `k`).
 */
function folded(key: string): string {
  return key.toLowerCase().replace(/ſ/g, 's');
}

/** Why the JSON step refused a field's value, or undefined. */
function shapeRefusal(
  doc: Document,
  node: Node | undefined,
  pos: number,
  shape: FieldShape,
  path: string,
): ResourceRefusal | undefined {
  if (isNull(node)) return undefined;
  const value = node as Node;
  if (shape === 'string') {
    // Every string field of the struct is baseObject's, embedded unexported: ghodss/yaml, which
    // writes a number or a boolean as its text for a string field it knows, does not see those,
    // so JSON's decode meets the number itself and refuses it ("cannot unmarshal number into Go
    // struct field helmRelease.APIVersion of type string").
    if (isScalar(value)) {
      const { type } = scalarType(value);
      if (type !== 'int' && type !== 'float' && type !== 'bool') return undefined;
      return {
        pos,
        what:
          `${path} is the ${type === 'bool' ? 'boolean' : 'number'} ${scalarText(value)}, which Flux v1 reads into a ` +
          `HelmRelease as a string and refuses: quote it (${path}: "${scalarText(value)}")`,
      };
    }
    if (!isMap(value) && !isSeq(value)) return undefined;
    return {
      pos,
      what: `${path} is ${describe(value)}, which Flux v1 reads as a string: write a single value`,
    };
  }
  if (!isMap(value)) {
    return {
      pos,
      what: `${path} is ${describe(value)}, which Flux v1 reads into a HelmRelease as a map: write it as a map, or remove it`,
    };
  }
  if (shape === 'map') return undefined;
  for (const [key, field] of fields(doc, value)) {
    const inner = shape === 'map of strings' ? 'string' : shape[folded(key)];
    if (inner === undefined) continue;
    const refused = shapeRefusal(doc, field.node, field.pos, inner, path === '' ? key : `${path}.${key}`);
    if (refused) return refused;
  }
  return undefined;
}

/** The first value or key in `doc`, in text order, that JSON cannot hold, or undefined. */
function notJsonRefusal(doc: Document): ResourceRefusal | undefined {
  let found: ResourceRefusal | undefined;
  const keep = (pos: number, what: string) => {
    if (!found || pos < found.pos) found = { pos, what };
  };
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key as Node | null;
      if (isMergeKey(key) || (key !== null && !isScalar(key))) return; // go-yaml-decode-refusals.ts
      const text = key === null ? '' : scalarText(key);
      if (key !== null && goKeyString(text, scalarType(key)) !== undefined) return;
      keep(
        key?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? 0,
        `the key ${text === '' ? '(empty)' : text} is null or too large, which Flux v1 cannot read ` +
          'as a key of a HelmRelease: quote it',
      );
    },
    Scalar(key, node) {
      if (key === 'key' || isJsonScalar(scalarType(node))) return;
      keep(
        node.range?.[0] ?? 0,
        `${scalarText(node)} is an infinite number or NaN, which Flux v1 cannot read in a HelmRelease: quote it`,
      );
    },
  });
  return found;
}

/**
 * Why Flux v1's JSON step refused `root`, a document yaml.v2 read as a resource of kind `kind`, or
 * undefined when it is no HelmRelease or was read: a key or value JSON cannot hold (that step came
 * first), else a field of the wrong shape.
 */
export function helmReleaseJsonRefusal(
  doc: Document,
  root: YAMLMap,
  kind: string,
): ResourceRefusal | undefined {
  if (!JSON_READ_KINDS.has(kind)) return undefined;
  return notJsonRefusal(doc) ?? shapeRefusal(doc, root, root.range?.[0] ?? 0, HELM_RELEASE, '');
}

/**
 * What Flux's HelmRelease struct refused in the shape of a HelmRelease's fields (`spec: [a]`,
 * `apiVersion: 1`, `meta: {name: {a: b}}`), without {@link helmReleaseJsonRefusal}'s walk of every
 * key and value, which the scan's own reading makes (go-yaml-keys.ts).
 */
export function helmReleaseShapeRefusal(doc: Document, root: YAMLMap): ResourceRefusal | undefined {
  return shapeRefusal(doc, root, root.range?.[0] ?? 0, HELM_RELEASE, '');
}
