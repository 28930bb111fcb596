/**
 * What a pull request body says when the new image runs on other platforms than the current one.
 * A lost platform leads the update's section in a GitHub warning box: nodes of that architecture
 * could no longer pull the image, which a reviewer must see before anything else (renderers without
 * GitHub's alerts show a quote). A gained one is a plain line in the list of what changes. Same
 * platforms, or not enough known to compare: nothing. Pure.
 *
 *   > [!WARNING]
 *   > **Drops linux/arm64:** the new image is for linux/amd64 only (was linux/amd64, linux/arm64).
 *
 *   - Platforms: linux/amd64, linux/arm64 (was linux/amd64)
 *
 * Platforms are `Update.platforms` / `fromPlatforms`: checked names (letters, digits, `.`, `_`,
 * `-`, `/`; at most 32 of at most 98 characters); empty means single-platform, which one unread.
 */
import { capText, escapeMarkdown } from './markdown.js';
import type { Update } from './types.js';

/** Platforms named in one list; more are counted. */
const MAX_NAMED = 8;
/** The most characters of one name shown (the registry client keeps none longer than 98). */
const MAX_NAME = 100;

/** The body's lines about a change of platforms; either may be absent. */
export interface PlatformsText {
  /** A lost platform: the first block of the update's section (a `[!WARNING]` alert). */
  warning?: string;
  /** A gained platform: a line for the list of what changes (without its `- `). */
  line?: string;
}

/** `linux/amd64, linux/arm64`, at most {@link MAX_NAMED} named, each capped and escaped. */
function list(platforms: readonly string[]): string {
  const named = platforms
    .slice(0, MAX_NAMED)
    .map((p) => escapeMarkdown(capText(p, MAX_NAME)))
    .join(', ');
  const more = platforms.length - MAX_NAMED;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** A GitHub alert box around one line. */
function warningBox(line: string): string {
  return `> [!WARNING]\n> ${line}`;
}

/** What the body says about the update's platforms. */
export function platformsText(update: Pick<Update, 'platforms' | 'fromPlatforms'>): PlatformsText {
  const to = update.platforms;
  const from = update.fromPlatforms;
  if (to === undefined || from === undefined) return {};
  // Single-platform without knowing which: only a change to or from several platforms is sure.
  if (from.length === 0) {
    return to.length > 1 ? { line: `Platforms: ${list(to)} (was single-platform)` } : {};
  }
  if (to.length === 0) {
    return from.length > 1
      ? { warning: warningBox(`**Drops platforms:** the new image is single-platform (was ${list(from)}).`) }
      : {};
  }
  const dropped = from.filter((p) => !to.includes(p));
  if (dropped.length > 0) {
    const only = to.length === 1 ? ' only' : '';
    return {
      warning: warningBox(
        `**Drops ${list(dropped)}:** the new image is for ${list(to)}${only} (was ${list(from)}).`,
      ),
    };
  }
  return to.some((p) => !from.includes(p)) ? { line: `Platforms: ${list(to)} (was ${list(from)})` } : {};
}
