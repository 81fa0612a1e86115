import type { AppDeps } from '../deps.js';
import type { RequestLog } from '../logger.js';

export interface RequestMeta {
  /** The raw Authorization header, verified lazily by authed procedures. */
  authorization: string | undefined;
  ip: string;
  requestId: string;
  log: RequestLog;
}

export interface Context extends RequestMeta {
  deps: AppDeps;
}

/** Context without HTTP, so tests and the REST bridge call procedures through createCaller. */
export function createContext(deps: AppDeps, meta: RequestMeta): Context {
  return { deps, ...meta };
}
