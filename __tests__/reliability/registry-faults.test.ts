/**
 * Registry faults end to end: a real distribution registry behind the fault-injecting front proxy,
 * the real registry client (small timeouts), an in-memory workspace, and the real pull request
 * writer against the GitHub stand-in. Every fault hits one repository (`team/app`); the other
 * (`team/ok`) must still be planned and its pull request written, and the problems, the summary
 * and the `problems` output must say what failed and why.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { createPullRequestPort } from '../../src/github/pull-request-writer.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { problemsOutput } from '../../src/report/outputs.js';
import { escapeText } from '../../src/report/summary-markdown.js';
import { renderSummary } from '../../src/report/summary.js';
import { runUpdate, type RunReport } from '../../src/run-update.js';
import { WRITE_TOKEN, startGitHubStandIn, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import {
  registryTestGate,
  seedMany,
  startFrontProxy,
  startRegistry,
  type Fault,
  type FrontProxy,
  type RegistryServer,
} from '../../test-support/registry/index.js';
import { helmRelease, memoryLog, memoryWorkspace, RUN_SETTINGS } from './support.js';

const gate = registryTestGate();
if (!gate.available) console.warn(gate.message);
if (gate.mustFail) {
  describe('registry fault tests', () => {
    it('need docker-registry in CI', () => {
      throw new Error(gate.message);
    });
  });
}
const describeWithRegistry = gate.available ? describe : describe.skip;

const OWNER = 'acme';
const APP = 'releases/app.yaml';
const OK = 'releases/ok.yaml';
/** Line of the image in {@link helmRelease} output with one extra annotation. */
const IMAGE_LINE = 15;
const HTTP = { timeoutMs: 1500, retries: 2, retryBaseDelayMs: 0, maxRetryAfterMs: 2000 };

/** Both releases, the faulty repository's and the healthy one's. */
function workspace(host: string, appFilter = 'glob:*'): Record<string, string> {
  const release = (name: string, image: string, filter: string) =>
    helmRelease({
      name,
      values: [`image: ${image}`],
      annotations: [`filter.fluxcd.io/chart-image: "${filter}"`],
    });
  return {
    [APP]: release('app', `${host}/team/app:1.0.0`, appFilter),
    [OK]: release('ok', `${host}/team/ok:1.0.0`, 'glob:*'),
  };
}

/** A fault limited to the faulty repository. */
const app = (fault: Omit<Fault, 'pathIncludes'>): Fault => ({ ...fault, pathIncludes: '/team/app/' });

/** A tag list body of `count` generated tags plus the real ones. */
function hugeTagList(count: number): string {
  const tags = Array.from({ length: count }, (_, i) => `0.${Math.floor(i / 1000)}.${i % 1000}`);
  return JSON.stringify({ name: 'team/app', tags: [...tags, '1.0.0', '1.1.0'] });
}

interface FaultCase {
  name: string;
  faults: Fault[];
  appFilter?: string;
  /** Problems about the faulty release (file APP, line IMAGE_LINE), in order. */
  problems: RegExp[];

  /** Whether the faulty repository recovered (its update planned and its pull request written). */
  recovered: boolean;
}

