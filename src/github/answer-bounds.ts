/**
 * GitHub's answers read whole or not at all. Octokit swallows a failure to read a successful
 * answer's body: a body cut short (a dropped connection, a proxy's reset), one still arriving when
 * the attempt's time ran out, or one that is not JSON (a proxy's page with status 200) became the
 * answer's data as a string, most often `''`. The writer then read `''.default_branch` and looked
 * for the base branch "undefined", or took a file read as `''` for a file the base does not have.
 * And it read any body whole, however large. This plugin reads each body within
 * {@link MAX_ANSWER_BYTES} and fails an answer it could not read with an {@link UnreadableAnswer},
 * retried like an answer that never came, and told at the GitHub boundary (`github-call.ts`).
 */

import type { GitHubClient } from './octokit.js';

/** The most bytes of one answer read (GitHub's largest, a page of 100 releases, is some 25 MB). */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** A successful answer whose body could not be read as GitHub's JSON. */
export class UnreadableAnswer extends Error {
  /** Read by the retry plugin: a status it retries, as for a 5xx without an answer. */
  readonly status = 500;

  constructor(
    message: string,
    /** The request's options: the retry plugin retries only errors that carry them. */
    readonly request: unknown,
  ) {
    super(message);
    this.name = 'UnreadableAnswer';
  }
}

/**
 * Where a request's options keep what their capped fetch saw. An object of its own: the retry
 * plugin copies the options for each retry, and the copy must share it with the fetch.
 */
const CAPPED = Symbol('capped fetch');

interface RequestSettings {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  [CAPPED]?: { tooLarge: boolean };
}

/** `fetch` whose answers' bodies end in an error past `maxBytes`, noted in `seen`. */
function cappedFetch(inner: typeof fetch, maxBytes: number, seen: { tooLarge: boolean }): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    // A body-less answer (204, 304, HEAD) cannot be built again with a body.
    if (!response.body || [101, 204, 205, 304].includes(response.status)) return response;
    let read = 0;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          read += chunk.byteLength;
          if (read <= maxBytes) return controller.enqueue(chunk);
          seen.tooLarge = true;
          controller.error(new Error(`the answer is larger than ${maxBytes} bytes`));
        },
      }),
    );
    const capped = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    Object.defineProperty(capped, 'url', { value: response.url });
    return capped;
  };
}

/** `<n> MiB`, or bytes below one. */
function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Why a successful answer's body came as the string `data`, in words that say what happened. */
function whyUnreadable(data: string, settings: RequestSettings, maxBytes: number): string {
  if (settings[CAPPED]?.tooLarge)
    return `its answer is larger than ${size(maxBytes)}, the most read of one answer`;
  if (settings.signal?.aborted) return 'its answer did not arrive whole in the time an attempt has';
  if (data.trim() === '') return 'its answer was empty or cut short (the connection closed before its end)';
  const flat = data.replace(/\s+/g, ' ').trim();
  const html = /^<(?:!doctype\s+html|html)\b/i.test(flat);
  return html
    ? 'its answer is an HTML page, not JSON (a proxy between?)'
    : `its answer is not JSON: ${flat.length > 100 ? `${flat.slice(0, 99)}…` : flat}`;
}

/**
 * The plugin, registered before the time limit's (`octokit.ts`), so that its wrap runs inside it and
 * sees the attempt's signal. The options are changed in place, as the time limit's are.
 */
export function answerBounds(maxBytes: number) {
  return (octokit: Pick<GitHubClient, 'hook'>): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const settings = (options.request ??= {}) as RequestSettings;
      let seen = settings[CAPPED];
      if (!seen) {
        seen = { tooLarge: false };
        settings.fetch = cappedFetch(settings.fetch ?? globalThis.fetch, maxBytes, seen);
        settings[CAPPED] = seen;
      }
      seen.tooLarge = false;
      const response = await request(options);
      // Every answer the writer asks for is JSON, or has no body (204 and 205, and any answer to a
      // HEAD, whose data Octokit leaves ''): a string is a body Octokit could not read or parse.
      const bodiless = response.status === 204 || response.status === 205 || options.method === 'HEAD';
      if (typeof response.data === 'string' && !bodiless) {
        throw new UnreadableAnswer(whyUnreadable(response.data, settings, maxBytes), options);
      }
      return response;
    });
  };
}
