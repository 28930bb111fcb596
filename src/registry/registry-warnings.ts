/**
 * A registry's `Warning` headers, which the OCI distribution spec ("Warnings") lets it send with
 * any answer: `Warning: 299 - "Your auth token will expire in 30 seconds."` - warn-code 299,
 * warn-agent `-`, a quoted text (RFC 7234 §5.5), at most 4096 bytes in all. Clients "SHOULD report
 * the warnings to the user in an unobtrusive way", in order and without duplicates: here as notices,
 * once each per registry, at most {@link MAX_WARNINGS_PER_REGISTRY} per registry per run, each
 * redacted and shortened by the caller (they are the registry's text). Other codes (RFC 7234's
 * caching warnings, 1xx) say nothing to act on and are not shown. Pure but for the notices given.
 */

/** Distinct warnings shown per registry per run; a registry that sends more says so once. */
export const MAX_WARNINGS_PER_REGISTRY = 5;
/** Longest header read: the spec allows a registry 4096 bytes of warnings; more is not read. */
const MAX_HEADER_READ = 8192;

/**
 * The texts of the 299 warnings of a `Warning` header value (several headers joined by `, `), in
 * order. Read once, character by character: a quoted text may hold commas and escaped quotes.
 */
export function warningTexts(header: string | null): string[] {
  if (!header) return [];
  const value = header.slice(0, MAX_HEADER_READ);
  const texts: string[] = [];
  let i = 0;
  while (i < value.length) {
    // warn-code SP warn-agent SP warn-text [SP warn-date], values separated by commas.
    while (i < value.length && ' \t,'.includes(value[i]!)) i += 1;
    const code = value.slice(i, i + 3);
    i += 3;
    while (i < value.length && value[i] === ' ') i += 1;
    while (i < value.length && !' ,"'.includes(value[i]!)) i += 1; // the agent
    while (i < value.length && value[i] === ' ') i += 1;
    if (value[i] !== '"') {
      while (i < value.length && value[i] !== ',') i += 1;
      continue;
    }
    const parts: string[] = [];
    for (i += 1; i < value.length && value[i] !== '"'; i += 1) {
      if (value[i] === '\\') i += 1;
      if (i < value.length) parts.push(value[i]!);
    }
    i += 1;
    // A warn-date, if any, is quoted too: skipped with the rest up to the next value.
    let quoted = false;
    for (; i < value.length && (quoted || value[i] !== ','); i += 1) if (value[i] === '"') quoted = !quoted;
    const text = parts.join('').trim();
    if (code === '299' && text !== '') texts.push(text);
  }
  return texts;
}

/** Shows each registry's warnings once; see the module comment. */
export class RegistryWarnings {
  private readonly shown = new Map<string, Set<string>>();

  /**
   * @param notice shows the user a notice.
   * @param quote the registry's text as it may be shown: redacted and shortened.
   */
  constructor(
    private readonly notice: (message: string) => void,
    private readonly quote: (text: string) => string,
  ) {}

  /** Notes the warnings of an answer of `registry`. */
  note(registry: string, header: string | null): void {
    for (const text of warningTexts(header)) {
      const shown = this.shown.get(registry) ?? new Set<string>();
      this.shown.set(registry, shown);
      // One line: a notice is a line of the log (whose writers make control characters inert too).
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
      const quoted = this.quote(text.replace(/[\u0000-\u001f\u007f]+/g, ' '));
      if (shown.has(quoted) || shown.size > MAX_WARNINGS_PER_REGISTRY) continue;
      shown.add(quoted);
      this.notice(
        shown.size > MAX_WARNINGS_PER_REGISTRY
          ? `${registry} sent more than ${MAX_WARNINGS_PER_REGISTRY} distinct warnings; the rest are not shown`
          : `${registry} warns: ${quoted}`,
      );
    }
  }
}
