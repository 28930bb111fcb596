/**
 * Flux v1 HelmRelease texts the tests and scripts build their workspaces from: an automated
 * release with its chart, and a Kustomize patch document of one (a HelmRelease without a chart,
 * which an overlay puts over its base).
 */

/** Options of {@link helmRelease}. */
export interface ReleaseText {
  name?: string;
  namespace?: string;
  /** Annotation lines, written as is under `annotations:` (6 spaces are added). */
  annotations?: string[];
  /** Lines of `spec.values`, written as is (4 spaces are added). */
  values: string[];
}

/** A Flux v1 HelmRelease with `fluxcd.io/automated: "true"` and the given values. */
export function helmRelease({
  name = 'app',
  namespace = 'apps',
  annotations = [],
  values,
}: ReleaseText): string {
  return [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    '  annotations:',
    '    fluxcd.io/automated: "true"',
    ...annotations.map((a) => `    ${a}`),
    'spec:',
    '  chart:',
    '    repository: https://charts.example.com',
    '    name: app',
    '    version: 1.0.0',
    '  values:',
    ...values.map((v) => `    ${v}`),
    '',
  ].join('\n');
}

/** Line of the first `values` line in {@link helmRelease} output (its `annotations` shift it). */
export function valuesLine(annotationCount: number, index = 0): number {
  return 14 + annotationCount + index;
}

/**
 * A Kustomize patch document of apps/app: these annotation lines (none: no `annotations:`) and
 * these lines under its values (none: no spec at all, a patch of annotations only).
 */
export function patchDocument(annotations: string[], values: string[] = []): string {
  return [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '  namespace: apps',
    ...(annotations.length > 0 ? ['  annotations:', ...annotations.map((a) => `    ${a}`)] : []),
    ...(values.length > 0 ? ['spec:', '  values:', ...values.map((v) => `    ${v}`)] : []),
    '',
  ].join('\n');
}
