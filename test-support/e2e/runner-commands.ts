/**
 * The workflow commands the GitHub Actions runner takes from a step's output, read the way
 * actions/runner reads them (src/Runner.Worker/Handlers/OutputManager.cs, ActionCommandManager.cs,
 * src/Runner.Common/ActionCommand.cs), so a test can ask what a log would have done:
 *
 * - the output is cut into lines at CR, LF and CRLF (StreamReader.ReadLine);
 * - `TryParseV2`: after `TrimStart()`, a line starting `::`; the command name runs to the next
 *   `::` or the first space before it; `name=value` properties split at `,`; the data is the rest;
 * - then the legacy `TryParse`: `##[` anywhere in the line, the name up to `]` or a space,
 *   properties split at `;`, the data after the `]`;
 * - only registered names count (case-insensitive); `stop-commands` turns processing off until a
 *   line whose command name is its data (the token);
 * - `StartsWith` and `IndexOf` compare with the culture, which on ICU passes over characters
 *   without a collation weight: those are dropped before matching, here.
 *
 * Plain TypeScript without jest globals.
 */

/** One command the runner would carry out. */
export interface RunnerCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
  /** The line it came from. */
  line: string;
}

/** The commands a runner registers (ActionCommandManager's extensions, plus stop-commands). */
export const REGISTERED_COMMANDS: readonly string[] = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
];

/** .NET's `char.IsWhiteSpace`, what `TrimStart()` drops. */
const DOTNET_WHITE_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Characters an ICU comparison passes over (no collation weight at any level): the controls that
 * are not white space, and the default-ignorables (U+200B, U+00AD, U+FEFF, …).
 */
const IGNORED_BY_ICU = /[\p{Cc}\p{Default_Ignorable_Code_Point}]/gu;

/** `line` as ICU compares it: the ignored characters dropped, the white space kept for TrimStart. */
function asCompared(line: string): string {
  return line.replace(IGNORED_BY_ICU, (c) => (/[\t\v\f\u0085]/.test(c) ? c : ''));
}

/** `%0D` `%0A` `%25` (and `%3A` `%2C` in properties): the runner's unescaping. */
function unescape(text: string, property: boolean): string {
  let out = text.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  else out = out.replace(/%3B/g, ';').replace(/%5D/g, ']');
  return out.replace(/%25/g, '%');
}

function properties(text: string, separator: string, property: boolean): Record<string, string> {
  const found: Record<string, string> = {};
  for (const pair of text.split(separator).filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && eq < pair.length - 1) found[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), property);
  }
  return found;
}

/** `TryParseV2`: `::name props::data` at the start of the trimmed line. */
function parseV2(line: string, registered: ReadonlySet<string>): Omit<RunnerCommand, 'line'> | undefined {
  const message = line.replace(DOTNET_WHITE_SPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  return {
    name: name.toLowerCase(),
    properties: space > 0 ? properties(info.slice(space + 1).trim(), ',', true) : {},
    data: unescape(message.slice(end + 2), false),
  };
}

/** `TryParse`: the legacy `##[name props]data`, anywhere in the line. */
function parseLegacy(line: string, registered: ReadonlySet<string>): Omit<RunnerCommand, 'line'> | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const bracket = line.indexOf(']', prefix);
  if (bracket < 0) return undefined;
  const info = line.slice(prefix + 3, bracket);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  return {
    name: name.toLowerCase(),
    properties: space > 0 ? properties(info.slice(space + 1), ';', false) : {},
    data: unescape(line.slice(bracket + 1), false),
  };
}

/** The commands in `output`, in order, as the runner would carry them out. */
export function runnerCommands(output: string): RunnerCommand[] {
  const registered = new Set(REGISTERED_COMMANDS);
  const commands: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const raw of output.split(/\r\n|\r|\n/)) {
    const line = asCompared(raw);
    const known = new Set([...registered, ...(stopToken ? [stopToken.toLowerCase()] : [])]);
    const command = parseV2(line, known) ?? parseLegacy(line, known);
    if (!command) continue;
    if (stopToken !== undefined) {
      if (command.name === stopToken.toLowerCase()) stopToken = undefined;
      continue;
    }
    if (command.name === 'stop-commands') stopToken = command.data;
    commands.push({ ...command, line: raw });
  }
  return commands;
}
