import type { ImageReference } from '../image/reference.js';
import type { Problem } from '../problems.js';
import type { DetectionMode } from './detect-deep.js';

/**
 * Where a scalar's text sits in the file: `start`/`end` are offsets into the file's text (as a
 * JavaScript string, so UTF-16 code units, the BOM included when present), covering the scalar's
 * source including its quotes. `line` is 1-based.
 */
export interface SourceRange {
  start: number;
  end: number;
  line: number;
}

/** How a scalar is written in the YAML source. */
export type ScalarStyle = 'plain' | 'single' | 'double' | 'block';

/** A scalar holding (part of) an image reference, with its value and where it is written. */
export interface ValueSource {
  /** The scalar's string value. */
  value: string;
  /** The scalar's source range, quotes included. */
  range: SourceRange;
  /** How the scalar is written. */
  style: ScalarStyle;
  /** A plain scalar tagged `!!str` or `!`: whatever its text, every YAML reader takes it as a string. */
  taggedString?: true;
}

/** Where the tag of an occurrence lives, and so which bytes an update rewrites. */
export interface TagLocation {
  /**
   * `tag`: a separate scalar holds just the tag (`tag: 4.0.3`), so an update rewrites that scalar.
   * `reference`: the tag is the end of an image or repository string (`image: repo:4.0.3`), so an
   * update rewrites that scalar with only its tag changed. `none`: the image has no tag.
   */
  kind: 'tag' | 'reference' | 'none';
  /** The scalar to rewrite (absent for `none`). */
  scalar?: ValueSource;
  /**
   * For `none`: the map has a `tag` key that is not a string (`tag: 4.0`), which Flux ignored;
   * the scan has reported it at its line.
   */
  ignoredTagReported?: boolean;
  /** With `ignoredTagReported`: the ignored `tag` is a YAML alias (`tag: *t`), not an unquoted value. */
  ignoredTagAlias?: boolean;
  /**
   * For `none`: beside the image string, a key Flux does not read holds the tag (`imageTag: 1.7.14`,
   * as the traefik and minecraft charts name it): the `spec.values` paths of the image and of that
   * key, so the skip can say which alias annotations would have it updated.
   */
  unreadTagKey?: { imagePath: string; tagPath: string };
}

/** The policy annotations of a HelmRelease, as Flux v1 reads them. */
export interface ReleasePolicies {
  /** `fluxcd.io/automated: "true"` (or the `flux.weave.works` form). */
  automated: boolean;
  /** `fluxcd.io/locked: "true"`. */
  locked: boolean;
  /** `fluxcd.io/ignore: "true"`. */
  ignored: boolean;
  /** The key that locks it when that is not `fluxcd.io/locked` (`flux.weave.works/locked`). */
  lockedBy?: string;
  /** The key that ignores it when that is not `fluxcd.io/ignore` (`flux.weave.works/ignore`). */
  ignoredBy?: string;
  /**
   * The value that locks it as written, when it is not the string "true": `"True"` (a string, in
   * quotes) or `yes` (a YAML non-string, as written). Said back so, as the warning about it says it.
   */
  lockedValue?: string;
  /** The value that ignores it as written, when it is not the string "true" (as {@link lockedValue}). */
  ignoredValue?: string;
  /** `fluxcd.io/locked_msg` (or the `flux.weave.works` form): why a locked release is locked. */
  lockedMessage?: string;
  /**
   * Why the release gets no update at all, when a policy annotation is unusable (a filter that
   * names no container or does not parse, a misspelt filter, locked or ignore key): ignoring it
   * could loosen the policy its author meant. The problem itself is reported at its line.
   */
  blocked?: string;
  /**
   * Where the error that set `blocked` is: the first unusable annotation's line in the release's
   * own file, or the line of a hold written in another file (a Kustomize patch document's
   * annotation, a kustomization's line).
   */
  blockedAt?: { file: string; line: number };
  /**
   * The other lines that hold it too, each with its own error (a second overlay's lock, a
   * kustomization holding a release its own annotation or a patch document holds already); absent
   * when one line holds it. `blocked` says only the first (`blockedAt`).
   */
  alsoHeldAt?: { file: string; line: number }[];
  /** `helmrelease-image-updater.io/minimum-release-age` (ms), overriding the input. */
  minimumReleaseAgeMs?: number;
  /** Why the release is held back when a `.flux.yaml` (Flux v1 manifest generation) governs its file. */
  generated?: string;
  /** The `.flux.yaml` that governs the file, when `generated` is set. */
  generatedBy?: string;
}

