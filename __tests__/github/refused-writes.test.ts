/**
 * GitHub's 403s on writes, in GitHub's words, each stopping the run with what to do about that one:
 * an archived repository (no token helps), the setting that keeps GITHUB_TOKEN from opening pull
 * requests (the workflow's permissions do not), and a token without `pull-requests: write`. Whatever
 * was refused, no branch is left without its pull request.
 */
import { describe, expect, it } from '@jest/globals';
import { GitHubPermissionError } from '../../src/github/github-call.js';
import { OWNER, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();
const NO_PULLS_TOKEN = 'ghs_no_pull_requests_write';
const FINE_GRAINED_TOKEN = 'github_pat_alice_fine_grained';

interface Case {
  name: string;
  setUp: () => void;
  token?: string;
  says: RegExp;
  saysNot?: RegExp;
}

const CASES: Case[] = [
  {
    name: 'an archived repository',
    setUp: () => h.standIn.setRepository(OWNER, h.repo, { archived: true }),
    says: /\(403 Repository was archived so is read-only\.\)\. The repository is archived, so GitHub refuses every write: unarchive it/,
    saysNot: /token needs/,
  },
  {
    name: 'GitHub Actions not allowed to open pull requests',
    setUp: () => h.standIn.setRepository(OWNER, h.repo, { actionsMayCreatePulls: false }),
    says: /\(403 GitHub Actions is not permitted to create or approve pull requests\.\)\. Turn on "Allow GitHub Actions to create and approve pull requests" \(Settings > Actions > General > Workflow permissions, in the organization's settings too\)/,
    saysNot: /token needs/,
  },
  {
    name: 'a token without pull-requests: write',
    setUp: () =>
      h.standIn.addToken(NO_PULLS_TOKEN, { contents: 'write', pull_requests: 'read', issues: 'write' }),
    token: NO_PULLS_TOKEN,
    says: /\(403 Resource not accessible by integration\)\. The token needs "pull-requests: write"/,
  },
  {
    // Its permissions are the token's own: the workflow's `permissions:` do not change them.
    name: 'a fine-grained personal access token without Pull requests: Read and write',
    setUp: () =>
      h.standIn.addToken(FINE_GRAINED_TOKEN, {
        contents: 'write',
        pull_requests: 'read',
        issues: 'write',
        login: 'alice',
        fineGrained: true,
      }),
    token: FINE_GRAINED_TOKEN,
    says: /\(403 Resource not accessible by personal access token\)\. The personal access token given as the "token" input needs the repository permission "Pull requests: Read and write" for this repository: edit the token/,
    saysNot: /workflow|GitHub Actions/,
  },
  {
    name: 'a fine-grained personal access token without Contents: Read and write',
    setUp: () =>
      h.standIn.addToken(FINE_GRAINED_TOKEN, {
        contents: 'read',
        pull_requests: 'write',
        issues: 'write',
        login: 'alice',
        fineGrained: true,
      }),
    token: FINE_GRAINED_TOKEN,
    says: /\(403 Resource not accessible by personal access token\)\. The personal access token given as the "token" input needs the repository permission "Contents: Read and write"/,
    saysNot: /workflow|GitHub Actions/,
  },
];

describe('a write GitHub refuses with 403', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: the run stops saying what to do', async (_name, c) => {
    c.setUp();
    const failure = await h
      .run([mongoUpdate('4.0.4')], c.token ? { github: h.client(c.token) } : {})
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GitHubPermissionError);
    expect((failure as Error).message).toMatch(c.says);
    if (c.saysNot) expect((failure as Error).message).not.toMatch(c.saysNot);
    expect(await h.standIn.branches(OWNER, h.repo)).toEqual(['main']);
    expect(h.standIn.pulls(OWNER, h.repo)).toEqual([]);
  });
});
