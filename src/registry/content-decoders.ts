/**
 * Decoders for a response body's `Content-Encoding`, as `fetch` decodes: gzip (and x-gzip),
 * deflate (zlib-wrapped or raw, told apart by the first byte) and br, the last coding first; a
 * body with an unknown coding is left as sent; more than {@link MAX_CODINGS} codings are refused.
 */
import { Transform, type TransformCallback } from 'node:stream';
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type ZlibOptions,
} from 'node:zlib';

/** A response body refused for what it is (too large, too many codings): the answer, not retried. */
export class RefusedBodyError extends Error {}

/** More content codings than this are refused, as undici's `fetch` does (a chain of decoders). */
const MAX_CODINGS = 5;

/** Decoders for `Content-Encoding`, last coding first; none when one is unknown (the body as sent, as `fetch`). */
export function decodersFor(contentEncoding: string | null): Transform[] {
  if (contentEncoding === null) return [];
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '');
  if (codings.length > MAX_CODINGS)
    throw new RefusedBodyError(
      `response body has ${codings.length} content codings, more than ${MAX_CODINGS}`,
    );
  if (!codings.every((coding) => ['gzip', 'x-gzip', 'deflate', 'br'].includes(coding))) return [];
  // Lenient about a truncated end, as `fetch`.
  const zlibFlush = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  const brotliFlush = {
    flush: constants.BROTLI_OPERATION_FLUSH,
    finishFlush: constants.BROTLI_OPERATION_FLUSH,
  };
  return codings
    .reverse()
    .map((coding) =>
      coding === 'br'
        ? createBrotliDecompress(brotliFlush)
        : coding === 'deflate'
          ? createDeflateDecoder(zlibFlush)
          : createGunzip(zlibFlush),
    );
}

/**
 * Inflates `deflate` wrapped in zlib or raw, as servers send both: told apart by the first byte, as
 * `fetch` does. The decoded body ends where the compressed stream does, as gzip's and br's decoders
 * end theirs, and bytes after it are dropped: an inflate that reached its end never calls back the
 * write that brought it there, so such a body would otherwise wait for its timeout.
 */
function createDeflateDecoder(options: ZlibOptions): Transform {
  let inflate: Transform | undefined;
  /** The callback of the chunk being inflated. */
  let pending: TransformCallback | undefined;
  let flushing = false;
  let ended = false;
  const release = () => {
    const callback = pending;
    pending = undefined;
    callback?.();
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (ended) return callback();
      if (inflate === undefined) {
        if (chunk.length === 0) return callback();
        // A zlib header's low nibble is 8 (deflate); a raw stream's first byte is a block header.
        inflate = (chunk[0] & 0x0f) === 0x08 ? createInflate(options) : createInflateRaw(options);
        inflate.on('data', (data: Buffer) => this.push(data));
        inflate.on('error', (error) => this.destroy(error));
        inflate.once('end', () => {
          ended = true;
          if (flushing) return;
          // The stream ended inside the body: what follows it is not read.
          this.push(null);
          release();
        });
      }
      pending = callback;
      inflate.write(chunk, release);
    },
    flush(callback) {
      if (inflate === undefined || ended) return callback();
      flushing = true;
      inflate.once('end', () => callback());
      inflate.end();
    },
    destroy(error, callback) {
      inflate?.destroy();
      callback(error);
    },
  });
}
