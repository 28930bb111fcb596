/**
 * What in a kustomization (and the components it includes) puts an annotation on the HelmReleases
 * it builds that narrows their updates, and which of those releases each one is for: its
 * `commonAnnotations` are for all of them, a patch for those its target (or, without one, its own
 * kind, name and namespace) selects. Where that cannot be known here (a label selector, a patch
 * file or component that cannot be read), it is for every release it could be for, failing safe,
 * and says why. Pure.
 */
import type { HelmRelease, ImageOccurrence } from '../helmrelease/types.js';
import type { Kustomization, PatchEntry } from './kustomization.js';
import { namesHelmRelease, targetSelects } from './patch-targets.js';
import { isRemote, MAX_DEPTH, resolvePath, unlistedFolderOf, type Rename } from './kustomize-resources.js';
import {
  mayNarrow,
  narrowingAnnotations,
  readPatchAnnotations,
  type NarrowingAnnotation,
  type PatchedAnnotations,
  type PatchReading,
} from './patch-annotations.js';
import { declaredAliases, narrowsAContainer, writesDetectedTag } from '../helmrelease/patch-values.js';
import type { Annotation } from '../helmrelease/annotations.js';
import { throughLinks, type Links, type ThroughLinks } from './linked-paths.js';
import { unfollowedReason } from './unfollowed-aliases.js';

/** A patch file's text, or why it was not read. */
export type PatchFileText = { ok: true; text: string } | { ok: false; reason: string };

/** One thing in a kustomization that narrows the updates of the releases it is for. */
export interface Narrowing {
  /** The kustomization (or component) it is written in, and the line. */
  file: string;
  line: number;
  /** The annotation key, when it is known. */
  key?: string;
  /** What it is, as the start of a sentence: "fluxcd.io/locked in commonAnnotations of a/kustomization.yaml". */
  what: string;
  /** Whether `release`, built through `renames`, is one it is for. */
  selects: (release: HelmRelease, renames: readonly Rename[]) => boolean;
  /** Why it may be for more releases than Kustomize would patch, when it may. */
  approximate?: string;
  /** For what cannot be read: how to make it readable (else: move the annotation). */
  fix?: string;
  /**
   * A filter among its annotations that names no container of any release (nor an alias declared
   * beside it): a misspelt name, for which the error says which container was likely meant.
   */
  unnamedFilter?: { key: string; container: string };
  /**
   * For a patch that names the release it is for (its target's name, or its own): whether its target
   * alone selects `release`, whatever the patch then narrows (see unmatched-targets.ts).
   */
  targets?: (release: HelmRelease, renames: readonly Rename[]) => boolean;
}

/** What {@link narrowingsOf} reads besides the kustomization. */
export interface NarrowingContext {
  /** The kustomization of each folder that has one. */
  kustomizations: ReadonlyMap<string, Kustomization>;
  /** Every file of the workspace. */
  files: ReadonlySet<string>;
  /** Every folder of the workspace that holds a file ('' for the root). */
  folders: ReadonlySet<string>;
  /** The workspace's links, through which a component's path is read, as Kustomize does. */
  links: Links;
  /** The folders the listing could not enter, with why: a path there is not known to be missing. */
  unlisted?: ReadonlyMap<string, string>;
  /** The patch files read, by workspace path. */
  patchFiles: ReadonlyMap<string, PatchFileText>;
  /** Patch files the scan read as HelmRelease patches: patched-releases.ts holds what they name. */
  scannedPatches: ReadonlySet<string>;
  /** The releases with images the scan found, by file: a patch file's own images replace the base's. */
  scannedReleases: ReadonlyMap<string, readonly HelmRelease[]>;
  /** The names of every container the scan found, and their dotted prefixes: what a filter may name. */
  knownContainers: ReadonlySet<string>;
  /** Only automated releases are updated: an overlay that turns automation off narrows. */
  requireAutomated: boolean;
  /**
   * The narrowings written in each kustomization or component read so far, by file: they do not
   * depend on what includes it, and a component (its patch files parsed, its targets compiled)
   * shared by thousands of overlays was read once for each: 1,000 overlays sharing one with a
   * patch of 2,000 operations took 98 s.
   */
  written: Map<string, Narrowing[]>;
  /** Each patch file's reading, by workspace path: many overlays may name one patch file. */
  patchReadings: Map<string, PatchReading>;
}

const ALL = (): boolean => true;

/** Everything in `k` and its components (transitively) that narrows its releases' updates. */
export function narrowingsOf(k: Kustomization, context: NarrowingContext): Narrowing[] {
  const found: Narrowing[] = [];
  const seen = new Set<string>();
  const visit = (current: Kustomization, depth: number): void => {
    if (seen.has(current.file) || depth > MAX_DEPTH) return;
    seen.add(current.file);
    let written = context.written.get(current.file);
    if (written === undefined) {
      written = writtenNarrowings(current, context);
      context.written.set(current.file, written);
    }
    found.push(...written);
    for (const component of current.components) {
      const folder = isRemote(component.path) ? undefined : resolvePath(current.folder, component.path);
      const through = folder === undefined ? undefined : throughLinks(folder, context.links);
      const inner = through && 'path' in through ? context.kustomizations.get(through.path) : undefined;
      if (inner) {
        visit(inner, depth + 1);
        continue;
      }
      // What it patches is what the kustomization builds: a component not read may lock any of it.
      found.push({
        file: current.file,
        line: component.line,
        what: `the component ${component.path} in ${current.file}`,
        selects: ALL,
        approximate: unreadComponent(component.path, through, context),
        fix: "it is in this repository with a kustomization (or the annotation is written in the release's own file)",
      });
    }
  };
  visit(k, 0);
  return found;
}

