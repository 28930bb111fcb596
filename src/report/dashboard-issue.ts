/**
 * The dashboard issue's identity: the label and marker a run finds it by, the title it is created
 * with, the longest body GitHub takes, and whether a body already says what a run would write (so an
 * unchanged run writes nothing). Its text is `dashboard-text.ts`'s.
 */

/**
 * Finds the dashboard of the default title again among the issues carrying {@link DASHBOARD_LABEL};
 * before markers were keyed by title, every dashboard carried it.
 */
export const DASHBOARD_MARKER = '<!-- helmrelease-image-updater:dashboard -->';

/** The label the dashboard issue carries, so one listing request finds it. */
export const DASHBOARD_LABEL = 'image-updates-dashboard';

/** The `dashboard-title` input's default. */
export const DEFAULT_DASHBOARD_TITLE = 'HelmRelease image updates';

/**
 * The marker of the dashboard titled `title`, so that two workflows with different titles in one
 * repository keep separate issues. The default title's is {@link DASHBOARD_MARKER}, unkeyed, the
 * marker every dashboard carried before: an existing dashboard is found again after an upgrade.
 * The title is URI-encoded (no space, no `-->`), so no title's marker holds another's.
 */
export function dashboardMarker(title: string): string {
  if (title === DEFAULT_DASHBOARD_TITLE) return DASHBOARD_MARKER;
  return `<!-- helmrelease-image-updater:dashboard ${encodeURIComponent(title)} -->`;
}

/**
 * GitHub refuses an issue body over 65,536 characters; the dashboard stays a little under it
 * (counted in UTF-16 units, never fewer than characters).
 */
export const MAX_DASHBOARD_LENGTH = 65_000;

/**
 * True when two bodies say the same: GitHub stores an edited body with CRLF line ends, and the
 * job summary link of a truncated dashboard names the run that wrote it.
 */
export function sameDashboardBody(a: string, b: string): boolean {
  const normal = (text: string): string =>
    text
      .replace(/\r\n?/g, '\n')
      .replace(/(\[the job summary\])\([^)\s]*\)/g, '$1()')
      .trimEnd();
  return normal(a) === normal(b);
}
