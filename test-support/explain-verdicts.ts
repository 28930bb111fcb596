/**
 * What `explain FILE` says becomes of each container, read back from its text as a fate in a word
 * or two (`update 1.1`, `up-to-date`, `locked`), for comparing it with a run's decisions
 * (__tests__/cli/explain-agrees.test.ts, scripts/explain-agreement.ts), and the problems it lists.
 */

/** A container's fate in a word or two: `update 1.1`, `up-to-date`, `locked`. */
export type Fate = string;

/** Each container's statements under its header line, joined back where explain wrapped them. */
export function explainedFates(stdout: string): Map<string, Fate> {
  const fates = new Map<string, Fate>();
  const lines = stdout.split('\n');
  let release = '';
  let container: string | undefined;
  let statements: string[] = [];
  const close = () => {
    if (container === undefined) return;
    // image …, filter … (…), then the verdict (each may be wrapped at the same indent).
    const [, , ...verdict] = statements;
    fates.set(`${release} ${container}`, fateOf(verdict.join(' ')));
    container = undefined;
  };
  for (const line of lines) {
    const header = /^HelmRelease (\S+) /.exec(line);
    if (header) {
      close();
      release = header[1]!;
      continue;
    }
    const named = /^ {2}(\S+) \(line \d+, (detected in the values|alias annotations)\)$/.exec(line);
    if (named) {
      close();
      container = named[1]!;
      statements = [];
      continue;
    }
    if (container === undefined) continue;
    if (!line.startsWith('    ') || line.startsWith('      ')) {
      if (!line.startsWith('      ')) close();
      continue;
    }
    const text = line.trim();
    const opensStatement =
      statements.length === 0 ||
      (statements.length === 1 && text.startsWith('filter ')) ||
      (statements.length === 2 && balanced(statements[1]!));
    if (opensStatement) statements.push(text);
    else statements[statements.length - 1] += ` ${text}`;
  }
  close();
  return fates;
}

/** The filter statement is whole once its parentheses close. */
function balanced(text: string): boolean {
  return text.endsWith(')') && text.split('(').length === text.split(')').length;
}

/** A verdict of explain as a fate. */
function fateOf(verdict: string): Fate {
  const update = /^(?:with the given tags: )?(?:update|downgrade) to (\S+) /.exec(verdict);
  if (update && /, once its image is \w+ old: /.test(verdict)) return `update ${update[1]} once old enough`;
  if (update) return `update ${update[1]}`;
  if (verdict.startsWith('no update: a run does not scan this file')) return 'not scanned';
  if (/^(with the given tags: )?up to date/.test(verdict)) return 'up-to-date';
  if (verdict.startsWith('with the given tags: ')) return 'no-matching-tag';
  if (verdict.startsWith('no update: its HelmRelease is held')) return 'error';
  if (/^not edited: .* governs this file/.test(verdict)) return 'skipped';
  if (verdict.startsWith('give --tags')) return 'not looked up';
  if (verdict.startsWith('locked')) return 'locked';
  if (verdict.startsWith('ignored')) return 'ignored';
  if (verdict.startsWith('not automated')) return 'not-automated';
  if (verdict.startsWith('not proposed yet')) return 'too-new';
  return `said: ${verdict}`;
}

/** explain's problems (under `Problems:`), each joined back where it was wrapped (none: []). */
export function explainedProblems(stdout: string): string[] {
  const lines = stdout.split('\n');
  const at = lines.indexOf('Problems:');
  const out: string[] = [];
  for (const line of at < 0 ? [] : lines.slice(at + 1).filter((l) => l !== '')) {
    if (/^ {2}(error|warning) /.test(line)) out.push(line.trim());
    else out[out.length - 1] += ` ${line.trim()}`;
  }
  return out;
}
