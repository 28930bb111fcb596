/**
 * The CLI's readable report, at most 100 columns wide: updates, then the containers not updated in
 * the groups, under the headings and in the order of the job summary and the dashboard
 * (container-groups.ts: the groups they collapse are only counted here), then each registry none
 * of whose repositories could be read (registry-outages.ts), then every problem once, a filter no
 * tag passes among them as a warning, as there. `--json` lists every container;
 * this text is for people. Pure.
 *
 *   Updates (1):
 *     data/mongodb (chart-image) docker.io/bitnami/mongodb 4.0.3 -> 4.0.4 (patch)
 *       clusters/production/data/mongodb.yaml:14 · highest version matching ~4.0
 *
 *   Locked (1):
 *     data/redis (chart-image) docker.io/bitnami/redis:6.2.0
 *       clusters/production/data/redis.yaml:9 · locked (fluxcd.io/locked: "true")
 *
 *   Other containers: 1 not automated, 12 up to date (--json lists each).
 */
import type { ContainerDecision, DecisionKind } from '../plan/types.js';
import type { Problem } from '../problems.js';
import type { RunReport } from '../run-update.js';
import { plural } from '../plural.js';
import { notUpdatedGroups, warningContainers, writtenImage } from './container-groups.js';
import { outageText, registryOutages } from './registry-outages.js';

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

/**
 * A file's path as the report shows it: the whitespace other than a space, which {@link wrap}
 * would print as one (a line feed, tab or carriage return, which a file's name may hold), written
 * as its escape, so that the path shown names the file (`new\u000aline.yaml`, not `new line.yaml`).
 */
export function shownPath(file: string): string {
  return file.replace(/[^\S ]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `file:line`. */
function at(c: { file: string; line: number }): string {
  return c.line > 0 ? `${shownPath(c.file)}:${c.line}` : shownPath(c.file);
}

/** A group's Markdown heading as terminal text: `<code>images</code>` printed as `images`. */
function plainHeading(heading: string): string {
  return heading.replace(/<\/?code>/g, '');
}

/** A problem: severity, file and line, then the message wrapped below. */
function problemLines(p: Problem): string[] {
  const head = `${p.severity}${p.file ? ` ${shownPath(p.file)}${p.line ? `:${p.line}` : ''}` : ''}`;
  return [...wrap(head, 2), ...wrap(p.message, 4)];
}

/** A container no tag of whose repository passes its filter, as a warning (as in the job summary). */
function problemOf(c: ContainerDecision): Problem {
  return {
    severity: 'warning',
    file: c.file,
    line: c.line,
    message: `${where(c)} ${writtenImage(c)}: ${c.reason}`,
  };
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
  const groups = notUpdatedGroups(containers);
  for (const group of groups) {
    if (group.collapsed || group.containers.length === 0) continue;
    out.push(`${plainHeading(group.heading)} (${group.containers.length}):`);
    for (const c of group.containers) {
      out.push(...wrap(`${where(c)} ${writtenImage(c)}`, 2));
      out.push(...wrap(group.withReason ? `${at(c)} · ${c.reason}` : at(c), 4));
    }
    out.push('');
  }
  // Problems first, as in the summary and on the dashboard (listed below, once); then the groups
  // they collapse, counted in the words of their first lines.
  const rest = [
    // Not "could not be checked": a release held by a mistake in its annotations is an error too.
    count('error') ? `${count('error')} not updated because of an error (see Problems)` : '',
    count('skipped') ? `${count('skipped')} skipped` : '',
    ...groups
      .filter((group) => group.collapsed && group.containers.length > 0)
      .map((group) => `${group.containers.length} ${group.count}`),
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
  // A registry none of whose repositories could be read: once, before its containers' problems.
  const outages = registryOutages(containers);
  if (outages.length) {
    out.push('', `Registries that could not be read (${outages.length}):`);
    for (const o of outages) {
      out.push(
        ...wrap(`${o.host}: ${outageText(o)} (each is under Problems)`, 2),
        ...wrap(`the first error: ${o.firstReason}`, 4),
      );
    }
  }
  // A filter no tag passes is no failed check, but someone must fix it: a warning, after the run's.
  const problems = [...report.problems, ...warningContainers(containers).map(problemOf)];
  if (problems.length) {
    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems.filter((p) => p.severity === 'warning');
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
