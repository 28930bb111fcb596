/**
 * The tags given to `explain` (`--tags a,b,c`, `--tags NAME=a,b,c`): which repository each list
 * stands for, and the planner's sentences about a registry's tags said of the given ones. Pure.
 */
import { nearest } from '../edit-distance.js';
import type { FileScan, ImageOccurrence } from '../helmrelease/types.js';

/** A planner's sentence about a registry's tags, said of the tags given to explain instead. */
export function asGivenTags(text: string): string {
  return text
    .replace("none of the repository's ", 'none of the given ')
    .replace(/ is not in the registry \(deleted, never pushed, or a typo\)/, ' is not among the given tags');
}

/** A `--tags` list that names no container of the file, or two lists for one repository. */
export class ExplainTagsError extends Error {}

/** The names a `--tags NAME=` list may use for a container: its name, its repository as written and normalised. */
function namesOf(occurrence: ImageOccurrence): string[] {
  const { registry, path, repository } = occurrence.reference;
  return [occurrence.container, path, ...(registry ? [`${registry}/${path}`] : []), repository];
}

/**
 * Each repository's tags for explain: the list named for one of its containers, else the list
 * for every container (none for a file without containers). Throws {@link ExplainTagsError} for
 * a name no container answers to, and for two different lists naming containers of one
 * repository (a registry lists one).
 */
export function tagListsOf(
  scan: FileScan,
  every: readonly string[] | undefined,
  named: ReadonlyMap<string, readonly string[]>,
): Map<string, readonly string[]> {
  const occurrences = scan.releases.flatMap((release) => release.containers);
  const lists = new Map<string, readonly string[]>();
  // A file with no container read (an encrypted file, a release that could not be read) has no
  // choice to make: the report says why there is none, which is what its user came for.
  if (occurrences.length === 0) return lists;
  const namedBy = new Map<string, string>();
  for (const [name, tags] of named) {
    const matched = occurrences.filter((o) => namesOf(o).includes(name));
    if (matched.length === 0) {
      const names = [...new Set(occurrences.map((o) => `${o.container} (${o.reference.path})`))];
      const meant = nearest(
        name,
        occurrences.map((o) => o.container),
      );
      throw new ExplainTagsError(
        `--tags ${name}=…: no container of the file is called ${name} or reads that repository` +
          (meant === undefined ? '' : ` (did you mean --tags ${meant}=…?)`) +
          `; its containers: ${names.join(', ')}`,
      );
    }
    for (const { reference } of matched) {
      const before = namedBy.get(reference.repository);
      if (
        before !== undefined &&
        before !== name &&
        lists.get(reference.repository)!.join() !== tags.join()
      ) {
        throw new ExplainTagsError(
          `--tags ${before}=… and --tags ${name}=… give ${reference.repository} two lists; a registry lists one ` +
            'per repository: give them the same tags, or one list',
        );
      }
      namedBy.set(reference.repository, name);
      lists.set(reference.repository, tags);
    }
  }
  if (every)
    for (const o of occurrences)
      if (!lists.has(o.reference.repository)) lists.set(o.reference.repository, every);
  return lists;
}
