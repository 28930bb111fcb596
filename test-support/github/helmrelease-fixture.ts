/**
 * The HelmRelease file the pull request writer's tests and the bench's GitHub phase commit to the
 * stand-in, built in one place so both edit the same shape: a chart image under `image` (line 18 is
 * its tag) and a `metrics` subsection image (line 22), with `fluxcd.io/automated` and a semver
 * filter on the chart image.
 */

/** What varies between the fixture's files. */
export interface HelmReleaseFixture {
  /** `metadata.name` (the namespace is `data`). */
  name: string;
  /** The chart image's tag. */
  tag: string;
  /** The metrics image's tag. */
  exporterTag: string;
  /** The chart image's repository as written (default `bitnami/mongodb`). */
  repository?: string;
  /** Text before the document (comments), which moves every line down. */
  header?: string;
}

/** The fixture's file text. */
export function helmReleaseYaml(fixture: HelmReleaseFixture): string {
  const { name, tag, exporterTag, repository = 'bitnami/mongodb', header = '' } = fixture;
  return `${header}apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: ${name}
  namespace: data
  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/chart-image: semver:~4.0
spec:
  releaseName: ${name}
  chart:
    repository: https://charts.bitnami.com/bitnami
    name: mongodb
    version: 7.2.0
  values:
    image:
      repository: ${repository}
      tag: ${tag}
    metrics:
      image:
        repository: bitnami/mongodb-exporter
        tag: ${exporterTag}
`;
}
