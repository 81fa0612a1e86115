import type { PullRequest, PullResponse, PushRequest, PushResponse } from '../../../shared/sync.js';
import type { SyncTransport } from '../sync/transport.js';

type Step<Req, Res> = Res | Error | ((request: Req) => Res | Error);

/**
 * A transport that replays scripted protocol responses in order (data, not behaviour mocks) and
 * keeps the requests it received, so tests can check what would have gone over the wire.
 * Running out of script answers like a server that is down.
 */
export class ScriptedTransport implements SyncTransport {
  readonly pulls: PullRequest[] = [];
  readonly pushes: PushRequest[] = [];
  readonly #pull: Step<PullRequest, PullResponse>[] = [];
  readonly #push: Step<PushRequest, PushResponse>[] = [];
  #onLost: (() => void) | null = null;
  constructor(readonly whenEmpty: () => Error) {}

  /** The change stream: only its "server lost" report is scripted (see `lose`). */
  subscribe(_onPoke: unknown, onLost?: () => void): () => void {
    this.#onLost = onLost ?? null;
    return () => (this.#onLost = null);
  }

  /** What the change stream reports when its connection to the server ends. */
  lose(): void {
    this.#onLost?.();
  }

  onPull(...steps: Step<PullRequest, PullResponse>[]): this {
    this.#pull.push(...steps);
    return this;
  }

  onPush(...steps: Step<PushRequest, PushResponse>[]): this {
    this.#push.push(...steps);
    return this;
  }

  async pull(request: PullRequest): Promise<PullResponse> {
    this.pulls.push(structuredClone(request));
    return settle(this.#pull.shift(), request, this.whenEmpty);
  }

  async push(request: PushRequest): Promise<PushResponse> {
    this.pushes.push(structuredClone(request));
    return settle(this.#push.shift(), request, this.whenEmpty);
  }
}

function settle<Req, Res>(step: Step<Req, Res> | undefined, request: Req, whenEmpty: () => Error): Res {
  if (step === undefined) throw whenEmpty();
  const value = typeof step === 'function' ? (step as (r: Req) => Res | Error)(request) : step;
  if (value instanceof Error) throw value;
  return value;
}