/** Why a component's kustomization was not read. */
function unreadComponent(path: string, through: ThroughLinks | undefined, context: NarrowingContext): string {
  if (isRemote(path)) return 'it is fetched from elsewhere and not read here';
  if (through && 'outside' in through) return 'it links outside the workspace and is not read here';
  // Out of the workspace (`../../..`), a file, a folder without one, or unknown folders: as before.
  if (through === undefined) return 'it has no kustomization this run could read';
  const listed = 'path' in through && (context.files.has(through.path) || context.folders.has(through.path));
  if (listed) return 'it has no kustomization this run could read';
  const unlisted = 'path' in through ? unlistedFolderOf(through.path, context.unlisted) : undefined;
  if (unlisted) return `it is in ${unlisted.folder}, which the run could not list (${unlisted.why})`;
  return 'it names nothing in the repository (Kustomize cannot build the kustomization until its path is corrected, and Flux keeps what it applied last)';
}

/** Said of a policy written as a label. */
const AS_LABEL = '(a label, which Flux v1 ignores: meant as an annotation)';

/** The labels that narrow, read as annotations. `automated` there narrows nothing: it is off. */
function labelNarrowings(labels: readonly Annotation[], context: NarrowingContext): NarrowingAnnotation[] {
  return narrowingAnnotations(
    labels.filter((a) => !/\/automated$/.test(a.key)),
    context.requireAutomated,
  );
}

/** What `k` itself writes that narrows: its commonAnnotations, its labels and its patches. */
function writtenNarrowings(k: Kustomization, context: NarrowingContext): Narrowing[] {
  const found: Narrowing[] = [];
  const common = narrowingAnnotations(k.commonAnnotations, context.requireAutomated);
  if (common.length > 0) {
    const { key, line } = shown(common);
    const isNamed = named(context, k.commonAnnotations);
    found.push({
      file: k.file,
      line,
      key,
      what: `${key} in commonAnnotations of ${k.file}`,
      selects: narrows(common, () => false, isNamed),
      ...unnamedFilterOf(common, isNamed),
    });
  }
  // A lock or filter written as a label: Flux ignores labels, so whoever wrote it meant an annotation
  // (in a release's own metadata.labels it blocks too).
  for (const [field, labels] of [
    ['commonLabels', k.commonLabels],
    ['labels', k.labels],
  ] as const) {
    const labelled = labelNarrowings(labels, context);
    if (labelled.length === 0) continue;
    const { key, line } = shown(labelled);
    const isNamed = named(context, labels);
    found.push({
      file: k.file,
      line,
      key,
      what: `${key} in ${field} of ${k.file} ${AS_LABEL}`,
      selects: narrows(labelled, () => false, isNamed),
      ...unnamedFilterOf(labelled, isNamed),
    });
  }
  for (const entry of k.patches) found.push(...patchNarrowings(k, entry, context));
  return found;
}

