/**
 * The fields of a kustomization, of its patch entries and of their targets, as Kustomize decodes
 * them (api/types/kustomization.go: sigs.k8s.io/yaml's YAMLToJSON, then encoding/json with
 * DisallowUnknownFields): matched in any case, "preferring an exact match but also accepting a
 * case-insensitive match", and any other field refused, so the kustomization does not build.
 * A field this Action reads written otherwise is found here, for the kustomization to be held. Pure.
 *
 *   CommonAnnotations: {...}          read by Kustomize as commonAnnotations
 *   commonAnnotation: {...}           refused by Kustomize: nothing builds until it is fixed
 *   patches:
 *     - Target: {Kind: HelmRelease}   read by Kustomize as target and kind
 */
import { isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { editDistance } from '../edit-distance.js';
import { asMap, getValue, lineOf } from '../helmrelease/yaml-nodes.js';
import type { InvalidKustomization } from './kustomization.js';

/** The fields {@link readKustomization} reads. */
export const READ_FIELDS = [
  'apiVersion',
  'kind',
  'resources',
  'bases',
  'components',
  'commonAnnotations',
  'commonLabels',
  'labels',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'namePrefix',
  'nameSuffix',
  'namespace',
];

/**
 * Every top-level field of Kustomize's kustomization (api/types/kustomization.go): Kustomize
 * refuses any other (`json: unknown field`), and matches these in any case, as Go's encoding/json
 * does (`CommonAnnotations` is commonAnnotations there).
 */
const KUSTOMIZE_FIELDS = new Set(
  [
    ...READ_FIELDS,
    'metadata',
    'openapi',
    'images',
    'replacements',
    'replicas',
    'vars',
    'crds',
    'configMapGenerator',
    'secretGenerator',
    'helmGlobals',
    'helmCharts',
    'helmChartInflationGenerator',
    'generatorOptions',
    'configurations',
    'generators',
    'transformers',
    'validators',
    'inventory',
    'buildMetadata',
    'sortOptions',
  ].map((f) => f.toLowerCase()),
);

/** The fields read that can put annotations on a release, or name what they are put on. */
const NARROWING_FIELDS = READ_FIELDS.filter(
  (f) => !['apiVersion', 'kind', 'namePrefix', 'nameSuffix', 'namespace'].includes(f),
);

/**
 * The fields of a patch entry (Kustomize's types.Patch, under `patches` and `patchesJson6902`) and
 * of its `target` (types.Selector), as Kustomize decodes them: in any case, refusing any other.
 */
const PATCH_FIELDS = ['path', 'patch', 'target', 'options'];
const TARGET_FIELDS = [
  'group',
  'version',
  'kind',
  'name',
  'namespace',
  'labelSelector',
  'annotationSelector',
];

/** Where a mapping's fields are read: the kustomization itself, or a patch entry or its target within it. */
interface FieldsOf {
  /** "a kustomization", "a patch entry", "a patch's target". */
  what: string;
  /** The fields read here, as written. */
  read: readonly string[];
  /** Every field Kustomize has there, lower-case: another key is refused. */
  known: ReadonlySet<string>;
  /** The fields a misspelling may have been meant as: those that put annotations on a release. */
  near: readonly string[];
}

const KUSTOMIZATION_FIELDS: FieldsOf = {
  what: 'a kustomization',
  read: READ_FIELDS,
  known: KUSTOMIZE_FIELDS,
  near: NARROWING_FIELDS,
};
const PATCH_ENTRY_FIELDS: FieldsOf = {
  what: 'a patch entry',
  read: PATCH_FIELDS,
  known: new Set(PATCH_FIELDS),
  near: ['path', 'patch', 'target'],
};
const PATCH_TARGET_FIELDS: FieldsOf = {
  what: "a patch's target",
  read: TARGET_FIELDS,
  known: new Set(TARGET_FIELDS.map((f) => f.toLowerCase())),
  near: TARGET_FIELDS,
};
/** The fields of a `labels:` entry (Kustomize's types.Label): only its pairs are put on a release. */
const LABEL_FIELDS = ['pairs', 'includeSelectors', 'includeTemplates', 'fields'];
const LABEL_ENTRY_FIELDS: FieldsOf = {
  what: 'a labels entry',
  read: ['pairs'],
  known: new Set(LABEL_FIELDS.map((f) => f.toLowerCase())),
  near: ['pairs'],
};

/**
 * The first key of a mapping that Kustomize reads otherwise than this file does: one of the fields
 * read written in another case (`CommonAnnotations`, or `Target:` in a patch entry, which Kustomize
 * reads, as Go's encoding/json matches field names in any case, and this file would not), or a
 * misspelling of one (`commonAnnotation`, which Kustomize refuses, so the overlay builds nothing
 * until it is fixed, and then locks what was updated meanwhile).
 */
function misreadField(map: YAMLMap, lines: LineCounter, fields: FieldsOf): InvalidKustomization | undefined {
  for (const pair of map.items) {
    const key = isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
    if (key === undefined || fields.read.includes(key)) continue;
    const lower = key.toLowerCase();
    const line = lineOf(pair.key as Node, lines);
    const sameField = fields.read.find((f) => f.toLowerCase() === lower);
    if (sameField !== undefined) {
      const within = fields === KUSTOMIZATION_FIELDS ? '' : ` in ${fields.what}`;
      return {
        invalid: `Kustomize reads ${key}${within} as ${sameField} (it matches field names in any case), but this Action reads only ${sameField}`,
        line,
        fix: `the field is written ${sameField}`,
      };
    }
    if (fields.known.has(lower)) continue;
    const meant = fields.near.find((f) => editDistance(lower, f.toLowerCase(), 2) <= 2);
    if (meant !== undefined) {
      return {
        invalid: `${key} is no field of ${fields.what} (did you mean ${meant}?), so Kustomize cannot build it`,
        line,
        fix: `the field is spelt ${meant}`,
      };
    }
  }
  return undefined;
}

/**
 * {@link misreadField} of the kustomization, then of each entry of its patch fields and their
 * targets, and of its labels entries.
 */
export function misreadFieldIn(root: YAMLMap, lines: LineCounter): InvalidKustomization | undefined {
  const misread = misreadField(root, lines, KUSTOMIZATION_FIELDS);
  if (misread) return misread;
  for (const field of ['patches', 'patchesJson6902']) {
    const list = getValue(root, field);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      const entry = asMap(item);
      if (!entry) continue;
      const target = asMap(getValue(entry, 'target'));
      const found =
        misreadField(entry, lines, PATCH_ENTRY_FIELDS) ??
        (target && misreadField(target, lines, PATCH_TARGET_FIELDS));
      if (found) return { ...found, inPatch: true };
    }
  }
  const labels = getValue(root, 'labels');
  for (const item of isSeq(labels) ? labels.items : []) {
    const entry = asMap(item);
    const found = entry && misreadField(entry, lines, LABEL_ENTRY_FIELDS);
    if (found) return found;
  }
  return undefined;
}
