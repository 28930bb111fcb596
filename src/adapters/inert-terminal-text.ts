/**
 * Text for the CLI's terminal that shows every character it holds and moves nothing. The report
 * quotes what a repository or a registry wrote (YAML's `"\e"` is an escape, a file's name may hold
 * any byte but `/`), and a terminal obeys the controls in it: `\x1b[2J` clears the screen,
 * `\x1b]0;…\x07` retitles the window or (OSC 8, 52) plants a link or writes the clipboard, a bare
 * CR or backspaces overwrite a warning already printed, and bidirectional overrides reorder what
 * is read. Pure.
 *
 * Each such character is written as its `\uXXXX` escape, which is also what it means in JSON, so
 * `--json` stays valid and parses to the same values (JSON.stringify escapes C0 controls, but
 * leaves DEL, the C1 controls such as U+009B, a one-character CSI, and the bidirectional ones).
 * Line feeds and tabs, the report's own layout, are kept.
 *
 *   inertTerminalText('glob:1.*\x1b[2J\rok\n') === 'glob:1.*\\u001b[2J\\u000dok\n'
 */

/**
 * Controls (C0 but tab and line feed, the report's own layout; DEL; C1: `\p{Cc}` less those two)
 * and the bidirectional controls. Written as ranges, without the `u` flag, so that a report's
 * thousands of line feeds are neither matched nor copied: the CLI's `--json` report of a large
 * repository is megabytes long.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is what it is for
const ACTIVE_CHARACTERS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every character a terminal would act on written as its escape. */
export function inertTerminalText(text: string): string {
  return text.replace(ACTIVE_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
