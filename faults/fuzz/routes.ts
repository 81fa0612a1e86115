import type { FastifyInstance } from 'fastify';

/** One route as the running Fastify app holds it: a method and a path pattern. */
export interface AppRoute {
  method: string;
  /** Fastify syntax; a node two routes share names both params (`:id|:clientId`). */
  path: string;
}

const line = /^((?:│ {3}| {4})*)(?:├──|└──) (.*?)(?: \(([A-Z, ]+)\))?$/;

/**
 * Every route of the running app, read back from `printRoutes` (Fastify's own radix tree), so a
 * route added anywhere — a plugin, a new REST operation, a file route — is fuzzed without anyone
 * listing it here.
 */
export function appRoutes(app: FastifyInstance): AppRoute[] {
  const routes: AppRoute[] = [];
  const stack: string[] = [];
  for (const text of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = line.exec(text);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const path = stack.join('');
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) routes.push({ method, path });
  }
  return routes;
}

/** Whether a REST operation's declared path is this printed pattern (params compared by position). */
export function samePattern(declared: string, printed: string): boolean {
  const norm = (p: string) => p.replace(/:[A-Za-z0-9_]+(\|:[A-Za-z0-9_]+)*/g, ':');
  return norm(declared) === norm(printed);
}

/** A concrete URL for a pattern: each `:param` (or `*`) replaced by the value given for it. */
export function fillPattern(pattern: string, value: (param: string) => string): string {
  return pattern
    .replace(/:([A-Za-z0-9_]+)(?:\|:[A-Za-z0-9_]+)*/g, (_m, name: string) => encodeURIComponent(value(name)))
    .replace(/\*$/, () => encodeURIComponent(value('*')));
}
