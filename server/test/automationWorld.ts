import type { LightMyRequestResponse } from 'fastify';
import { shippedPlugins } from '../integrations/registry.js';
import { createActionWorld, type ActionWorld } from './actionWorld.js';
import type { WorldUser } from './catalogWorld.js';

/** The action world (ticketdesk against a counting loopback vendor) plus tRPC calls for automations. */
export interface AutomationWorld extends ActionWorld {
  /** A tRPC call over HTTP; `data` is the result (or undefined), `error` the API error body. */
  call(user: WorldUser | undefined, kind: 'query' | 'mutation', path: string, input?: unknown): Promise<{ status: number; data: unknown; error: { code: string; message: string; fields?: Record<string, string[]> } | undefined; res: LightMyRequestResponse }>;
}

/** `shipped`: the shipped plugins too (the recipes' actions), not configured. */
export async function createAutomationWorld(options: { shipped?: boolean } = {}): Promise<AutomationWorld> {
  const w = await createActionWorld(options.shipped ? { plugins: shippedPlugins } : {});
  return {
    ...w,
    async call(user, kind, path, input) {
      const headers = user ? { authorization: user.auth } : {};
      const res =
        kind === 'query'
          ? await w.server.app.inject({ method: 'GET', url: `/trpc/automations.${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, headers })
          : await w.server.app.inject({ method: 'POST', url: `/trpc/automations.${path}`, headers, payload: (input ?? {}) as object });
      const body = res.json() as { result?: { data?: unknown }; error?: { data?: { error?: { code: string; message: string; fields?: Record<string, string[]> } } } };
      return { status: res.statusCode, data: body.result?.data, error: body.error?.data?.error, res };
    },
  };
}

/** A one-step automation posting a comment on ticket 101 by hand (the manual trigger). */
export const commentAutomation = (name = 'Comment') => ({
  name,
  enabled: true,
  trigger: { kind: 'manual', inputs: [{ name: 'note', type: 'string', required: true }] },
  steps: [
    { name: 'read', actionId: 'ticketdesk.tickets.get', input: { ticketId: '101' } },
    { name: 'post', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '{{steps.read.output.ticket.id}}', body: 'Note: {{trigger.input.note}} on {{steps.read.output.ticket.subject}}' } },
  ],
});
