/**
 * Memoising reads of content-addressed data (manifests, configs by digest) for a run. A success is
 * shared by every repository (same digest, same bytes); a failure only within the repository it
 * happened in, because it belongs to that repository's registry (a 5xx, a missing blob there):
 * another repository with the same digest reads it for itself instead of inheriting the error.
 */

/** A memo of reads by repository and digest; see the module comment. */
export type ContentMemo<T> = (repository: string, digest: string, read: () => Promise<T>) => Promise<T>;

/** A new, empty memo. */
export function contentMemo<T>(): ContentMemo<T> {
  const shared = new Map<string, Promise<T>>();
  const own = new Map<string, Promise<T>>();
  return (repository, digest, read) => {
    const key = `${repository}@${digest}`;
    let pending = own.get(key);
    if (!pending) {
      const other = shared.get(digest);
      const mine: Promise<T> = other ? other.catch(read) : read();
      pending = mine;
      own.set(key, mine);
      if (!other) shared.set(digest, mine);
      // A later success replaces a shared failure, so other repositories wait for no doomed read.
      mine.then(
        () => shared.set(digest, mine),
        () => undefined,
      );
    }
    return pending;
  };
}
