/**
 * The servers and workspaces an e2e suite runs against: a real registry seeded with the fixture's
 * images, the GitHub stand-in, and temporary checkouts of the fixture repository.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry/registry-server.js';
import { seedMany } from '../../test-support/registry/seed.js';
import { mirrorEntries, readFixtureFiles, REGISTRY_IMAGES, writeFiles } from './fixture-repository.js';

/** The repositories' owner in the stand-in. */
export const OWNER = 'acme';

/** A running e2e environment. */
export interface E2eEnvironment {
  registry: RegistryServer;
  standIn: GitHubStandIn;
  /** The fixture repository's files. */
  fixture: Record<string, string>;
  /** `registry-mirrors` entries sending the fixture's registries to the local one. */
  mirrors: string[];
  /** A fresh temporary folder holding `files` (default: the fixture). */
  workspace(files?: Record<string, string>): Promise<string>;
  /** Creates `acme/<name>` from the fixture and checks its default branch out into a workspace. */
  checkout(name: string): Promise<string>;
  /**
   * Runs the built Action on `acme/<name>` in `workspace`, with the mirrors and `inputs`; `token`
   * defaults to WRITE_TOKEN, `node` (the binary) to the one running the tests.
   */
  step(
    name: string,
    workspace: string,
    inputs?: Record<string, string>,
    options?: { token?: string; node?: string; run?: { id: string; number: string } },
  ): Promise<ActionRun>;
  stop(): Promise<void>;
}

/**
 * Starts the registry (seeded) and the stand-in; `enterprise` serves the stand-in as GitHub
 * Enterprise Server (`GITHUB_API_URL` …/api/v3, `GITHUB_SERVER_URL` its root).
 */
export async function startE2eEnvironment(options: { enterprise?: boolean } = {}): Promise<E2eEnvironment> {
  const [registry, standIn] = await Promise.all([
    startRegistry({ auth: 'open' }),
    startGitHubStandIn(options),
  ]);
  await seedMany(registry, REGISTRY_IMAGES);
  const fixture = readFixtureFiles();
  const mirrors = mirrorEntries(registry.url);
  const temporary: string[] = [];
  const workspace = async (files: Record<string, string> = fixture): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-workspace-'));
    temporary.push(dir);
    await writeFiles(dir, files);
    return dir;
  };
  return {
    registry,
    standIn,
    fixture,
    mirrors,
    workspace,
    async checkout(name) {
      await standIn.createRepository(OWNER, name, fixture);
      return workspace(await standIn.readFiles(OWNER, name, 'main'));
    },
    step(name, dir, inputs = {}, { token = WRITE_TOKEN, node, run } = {}) {
      return runAction({
        workspace: dir,
        repository: `${OWNER}/${name}`,
        apiUrl: standIn.url,
        ...(options.enterprise
          ? {
              serverUrl: standIn.serverUrl,
              env: { GITHUB_GRAPHQL_URL: `${standIn.serverUrl}/api/graphql` },
            }
          : {}),
        token,
        inputs: { 'registry-mirrors': mirrors.join('\n'), ...inputs },
        ...(node ? { node } : {}),
        ...(run ? { runId: run.id, runNumber: run.number } : {}),
      });
    },
    async stop() {
      await Promise.all([registry.stop(), standIn.stop()]);
      for (const dir of temporary) await rm(dir, { recursive: true, force: true });
    },
  };
}