const CASES: FaultCase[] = [
  {
    name: '429 with Retry-After: 1, once',
    faults: [app({ kind: 'tagPage', times: 1, action: { status: 429, retryAfter: '1' } })],
    problems: [],
    recovered: true,
  },
  {
    name: '429 on every request',
    faults: [app({ action: { status: 429, retryAfter: '0' } })],
    problems: [
      /could not check 127\.0\.0\.1:\d+\/team\/app: 127\.0\.0\.1:\d+ rate-limited the request for the tag list of .*team\/app: TOOMANYREQUESTS injected 429/,
    ],
    recovered: false,
  },
  {
    name: '429 with a Retry-After of an hour',
    faults: [app({ action: { status: 429, retryAfter: '3600' } })],
    problems: [/could not check .*team\/app: .*rate-limited the request for the tag list/],
    recovered: false,
  },
  {
    name: '500 on every request',
    faults: [app({ action: { status: 500 } })],
    problems: [
      /could not check .*team\/app: 127\.0\.0\.1:\d+ answered 500 for the tag list of .*team\/app: UNAVAILABLE injected 500/,
    ],
    recovered: false,
  },
  {
    name: '502 twice, then answers',
    faults: [app({ times: 2, action: { status: 502 } })],
    problems: [],
    recovered: true,
  },
  {
    name: '503 on every request',
    faults: [app({ action: { status: 503 } })],
    problems: [/could not check .*team\/app: .*answered 503 for the tag list/],
    recovered: false,
  },
  {
    name: 'connection reset on every request',
    faults: [app({ action: { reset: true } })],
    problems: [/could not check .*team\/app: .*(reset|socket|closed|fetch failed)/i],
    recovered: false,
  },
  {
    name: 'connection reset once, then answers',
    faults: [app({ times: 1, action: { reset: true } })],
    problems: [],
    recovered: true,
  },
  {
    name: 'a tag list that never answers',
    faults: [app({ kind: 'tagPage', action: { hang: true } })],
    problems: [/could not check .*team\/app: .*tim(ed|e) ?out/i],
    recovered: false,
  },
  {
    name: 'a tag list whose body never ends',
    faults: [app({ kind: 'tagPage', action: { stall: true } })],
    problems: [/could not check .*team\/app: .*tim(ed|e) ?out/i],
    recovered: false,
  },
  {
    name: 'a tag list that is not JSON',
    faults: [app({ kind: 'tagPage', action: { status: 200, body: '<html>Service Unavailable</html>' } })],
    problems: [/could not check .*team\/app: the tag list of .*team\/app is not JSON/],
    recovered: false,
  },
  {
    name: 'a truncated tag list',
    faults: [
      app({ kind: 'tagPage', action: { status: 200, body: '{"name":"team/app","tags":["1.0.0","1.' } }),
    ],
    problems: [/could not check .*team\/app: the tag list of .*team\/app is not JSON/],
    recovered: false,
  },
  {
    // JSON, but no list of tags: read as an empty page, the image was reported up to date.
    name: 'a tag list whose tags are not a list',
    faults: [app({ kind: 'tagPage', action: { status: 200, body: '{"name":"team/app","tags":"1.1.0"}' } })],
    problems: [
      /could not check .*team\/app: the tag list of .*team\/app is not a tag list \("tags" is a JSON string\)/,
    ],
    recovered: false,
  },
  {
    name: 'a tag list of 100,000 tags',
    faults: [app({ kind: 'tagPage', action: { status: 200, body: hugeTagList(100_000) } })],
    appFilter: 'semver:>=0.0.0',
    problems: [],
    recovered: true,
  },
  {
    name: 'a manifest pointing at a missing config blob',
    faults: [app({ kind: 'getBlob', action: { status: 404 } })],
    problems: [
      // Each tag's own digest is in its failure: one error says it for both, and the image could not be checked.
      /^apps\/app chart-image: could not check 127\.0\.0\.1:\d+\/team\/app: none of the tags matching glob:\* could be read from the registry: 2 tags \(1\.0\.0, 1\.1\.0\): the image config of 127\.0\.0\.1:\d+\/team\/app@<digest> not found: UNAVAILABLE injected 404$/,
    ],
    recovered: false,
  },
  {
    name: 'a manifest that is garbage',
    faults: [app({ kind: 'getManifest', action: { status: 200, body: 'garbage' } })],
    problems: [
      /^apps\/app chart-image: could not check 127\.0\.0\.1:\d+\/team\/app: none of the tags matching glob:\* could be read from the registry: 2 tags \(1\.0\.0, 1\.1\.0\): the manifest 127\.0\.0\.1:\d+\/team\/app@<digest> does not match its digest <digest>$/,
    ],
    recovered: false,
  },
  {
    // A slowloris registry: the repository's manifests never answer. The other repository on the
    // same host shares its slots and completes.
    name: 'every manifest HEAD of the repository never answers',
    faults: [app({ kind: 'headManifest', action: { hang: true } })],
    problems: [
      /^apps\/app chart-image: could not check 127\.0\.0\.1:\d+\/team\/app: none of the tags matching glob:\* could be read from the registry: 2 tags \(1\.0\.0, 1\.1\.0\): HEAD 127\.0\.0\.1:\d+\/v2\/team\/app\/manifests\/<tag>: timed out after 1500 ms$/,
    ],
    recovered: false,
  },
];

