/**
 * HelmRelease texts shared by the reader's fidelity tests and the yaml.v2 harness's corpus
 * (scripts/go-yaml/corpus.ts), so both read the same inputs.
 */

/** A HelmRelease with the given annotation and values lines. */
export function release(values: string[], annotations: string[] = [], name = 'app'): string {
  return [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    '    fluxcd.io/automated: "true"',
    ...annotations.map((a) => `    ${a}`),
    'spec:',
    '  values:',
    ...values.map((v) => `    ${v}`),
    '',
  ].join('\n');
}

/** A `kind: List` of two HelmReleases with a ConfigMap between them. */
export const LIST_OF_RELEASES = [
  'apiVersion: v1',
  'kind: List',
  'items:',
  '- apiVersion: helm.fluxcd.io/v1',
  '  kind: HelmRelease',
  '  metadata:',
  '    name: one',
  '    annotations: {fluxcd.io/automated: "true"}',
  '  spec:',
  '    values:',
  '      image: repo/one:1.0',
  '- apiVersion: v1',
  '  kind: ConfigMap',
  '  metadata: {name: c}',
  '- apiVersion: helm.fluxcd.io/v1',
  '  kind: HelmRelease',
  '  metadata: {name: two}',
  '  spec:',
  '    values:',
  '      image: repo/two:1.0',
  '',
].join('\n');
