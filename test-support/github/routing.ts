/**
 * The contract between the stand-in's dispatcher (`dispatch.ts`) and its endpoint groups (the
 * `*-endpoints.ts` files): what a handler is given and returns, how it refuses a request
 * (`HttpError`, answered as GitHub words its errors), and what the stand-in lends every group
 * (`EndpointHost`).
 */
import type { RestJson } from './rest-json.js';
import type { PullState, RepoState, TokenPermissions } from './stand-in-state.js';

/** What a handler returns. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Context {
  repo: RepoState;
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
  rawBody: unknown;
  /** The login of the request's token. */
  actor: string;
  /** Whether the token has the `workflows` permission. */
  mayWriteWorkflows: boolean;
  /** Whether the token may read the organization's teams (`members: read`). */
  mayReadTeams: boolean;
}

export type Handler = (context: Context) => Promise<Answer>;

/** Which permission an operation needs, and at which level. */
export type Need = [keyof TokenPermissions, 'read' | 'write'];

/** A refusal a handler throws; the dispatcher answers it with GitHub's error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

/** Where GitHub's error bodies point (`documentation_url`). */
export const DOCS = 'https://docs.github.com/rest';
export const NOT_FOUND = (): HttpError => new HttpError(404, 'Not Found');

/** A body field as a string, `''` when it is not one (validation has checked the type already). */
export const asString = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * What the endpoint groups need from the stand-in. One object serves them all, `issues-endpoints.ts`
 * (whose `IssueHost` is a part of it) included.
 */
export interface EndpointHost {
  route(method: string, template: string, need: Need, handler: Handler): void;
  /** An error the stand-in answers with `status`, `message` and `errors`. */
  fail(status: number, message: string, errors?: unknown[]): Error;
  /** The next issue or pull request number of a repository. */
  nextNumber(repo: RepoState): number;
  /** A strictly increasing clock, so commits made in the same second still differ and sort. */
  nextDate(): string;
  /** The next id of a repository, label or release. */
  nextId(): number;
  /** Makes sure a label exists (created on the fly, as GitHub does); its JSON. */
  label(repo: RepoState, name: string): Record<string, unknown>;
  apiUrl(repo: RepoState, path: string): string;
  htmlUrl(repo: RepoState, path: string): string;
  /** A repository's pull request; a 404 when there is none. */
  pull(repo: RepoState, number: number): PullState;
  /** The JSON shapes GitHub answers with. */
  json: RestJson;
  /** Requests that broke the OpenAPI description or the stand-in's own rules. */
  violations: string[];
}
