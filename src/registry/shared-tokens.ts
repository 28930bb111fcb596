/**
 * Tokens shared between scopes (issue 17): the token spec lets a request repeat `scope`
 * (distribution `docs/spec/auth/token.md`), and a token service answers with one token for all of
 * them. A registry that asks for a Bearer token per repository (GHCR, Docker Hub) then costs one
 * token request for the repositories that ask at once, not one each: half a run's requests there.
 *
 * The scopes asked for under one key (a registry and its token endpoint, auth.ts) in one turn of
 * the event loop go together; while {@link MAX_IN_FLIGHT} requests of the key are in flight, those
 * asked meanwhile wait for an answer and then go together. A run's scan finds a registry's
 * repositories one file at a time, and a token request each would take the connections the
 * listings need (GHCR's token service shares the registry's host) for a round trip each. A
 * request names at most {@link MAX_SCOPES_PER_TOKEN} scopes and {@link MAX_SCOPES_TEXT}
 * characters, so that neither its URL nor the token, sent with every request after, grows without
 * bound.
 *
 * Token services in the wild do not all grant what the spec says (every scope asked for that the
 * client may have): some answered 400 to a repeated `scope`, some granted only the first scope,
 * without saying so. So a request for several scopes that the service answers with no token is
 * asked again for each scope alone; a scope a shared token says it does not grant (its JWT's
 * `access` claim, token-protocol.ts) is asked for alone at once; a shared token the registry
 * refuses for a scope is asked again for that scope alone (auth.ts answers the 401); and when the
 * scope's own token grants it, or the registry takes it, the service granted fewer scopes than
 * asked. Either way the registry's scopes are asked for one at a time for the rest of the run. A
 * scope the registry refuses with its own token too says nothing about the service (a repository
 * that does not exist, or is private). Apart from the clock of turns, pure.
 */
import { tokenGrants, type IssuedToken } from './token-protocol.js';

/** Scopes one token request names at most. */
export const MAX_SCOPES_PER_TOKEN = 20;
/** Characters the scopes of one token request add up to at most (spaces between them included). */
export const MAX_SCOPES_TEXT = 2_000;
/**
 * Token requests of one key in flight before the scopes asked for gather behind them. Two, not one:
 * a scope asked for just after a request went out need not wait for its answer and then its own
 * (a token service taking seconds would double its wait); with 300 repositories 50 ms away, one,
 * two and three in flight all made 16-20 token requests in runs of the same length.
 */
export const MAX_IN_FLIGHT = 2;

/** One token request being gathered, then sent: its scopes are final once it is sent. */
interface Gathering {
  scopes: string[];
  length: number;
  token: Promise<IssuedToken>;
  /** Sends it; settles with its token. */
  go: () => Promise<void>;
}

/** The token requests of one key: the one open to more scopes, those not sent, those in flight. */
interface KeyRequests {
  open: Gathering | undefined;
  waiting: Gathering[];
  inFlight: number;
}

/** Asks for tokens as the module comment says, one instance a run. */
export class SharedTokens {
  private readonly keys = new Map<string, KeyRequests>();
  /** Tokens that were asked for with more than one scope, with what each says it grants. */
  private readonly shared = new Map<string, ReturnType<typeof tokenGrants>>();
  /** Registries whose scopes are asked for one at a time for the rest of the run. */
  private readonly oneAtATime = new Set<string>();
  /** The headers of tokens asked for alone after the registry refused a shared one. */
  private readonly aloneAfterShared = new Set<string>();

  /** @param defer runs a function after the current turn (`setImmediate`; a test's own) */
  constructor(private readonly defer: (run: () => void) => void = (run) => setImmediate(run)) {}

  /** Whether `registry`'s scopes may still be asked for together. */
  mayShare(registry: string): boolean {
    return !this.oneAtATime.has(registry);
  }

