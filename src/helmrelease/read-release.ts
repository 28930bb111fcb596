/**
 * Reads one HelmRelease document: its identity, policies, filters, detection mode and images.
 * This is where a release is put together from its parts (policies, filters, detection, aliases,
 * release age), each read by a module of its own; what is left here is the order they are applied
 * in, which reads best in one place. Pure: nodes in, a release and problems out.
 */
import { isMap, isScalar, type LineCounter, type YAMLMap } from 'yaml';
import { nearest } from '../edit-distance.js';
import { holdingFilterFix, holdsRelease, parseFilter } from '../filters/parse-filter.js';
import { error, warning, type Problem } from '../problems.js';
import {
  meantFilterKey,
  readAliases,
  readAnnotations,
  readFilters,
  readPolicies,
  unnamedAliases,
} from './annotations.js';
import { findNearMisses } from './annotation-near-misses.js';
import { CHART_IMAGE, detectAliasImage, detectValueImages, type DetectContext } from './detect-images.js';
import {
  filterByPrefix,
  namesContainerOrPrefix,
  readDetectionMode,
  type DetectionMode,
} from './detect-deep.js';
import { readMinimumReleaseAge } from './release-age.js';
import { blockUnknownOwnAnnotations } from './own-annotations.js';
import { findMisplacedAnnotations, misplacedMessage } from './misplaced-annotations.js';
import { labelPatchAnnotation, patchAnnotation } from './patched-releases.js';
import type { HelmRelease, ImageOccurrence, SharedAnchor } from './types.js';
import { reusedAround, type DocumentAnchors } from './document-anchors.js';
import { normaliseKeys } from './go-yaml-keys.js';
import { asGoString, asMap, asString, describeNode, getValue, isNull, lineOf } from './yaml-nodes.js';

/** The apiVersions whose `kind: HelmRelease` documents are read (Flux v1, and Flux v2 as an extension). */
export const HELMRELEASE_API_VERSIONS: readonly string[] = [
  'helm.fluxcd.io/v1',
  'flux.weave.works/v1beta1',
  'helm.toolkit.fluxcd.io/v2beta1',
  'helm.toolkit.fluxcd.io/v2beta2',
  'helm.toolkit.fluxcd.io/v2',
];

/** The kind Flux up to 1.18 also automated (`helm.integrations.flux.weave.works/v1alpha2`), R1.1. */
const FLUX_HELM_RELEASE = 'FluxHelmRelease';

/**
 * A FluxHelmRelease is not read (R1.3 leaves it optional), but not in silence: Flux 1.18 and
 * earlier automated it, so a repository that still holds one would otherwise never learn why its
 * annotations do nothing.
 */
function warnFluxHelmRelease(file: string, root: YAMLMap, line: number, problems: Problem[]) {
  const metadata = asMap(getValue(root, 'metadata'));
  const name = asGoString(metadata && getValue(metadata, 'name'));
  problems.push(
    warning(
      file,
      line,
      `${FLUX_HELM_RELEASE}${name ? ` ${name}` : ''} is skipped: Flux 1.19 dropped this kind, and its images are ` +
        'not updated; write it as a HelmRelease with apiVersion helm.fluxcd.io/v1',
    ),
  );
}

/** True for a missing key or one left empty (`values:` reads as a null scalar). */
const isEmpty = isNull;

/** Orders containers as Flux does: `chart-image` first, then by name. */
function compareContainers(a: ImageOccurrence, b: ImageOccurrence): number {
  // Stryker disable next-line ConditionalExpression: containers come from a Map by name, so no two are equal
  if (a.container === b.container) return 0;
  if (a.container === CHART_IMAGE) return -1;
  if (b.container === CHART_IMAGE) return 1;
  // Stryker disable next-line EqualityOperator: no two names are equal (above)
  return a.container < b.container ? -1 : 1;
}

