/** Grouping without copying a group per item (spreading into a new array each time is quadratic). */

/** `items` grouped by `keyOf`, groups and their items in first-seen order (Map.groupBy, Node 21+). */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