/** What one patch entry narrows. */
function patchNarrowings(k: Kustomization, entry: PatchEntry, context: NarrowingContext): Narrowing[] {
  const where = (key: string) =>
    entry.path === undefined
      ? `${key} in a patch in ${k.file}`
      : `${key} in ${entry.path}, a patch in ${k.file}`;
  let text: string;
  let lineOf: (line: number) => number;
  // A line of the patch's text in its file (the kustomization's, for a patch written inline).
  let textLine: (line: number) => number = (line) => line;
  // A patch file's path, under which its reading is kept.
  let readingKey: string | undefined;
  if (entry.inline) {
    const first = entry.inline.firstLine;
    ({ text } = entry.inline);
    lineOf = (line) => (first === undefined ? entry.line : first + line - 1);
    textLine = lineOf;
  } else {
    const path = resolvePath(k.folder, entry.path!);
    // Kustomize reads patches from its own folder tree only; such a path fails its build.
    if (path === undefined || isRemote(entry.path!)) return [];
    if (context.scannedPatches.has(path)) return [];
    const unlisted = context.files.has(path) ? undefined : unlistedFolderOf(path, context.unlisted);
    const read = context.files.has(path)
      ? context.patchFiles.get(path)
      : {
          ok: false as const,
          reason: unlisted ? `${unlisted.folder} could not be listed: ${unlisted.why}` : 'no such file',
        };
    if (read === undefined || !read.ok) {
      return [
        {
          file: k.file,
          line: entry.line,
          what: `the patch ${entry.path} in ${k.file}`,
          selects: targetSelects(entry.target, undefined).selects,
          approximate: `it could not be read (${read?.reason ?? 'too many patch files'})`,
          fix: 'the patch file can be read',
        },
      ];
    }
    ({ text } = read);
    lineOf = () => entry.line;
    readingKey = path;
  }
  let reading = readingKey === undefined ? undefined : context.patchReadings.get(readingKey);
  if (reading === undefined) {
    reading = readPatchAnnotations(text);
    if (readingKey !== undefined) context.patchReadings.set(readingKey, reading);
  }
  if ('unreadable' in reading) {
    if (!mayNarrow(text)) return [];
    return [
      {
        file: k.file,
        line: entry.line,
        what: entry.path === undefined ? `a patch in ${k.file}` : `the patch ${entry.path} in ${k.file}`,
        selects: targetSelects(entry.target, undefined).selects,
        // An alias's line in the patch's text, as a line of the file it is written in.
        approximate: reading.unfollowed
          ? unfollowedReason({ ...reading.unfollowed, line: textLine(reading.unfollowed.line) })
          : reading.unreadable,
        fix: reading.fix,
      },
    ];
  }
  const found: Narrowing[] = [];
  const scanned = readingKey === undefined ? [] : (context.scannedReleases.get(readingKey) ?? []);
  for (const doc of reading.documents) {
    // A strategic merge patch of another kind patches no HelmRelease.
    if (entry.target === undefined && doc.kind !== undefined && doc.kind !== 'HelmRelease') continue;
    // The image tags the patch writes itself replace the base's, so what it says of those
    // containers does not reach the base's tags (Flux v1's flux-patch.yaml carries an overlay's
    // images beside its annotations, and Flux updated them there; an overlay's values may pin a tag).
    const own = ownContainers(doc, scanned);
    const writes = (release: HelmRelease, container: ImageOccurrence): boolean =>
      own.has(container.container) || writesDetectedTag(doc.valuePaths, release, container);
    // Labels it writes too: a policy among them was meant as an annotation (see writtenNarrowings).
    const sources = [
      [narrowingAnnotations(doc.annotations, context.requireAutomated), ''],
      [labelNarrowings(doc.labels, context), ` ${AS_LABEL}`],
    ] as const;
    // Its target is compiled only for a document that narrows: most patch nothing of interest.
    if (sources.every(([narrowing]) => narrowing.length === 0)) continue;
    const target = targetSelects(entry.target, doc);
    const isNamed = named(context, doc.annotations);
    for (const [narrowing, said] of sources) {
      if (narrowing.length === 0) continue;
      const { key, line } = shown(narrowing);
      const reaches = narrows(narrowing, writes, isNamed);
      found.push({
        file: k.file,
        line: lineOf(line),
        key,
        what: `${where(key)}${said}`,
        selects: (release, renames) => target.selects(release, renames) && reaches(release),
        ...unnamedFilterOf(narrowing, isNamed),
        ...(target.approximate ? { approximate: target.approximate } : {}),
        ...(namesHelmRelease(entry.target, doc) ? { targets: target.selects } : {}),
      });
    }
  }
  return found;
}

const NONE: ReadonlySet<string> = new Set();

/** The annotation an error names: one that narrows every container, when there is one. */
function shown(narrowing: readonly NarrowingAnnotation[]): { key: string; line: number } {
  return (narrowing.find((n) => n.container === undefined) ?? narrowing[0]).annotation;
}

/** Whether the annotations narrow a container of a release that `writes` leaves to the base. */
function narrows(
  narrowing: readonly NarrowingAnnotation[],
  writes: (release: HelmRelease, container: ImageOccurrence) => boolean,
  named: (filterName: string) => boolean,
): (release: HelmRelease) => boolean {
  const forContainers = narrowing.map((n) => n.container);
  return (release) => narrowsAContainer(release, forContainers, (c) => writes(release, c), named);
}

/** The first filter among `narrowing` that names no container, as {@link Narrowing.unnamedFilter}. */
function unnamedFilterOf(
  narrowing: readonly NarrowingAnnotation[],
  isNamed: (filterName: string) => boolean,
): Pick<Narrowing, 'unnamedFilter'> {
  const found = narrowing.find((n) => n.container !== undefined && !isNamed(n.container));
  return found?.container === undefined
    ? {}
    : { unnamedFilter: { key: found.annotation.key, container: found.container } };
}

/** Whether a filter's container is named: by a release of the workspace, or an alias beside it. */
function named(
  context: NarrowingContext,
  annotations: readonly Annotation[],
): (filterName: string) => boolean {
  const aliases = declaredAliases(annotations);
  return (name) => context.knownContainers.has(name) || aliases.has(name);
}

/** The containers a strategic merge patch document writes image tags for, as the scan read them. */
function ownContainers(doc: PatchedAnnotations, scanned: readonly HelmRelease[]): ReadonlySet<string> {
  if (doc.name === undefined) return NONE;
  const release = scanned.find((r) => r.name === doc.name && r.namespace === doc.namespace);
  // An image without a tag leaves the base's tag in what Kustomize builds.
  const tagged = release?.containers.filter((c) => c.tag.kind !== 'none') ?? [];
  return new Set(tagged.map((c) => c.container));
}
