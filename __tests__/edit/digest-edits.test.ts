/**
 * Editing digest-pinned images (issue 18): the digest moves with the tag, in the image string
 * (`repo:1.0.0@sha256:…`), in the tag (`tag: 1.0.0@sha256:…`) or in a `digest:` key beside the tag
 * (keeping its quotes); a plan made with or without a digest, or from another digest, is refused.
 */
import { describe, expect, it } from '@jest/globals';
import { applyUpdates, type UpdateTarget } from '../../src/edit/apply-updates.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;

/** A HelmRelease `app` whose `spec.values` are `values` (indented by the function). */
function release(values: string): string {
  const indented = values
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
  return `apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n${indented}`;
}

/** Moves the top-level container to 1.1.0; `plan` adds the digests the plan read and chose. */
function bump(plan: Partial<UpdateTarget>): UpdateTarget {
  const base = {
    release: 'app',
    documentIndex: 0,
    container: 'chart-image',
    repository: 'docker.io/repo/app',
  };
  return { ...base, to: '1.1.0', ...plan };
}

const imageMap = (tag: string, digest: string) =>
  `image:\n  repository: repo/app\n  tag: ${tag}\n  digest: ${digest}\n`;

describe('a digest moves with its tag', () => {
  it.each([
    // what, values before, the plan's digests, values after
    ['in the image string', `image: repo/app:1.0.0@${A}\n`, { toDigest: B }, `image: repo/app:1.1.0@${B}\n`],
    [
      'in a quoted image string',
      `image: "repo/app:1.0.0@${A}"\n`,
      { toDigest: B, fromDigest: A },
      `image: "repo/app:1.1.0@${B}"\n`,
    ],
    [
      'in the tag',
      `image: repo/app\ntag: 1.0.0@${A}\n`,
      { toDigest: B },
      `image: repo/app\ntag: 1.1.0@${B}\n`,
    ],
    ['in a digest key', imageMap('1.0.0', A), { toDigest: B }, imageMap('1.1.0', B)],
    ["in a 'digest' key", imageMap('1.0.0', `'${A}'`), { toDigest: B }, imageMap('1.1.0', `'${B}'`)],
    [
      'in a "digest" key',
      imageMap('1.0.0', `"${A}"`),
      { toDigest: B, fromDigest: A },
      imageMap('1.1.0', `"${B}"`),
    ],
    // Only what differs is written.
    ['in a digest key, same digest', imageMap('1.0.0', A), { toDigest: A }, imageMap('1.1.0', A)],
    ['in a digest key, same tag', imageMap('1.1.0', A), { toDigest: B }, imageMap('1.1.0', B)],
    ['in a digest key, both already there', imageMap('1.1.0', B), { toDigest: B }, imageMap('1.1.0', B)],
    [
      'beside a block scalar digest key that already holds the new digest',
      `image:\n  repository: repo/app\n  tag: 1.0.0\n  digest: |-\n    ${B}\n`,
      { toDigest: B },
      `image:\n  repository: repo/app\n  tag: 1.1.0\n  digest: |-\n    ${B}\n`,
    ],
    [
      'in the image string, already there',
      `image: repo/app:1.1.0@${B}\n`,
      { toDigest: B },
      `image: repo/app:1.1.0@${B}\n`,
    ],
    // A re-push written since the plan (the digest planned) is fine.
    [
      'when the new digest is there already',
      `image: repo/app:1.0.0@${B}\n`,
      { toDigest: B, fromDigest: A },
      `image: repo/app:1.1.0@${B}\n`,
    ],
  ])('%s', (_what, before, plan, after) => {
    expect(applyUpdates('f.yaml', release(before), [bump(plan)])).toEqual({ ok: true, text: release(after) });
  });
});

describe('a digest edit is refused', () => {
  it.each([
    // what, values, the plan's digests, the reason
    [
      'when the plan had no digest',
      imageMap('1.0.0', A),
      {},
      'app chart-image is now pinned by digest; the update to 1.1.0 was planned without one',
    ],
    [
      'when the plan had no digest (image string)',
      `image: repo/app:1.0.0@${A}\n`,
      {},
      'app chart-image is now pinned by digest; the update to 1.1.0 was planned without one',
    ],
    [
      'when the image is no longer pinned',
      `image: repo/app:1.0.0\n`,
      { toDigest: B },
      'app chart-image is no longer pinned by digest; the update to 1.1.0 was planned with one',
    ],
    [
      'when a digest key has no tag beside it',
      `image:\n  repository: repo/app\n  digest: ${A}\n`,
      { toDigest: B },
      'app chart-image is no longer pinned by digest; the update to 1.1.0 was planned with one',
    ],
    [
      'when the pin is another digest than the plan read',
      imageMap('1.0.0', A),
      { toDigest: B, fromDigest: C },
      `app chart-image is now pinned to ${A}, not ${C}; the new digest of 1.1.0 was planned from ${C}`,
    ],
    [
      'when the image string is pinned to another digest than the plan read',
      `image: repo/app:1.0.0@${A}\n`,
      { toDigest: B, fromDigest: C },
      `app chart-image is now pinned to ${A}, not ${C}; the new digest of 1.1.0 was planned from ${C}`,
    ],
    [
      'when the digest key is a block scalar',
      `image:\n  repository: repo/app\n  tag: 1.0.0\n  digest: |-\n    ${A}\n`,
      { toDigest: B },
      'app chart-image: the digest is a YAML block scalar',
    ],
  ])('%s', (_what, values, plan, reason) => {
    expect(applyUpdates('f.yaml', release(values), [bump(plan)])).toEqual({ ok: false, reason });
  });
});
