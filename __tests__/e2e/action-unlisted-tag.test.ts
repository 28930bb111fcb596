/**
 * End to end, from source: an open pull request of the Action whose tag was deleted from the real
 * registry since. The next run's plan no longer names it (the newest tag the filter allows is the
 * one the base has), and it must not stay open as if valid: a warning names it, at its file, and
 * says what to do. It is not closed, and nothing is written.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { runAction } from '../../test-support/e2e/run-action.js';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import { e2eDescribe } from './e2e-gate.js';
import { OWNER, startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';

const describeE2e = e2eDescribe();

const FILE = 'clusters/production/data/mongodb.yaml';

describeE2e('an open pull request whose tag was deleted from the registry', () => {
  let env: E2eEnvironment;

  beforeAll(async () => {
    env = await startE2eEnvironment();
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('is warned of at its file on the next run, and left open', async () => {
    const repo = 'gitops-unlisted';
    const workspace = await env.checkout(repo);
    const step = () =>
      runAction({
        workspace,
        repository: `${OWNER}/${repo}`,
        apiUrl: env.standIn.url,
        token: WRITE_TOKEN,
        inputs: { 'registry-mirrors': env.mirrors.join('\n'), paths: 'clusters/production/data/**' },
        fromSource: true,
      });
    expect((await step()).exitCode).toBe(0);
    const exporter = env.standIn.pulls(OWNER, repo).find((p) => p.title.includes('mongodb-exporter'))!;
    expect(exporter.title).toContain('to 0.10.1');

    // The registry's own DELETE of the tag's manifest (its only tag).
    const manifest = `${env.registry.url}/v2/bitnami/mongodb-exporter/manifests`;
    const head = await fetch(`${manifest}/0.10.1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    const digest = head.headers.get('docker-content-digest');
    expect((await fetch(`${manifest}/${digest}`, { method: 'DELETE' })).status).toBe(202);

    env.standIn.clearLog();
    const run = await step();
    expect(run.exitCode).toBe(0);
    expect(run.annotations.filter((a) => a.message.includes('no longer lists'))).toEqual([
      {
        level: 'warning',
        file: FILE,
        title: 'helmrelease-image-updater',
        message:
          `#${exporter.number} proposes docker.io/bitnami/mongodb-exporter:0.10.1, which the registry no longer lists ` +
          `(deleted since?): merged, it would deploy an image that cannot be pulled. Close #${exporter.number}, or push it again`,
      },
    ]);
    expect(env.standIn.writeRequests()).toEqual([]);
    expect(env.standIn.pulls(OWNER, repo).find((p) => p.number === exporter.number)?.state).toBe('open');
  });
});
