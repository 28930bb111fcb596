/**
 * A Kustomize path read through the workspace's links. The listing does not enter a linked folder
 * (nor list a linked file under its own name), but Kustomize follows both, so a path is taken
 * through the link it starts with, then through any link its target path starts with, as the
 * system would, and at most {@link MAX_LINKS_FOLLOWED} times. Pure.
 *
 *   links: clusters/base -> apps/base
 *   clusters/base/app.yaml -> apps/base/app.yaml
 */

/** How many links one path goes through: Linux's own bound (MAXSYMLINKS), past which it fails. */
export const MAX_LINKS_FOLLOWED = 40;

/** Each link by its path, with its target's path, or null for one leading out of the listing. */
export type Links = ReadonlyMap<string, string | null>;

/** No links: a workspace port that does not report them. */
export const NO_LINKS: Links = new Map();

/**
 * Where `path` (workspace-relative, normalised) leads: a path of the listing's tree, `outside` when
 * a link leads out of it (outside the workspace, `.git`, `node_modules`), `loops` past the bound.
 */
export type ThroughLinks = { path: string } | { outside: true } | { loops: true };

/** `path` through the links it goes through. */
export function throughLinks(path: string, links: Links): ThroughLinks {
  let current = path;
  for (let followed = 0; links.size > 0; followed++) {
    const link = linkStarting(current, links);
    if (link === undefined) break;
    if (followed === MAX_LINKS_FOLLOWED) return { loops: true };
    const target = links.get(link)!;
    if (target === null) return { outside: true };
    const rest = current.slice(link.length + 1);
    current = target === '' ? rest : rest === '' ? target : `${target}/${rest}`;
  }
  return { path: current };
}

/** The longest link `path` is or starts with (a linked folder holds no listed link, so the only one). */
function linkStarting(path: string, links: Links): string | undefined {
  for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
    const prefix = path.slice(0, end);
    if (links.has(prefix)) return prefix;
  }
  return undefined;
}
