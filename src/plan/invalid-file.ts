/**
 * A file Flux v1 could not load gets no edit: its ParseMultidoc failed the whole file on a YAML
 * error in any document, a ConfigMap's as much as a HelmRelease's, or on a document it could not
 * read as a resource (`kind: [ConfigMap]`; FLUX-V1-RULES §0 step 1), so no release in it was
 * updated. The scan reads only the documents that may hold a HelmRelease; the
 * others are read here, and only for a file with an update, so files without one pay nothing. Pure.
 */
import { firstInvalidDocument, type InvalidDocument } from '../helmrelease/invalid-documents.js';
import { documentsAt } from '../helmrelease/parse-documents.js';
import { scalarStartsOf, type ImageOccurrence } from '../helmrelease/types.js';
import { error, type Problem } from '../problems.js';
import type { ContainerDecision } from './types.js';

/** The error at a document Flux v1 could not load, for the file that holds it. */
export function invalidDocumentProblem(
  file: string,
  { line, what, validYaml, pastBound }: InvalidDocument,
): Problem {
  if (pastBound) {
    return error(
      file,
      line,
      `this document is more than a run reads (${what}), so this file is not edited and no HelmRelease in it ` +
        'is updated: split the document, or move it to a file of its own',
    );
  }
  const fails = validYaml
    ? `Flux v1 cannot load this document (${what}); it fails the whole file on it`
    : `this document is not valid YAML (${what}); Flux v1 fails the whole file on it`;
  return error(
    file,
    line,
    `${fails}, so no HelmRelease in this file is updated: repair the document, or move it to a file of its own`,
  );
}

/**
 * Turns every update of a file with a document Flux v1 could not load into an error decision, with
 * one error at that document's line, which it returns. `occurrences[i]` is what `decisions[i]` was decided about
 * (one file's, in plan order); `text` is the file's text (absent: the edit refuses on its own).
 */
export function refuseInvalidFile(
  file: string,
  text: string | undefined,
  decisions: readonly ContainerDecision[],
  occurrences: readonly ImageOccurrence[],
  problems: Problem[],
): number | undefined {
  const updated = decisions.flatMap((decision, i) => (decision.update ? [occurrences[i]] : []));
  if (text === undefined || updated.length === 0) return undefined;
  // The documents the edit lands in were read by the scan, and read fine: they hold its releases.
  const edited = documentsAt(updated.flatMap(scalarStartsOf).sort((a, b) => a - b));
  const invalid = firstInvalidDocument(text, edited);
  if (!invalid) return undefined;
  problems.push(invalidDocumentProblem(file, invalid));
  const document = invalid.pastBound
    ? `the document at line ${invalid.line} is more than a run reads, so the file is not edited`
    : invalid.validYaml
      ? `Flux v1 cannot load the document at line ${invalid.line}, and fails the whole file on it`
      : `the document at line ${invalid.line} is not valid YAML, and Flux v1 fails the whole file on it`;
  for (const decision of decisions) {
    if (!decision.update) continue;
    decision.decision = 'error';
    decision.reason = `not updated to ${decision.update.to}: ${document}; repair that document, or move it to a file of its own`;
    delete decision.update;
  }
  return invalid.line;
}

/**
 * The scan's problems without its warning that the document at `line` was skipped for its syntax
 * error (a file read whole reads every document), which the error at that line now says better.
 */
export function withoutSkippedWarning(scanProblems: Problem[], line: number | undefined): Problem[] {
  if (line === undefined) return scanProblems;
  return scanProblems.filter(
    (p) => !(p.severity === 'warning' && p.line === line && p.message.endsWith(', document skipped')),
  );
}
