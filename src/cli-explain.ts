/**
 * `explain FILE`'s shell: reads the file, finds the workspace it is in (the `--dir` given, else the
 * nearest folder above it with `.git`, else its own folder), scans that workspace as a run does
 * (`scanWorkspace` over the files `--paths` and `--exclude` select, so the holds of other files are
 * the run's own) and prints explain's report.
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createWorkspaceFiles, type WorkspaceLimits } from './adapters/workspace-files.js';
import type { CliArgs } from './cli-args.js';
import { checkoutOf } from './cli-checkout-root.js';
import { ExplainTagsError, explainFile, type ExplainWorkspace } from './report/explain.js';
import { WorkspaceBoundError } from './ports.js';
import { scanWorkspace, type WorkspaceScan } from './scan/scan-workspace.js';
import { checkPatterns, selectFiles } from './scan/select-files.js';
import type { Settings } from './settings.js';

/** Where the workspace is, and how it was found (as the report says it). */
interface FoundWorkspace {
  root: string;
  shown: string;
  found: string;
}

/** A folder as the report shows it: relative to the current one when below it. */
function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * The path a run lists `path` under, relative to `root` with `/`: a linked file under its target's
 * own path when that is inside the workspace (workspace-files.ts), as a run reads and edits it.
 */
async function runPath(path: string, root: string): Promise<string> {
  const asGiven = relative(root, path).split(sep).join('/');
  try {
    const [target, rootReal] = await Promise.all([realpath(path), realpath(root)]);
    const rel = relative(rootReal, target);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? asGiven : rel.split(sep).join('/');
  } catch {
    return asGiven;
  }
}

/**
 * The workspace of `path`: the `--dir` given, else the nearest folder above it holding `.git` (a
 * folder, or a worktree's file), else its own folder. Undefined when `path` is outside the `--dir`.
 */
async function findWorkspace(path: string, args: CliArgs): Promise<FoundWorkspace | undefined> {
  if (args.dirGiven) {
    const root = resolve(args.dir);
    const rel = relative(root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return { root, shown: args.dir, found: 'the --dir given' };
  }
  const root = await checkoutOf(dirname(path));
  if (root !== undefined) {
    return {
      root,
      shown: shownPath(root),
      found: 'the repository root: the nearest folder above the file with .git',
    };
  }
  return {
    root: dirname(path),
    shown: shownPath(dirname(path)),
    found: "the file's folder: no folder above it has .git, so files outside it were not checked",
  };
}

/**
 * Runs `explain FILE` and returns its exit status: 0 once the report is printed, 2 for a file
 * that does not exist or cannot be read, outside the `--dir` given, a workspace that cannot be
 * listed, a `--paths` or `--exclude` pattern a run would stop on, or a workspace past a bound a
 * run stops at. `print` writes to the terminal (the CLI's inert text); `limits` lowers the
 * workspace's bounds for tests.
 */
export async function explainCommand(
  file: string,
  args: CliArgs,
  settings: Settings,
  print: { stdout: (text: string) => void; stderr: (text: string) => void },
  limits: WorkspaceLimits = {},
): Promise<number> {
  const fail = (message: string): number => {
    print.stderr(`helmrelease-image-updater: explain: ${message}\n`);
    return 2;
  };
  // Read through the workspace edge, with its bounds (size, binary, UTF-8).
  const path = resolve(file);
  const missing = await stat(path).then(
    () => false,
    (e: NodeJS.ErrnoException) => e.code === 'ENOENT' || e.code === 'ENOTDIR',
  );
  if (missing) {
    // FILE is read from the current folder, not from --dir as --paths are: said, when that is
    // where it is, rather than only that it does not exist.
    const underDir = join(args.dir, file);
    const there =
      args.dirGiven &&
      !isAbsolute(file) &&
      (await stat(underDir).then(
        (s) => s.isFile(),
        () => false,
      ));
    // A release's name (`data/mongodb`) where its file goes: say what explain takes.
    const name =
      !there && /^[a-z0-9][-a-z0-9.]*(\/[a-z0-9][-a-z0-9.]*)?$/.test(file) && !/\.ya?ml$/.test(file);
    return fail(
      there
        ? `${file} does not exist (FILE is read from the current folder, not from --dir: give ${underDir})`
        : name
          ? `${file} does not exist: explain takes the file a HelmRelease is in (explain path/to/${basename(file)}.yaml), not its name`
          : `${file} does not exist`,
    );
  }
  const folder = await stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (folder) {
    return fail(
      `${file} is a folder; explain takes one file (explain ${join(file, 'NAME.yaml')}), and a run plans a folder (--dir ${file})`,
    );
  }
  const read = await createWorkspaceFiles(dirname(path)).readFile(basename(path));
  if (!read.ok) return fail(`${file}: ${read.reason}`);
  const found = await findWorkspace(path, args);
  if (found === undefined) {
    return fail(
      `${file} is not inside --dir ${args.dir}; give the folder the file is in, or leave out --dir`,
    );
  }
  const workspaceFiles = createWorkspaceFiles(found.root, undefined, {}, limits);
  let listing: string[];
  try {
    listing = await workspaceFiles.listFiles();
  } catch (e) {
    return fail(`${found.shown} (${found.found}) could not be listed: ${(e as Error).message}`);
  }
  // --paths and --exclude as a run takes them, relative to the workspace: a pattern the run stops
  // on stops explain too, rather than explain answering for a scope the run would refuse.
  const patternProblems = checkPatterns(listing, settings.paths, settings.exclude);
  if (patternProblems.length > 0) {
    for (const p of patternProblems)
      fail(`--${p.input}: "${p.pattern}" ${p.reason} (the workspace: ${found.shown})`);
    return 2;
  }
  const rel = await runPath(path, found.root);
  const files = selectFiles(listing, settings.paths, settings.exclude);
  const scanned = files.includes(rel);
  // Only a file a run scans can be held by what other files say; the run reads nothing else for it.
  let run: WorkspaceScan | undefined;
  try {
    run = scanned ? await scanWorkspace(listing, files, workspaceFiles, settings) : undefined;
  } catch (e) {
    // A run would stop there too, saying what to narrow.
    if (e instanceof WorkspaceBoundError) return fail(e.message);
    throw e;
  }
  const scan = run?.scans.find((s) => s.file === rel);
  const workspace: ExplainWorkspace = {
    root: found.shown,
    found: found.found,
    ...(scan ? { scan } : {}),
    scanned,
    holdProblems: run
      ? [...run.problems, ...run.scans.filter((s) => s !== scan).flatMap((s) => s.problems)]
      : [],
    listingProblems: workspaceFiles.problems,
  };
  let report: string;
  try {
    report = explainFile({
      file,
      // The text the run scanned, so the report's lines are those of the scan.
      text: run?.texts.get(rel) ?? read.text,
      ...(args.tags ? { tags: args.tags } : {}),
      namedTags: args.namedTags,
      requireAutomated: settings.requireAutomated,
      detection: settings.detection,
      workspace,
    });
  } catch (e) {
    if (e instanceof ExplainTagsError) return fail(e.message);
    throw e;
  }
  print.stdout(report);
  return 0;
}