describeWithRegistry('registry faults, end to end', () => {
  let registry: RegistryServer;
  let standIn: GitHubStandIn;
  const fronts: FrontProxy[] = [];
  let repoCount = 0;

  beforeAll(async () => {
    [registry, standIn] = await Promise.all([startRegistry({ auth: 'open' }), startGitHubStandIn()]);
    await seedMany(registry, [
      // A label of its own gives team/app digests no other repository shares, so a fault on
      // team/app is never masked by team/ok having read the same content first.
      { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z', labels: { repository: 'app' } },
      { path: 'team/app', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z', labels: { repository: 'app' } },
      { path: 'team/ok', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
      { path: 'team/ok', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
    ]);
  });
  afterAll(async () => {
    await Promise.all(fronts.map((f) => f.stop()));
    await registry?.stop();
    await standIn?.stop();
  });

  /** Runs one update with PRs written into a fresh stand-in repository. */
  async function runWith(
    files: Record<string, string>,
    registryClient: ReturnType<typeof createRegistryClient>,
  ) {
    const repo = `gitops-${(repoCount += 1)}`;
    await standIn.createRepository(OWNER, repo, files);
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: standIn.url,
      retries: 0,
      spaceWrites: false,
    });
    const report = await runUpdate(RUN_SETTINGS, {
      workspace: memoryWorkspace(files),
      registry: registryClient,
      log: memoryLog(),
      pullRequests: createPullRequestPort({
        github,
        owner: OWNER,
        repo,
        branchPrefix: 'helmrelease-image-updater/',
        applyUpdates,
        groupBy: 'container',
      }),
    });
    return { report, repo };
  }

  /** The pull requests' titles, and each one's changed files. */
  async function pullRequests(repo: string) {
    return Promise.all(
      standIn
        .pulls(OWNER, repo)
        .map(async (p) => [p.state, Object.keys(await standIn.diff(OWNER, repo, 'main', p.head))]),
    );
  }

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const front = await startFrontProxy({ target: registry.url, faults: c.faults });
    fronts.push(front);
    const files = workspace(front.host, c.appFilter);
    const { report, repo } = await runWith(files, createRegistryClient({ http: HTTP }));

    const seen = report.problems.map((p) => [p.file, p.line, p.message]);
    const expected = (list: RegExp[]) =>
      list.map((pattern) => [APP, IMAGE_LINE, expect.stringMatching(pattern)]);
    expect(seen).toEqual(expected(c.problems));
    const updates = report.plan.updates.map((u) => [u.file, u.newImage]);
    expect(updates).toEqual([
      ...(c.recovered ? [[APP, `${front.host}/team/app:1.1.0`]] : []),
      [OK, `${front.host}/team/ok:1.1.0`],
    ]);
    expect(await pullRequests(repo)).toEqual([...(c.recovered ? [['open', [APP]]] : []), ['open', [OK]]]);
    expectReported(report, c.problems);
    expect(standIn.violations).toEqual([]);
  });

  it('a 100,000-tag list is read whole, in one response, and its highest version chosen', async () => {
    const front = await startFrontProxy({
      target: registry.url,
      faults: [app({ kind: 'tagPage', action: { status: 200, body: hugeTagList(100_000) } })],
    });
    fronts.push(front);
    const client = createRegistryClient({ http: HTTP });
    expect(await client.listTags(`${front.host}/team/app`)).toHaveLength(100_002);
  });

  it('an expired token mid-run: the registry rejects it, one new token is fetched, the run completes', async () => {
    const tokenRegistry = await startRegistry({ auth: 'token', users: { tester: 'secret' } });
    const revoking = await startRevokingProxy(tokenRegistry.url);
    try {
      await seedMany(tokenRegistry, [
        { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
        { path: 'team/app', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
        { path: 'team/ok', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
        { path: 'team/ok', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
      ]);
      const tokenLog = tokenRegistry.tokenServer!.log;
      tokenLog.length = 0;
      // Every token in use expires when the first manifest is asked for.
      revoking.revokeOnFirst('HEAD');
      const client = createRegistryClient({
        http: HTTP,
        credentials: new Map([[revoking.host, { username: 'tester', password: 'secret' }]]),
      });
      const { report } = await runWith(workspace(revoking.host), client);
      expect(report.problems).toEqual([]);
      expect(report.plan.updates.map((u) => u.newImage)).toEqual([
        `${revoking.host}/team/app:1.1.0`,
        `${revoking.host}/team/ok:1.1.0`,
      ]);
      expect(revoking.rejected()).toBeGreaterThan(0);
      // One token per repository, and at most one more per repository after the expiry: a
      // repository whose first token came after the revocation needs no second one (each
      // repository goes from its listing to its manifests on its own, so the order varies).
      expect(tokenLog.length).toBeGreaterThanOrEqual(3);
      expect(tokenLog.length).toBeLessThanOrEqual(4);
    } finally {
      await revoking.stop();
      await tokenRegistry.stop();
    }
  });

  it('a token server that is down fails only that registry’s repositories', async () => {
    const tokenRegistry = await startRegistry({ auth: 'token', users: { tester: 'secret' } });
    const front = await startFrontProxy({ target: registry.url });
    fronts.push(front);
    try {
      await seedMany(tokenRegistry, [
        { path: 'team/app', tags: ['1.0.0', '1.1.0'], created: '2024-01-01T00:00:00Z' },
      ]);
      await tokenRegistry.tokenServer!.stop();
      const files = {
        [APP]: workspace(tokenRegistry.host)[APP]!,
        [OK]: workspace(front.host)[OK]!,
      };
      const client = createRegistryClient({
        http: HTTP,
        credentials: new Map([[tokenRegistry.host, { username: 'tester', password: 'secret' }]]),
      });
      const { report, repo } = await runWith(files, client);
      const problems = [/could not check 127\.0\.0\.1:\d+\/team\/app: .*token/i];
      expect(report.problems.map((p) => [p.file, p.line, p.message])).toEqual(
        problems.map((pattern) => [APP, IMAGE_LINE, expect.stringMatching(pattern)]),
      );
      expect(report.plan.updates.map((u) => u.newImage)).toEqual([`${front.host}/team/ok:1.1.0`]);
      expect(await pullRequests(repo)).toEqual([['open', [OK]]]);
      expectReported(report, problems);
    } finally {
      await tokenRegistry.stop();
    }
  });
});

/** The summary and the `problems` output carry each problem (the summary's text escaped). */
function expectReported(report: RunReport, problems: RegExp[]): void {
  const output = problemsOutput(report.problems);
  expect(output.map((p) => p.message)).toEqual(problems.map((p) => expect.stringMatching(p)));
  const summary = renderSummary(report, false);
  for (const problem of report.problems) {
    expect(summary).toContain(escapeText(problem.message).slice(0, 60));
  }
  for (const decision of report.plan.containers) {
    expect(summary).toContain(decision.container);
  }
}

/**
 * A pass-through proxy that can make every bearer token seen so far "expire": from the first
 * request of a method on, requests with such a token get the registry's own 401 challenge, as a
 * registry answers an expired token.
 */
async function startRevokingProxy(target: string): Promise<{
  host: string;
  revokeOnFirst(method: string): void;
  rejected(): number;
  stop(): Promise<void>;
}> {
  const upstream = new URL(target);
  const seen = new Set<string>();
  const revoked = new Set<string>();
  let trigger: string | undefined;
  let challenge = '';
  let rejected = 0;
  const server: Server = createServer((req, res) => {
    const authorization = req.headers.authorization;
    if (trigger !== undefined && req.method === trigger) {
      for (const token of seen) revoked.add(token);
      trigger = undefined;
    }
    if (authorization && revoked.has(authorization)) {
      rejected += 1;
      const name = /^\/v2\/(.+)\/(tags|manifests|blobs)\//.exec(req.url ?? '')?.[1] ?? '';
      res.writeHead(401, {
        'www-authenticate': `${challenge},scope="repository:${name}:pull"`,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'token expired' }] }));
      return;
    }
    if (authorization?.startsWith('Bearer ')) seen.add(authorization);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        const header = answer.headers['www-authenticate'];
        const realm =
          typeof header === 'string' ? /^Bearer realm="[^"]*",service="[^"]*"/.exec(header) : null;
        if (realm) challenge = realm[0];
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    revokeOnFirst: (method) => {
      trigger = method;
    },
    rejected: () => rejected,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