/** Reads one HelmRelease document, or returns undefined when the document is not one. */
export function readRelease(
  file: string,
  root: YAMLMap,
  documentIndex: number,
  lines: LineCounter,
  problems: Problem[],
  // Stryker disable next-line StringLiteral: every caller passes the mode
  defaultDetection: DetectionMode = 'flux-v1',
  /** The anchors of the whole YAML document (a List's, for its items), when it has aliases. */
  document?: DocumentAnchors,
) {
  skipLeadingByteOrderMark(root);
  const kind = asString(getValue(root, 'kind'), lines);
  if (kind?.value === FLUX_HELM_RELEASE) {
    warnFluxHelmRelease(file, root, kind.range.line, problems);
    return undefined;
  }
  if (kind?.value !== 'HelmRelease') return undefined;
  const line = kind.range.line;
  const { unreadable, anchors } = normaliseKeys(root, document);
  if (unreadable) {
    const metadata = asMap(getValue(root, 'metadata'));
    const name = asString(metadata && getValue(metadata, 'name'), lines)?.value;
    problems.push(
      error(
        file,
        lineOf(unreadable.node, lines, 0),
        `HelmRelease ${name ?? '(no name)'} could not be read as Flux v1 reads it (${unreadable.message}); it gets no update until this is fixed`,
      ),
    );
    return undefined;
  }
  const apiVersion = asString(getValue(root, 'apiVersion'), lines)?.value ?? '';
  // Flux v1 never looked at apiVersion (R1.1), and the spec's own examples omit it: a missing
  // apiVersion is accepted, another API's HelmRelease kind is not.
  if (apiVersion !== '' && !HELMRELEASE_API_VERSIONS.includes(apiVersion)) {
    problems.push(
      warning(
        file,
        line,
        `HelmRelease with apiVersion "${apiVersion}" is skipped; known apiVersions: ${HELMRELEASE_API_VERSIONS.join(', ')}`,
      ),
    );
    return undefined;
  }
  const metadata = asMap(getValue(root, 'metadata'));
  // String fields: yaml.v2's write-back turned a number or boolean into its text (`name: 123` is "123").
  const name = asGoString(metadata && getValue(metadata, 'name')) ?? '';
  const namespace = asGoString(metadata && getValue(metadata, 'namespace'));
  const annotationsNode = metadata && getValue(metadata, 'annotations');
  if (!isEmpty(annotationsNode) && !isMap(annotationsNode)) {
    problems.push(
      warning(
        file,
        lineOf(annotationsNode, lines, line),
        `metadata.annotations is ${describeNode(annotationsNode)}, not a map`,
      ),
    );
  }
  const annotations = readAnnotations(asMap(annotationsNode), lines);
  /** Unusable policy annotations: each is an error at its line, and the release gets no update. */
  const blockers: { line: number; message: string }[] = [];
  const block = (at: number, message: string, held = 'this HelmRelease gets no update until it is fixed') => {
    blockers.push({ line: at, message });
    problems.push(error(file, at, `${message}; ${held}`));
  };
  const policies = readPolicies(annotations, file, problems, block);
  const filters = readFilters(annotations, file, problems, block);
  for (const miss of findNearMisses(annotations)) {
    // Quoted when a space at either end is all that differs: `fluxcd.io/locked ` would read as the right key.
    const key = /^\s|\s$/.test(miss.annotation.key)
      ? JSON.stringify(miss.annotation.key)
      : miss.annotation.key;
    if (miss.blocks) {
      block(
        miss.annotation.line,
        miss.message ?? `${key} looks like a misspelling of ${miss.meant}, which Flux v1 would ignore`,
      );
    } else {
      problems.push(
        warning(
          file,
          miss.annotation.line,
          `${key} looks like a misspelling of ${miss.meant}; Flux v1 ignores it`,
        ),
      );
    }
  }

  for (const misplaced of findMisplacedAnnotations(root, annotations, lines)) {
    const message = misplacedMessage(misplaced);
    if (misplaced.effect === 'narrows') block(misplaced.annotation.line, message);
    else problems.push(warning(file, misplaced.annotation.line, message));
  }

  const ctx: DetectContext = { file, lines, problems, anchors, ...(document ? { document } : {}) };
  const specNode = getValue(root, 'spec');
  const spec = asMap(specNode);
  let values: YAMLMap | undefined;
  if (!isEmpty(specNode) && !spec) {
    problems.push(
      warning(
        file,
        lineOf(specNode, lines, line),
        `spec is ${describeNode(specNode)}, not a map; no images read`,
      ),
    );
  } else if (spec) {
    const valuesNode = getValue(spec, 'values');
    values = asMap(valuesNode);
    if (!isEmpty(valuesNode) && !values) {
      problems.push(
        warning(
          file,
          lineOf(valuesNode, lines, line),
          `spec.values is ${describeNode(valuesNode)}, not a map; no images read`,
        ),
      );
    }
  }

  blockUnknownOwnAnnotations(annotations, block);
  const detection = readDetectionMode(annotations, defaultDetection, block);
  const minimumReleaseAgeMs = readMinimumReleaseAge(annotations, block);
  if (minimumReleaseAgeMs !== undefined) policies.minimumReleaseAgeMs = minimumReleaseAgeMs;
  const deep = detection === 'deep';
  const byName = new Map<string, Omit<ImageOccurrence, 'filter'>>();
  if (values)
    for (const found of detectValueImages(ctx, values, detection)) {
      const replaced = byName.get(found.container);
      if (replaced) warnReplacedImage(ctx, values, found.container, replaced);
      byName.set(found.container, found);
    }
  for (const a of unnamedAliases(annotations)) {
    problems.push(
      warning(
        file,
        a.line,
        `${a.key} names no alias, so it is ignored and the image it maps (${a.value}) is not updated (Flux v1 took it ` +
          `for a container named "", which any tag could update); write ${a.key}<name> with the name of the ` +
          'image, and filter.fluxcd.io/<name> for its filter',
      ),
    );
  }
  // Aliases are applied last, so an alias named like a detected container replaces it (R4.4).
  const aliases = readAliases(annotations);
  for (const alias of aliases) {
    // A registry meant for an image, dropped: that image would be read from another registry.
    if (alias.registry && !alias.repository) {
      const others = [...aliases.filter((a) => a.repository).map((a) => a.alias), ...byName.keys()];
      const meant = nearest(
        alias.alias,
        others.filter((name) => name !== alias.alias),
      );
      block(
        alias.registry.line,
        `alias "${alias.alias}" has a registry path but no repository.fluxcd.io/${alias.alias}, so Flux v1 would ` +
          'ignore it and read the image it was meant for from another registry' +
          (meant === undefined ? '' : ` (did you mean registry.fluxcd.io/${meant}?)`) +
          `; write repository.fluxcd.io/${alias.alias} beside it, or remove it`,
      );
      continue;
    }
    const found = detectAliasImage(ctx, values, alias);
    if (found) byName.set(found.container, found);
  }
  const containers: ImageOccurrence[] = [];
  for (const c of byName.values()) {
    const sharedAnchor = document && sharedAnchorOf(document, c);
    containers.push({
      ...c,
      filter: deep ? filterByPrefix(filters, c.container) : filters.get(c.container),
      ...(sharedAnchor ? { sharedAnchor } : {}),
    });
  }
  containers.sort(compareContainers);

  // Named once, and at most the first ten: a release with thousands of containers and of filters
  // naming none of them must not cost thousands of lists of thousands of names.
  let names: string | undefined;
  const containerNames = () =>
    (names ??=
      containers
        .slice(0, 10)
        .map((c) => c.container)
        .join(', ') + (containers.length > 10 ? ` and ${containers.length - 10} more` : ''));
  let namesOrPrefix: ((filterName: string) => boolean) | undefined;
  for (const [container, filter] of filters) {
    if (
      !byName.has(container) &&
      !(deep && (namesOrPrefix ??= namesContainerOrPrefix(byName.keys()))(container))
    ) {
      const anchor = ctx.aliasedSections?.get(container);
      const meant = meantFilterKey(filter.key, container, byName);
      const hint = container.startsWith('tag.')
        ? ` (write filter.fluxcd.io/${container.slice(4)} or fluxcd.io/tag.${container.slice(4)}, not both prefixes)`
        : anchor !== undefined
          ? ` (spec.values.${container} is a YAML alias, *${anchor}, which is not followed: write its values out)`
          : meant !== undefined
            ? ` (did you mean ${meant}?)`
            : '';
      const names = `${filter.key} names no container of this HelmRelease${hint}`;
      // Without images there is nothing a misnamed filter could loosen: its images come from
      // valuesFrom or valueFileSecrets, or sit where Flux v1 does not look (Flux read none either).
      // With deep detection already on, only the alias annotations can name an image it misses.
      if (containers.length === 0)
        problems.push(
          warning(
            file,
            filter.line,
            `${names}: it has no images in spec.values that ${deep ? 'deep detection' : 'Flux v1'} reads, so the ` +
              'filter applies to nothing (images given through valuesFrom or valueFileSecrets are not read; ' +
              (deep
                ? 'one not under an image key, such as images.server.repository, needs repository.fluxcd.io/<container> annotations)'
                : 'one elsewhere in spec.values needs repository.fluxcd.io/<container> annotations or detection: deep)'),
          ),
        );
      else
        block(
          filter.line,
          `${names}, so the container it was meant for would get any tag (glob:*); its containers are: ${containerNames()}`,
        );
      continue;
    }
    // An invalid semver constraint or regex matches everything in Flux (R6.5): a loosened
    // policy. A filter that matches nothing only stops its own container, so the plan warns.
    const parsed = parseFilter(filter.value);
    // The problem ends with what Flux v1 would have done, so "it" would be the wrong antecedent:
    // the ending names the filter, and says held, not proposed.
    // An empty one too (holdsRelease says why), whatever Flux v1 made of it.
    if (holdsRelease(parsed)) {
      const fix = holdingFilterFix(parsed);
      block(
        filter.line,
        `${filter.key}: ${parsed.problem ?? 'invalid'}${fix === undefined ? '' : `; ${fix}`}`,
        'this HelmRelease is held (no update) until the filter is fixed',
      );
    }
  }
  if (blockers.length > 0) {
    policies.blocked = `a policy annotation is unusable (${blockers[0].message})`;
    policies.blockedAt = { file, line: blockers[0].line };
  }
  const patch =
    patchAnnotation(spec, annotations, policies, filters) ??
    labelPatchAnnotation(
      spec,
      readAnnotations(asMap(metadata && getValue(metadata, 'labels')), lines),
      policies,
    );
  const release: HelmRelease = {
    file,
    documentIndex,
    namespace,
    name,
    apiVersion,
    line,
    policies,
    containers,
    ...(deep ? { detection } : {}),
    ...(patch ? { patch } : {}),
  };
  return release;
}

