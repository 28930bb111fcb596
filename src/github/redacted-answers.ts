/**
 * GitHub's answers with the run's GitHub token taken out before any code reads them. A GitHub
 * Enterprise Server's load balancer, a proxy's error page or a debugging front end may echo the
 * request's `Authorization: token ghs_…` in its answer, and the writer quotes what GitHub said
 * in its errors: they reach the job summary (whose Markdown escapes, `ghs\_…`, the runner's
 * masking does not recognise), the `problems` output, pull request bodies (a release list that
 * could not be read) and the dashboard issue, none of which the runner masks. Redacted here, at
 * the client, every caller gets the answer clean: REST errors (`message`, `response.data`, a
 * body that is not JSON) and GraphQL errors, which arrive in an answer of HTTP 200 and from which
 * Octokit's `graphql` makes its error's message afterwards.
 *
 * Only the token, in every form `registry/redact.ts` knows (base64, URL- and JSON-escaped, …);
 * GitHub's own words may read like the generic shapes ("Basic authentication …"), so those stay.
 */
import { SecretRedactor } from '../registry/redact.js';
import type { GitHubClient } from './octokit.js';

/** `value` with every string in it (at any depth of arrays and objects) passed through `redact`. */
function redactStrings(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  // GitHub's answers nest a few levels; deeper is no error body worth walking.
  if (depth > 32 || typeof value !== 'object' || value === null || value instanceof ArrayBuffer) return value;
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, redact, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactStrings(item, redact, depth + 1)]),
  );
}

/** A failed request's error, its message and GitHub's answer in it, redacted in place. */
function redactError(caught: unknown, redact: (text: string) => string): void {
  if (typeof caught !== 'object' || caught === null) return;
  const e = caught as { message?: unknown; response?: { data?: unknown }; errors?: unknown };
  if (typeof e.message === 'string') e.message = redact(e.message);
  if (typeof e.response === 'object' && e.response !== null && 'data' in e.response)
    e.response.data = redactStrings(e.response.data, redact);
  if (e.errors !== undefined) e.errors = redactStrings(e.errors, redact);
}

/**
 * An Octokit plugin that takes `secrets` out of every answer's error text. Registered outside
 * the retry and throttling plugins, it sees the error they finally let through.
 */
export function redactedAnswers(secrets: readonly string[]) {
  const redactor = new SecretRedactor();
  for (const secret of secrets) redactor.add(secret);
  const redact = (text: string): string => redactor.removeKnown(text);
  return (octokit: Pick<GitHubClient, 'hook'>): void => {
    octokit.hook.wrap('request', async (request, options) => {
      try {
        const response = await request(options);
        const data = response.data as { errors?: unknown } | null | undefined;
        // GraphQL's errors come in a successful answer.
        if (typeof data === 'object' && data !== null && Array.isArray(data.errors))
          data.errors = redactStrings(data.errors, redact);
        return response;
      } catch (caught) {
        redactError(caught, redact);
        throw caught;
      }
    });
  };
}
