/**
 * Branch names for long release names, containers and image paths: GitHub refuses refs over 255
 * bytes (the stand-in too), so the writer's branches are cut to fit, and a re-run finds the same
 * branch again.
 */
import { MAX_BRANCH_BYTES, type GroupBy } from '../../src/plan/branch-name.js';
import { helmReleaseYaml } from '../../test-support/github/helmrelease-fixture.js';
import { OWNER, PREFIX, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();
const LONG_FILE = 'releases/long.yaml';
/** The longest name Kubernetes takes (a DNS subdomain). */
const LONG_NAME = `mongodb-${'x'.repeat(245)}`;
/** An image path as long as a registry takes (255 characters). */
const LONG_REPOSITORY = `registry.example.com/${'team/'.repeat(45)}mongodb`;

describe('a branch name over GitHub’s limit', () => {
  it.each<[string, GroupBy, string]>([
    ['a 253-character release name', 'container', 'bitnami/mongodb'],
    ['a 253-character release name, group-by release', 'release', 'bitnami/mongodb'],
    ['a long image path, group-by image', 'image', LONG_REPOSITORY],
  ])('%s: is cut to fit, and a re-run finds it again', async (_name, groupBy, repository) => {
    await h.standIn.commitFiles(OWNER, h.repo, 'main', {
      [LONG_FILE]: helmReleaseYaml({ name: LONG_NAME, tag: '4.0.3', exporterTag: '0.10.0', repository }),
    });
    const update = mongoUpdate('4.0.4', {
      file: LONG_FILE,
      name: LONG_NAME,
      release: `data/${LONG_NAME}`,
      repository: repository.includes('.') ? repository : `docker.io/${repository}`,
      image: `${repository}:4.0.3`,
      newImage: `${repository}:4.0.4`,
    });
    const first = await h.run([update], {}, groupBy);
    expect(first.problems).toEqual([]);
    expect(first.results.map((r) => [r.action, r.number])).toEqual([['created', 1]]);
    const branch = first.results[0]!.branch;
    expect(branch.startsWith(PREFIX)).toBe(true);
    expect(Buffer.byteLength(branch)).toBeLessThanOrEqual(MAX_BRANCH_BYTES);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => [p.head, p.state])).toEqual([[branch, 'open']]);

    h.standIn.clearLog();
    const again = await h.run([update], {}, groupBy);
    expect(again.results.map((r) => [r.action, r.number, r.branch])).toEqual([['unchanged', 1, branch]]);
    expect(h.standIn.writeRequests()).toEqual([]);
  });
});
