/**
 * Scans one file's text for HelmRelease documents and the images in them. Pure: text in, data
 * out; bad input becomes problems with a line, never an exception.
 */
import { LineCounter, parseAllDocuments, isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import { warning, type Problem } from '../problems.js';
import { readAliases, readAnnotations, readFilters, readPolicies } from './annotations.js';
import { CHART_IMAGE, detectAliasImage, detectValueImages, type DetectContext } from './detect-images.js';
import { firstDuplicateKey } from './duplicate-keys.js';
import type { FileScan, HelmRelease, ImageOccurrence } from './types.js';
import { asMap, asString, describeNode, getValue, lineOf } from './yaml-nodes.js';

/** The apiVersions whose `kind: HelmRelease` documents are read (Flux v1, and Flux v2 as an extension). */
export const HELMRELEASE_API_VERSIONS: readonly string[] = [
  'helm.fluxcd.io/v1',
  'flux.weave.works/v1beta1',
  'helm.toolkit.fluxcd.io/v2beta1',
  'helm.toolkit.fluxcd.io/v2beta2',
  'helm.toolkit.fluxcd.io/v2',
];

/**
 * Cheap test for files that cannot hold a HelmRelease, so most files are rejected without a YAML
 * parse. A HelmRelease document must spell `HelmRelease` somewhere (its kind).
 */
export function mayHoldHelmRelease(text: string): boolean {
  return text.includes('HelmRelease');
}

/** True for a missing key or one left empty (`values:` reads as a null scalar). */
function isEmpty(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null);
}

/** Orders containers as Flux does: `chart-image` first, then by name. */
function compareContainers(a: ImageOccurrence, b: ImageOccurrence): number {
  if (a.container === b.container) return 0;
  if (a.container === CHART_IMAGE) return -1;
  if (b.container === CHART_IMAGE) return 1;
  return a.container < b.container ? -1 : 1;
}

/** Reads one HelmRelease document, or returns undefined when the document is not one. */
function readRelease(
  file: string,
  doc: Document,
  documentIndex: number,
  lines: LineCounter,
  problems: Problem[],
) {
  const root = asMap(doc.contents);
  if (!root) return undefined;
  const kindNode = getValue(root, 'kind');
  const kind = asString(kindNode, lines);
  if (kind?.value !== 'HelmRelease') return undefined;
  const line = kind.range.line;
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
  const name = asString(metadata && getValue(metadata, 'name'), lines)?.value ?? '';
  const namespace = asString(metadata && getValue(metadata, 'namespace'), lines)?.value;
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
  const policies = readPolicies(annotations, file, problems);
  const filters = readFilters(annotations, file, problems);

  const ctx: DetectContext = { file, lines, problems };
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

  const byName = new Map<string, Omit<ImageOccurrence, 'filter'>>();
  if (values) for (const found of detectValueImages(ctx, values)) byName.set(found.container, found);
  // Aliases are applied last, so an alias named like a detected container replaces it (R4.4).
  for (const alias of readAliases(annotations)) {
    const found = detectAliasImage(ctx, values, alias);
    if (found) byName.set(found.container, found);
  }
  const containers: ImageOccurrence[] = [];
  for (const c of byName.values()) containers.push({ ...c, filter: filters.get(c.container) });
  containers.sort(compareContainers);

  for (const [container, filter] of filters) {
    if (byName.has(container)) continue;
    const names = containers.map((c) => c.container);
    const hint = container.startsWith('tag.')
      ? ` (write filter.fluxcd.io/${container.slice(4)} or fluxcd.io/tag.${container.slice(4)}, not both prefixes)`
      : '';
    problems.push(
      warning(
        file,
        filter.line,
        `${filter.key} names no container of this HelmRelease${hint}; ` +
          (names.length ? `its containers are: ${names.join(', ')}` : 'it has no detected images'),
      ),
    );
  }
  const release: HelmRelease = {
    file,
    documentIndex,
    namespace,
    name,
    apiVersion,
    line,
    policies,
    containers,
  };
  return release;
}

const STACK_OVERFLOW = /Maximum call stack size exceeded/;

