import type { ActionDescriptor } from '../../../shared/actions.js';
import { AppError } from '../../../shared/errors.js';
import { composeRequestInputSchema, type ActionRequest } from '../../../shared/localActionRequests.js';
import type { LocalServices } from '../api/contract.js';
import { composeRequest, discardRequest, getRequest, listRequests, queueRequest, retryRequest } from '../drafts/actionRequests.js';
import type { DesktopSession, OpenCache } from '../session/session.js';

export interface ActionRequestsOptions {
  session: DesktopSession;
  now: () => string;
  /** The action as listed (online: the server's listing; offline: the last one cached). */
  describe(actionId: string): Promise<ActionDescriptor | undefined>;
  /** Tells the UI that pending work changed. */
  changed(): void;
  /** Sends what is queued now (the one push shared with ticket updates). */
  push(): Promise<void>;
  /** Runs a sync first when configuration changes wait, so they go out before this request. */
  flushOutbox(cache: OpenCache): Promise<void>;
}

/**
 * Who may run actions at all: the signed-in user of their own partner, never the platform
 * operator (the server answers it 403 too; refusing here says so before anything is stored).
 */
export function refuseOperator(session: DesktopSession): void {
  if (session.status().user?.isDev) throw new AppError('FORBIDDEN', 'The platform operator reads partners but runs no actions');
}

/**
 * The Actions tab's side-effectful requests (drafts/actionRequests.ts): composed at Review with
 * their key, sent at Run (now when online, by itself once the server is back when offline).
 * Partner admins only: a technician is refused here as the server would refuse them.
 */
export function createActionRequests(options: ActionRequestsOptions): LocalServices['actionRequests'] {
  const { session, now, changed } = options;

  function writable(): OpenCache {
    refuseOperator(session);
    try {
      return session.requireWritable();
    } catch (error) {
      if (error instanceof AppError && error.code === 'FORBIDDEN' && !session.requireCache().readOnly) {
        throw new AppError('FORBIDDEN', 'Only partner admins run actions that change data at a vendor', { details: { code: 'not_permitted' } });
      }
      throw error;
    }
  }

  async function sendNow(cache: OpenCache, id: number): Promise<ActionRequest> {
    await options.flushOutbox(cache);
    await options.push();
    return getRequest(cache.db, id);
  }

  return {
    list: (filter) => listRequests(session.requireCache().db, filter),
    get: (id) => getRequest(session.requireCache().db, id),

    async compose(raw) {
      const input = composeRequestInputSchema.parse(raw);
      const cache = writable();
      const action = await options.describe(input.actionId);
      if (!action) throw new AppError('NOT_FOUND', 'There is no such action');
      if (!action.sideEffectful) throw new AppError('BAD_REQUEST', `${action.label} only reads; run it directly`);
      const request = composeRequest(cache.db, { actionId: action.id, integrationKey: action.integrationKey, label: action.label }, input.input, now(), input.id);
      changed();
      return request;
    },

    async run(id) {
      const cache = writable();
      queueRequest(cache.db, id, now());
      changed();
      return sendNow(cache, id);
    },

    discard(id) {
      discardRequest(writable().db, id);
      changed();
    },

    async retry(id) {
      const cache = writable();
      retryRequest(cache.db, id, now());
      changed();
      return sendNow(cache, id);
    },
  };
}
