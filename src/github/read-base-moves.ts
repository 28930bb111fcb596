/**
 * When the base moved on since our open pull requests were made, reads the blob ids of their files
 * at each head's parent and at the base in one GraphQL request per 100 pull requests, so the
 * `conflicted` rule (rebuild only when the base's copy of the file changed) costs no read per pull
 * request. See https://docs.github.com/graphql/reference/objects#commit (`file(path:)`).
 */
import type { BaseMove, OpenPull } from './pull-request-facts.js';
import { isOurCommit } from './our-commit.js';
import { call, fullName, type Repository } from './github-call.js';

/** Pull requests per request. */
const PULLS_PER_QUERY = 100;

type CommitFiles = Record<string, { oid: string } | null> | null;

/**
 * The blob ids of each open pull request's files at its head's parent and at `baseSha`, for the
 * pull requests whose head is our commit on another parent.
 */
export async function readBaseMoves(
  repository: Repository,
  baseSha: string,
  pulls: readonly OpenPull[],
): Promise<Map<string, BaseMove>> {
  const moved = pulls.filter(
    (pull) => pull.head && isOurCommit(pull.head) && pull.head.parents[0] !== baseSha,
  );
  const moves = new Map<string, BaseMove>();
  for (let start = 0; start < moved.length; start += PULLS_PER_QUERY) {
    const chunk = moved.slice(start, start + PULLS_PER_QUERY);
    // Each commit once, with the union of the paths asked of it.
    const paths = new Map<string, Set<string>>([[baseSha, new Set()]]);
    for (const pull of chunk) {
      const files = pull.marker.updates.map((u) => u.file);
      const parent = pull.head!.parents[0]!;
      for (const file of files) {
        paths.get(baseSha)!.add(file);
        if (!paths.has(parent)) paths.set(parent, new Set());
        paths.get(parent)!.add(file);
      }
    }
    const { query, variables, aliases } = blobQuery(repository, paths);
    const data = await call(`POST /graphql (blob ids of ${fullName(repository)})`, async () => ({
      data: await repository.github.graphql<{ repository: Record<string, CommitFiles> | null }>(
        query,
        variables,
      ),
    }));
    const blobAt = (sha: string, path: string): string | undefined => {
      const alias = aliases.get(sha)!;
      return data.repository?.[alias.commit]?.[alias.files.get(path)!]?.oid ?? undefined;
    };
    for (const pull of chunk) {
      const parent = pull.head!.parents[0]!;
      const files = pull.marker.updates.map((u) => u.file);
      moves.set(pull.branch, {
        parent: new Map(files.map((file) => [file, blobAt(parent, file)])),
        base: new Map(files.map((file) => [file, blobAt(baseSha, file)])),
      });
    }
  }
  return moves;
}

/**
 * One query asking each commit for its files' blob ids, through aliases (`c0: object(oid: $c0) {
 * ... on Commit { f0: file(path: $c0f0) { oid } } }`); values travel as variables, never spliced
 * into the query text.
 */
function blobQuery(
  repository: Repository,
  paths: ReadonlyMap<string, ReadonlySet<string>>,
): {
  query: string;
  variables: Record<string, string>;
  aliases: Map<string, { commit: string; files: Map<string, string> }>;
} {
  const variables: Record<string, string> = { owner: repository.owner, repo: repository.repo };
  const declarations = ['$owner: String!', '$repo: String!'];
  const selections: string[] = [];
  const aliases = new Map<string, { commit: string; files: Map<string, string> }>();
  [...paths].forEach(([sha, files], i) => {
    const commit = `c${i}`;
    variables[commit] = sha;
    declarations.push(`$${commit}: GitObjectID!`);
    const fileAliases = new Map<string, string>();
    const fields = [...files].map((path, j) => {
      const alias = `f${j}`;
      variables[`${commit}${alias}`] = path;
      declarations.push(`$${commit}${alias}: String!`);
      fileAliases.set(path, alias);
      return `${alias}: file(path: $${commit}${alias}) { oid }`;
    });
    aliases.set(sha, { commit, files: fileAliases });
    selections.push(`${commit}: object(oid: $${commit}) { ... on Commit { ${fields.join(' ')} } }`);
  });
  const query = `query BlobIds(${declarations.join(', ')}) {\n  repository(owner: $owner, name: $repo) {\n    ${selections.join('\n    ')}\n  }\n}`;
  return { query, variables, aliases };
}
