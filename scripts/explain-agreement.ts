/**
 * `explain FILE` against the CLI's `--json` run, over Debian's docker-registry: each case's images
 * are pushed with their build times, the CLI plans the checkout (`--json`), and `explain` is given
 * each repository's tags oldest first (as the README says to list them); every container's fate
 * must agree (explain may answer only with a condition where it reads no build times, and gives no
 * verdict for a repository it was given no tags for). Too slow for the suite (two CLI processes a
 * case); run by hand after changing the planner or explain:
 *
 *   npx tsx scripts/explain-agreement.ts      # one line a case; exit 1 on any disagreement
 */
import { join } from 'node:path';
import { runCliFromSource } from '../test-support/e2e/run-cli.js';
import { explainedFates, type Fate } from '../test-support/explain-verdicts.js';
import { seedImage, startRegistry } from '../test-support/registry/index.js';
import { helmRelease } from '../test-support/helmrelease/flux-v1-documents.js';
import { temporaryCheckouts } from '../test-support/temporary-checkouts.js';

/** One image of a case: its path in the registry and its tags, each built a day after the last. */
interface Pushed {
  path: string;
  tags: string[];
  /** The newest was built this long before now (default: years ago). */
  newestAgeMs?: number;
}

interface Case {
  name: string;
  /** The HelmRelease file (REGISTRY stands for the registry's host). */
  release: string;
  pushed: Pushed[];
  flags?: string[];
}

const DAY = 86_400_000;

const CASES: Case[] = [
  {
    name: 'semver update',
    release: helmRelease({
      annotations: ['filter.fluxcd.io/chart-image: semver:~1'],
      values: ['image: REGISTRY/team/app:1.0.0'],
    }),
    pushed: [{ path: 'team/app', tags: ['1.0.0', '1.2.0', '2.0.0'] }],
  },
  {
    name: 'up to date',
    release: helmRelease({ values: ['image: REGISTRY/team/app:1.1'] }),
    pushed: [{ path: 'team/app', tags: ['1.0', '1.1'] }],
  },
  {
    name: 'glob by build time, listed in another order than built',
    release: helmRelease({
      annotations: ['filter.fluxcd.io/chart-image: glob:main-*'],
      values: ['image: REGISTRY/team/app:main-z'],
    }),
    pushed: [{ path: 'team/app', tags: ['main-z', 'main-a', 'main-m'] }],
  },
  {
    name: 'no tag passes the filter',
    release: helmRelease({
      annotations: ['filter.fluxcd.io/chart-image: semver:~3'],
      values: ['image: REGISTRY/team/app:1.0.0'],
    }),
    pushed: [{ path: 'team/app', tags: ['1.0.0', '1.1.0'] }],
  },
  {
    name: 'digest pin with a tag',
    release: helmRelease({ values: [`image: REGISTRY/team/app:1.0@sha256:${'a'.repeat(64)}`] }),
    pushed: [{ path: 'team/app', tags: ['1.0', '1.1'] }],
  },
  {
    name: "the release's minimum release age, the newest built an hour ago",
    release: helmRelease({
      annotations: ['helmrelease-image-updater.io/minimum-release-age: "3d"'],
      values: ['image: REGISTRY/team/app:1.0.0'],
    }),
    pushed: [{ path: 'team/app', tags: ['1.0.0', '1.1.0'], newestAgeMs: 3_600_000 }],
  },
  {
    name: 'a repository the registry does not have (404)',
    release: helmRelease({ values: ['image: REGISTRY/team/gone:1.0'] }),
    pushed: [],
  },
  {
    name: 'two containers, one pushed, one not',
    release: helmRelease({
      values: ['image: REGISTRY/team/app:1.0', 'sidecar:', '  image: REGISTRY/team/gone:1.0'],
    }),
    pushed: [{ path: 'team/app', tags: ['1.0', '1.1'] }],
  },
];

async function main(): Promise<number> {
  const registry = await startRegistry();
  const checkouts = temporaryCheckouts('explain-agreement-');
  let disagreements = 0;
  try {
    for (const [n, c] of CASES.entries()) {
      // Each case its own repositories: the registry is shared.
      const own = (path: string) => path.replace('team/', `case${n}/`);
      const file = 'apps/app.yaml';
      const root = await checkouts.write({ [file]: own(c.release.replaceAll('REGISTRY', registry.host)) });
      const tagFlags: string[] = [];
      for (const pushed of c.pushed) {
        const newest = Date.now() - (pushed.newestAgeMs ?? 5000 * DAY);
        // Pushed newest first, so the registry's listing (by name) is not the build order.
        for (const [i, tag] of [...pushed.tags.entries()].reverse()) {
          const created = new Date(newest - (pushed.tags.length - 1 - i) * DAY).toISOString();
          await seedImage(registry, { path: own(pushed.path), tags: [tag], created });
        }
        tagFlags.push('--tags', `${registry.host}/${own(pushed.path)}=${pushed.tags.join(',')}`);
      }
      const common = ['--insecure-registries', registry.host, ...(c.flags ?? [])];
      const run = await runCliFromSource(['--dir', root, '--no-cache', '--json', ...common], {});
      const explain = await runCliFromSource(['explain', join(root, file), ...(c.flags ?? []), ...tagFlags], {
        cwd: root,
      });
      const ran = new Map<string, Fate>();
      for (const container of JSON.parse(run.stdout).containers as {
        release: string;
        container: string;
        decision: string;
        to?: string;
        update?: { to: string };
      }[]) {
        const to = container.update?.to ?? container.to;
        ran.set(
          `${container.release} ${container.container}`,
          container.decision === 'update' ? `update ${to}` : container.decision,
        );
      }
      const explained = explainedFates(explain.stdout);
      const agree =
        explain.exitCode === 0 &&
        ran.size === explained.size &&
        [...ran].every(([key, fate]) => {
          const said = explained.get(key);
          if (said === fate) return true;
          // explain was given no tags for a repository the registry does not have.
          if (said === 'not looked up' && fate === 'error') return true;
          return said?.endsWith(' once old enough') && (fate === 'too-new' || fate.startsWith('update '));
        });
      if (!agree) disagreements += 1;
      console.log(
        `${agree ? 'agree   ' : 'DISAGREE'} ${c.name}: run ${JSON.stringify([...ran])}, explain ${JSON.stringify([...explained])}` +
          (explain.exitCode === 0 ? '' : ` (explain exit ${explain.exitCode}: ${explain.stderr.trim()})`),
      );
    }
  } finally {
    await registry.stop();
    await checkouts.removeAll();
  }
  console.log(`${CASES.length - disagreements} passed, ${disagreements} failed`);
  return disagreements === 0 ? 0 : 1;
}

process.exitCode = await main();
