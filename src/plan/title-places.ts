/**
 * Where a pull request's title must say its file: the same HelmRelease is often written once per
 * cluster (`clusters/staging/podinfo.yaml` and `clusters/production/podinfo.yaml`, both
 * `web/podinfo`), and the same bump of both would otherwise open two pull requests titled alike,
 * which a reviewer cannot tell apart in a list. Only titles another request of the run shares get
 * their files, so every other title stays as its template says; two containers of one release on
 * one image (an app and its migration job) share their file as well, and get their containers. Pure.
 */
import type { PullRequestRequest } from './branch-name.js';
import type { Update } from './types.js';

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
  const namesOf = (request: PullRequestRequest, pick: (u: Update) => string) =>
    [...new Set(request.updates.map(pick))].join(', ');
  for (const alike of byTitle.values()) {
    if (alike.length < 2) continue;
    const files = alike.map((request) => namesOf(request, (u) => u.file));
    alike.forEach((request, i) => {
      // Two containers of one release on one image share their file too: their container tells them apart.
      const shared = files.filter((file) => file === files[i]).length > 1;
      places.set(
        request.branch,
        shared ? `${files[i]}, container ${namesOf(request, (u) => u.container)}` : files[i]!,
      );
    });
  }
  return places;
}