/**
 * A subsection named `chart-image` (`spec.values.chart-image.image`) takes the name of the image
 * directly under `spec.values`, and Flux v1 kept the later one (`containers[k]` in
 * FindHelmReleaseContainers), so the top-level image was never updated, without a word. The same
 * is done here, with a warning at the subsection that names the image left behind.
 */
function warnReplacedImage(
  ctx: DetectContext,
  values: YAMLMap,
  container: string,
  replaced: Omit<ImageOccurrence, 'filter'>,
): void {
  const section = values.items.find((pair) => (pair.key as { value?: unknown } | null)?.value === container);
  ctx.problems.push(
    warning(
      ctx.file,
      lineOf(section?.key, ctx.lines, 0),
      `spec.values.${container} is named like the top-level image's container and replaces it, as in Flux v1: ` +
        `the image at line ${replaced.line} (${replaced.reference.text}) is not updated; rename the subsection ` +
        'to have both updated',
    ),
  );
}

/** The anchor an alias reuses that holds the text an update of `c` would rewrite, if any. */
function sharedAnchorOf(
  document: DocumentAnchors,
  c: Omit<ImageOccurrence, 'filter'>,
): SharedAnchor | undefined {
  const texts = [
    ['tag', c.tag.scalar?.range],
    ['digest', c.digestKey?.range],
  ] as const;
  for (const [of, range] of texts) {
    const reuse = range && reusedAround(document, range.start, range.end);
    if (reuse) return { anchor: reuse.anchor, of, scalar: reuse.scalar, aliasLine: reuse.aliasLine };
  }
  return undefined;
}

/**
 * Files joined together carry a byte-order mark after each `---` (U+FEFF then `kind:`). go-yaml
 * skips one at the start of a line, so Flux read that document; the YAML parser here makes it part
 * of the first key, which is taken off again here.
 */
function skipLeadingByteOrderMark(root: YAMLMap): void {
  const key = root.items[0]?.key;
  if (isScalar(key) && typeof key.value === 'string' && key.value.startsWith('\uFEFF')) {
    key.value = key.value.slice(1);
  }
}
