/**
 * Shared pieces of the reliability suite: a HelmRelease text builder (test-support's, shared with
 * the scripts), an in-memory registry and workspace, a progress log that keeps its lines, and a
 * one-call run over the real workspace adapter.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorkspaceFiles } from '../../src/adapters/workspace-files.js';
import {
  RegistryError,
  type ProgressLog,
  type RegistryPort,
  type TagDetails,
  type WorkspacePort,
} from '../../src/ports.js';
import { runUpdate, type RunPorts, type RunReport, type RunSettings } from '../../src/run-update.js';

// The HelmRelease text builder is shared with the scripts (scripts/explain-agreement.ts).
export {
  helmRelease,
  valuesLine,
  type ReleaseText,
} from '../../test-support/helmrelease/flux-v1-documents.js';

/** Tags (and optional build times) of an in-memory repository. */
export type MemoryRepository = string[] | { tags: string[]; created?: Record<string, string> } | Error;

/** A RegistryPort over fixed data; an Error entry fails that repository. */
export function memoryRegistry(repositories: Record<string, MemoryRepository>): RegistryPort {
  const get = (name: string) => {
    const repo = repositories[name];
    if (repo === undefined) throw new RegistryError(`${name} not found`, name.split('/')[0], 404);
    if (repo instanceof Error) throw repo;
    return Array.isArray(repo) ? { tags: repo, created: {} as Record<string, string> } : repo;
  };
  return {
    async listTags(name) {
      return [...get(name).tags];
    },
    async describeTags(name, tags) {
      const repo = get(name);
      const details = new Map<string, TagDetails | RegistryError>();
      for (const tag of tags) {
        const created = repo.created?.[tag];
        details.set(tag, {
          digest: `sha256:${'0'.repeat(64)}`,
          created: created ? new Date(created) : new Date(Date.UTC(2024, 0, 1 + repo.tags.indexOf(tag))),
        });
      }
      return details;
    },
  };
}

/** A WorkspacePort over in-memory texts. */
export function memoryWorkspace(files: Record<string, string>): WorkspacePort {
  return {
    async listFiles() {
      return Object.keys(files).sort();
    },
    async readFile(path) {
      const text = files[path];
      return text === undefined ? { ok: false, reason: 'no such file' } : { ok: true, text };
    },
  };
}

/** A progress log that keeps its lines (tests search them for secrets). */
export function memoryLog(lines: string[] = []): ProgressLog & { lines: string[] } {
  return {
    lines,
    info: (message) => {
      lines.push(message);
    },
    group: async (name, work) => {
      lines.push(`::group::${name}`);
      return work();
    },
  };
}

/** Default run settings: every YAML file, automated releases only. */
export const RUN_SETTINGS: RunSettings = { paths: [], exclude: [], requireAutomated: true };

/**
 * Writes `files` into a fresh temporary directory and runs one update over the real workspace
 * adapter (so size, binary and encoding checks apply), then removes the directory.
 */
export async function runOnFiles(
  files: Record<string, string | Buffer>,
  registry: RegistryPort,
  extra: Partial<RunPorts> = {},
  settings: RunSettings = RUN_SETTINGS,
): Promise<RunReport> {
  const root = await mkdtemp(join(tmpdir(), 'reliability-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
    return await runUpdate(settings, {
      workspace: createWorkspaceFiles(root),
      registry,
      log: memoryLog(),
      ...extra,
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
