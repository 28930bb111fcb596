/**
 * One HelmRelease written once per cluster, the same bump in both files: two pull requests, each
 * titled with its file, so a reviewer can tell them apart; a rerun writes nothing, and once one is
 * merged the other's title is plain again. Against the GitHub stand-in.
 */
import { describe, expect, it } from '@jest/globals';
import type { Update } from '../../src/plan/types.js';
import { OWNER, mongoUpdate, release, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();

const STAGING = 'clusters/staging/mongodb.yaml';
const PRODUCTION = 'clusters/production/mongodb.yaml';
const TITLE = 'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)';

/** The chart-image bump of data/mongodb in `file`. */
const bump = (file: string): Update => mongoUpdate('4.0.4', { file });

/** The open pull requests' titles, by number. */
const openTitles = () =>
  h.standIn
    .pulls(OWNER, h.repo)
    .filter((p) => p.state === 'open')
    .map((p) => p.title);

describe('two pull requests that would be titled alike', () => {
  it('name their files, keep those titles on a rerun, and lose the file once alone', async () => {
    await h.standIn.commitFiles(OWNER, h.repo, 'main', {
      [STAGING]: release('mongodb', '4.0.3', '0.10.0'),
      [PRODUCTION]: release('mongodb', '4.0.3', '0.10.0'),
    });
    await h.run([bump(STAGING), bump(PRODUCTION)]);
    expect(openTitles()).toEqual([`${TITLE} in ${STAGING}`, `${TITLE} in ${PRODUCTION}`]);

    h.standIn.clearLog();
    await h.run([bump(STAGING), bump(PRODUCTION)]);
    expect(h.standIn.writeRequests()).toEqual([]);

    // Staging's is merged: production's title no longer needs its file.
    const staging = h.standIn.pulls(OWNER, h.repo).find((p) => p.title.endsWith(STAGING))!;
    await h.standIn.mergePullRequest(OWNER, h.repo, staging.number);
    await h.run([bump(PRODUCTION)]);
    expect(openTitles()).toEqual([TITLE]);
  });
});
