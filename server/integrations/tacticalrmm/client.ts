import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { createGuardedAgent, type NetPolicy, type ResolveAll } from '../netGuard.js';
import { tacticalUrl } from './settings.js';

/**
 * Tactical RMM throttles nothing on its API, only logins (vendor-apis.md §4 "Rate limit" [H:
 * TRMM settings.py]). It is one partner's own server, though (Django, often a small VM), so we
 * pace ourselves: at most 60 requests in any minute per API host and instance (a burst of 10,
 * then 50 a minute). A health check costs three requests, a discovery one, an action one to a
 * few (agents are listed per mapped client), so this is ample for people and sweeps alike.
 */
export const tacticalRateLimit: RateLimit = { perMinute: 50, burst: 10 };

/** One instance, one key, one run's budget. */
export interface TacticalCall {
  baseUrl: URL;
  key: string;
  budget: Budget;
  log: Logger;
  /** INTEGRATIONS_ALLOW_PRIVATE_NETWORK at call time: picks the guarded agent. */
  policy: NetPolicy;
}

/** `GET /clients/` rows [H: TRMM clients/serializers.py]: sites carry their own ids. */
const siteSchema = z.looseObject({ id: z.number(), name: z.string() });
const clientSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  sites: z.array(siteSchema).nullish(),
  agent_count: z.number().nullish(),
  maintenance_mode: z.boolean().nullish(),
  failing_checks: z.unknown().optional(),
});
/** `GET /agents/` full rows (AgentTableSerializer): client and site are names, never ids [H: TRMM agents/serializers.py]. */
const agentRowSchema = z.looseObject({
  agent_id: z.string(),
  hostname: z.string(),
  client_name: z.string().nullish(),
  site_name: z.string().nullish(),
  status: z.string().nullish(),
  last_seen: z.string().nullish(),
  plat: z.string().nullish(),
  operating_system: z.string().nullish(),
  public_ip: z.string().nullish(),
  needs_reboot: z.boolean().nullish(),
  serial_number: z.string().nullish(),
  monitoring_type: z.string().nullish(),
  description: z.string().nullish(),
});
/** `GET /agents/{agent_id}/` (AgentSerializer): the table's fields and more; `client`/`site_name` are names too. */
const agentSchema = agentRowSchema.extend({ client: z.unknown().optional(), version: z.string().nullish(), logged_in_username: z.string().nullish() });
/** `GET /scripts/` rows [H: TRMM scripts/serializers.py ScriptTableSerializer]. */
const scriptSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  shell: z.string().nullish(),
  category: z.string().nullish(),
  description: z.string().nullish(),
  default_timeout: z.number().nullish(),
  args: z.array(z.string()).nullish(),
  script_type: z.string().nullish(),
});
/** `PATCH /alerts/` rows [H: TRMM alerts/serializers.py AlertSerializer]. */
const alertSchema = z.looseObject({
  id: z.number(),
  alert_type: z.string().nullish(),
  message: z.string().nullish(),
  severity: z.string().nullish(),
  alert_time: z.string().nullish(),
  hostname: z.string().nullish(),
  client: z.string().nullish(),
  site: z.string().nullish(),
  resolved: z.boolean().nullish(),
  snoozed: z.boolean().nullish(),
});
export type TacticalClient = z.infer<typeof clientSchema>;
export type TacticalAgentRow = z.infer<typeof agentRowSchema>;
export type TacticalAgent = z.infer<typeof agentSchema>;
export type TacticalScript = z.infer<typeof scriptSchema>;
export type TacticalAlert = z.infer<typeof alertSchema>;

/** `POST /agents/{id}/runscript/`: every key, always (a missing one is an unhandled 500 [H: TRMM agents/views.py]). */
export interface RunScriptBody {
  script: number;
  output: 'wait';
  args: string[];
  run_as_user: boolean;
  env_vars: string[];
  timeout: number;
}
/** `POST /agents/{id}/cmd/` [H: TRMM agents/views.py `send_raw_cmd`]. */
export interface CommandBody {
  cmd: string;
  shell: 'cmd' | 'powershell' | '/bin/bash';
  timeout: number;
  run_as_user: boolean;
}

