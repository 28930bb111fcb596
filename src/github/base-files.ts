/**
 * The base commit's files as a run reads them: each file's text and blob id, read once per run and
 * shared by its pull requests, and the planned edit of them. Files are compared by git blob id,
 * computed locally for the planned text, so a branch's files are never downloaded to be compared.
 */
import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES } from '../adapters/workspace-files.js';
import { byteCount, groupedCount } from '../byte-count.js';
import type { UpdateTarget } from '../edit/locate-target.js';
import { groupBy } from '../group-by.js';
import type { Update } from '../plan/types.js';
import type { PlannedFile } from './pull-request-facts.js';
import { call, fullName, isNotFound, repoParams, type Repository } from './github-call.js';

/**
 * Applies updates to a file's text (`applyUpdates` from `src/edit/apply-updates.ts`): the plan's
 * updates, or the targets a pull request's marker records (`obsolete-pulls.ts`).
 */
export type ApplyUpdates = (
  file: string,
  baseText: string,
  updates: readonly UpdateTarget[],
) => { ok: true; text: string } | { ok: false; reason: string; releaseAbsent?: true };

/** The git blob id of a text (its UTF-8 bytes), as `git hash-object` computes it. */
export function gitBlobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A file at a commit: its blob id and text; undefined when it does not exist. */
export async function readFile(
  repository: Repository,
  path: string,
  ref: string,
): Promise<{ blob: string; text?: string } | undefined> {
  const { github } = repository;
  const params = repoParams(repository);
  let content;
  try {
    content = await call(`GET /repos/${fullName(repository)}/contents/${path}`, () =>
      github.rest.repos.getContent({ ...params, path, ref }),
    );
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  if (Array.isArray(content) || content.type !== 'file') return undefined;
  if (content.encoding === 'base64' && (content.content !== '' || content.size === 0)) {
    return { blob: content.sha, text: baseText(path, Buffer.from(content.content, 'base64')) };
  }
  // Files over 1 MB come without content (`encoding: none`); read the blob instead, if the file is
  // one the workspace scan would read too (the blob API serves up to 100 MB, a third more as JSON).
  if (content.size > MAX_FILE_BYTES) {
    throw new Error(
      `${path} is ${groupedCount(content.size)} bytes at the base commit, more than the ${byteCount(MAX_FILE_BYTES)} read; it is not edited`,
    );
  }
  const blob = await call(`GET /repos/${fullName(repository)}/git/blobs/${content.sha}`, () =>
    github.rest.git.getBlob({ ...params, file_sha: content.sha }),
  );
  return { blob: content.sha, text: baseText(path, Buffer.from(blob.content, 'base64')) };
}

/**
 * A base file's bytes as text, as the workspace reads a file: UTF-8, its byte order mark kept. Bytes
 * that are not UTF-8 (a file the base moved on to in Latin-1 or UTF-16) would be decoded as U+FFFD
 * and written back so, changing bytes the edit does not own while the edit's check still passed: such
 * a file is not edited.
 */
function baseText(path: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Error(
      `${path} is not valid UTF-8 at the base commit, so it is not edited (the edit would change bytes other than the tag); save it as UTF-8 to have it updated`,
    );
  }
}

/**
 * The base commit's files as this run reads them, each once: several pull requests often edit one
 * file (the containers of a release, with `group-by: container`). Holds only the files the run
 * edits; a failed read is not kept.
 */
export class BaseFiles {
  private readonly files = new Map<string, Promise<{ blob: string; text?: string } | undefined>>();

  constructor(
    private readonly repository: Repository,
    /** The base commit the run started from. */
    readonly sha: string,
  ) {}

  /** The file's blob id and text at the base commit; undefined when it does not exist there. */
  read(path: string): Promise<{ blob: string; text?: string } | undefined> {
    let file = this.files.get(path);
    if (!file) {
      file = readFile(this.repository, path, this.sha);
      file.catch(() => this.files.delete(path));
      this.files.set(path, file);
    }
    return file;
  }
}

/** The files a planned edit changes, with their edited texts. */
export interface PlannedChange {
  files: PlannedFile[];
  texts: ReadonlyMap<string, string>;
}

/** The planned edit: every file the updates change, edited from the base commit's text. */
export async function readPlannedEdit(
  repository: Repository,
  updates: readonly Update[],
  baseSha: string,
  applyUpdates: ApplyUpdates,
  /** The run's reads of the base's files, shared with its other pull requests. */
  baseFiles: BaseFiles = new BaseFiles(repository, baseSha),
): Promise<(PlannedChange & { ok: true }) | { ok: false; reason: string }> {
  const byFile = groupBy(updates, (update) => update.file);
  const files: PlannedFile[] = [];
  const texts = new Map<string, string>();
  for (const [file, fileUpdates] of byFile) {
    const base = await baseFiles.read(file);
    if (base?.text === undefined) return { ok: false, reason: `${file} does not exist on the base branch` };
    const applied = applyUpdates(file, base.text, fileUpdates);
    if (!applied.ok) return { ok: false, reason: `${file} on the base branch: ${applied.reason}` };
    if (applied.text !== base.text) {
      files.push({ path: file, baseBlob: base.blob, desiredBlob: gitBlobId(applied.text) });
      texts.set(file, applied.text);
    }
  }
  return { ok: true, files, texts };
}
