/**
 * Directives (`%...`) and document end markers (`...`) between documents that yaml.v2 refuses (the
 * third and fourth kinds in go-yaml-refusals.ts): a `%YAML` other than 1.1, a second `%YAML` for one
 * document, an unknown directive, a `...` before any document, and content after a `...` without
 * `---`. Apart from go-yaml-refusals.ts because these are read line by line between documents,
 * not from the parsed documents as the other kinds are. Pure.
 */
import type { LineCounter } from 'yaml';

import { inDocument, lineAt, shareAt, type Refusal, type Share } from './go-yaml-shares.js';

const DIRECTIVE_OR_END = /^(?:%.*|\.\.\.(?=[ \t\r\n]|$).*)$/gm;
const DOCUMENT_START = /^---(?:[ \t\r\n]|$)/;

/** A refusal for a directive line (`%...`), or undefined when yaml.v2 accepts it. `seenYaml`: a `%YAML` came before it for the same document. */
function directiveRefusal(lineText: string, line: number, seenYaml: boolean): string | undefined {
  const name = /^%([A-Za-z0-9_-]*)/.exec(lineText)![1];
  const after = lineText.slice(name.length + 1);
  if (name === 'TAG' && /^(?:[ \t]|$)/.test(after)) return undefined;
  if (name !== 'YAML' || !/^(?:[ \t]|$)/.test(after)) {
    return `line ${line}: ${lineText.split(/[ \t]/)[0]} is no directive Flux v1 (yaml.v2) knows (it knows %YAML and %TAG): remove the line`;
  }
  if (seenYaml) {
    return `line ${line} is a second %YAML directive for one document, which Flux v1 (yaml.v2) cannot read: remove one`;
  }
  const version = /^[ \t]+(\d{1,9})\.(\d{1,9})(?:[ \t]+(?:#.*)?|[ \t]*)$/.exec(after);
  if (version && Number(version[1]) === 1 && Number(version[2]) === 1) return undefined;
  return (
    `line ${line}: ${lineText.replace(/[ \t]+#.*$/, '').trim()} asks for a YAML version Flux v1 (yaml.v2) cannot read ` +
    `(it reads YAML 1.1 only): remove the directive, or write %YAML 1.1`
  );
}

/** The refusals among directives and document end markers (`...`) between documents, in text order. */
export function markerRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
  const found: Refusal[] = [];
  // Where the last %YAML line was, for a second one before the same document.
  let lastYaml = -1;
  let anyDocumentBefore = (end: number) => /^[ \t]*[^\s#]/m.test(text.slice(0, end));
  DIRECTIVE_OR_END.lastIndex = 0;
  for (let m = DIRECTIVE_OR_END.exec(text); m; m = DIRECTIVE_OR_END.exec(text)) {
    const at = m.index;
    const part = shareAt(parts, at);
    if (text[at] === '%') {
      // A `%` line inside a document is the parser's business (a syntax error here, mostly).
      if (!part || inDocument(part, at)) continue;
      const lineText = m[0].replace(/\r$/, '');
      const second =
        lastYaml !== -1 && !/^[ \t]*[^\s#%]/m.test(text.slice(lastYaml, at).replace(/^.*\n?/, ''));
      const message = directiveRefusal(lineText, lineAt(lines, at), second);
      if (message) found.push({ pos: at, code: 'BAD_DIRECTIVE', message });
      if (/^%YAML(?:[ \t]|$)/.test(lineText)) lastYaml = at;
      continue;
    }
    lastYaml = -1;
    // A `...` before any document (only blank lines and comments before it) is refused.
    if (!anyDocumentBefore(at)) {
      found.push({
        pos: at,
        code: 'UNEXPECTED_TOKEN',
        message: `line ${lineAt(lines, at)}: the document end marker "..." comes before any document, which Flux v1 (yaml.v2) cannot read: remove it`,
      });
    }
    anyDocumentBefore = () => true;
    // What follows the marker, past blank lines, comments and further markers.
    const lineEnd = text.indexOf('\n', at);
    const next = /(?:[ \t]*(?:#.*)?(?:\n|$)|\.\.\.(?:[ \t\r].*)?(?:\n|$))*/y;
    next.lastIndex = lineEnd === -1 ? text.length : lineEnd + 1;
    next.exec(text);
    const follows = next.lastIndex;
    // The markers skipped over have the same follower: one look for the run.
    DIRECTIVE_OR_END.lastIndex = Math.max(DIRECTIVE_OR_END.lastIndex, follows);
    if (
      follows >= text.length ||
      text[follows] === '%' ||
      DOCUMENT_START.test(text.slice(follows, follows + 4))
    )
      continue;
    found.push({
      pos: follows,
      code: 'UNEXPECTED_TOKEN',
      message:
        `line ${lineAt(lines, follows)} starts a document after the end marker "..." on line ${lineAt(lines, at)} ` +
        `without "---", which Flux v1 (yaml.v2) cannot read: add a "---" line before it, or remove the "..."`,
    });
  }
  return found;
}
