/**
 * Updates of text that more than one container reads.
 *
 * Through annotations: an alias on the paths of a detected image (R4.5, "each gets its own filter
 * and its own update"), or an alias whose tag is another image's `digest:` key. One edit changes
 * what all of them read, so it is planned only when every one of them chose the same new tag;
 * otherwise one container's choice would move another past its own filter. Flux v1 re-read every
 * container after writing and dropped such an edit (R8.5); here the update is not proposed and a
 * warning at the line names both containers.
 *
 * Through YAML: a tag anchored (`&t`, or inside an anchored map) and reused by an alias elsewhere in
 * the document, which Flux v1 expanded (yaml.v2), maybe in a locked release of the same List. Such a
 * tag is never edited: an error at its line says where the alias is. Pure.
 */
import { sharedAnchorReason } from '../helmrelease/document-anchors.js';
import { scalarStartsOf, type ImageOccurrence } from '../helmrelease/types.js';
import { error, warning, type Problem } from '../problems.js';
import type { ContainerDecision } from './types.js';

/** A container's decision with what it reads. */
interface Reading {
  decision: ContainerDecision;
  occurrence: ImageOccurrence;
  /** Whether it reads the scalar as its tag (else as its `digest:` key). */
  asTag: boolean;
}

/** The readings of a file's containers by the start of each scalar they read. */
function byScalar(
  decisions: readonly ContainerDecision[],
  occurrences: readonly ImageOccurrence[],
): Map<number, Reading[]> {
  const groups = new Map<number, Reading[]>();
  const add = (start: number, reading: Reading) => {
    const list = groups.get(start);
    if (list) list.push(reading);
    else groups.set(start, [reading]);
  };
  decisions.forEach((decision, i) => {
    const occurrence = occurrences[i];
    for (const start of scalarStartsOf(occurrence)) {
      add(start, { decision, occurrence, asTag: start === occurrence.tag.scalar?.range.start });
    }
  });
  return groups;
}

/** Whether two readers of one scalar would have it rewritten alike. */
function agree(a: Reading, b: Reading): boolean {
  const [x, y] = [a.decision.update, b.decision.update];
  return (
    x !== undefined && y !== undefined && a.asTag === b.asTag && x.to === y.to && x.toDigest === y.toDigest
  );
}

/** What `other` makes of the text `reading` would rewrite, for the message. */
function stateOf(reading: Reading, other: Reading): string {
  const [mine, theirs] = [reading.decision.update!, other.decision.update];
  if (!theirs) return `which is not updated: ${other.decision.reason}`;
  if (reading.asTag !== other.asTag) return `which reads it as its ${other.asTag ? 'tag' : 'digest'}`;
  if (theirs.to !== mine.to) return `which would be updated to ${theirs.to}`;
  return `which would be pinned to ${theirs.toDigest ?? 'no digest'}`;
}

/**
 * Turns every update of text another container reads, and that container did not choose the same
 * new tag, into a skipped decision with a warning at the text's line. `occurrences[i]` is what
 * `decisions[i]` was decided about (one file's, in plan order). Repeated until nothing changes: a
 * container whose update is refused here keeps its text as it is, which may refuse another.
 */
export function refuseSharedText(
  file: string,
  decisions: readonly ContainerDecision[],
  occurrences: readonly ImageOccurrence[],
  problems: Problem[],
): void {
  const groups = [...byScalar(decisions, occurrences).values()].filter((g) => g.length > 1);
  if (groups.length === 0) return;
  for (let changed = true; changed;) {
    changed = false;
    for (const group of groups) {
      // Every message is made before any decision changes, so each names the other as decided.
      const refused = group.flatMap((reading) => {
        const { update } = reading.decision;
        const other = update && group.find((o) => o.occurrence !== reading.occurrence && !agree(reading, o));
        if (!other) return [];
        const scalar = reading.asTag ? reading.occurrence.tag.scalar! : reading.occurrence.digestKey!;
        const line = scalar.range.line;
        const message =
          `not updated to ${update.to}: the text at line ${line} is also read by ` +
          `${other.occurrence.container}, ${stateOf(reading, other)}; one edit would change both. Give them filters ` +
          'that choose the same tag, or point each at a tag of its own';
        return [{ decision: reading.decision, line, message }];
      });
      for (const { decision, line, message } of refused) {
        problems.push(warning(file, line, `${decision.release} ${decision.container}: ${message}`));
        decision.decision = 'skipped';
        decision.reason = message;
        delete decision.update;
        changed = true;
      }
    }
  }
}

/**
 * Turns every update of a tag an alias reuses into an error decision, with an error at the tag's
 * line. `occurrences[i]` is what `decisions[i]` was decided about.
 */
export function refuseAnchoredTags(
  file: string,
  decisions: readonly ContainerDecision[],
  occurrences: readonly ImageOccurrence[],
  problems: Problem[],
): void {
  decisions.forEach((decision, i) => {
    const shared = occurrences[i].sharedAnchor;
    if (!decision.update || !shared) return;
    const message = `not updated to ${decision.update.to}: ${sharedAnchorReason(shared)}`;
    problems.push(error(file, decision.line, `${decision.release} ${decision.container}: ${message}`));
    decision.decision = 'error';
    decision.reason = message;
    delete decision.update;
  });
}