  /**
   * The token for `scope` of `registry`, asked for by `send` (the first scope's) with every scope
   * asked for under `key` in this turn, or while requests of the key are in flight. When the
   * service answers a request for several scopes with no token (`answered` tells such an error from
   * one where it was not reached, when asking again would only wait as long again), or the token
   * says it does not grant the scope, the scope is asked for alone.
   */
  async token(
    registry: string,
    key: string,
    scope: string,
    send: (scopes: string) => Promise<IssuedToken>,
    answered: (error: unknown) => boolean,
  ): Promise<IssuedToken> {
    const batch = this.join(key, scope, send);
    let token: IssuedToken;
    try {
      token = await batch.token;
    } catch (error) {
      if (batch.scopes.length === 1 || !answered(error)) throw error;
      this.oneAtATime.add(registry);
      return send(scope);
    }
    if (batch.scopes.length === 1) return token;
    // Read once for the batch's scopes: what the token says it grants.
    if (!this.shared.has(token.value)) this.shared.set(token.value, tokenGrants(token.value));
    const grants = this.shared.get(token.value);
    // A token that says it does not grant this scope: asked for alone now, as the registry's 401
    // would have it asked a round trip later. If the scope's own token grants it, the service
    // grants fewer scopes than asked; if not, the repository is denied, which says nothing of it.
    if (grants?.(scope) !== false) return token;
    const own = await send(scope);
    if (tokenGrants(own.value)?.(scope) === true) this.oneAtATime.add(registry);
    return own;
  }

  /** Whether a token (its value) was asked for with more than one scope. */
  wasShared(value: string): boolean {
    return this.shared.has(value);
  }

  /** A token (its header) asked for alone once the registry refused a shared one. */
  askedAloneAfterShared(header: string): void {
    this.aloneAfterShared.add(header);
  }

  /** The registry answered, not with a 401, a request that carried `header`. */
  taken(registry: string, header: string): void {
    if (this.aloneAfterShared.has(header)) this.oneAtATime.add(registry);
  }

  /** The batch `scope` joins: the one gathered under `key` when it has room, else a new one. */
  private join(key: string, scope: string, send: (scopes: string) => Promise<IssuedToken>): Gathering {
    let requests = this.keys.get(key);
    if (!requests) {
      requests = { open: undefined, waiting: [], inFlight: 0 };
      this.keys.set(key, requests);
    }
    const { open } = requests;
    if (open?.scopes.includes(scope)) return open;
    if (
      open &&
      open.scopes.length < MAX_SCOPES_PER_TOKEN &&
      open.length + 1 + scope.length <= MAX_SCOPES_TEXT
    ) {
      open.scopes.push(scope);
      open.length += 1 + scope.length;
      return open;
    }
    const batch = { scopes: [scope], length: scope.length } as Gathering;
    batch.token = new Promise<IssuedToken>((resolve, reject) => {
      batch.go = () => send(batch.scopes.join(' ')).then(resolve, reject);
    });
    requests.open = batch;
    requests.waiting.push(batch);
    // The scopes asked for in the rest of this turn join it.
    if (requests.waiting.length === 1) this.defer(() => this.release(key));
    return batch;
  }

  /**
   * Sends the key's requests gathered so far, unless {@link MAX_IN_FLIGHT} are in flight: the
   * scopes asked for meanwhile then wait for an answer, and go together after it, not each in a
   * request of its own (a run's scan finds a registry's repositories one file at a time).
   */
  private release(key: string): void {
    const requests = this.keys.get(key);
    if (!requests || requests.inFlight >= MAX_IN_FLIGHT) return;
    const batches = requests.waiting.splice(0);
    requests.open = undefined;
    if (batches.length === 0) {
      this.keys.delete(key);
      return;
    }
    for (const batch of batches) {
      requests.inFlight += 1;
      void batch.go().finally(() => {
        requests.inFlight -= 1;
        this.release(key);
      });
    }
  }
}
