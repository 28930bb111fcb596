/**
 * The CLI's readable report, at most 100 columns wide: updates, containers not updated and why,
 * counts of the rest, then every problem once. `--json` lists every container; this text is for
 * people. Pure.
 *
 *   Updates (1):
 *     data/mongodb (chart-image) docker.io/bitnami/mongodb 4.0.3 -> 4.0.4
 *       clusters/production/data/mongodb.yaml:14 · highest version matching ~4.0
 */
import type { ContainerDecision, DecisionKind } from '../plan/types.js';
import type { Problem } from '../problems.js';
import type { RunReport } from '../run-update.js';
import { plural } from '../plural.js';

/** The widest line the CLI prints. */
export const TEXT_WIDTH = 100;

/**
 * Wraps `text` to `width` columns, every line indented by `indent` spaces; a word longer than a
 * line (a URL, a long path) is cut.
 */
export function wrap(text: string, indent: number, width = TEXT_WIDTH): string[] {
  const room = Math.max(20, width - indent);
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let line = '';
  for (let word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    while (word.length > room) {
      if (line) lines.push(line);
      lines.push(word.slice(0, room));
      word = word.slice(room);
      line = '';
    }
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= room) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => pad + l);
}

/** `data/mongodb (chart-image)`. */
function where(c: { release: string; container: string }): string {
  return `${c.release} (${c.container})`;
}

/** `file:line`. */
function at(c: { file: string; line: number }): string {
  return c.line > 0 ? `${c.file}:${c.line}` : c.file;
}

/**
 * Decisions listed as "not updated" with their reason in the CLI's text (errors and skips are
 * listed once, as problems). The job summary and the dashboard group them as
 * `container-groups.ts` says.
 */
export const NOT_UPDATED: ReadonlySet<DecisionKind> = new Set([
  'locked',
  'ignored',
  'no-matching-tag',
  'too-new',
]);

/** A problem: severity, file and line, then the message wrapped below. */
function problemLines(p: Problem): string[] {
  const head = `${p.severity}${p.file ? ` ${p.file}${p.line ? `:${p.line}` : ''}` : ''}`;
  return [...wrap(head, 2), ...wrap(p.message, 4)];
}

/** The CLI's report of a run. */
export function renderPlanText(report: RunReport): string {
  const out: string[] = [];
  const { containers, updates } = report.plan;
  const count = (kind: DecisionKind) => containers.filter((c) => c.decision === kind).length;

  if (updates.length) {
    out.push(`Updates (${updates.length}):`);
    for (const u of updates) {
      const arrow = `${u.from} -> ${u.to} (${u.type})`;
      out.push(...wrap(`${where(u)} ${u.repository} ${arrow}`, 2));
      out.push(...wrap(`${at(u)} · ${u.chosenBy}`, 4));
    }
    out.push('');
  }
  const notUpdated = containers.filter((c: ContainerDecision) => NOT_UPDATED.has(c.decision));
  if (notUpdated.length) {
    out.push(`Not updated (${notUpdated.length}):`);
    for (const c of notUpdated) {
      out.push(...wrap(`${where(c)} ${c.repository}${c.current === undefined ? '' : `:${c.current}`}`, 2));
      out.push(...wrap(`${at(c)} · ${c.reason}`, 4));
    }
    out.push('');
  }
  const rest = [
    count('up-to-date') ? `${count('up-to-date')} up to date` : '',
    count('not-automated') ? `${count('not-automated')} not automated` : '',
    // Not "could not be checked": a release held by a mistake in its annotations is an error too.
    count('error') ? `${count('error')} not updated because of an error (see Problems)` : '',
    count('skipped') ? `${count('skipped')} skipped` : '',
    count('out-of-scope') ? `${count('out-of-scope')} out of scope (images)` : '',
  ].filter(Boolean);
  if (containers.length === 0) out.push('No HelmRelease images found.', '');
  else if (rest.length) out.push(...wrap(`Other containers: ${rest.join(', ')} (--json lists each).`, 0), '');

  const { counts } = report;
  out.push(
    ...wrap(
      `${plural(counts.files, 'file')}, ${plural(counts.releases, 'HelmRelease')}, ` +
        `${plural(counts.containers, 'container')}, ` +
        `${plural(counts.repositories, 'repository', 'repositories')}: ${plural(updates.length, 'update')}.`,
      0,
    ),
  );
  if (report.problems.length) {
    const errors = report.problems.filter((p) => p.severity === 'error');
    const warnings = report.problems.filter((p) => p.severity === 'warning');
    const tally = [
      errors.length ? plural(errors.length, 'error') : '',
      warnings.length ? plural(warnings.length, 'warning') : '',
    ]
      .filter(Boolean)
      .join(', ');
    out.push('', `Problems (${tally}):`);
    for (const p of [...errors, ...warnings]) out.push(...problemLines(p));
  }
  return out.join('\n') + '\n';
}
