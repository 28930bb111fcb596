/**
 * Text for the Actions log that the runner cannot take for a workflow command. The runner reads
 * every line the step prints, and `core.info` prints its text as it is: a registry's error body, a
 * file name or a GitHub answer holding a line `::set-output name=updates::[]` or
 * `::stop-commands::x` would set our outputs or switch off our own `::add-mask::` lines. Pure.
 *
 * How actions/runner reads a line (ActionCommand.TryParseV2 and TryParse, OutputManager):
 *
 * - Lines end at CR, LF or CRLF (.NET's StreamReader.ReadLine), so each piece between them counts.
 * - `::name props::data` is a command when the line starts with `::` after `TrimStart()`, which
 *   drops every .NET white space (tab, VT, FF, U+0085, U+00A0, U+2028, U+3000, …).
 * - The legacy `##[name props]data` is a command wherever `##[` stands in the line.
 * - Both tests compare with the current culture, which on ICU ignores characters without a
 *   collation weight (controls, U+200B and the other default-ignorables): `:\u200B:set-output`
 *   and `#\u00AD#[` match too. So a zero-width character cannot break a command, and is skipped
 *   when looking for one.
 *
 * A line that could start a command gets `| ` in front (a visible character the runner keeps);
 * each `##[` gets a space before its `[`. Nothing else changes, so the text still reads as written.
 *
 *   inertLogText('failed: 422\n::set-output name=updates::[]')
 *     === 'failed: 422\n| ::set-output name=updates::[]'
 */

/** Characters ICU's comparison may pass over, and marks that only decorate the one before. */
const IGNORABLE = String.raw`\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Mn}\p{Me}`;

/** What `String.TrimStart()` drops (.NET's `char.IsWhiteSpace`), and JavaScript's `\s`. */
const WHITE_SPACE = String.raw`\s\u0085`;

/** A line the runner would read as `::command::`, however it is dressed up. */
const COMMAND_START = new RegExp(`^[${WHITE_SPACE}${IGNORABLE}]*:[${IGNORABLE}]*:`, 'u');

/** A legacy `##[` anywhere in a line; the capture is what stands before its `[`. */
const LEGACY_PREFIX = new RegExp(`(#[${IGNORABLE}]*#[${IGNORABLE}]*)\\[`, 'gu');

/** The runner's line breaks, kept as they are. */
const LINE_BREAK = /(\r\n|\r|\n)/;

/** What goes before a line the runner would take for a command. */
export const COMMAND_LINE_MARK = '| ';

/** One line (no line break in it) that the runner cannot take for a command. */
function inertLine(line: string): string {
  const legacyBroken = line.replace(LEGACY_PREFIX, '$1 [');
  return COMMAND_START.test(legacyBroken) ? COMMAND_LINE_MARK + legacyBroken : legacyBroken;
}

/** `text`, every line of it made inert for the runner; see the module comment. */
export function inertLogText(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((piece, i) => (i % 2 === 1 ? piece : inertLine(piece)))
    .join('');
}