/** A tag filter annotation for one container, before it is parsed into a filter. */
export interface FilterAnnotation {
  /** The annotation key that won (`filter.fluxcd.io/app`). */
  key: string;
  /** The annotation value, exactly as written (`semver:~4.0`). */
  value: string;
  /** Line of the annotation. */
  line: number;
}

/**
 * An anchored node that holds text an update of an image would rewrite (its tag, or its `digest:`
 * key), named by an alias of the same document: an edit would change what the alias reads too.
 */
export interface SharedAnchor {
  /** The anchor's name (`t` for `&t`). */
  anchor: string;
  /** Which text it holds. */
  of: 'tag' | 'digest';
  /** Whether the anchored node is that scalar itself (else a map or list holding it). */
  scalar: boolean;
  /** The line of the first alias that names it. */
  aliasLine: number;
}

/** One container image found in a HelmRelease's `spec.values`. */
export interface ImageOccurrence {
  /** The container name: `chart-image`, the subsection key, or the alias. */
  container: string;
  /** `detected` by the value shapes, or mapped by `repository.fluxcd.io/<alias>` annotations. */
  source: 'detected' | 'alias';
  /** The reference Flux builds from the values (`[registry/]repository[:tag]`). */
  reference: ImageReference;
  /** Where the tag lives; an update rewrites only that scalar. */
  tag: TagLocation;
  /** The line to report for this container (the line of the tag, else of the image). */
  line: number;
  /** A `digest:` key with a value beside the tag, which pins the image whatever the tag says. */
  digestKey?: ValueSource;
  /** The filter annotation for this container, if any (absent means `glob:*`). */
  filter: FilterAnnotation | undefined;
  /** An anchor on its tag (or a node holding it) that an alias reuses: it is never edited. */
  sharedAnchor?: SharedAnchor;
}

/** A HelmRelease document and the images in it. */
export interface HelmRelease {
  /** Repository-relative path of the file. */
  file: string;
  /** 0-based index of the YAML document in the file. */
  documentIndex: number;
  /** `metadata.namespace`, or undefined when absent. */
  namespace: string | undefined;
  /** `metadata.name` ('' when absent). */
  name: string;
  /** `apiVersion` as written. */
  apiVersion: string;
  /** Line of the document's `kind: HelmRelease`. */
  line: number;
  /** The release's policy annotations. */
  policies: ReleasePolicies;
  /** The containers, `chart-image` first, then by name (byte order). */
  containers: ImageOccurrence[];
  /** How its images were found, when `deep` (the input or its detection annotation). */
  detection?: DetectionMode;
  /**
   * A document without a chart (a Kustomize patch, most likely): its first annotation that narrows
   * updates (a lock, a filter), which then holds the release of the same name in other files back.
   */
  patch?: {
    key: string;
    line: number;
    /** The containers its narrowing annotations are for (undefined: every container). */
    forContainers: (string | undefined)[];
    /** The `spec.values` paths it writes: a tag it writes is the one deployed, not the base's. */
    valuePaths: ReadonlySet<string>;
    /** The aliases its own annotations declare: a filter for one names a container it adds. */
    aliases: ReadonlySet<string>;
    /** Its filters' keys, by container: the error names one that names no container. */
    filterKeys: ReadonlyMap<string, string>;
    /** Written under metadata.labels, which Flux ignores: meant as an annotation. */
    asLabel?: true;
  };
}

/** What detection found in one file. */
export interface FileScan {
  file: string;
  /** The `detection` input the file was scanned with, when `deep` (re-reads must use it too). */
  detection?: DetectionMode;
  releases: HelmRelease[];
  problems: Problem[];
}

/** `namespace/name` (or just `name`) of a release, as shown to users. */
export function releaseId(release: Pick<HelmRelease, 'namespace' | 'name'>): string {
  return release.namespace ? `${release.namespace}/${release.name}` : release.name;
}

/**
 * Where the scalars an occurrence reads start: its tag's, and its `digest:` key's. Two containers
 * reading a scalar at one start read the same text (an alias on a detected image's paths).
 */
export function scalarStartsOf(occurrence: ImageOccurrence): number[] {
  const starts: number[] = [];
  if (occurrence.tag.scalar) starts.push(occurrence.tag.scalar.range.start);
  if (occurrence.digestKey) starts.push(occurrence.digestKey.range.start);
  return starts;
}