export interface TacticalHttpOptions extends Omit<VendorClientOptions, 'vendor' | 'rateLimit' | 'dispatcher'> {
  rateLimit?: RateLimit;
  /** The resolver the guarded agent uses (tests stage DNS answers with it). */
  resolve?: ResolveAll;
  /**
   * Per-attempt limit of the calls that wait for an agent (run a script or a command): the agent
   * may take as long as the timeout the user gave, so the run's budget bounds these, not the
   * 10 s a read gets. Default 15 minutes.
   */
  waitingRequestTimeoutMs?: number;
}

/**
 * Vendor clients per network policy on a guarded agent (netGuard.ts): the partner typed the
 * host, so every connection checks the addresses it actually connects to — a save-time check
 * alone would let a later DNS change send the key to a private or metadata address. Calls that
 * wait for an agent use a client of their own with a long per-attempt limit (see above); it has
 * its own bucket, which at most doubles the pace for a partner running scripts and commands.
 */
export function createTacticalHttp(options: TacticalHttpOptions = {}) {
  const { rateLimit, resolve, waitingRequestTimeoutMs, ...rest } = options;
  const agents = new Map<boolean, ReturnType<typeof createGuardedAgent>>();
  const clients = new Map<string, VendorClient>();
  return {
    client(policy: NetPolicy, waits = false): VendorClient {
      const id = `${policy.allowPrivateNetwork}:${waits}`;
      let http = clients.get(id);
      if (!http) {
        let agent = agents.get(policy.allowPrivateNetwork);
        if (!agent) {
          agent = createGuardedAgent({ allowPrivateNetwork: policy.allowPrivateNetwork }, { connectTimeoutMs: rest.connectTimeoutMs, resolve });
          agents.set(policy.allowPrivateNetwork, agent);
        }
        const requestTimeoutMs = waits ? (waitingRequestTimeoutMs ?? 15 * 60_000) : rest.requestTimeoutMs;
        http = createVendorClient({ vendor: 'Tactical RMM', rateLimit: rateLimit ?? tacticalRateLimit, ...rest, requestTimeoutMs, dispatcher: agent });
        clients.set(id, http);
      }
      return http;
    },
    async close() {
      for (const http of clients.values()) await http.close();
      for (const agent of agents.values()) await agent.close();
      clients.clear();
      agents.clear();
    },
  };
}
export type TacticalHttp = ReturnType<typeof createTacticalHttp>;

const invalid = (operation: string, reason: string) => new VendorError('invalid_response', { vendor: 'Tactical RMM', operation, reason });

