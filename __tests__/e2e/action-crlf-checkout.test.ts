/**
 * End to end on a Windows runner's checkout: Git for Windows sets `core.autocrlf=true`, so
 * actions/checkout leaves CRLF in the working tree while the repository holds LF
 * (https://github.com/actions/checkout/issues/135). The built Action plans from the working tree,
 * but its pull requests must change only the tag's bytes of the repository's own file: no line may
 * become CRLF, and a rerun must find its own pull requests unchanged (their blob ids match).
 * A repository that holds CRLF itself (`.gitattributes` `eol=crlf`) keeps CRLF the same way, also
 * from a checkout with LF.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActionRun } from '../../test-support/e2e/run-action.js';
import { e2eDescribe } from './e2e-gate.js';
import { OWNER, startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';
import { EXPECTED_BUMPS } from './fixture-repository.js';

const describeE2e = e2eDescribe();

/** Every line break of each file as CRLF (an LF text becomes what autocrlf checks out). */
function withCrlf(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([path, text]) => [path, text.replace(/\r?\n/g, '\r\n')]),
  );
}

/**
 * The lines of `after` that differ from `before`, split at LF only (so a CR left on or taken off a
 * line shows): an empty list when only the bumps' tags changed, with the same line endings.
 */
function changedLines(
  before: string,
  after: string,
  bumps: readonly { line: number; from: string; to: string }[],
): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return [`line count changed from ${a.length} to ${b.length}`];
  const wrong: string[] = [];
  for (let i = 0; i < a.length; i += 1) {
    const bump = bumps.find((x) => x.line === i + 1);
    const want = bump ? a[i].replace(bump.from, bump.to) : a[i];
    if (b[i] !== want)
      wrong.push(`line ${i + 1}: expected ${JSON.stringify(want)}, got ${JSON.stringify(b[i])}`);
  }
  return wrong;
}

describeE2e('the built Action on a checkout with CRLF line endings', () => {
  let env: E2eEnvironment;

  beforeAll(async () => {
    env = await startE2eEnvironment();
  }, 60_000);

  afterAll(async () => {
    await env?.stop();
  });

  describe.each([
    ['the repository holds LF (core.autocrlf=true)', 'crlf-checkout-lf-repo', false, true],
    ['the repository holds CRLF (.gitattributes eol=crlf)', 'crlf-checkout-crlf-repo', true, true],
    // The other way round: CRLF committed without attributes, checked out with LF.
    ['the repository holds CRLF, the checkout LF', 'lf-checkout-crlf-repo', true, false],
  ])('%s', (_name, repo, crlfInRepository, crlfCheckout) => {
    let first: ActionRun;
    let second: ActionRun;
    let base: Record<string, string>;

    beforeAll(async () => {
      const files = !crlfInRepository
        ? env.fixture
        : crlfCheckout
          ? { ...withCrlf(env.fixture), '.gitattributes': '*.yaml text eol=crlf\r\n' }
          : withCrlf(env.fixture);
      await env.standIn.createRepository(OWNER, repo, files);
      base = await env.standIn.readFiles(OWNER, repo, 'main');
      const workspace = await env.workspace(crlfCheckout ? withCrlf(base) : env.fixture);
      first = await env.step(repo, workspace, { 'fail-on-error': 'false' });
      env.standIn.clearLog();
      second = await env.step(repo, workspace, { 'fail-on-error': 'false' });
    }, 300_000);

    it("changes only the tag's bytes of the repository's file on each branch", async () => {
      expect(first.exitCode).toBe(0);
      const pulls = env.standIn.pulls(OWNER, repo);
      expect(pulls).toHaveLength(EXPECTED_BUMPS.length);
      for (const pull of pulls) {
        const diff = await env.standIn.diff(OWNER, repo, 'main', pull.head);
        const [file, ...others] = Object.keys(diff);
        expect(others).toEqual([]);
        const bumps = EXPECTED_BUMPS.filter((b) => b.file === file && pull.title.includes(b.to));
        expect(bumps).toHaveLength(1);
        expect(diff[file].before).toBe(base[file]);
        expect(changedLines(diff[file].before!, diff[file].after!, bumps)).toEqual([]);
        expect(diff[file].after!.includes('\r\n')).toBe(crlfInRepository);
      }
    });

    it('says nothing with a carriage return in it (pull requests, outputs, summary)', () => {
      const texts = [
        ...env.standIn.pulls(OWNER, repo).flatMap((p) => [p.title, p.body ?? '']),
        ...Object.values(first.outputs),
        first.summary,
      ];
      expect(texts.filter((t) => t.includes('\r'))).toEqual([]);
    });

    it('finds its own pull requests unchanged on a rerun, and writes nothing', () => {
      expect(second.exitCode).toBe(0);
      const pullRequests = JSON.parse(second.outputs['pull-requests']) as { action: string }[];
      expect(pullRequests.map((p) => p.action)).toEqual(EXPECTED_BUMPS.map(() => 'unchanged'));
      expect(env.standIn.writeRequests()).toEqual([]);
    });
  });
});
