/**
 * Digest pins (issue 18): `tag: 1.2.3@sha256:…` and `image: repo:1.2.3@sha256:…` move with their
 * tag to the new tag's digest as the registry serves it (a multi-platform image's index, never a
 * platform's manifest); a pin without a tag is reported and left alone. Real registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpRegistry } from '../../src/adapters/registry-setup.js';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { renderTitle } from '../../src/plan/pull-request-text.js';
import type { WorkspacePort } from '../../src/ports.js';
import { runUpdate } from '../../src/run-update.js';
import { parseSettings } from '../../src/settings.js';
import {
  registryTestGate,
  startRegistry,
  type RegistryServer,
} from '../../test-support/registry/registry-server.js';
import { seedImage } from '../../test-support/registry/seed.js';

const OLD = `sha256:${'a'.repeat(64)}`;
const log = { info: () => undefined, group: <T>(_: string, work: () => Promise<T>) => work() };

function workspace(files: Record<string, string>): WorkspacePort {
  return {
    listFiles: async () => Object.keys(files).sort(),
    readFile: async (path) => ({ ok: true, text: files[path] }),
  };
}

function release(filter: string, values: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/chart-image: ${filter}
spec:
  values:
${values
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;
}

const gate = registryTestGate();
const describeWithRegistry = gate.available ? describe : describe.skip;

describeWithRegistry('digest pins (real registry, multi-platform indexes)', () => {
  let registry: RegistryServer;
  let configDir: string;
  let index: string;
  let list: string;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'open' });
    await seedImage(registry, { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' });
    list = (
      await seedImage(registry, {
        path: 'team/app',
        tags: ['1.0.1'],
        format: 'docker-list',
        created: '2024-02-01T00:00:00Z',
      })
    ).digest;
    index = (
      await seedImage(registry, {
        path: 'team/app',
        tags: ['1.1.0'],
        format: 'oci-index',
        attestation: true,
        created: '2024-03-01T00:00:00Z',
      })
    ).digest;
    configDir = await mkdtemp(join(tmpdir(), 'docker-config-'));
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  async function run(text: string, inputs: Record<string, string> = {}) {
    const settings = parseSettings((name) => inputs[name]);
    const setup = await setUpRegistry(settings, {
      maskSecret: () => undefined,
      onNotice: () => undefined,
      env: { DOCKER_CONFIG: configDir },
    });
    return runUpdate(settings, { workspace: workspace({ 'app.yaml': text }), registry: setup.client, log });
  }

  it.each([
    [
      'image: repo:tag@digest, semver',
      'semver:~1.0',
      (h: string) => `image: ${h}/team/app:1.0.0@${OLD}`,
      '1.0.1',
    ],
    [
      'image: repo:tag@digest, by time',
      'glob:1.*',
      (h: string) => `image: "${h}/team/app:1.0.0@${OLD}"`,
      '1.1.0',
    ],
    [
      'tag: tag@digest',
      'semver:^1.0',
      (h: string) => `image:\n  repository: ${h}/team/app\n  tag: '1.0.0@${OLD}'`,
      '1.1.0',
    ],
  ])('%s moves the digest with the tag, to the digest the registry serves', async (_, filter, values, to) => {
    const text = release(filter, values(registry.host));
    const report = await run(text);
    const digest = to === '1.1.0' ? index : list;
    // The pin it moves from, for the body to show beside the new one.
    expect(report.plan.updates.map((u) => [u.to, u.pinnedDigest, u.toDigest])).toEqual([[to, OLD, digest]]);
    const edit = report.plan.edits[0];
    expect(edit.after).toBe(text.replace(`1.0.0@${OLD}`, `${to}@${digest}`));
    // The pull request writer applies the same update to the base text, verified by a re-read.
    expect(applyUpdates('app.yaml', text, report.plan.updates)).toEqual({ ok: true, text: edit.after });
  });

  it.each([
    ['plain', (d: string) => d],
    ['quoted', (d: string) => `"${d}"`],
  ])('a %s digest: key beside the tag moves with it', async (_, written) => {
    const values = (h: string, tag: string, digest: string) =>
      `image:\n  repository: ${h}/team/app\n  tag: ${tag}\n  digest: ${written(digest)}  # pinned`;
    const text = release('semver:~1.0', values(registry.host, '1.0.0', OLD));
    const report = await run(text);
    expect(report.plan.updates.map((u) => [u.to, u.pinnedDigest, u.toDigest])).toEqual([
      ['1.0.1', OLD, list],
    ]);
    expect(report.plan.edits[0].after).toBe(release('semver:~1.0', values(registry.host, '1.0.1', list)));
    expect(applyUpdates('app.yaml', text, report.plan.updates)).toEqual({
      ok: true,
      text: report.plan.edits[0].after,
    });
  });

  describe('a re-pushed tag (the tag stays, its digest changed)', () => {
    const written = {
      'image: repo:tag@digest': (h: string, digest: string) => `image: ${h}/team/repushed:2.0.0@${digest}`,
      'tag: tag@digest': (h: string, digest: string) =>
        `image:\n  repository: ${h}/team/repushed\n  tag: "2.0.0@${digest}"`,
      'digest: key': (h: string, digest: string) =>
        `image:\n  repository: ${h}/team/repushed\n  tag: 2.0.0\n  digest: '${digest}'`,
    };
    let first: string;
    let second: string;
    beforeAll(async () => {
      first = (
        await seedImage(registry, { path: 'team/repushed', tags: ['2.0.0'], created: '2024-01-01T00:00:00Z' })
      ).digest;
      // The same tag pushed again with another image (a rebuild): the tag stays, its digest moves.
      second = (
        await seedImage(registry, {
          path: 'team/repushed',
          tags: ['2.0.0'],
          format: 'oci-index',
          created: '2024-05-01T00:00:00Z',
        })
      ).digest;
    });

    it('the tag was re-pushed to a different image', () => {
      expect(second).not.toBe(first);
    });

    it.each(Object.entries(written))('%s: off by default, nothing changes', async (_, values) => {
      const report = await run(release('semver:~2.0', values(registry.host, first)));
      expect(report.plan.updates).toEqual([]);
      expect(report.plan.containers[0]).toMatchObject({ decision: 'up-to-date' });
    });

    it.each(Object.entries(written))(
      '%s: update-repushed-digests proposes the new digest, changing only its bytes',
      async (_, values) => {
        const text = release('semver:~2.0', values(registry.host, first));
        const report = await run(text, { 'update-repushed-digests': 'true' });
        expect(report.plan.updates).toMatchObject([
          {
            from: '2.0.0',
            to: '2.0.0',
            fromDigest: first,
            toDigest: second,
            type: 'build',
            downgrade: false,
          },
        ]);
        expect(report.plan.updates[0].chosenBy).toMatch(/2\.0\.0 was re-pushed: its digest changed/);
        const edit = report.plan.edits[0];
        expect(edit.after).toBe(release('semver:~2.0', values(registry.host, second)));
        expect(applyUpdates('app.yaml', text, report.plan.updates)).toEqual({ ok: true, text: edit.after });
        expect(renderTitle(report.plan.updates)).toMatch(
          /from 2\.0\.0 to 2\.0\.0 \(.*\) \(digest changed\)$/,
        );
        // A pin written since the plan is not overwritten.
        const other = `sha256:${'c'.repeat(64)}`;
        expect(applyUpdates('app.yaml', text.replace(first, other), report.plan.updates)).toEqual({
          ok: false,
          reason: expect.stringMatching(/now pinned to sha256:c+, not sha256:/),
        });
      },
    );

    it('a re-pushed image younger than the minimum release age is held, like a new tag', async () => {
      // Pushed an hour ago and re-pushed now: a new release under the same tag.
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const pinned = (await seedImage(registry, { path: 'team/fresh', tags: ['3.0.0'], created: hourAgo }))
        .digest;
      await seedImage(registry, { path: 'team/fresh', tags: ['3.0.0'], created: new Date().toISOString() });
      const text = release('semver:~3.0', `image: ${registry.host}/team/fresh:3.0.0@${pinned}`);
      const held = await run(text, { 'update-repushed-digests': 'true', 'minimum-release-age': '3d' });
      expect(held.plan.updates).toEqual([]);
      expect(held.plan.containers[0]).toMatchObject({
        decision: 'too-new',
        reason: expect.stringMatching(
          /^not proposed yet: the image re-pushed as 3\.0\.0 \(built .*\) is younger than the minimum release age 3d/,
        ),
      });
      const proposed = await run(text, { 'update-repushed-digests': 'true' });
      expect(proposed.plan.updates).toMatchObject([{ from: '3.0.0', to: '3.0.0', fromDigest: pinned }]);
    });

    it('a pin that already has the served digest is up to date', async () => {
      const text = release('semver:~2.0', written['image: repo:tag@digest'](registry.host, second));
      const report = await run(text, { 'update-repushed-digests': 'true' });
      expect(report.plan.updates).toEqual([]);
      expect(report.plan.containers[0]).toMatchObject({ decision: 'up-to-date' });
    });
  });

  it('reports a pin without a tag and leaves it', async () => {
    const text = release('semver:~1.0', `image: ${registry.host}/team/app@${OLD}`);
    const report = await run(text);
    expect(report.plan.updates).toEqual([]);
    expect(report.plan.containers[0]).toMatchObject({ decision: 'skipped' });
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/pinned by digest without a tag, so there is no tag to follow/),
    ]);
  });

  it('refuses to apply a pinned update to a text that is no longer pinned', async () => {
    const text = release('semver:~1.0', `image: ${registry.host}/team/app:1.0.0@${OLD}`);
    const report = await run(text);
    const unpinned = text.replace(`@${OLD}`, '');
    expect(applyUpdates('app.yaml', unpinned, report.plan.updates)).toEqual({
      ok: false,
      reason: expect.stringMatching(/no longer pinned by digest/),
    });
  });
});
