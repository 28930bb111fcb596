/**
 * The stand-in's GraphQL endpoint: every query is validated against GitHub's published schema
 * (`@octokit/graphql-schema`) and executed over plain objects the stand-in builds from its state.
 * Only the fields the writer reads are backed; any other field resolves to null, so a query that
 * relies on one fails loudly (a non-null field) or reads nothing, never something invented.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  buildClientSchema,
  execute,
  parse,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

let schema: GraphQLSchema | undefined;

/** GitHub's GraphQL schema, built once per process (about 0.5 s). */
function githubSchema(): GraphQLSchema {
  if (!schema) {
    // The package exports only its ESM entry, so its directory is found through `graphql`'s sibling.
    const require = createRequire(import.meta.url);
    const modules = dirname(dirname(require.resolve('graphql/package.json')));
    const path = join(modules, '@octokit', 'graphql-schema', 'schema.json');
    const json = JSON.parse(readFileSync(path, 'utf8')) as { data?: IntrospectionQuery } & IntrospectionQuery;
    schema = buildClientSchema(json.data ?? json);
  }
  return schema;
}

/**
 * An error GitHub answers for a field it refuses to resolve, beside the rest of the data (a
 * resolver throws it): its `type` (`FORBIDDEN`, `NOT_FOUND`) goes into the answer's error, which
 * is GitHub's behaviour, not the client's mistake, so it is no violation.
 */
export class GitHubFieldError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
    this.name = 'GitHubFieldError';
  }
}

/** What a GraphQL request answered: the response body and problems to record as violations. */
export interface GraphqlAnswer {
  body: {
    data?: unknown;
    errors?: {
      message: string;
      type?: string;
      path?: (string | number)[];
      locations?: { line: number; column: number }[];
    }[];
  };
  violations: string[];
}

/**
 * Validates and runs a GraphQL request (`{ query, variables }`) against `root` (the `Query` type's
 * fields as values or functions of their arguments).
 */
export async function runGraphql(request: unknown, root: Record<string, unknown>): Promise<GraphqlAnswer> {
  const { query, variables } = (request ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== 'string') {
    return {
      body: { errors: [{ message: 'A query attribute must be specified' }] },
      violations: ['graphql: no query'],
    };
  }
  let document;
  try {
    document = parse(query);
  } catch (error) {
    const message = `Parse error: ${String(error)}`;
    return { body: { errors: [{ message }] }, violations: [`graphql: ${message}`] };
  }
  const invalid = validate(githubSchema(), document).map((e) => e.message);
  if (invalid.length > 0) {
    return {
      body: { errors: invalid.map((message) => ({ message })) },
      violations: invalid.map((m) => `graphql: ${m}`),
    };
  }
  const result = await execute({
    schema: githubSchema(),
    document,
    rootValue: root,
    variableValues: variables ?? {},
  });
  // As GitHub does, each error names the field it concerns (`path`: an alias of a batched query or
  // mutation), so a client can tell which of its aliases failed.
  const errors = (result.errors ?? []).map((e) => ({
    message: e.message,
    ...(e.originalError instanceof GitHubFieldError ? { type: e.originalError.type } : {}),
    ...(e.path ? { path: [...e.path] } : {}),
    ...(e.locations ? { locations: e.locations.map(({ line, column }) => ({ line, column })) } : {}),
  }));
  return {
    body: { data: result.data, ...(errors.length ? { errors } : {}) },
    violations: errors.filter((e) => e.type === undefined).map((e) => `graphql: ${e.message}`),
  };
}

/** A GitHub-style connection page over `items` (`first`/`after` with opaque cursors). */
export function connection<T>(
  items: readonly T[],
  args: { first?: number; after?: string | null },
): {
  nodes: T[];
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    endCursor: string | null;
    hasPreviousPage: boolean;
    startCursor: string | null;
  };
} {
  const first = Math.min(args.first ?? 100, 100);
  const start = args.after
    ? Number(
        Buffer.from(args.after, 'base64')
          .toString('utf8')
          .replace(/^cursor:/, ''),
      )
    : 0;
  const nodes = items.slice(start, start + first);
  const cursor = (i: number): string => Buffer.from(`cursor:${i}`).toString('base64');
  return {
    nodes,
    totalCount: items.length,
    pageInfo: {
      hasNextPage: start + first < items.length,
      endCursor: nodes.length ? cursor(start + nodes.length) : null,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? cursor(start) : null,
    },
  };
}