/** The first syntax error of a document (a repeated key counts), or undefined when it has none. */
function firstSyntaxError(doc: Document, lines: LineCounter): { pos: number; message: string } | undefined {
  const first = doc.errors[0];
  const duplicate = firstDuplicateKey(doc);
  if (duplicate !== undefined && (!first || duplicate < first.pos[0])) {
    // Worded as the `yaml` package words its own DUPLICATE_KEY error.
    const { line, col } = lines.linePos(duplicate);
    return { pos: duplicate, message: `Map keys must be unique at line ${line}, column ${col}` };
  }
  return first && { pos: first.pos[0], message: first.message.split('\n')[0].replace(/:$/, '') };
}

/**
 * The line of the first document's top-level `sops:` mapping, when a document of the file carries
 * SOPS metadata. SOPS signs the file's values with a MAC: changing one tag breaks it and Flux can no
 * longer decrypt the file, so such a file is never edited.
 */
function sopsLine(docs: readonly Document[], lines: LineCounter): number | undefined {
  for (const doc of docs) {
    const root = asMap(doc.contents);
    const sops = root && asMap(getValue(root, 'sops'));
    if (sops && getValue(sops, 'mac') !== undefined) {
      const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'sops');
      return lineOf(pair?.key, lines);
    }
  }
  return undefined;
}

/** True when a document's `kind` is `HelmRelease`. */
function isHelmReleaseKind(doc: Document, lines: LineCounter): boolean {
  const root = asMap(doc.contents);
  return asString(root && getValue(root, 'kind'), lines)?.value === 'HelmRelease';
}

/** Finds every HelmRelease in a file and every image in each. */
export function scanFile(file: string, text: string): FileScan {
  const scan: FileScan = { file, releases: [], problems: [] };
  if (!mayHoldHelmRelease(text)) return scan;
  const lines = new LineCounter();
  let docs: Document[];
  try {
    // YAML 1.1, as Flux v1 read it (yaml.v2). Duplicate keys are errors, found by
    // firstDuplicateKey: the package's own check (`uniqueKeys`) is quadratic in a mapping's size.
    const parsed = parseAllDocuments(text, { version: '1.1', lineCounter: lines, uniqueKeys: false });
    docs = Array.isArray(parsed) ? (parsed as Document[]) : [];
  } catch (e) {
    scan.problems.push(warning(file, 1, `could not parse YAML: ${(e as Error).message}`));
    return scan;
  }
  const sops = sopsLine(docs, lines);
  if (sops !== undefined) {
    if (docs.some((doc) => isHelmReleaseKind(doc, lines))) {
      scan.problems.push(
        warning(
          file,
          sops,
          'this file is encrypted with SOPS (a top-level sops: key with a mac), so its HelmReleases are ' +
            'not updated: changing a tag would break the SOPS MAC and Flux could no longer decrypt the file',
        ),
      );
    }
    return scan;
  }
  docs.forEach((doc, index) => {
    const syntax = firstSyntaxError(doc, lines);
    if (syntax) {
      const line = lines.linePos(syntax.pos).line;
      const message = syntax.message;
      // `yaml` catches its own stack overflow on very deep nesting (10,000 `[`) and reports it
      // as an error of the document; say what it means rather than "Maximum call stack size".
      scan.problems.push(
        warning(
          file,
          line,
          STACK_OVERFLOW.test(message)
            ? `YAML nests too deeply to be read (${message.replace(STACK_OVERFLOW, 'stack overflow').replace(/:$/, '')}), document skipped`
            : `YAML syntax error, document skipped: ${message}`,
        ),
      );
      return;
    }
    try {
      const release = readRelease(file, doc, index, lines, scan.problems);
      if (release) scan.releases.push(release);
    } catch (e) {
      // Detection never recurses deeply, but a pure function must not throw on any input: one
      // unreadable document becomes a problem and the file's other documents are still read.
      const line = doc.range ? lines.linePos(doc.range[0]).line : 1;
      scan.problems.push(
        warning(file, line, `document skipped: it could not be read (${(e as Error).message})`),
      );
    }
  });
  return scan;
}
