/**
 * How the scopes asked for in one turn are gathered into token requests (shared-tokens.ts), with
 * the turn in the test's hands: what each request names, within its bounds, and what a scope gets
 * when the service answers a shared request with no token.
 */
import { describe, expect, it } from '@jest/globals';
import {
  MAX_IN_FLIGHT,
  MAX_SCOPES_PER_TOKEN,
  MAX_SCOPES_TEXT,
  SharedTokens,
} from '../../src/registry/shared-tokens.js';
import type { IssuedToken } from '../../src/registry/token-protocol.js';

/** A token whose value is the scopes it was asked for. */
const tokenOf = (scopes: string): IssuedToken => ({ value: scopes, expiresAt: Number.MAX_SAFE_INTEGER });
/** A service that grants what it is asked for. */
const grant = async (scopes: string) => tokenOf(scopes);
/** A service that refuses requests naming several scopes. */
const refuseSeveral = async (scopes: string) => {
  if (scopes.includes(' ')) throw new Error('400');
  return tokenOf(scopes);
};

/**
 * Shared tokens with the turn in the test's hands (`endTurn`), asking `answer` for each token
 * request (`asked` lists them); `answered` says whether a failed request got an answer.
 */
function harness({ answer = grant, answered = true } = {}) {
  const turn: Array<() => void> = [];
  const asked: string[] = [];
  const tokens = new SharedTokens((run) => turn.push(run));
  const send = (scopes: string): Promise<IssuedToken> => {
    asked.push(scopes);
    return answer(scopes);
  };
  const ask = (scope: string, key = 'registry') =>
    tokens.token('registry', key, scope, send, () => answered).then((token) => token.value);
  const endTurn = () => turn.splice(0).forEach((run) => run());
  return { tokens, asked, ask, endTurn };
}

const scope = (name: string) => `repository:${name}:pull`;

describe('the token requests of one turn', () => {
  it.each<[string, string[], number[]]>([
    ['one scope', [scope('a')], [1]],
    ['three scopes', [scope('a'), scope('b'), scope('c')], [3]],
    ['a scope asked twice', [scope('a'), scope('b'), scope('a')], [2]],
    [
      `${MAX_SCOPES_PER_TOKEN + 1} scopes`,
      Array.from({ length: MAX_SCOPES_PER_TOKEN + 1 }, (_, i) => scope(`r${i}`)),
      [MAX_SCOPES_PER_TOKEN, 1],
    ],
    // Repository names may be 255 characters long: the request's URL stays bounded.
    [
      'scopes of long names',
      Array.from({ length: 9 }, (_, i) => scope(`${i}${'n'.repeat(254)}`)),
      [Math.floor((MAX_SCOPES_TEXT + 1) / (scope('x'.repeat(255)).length + 1)), 2],
    ],
  ])('%s', async (_case, scopes, sizes) => {
    const { asked, ask, endTurn } = harness();
    const answers = scopes.map((s) => ask(s));
    expect(asked).toEqual([]);
    endTurn();
    const tokens = await Promise.all(answers);
    expect(asked.map((request) => request.split(' ').length)).toEqual(sizes);
    expect(asked.every((request) => request.length <= MAX_SCOPES_TEXT)).toBe(true);
    // Each scope got the token of the request that named it.
    scopes.forEach((s, i) => expect(tokens[i].split(' ')).toContain(s));
  });

  it('keeps apart what is asked for under different keys (registries, endpoints)', async () => {
    const { asked, ask, endTurn } = harness();
    const answers = [ask(scope('a'), 'one'), ask(scope('b'), 'two'), ask(scope('c'), 'one')];
    endTurn();
    expect(await Promise.all(answers)).toEqual([
      `${scope('a')} ${scope('c')}`,
      scope('b'),
      `${scope('a')} ${scope('c')}`,
    ]);
    expect(asked).toHaveLength(2);
  });

  it(`sends the scopes asked while ${MAX_IN_FLIGHT} requests are in flight together once one is answered`, async () => {
    const answers: Array<() => void> = [];
    const { asked, ask, endTurn } = harness({
      answer: (scopes) => new Promise((resolve) => answers.push(() => resolve(tokenOf(scopes)))),
    });
    // One scope a turn: each goes at once while fewer than MAX_IN_FLIGHT are out.
    const first = Array.from({ length: MAX_IN_FLIGHT }, (_, i) => {
      const answer = ask(scope(`f${i}`));
      endTurn();
      return answer;
    });
    expect(asked).toEqual(first.map((_, i) => scope(`f${i}`)));
    // Asked in two later turns, while those are in flight: they wait, and go together.
    const later = [ask(scope('b'))];
    endTurn();
    later.push(ask(scope('c')));
    endTurn();
    expect(asked).toHaveLength(MAX_IN_FLIGHT);
    answers.shift()!();
    expect(await first[0]).toBe(scope('f0'));
    expect(asked.slice(MAX_IN_FLIGHT)).toEqual([`${scope('b')} ${scope('c')}`]);
    answers.splice(0).forEach((answer) => answer());
    expect(await Promise.all(later)).toEqual([`${scope('b')} ${scope('c')}`, `${scope('b')} ${scope('c')}`]);
    // Nothing in flight: the next scope goes after its own turn.
    const next = ask(scope('d'));
    endTurn();
    expect(asked).toHaveLength(MAX_IN_FLIGHT + 2);
    answers.shift()!();
    expect(await next).toBe(scope('d'));
  });
});

describe('a shared request answered with no token', () => {
  it('asks for each scope alone, and for later scopes one at a time', async () => {
    const { tokens, asked, ask, endTurn } = harness({ answer: refuseSeveral });
    const answers = [ask(scope('a')), ask(scope('b'))];
    endTurn();
    expect(await Promise.all(answers)).toEqual([scope('a'), scope('b')]);
    expect(asked).toEqual([`${scope('a')} ${scope('b')}`, scope('a'), scope('b')]);
    expect(tokens.mayShare('registry')).toBe(false);
  });

  it('fails a scope asked for alone as the service failed it', async () => {
    const { tokens, ask, endTurn } = harness({ answer: () => Promise.reject(new Error('403')) });
    const answer = ask(scope('a'));
    endTurn();
    await expect(answer).rejects.toThrow('403');
    expect(tokens.mayShare('registry')).toBe(true);
  });

  it('does not ask again when the service was not reached', async () => {
    const { asked, ask, endTurn } = harness({
      answer: () => Promise.reject(new Error('timed out')),
      answered: false,
    });
    const answers = [ask(scope('a')), ask(scope('b'))];
    endTurn();
    for (const answer of answers) await expect(answer).rejects.toThrow('timed out');
    expect(asked).toHaveLength(1);
  });
});

describe('a shared token the registry refused for a scope', () => {
  it.each<[string, boolean, boolean]>([
    ["the scope's own token taken: the service granted fewer scopes than asked", true, false],
    ["the scope's own token refused too: nothing learned of the service", false, true],
  ])('%s', async (_case, taken, mayShare) => {
    const { tokens, ask, endTurn } = harness();
    const answers = [ask(scope('a')), ask(scope('b'))];
    endTurn();
    const [shared] = await Promise.all(answers);
    expect(tokens.wasShared(shared)).toBe(true);
    tokens.askedAloneAfterShared('Bearer own');
    if (taken) tokens.taken('registry', 'Bearer own');
    // A token not asked for after a refusal says nothing.
    tokens.taken('registry', 'Bearer other');
    expect(tokens.mayShare('registry')).toBe(mayShare);
  });
});
