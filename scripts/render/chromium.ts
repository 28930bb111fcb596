/**
 * Headless Chromium (Debian's `chromium` package) for the render scripts: a page's height at a
 * width, and its screenshot. The flags keep Chromium off the network (this machine's is closed, and
 * without them it tries Google's hosts at every start) and away from the user's profile.
 */
import { spawnSync } from 'node:child_process';

/** GitHub's body column. */
export const GITHUB_WIDTH = 880;

/** Where to find Chromium, and the throwaway profile directory it may use. */
export interface ChromiumOptions {
  chromium?: string;
  profile: string;
}

function chromium(options: ChromiumOptions, args: string[]): string {
  const result = spawnSync(
    options.chromium ?? 'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${options.profile}`,
      '--hide-scrollbars',
      ...args,
    ],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`chromium failed: ${result.stderr || result.error}`);
  return result.stdout;
}

/** The page's DOM after its scripts ran, at `width` px. */
export function dumpDom(file: string, width: number, options: ChromiumOptions): string {
  return chromium(options, [`--window-size=${width},600`, '--dump-dom', `file://${file}`]);
}

/** Screenshots the page at `width` x `height` px into `png`. */
export function screenshot(
  file: string,
  png: string,
  size: { width: number; height: number },
  options: ChromiumOptions,
): void {
  chromium(options, [`--window-size=${size.width},${size.height}`, `--screenshot=${png}`, `file://${file}`]);
}
