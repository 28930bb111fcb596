/**
 * Git blob ids of files at commits, any number of commits and paths in one GraphQL request
 * (`Commit.file(path:)`, https://docs.github.com/graphql/reference/objects#commit), so telling
 * whether files changed between commits never downloads them (the contents API sends each file).
 */
import { call, fullName, type Repository } from './github-call.js';

type CommitFiles = Record<string, { oid: string; type: string } | null> | null;

/**
 * Reads the blob id of each of `paths`' files at its commit; the answer gives undefined for a file
 * the commit does not hold (or holds as a directory or submodule), or a commit GitHub does not know.
 */
export async function readBlobIds(
  repository: Repository,
  paths: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<(sha: string, path: string) => string | undefined> {
  const { query, variables, aliases } = blobQuery(repository, paths);
  const data = await call(`POST /graphql (blob ids of ${fullName(repository)})`, async () => ({
    data: await repository.github.graphql<{ repository: Record<string, CommitFiles> | null }>(
      query,
      variables,
    ),
  }));
  return (sha, path) => {
    const alias = aliases.get(sha);
    const fileAlias = alias?.files.get(path);
    if (!alias || fileAlias === undefined) return undefined;
    const entry = data.repository?.[alias.commit]?.[fileAlias];
    return entry?.type === 'blob' ? entry.oid : undefined;
  };
}

/**
 * One query asking each commit for its files' blob ids, through aliases (`c0: object(oid: $c0) {
 * ... on Commit { f0: file(path: $c0f0) { oid type } } }`); values travel as variables, never spliced
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
      return `${alias}: file(path: $${commit}${alias}) { oid type }`;
    });
    aliases.set(sha, { commit, files: fileAliases });
    selections.push(`${commit}: object(oid: $${commit}) { ... on Commit { ${fields.join(' ')} } }`);
  });
  const query = `query BlobIds(${declarations.join(', ')}) {\n  repository(owner: $owner, name: $repo) {\n    ${selections.join('\n    ')}\n  }\n}`;
  return { query, variables, aliases };
}
