/**
 * A JSON6902 patch's operations as Kustomize's JSON patch library reads them: the keys of a map,
 * matched exactly. An operation written otherwise (`Op:`, `Path:`, an op RFC 6902 does not have)
 * makes Kustomize fail, so what the patch says is not known: when it may lock, ignore or filter,
 * every release it may be for is held, with the error at the patch entry's line.
 */
import { describe, expect, it } from '@jest/globals';
import { APP, hold, OTHER, overlay, PROD } from './support.js';

/** A prod overlay with one inline JSON6902 patch of these operation lines, for `target`. */
function patched(target: string, ...operations: string[]): Record<string, string> {
  return {
    [PROD]: overlay(
      'patches:',
      `  - target: ${target}`,
      '    patch: |',
      ...operations.map((o) => `      ${o}`),
    ),
  };
}

const LOCK_PATH = '/metadata/annotations/fluxcd.io~1locked';
const APP_ONLY = '{kind: HelmRelease, name: app}';

/**
 * [case, files, releases held, text the one error holds (none: no error), its line: the patch
 * entry's unless said].
 */
const CASES: [string, Record<string, string>, string[], string | undefined, number?][] = [
  [
    'a lock written with lower-case fields holds the release it targets',
    patched(APP_ONLY, `- {op: add, path: ${LOCK_PATH}, value: "true"}`),
    [APP],
    'fluxcd.io/locked in a patch',
    8,
  ],
  [
    'Op in another case: Kustomize cannot apply it, so what it targets is held',
    patched(APP_ONLY, `- {Op: add, path: ${LOCK_PATH}, value: "true"}`),
    [APP],
    "its operation 1 has Op, which Kustomize's JSON patch does not read (did you mean op?)",
  ],
  [
    'Path in another case, after a readable operation',
    patched(
      '{kind: HelmRelease}',
      '- {op: add, path: /metadata/annotations/team, value: x}',
      `- {op: add, Path: ${LOCK_PATH}, value: "true"}`,
    ),
    [APP, OTHER],
    'its operation 2 has Path',
  ],
  [
    'a misspelt field is named, with no guess',
    patched(APP_ONLY, `- {op: add, pth: ${LOCK_PATH}, value: "true"}`),
    [APP],
    "its operation 1 has pth, which Kustomize's JSON patch does not read, so every",
  ],
  [
    'an op in another case is not one RFC 6902 has',
    patched(APP_ONLY, `- {op: Add, path: ${LOCK_PATH}, value: "true"}`),
    [APP],
    'its operation 1 has op Add, which Kustomize cannot apply (it applies add, remove, replace, move, copy, test)',
  ],
  [
    'an operation with no path',
    patched(APP_ONLY, '- {op: add, value: {fluxcd.io/locked: "true"}}'),
    [APP],
    'its operation 1 has no path',
  ],
  [
    'an operation that is not a map',
    patched(APP_ONLY, `- op add ${LOCK_PATH} fluxcd.io/locked`),
    [APP],
    'its operation 1 is not a map of op, path and value',
  ],
  [
    'the error says how to fix it',
    patched(APP_ONLY, `- {Op: add, path: ${LOCK_PATH}, value: "true"}`),
    [APP],
    'no update until each operation is written with op, path, value and from, in lower case (RFC 6902)',
  ],
  [
    'a refused operation in a patch that names no policy holds nothing',
    patched(APP_ONLY, '- {Op: replace, path: /spec/values/replicas, value: 2}'),
    [],
    undefined,
  ],
];

describe('JSON6902 operations Kustomize cannot apply', () => {
  it.each(CASES)('%s', async (_name, files, held, error, line = 6) => {
    const result = await hold(files);
    expect(result.held.sort()).toEqual([...held].sort());
    const problems = result.problems.map((p) => [p.file, p.line, p.severity]);
    expect(problems).toEqual(error === undefined ? [] : [[PROD, line, 'error']]);
    if (error !== undefined) expect(result.problems[0].message).toContain(error);
  });
});
