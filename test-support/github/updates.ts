/**
 * Builds `Update` values for tests with readable defaults (bitnami/mongodb 4.0.3 -> 4.0.4 in the
 * chart-image of data/mongodb).
 */
import type { Update } from '../../src/plan/types.js';

/** An update with defaults; every field can be overridden. */
export function makeUpdate(overrides: Partial<Update> = {}): Update {
  const from = overrides.from ?? '4.0.3';
  const to = overrides.to ?? '4.0.4';
  const imageName = overrides.image?.replace(/:[^:/]*$/, '') ?? 'bitnami/mongodb';
  const namespace = 'namespace' in overrides ? overrides.namespace : 'data';
  const name = overrides.name ?? 'mongodb';
  return {
    file: 'releases/mongodb.yaml',
    line: 12,
    documentIndex: 0,
    release: namespace ? `${namespace}/${name}` : name,
    namespace,
    name,
    container: 'chart-image',
    repository: 'docker.io/bitnami/mongodb',
    image: `${imageName}:${from}`,
    newImage: `${imageName}:${to}`,
    from,
    to,
    filter: 'semver:~4.0',
    downgrade: false,
    chosenBy: 'highest version matching ~4.0',
    type: overrides.downgrade ? 'downgrade' : 'patch',
    notTaken: [],
    ...overrides,
  };
}
