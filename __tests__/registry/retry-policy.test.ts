/**
 * When the registry client tries a request again (retry-policy.ts): each row is an attempt's end
 * (its answer or none, how many attempts came before, the time left) and the wait before the next
 * attempt, or none. The policy is the client's defaults; the jitter is 0.5 unless a row says.
 */
import { describe, expect, it } from '@jest/globals';
import {
  parseRetryAfter,
  retryWait,
  type AttemptOutcome,
  type RetryPolicy,
} from '../../src/registry/retry-policy.js';

const POLICY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };
const NOW = Date.parse('2026-01-01T00:00:00Z');

function answer(status: number, headers: Record<string, string> = {}): AttemptOutcome {
  return { response: { status, headers: new Headers(headers) } };
}

interface Row {
  outcome: AttemptOutcome;
  attempt?: number;
  /** ms left before the request's deadline; 90 s unless given. */
  left?: number;
  jitter?: number;
  policy?: Partial<RetryPolicy>;
  wait: number | undefined;
}

describe('retryWait', () => {
  it.each<[string, Row]>([
    ['an answer of 200 is the request’s', { outcome: answer(200), wait: undefined }],
    ['a 404 is the request’s (callers decide what 4xx means)', { outcome: answer(404), wait: undefined }],
    ['a 401 is the request’s', { outcome: answer(401), wait: undefined }],
    ['no answer: half the first backoff', { outcome: {}, wait: 250 }],
    [
      'a 500 after two retries: 500 ms doubled twice, halved',
      { outcome: answer(500), attempt: 2, wait: 1000 },
    ],
    ['a 503 with the most jitter', { outcome: answer(503), jitter: 0.999, wait: 499.5 }],
    ['no retries left', { outcome: answer(503), attempt: 3, wait: undefined }],
    ['none allowed', { outcome: {}, policy: { retries: 0 }, wait: undefined }],
    [
      'the backoff is bounded by its upper bound',
      { outcome: {}, attempt: 8, jitter: 1, policy: { retries: 10 }, wait: 10_000 },
    ],
    [
      'a 429 with requests left',
      { outcome: answer(429, { 'ratelimit-remaining': '12;w=21600' }), wait: 250 },
    ],
    ['a 429 without a count', { outcome: answer(429), wait: 250 }],
    [
      'Docker Hub’s pull limit (none left in its window)',
      { outcome: answer(429, { 'ratelimit-remaining': '0;w=21600' }), wait: undefined },
    ],
    [
      'none left, without a window',
      { outcome: answer(429, { 'ratelimit-remaining': ' 0 ' }), wait: undefined },
    ],
    [
      'Retry-After in seconds, longer than the backoff',
      { outcome: answer(429, { 'retry-after': '7' }), wait: 7000 },
    ],
    ['Retry-After shorter than the backoff', { outcome: answer(503, { 'retry-after': '0' }), wait: 250 }],
    [
      'Retry-After as an HTTP date',
      { outcome: answer(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), wait: 30_000 },
    ],
    [
      'Retry-After that cannot be read: the backoff',
      { outcome: answer(503, { 'retry-after': 'soon' }), wait: 250 },
    ],
    [
      'Retry-After longer than the client waits: the answer is the request’s',
      { outcome: answer(429, { 'retry-after': '61' }), wait: undefined },
    ],
    ['the deadline has passed', { outcome: {}, left: 0, wait: undefined }],
    ['the wait would end at the deadline', { outcome: {}, left: 250, wait: undefined }],
    ['the wait ends just before it', { outcome: {}, left: 251, wait: 250 }],
    [
      'Retry-After past the deadline',
      { outcome: answer(503, { 'retry-after': '30' }), left: 20_000, wait: undefined },
    ],
  ])('%s', (_name, row) => {
    const clock = {
      attempt: row.attempt ?? 0,
      now: NOW,
      deadline: NOW + (row.left ?? 90_000),
      random: () => row.jitter ?? 0.5,
    };
    expect(retryWait(row.outcome, clock, { ...POLICY, ...row.policy })).toBe(row.wait);
  });

  it('asks for jitter only when it may try again', () => {
    let asked = 0;
    const random = () => {
      asked += 1;
      return 0.5;
    };
    const clock = { attempt: 0, now: NOW, deadline: NOW + 90_000, random };
    retryWait(answer(200), clock, POLICY);
    retryWait(answer(503), { ...clock, attempt: 3 }, POLICY);
    expect(asked).toBe(0);
    retryWait(answer(503), clock, POLICY);
    expect(asked).toBe(1);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['7', 7000],
    [' 12 ', 12000],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s -> %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