/** The Tactical RMM REST calls the integration makes. */
export function createTacticalApi(http: TacticalHttp) {
  async function send(
    call: TacticalCall,
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    operation: string,
    extra: { query?: Record<string, string>; json?: unknown; waits?: boolean } = {},
  ): Promise<unknown> {
    const res = await http.client(call.policy, extra.waits).request({
      method,
      url: tacticalUrl(call.baseUrl, path, extra.query),
      operation,
      headers: { 'x-api-key': call.key },
      ...(extra.json === undefined ? {} : { json: extra.json }),
      budget: call.budget,
      log: call.log,
      secrets: [call.key],
      // A write is never sent twice by the client; exactly-once is the action service's key.
      // PATCH /alerts/ only reads, so it may be retried like a GET.
      idempotent: method !== 'POST',
      rateLimitKey: `tacticalrmm ${call.baseUrl.host}`,
    });
    return res.data;
  }

  function shape<T>(schema: z.ZodType<T>, data: unknown, operation: string, reason: string): T {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw invalid(operation, reason);
    return parsed.data;
  }

  const agentPath = (agentId: string, tail = '') => `/agents/${encodeURIComponent(agentId)}/${tail}`;

  return {
    /** `GET /core/version/`: a bare JSON string, the web UI's version (any authenticated user) [H: TRMM core/views.py]. */
    async version(call: TacticalCall): Promise<string> {
      return shape(z.string(), await send(call, 'GET', '/core/version/', 'GET /core/version/'), 'GET /core/version/', 'not a version string');
    },
    /** `GET /core/dashinfo/`: `trmm_version` is the release to show (e.g. "1.5.1") [H: TRMM settings.py, core/views.py]. */
    async release(call: TacticalCall): Promise<string | null> {
      const data = await send(call, 'GET', '/core/dashinfo/', 'GET /core/dashinfo/');
      const parsed = z.looseObject({ trmm_version: z.string() }).safeParse(data);
      return parsed.success ? parsed.data.trmm_version : null;
    },
    /** `GET /clients/`: every client with its sites, one unpaged array [H: TRMM]. */
    async clients(call: TacticalCall): Promise<TacticalClient[]> {
      return shape(z.array(clientSchema), await send(call, 'GET', '/clients/', 'GET /clients/'), 'GET /clients/', 'not a list of clients');
    },
    /** `GET /agents/?client=<id>`: one client's agents (rows name their client, so per-client is the only join) [H: TRMM agents/views.py]. */
    async agents(call: TacticalCall, clientId?: string): Promise<TacticalAgentRow[]> {
      const data = await send(call, 'GET', '/agents/', 'GET /agents/', clientId === undefined ? {} : { query: { client: clientId } });
      return shape(z.array(agentRowSchema), data, 'GET /agents/', 'not a list of agents');
    },
    async agent(call: TacticalCall, agentId: string): Promise<TacticalAgent> {
      const operation = 'GET /agents/{agent_id}/';
      return shape(agentSchema, await send(call, 'GET', agentPath(agentId), operation), operation, 'not an agent');
    },
    async scripts(call: TacticalCall): Promise<TacticalScript[]> {
      return shape(z.array(scriptSchema), await send(call, 'GET', '/scripts/', 'GET /scripts/'), 'GET /scripts/', 'not a list of scripts');
    },
    /**
     * Active alerts: `PATCH /alerts/` with `resolvedFilter: false, snoozedFilter: false`. Those
     * two filter only when false (`true` filters nothing) and any other body returns every alert
     * (vendor-apis.md §4 "Alerts" [H: TRMM alerts/views.py]).
     */
    async activeAlerts(call: TacticalCall): Promise<TacticalAlert[]> {
      const data = await send(call, 'PATCH', '/alerts/', 'PATCH /alerts/', { json: { resolvedFilter: false, snoozedFilter: false } });
      return shape(z.array(alertSchema), data, 'PATCH /alerts/', 'not a list of alerts');
    },
    /** The answer as sent: the script's output (a string) or `"timeout"`, which the action reads as a failure. */
    async runScript(call: TacticalCall, agentId: string, body: RunScriptBody): Promise<unknown> {
      return send(call, 'POST', agentPath(agentId, 'runscript/'), 'POST /agents/{agent_id}/runscript/', { json: body, waits: true });
    },
    /** The answer as sent: the command's output, or `"natsdown"`, a failure. */
    async command(call: TacticalCall, agentId: string, body: CommandBody): Promise<unknown> {
      return send(call, 'POST', agentPath(agentId, 'cmd/'), 'POST /agents/{agent_id}/cmd/', { json: body, waits: true });
    },
    /** `"ok"`, or 400 with the reason [H: TRMM agents/views.py]. */
    async reboot(call: TacticalCall, agentId: string): Promise<unknown> {
      return send(call, 'POST', agentPath(agentId, 'reboot/'), 'POST /agents/{agent_id}/reboot/', { json: {} });
    },
  };
}
export type TacticalApi = ReturnType<typeof createTacticalApi>;
