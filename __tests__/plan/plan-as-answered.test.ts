/**
 * A run's files planned as the registry answers (plan-as-answered.ts): a file is planned at the
 * turn after the last repository it names answers, with the data as it then stands, and the rest
 * once the registry phase is over; the plans come back in scan order, the plan one pass over every
 * file makes.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { mergeFilePlans } from '../../src/plan/file-plans.js';
import { planAsAnswered } from '../../src/plan/plan-as-answered.js';
import { planUpdates, type RepositoryData } from '../../src/plan/plan-updates.js';

/** A file of one automated release whose containers run `images` (`repository:tag`). */
function releaseFile(name: string, images: string[]): string {
  const containers = images
    .map((image, i) => `    c${i}:\n      image: ${image}\n`)
    .join('')
    .trimEnd();
  const filters = images.map((_, i) => `    filter.fluxcd.io/c${i}: semver:~1`).join('\n');
  return `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: ${name}
  annotations:
    fluxcd.io/automated: "true"
${filters}
spec:
  values:
${containers}
`;
}

/** Files by name, each naming its images. */
const FILES: Record<string, string[]> = {
  'a.yaml': ['reg.test/one:1.0.0'],
  'b.yaml': ['reg.test/one:1.0.0', 'reg.test/two:1.0.0'],
  'c.yaml': ['reg.test/two:1.0.0'],
  'd.yaml': ['reg.test/unlisted:1.0.0'],
};

function listed(...tags: string[]): RepositoryData {
  return { ok: true, tags, details: new Map() };
}

/** The chosen tags of each file's plans, by file, as `container=tag` ("-" when none). */
function chosen(plans: ReturnType<typeof mergeFilePlans>): string[] {
  return plans.containers.map((c) => `${c.file}:${c.container}=${c.update?.to ?? '-'}`);
}

describe('planAsAnswered', () => {
  const texts = new Map(Object.entries(FILES).map(([file, images]) => [file, releaseFile(file, images)]));
  const scans = [...texts].map(([file, text]) => scanFile(file, text));
  const lookedUp = (name: string) => name !== 'reg.test/unlisted';
  const planned = (data: Map<string, RepositoryData>, turn: () => Promise<void> = async () => {}) =>
    planAsAnswered(scans, texts, lookedUp, data, { requireAutomated: true }, new Date(), turn);

  it.each<[string, string[], number, string[]]>([
    [
      'a file is planned once every repository it names has answered, with the data as it then was',
      ['reg.test/one'],
      1,
      // a.yaml was planned with one at 1.0.1; b.yaml waited for two, and sees one at 1.0.2.
      ['a.yaml:c0=1.0.1', 'b.yaml:c0=1.0.2', 'b.yaml:c1=1.0.2', 'c.yaml:c0=1.0.2', 'd.yaml:c0=-'],
    ],
    [
      'both answered: every file naming them is planned as they answered',
      ['reg.test/one', 'reg.test/two'],
      3, // a turn before each plan: a.yaml's, then b.yaml's and c.yaml's
      ['a.yaml:c0=1.0.1', 'b.yaml:c0=1.0.1', 'b.yaml:c1=1.0.1', 'c.yaml:c0=1.0.1', 'd.yaml:c0=-'],
    ],
    [
      'none answered: every file is planned at the end',
      [],
      0,
      ['a.yaml:c0=1.0.2', 'b.yaml:c0=1.0.2', 'b.yaml:c1=1.0.2', 'c.yaml:c0=1.0.2', 'd.yaml:c0=-'],
    ],
  ])('%s', async (_name, answered, turnsTaken, expected) => {
    const data = new Map<string, RepositoryData>();
    let turns = 0;
    const files = planned(data, async () => {
      turns += 1;
    });
    for (const name of answered) {
      data.set(name, listed('1.0.0', '1.0.1'));
      files.answered(name);
      // The plans wait for a turn, then are made: let them run before the data moves on.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(turns).toBe(turnsTaken);
    // A newer tag by the end of the phase.
    data.set('reg.test/one', listed('1.0.0', '1.0.1', '1.0.2'));
    data.set('reg.test/two', listed('1.0.0', '1.0.1', '1.0.2'));
    const plan = mergeFilePlans(await files.plans());
    expect(chosen(plan)).toEqual(expected);
  });

  it('gives the plan one pass over every file gives, when the data does not move', async () => {
    const data = new Map<string, RepositoryData>();
    const files = planned(data);
    for (const name of ['reg.test/two', 'reg.test/one']) {
      data.set(name, listed('1.0.0', '1.1.0', '1.0.3'));
      files.answered(name);
    }
    expect(mergeFilePlans(await files.plans())).toEqual(
      planUpdates(scans, texts, data, { requireAutomated: true }),
    );
  });
});
