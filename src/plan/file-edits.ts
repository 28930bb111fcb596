/**
 * The plan's edits: each file's updates written at once by the editor, and each update whose edit is
 * refused turned back into a skipped decision with a problem. Pure.
 */
import { editFile } from '../edit/apply-updates.js';
import type { FileScan } from '../helmrelease/types.js';
import { error, warning, type Problem } from '../problems.js';
import type { ContainerDecision, FileEdit, Update } from './types.js';

/**
 * Makes each file's edit with all of its updates at once (one splice pass, one verifying parse). An
 * update whose edit is refused, alone or together with the ones before it (an alias and a detected
 * image on the same text whose filters chose different tags), becomes `skipped` with the reason; the
 * rest of the file still goes ahead, so every update in the plan is written by its file's edit.
 */
export function makeEdits(
  containers: ContainerDecision[],
  texts: ReadonlyMap<string, string>,
  scans: ReadonlyMap<string, FileScan>,
  problems: Problem[],
): FileEdit[] {
  // The decisions with an update, by file, in plan order (a file's containers are contiguous).
  const byFile = new Map<string, ContainerDecision[]>();
  for (const decision of containers) {
    if (!decision.update) continue;
    const list = byFile.get(decision.file);
    if (list) list.push(decision);
    else byFile.set(decision.file, [decision]);
  }
  const edits: FileEdit[] = [];
  for (const [file, decisions] of byFile) {
    const before = texts.get(file);
    const result =
      before === undefined
        ? undefined
        : editFile(
            file,
            before,
            decisions.map((d) => d.update!),
            scans.get(file),
          );
    const updates: Update[] = [];
    decisions.forEach((decision, i) => {
      const outcome = result
        ? result.outcomes[i]
        : { ok: false as const, reason: 'the file text is not available', conflict: false };
      if (outcome.ok) {
        updates.push(decision.update!);
        return;
      }
      const message = `the edit was refused: ${outcome.reason}`;
      // A conflict is a configuration mistake in the file (a warning); a refused edit is an error.
      const report = outcome.conflict ? warning : error;
      problems.push(report(file, decision.line, `${decision.release} ${decision.container}: ${message}`));
      decision.decision = 'skipped';
      decision.reason = message;
      delete decision.update;
    });
    if (result && updates.length > 0) edits.push({ file, before: before!, after: result.text, updates });
  }
  return edits;
}
