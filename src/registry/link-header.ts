/**
 * The `rel="next"` target of a `Link` header (RFC 8288), as registries page tag lists:
 *
 *   </v2/team/app/tags/list?last=1.0.9&n=100>; rel="next"
 *   <https://quay.io/v2/org/app/tags/list?next_page=gAAAAA>; rel=next
 *   </v2/app/tags/list?last=0>; rel="prev", </v2/app/tags/list?last=b>; rel="next"
 *
 * Read character by character, once, never with one pattern over the whole header: a pattern
 * this replaced backtracked over spaces, and a 16 KB header of them held the event loop for 1.8 s
 * per listing. A parameter's quoted value is read as one value: `title="a;rel=next"` names no
 * relation, and a comma inside quotes ends no link. Pure.
 */

/** One link of a header: its target and its parameters (names lower-cased). */
interface Link {
  target: string;
  params: Map<string, string>;
}

/** The links of a `Link` header value, in order; text that is no link is skipped. */
function parseLinks(header: string): Link[] {
  const links: Link[] = [];
  let i = 0;
  const skip = (chars: string): void => {
    while (i < header.length && chars.includes(header[i]!)) i += 1;
  };
  /** Moves past the next `,` outside quotes (the end of a link that cannot be read). */
  const skipLink = (): void => {
    let quoted = false;
    for (; i < header.length; i += 1) {
      const c = header[i];
      if (quoted && c === '\\') i += 1;
      else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) break;
    }
  };
  while (i < header.length) {
    skip(' \t,');
    if (header[i] !== '<') {
      skipLink();
      continue;
    }
    const end = header.indexOf('>', i + 1);
    if (end < 0) break;
    const link: Link = { target: header.slice(i + 1, end), params: new Map() };
    links.push(link);
    i = end + 1;
    // Parameters: `; name=value`, `; name="quoted value"`, `; name`, until a `,` outside quotes.
    for (;;) {
      skip(' \t');
      if (header[i] !== ';') break;
      i += 1;
      skip(' \t');
      const start = i;
      while (i < header.length && !' \t;,="'.includes(header[i]!)) i += 1;
      const name = header.slice(start, i).toLowerCase();
      skip(' \t');
      let value = '';
      if (header[i] === '=') {
        i += 1;
        skip(' \t');
        if (header[i] === '"') {
          const parts: string[] = [];
          for (i += 1; i < header.length && header[i] !== '"'; i += 1) {
            if (header[i] === '\\') i += 1;
            if (i < header.length) parts.push(header[i]!);
          }
          i += 1;
          value = parts.join('');
        } else {
          const valueStart = i;
          while (i < header.length && !' \t;,'.includes(header[i]!)) i += 1;
          value = header.slice(valueStart, i);
        }
      }
      // RFC 8288 §3: a parameter given twice counts as given once, the first time.
      if (name !== '' && !link.params.has(name)) link.params.set(name, value);
    }
    skipLink();
  }
  return links;
}

/**
 * The target of the first link whose `rel` holds the relation `next` (relations are
 * space-separated and case-insensitive), or undefined.
 */
export function parseNextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const link of parseLinks(header)) {
    const relations = link.params.get('rel');
    if (relations?.split(/[ \t]+/).some((relation) => relation.toLowerCase() === 'next')) return link.target;
  }
  return undefined;
}
