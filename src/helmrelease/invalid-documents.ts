/**
 * Whether a file Flux v1 would load at all: its ParseMultidoc decoded the whole file as one stream,
 * so a YAML error in any document (a ConfigMap's `data: {key: [unclosed`), or a document it could
 * not read as a resource (`kind: [ConfigMap]`, flux-resource-refusals.ts), failed every resource of
 * the file, and no release in it was updated (FLUX-V1-RULES §0 step 1). The scan parses only the
 * documents that may hold a HelmRelease (parse-documents.ts); this reads the others, and is asked
 * only of a file about to be edited, so a file with no edit never pays for its other documents. Pure.
 */
import type { DocumentChunk } from './parse-documents.js';
import { parseWantedFile } from './go-yaml-documents.js';
import { resourceRefusal } from './flux-resource-refusals.js';
import { syntaxErrorOf, type DocumentSyntaxError } from './syntax-errors.js';

/** A document Flux v1 could not load: the line where the fix goes, and what is wrong, in words. */
export interface InvalidDocument extends DocumentSyntaxError {
  /** True for valid YAML that Flux v1 could not read as a resource; else a syntax error. */
  validYaml?: true;
}

/**
 * The first document of `text` that is not valid YAML for Flux v1, or that it could not read as a
 * resource, with the line where the fix goes, or undefined when every document loads. The
 * documents `skip` accepts (those an edit lands in, read already) are not parsed again. A repeated
 * key does not count: yaml.v2 keeps the last of them and loads the file.
 */
export function firstInvalidDocument(
  text: string,
  skip: (chunk: DocumentChunk) => boolean,
): InvalidDocument | undefined {
  let parsed: ReturnType<typeof parseWantedFile>;
  try {
    parsed = parseWantedFile(text, (chunk) => !skip(chunk));
  } catch (e) {
    return { line: 1, what: `the YAML could not be parsed (${(e as Error).message})` };
  }
  const { docs, lines } = parsed;
  let fileLines: string[] | undefined;
  for (const doc of docs) {
    if (!doc) continue;
    if (doc.errors.length === 0) {
      const refused = resourceRefusal(doc, text);
      if (refused) return { line: lines.linePos(refused.pos).line, what: refused.what, validYaml: true };
      continue;
    }
    const syntax = syntaxErrorOf(text, doc, lines, () => (fileLines ??= text.split(/\r\n|\r|\n/)), false);
    // Stryker disable next-line ConditionalExpression: a document with an error always has a first one
    if (syntax) return syntax;
  }
  return undefined;
}
