/**
 * Where a pull request's title must say its file: the same HelmRelease is often written once per
 * cluster (`clusters/staging/podinfo.yaml` and `clusters/production/podinfo.yaml`, both
 * `web/podinfo`), and the same bump of both would otherwise open two pull requests titled alike,
 * which a reviewer cannot tell apart in a list. Only titles another request of the run shares get
 * their files, so every other title stays as its template says. Pure.
 */
import type { PullRequestRequest } from './branch-name.js';

/**
 * The files to name in the title of each request whose title (as `titleOf` renders it) another
 * request of `requests` has too, by branch; the others are absent.
 */
export function titlePlaces(
  requests: readonly PullRequestRequest[],
  titleOf: (request: PullRequestRequest) => string,
): Map<string, string> {
  const byTitle = new Map<string, PullRequestRequest[]>();
  for (const request of requests) {
    const title = titleOf(request);
    const alike = byTitle.get(title);
    if (alike) alike.push(request);
    else byTitle.set(title, [request]);
  }
  const places = new Map<string, string>();
  for (const alike of byTitle.values()) {
    if (alike.length < 2) continue;
    for (const request of alike) {
      places.set(request.branch, [...new Set(request.updates.map((u) => u.file))].join(', '));
    }
  }
  return places;
}
