/**
 * Parsers for what a JavaScript Action leaves behind, as the Actions runner reads it: the
 * `GITHUB_OUTPUT` file (`name<<DELIMITER` heredocs, or `name=value` lines), workflow commands on
 * stdout (`::warning file=a.yaml,line=3,title=t::message`), and the defaults in `action.yml`.
 *
 * Formats: https://docs.github.com/actions/reference/workflow-commands-for-github-actions and
 * `@actions/core`'s `command.ts` / `file-command.ts` (the escaping below mirrors theirs).
 *
 * Plain TypeScript without jest globals (the reliability suite imports these under `tsx`).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** An annotation the runner would show: a `::error`, `::warning` or `::notice` command. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

/** Undoes `@actions/core`'s `escapeData` (`%` `\r` `\n`). */
function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Undoes `@actions/core`'s `escapeProperty` (`escapeData` plus `:` and `,`). */
function unescapeProperty(text: string): string {
  return unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));
}

const ANNOTATION_LINE = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/;
const NUMERIC_PROPERTIES = new Set(['line', 'endLine', 'col', 'endColumn']);

/** Parses every annotation command in a step's stdout, in order. Other lines are ignored. */
export function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = [];
  for (const raw of stdout.split('\n')) {
    const match = ANNOTATION_LINE.exec(raw.replace(/\r$/, ''));
    if (!match) continue;
    const annotation: Annotation = {
      level: match[1] as Annotation['level'],
      message: unescapeData(match[3]),
    };
    for (const pair of match[2] ? match[2].split(',') : []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = pair.slice(0, eq);
      const value = unescapeProperty(pair.slice(eq + 1));
      if (NUMERIC_PROPERTIES.has(key)) {
        (annotation as unknown as Record<string, number>)[key] = Number(value);
      } else if (key === 'file' || key === 'title') {
        annotation[key] = value;
      }
    }
    annotations.push(annotation);
  }
  return annotations;
}

/**
 * Parses a `GITHUB_OUTPUT` (or `GITHUB_ENV`) file: `name<<DELIMITER` … `DELIMITER` blocks and
 * single `name=value` lines. A later value of the same name wins, as on the runner.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = line.indexOf('<<');
    const eq = line.indexOf('=');
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const body: string[] = [];
      i += 1;
      while (i < lines.length && lines[i].replace(/\r$/, '') !== delimiter) {
        body.push(lines[i]);
        i += 1;
      }
      if (i >= lines.length) throw new Error(`output ${name}: delimiter ${delimiter} never closes`);
      outputs[name] = body.join('\n');
    } else if (eq > 0) {
      outputs[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`unparsable output file line: ${JSON.stringify(line)}`);
    }
  }
  return outputs;
}

/** One input as `action.yml` declares it. */
export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

/** The parts of `action.yml` the tests look at. */
export interface ActionMetadata {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
}

/** Reads and parses an `action.yml`. */
export function readActionMetadata(path: string): ActionMetadata {
  const metadata = parse(readFileSync(path, 'utf8')) as Partial<ActionMetadata>;
  return {
    inputs: metadata.inputs ?? {},
    outputs: metadata.outputs ?? {},
    runs: metadata.runs ?? { using: '', main: '' },
  };
}

/**
 * The runner's environment variable for an input: `INPUT_` plus the name upper-cased with spaces
 * turned into `_` (dashes are kept: `INPUT_DRY-RUN`), which is what `core.getInput` reads.
 */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * The `INPUT_*` variables the runner sets for a step: every declared input's default (with
 * `${{ github.token }}` evaluated to `token`), overridden by `given`. An input the step gives but
 * `action.yml` does not declare is still set, as the runner does (it only warns).
 */
export function inputEnvironment(
  metadata: Pick<ActionMetadata, 'inputs'>,
  given: Record<string, string>,
  token: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs)) {
    const value = String(input.default ?? '').replace(/\$\{\{\s*github\.token\s*\}\}/g, token);
    if (/\$\{\{/.test(value)) throw new Error(`input ${name}: cannot evaluate default ${value}`);
    env[inputVariable(name)] = value;
  }
  for (const [name, value] of Object.entries(given)) env[inputVariable(name)] = value;
  return env;
}
